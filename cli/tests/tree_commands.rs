//! `faultline export tree` and `faultline bench-editor`, run as the built binary.

mod common;

use common::{fails, ok};
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const MEF: &str = r#"<?xml version="1.0"?>
<opsa-mef>
  <define-fault-tree name="Cooling">
    <define-gate name="NoCooling">
      <or><gate name="NoFlow"/><gate name="NoPower"/></or>
    </define-gate>
    <define-gate name="NoFlow">
      <and><basic-event name="PumpA"/><basic-event name="PumpB"/></and>
    </define-gate>
    <define-gate name="NoPower">
      <and><basic-event name="Grid"/><basic-event name="PumpA"/></and>
    </define-gate>
  </define-fault-tree>
  <model-data>
    <define-basic-event name="PumpA"><float value="0.001"/></define-basic-event>
    <define-basic-event name="PumpB"><float value="0.002"/></define-basic-event>
    <define-basic-event name="Grid"><float value="0.0001"/></define-basic-event>
  </model-data>
</opsa-mef>
"#;

/// A temporary folder holding `cooling.xml` (the MEF model above).
fn mef_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mef = dir.path().join("cooling.xml");
    std::fs::write(&mef, MEF).unwrap();
    (dir, mef)
}

#[test]
fn export_tree_from_mef_as_svg_with_a_highlighted_cut_set() {
    let (dir, mef) = mef_file();
    let out = dir.path().join("cooling.svg");
    ok(&["export", "tree", s(&mef), "--highlight", "PumpA,PumpB", "-o", s(&out)]);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"));
    for name in ["NoCooling", "NoFlow", "NoPower", "PumpA", "PumpB", "Grid"] {
        assert!(svg.contains(&format!("data-element=\"{name}\"")), "{name} not drawn");
    }
    assert!(svg.contains("p = 1.00e-3"), "probabilities under the events");
    // Highlighted: NoCooling, NoFlow, both PumpA and PumpB; not Grid. Without the flag, none.
    let hl: Vec<&str> = svg.split("<g class=\"node hl\" data-element=\"").skip(1).map(|r| &r[..r.find('"').unwrap()]).collect();
    assert_eq!(hl, ["NoCooling", "NoFlow", "PumpA", "PumpB", "NoPower", "PumpA"]);
    ok(&["export", "tree", s(&mef), "-o", s(&out)]);
    assert!(!std::fs::read_to_string(&out).unwrap().contains("node hl"));
    // SVG to standard output.
    assert!(ok(&["export", "tree", s(&mef), "-o", "-"]).contains("data-element=\"Grid\""));
}

#[test]
fn export_tree_from_a_project_as_png() {
    let (dir, mef) = mef_file();
    let project = dir.path().join("p.faultline");
    ok(&["new", s(&project)]);
    ok(&["import", "mef", s(&mef), "--into", s(&project)]);
    let out = dir.path().join("cooling.png");
    ok(&["export", "tree", s(&project), "--tree", "Cooling", "--collapse", "NoFlow,NoPower", "-o", s(&out)]);
    let png = std::fs::read(&out).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    // Both gates collapsed: two levels of two default nodes (140 × 110, 20 apart, levels 40 apart) in a 20 px
    // margin.
    assert_eq!((be(&png[16..20]), be(&png[20..24])), (2 * 140 + 20 + 40, 2 * 110 + 40 + 40));
}

#[test]
fn export_tree_reports_bad_arguments() {
    let (dir, mef) = mef_file();
    let out = dir.path().join("x.svg");
    assert!(fails(&["export", "tree", s(&mef), "--highlight", "PumpZ", "-o", s(&out)]).contains("--highlight PumpZ: no event or gate"));
    assert!(fails(&["export", "tree", s(&mef), "-o", s(&dir.path().join("x.pdf"))]).contains("must end in .svg or .png"));
    assert!(fails(&["export", "tree", s(&mef), "--tree", "Nope", "-o", s(&out)]).contains("--tree Nope"));
    assert!(fails(&["export", "tree", s(&dir.path().join("missing.xml")), "-o", s(&out)]).contains("missing.xml"));
    assert!(!out.exists());
}

#[test]
fn bench_editor_prints_a_row_per_size() {
    let out = ok(&["bench-editor", "--sizes", "40,80", "--runs", "1"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[1].contains("layout ms") && lines[1].contains("analyze ms"), "{out}");
    let sizes: Vec<&str> = lines[2..4].iter().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(sizes, ["40", "80"]);
}
