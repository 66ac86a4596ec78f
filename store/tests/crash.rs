//! The crash test: a writer process applies numbered edits and prints each edit's number once `apply` has
//! returned; the test kills it with SIGKILL at random moments (60 runs) and after every kill checks that the
//! file opens, passes `PRAGMA integrity_check` and holds every acknowledged edit.
//!
//! The writer is this same test binary running the ignored test [`crash_writer_child`] (so no extra binary is
//! shipped); it is only meaningful when started by [`killed_writer_never_loses_an_acknowledged_edit`].

use faultline_models::fault_tree::{FaultTree, TreeId};
use faultline_models::project::Project;
use faultline_store::Store;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FILE_ENV: &str = "FAULTLINE_CRASH_TEST_FILE";

/// The writer (runs only when the crash test starts it): opens the file and applies edits 1, 2, 3, ... after
/// the ones already there, each adding the fault tree with that id, printing `ack N` after each commit.
#[test]
#[ignore]
fn crash_writer_child() {
    let Ok(path) = std::env::var(FILE_ENV) else { return };
    let mut store = Store::open(&path).expect("the writer opens the file");
    assert!(store.read_only().is_none(), "the writer must be the only writer");
    let mut n = store.project().fault_trees.len() as u32;
    let out = std::io::stdout();
    loop {
        n += 1;
        store
            .edit(&format!("edit {n}"), |p| {
                let mut t = FaultTree::new(TreeId(n), format!("T{n}"));
                let e = t.add_basic("E", 0.5);
                t.top = Some(e);
                p.fault_trees.push(t);
            })
            .expect("edit commits");
        let mut lock = out.lock();
        writeln!(lock, "ack {n}").unwrap();
        lock.flush().unwrap();
    }
}

/// xorshift64*: a small deterministic generator, seeded from the clock (the seed is printed on failure).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn killed_writer_never_loses_an_acknowledged_edit() {
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut path = dir.path().join("crash-0.faultline");
    let mut kills_mid_run = 0;
    for run in 0..60 {
        if run % 10 == 0 {
            // A fresh file every 10 runs keeps the project (and the test) small.
            path = dir.path().join(format!("crash-{run}.faultline"));
            drop(Store::create(&path, &Project::new("crash")).unwrap());
        }
        let mut child = Command::new(&exe)
            .args(["crash_writer_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env(FILE_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let last_ack = Arc::new(AtomicU32::new(0));
        let seen = last_ack.clone();
        let (first_tx, first_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("ack ") {
                    seen.store(n.trim().parse().unwrap(), Ordering::SeqCst);
                    let _ = first_tx.send(());
                }
            }
        });
        // Kill at a random moment: every sixth run while it starts up and opens the file, otherwise at a
        // random point after its first acknowledged edit (the machine may be slow to start processes).
        if run % 6 != 5 {
            let _ = first_rx.recv_timeout(Duration::from_secs(20));
        }
        std::thread::sleep(Duration::from_micros(rng.next() % 20_000));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let acked = last_ack.load(Ordering::SeqCst);
        let store = Store::open(&path).unwrap_or_else(|e| panic!("seed {seed}, run {run}: reopening failed: {e}"));
        assert!(store.read_only().is_none(), "seed {seed}, run {run}: the killed writer's lock was released");
        assert_eq!(store.integrity_check().unwrap(), ["ok"], "seed {seed}, run {run}");
        let ids: Vec<u32> = store.project().fault_trees.iter().map(|t| t.id.0).collect();
        let m = ids.len() as u32;
        assert_eq!(ids, (1..=m).collect::<Vec<_>>(), "seed {seed}, run {run}: edits are whole and in order");
        assert!(m >= acked, "seed {seed}, run {run}: edit {acked} was acknowledged but the file holds {m}");
        assert_eq!(store.undo_depth().unwrap(), m as usize, "seed {seed}, run {run}: one history entry per edit");
        if acked > 0 {
            kills_mid_run += 1;
        }
    }
    assert!(kills_mid_run >= 40, "only {kills_mid_run} of 60 kills happened after some edits were acknowledged");
    eprintln!("60 kills in {:?} (seed {seed})", started.elapsed());
}
