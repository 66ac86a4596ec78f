use super::*;
use crate::fault_tree::{FaultTree, GateKind};
use time::macros::date;

fn r(v: i64) -> Rating {
    Rating::new(RatingKind::Rating, v).unwrap()
}

/// The issue's table, verbatim, parsed independently of `AP_TABLE`.
const ISSUE_TABLE: &str = "\
S 9–10:  O 8–10 HHHH | O 6–7 HHHH | O 4–5 HHHM | O 2–3 HMLL | O 1 LLLL
S 7–8:   O 8–10 HHHH | O 6–7 HHHM | O 4–5 HMMM | O 2–3 MMLL | O 1 LLLL
S 4–6:   O 8–10 HHMM | O 6–7 MMML | O 4–5 MLLL | O 2–3 LLLL | O 1 LLLL
S 2–3:   O 8–10 MMLL | every other O LLLL
S 1:     LLLL everywhere";

fn parse_range(text: &str) -> (u8, u8) {
    match text.split_once('–') {
        Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
        None => {
            let v = text.parse().unwrap();
            (v, v)
        }
    }
}

/// Expected AP per (s, o, d) from the issue text.
fn expected(s: u8, o: u8, d: u8) -> char {
    let d_index = match d {
        7..=10 => 0,
        5..=6 => 1,
        2..=4 => 2,
        _ => 3,
    };
    for line in ISSUE_TABLE.lines() {
        let (s_part, rest) = line.split_once(':').unwrap();
        let (lo, hi) = parse_range(s_part.trim_start_matches("S ").trim());
        if !(lo..=hi).contains(&s) {
            continue;
        }
        let rest = rest.trim();
        if rest == "LLLL everywhere" {
            return 'L';
        }
        for cell in rest.split(" | ") {
            if let Some(letters) = cell.strip_prefix("every other O ") {
                return letters.chars().nth(d_index).unwrap();
            }
            let cell = cell.strip_prefix("O ").unwrap();
            let (range, letters) = cell.rsplit_once(' ').unwrap();
            let (olo, ohi) = parse_range(range);
            if (olo..=ohi).contains(&o) {
                return letters.chars().nth(d_index).unwrap();
            }
        }
        panic!("no cell for S{s} O{o}");
    }
    panic!("no line for S{s}");
}

#[test]
fn ap_all_1000_cells_match_the_handbook_table() {
    let (mut h, mut m, mut l) = (0, 0, 0);
    for s in 1..=10 {
        for o in 1..=10 {
            for d in 1..=10 {
                let got = action_priority(r(s), r(o), r(d));
                let want = expected(s as u8, o as u8, d as u8);
                assert_eq!(got.letter().chars().next().unwrap(), want, "S{s} O{o} D{d}");
                match got {
                    Ap::High => h += 1,
                    Ap::Medium => m += 1,
                    Ap::Low => l += 1,
                }
            }
        }
    }
    assert_eq!((h, m, l), (318, 214, 468));
}

#[test]
fn ap_severity_ten_with_occurrence_one_is_low() {
    for d in 1..=10 {
        assert_eq!(action_priority(r(10), r(1), r(d)), Ap::Low, "D{d}");
    }
    assert_eq!(action_priority(r(9), r(2), r(7)), Ap::High);
    assert_eq!(action_priority(r(9), r(2), r(5)), Ap::Medium);
    assert_eq!(action_priority(r(2), r(8), r(6)), Ap::Medium);
    assert_eq!(action_priority(r(2), r(7), r(10)), Ap::Low);
}

#[test]
fn rating_rejects_out_of_range_with_named_message() {
    assert_eq!(Rating::severity(11).unwrap_err().to_string(), "severity must be 1..10, got 11");
    assert_eq!(Rating::occurrence(0).unwrap_err().to_string(), "occurrence must be 1..10, got 0");
    assert_eq!(Rating::detection(-3).unwrap_err().to_string(), "detection must be 1..10, got -3");
    assert_eq!(Rating::try_from(11u8).unwrap_err().to_string(), "rating must be 1..10, got 11");
    assert_eq!(Rating::try_from(0u32).unwrap_err().to_string(), "rating must be 1..10, got 0");
    assert_eq!(Rating::try_from(10u8).unwrap().get(), 10);
    assert_eq!(Rating::try_from(1u32).unwrap().get(), 1);
    assert_eq!(Rating::all().count(), 10);
}

#[test]
fn serde_rejects_out_of_range_ratings() {
    assert!(serde_json::from_str::<Rating>("0").unwrap_err().to_string().contains("rating must be 1..10, got 0"));
    assert_eq!(serde_json::from_str::<Rating>("7").unwrap().get(), 7);
    let row = Row::new("Seal leaks", r(8), r(4), r(6));
    let mut json = serde_json::to_value(&row).unwrap();
    assert_eq!(serde_json::from_value::<Row>(json.clone()).unwrap(), row);
    json["severity"] = 11.into();
    let err = serde_json::from_value::<Row>(json.clone()).unwrap_err().to_string();
    assert!(err.contains("severity must be 1..10, got 11"), "{err}");
    json["severity"] = 5.into();
    json["revised_detection"] = 12.into();
    let err = serde_json::from_value::<Row>(json).unwrap_err().to_string();
    assert!(err.contains("detection must be 1..10, got 12"), "{err}");
}

fn row(name: &str, s: i64, o: i64, d: i64) -> Row {
    Row::new(name, r(s), r(o), r(d))
}

#[test]
fn rpn_revised_and_criticality() {
    let mut x = row("A", 8, 5, 4);
    assert_eq!(x.rpn(), 160);
    assert_eq!(x.ap(), Ap::Medium);
    assert_eq!(x.revised_rpn(), None);
    assert_eq!(x.revised_ap(), None);
    x.revised_occurrence = Some(r(2));
    assert_eq!(x.revised_rpn(), Some(64));
    assert_eq!(x.revised_ap(), Some(Ap::Low)); // S7-8, O2-3 (MMLL), D2-4: L
    assert_eq!(x.mode_criticality(), None);
    x.failure_rate = Some(2e-6);
    x.mode_ratio = Some(0.25);
    x.effect_probability = Some(0.5);
    x.operating_time = Some(1000.0);
    assert!((x.mode_criticality().unwrap() - 0.5 * 0.25 * 2e-6 * 1000.0).abs() < 1e-18);
}

#[test]
fn ranking_is_by_ap_then_rpn_then_severity() {
    let mut ws = Worksheet::new(WorksheetId(1), "Pump");
    let low_big = ws.add_row(row("low but big RPN", 3, 7, 10)); // AP L, RPN 210
    let high_small = ws.add_row(row("high small RPN", 9, 8, 1)); // AP H, RPN 72
    let high_big = ws.add_row(row("high big RPN", 9, 8, 2)); // AP H, RPN 144
    let med_s5 = ws.add_row(row("medium S5", 5, 6, 4)); // AP M, RPN 120
    let med_s6 = ws.add_row(row("medium S6", 6, 5, 4)); // AP L (S4-6, O4-5, D2-4), RPN 120
    let med_s8 = ws.add_row(row("medium S8", 8, 5, 3)); // AP M, RPN 120
    let order: Vec<RowId> = rank(&ws.rows).iter().map(|r| r.id).collect();
    assert_eq!(order, vec![high_big, high_small, med_s8, med_s5, low_big, med_s6]);
}

#[test]
fn pareto_is_sorted_with_cumulative_percent() {
    let rows = [row("a", 2, 2, 2), row("b", 5, 5, 4), row("c", 4, 3, 1)]; // 8, 100, 12
    let p = pareto(&rows);
    assert_eq!(p.iter().map(|b| b.rpn).collect::<Vec<_>>(), vec![100, 12, 8]);
    assert_eq!(p.iter().map(|b| b.failure_mode.as_str()).collect::<Vec<_>>(), vec!["b", "c", "a"]);
    assert!((p[0].cumulative_percent - 100.0 * 100.0 / 120.0).abs() < 1e-9);
    assert!((p[1].cumulative_percent - 100.0 * 112.0 / 120.0).abs() < 1e-9);
    assert!((p[2].cumulative_percent - 100.0).abs() < 1e-9);
    assert!(pareto(&[]).is_empty());
}

#[test]
fn risk_matrix_and_ap_counts() {
    let mut rows = vec![row("a", 9, 8, 2), row("b", 9, 8, 5), row("c", 1, 1, 1), row("d", 5, 6, 4)];
    rows[0].revised_occurrence = Some(r(1)); // H -> L
    rows[3].revised_detection = Some(r(1)); // M -> L (S4-6 O6-7 D1)
    let m = risk_matrix(&rows);
    assert_eq!(m[8][7], 2);
    assert_eq!(m[0][0], 1);
    assert_eq!(m[4][5], 1);
    assert_eq!(m.iter().flatten().sum::<u32>(), 4);
    let (before, after) = ap_counts(&rows);
    assert_eq!(before, ApCounts { high: 2, medium: 1, low: 1 });
    assert_eq!(after, ApCounts { high: 1, medium: 0, low: 3 });
    assert_eq!(after.get(Ap::Low), 3);
}

#[test]
fn row_ids_are_stable_and_never_reused() {
    let mut ws = Worksheet::new(WorksheetId(3), "S");
    let a = ws.add_row(row("a", 1, 1, 1));
    let b = ws.add_row(row("b", 1, 1, 1));
    ws.rows.retain(|x| x.id != b);
    let c = ws.add_row(row("c", 1, 1, 1));
    assert_eq!((a, b, c), (RowId(1), RowId(2), RowId(3)));
    assert_eq!(ws.row(a).unwrap().failure_mode, "a");
}

#[test]
fn action_status_parses_labels() {
    assert_eq!(ActionStatus::parse("in progress"), Some(ActionStatus::InProgress));
    assert_eq!(ActionStatus::parse("IN_PROGRESS"), Some(ActionStatus::InProgress));
    assert_eq!(ActionStatus::parse("Done"), Some(ActionStatus::Done));
    assert_eq!(ActionStatus::parse("finished"), None);
    for s in ActionStatus::ALL {
        assert_eq!(ActionStatus::parse(s.label()), Some(s));
    }
}

/// A project with one tree TOP = OR(PUMP, AND(V1, V2)) and a worksheet linked to PUMP.
fn linked_project() -> (Project, TreeId, ElementId, WorksheetId, RowId) {
    let mut p = Project::new("plant");
    let mut t = FaultTree::new(TreeId(7), "cooling");
    let pump = t.add_basic("PUMP", 0.01);
    let v1 = t.add_basic("V1", 0.1);
    let v2 = t.add_basic("V2", 0.2);
    let g = t.add_gate("VALVES", GateKind::And, vec![v1, v2]);
    let top = t.add_gate("TOP", GateKind::Or, vec![pump, g]);
    t.top = Some(top);
    t.label = "Loss of cooling".into();
    p.fault_trees.push(t);
    let mut ws = Worksheet::new(WorksheetId(2), "Cooling DFMEA");
    let mut x = row("PUMP", 9, 6, 5);
    x.item = "Pump".into();
    x.effect = "No flow".into();
    x.cause = "Bearing wear".into();
    x.prevention_controls = "Greasing".into();
    x.detection_controls = "Vibration monitor".into();
    x.event = Some(EventLink { tree: TreeId(7), element: pump });
    x.actions.push(Action {
        description: "Add standby pump".into(),
        owner: "Ana".into(),
        due: Some(date!(2026 - 12 - 01)),
        status: ActionStatus::InProgress,
    });
    x.revised_occurrence = Some(r(2));
    let rid = ws.add_row(x);
    let mut twin = row("PUMP", 7, 3, 3);
    twin.event = Some(EventLink { tree: TreeId(7), element: pump });
    ws.add_row(twin);
    ws.add_row(row("Unlinked", 3, 3, 3));
    p.fmea.push(ws);
    (p, TreeId(7), pump, WorksheetId(2), rid)
}

#[test]
fn renaming_the_basic_event_renames_linked_failure_modes() {
    let (mut p, tree, pump, _, _) = linked_project();
    p.rename_basic_event(tree, pump, "PUMP_FAILS").unwrap();
    assert_eq!(p.tree(tree).unwrap().element(pump).unwrap().name, "PUMP_FAILS");
    let names: Vec<&str> = p.fmea[0].rows.iter().map(|r| r.failure_mode.as_str()).collect();
    assert_eq!(names, vec!["PUMP_FAILS", "PUMP_FAILS", "Unlinked"]);
}

#[test]
fn renaming_a_failure_mode_renames_its_event_and_twins() {
    let (mut p, tree, pump, sheet, rid) = linked_project();
    p.rename_failure_mode(sheet, rid, "Pump stops").unwrap();
    assert_eq!(p.tree(tree).unwrap().element(pump).unwrap().name, "Pump stops");
    assert_eq!(p.fmea[0].rows[1].failure_mode, "Pump stops");
    // An unlinked row renames alone.
    let unlinked = p.fmea[0].rows[2].id;
    p.rename_failure_mode(sheet, unlinked, "Other").unwrap();
    assert_eq!(p.fmea[0].rows[2].failure_mode, "Other");
    assert_eq!(p.tree(tree).unwrap().element(pump).unwrap().name, "Pump stops");
}

#[test]
fn renames_refuse_taken_empty_and_missing_names_without_changing_anything() {
    let (mut p, tree, pump, sheet, rid) = linked_project();
    let before = p.clone();
    assert_eq!(
        p.rename_failure_mode(sheet, rid, "V1").unwrap_err().to_string(),
        "fault tree \"cooling\" already has an element named \"V1\""
    );
    assert_eq!(p.rename_basic_event(tree, pump, " ").unwrap_err(), RenameError::EmptyName);
    assert_eq!(
        p.rename_failure_mode(WorksheetId(99), rid, "x").unwrap_err().to_string(),
        "no FMEA worksheet with id 99"
    );
    assert_eq!(
        p.rename_failure_mode(sheet, RowId(42), "x").unwrap_err().to_string(),
        "worksheet \"Cooling DFMEA\" has no row 42"
    );
    let top = p.fault_trees[0].top.unwrap();
    assert_eq!(
        p.rename_basic_event(tree, top, "X").unwrap_err().to_string(),
        "\"TOP\" in fault tree \"cooling\" is not a basic or undeveloped event"
    );
    assert_eq!(p, before);
}

#[test]
fn risk_register_lists_failure_modes_then_top_events() {
    let (p, _, _, _, _) = linked_project();
    let today = date!(2026 - 11 - 21);
    let reg = risk_register(&p, today);
    assert_eq!(reg.len(), 4);
    let first = &reg[0];
    assert_eq!(first.risk_id, "FMEA-2-1");
    assert_eq!(first.title, "Pump: PUMP");
    assert_eq!(first.category, "FMEA: Cooling DFMEA");
    assert_eq!(first.cause, "Bearing wear");
    assert_eq!(first.consequence, "No flow");
    assert_eq!((first.severity, first.occurrence, first.detection), (Some(9), Some(6), Some(5)));
    assert_eq!(first.rpn, Some(270));
    assert_eq!(first.ap, Some(Ap::High));
    assert_eq!(first.owner, "Ana");
    assert_eq!(first.existing_controls, "Greasing; Vibration monitor");
    assert_eq!(first.treatment, "Add standby pump");
    assert_eq!(first.due, Some(date!(2026 - 12 - 01)));
    assert_eq!(first.status, "In treatment");
    assert_eq!(first.residual_occurrence, Some(2));
    assert_eq!(first.residual_rpn, Some(90));
    assert_eq!(first.residual_ap, Some(Ap::Medium)); // S9-10, O2-3, D5-6: M
    assert_eq!(first.linked_event, "cooling / PUMP");
    assert_eq!(first.event_probability, Some(0.01));
    assert_eq!(first.last_review, today);
    assert_eq!(reg[1].risk_id, "FMEA-2-2");
    assert_eq!(reg[2].risk_id, "FMEA-2-3");
    assert_eq!(reg[2].status, "Accepted");
    let ft = &reg[3];
    assert_eq!(ft.risk_id, "FT-7");
    assert_eq!(ft.title, "Loss of cooling");
    assert_eq!(ft.category, "Fault tree");
    let exact = 1.0 - (1.0 - 0.01) * (1.0 - 0.1 * 0.2);
    assert!((ft.event_probability.unwrap() - exact).abs() < 1e-12);
    assert_eq!(ft.cause, "2 minimal cut set(s); most probable: {V1, V2} 2.000e-2; {PUMP} 1.000e-2");
    assert_eq!(ft.cells().len(), RISK_REGISTER_COLUMNS.len());
}

#[test]
fn risk_register_reports_an_invalid_tree_instead_of_failing() {
    let mut p = Project::new("x");
    let mut t = FaultTree::new(TreeId(1), "broken");
    let g = t.add_gate("TOP", GateKind::And, vec![ElementId(99)]);
    t.top = Some(g);
    p.fault_trees.push(t);
    let reg = risk_register(&p, date!(2026 - 01 - 01));
    assert_eq!(reg.len(), 1);
    assert_eq!(reg[0].status, "Invalid model");
    assert!(reg[0].cause.starts_with("the fault tree does not validate"), "{}", reg[0].cause);
    assert_eq!(reg[0].event_probability, None);
}

#[test]
fn postmortem_action_items_become_treatments() {
    use crate::rca::actions::{ActionId, ActionItem, ActionStatus as ItemStatus};
    use crate::rca::{EventRef, FmeaRef};
    let (mut p, tree, pump, sheet, _) = linked_project();
    // Linked to the unlinked row (row 3) by its FMEA reference.
    p.action_items.push(ActionItem {
        id: ActionId(1),
        title: "Add a paint inspection".into(),
        owner: "Dee".into(),
        due: Some(date!(2026 - 12 - 20)),
        links: crate::rca::actions::ActionLinks { fmea_rows: vec![FmeaRef { sheet: sheet.0, row: 3 }], ..Default::default() },
        ..Default::default()
    });
    // Linked to PUMP: treats both rows linked to PUMP and the tree's top event.
    p.action_items.push(ActionItem {
        id: ActionId(2),
        title: "Monitor pump vibration".into(),
        owner: "Eli".into(),
        status: ItemStatus::Done,
        links: crate::rca::actions::ActionLinks { events: vec![EventRef { tree, element: pump }], ..Default::default() },
        ..Default::default()
    });
    let reg = risk_register(&p, date!(2026 - 11 - 21));
    let by_id = |id: &str| reg.iter().find(|r| r.risk_id == id).unwrap();
    let unlinked = by_id("FMEA-2-3");
    assert_eq!(unlinked.treatment, "Add a paint inspection (open)");
    assert_eq!(unlinked.owner, "Dee");
    assert_eq!(unlinked.due, Some(date!(2026 - 12 - 20)));
    assert_eq!(unlinked.status, "In treatment");
    let pump_row = by_id("FMEA-2-1");
    assert_eq!(pump_row.treatment, "Add standby pump; Monitor pump vibration (done)");
    assert_eq!(pump_row.owner, "Ana; Eli");
    assert_eq!(pump_row.status, "In treatment");
    let twin = by_id("FMEA-2-2");
    assert_eq!(twin.treatment, "Monitor pump vibration (done)");
    assert_eq!(twin.status, "Treated");
    assert_eq!(by_id("FT-7").treatment, "Monitor pump vibration (done)");
}
