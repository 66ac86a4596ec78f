//! The project file's behaviour: autosave, undo/redo across restarts, snapshots, one writer, bad files.

use faultline_models::fault_tree::{FaultTree, GateKind, TreeId};
use faultline_models::project::Project;
use faultline_store::{Store, StoreError};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use time::macros::datetime;

fn tree(id: u32, name: &str) -> FaultTree {
    let mut t = FaultTree::new(TreeId(id), name);
    let a = t.add_basic("A", 0.1);
    let b = t.add_basic("B", 0.2);
    let top = t.add_gate("Top", GateKind::Or, vec![a, b]);
    t.top = Some(top);
    t
}

fn hash_file(path: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    std::fs::read(path).unwrap().hash(&mut h);
    h.finish()
}

#[test]
fn edits_undo_and_redo_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.faultline");
    let mut store = Store::create(&path, &Project::new("P")).unwrap();
    assert!(matches!(Store::create(&path, &Project::new("P")), Err(StoreError::Exists { .. })));
    store.edit("Add tree T1", |p| p.fault_trees.push(tree(1, "T1"))).unwrap();
    store.edit("Add tree T2", |p| p.fault_trees.push(tree(2, "T2"))).unwrap();
    store.edit("Rename T1", |p| p.fault_trees[0].name = "Pumps".into()).unwrap();
    assert!(!store.edit("Nothing", |_| {}).unwrap());
    assert_eq!(store.undo_depth().unwrap(), 3);
    assert_eq!(store.undo().unwrap().as_deref(), Some("Rename T1"));
    let after_undo = store.project().clone();
    drop(store);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.project(), &after_undo);
    assert_eq!((store.undo_depth().unwrap(), store.redo_depth().unwrap()), (2, 1));
    assert_eq!(store.redo().unwrap().as_deref(), Some("Rename T1"));
    assert_eq!(store.project().fault_trees[0].name, "Pumps");
    assert_eq!(store.undo().unwrap().as_deref(), Some("Rename T1"));
    assert_eq!(store.undo().unwrap().as_deref(), Some("Add tree T2"));
    assert_eq!(store.undo().unwrap().as_deref(), Some("Add tree T1"));
    assert_eq!(store.undo().unwrap(), None);
    assert_eq!(store.project(), &Project::new("P"));
    // A new edit clears the redo history.
    store.edit("Rename project", |p| p.name = "Q".into()).unwrap();
    assert_eq!(store.redo().unwrap(), None);
    assert_eq!(store.integrity_check().unwrap(), ["ok"]);
}

#[test]
fn snapshots_and_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.faultline");
    let mut store = Store::create(&path, &Project::new("P")).unwrap();
    store.snapshot("empty", datetime!(2025-01-01 09:00 UTC)).unwrap();
    store.edit("Add", |p| p.fault_trees.push(tree(1, "T1"))).unwrap();
    store.snapshot("one tree", datetime!(2025-01-02 09:00 UTC)).unwrap();
    assert!(matches!(store.snapshot("empty", datetime!(2025-01-03 09:00 UTC)), Err(StoreError::SnapshotExists { .. })));
    let list = store.snapshots().unwrap();
    assert_eq!(list.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["empty", "one tree"]);
    assert_eq!(list[1].taken_at, datetime!(2025-01-02 09:00 UTC));
    assert_eq!(store.snapshot_project("empty").unwrap(), Project::new("P"));
    assert_eq!(store.snapshot_project("one tree").unwrap().fault_trees.len(), 1);
    let err = store.snapshot_project("nope").unwrap_err();
    assert!(err.to_string().contains("p.faultline") && err.to_string().contains("nope"), "{err}");

    let copy = dir.path().join("copy.faultline");
    store.save_as(&copy).unwrap();
    let mut other = Store::open(&copy).unwrap();
    assert_eq!(other.project(), store.project());
    assert_eq!(other.snapshots().unwrap().len(), 2);
    assert_eq!(other.undo().unwrap().as_deref(), Some("Add"));
    assert!(other.project().fault_trees.is_empty());
    assert_eq!(store.project().fault_trees.len(), 1, "the original is independent of its copy");
}

#[test]
fn second_open_is_read_only_until_the_writer_closes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.faultline");
    let mut writer = Store::create(&path, &Project::new("P")).unwrap();
    let mut viewer = Store::open(&path).unwrap();
    let reason = viewer.read_only().expect("the second instance is read-only").to_string();
    assert!(reason.contains("another"), "{reason}");
    let err = viewer.edit("Rename", |p| p.name = "X".into()).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("shared.faultline"), "{err}");
    assert!(matches!(viewer.undo(), Err(StoreError::ReadOnly { .. })));

    // The viewer follows the writer's committed edits.
    writer.edit("Rename", |p| p.name = "Written".into()).unwrap();
    viewer.reload().unwrap();
    assert_eq!(viewer.project().name, "Written");

    drop(writer);
    drop(viewer);
    let reopened = Store::open(&path).unwrap();
    assert!(reopened.read_only().is_none(), "the lock is released on drop");
}

#[test]
fn not_a_project_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.faultline");
    std::fs::write(&text, "just some notes\n".repeat(100)).unwrap();
    let h = hash_file(&text);
    let err = Store::open(&text).unwrap_err();
    assert!(matches!(err, StoreError::NotAProject { .. }), "{err}");
    assert!(err.to_string().contains("notes.faultline") && err.to_string().contains("not an SQLite"), "{err}");
    assert_eq!(hash_file(&text), h);

    let empty = dir.path().join("empty.faultline");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(Store::open(&empty), Err(StoreError::NotAProject { .. })));
    assert_eq!(std::fs::read(&empty).unwrap(), b"");

    // Another application's SQLite database.
    let other = dir.path().join("other.faultline");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    }
    let h = hash_file(&other);
    let err = Store::open(&other).unwrap_err();
    assert!(matches!(err, StoreError::NotAProject { .. }), "{err}");
    assert!(err.to_string().contains("another application"), "{err}");
    assert_eq!(hash_file(&other), h);

    let missing = Store::open(dir.path().join("missing.faultline")).unwrap_err();
    assert!(matches!(missing, StoreError::Io { .. }) && missing.to_string().contains("missing.faultline"));
}

#[test]
fn damaged_project_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.faultline");
    {
        let mut s = Store::create(&path, &Project::new("P")).unwrap();
        for i in 1..=40 {
            s.edit("Add", |p| p.fault_trees.push(tree(i, &format!("T{i}")))).unwrap();
        }
    }
    // Fold the WAL into the main file so the damage below hits committed data.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let good = std::fs::read(&path).unwrap();
    assert!(good.len() > 4096 * 3);

    // Truncated in the middle of a page.
    let truncated = dir.path().join("truncated.faultline");
    std::fs::write(&truncated, &good[..good.len() / 2 + 100]).unwrap();
    // Garbage over every page after the first (header and schema intact).
    let garbled = dir.path().join("garbled.faultline");
    let mut g = good.clone();
    for (i, b) in g.iter_mut().enumerate().skip(4096) {
        *b = (i * 7 + 13) as u8;
    }
    std::fs::write(&garbled, &g).unwrap();
    // Header only.
    let header = dir.path().join("header.faultline");
    std::fs::write(&header, &good[..60]).unwrap();

    for bad in [&truncated, &garbled, &header] {
        let h = hash_file(bad);
        let err = Store::open(bad).expect_err("a damaged file must not open");
        assert!(
            matches!(err, StoreError::Corrupt { .. } | StoreError::NotAProject { .. }),
            "{}: {err}",
            bad.display()
        );
        let name = bad.file_name().unwrap().to_string_lossy().into_owned();
        assert!(err.to_string().contains(&name), "{err}");
        assert_eq!(hash_file(bad), h, "{} was changed", bad.display());
        assert!(!bad.with_extension("faultline-wal").exists() || std::fs::metadata(bad.with_extension("faultline-wal")).unwrap().len() == 0);
    }
    // The intact file still opens.
    assert_eq!(Store::open(&path).unwrap().project().fault_trees.len(), 40);
}
