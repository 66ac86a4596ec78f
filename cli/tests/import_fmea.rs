//! `faultline import fmea` puts a worksheet into a project file, and a bad CSV leaves the project unchanged.

use std::path::Path;
use std::process::{Command, Output};

fn faultline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faultline")).args(args).output().expect("the faultline binary runs")
}

fn project_json(project: &Path, out: &Path) -> serde_json::Value {
    let o = faultline(&["export", "json", project.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

#[test]
fn import_fmea_adds_a_worksheet_and_rejects_a_bad_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.faultline");
    let good = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fmea_pump.csv");
    let bad = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fmea_bad.csv");
    let o = faultline(&["import", "fmea", good, "--into", project.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json = project_json(&project, &dir.path().join("a.json"));
    let sheets = json["fmea"].as_array().unwrap();
    assert_eq!(sheets.len(), 1);
    let rows = sheets[0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "every good row is kept");
    assert_eq!(rows[0]["failure_mode"], "Seal leaks");
    assert_eq!(rows[1]["severity"], 9);

    let o = faultline(&["import", "fmea", bad, "--into", project.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("row") && !err.contains("panicked"), "{err}");
    let after = project_json(&project, &dir.path().join("b.json"));
    assert_eq!(after, json, "a rejected file changes nothing");
}
