//! The project subcommands, run as the built binary: new, import, export json, snapshot, diff.

mod common;

use common::{fails, ok};
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn project_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn new_creates_an_empty_or_seeded_project_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.faultline");
    assert!(ok(&["new", s(&empty)]).contains("0 fault trees"));
    let seeded = dir.path().join("seeded.faultline");
    assert!(ok(&["new", s(&seeded), "--samples", "--name", "Incidents"]).contains("10 fault trees"));
    let before = std::fs::read(&empty).unwrap();
    let err = fails(&["new", s(&empty), "--samples"]);
    assert!(err.contains("empty.faultline") && err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&empty).unwrap(), before);

    let out = dir.path().join("seeded.json");
    ok(&["export", "json", s(&seeded), "-o", s(&out)]);
    let v = project_json(&out);
    assert_eq!(v["name"], "Incidents");
    assert_eq!(v["fault_trees"].as_array().unwrap().len(), 10);
}

#[test]
fn json_export_import_round_trip_is_lossless() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.faultline");
    ok(&["new", s(&a), "--samples"]);
    let a_json = dir.path().join("a.json");
    ok(&["export", "json", s(&a), "-o", s(&a_json)]);
    let b = dir.path().join("b.faultline");
    assert!(ok(&["import", "json", s(&a_json), "--into", s(&b)]).contains("Created"));
    let b_json = dir.path().join("b.json");
    ok(&["export", "json", s(&b), "-o", s(&b_json)]);
    assert_eq!(std::fs::read_to_string(&a_json).unwrap(), std::fs::read_to_string(&b_json).unwrap());
    // And the JSON is the samples project itself.
    let expected = faultline_models::project::Project { name: "a".into(), ..faultline_models::samples::default_project() };
    let read: faultline_models::project::Project = serde_json::from_value(project_json(&a_json)).unwrap();
    assert_eq!(read, expected);
}

#[test]
fn import_merges_into_an_existing_project_and_diff_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.faultline");
    ok(&["new", s(&p), "--samples"]);
    ok(&["snapshot", s(&p), "--name", "before"]);
    let err = fails(&["snapshot", s(&p), "--name", "before"]);
    assert!(err.contains("already exists"), "{err}");

    let mef = dir.path().join("pumps.xml");
    std::fs::write(
        &mef,
        r#"<?xml version="1.0"?>
<opsa-mef>
  <define-fault-tree name="Pumps">
    <define-gate name="NoFlow">
      <and><basic-event name="PumpA"/><basic-event name="PumpB"/></and>
    </define-gate>
  </define-fault-tree>
  <model-data>
    <define-basic-event name="PumpA"><float value="0.1"/></define-basic-event>
    <define-basic-event name="PumpB"><float value="0.2"/></define-basic-event>
  </model-data>
</opsa-mef>
"#,
    )
    .unwrap();
    ok(&["import", "mef", s(&mef), "--into", s(&p)]);
    let err = fails(&["import", "mef", s(&mef), "--into", s(&p)]);
    assert!(err.contains("Pumps") && err.contains("already has a fault tree"), "{err}");
    ok(&["snapshot", s(&p), "--name", "after"]);
    let list = ok(&["snapshot", s(&p), "--list"]);
    assert!(list.contains("before") && list.contains("after"), "{list}");

    let text = ok(&["diff", s(&p), "before", "after"]);
    assert!(text.contains("added    fault_trees #11 \"Pumps\""), "{text}");
    assert!(text.contains("Pumps: (absent) -> 1 MCS, P(top) = 2.0000e-2"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&ok(&["diff", s(&p), "before", "after", "--json"])).unwrap();
    assert_eq!(json["documents"].as_array().unwrap().len(), 1);
    assert!(ok(&["diff", s(&p), "after", "@current"]).contains("No changes."));
    let err = fails(&["diff", s(&p), "before", "nope"]);
    assert!(err.contains("p.faultline") && err.contains("nope"), "{err}");
}

#[test]
fn bad_inputs_fail_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"fault_trees\": [\n    {\"id\": 1,}\n  ]\n}\n").unwrap();
    let p = dir.path().join("p.faultline");
    let err = fails(&["import", "json", s(&bad), "--into", s(&p)]);
    assert!(err.contains("bad.json") && err.contains("line 3"), "{err}");
    assert!(!p.exists(), "no project is created from a file that could not be read");

    let text = dir.path().join("notes.faultline");
    std::fs::write(&text, "not a project").unwrap();
    let err = fails(&["export", "json", s(&text), "-o", s(&dir.path().join("o.json"))]);
    assert!(err.contains("notes.faultline") && err.contains("not a Faultline project"), "{err}");
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "not a project");

    let err = fails(&["diff", s(&dir.path().join("missing.faultline")), "a", "b"]);
    assert!(err.contains("missing.faultline"), "{err}");
}
