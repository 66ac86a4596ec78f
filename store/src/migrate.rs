//! Schema versions of the project file and the migrations between them.
//!
//! Version 1: `project(id, json)` and `snapshots(name, taken_at, json)` (names not unique, no undo history).
//! Version 2 (current): adds `history` (the undo/redo log) and `meta`, and gives snapshots an id and unique
//! names (duplicates of version 1 are renamed `name (2)`, `name (3)`, ... in the order they were taken).

use crate::{sql, Result, SCHEMA_VERSION};
use rusqlite::{params, Connection};
use std::path::Path;

/// The current schema, as created for a new file.
pub(crate) const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE project (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
CREATE TABLE history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL,
    tx TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
);
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    taken_at TEXT NOT NULL,
    json TEXT NOT NULL
);
";

/// Migrates `conn` from schema `from` to [`SCHEMA_VERSION`], one version at a time, in one transaction.
pub(crate) fn migrate(conn: &Connection, path: &Path, from: i32) -> Result<()> {
    let e = sql(path);
    conn.execute_batch("BEGIN IMMEDIATE").map_err(&e)?;
    let result = (|| {
        let mut version = from;
        while version < SCHEMA_VERSION {
            match version {
                1 => v1_to_v2(conn, path)?,
                _ => unreachable!("inspect() refuses versions below 1"),
            }
            version += 1;
            conn.pragma_update(None, "user_version", version).map_err(&e)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT").map_err(&e)?,
        Err(err) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(err);
        }
    }
    // Put the new version into the main file's header right away.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).map_err(&e)?;
    Ok(())
}

fn v1_to_v2(conn: &Connection, path: &Path) -> Result<()> {
    let e = sql(path);
    conn.execute_batch(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE history (
             seq INTEGER PRIMARY KEY AUTOINCREMENT,
             label TEXT NOT NULL,
             tx TEXT NOT NULL,
             undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
         );
         CREATE TABLE snapshots_v2 (
             id INTEGER PRIMARY KEY,
             name TEXT NOT NULL UNIQUE,
             taken_at TEXT NOT NULL,
             json TEXT NOT NULL
         );",
    )
    .map_err(&e)?;
    let old: Vec<(String, String, String)> = {
        let mut stmt = conn.prepare("SELECT name, taken_at, json FROM snapshots ORDER BY taken_at, rowid").map_err(&e)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map_err(&e)?;
        rows.collect::<std::result::Result<_, _>>().map_err(&e)?
    };
    let mut used = std::collections::HashSet::new();
    for (name, taken_at, json) in old {
        let mut unique = name.clone();
        let mut n = 2;
        while !used.insert(unique.clone()) {
            unique = format!("{name} ({n})");
            n += 1;
        }
        conn.execute("INSERT INTO snapshots_v2 (name, taken_at, json) VALUES (?1, ?2, ?3)", params![unique, taken_at, json])
            .map_err(&e)?;
    }
    conn.execute_batch(
        "DROP TABLE snapshots;
         ALTER TABLE snapshots_v2 RENAME TO snapshots;
         INSERT INTO meta (key, value) VALUES ('migrated_from', '1');",
    )
    .map_err(&e)?;
    Ok(())
}
