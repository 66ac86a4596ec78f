//! Migration of the checked-in schema-1 file `tests/fixtures/project-v1.faultline` to the current schema.
//!
//! The fixture is written by [`write_schema_v1_fixture`] (run it with
//! `cargo test --release -p faultline-store --test migration -- --ignored write_schema_v1_fixture`), which keeps
//! the exact schema-1 layout of the file here as SQL; the binary file is committed so the test reads a file
//! made once, the way a user's old file was.

use faultline_models::fault_tree::{FaultTree, GateKind, TreeId};
use faultline_models::project::Project;
use faultline_store::{Store, StoreError, APPLICATION_ID, SCHEMA_VERSION};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project-v1.faultline")
}

fn v1_project() -> Project {
    let mut t = FaultTree::new(TreeId(1), "PumpSystem");
    let a = t.add_basic("PumpA", 0.01);
    let b = t.add_basic("PumpB", 0.02);
    let top = t.add_gate("BothPumpsFail", GateKind::And, vec![a, b]);
    t.top = Some(top);
    Project { fault_trees: vec![t], ..Project::new("Legacy plant") }
}

/// Regenerates the schema-1 fixture (ignored: the committed file is the fixture).
#[test]
#[ignore]
fn write_schema_v1_fixture() {
    let path = fixture();
    let _ = std::fs::remove_file(&path);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE project (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
         CREATE TABLE snapshots (name TEXT NOT NULL, taken_at TEXT NOT NULL, json TEXT NOT NULL);",
    )
    .unwrap();
    let project = v1_project();
    let json = serde_json::to_string(&project).unwrap();
    conn.execute("INSERT INTO project (id, json) VALUES (1, ?1)", [&json]).unwrap();
    let mut older = project.clone();
    older.name = "Legacy plant (draft)".into();
    let older = serde_json::to_string(&older).unwrap();
    for (name, at, json) in
        [("baseline", "2024-01-05T10:00:00Z", &older), ("baseline", "2024-02-01T09:30:00Z", &json), ("audit", "2024-03-01T00:00:00Z", &json)]
    {
        conn.execute("INSERT INTO snapshots (name, taken_at, json) VALUES (?1, ?2, ?3)", [name, at, json]).unwrap();
    }
    conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.close().unwrap();
}

#[test]
fn schema_1_file_is_backed_up_then_migrated() {
    let original = std::fs::read(fixture()).expect("the checked-in fixture");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.faultline");
    std::fs::write(&path, &original).unwrap();

    let mut store = Store::open(&path).unwrap();
    assert!(store.read_only().is_none());
    assert_eq!(store.project(), &v1_project());
    let backup = store.backup().expect("a backup was written").to_path_buf();
    assert_eq!(backup, dir.path().join("legacy.v1-backup.faultline"));

    // Snapshot names became unique, oldest keeping the name.
    let names: Vec<String> = store.snapshots().unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["baseline", "baseline (2)", "audit"]);
    assert_eq!(store.snapshot_project("baseline").unwrap().name, "Legacy plant (draft)");
    assert_eq!(store.snapshot_project("baseline (2)").unwrap().name, "Legacy plant");

    // The new undo history works on the migrated file.
    assert_eq!(store.undo_depth().unwrap(), 0);
    assert!(store.edit("Rename", |p| p.name = "Migrated".into()).unwrap());
    assert_eq!(store.undo().unwrap().as_deref(), Some("Rename"));
    assert_eq!(store.project().name, "Legacy plant");
    drop(store);

    let conn = Connection::open(&path).unwrap();
    let v: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    drop(conn);

    // The backup is still a schema-1 file with the same content.
    let b = Connection::open_with_flags(&backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let v: i32 = b.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, 1);
    let n: i64 = b.query_row("SELECT COUNT(*) FROM snapshots WHERE name = 'baseline'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
    drop(b);

    // Reopening does not migrate (or back up) again, and the redo entry survived the restart.
    let mut store = Store::open(&path).unwrap();
    assert!(store.backup().is_none());
    assert_eq!(store.redo().unwrap().as_deref(), Some("Rename"));
    assert_eq!(store.project().name, "Migrated");
    assert_eq!(std::fs::read(fixture()).unwrap(), original, "the fixture itself is never touched");
}

#[test]
fn newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.faultline");
    drop(Store::create(&path, &v1_project()).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found, .. } if found == SCHEMA_VERSION + 1), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("future.faultline") && msg.contains("newer Faultline"), "{msg}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
