//! Runs the built `faultline` binary: `export risk-register` and `chart` on fixture files.

use faultline_models::fault_tree::{FaultTree, GateKind, TreeId};
use faultline_models::fmea::{EventLink, Rating, RatingKind, Row, Worksheet, WorksheetId};
use faultline_models::project::Project;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A fresh, empty directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("faultline-fmea-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn faultline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faultline")).args(args).output().expect("run faultline")
}

fn ok(out: &Output) {
    assert!(out.status.success(), "status {:?}, stderr: {}", out.status, String::from_utf8_lossy(&out.stderr));
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn register_csv_from_an_fmea_csv() {
    let dir = scratch("csv");
    let out_path = dir.join("register.csv");
    let out = faultline(&[
        "export",
        "risk-register",
        s(&fixture("fmea_pump.csv")),
        "--format",
        "csv",
        "-o",
        s(&out_path),
        "--today",
        "2026-11-21",
    ]);
    ok(&out);
    let text = std::fs::read_to_string(&out_path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Risk ID,Title,Category,Cause,Consequence,Severity,Occurrence,Detection,RPN,AP,"));
    assert_eq!(lines.len(), 5, "{text}");
    // Ranked by AP: the valve (9/7/6, H) first; the motor (S10/O1) is L, not H.
    assert!(lines[1].starts_with("FMEA-1-2,Valve: Fails closed,FMEA: fmea_pump,Debris in line,No flow,9,7,6,378,H,Bo,"), "{}", lines[1]);
    let motor = lines.iter().find(|l| l.contains("Motor: Overheats")).unwrap();
    assert!(motor.contains(",10,1,9,90,L,"), "{motor}");
    assert!(motor.ends_with(",2026-11-21"), "{motor}");
}

#[test]
fn register_xlsx_is_a_real_workbook() {
    use calamine::{Data, Reader, Xlsx};
    let dir = scratch("xlsx");
    let out_path = dir.join("register.xlsx");
    ok(&faultline(&["export", "risk-register", s(&fixture("fmea_pump.csv")), "--format", "xlsx", "-o", s(&out_path)]));
    let mut book: Xlsx<_> = calamine::open_workbook(&out_path).unwrap();
    let range = book.worksheet_range("Risk register").unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("Risk ID".into())));
    assert_eq!(range.get((1, 0)), Some(&Data::String("FMEA-1-2".into())));
    assert_eq!(range.get((1, 8)), Some(&Data::Float(378.0)));
    assert_eq!(range.get((1, 9)), Some(&Data::String("H".into())));
    assert_eq!(range.get_size().0, 5);
}

fn project_json(dir: &Path) -> PathBuf {
    let r = |v| Rating::new(RatingKind::Rating, v).unwrap();
    let mut p = Project::new("plant");
    let mut t = FaultTree::new(TreeId(4), "cooling");
    let pump = t.add_basic("PUMP", 0.01);
    let valve = t.add_basic("VALVE", 0.05);
    let top = t.add_gate("TOP", GateKind::Or, vec![pump, valve]);
    t.top = Some(top);
    t.label = "Loss of cooling".into();
    p.fault_trees.push(t);
    let mut ws = Worksheet::new(WorksheetId(2), "Cooling DFMEA");
    let mut row = Row::new("PUMP", r(9), r(6), r(5));
    row.event = Some(EventLink { tree: TreeId(4), element: pump });
    ws.add_row(row);
    p.fmea.push(ws);
    let path = dir.join("plant.json");
    std::fs::write(&path, faultline_interchange::json::write_project(&p)).unwrap();
    path
}

#[test]
fn register_from_a_json_project_lists_top_events_with_probability() {
    let dir = scratch("json");
    let input = project_json(&dir);
    let out_path = dir.join("register.csv");
    ok(&faultline(&["export", "risk-register", s(&input), "--format", "csv", "-o", s(&out_path), "--today", "2026-11-21"]));
    let text = std::fs::read_to_string(&out_path).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "FMEA-2-1");
    assert_eq!(&rows[0][20], "cooling / PUMP");
    assert_eq!(&rows[0][21], "1e-2");
    assert_eq!(&rows[1][0], "FT-4");
    assert_eq!(&rows[1][1], "Loss of cooling");
    let p: f64 = rows[1][21].parse().unwrap();
    assert!((p - (1.0 - 0.99 * 0.95)).abs() < 1e-12, "{p}");
    assert!(rows[1][3].starts_with("2 minimal cut set(s); most probable: {VALVE} 5.000e-2; {PUMP} 1.000e-2"), "{}", &rows[1][3]);
}

#[test]
fn a_bad_fmea_csv_is_rejected_with_every_problem() {
    let dir = scratch("bad");
    let out_path = dir.join("register.csv");
    let out = faultline(&["export", "risk-register", s(&fixture("fmea_bad.csv")), "--format", "csv", "-o", s(&out_path)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "faultline: {}: the FMEA CSV has 3 problem(s):\n  \
             row 2, column Severity: severity must be 1..10, got 11\n  \
             row 3, column Detection: expected a whole number 1..10, got \"six\"\n  \
             row 3, column Failure Mode: missing value (every row needs a failure mode)",
            fixture("fmea_bad.csv").display()
        )
    );
    assert!(!out_path.exists(), "nothing is written for a rejected file");
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn charts_to_svg_and_png() {
    let dir = scratch("charts");
    let input = fixture("fmea_pump.csv");
    for (kind, title) in [
        ("rpn-pareto", "RPN Pareto"),
        ("risk-matrix", "S × O risk matrix"),
        ("ap", "Action Priority before and after actions"),
    ] {
        let svg = dir.join(format!("{kind}.svg"));
        ok(&faultline(&["chart", kind, s(&input), "-o", s(&svg)]));
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.starts_with("<svg") && text.contains(title), "{kind}");
        let png = dir.join(format!("{kind}.png"));
        ok(&faultline(&["chart", kind, s(&input), "-o", s(&png)]));
        assert_eq!(png_size(&std::fs::read(&png).unwrap()), (1200, 800), "{kind}");
    }
}

#[test]
fn chart_errors_are_clear() {
    let dir = scratch("chart-errors");
    let input = fixture("fmea_pump.csv");
    let out = faultline(&["chart", "ap", s(&input), "-o", s(&dir.join("x.jpg"))]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        format!("faultline: {}: the output must end in .svg or .png", dir.join("x.jpg").display())
    );
    let out = faultline(&["chart", "ap", s(&input), "--sheet", "Nope", "-o", s(&dir.join("x.svg"))]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        format!("faultline: {}: no FMEA worksheet named \"Nope\" (worksheets: fmea_pump)", input.display())
    );
    let missing = dir.join("missing.csv");
    let out = faultline(&["chart", "ap", s(&missing), "-o", s(&dir.join("x.svg"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(&format!("faultline: {}: ", missing.display())));
}
