//! The open project of one desktop window, and its recent-files list, free of any GUI.
//!
//! A [`Session`] is what the desktop shell keeps between commands: at most one open [`Store`], the path of
//! the recent-files list, and the operations a window offers (open the default project, New, Open, Save As,
//! an editing [`Op`], undo, redo, snapshot). Each operation returns a [`ProjectView`], the whole state the UI
//! renders, so the shell's commands are one call each and all of this is tested without a webview.
//!
//! Every edit goes through [`Store::apply`], so it is committed (WAL) before the call returns.

use crate::{Result, Store, StoreError};
use faultline_models::edit::Transaction;
use faultline_models::ops::{self, Op};
use faultline_models::project::Project;
pub use faultline_models::view::{EditOutcome, ProjectView};
use std::path::{Path, PathBuf};

/// How many files the recent list keeps.
pub const RECENT_MAX: usize = 10;

/// Why a session operation failed: a storage error, or an op the project refused.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Op(#[from] ops::OpError),
    #[error("no project is open")]
    NoProject,
}

/// The recent-files list: a small JSON file (an array of paths, most recent first). A missing or unreadable
/// list is an empty one: it is a convenience, never a reason to fail.
#[derive(Clone, Debug)]
pub struct RecentFiles {
    file: PathBuf,
}

impl RecentFiles {
    /// The list kept in `file` (created on the first [`RecentFiles::push`]).
    pub fn new(file: impl Into<PathBuf>) -> Self {
        RecentFiles { file: file.into() }
    }

    /// The paths, most recent first, without the ones that no longer exist.
    pub fn list(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.file).unwrap_or_default();
        let list: Vec<String> = serde_json::from_str(&text).unwrap_or_default();
        list.into_iter().filter(|p| Path::new(p).exists()).take(RECENT_MAX).collect()
    }

    /// Puts `path` first. Written atomically (beside, then renamed); a failure to write is ignored.
    pub fn push(&self, path: &Path) {
        let path = path.display().to_string();
        let mut list = self.list();
        list.retain(|p| *p != path);
        list.insert(0, path);
        list.truncate(RECENT_MAX);
        if let Some(dir) = self.file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = self.file.with_extension("json.tmp");
        if std::fs::write(&tmp, serde_json::to_string_pretty(&list).unwrap_or_default()).is_ok() {
            let _ = std::fs::rename(&tmp, &self.file);
        }
    }
}

/// The open project of one window.
#[derive(Debug)]
pub struct Session {
    store: Option<Store>,
    recent: RecentFiles,
}

impl Session {
    /// A session with nothing open, keeping its recent list in `recent_file`.
    pub fn new(recent_file: impl Into<PathBuf>) -> Self {
        Session { store: None, recent: RecentFiles::new(recent_file) }
    }

    /// The open store, if any.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    fn store_mut(&mut self) -> Result<&mut Store, SessionError> {
        self.store.as_mut().ok_or(SessionError::NoProject)
    }

    /// Opens `path`, creating it from `seed()` first when it does not exist (the app's first run).
    /// An existing file that cannot be opened is reported and left untouched; it is never replaced.
    pub fn open_or_create(&mut self, path: &Path, seed: impl FnOnce() -> Project) -> Result<ProjectView, SessionError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        }
        let store = if path.exists() { Store::open(path)? } else { Store::create(path, &seed())? };
        self.switch_to(store)
    }

    /// Opens an existing project file (read-only when another window writes it).
    pub fn open(&mut self, path: &Path) -> Result<ProjectView, SessionError> {
        let store = Store::open(path)?;
        self.switch_to(store)
    }

    /// Creates a new project file holding `project` and opens it. Refuses an existing path.
    pub fn create(&mut self, path: &Path, project: &Project) -> Result<ProjectView, SessionError> {
        let store = Store::create(path, project)?;
        self.switch_to(store)
    }

    /// Writes a copy of the open project (with its history and snapshots) to `target` and continues on the
    /// copy, like Save As in any desktop app. With `overwrite`, an existing `target` (not the open file) is
    /// replaced; without it, an existing target is refused.
    pub fn save_as(&mut self, target: &Path, overwrite: bool) -> Result<ProjectView, SessionError> {
        let store = self.store.as_ref().ok_or(SessionError::NoProject)?;
        let same = target.canonicalize().ok().zip(store.path().canonicalize().ok()).is_some_and(|(a, b)| a == b);
        if same {
            return self.view();
        }
        if overwrite && target.exists() {
            for suffix in ["", "-wal", "-shm"] {
                let mut name = target.as_os_str().to_os_string();
                name.push(suffix);
                let p = PathBuf::from(name);
                if p.exists() {
                    std::fs::remove_file(&p).map_err(|source| StoreError::Io { path: p.clone(), source })?;
                }
            }
        }
        store.save_as(target)?;
        let copy = Store::open(target)?;
        self.switch_to(copy)
    }

    fn switch_to(&mut self, store: Store) -> Result<ProjectView, SessionError> {
        let absolute = store.path().canonicalize().unwrap_or_else(|_| store.path().to_path_buf());
        self.recent.push(&absolute);
        // Dropping the old store releases its writer lock.
        self.store = Some(store);
        self.view()
    }

    /// The current state for the UI.
    pub fn view(&self) -> Result<ProjectView, SessionError> {
        let store = self.store.as_ref().ok_or(SessionError::NoProject)?;
        let path = store.path().canonicalize().unwrap_or_else(|_| store.path().to_path_buf());
        Ok(ProjectView {
            path: path.display().to_string(),
            read_only: store.read_only().map(str::to_string),
            backup: store.backup().map(|b| b.display().to_string()),
            project: store.project().clone(),
            undo_depth: if store.read_only().is_some() { 0 } else { store.undo_depth()? },
            redo_depth: if store.read_only().is_some() { 0 } else { store.redo_depth()? },
            recent: self.recent.list(),
            snapshots: store.snapshots()?.into_iter().map(|s| s.name).collect(),
        })
    }

    /// Applies an editing op as one transaction, committed before returning.
    pub fn edit(&mut self, op: &Op) -> Result<EditOutcome, SessionError> {
        let store = self.store_mut()?;
        if let Some(reason) = store.read_only() {
            return Err(StoreError::ReadOnly { path: store.path().to_path_buf(), reason: reason.to_string() }.into());
        }
        let mut next = store.project().clone();
        let applied = ops::apply(&mut next, op)?;
        let tx = Transaction::between(applied.label.clone(), store.project(), &next)
            .map_err(|source| StoreError::Edit { path: store.path().to_path_buf(), source })?;
        store.apply(tx)?;
        Ok(EditOutcome { applied, view: self.view()? })
    }

    /// Undoes the latest edit; returns its label (None when there was nothing to undo) and the new state.
    pub fn undo(&mut self) -> Result<(Option<String>, ProjectView), SessionError> {
        let label = self.store_mut()?.undo()?;
        Ok((label, self.view()?))
    }

    /// Redoes the latest undone edit.
    pub fn redo(&mut self) -> Result<(Option<String>, ProjectView), SessionError> {
        let label = self.store_mut()?.redo()?;
        Ok((label, self.view()?))
    }

    /// Takes a named snapshot of the current project.
    pub fn snapshot(&mut self, name: &str, at: time::OffsetDateTime) -> Result<ProjectView, SessionError> {
        self.store_mut()?.snapshot(name, at)?;
        self.view()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faultline_models::fault_tree::GateKind;
    use faultline_models::ops::NewElement;

    fn seeded() -> Project {
        faultline_models::samples::default_project()
    }

    #[test]
    fn first_run_creates_the_default_project_from_the_seed_and_reopens_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/default.faultline");
        let mut s = Session::new(dir.path().join("recent.json"));
        let view = s.open_or_create(&path, seeded).unwrap();
        assert_eq!(view.project, seeded());
        assert!(view.path.ends_with("default.faultline"));
        assert_eq!(view.recent, vec![view.path.clone()]);
        let tree = view.project.fault_trees[0].id;
        let top = view.project.fault_trees[0].top.unwrap();
        let out = s.edit(&Op::AddChild { tree, parent: top, new: NewElement::Gate { gate: GateKind::And } }).unwrap();
        assert_eq!(out.view.undo_depth, 1);
        drop(s);
        let mut again = Session::new(dir.path().join("recent.json"));
        let view = again.open_or_create(&path, || panic!("must not seed an existing file")).unwrap();
        assert_eq!(view.project, out.view.project, "the edit persisted");
        assert_eq!(view.undo_depth, 1);
        let (label, view) = again.undo().unwrap();
        assert!(label.unwrap().starts_with("Add AND gate"));
        assert_eq!(view.project, seeded());
    }

    #[test]
    fn a_refused_op_changes_nothing_and_names_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::new(dir.path().join("recent.json"));
        let view = s.open_or_create(&dir.path().join("p.faultline"), seeded).unwrap();
        let tree = view.project.fault_trees[0].id;
        let top = view.project.fault_trees[0].top.unwrap();
        let err = s.edit(&Op::Delete { tree, element: top, parent: None }).unwrap_err();
        assert!(err.to_string().contains("top event"), "{err}");
        assert_eq!(s.view().unwrap().project, seeded());
        assert_eq!(s.view().unwrap().undo_depth, 0);
    }

    #[test]
    fn a_damaged_default_file_is_reported_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("default.faultline");
        std::fs::write(&path, b"not a database at all, but someone's notes").unwrap();
        let mut s = Session::new(dir.path().join("recent.json"));
        let err = s.open_or_create(&path, seeded).unwrap_err();
        assert!(err.to_string().contains("default.faultline"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"not a database at all, but someone's notes");
    }

    #[test]
    fn save_as_continues_on_the_copy_and_new_and_open_update_recent() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::new(dir.path().join("recent.json"));
        let a = dir.path().join("a.faultline");
        let view = s.open_or_create(&a, seeded).unwrap();
        let tree = view.project.fault_trees[0].id;
        let b = dir.path().join("b.faultline");
        let view = s.save_as(&b, false).unwrap();
        assert!(view.path.ends_with("b.faultline"));
        s.edit(&Op::RenameDocument { kind: ops::DocKind::FaultTree, id: tree.0, name: "OnlyInB".into() }).unwrap();
        assert!(matches!(s.save_as(&a, false), Err(SessionError::Store(StoreError::Exists { .. }))));
        let c = dir.path().join("c.faultline");
        let view = s.create(&c, &Project::new("empty")).unwrap();
        assert!(view.project.fault_trees.is_empty());
        assert_eq!(view.recent.len(), 3);
        assert!(view.recent[0].ends_with("c.faultline") && view.recent[1].ends_with("b.faultline"));
        let view = s.open(&a).unwrap();
        assert!(view.project.fault_trees.iter().all(|t| t.name != "OnlyInB"), "a is untouched by edits made in b");
        let view = s.open(&b).unwrap();
        assert!(view.project.fault_trees.iter().any(|t| t.name == "OnlyInB"));
        // Overwrite replaces an existing file that is not open.
        let view = s.save_as(&c, true).unwrap();
        assert!(view.project.fault_trees.iter().any(|t| t.name == "OnlyInB"));
    }

    #[test]
    fn a_second_session_on_the_same_file_is_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.faultline");
        let mut first = Session::new(dir.path().join("recent.json"));
        first.open_or_create(&path, seeded).unwrap();
        let mut second = Session::new(dir.path().join("recent2.json"));
        let view = second.open(&path).unwrap();
        assert!(view.read_only.is_some());
        let err = second.edit(&Op::CreateTree { name: "X".into() }).unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
    }

    #[test]
    fn recent_list_survives_garbage_and_drops_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("recent.json");
        std::fs::write(&list, "{ not json").unwrap();
        let r = RecentFiles::new(&list);
        assert!(r.list().is_empty());
        let f = dir.path().join("x.faultline");
        std::fs::write(&f, "").unwrap();
        r.push(&f);
        r.push(&dir.path().join("gone.faultline"));
        assert_eq!(r.list(), vec![f.display().to_string()]);
    }

    #[test]
    fn nothing_open_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::new(dir.path().join("recent.json"));
        assert!(matches!(s.view(), Err(SessionError::NoProject)));
        assert!(matches!(s.undo(), Err(SessionError::NoProject)));
        assert!(matches!(s.edit(&Op::CreateTree { name: "T".into() }), Err(SessionError::NoProject)));
    }
}
