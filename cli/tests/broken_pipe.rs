//! `faultline analyze ... | head`: a reader that closes the pipe early ends the command quietly, never with
//! a panic message.

use faultline_models::fault_tree::{FaultTree, GateKind, TreeId};
use faultline_models::project::Project;
use std::io::Read;
use std::process::{Command, Stdio};

/// An AND of four ORs of ten events: 10,000 cut sets, a report far larger than a pipe's buffer.
fn big_report_model(dir: &std::path::Path) -> std::path::PathBuf {
    let mut t = FaultTree::new(TreeId(1), "Wide");
    let ors: Vec<_> = (0..4)
        .map(|g| {
            let events = (0..10).map(|e| t.add_basic(format!("E{g}_{e}"), 0.01)).collect();
            t.add_gate(format!("G{g}"), GateKind::Or, events)
        })
        .collect();
    t.top = Some(t.add_gate("Top", GateKind::And, ors));
    let mut p = Project::new("wide");
    p.fault_trees.push(t);
    let path = dir.join("wide.json");
    std::fs::write(&path, faultline_interchange::json::write_project(&p)).unwrap();
    path
}

#[test]
fn a_closed_pipe_ends_the_report_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let model = big_report_model(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_faultline"))
        .args(["analyze", model.to_str().unwrap(), "--max-cut-sets", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the faultline binary runs");
    // Read one byte, then close our end, as `head -c 1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    stdout.read_exact(&mut one).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(status.code(), Some(101), "a panic exits with 101: {stderr}");
}
