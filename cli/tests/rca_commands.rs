//! `faultline export postmortem`, `export actions`, `export fishbone`, `check` and `layers`, run as the built
//! binary on the checked-in RCA fixture.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../interchange/tests/fixtures/rca_checkout.json")
}

fn faultline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faultline")).args(args).output().expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn export_postmortem_markdown_matches_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pm.md");
    let o = faultline(&["export", "postmortem", fixture().to_str().unwrap(), "--id", "1", "--format", "md", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let expected = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../interchange/tests/fixtures/rca_checkout.md")).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    let o = faultline(&["export", "postmortem", fixture().to_str().unwrap(), "--id", "7", "-o", "-"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("no postmortem with id 7"), "{}", text(&o.stderr));
}

#[test]
fn export_actions_csv() {
    let o = faultline(&["export", "actions", fixture().to_str().unwrap(), "--postmortem", "1", "-o", "-"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let csv = text(&o.stdout);
    assert!(csv.starts_with("Title,Description,Assignee,Due Date,Priority,Status,Labels\n"));
    assert!(csv.contains("Add a canary stage for config changes"));
    assert!(!csv.contains("connection-pool"), "only postmortem 1's items");
}

#[test]
fn export_fishbone_png() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fb.png");
    let o = faultline(&["export", "fishbone", fixture().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(&std::fs::read(&out).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn check_fails_on_overdue_and_passes_when_done() {
    let f = fixture();
    // On 2026-11-21 action item 3 (due 2026-11-16) is overdue: a definition-of-done failure.
    let o = faultline(&["check", f.to_str().unwrap(), "--today", "2026-11-21"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(out.contains("FAIL Overdue: \"Checkout 500s after a config push\": action item 3"), "{out}");
    assert!(text(&o.stderr).contains("1 definition-of-done failure(s)"));
    // The blameless hint is printed but is not a failure.
    assert!(out.contains("blameless hint (went poorly 1): \"should have\""), "{out}");
    assert!(out.contains("recurring causes: Technology"), "{out}");
    assert!(out.contains("2026-11: 1 incident(s), MTTD 12 min, MTTR 47 min"), "{out}");
    // Before the due date everything is met.
    let o = faultline(&["check", f.to_str().unwrap(), "--today", "2026-11-10"]);
    assert!(o.status.success(), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("definition of done: met"));
    let o = faultline(&["check", f.to_str().unwrap(), "--today", "21/11/2026"]);
    assert_eq!(o.status.code(), Some(2), "clap rejects a bad date");
    assert!(text(&o.stderr).contains("is not a YYYY-MM-DD date"));
}

#[test]
fn layers_text_and_json() {
    let f = fixture();
    let o = faultline(&["layers", f.to_str().unwrap(), "--top", "CheckoutDown"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("{FailoverFails, PrimaryRegionDown}  P 1.0000e-4  depth 0  residual 1.0000e-4  ALIGNED HOLES"), "{out}");
    assert!(out.contains("{DbPoolExhausted}  P 2.0000e-3  depth 1  residual 4.0000e-4  single layer"), "{out}");
    let o = faultline(&["layers", f.to_str().unwrap(), "--top", "CheckoutUnavailable", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // {BadConfigPushed, ValidationSkipped}: 0.01 · (1−0.9)(1−0.8)(1−0.7) = 6e-5; + 4e-4 + 1e-4.
    let residual = v["residual_rare_event"].as_f64().unwrap();
    assert!((residual - (6e-5 + 4e-4 + 1e-4)).abs() < 1e-12, "{residual}");
    assert_eq!(v["aligned_holes"], 1);
    let o = faultline(&["layers", f.to_str().unwrap(), "--top", "Nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("no top event named \"Nope\" (fault trees: CheckoutUnavailable)"));
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format\": 1, \"postmortems\": [{\"id\": \"x\"}]}").unwrap();
    let o = faultline(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("bad.json"), "{}", text(&o.stderr));
}

#[test]
fn check_fails_on_a_link_that_does_not_resolve() {
    // The fixture with its defence layers put in front of a fault tree that does not exist.
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    let layer_set = &mut v["layer_sets"][0];
    layer_set["tree"] = serde_json::json!(999);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("broken.json");
    std::fs::write(&f, v.to_string()).unwrap();
    let o = faultline(&["check", f.to_str().unwrap(), "--today", "2026-11-10"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let out = text(&o.stdout);
    assert!(out.contains("broken link:") && out.contains("999"), "{out}");
    assert!(text(&o.stderr).contains("broken link(s)"), "{}", text(&o.stderr));
}
