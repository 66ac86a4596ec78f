//! # faultline-store: the project file
//!
//! One project is one SQLite file (extension `.faultline`). The file holds the current project, the undo/redo
//! history and named snapshots, so undo and redo work across restarts.
//!
//! - **Autosave**: every [`Store::apply`], [`Store::undo`] and [`Store::redo`] is one SQLite transaction, committed
//!   (WAL, `synchronous=FULL`) before the call returns. A crash loses nothing that was acknowledged.
//! - **One writer**: the first instance takes an exclusive advisory lock on a sidecar file (`<file>.lock`);
//!   a second instance opening the same file gets a read-only view ([`Store::read_only`] says why).
//! - **Safe opening**: a file that is not a Faultline project, or is damaged, is refused with a clear error and
//!   left byte-for-byte untouched (it is inspected read-only before anything is written).
//! - **Migrations**: the schema version is SQLite's `user_version` ([`SCHEMA_VERSION`]); a newer file is refused,
//!   an older one is copied to a backup beside it (`<stem>.v<N>-backup.faultline`) and then migrated in place.
//!
//! ```no_run
//! use faultline_models::{edit::Transaction, project::Project};
//! use faultline_store::Store;
//! let mut store = Store::create("demo.faultline", &Project::new("demo")).unwrap();
//! let mut next = store.project().clone();
//! next.name = "renamed".into();
//! store.apply(Transaction::between("Rename project", store.project(), &next).unwrap()).unwrap();
//! store.undo().unwrap();
//! ```

mod migrate;
pub mod session;

use faultline_models::edit::{EditError, Transaction};
use faultline_models::project::Project;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// SQLite `application_id` of a Faultline project file: the bytes "FLT1".
pub const APPLICATION_ID: i32 = 0x464C_5431;

/// The schema version this build writes (SQLite `user_version`). Version 1 had no undo history and allowed
/// duplicate snapshot names; version 2 added both the history and unique snapshot names.
pub const SCHEMA_VERSION: i32 = 2;

/// The file extension of a project file, without the dot.
pub const EXTENSION: &str = "faultline";

/// Why the project file could not be created, opened, read or written. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a Faultline project file: {reason}")]
    NotAProject { path: PathBuf, reason: String },
    #[error("{path} is damaged and was not changed: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer Faultline (file schema version {found}, this build reads up to {supported}); \
         update Faultline to open it"
    )]
    TooNew { path: PathBuf, found: i32, supported: i32 },
    #[error("{path}: cannot open a schema version {found} file read-only while another instance holds it; close it there first")]
    NeedsMigration { path: PathBuf, found: i32 },
    #[error("{path} already exists")]
    Exists { path: PathBuf },
    #[error("{path} is open read-only: {reason}")]
    ReadOnly { path: PathBuf, reason: String },
    #[error("{path}: database error: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{path}: the stored {what} is not valid: {detail}")]
    BadJson { path: PathBuf, what: String, detail: String },
    #[error("{path}: {source}")]
    Edit { path: PathBuf, source: EditError },
    #[error("{path}: a snapshot named {name:?} already exists")]
    SnapshotExists { path: PathBuf, name: String },
    #[error("{path}: no snapshot named {name:?}")]
    NoSnapshot { path: PathBuf, name: String },
}

/// A shorthand for results of this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A named snapshot's summary (see [`Store::snapshots`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotInfo {
    pub name: String,
    /// When it was taken, as passed to [`Store::snapshot`].
    pub taken_at: OffsetDateTime,
}

/// An open project file. Dropping it closes the file and releases the writer lock.
pub struct Store {
    path: PathBuf,
    conn: Connection,
    project: Project,
    read_only: Option<String>,
    backup: Option<PathBuf>,
    /// Held for the life of the store: the exclusive advisory lock of the single writer.
    _lock: Option<File>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).field("read_only", &self.read_only).finish()
    }
}

pub(crate) fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite { path: path.to_path_buf(), source }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

/// The sidecar lock file of a project file: `<file>.lock` beside it.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    path.with_file_name(name)
}

/// Takes the writer lock, or returns `None` when another process holds it.
fn try_lock(path: &Path) -> Result<Option<File>> {
    let lp = lock_path(path);
    let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&lp).map_err(io(&lp))?;
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => Ok(Some(file)),
        Err(fs4::TryLockError::WouldBlock) => Ok(None),
        Err(fs4::TryLockError::Error(e)) => Err(StoreError::Io { path: lp, source: e }),
    }
}

fn configure(conn: &Connection, path: &Path) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sql(path))?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(sql(path))?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(sql(path))?;
    conn.pragma_update(None, "foreign_keys", true).map_err(sql(path))?;
    Ok(())
}

fn project_json(project: &Project, path: &Path) -> Result<String> {
    serde_json::to_string(project).map_err(|e| StoreError::BadJson {
        path: path.to_path_buf(),
        what: "project".into(),
        detail: e.to_string(),
    })
}

fn parse_project(json: &str, path: &Path, what: &str) -> Result<Project> {
    serde_json::from_str(json).map_err(|e| StoreError::BadJson {
        path: path.to_path_buf(),
        what: what.into(),
        detail: e.to_string(),
    })
}

/// What a read-only inspection of an existing file found.
struct Inspection {
    version: i32,
}

/// Checks, without writing anything to it, that `path` is a healthy Faultline project file.
fn inspect(path: &Path) -> Result<Inspection> {
    let not_project = |reason: &str| StoreError::NotAProject { path: path.to_path_buf(), reason: reason.into() };
    let mut header = [0u8; 100];
    let mut file = File::open(path).map_err(io(path))?;
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(io(path))? {
            0 => break,
            n => read += n,
        }
    }
    if read < 16 || &header[..16] != b"SQLite format 3\0" {
        return Err(not_project("it is not an SQLite database"));
    }
    if read < 100 {
        return Err(StoreError::Corrupt { path: path.to_path_buf(), detail: "the database header is truncated".into() });
    }
    drop(file);
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| StoreError::Corrupt { path: path.to_path_buf(), detail: e.to_string() })?;
    let corrupt = |e: rusqlite::Error| StoreError::Corrupt { path: path.to_path_buf(), detail: e.to_string() };
    let app: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(corrupt)?;
    if app != APPLICATION_ID {
        return Err(not_project(&format!(
            "it is an SQLite database of another application (application_id {app:#x})"
        )));
    }
    let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(corrupt)?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found: version, supported: SCHEMA_VERSION });
    }
    if version < 1 {
        return Err(not_project(&format!("unknown schema version {version}")));
    }
    let check: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA quick_check").map_err(corrupt)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(corrupt)?;
        rows.collect::<Result<_, _>>().map_err(corrupt)?
    };
    if check != ["ok"] {
        return Err(StoreError::Corrupt { path: path.to_path_buf(), detail: check.join("; ") });
    }
    let json: String = conn
        .query_row("SELECT json FROM project WHERE id = 1", [], |r| r.get(0))
        .map_err(|e| StoreError::Corrupt { path: path.to_path_buf(), detail: format!("no project row: {e}") })?;
    parse_project(&json, path, "project")?;
    Ok(Inspection { version })
}

/// A path beside `path` for a backup of schema version `version` that does not exist yet.
fn backup_path(path: &Path, version: i32) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "project".into());
    for n in 1.. {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let candidate = path.with_file_name(format!("{stem}.v{version}-backup{suffix}.{EXTENSION}"));
        if !candidate.exists() {
            return candidate;
        }
    }
    unreachable!("some backup name is free")
}

impl Store {
    /// Creates a new project file at `path` holding `project`, and opens it for writing.
    /// Refuses to overwrite an existing file. The file appears atomically (written beside, then renamed).
    pub fn create(path: impl AsRef<Path>, project: &Project) -> Result<Store> {
        let path = path.as_ref();
        if path.exists() {
            return Err(StoreError::Exists { path: path.to_path_buf() });
        }
        let mut tmp_name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        tmp_name.push(".creating");
        let tmp = path.with_file_name(tmp_name);
        let _ = std::fs::remove_file(&tmp);
        {
            let conn = Connection::open(&tmp).map_err(sql(&tmp))?;
            conn.pragma_update(None, "synchronous", "FULL").map_err(sql(&tmp))?;
            conn.execute_batch(migrate::SCHEMA).map_err(sql(&tmp))?;
            conn.execute("INSERT INTO project (id, json) VALUES (1, ?1)", [project_json(project, path)?])
                .map_err(sql(&tmp))?;
            conn.pragma_update(None, "application_id", APPLICATION_ID).map_err(sql(&tmp))?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(sql(&tmp))?;
            conn.pragma_update(None, "journal_mode", "WAL").map_err(sql(&tmp))?;
            conn.close().map_err(|(_, e)| sql(&tmp)(e))?;
        }
        if path.exists() {
            let _ = std::fs::remove_file(&tmp);
            return Err(StoreError::Exists { path: path.to_path_buf() });
        }
        std::fs::rename(&tmp, path).map_err(io(path))?;
        Store::open(path)
    }

    /// Opens an existing project file: for writing when no other instance has it open, else read-only
    /// (see [`Store::read_only`]). An older schema is migrated after a backup copy is written beside the file
    /// (see [`Store::backup`]).
    ///
    /// Errors: [`StoreError::NotAProject`], [`StoreError::Corrupt`], [`StoreError::TooNew`] leave the file
    /// untouched.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let found = inspect(path)?;
        let Some(lock) = try_lock(path)? else {
            if found.version < SCHEMA_VERSION {
                return Err(StoreError::NeedsMigration { path: path.to_path_buf(), found: found.version });
            }
            return Store::open_read_only_because(path, "another Faultline window has this project open".into());
        };
        let mut backup = None;
        if found.version < SCHEMA_VERSION {
            let target = backup_path(path, found.version);
            let ro = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql(path))?;
            ro.execute("VACUUM INTO ?1", [target.to_string_lossy()]).map_err(sql(path))?;
            drop(ro);
            backup = Some(target);
        }
        let conn = Connection::open(path).map_err(sql(path))?;
        configure(&conn, path)?;
        if found.version < SCHEMA_VERSION {
            migrate::migrate(&conn, path, found.version)?;
        }
        let json: String =
            conn.query_row("SELECT json FROM project WHERE id = 1", [], |r| r.get(0)).map_err(sql(path))?;
        let project = parse_project(&json, path, "project")?;
        Ok(Store { path: path.to_path_buf(), conn, project, read_only: None, backup, _lock: Some(lock) })
    }

    /// Opens a project file read-only, whether or not another instance writes it.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let found = inspect(path)?;
        if found.version < SCHEMA_VERSION {
            return Err(StoreError::NeedsMigration { path: path.to_path_buf(), found: found.version });
        }
        Store::open_read_only_because(path, "opened read-only".into())
    }

    fn open_read_only_because(path: &Path, reason: String) -> Result<Store> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql(path))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sql(path))?;
        let json: String =
            conn.query_row("SELECT json FROM project WHERE id = 1", [], |r| r.get(0)).map_err(sql(path))?;
        let project = parse_project(&json, path, "project")?;
        Ok(Store { path: path.to_path_buf(), conn, project, read_only: Some(reason), backup: None, _lock: None })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current project.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// `Some(reason)` when this store is a read-only view (for example because another instance is writing).
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// The backup written before this open migrated the file from an older schema, if it did.
    pub fn backup(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    /// Re-reads the project from the file (for a read-only view following another instance's edits).
    pub fn reload(&mut self) -> Result<()> {
        let json: String =
            self.conn.query_row("SELECT json FROM project WHERE id = 1", [], |r| r.get(0)).map_err(sql(&self.path))?;
        self.project = parse_project(&json, &self.path, "project")?;
        Ok(())
    }

    fn writable(&self) -> Result<()> {
        match &self.read_only {
            Some(reason) => Err(StoreError::ReadOnly { path: self.path.clone(), reason: reason.clone() }),
            None => Ok(()),
        }
    }

    /// Applies `tx` to the project and commits it to the file, with its entry in the undo history, before
    /// returning (autosave). Clears the redo history. An empty transaction changes nothing and is not recorded.
    /// On error neither the file nor [`Store::project`] changes.
    pub fn apply(&mut self, tx: Transaction) -> Result<()> {
        self.writable()?;
        if tx.is_empty() {
            return Ok(());
        }
        let mut next = self.project.clone();
        tx.apply(&mut next).map_err(|source| StoreError::Edit { path: self.path.clone(), source })?;
        let json = project_json(&next, &self.path)?;
        let tx_json = serde_json::to_string(&tx).map_err(|e| StoreError::BadJson {
            path: self.path.clone(),
            what: "edit".into(),
            detail: e.to_string(),
        })?;
        let p = self.path.clone();
        let t = self.conn.transaction().map_err(sql(&p))?;
        t.execute("DELETE FROM history WHERE undone = 1", []).map_err(sql(&p))?;
        t.execute("INSERT INTO history (label, tx, undone) VALUES (?1, ?2, 0)", params![tx.label, tx_json])
            .map_err(sql(&p))?;
        t.execute("UPDATE project SET json = ?1 WHERE id = 1", [json]).map_err(sql(&p))?;
        t.commit().map_err(sql(&p))?;
        self.project = next;
        Ok(())
    }

    /// Convenience for [`Store::apply`]: lets `edit` change a copy of the project and records the difference
    /// as one transaction labelled `label`. Returns whether anything changed.
    pub fn edit(&mut self, label: &str, edit: impl FnOnce(&mut Project)) -> Result<bool> {
        let mut next = self.project.clone();
        edit(&mut next);
        let tx = Transaction::between(label, &self.project, &next)
            .map_err(|source| StoreError::Edit { path: self.path.clone(), source })?;
        let changed = !tx.is_empty();
        self.apply(tx)?;
        Ok(changed)
    }

    /// Number of steps that [`Store::undo`] can take.
    pub fn undo_depth(&self) -> Result<usize> {
        self.count("SELECT COUNT(*) FROM history WHERE undone = 0")
    }

    /// Number of steps that [`Store::redo`] can take.
    pub fn redo_depth(&self) -> Result<usize> {
        self.count("SELECT COUNT(*) FROM history WHERE undone = 1")
    }

    fn count(&self, query: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(query, [], |r| r.get(0)).map_err(sql(&self.path))?;
        Ok(n as usize)
    }

    /// Undoes the latest edit, committed before returning. Returns its label, or `None` when there is nothing
    /// to undo.
    pub fn undo(&mut self) -> Result<Option<String>> {
        self.step("SELECT seq, label, tx FROM history WHERE undone = 0 ORDER BY seq DESC LIMIT 1", true)
    }

    /// Redoes the latest undone edit, committed before returning. Returns its label, or `None` when there is
    /// nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>> {
        self.step("SELECT seq, label, tx FROM history WHERE undone = 1 ORDER BY seq ASC LIMIT 1", false)
    }

    fn step(&mut self, query: &str, undo: bool) -> Result<Option<String>> {
        self.writable()?;
        let p = self.path.clone();
        let row: Option<(i64, String, String)> =
            self.conn.query_row(query, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional().map_err(sql(&p))?;
        let Some((seq, label, tx_json)) = row else { return Ok(None) };
        let tx: Transaction = serde_json::from_str(&tx_json).map_err(|e| StoreError::BadJson {
            path: p.clone(),
            what: format!("undo history entry {seq}"),
            detail: e.to_string(),
        })?;
        let tx = if undo { tx.invert() } else { tx };
        let mut next = self.project.clone();
        tx.apply(&mut next).map_err(|source| StoreError::Edit { path: p.clone(), source })?;
        let json = project_json(&next, &p)?;
        let t = self.conn.transaction().map_err(sql(&p))?;
        t.execute("UPDATE history SET undone = ?1 WHERE seq = ?2", params![undo as i64, seq]).map_err(sql(&p))?;
        t.execute("UPDATE project SET json = ?1 WHERE id = 1", [json]).map_err(sql(&p))?;
        t.commit().map_err(sql(&p))?;
        self.project = next;
        Ok(Some(label))
    }

    /// Saves the current project as a named snapshot taken at `at`. Names are unique.
    pub fn snapshot(&mut self, name: &str, at: OffsetDateTime) -> Result<()> {
        self.writable()?;
        let p = self.path.clone();
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT id FROM snapshots WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(sql(&p))?;
        if exists.is_some() {
            return Err(StoreError::SnapshotExists { path: p, name: name.into() });
        }
        let at = at.format(&Rfc3339).map_err(|e| StoreError::BadJson {
            path: p.clone(),
            what: "snapshot time".into(),
            detail: e.to_string(),
        })?;
        self.conn
            .execute(
                "INSERT INTO snapshots (name, taken_at, json) VALUES (?1, ?2, ?3)",
                params![name, at, project_json(&self.project, &p)?],
            )
            .map_err(sql(&p))?;
        Ok(())
    }

    /// Every snapshot, oldest first.
    pub fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        let p = &self.path;
        let mut stmt = self.conn.prepare("SELECT name, taken_at FROM snapshots ORDER BY taken_at, id").map_err(sql(p))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(sql(p))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, at) = row.map_err(sql(p))?;
            let taken_at = OffsetDateTime::parse(&at, &Rfc3339).map_err(|e| StoreError::BadJson {
                path: p.clone(),
                what: format!("time of snapshot {name:?}"),
                detail: e.to_string(),
            })?;
            out.push(SnapshotInfo { name, taken_at });
        }
        Ok(out)
    }

    /// The project as it was in the snapshot `name`.
    pub fn snapshot_project(&self, name: &str) -> Result<Project> {
        let p = &self.path;
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM snapshots WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(sql(p))?;
        let json = json.ok_or_else(|| StoreError::NoSnapshot { path: p.clone(), name: name.into() })?;
        parse_project(&json, p, &format!("snapshot {name:?}"))
    }

    /// Writes a complete copy of the file (project, history, snapshots) to `target`, which must not exist.
    /// This store stays on its own file; open the copy with [`Store::open`].
    pub fn save_as(&self, target: impl AsRef<Path>) -> Result<()> {
        let target = target.as_ref();
        if target.exists() {
            return Err(StoreError::Exists { path: target.to_path_buf() });
        }
        self.conn.execute("VACUUM INTO ?1", [target.to_string_lossy()]).map_err(sql(target))?;
        let conn = Connection::open(target).map_err(sql(target))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql(target))?;
        Ok(())
    }

    /// Runs SQLite's full `PRAGMA integrity_check` and returns its messages (`["ok"]` when healthy).
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let p = &self.path;
        let mut stmt = self.conn.prepare("PRAGMA integrity_check").map_err(sql(p))?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(sql(p))?;
        rows.collect::<Result<_, _>>().map_err(sql(p))
    }
}
