use super::*;
use crate::edit::Transaction;
use proptest::prelude::*;

fn project_with_tree() -> (Project, TreeId, ElementId) {
    let mut p = Project::new("t");
    let made = apply(&mut p, &Op::CreateTree { name: "Outage".into() }).unwrap();
    let tree = made.tree.unwrap();
    (p, tree, made.element.unwrap())
}

fn tree(p: &Project, id: TreeId) -> &FaultTree {
    p.tree(id).unwrap()
}

fn args(p: &Project, t: TreeId, gate: ElementId) -> Vec<ElementId> {
    match &tree(p, t).element(gate).unwrap().kind {
        ElementKind::Gate { args, .. } => args.clone(),
        _ => panic!("not a gate"),
    }
}

fn add(p: &mut Project, t: TreeId, parent: ElementId, new: NewElement) -> ElementId {
    apply(p, &Op::AddChild { tree: t, parent, new }).unwrap().element.unwrap()
}

#[test]
fn create_tree_makes_an_or_top_and_unique_names() {
    let (mut p, t, top) = project_with_tree();
    assert_eq!(tree(&p, t).top, Some(top));
    assert!(matches!(tree(&p, t).element(top).unwrap().kind, ElementKind::Gate { gate: GateKind::Or, .. }));
    let again = apply(&mut p, &Op::CreateTree { name: "Outage".into() }).unwrap();
    assert_eq!(p.tree(again.tree.unwrap()).unwrap().name, "Outage_2");
    assert_ne!(again.tree, Some(t));
}

#[test]
fn add_an_and_gate_with_two_events_gives_the_product() {
    let (mut p, t, top) = project_with_tree();
    let and = add(&mut p, t, top, NewElement::Gate { gate: GateKind::And });
    let a = add(&mut p, t, and, NewElement::Basic { p: 0.1 });
    let b = add(&mut p, t, and, NewElement::Basic { p: 0.2 });
    assert_eq!(args(&p, t, and), vec![a, b]);
    assert_ne!(tree(&p, t).element(a).unwrap().name, tree(&p, t).element(b).unwrap().name);
    let (_, analysis) = p.analyze_tree(t, &Default::default()).unwrap();
    assert!((analysis.probability.exact.unwrap() - 0.02).abs() < 1e-15);
    assert_eq!(analysis.cut_set_count, 1);
}

#[test]
fn add_refuses_a_non_gate_parent_and_bad_probabilities() {
    let (mut p, t, top) = project_with_tree();
    let e = add(&mut p, t, top, NewElement::Basic { p: 0.1 });
    let before = p.clone();
    let err = apply(&mut p, &Op::AddChild { tree: t, parent: e, new: NewElement::Basic { p: 0.1 } }).unwrap_err();
    assert!(matches!(err, OpError::NotAGate { .. }), "{err}");
    assert!(err.to_string().contains("Event"), "{err}");
    let err = apply(&mut p, &Op::AddChild { tree: t, parent: top, new: NewElement::Basic { p: 1.5 } }).unwrap_err();
    assert!(err.to_string().contains("1.5"), "{err}");
    let err = apply(&mut p, &Op::AddChild { tree: TreeId(99), parent: top, new: NewElement::Basic { p: 0.5 } }).unwrap_err();
    assert_eq!(err, OpError::NoTree(99));
    assert_eq!(p, before, "a refused op changes nothing");
}

#[test]
fn deleting_one_use_of_a_shared_event_keeps_the_other() {
    let (mut p, t, top) = project_with_tree();
    let g1 = add(&mut p, t, top, NewElement::Gate { gate: GateKind::And });
    let g2 = add(&mut p, t, top, NewElement::Gate { gate: GateKind::And });
    let shared = add(&mut p, t, g1, NewElement::Basic { p: 0.1 });
    add(&mut p, t, g2, NewElement::Existing { element: shared });
    apply(&mut p, &Op::Delete { tree: t, element: shared, parent: Some(g1) }).unwrap();
    assert!(tree(&p, t).element(shared).is_some());
    assert_eq!(args(&p, t, g2), vec![shared]);
    apply(&mut p, &Op::Delete { tree: t, element: shared, parent: Some(g2) }).unwrap();
    assert!(tree(&p, t).element(shared).is_none(), "the last use removes the element");
}

#[test]
fn deleting_a_gate_removes_its_subtree_but_not_what_others_use() {
    let (mut p, t, top) = project_with_tree();
    let g = add(&mut p, t, top, NewElement::Gate { gate: GateKind::And });
    let own = add(&mut p, t, g, NewElement::Basic { p: 0.1 });
    let shared = add(&mut p, t, g, NewElement::Basic { p: 0.2 });
    add(&mut p, t, top, NewElement::Existing { element: shared });
    apply(&mut p, &Op::Delete { tree: t, element: g, parent: None }).unwrap();
    let tr = tree(&p, t);
    assert!(tr.element(g).is_none() && tr.element(own).is_none());
    assert!(tr.element(shared).is_some());
    assert_eq!(args(&p, t, top), vec![shared]);
}

#[test]
fn the_top_cannot_be_deleted() {
    let (mut p, t, top) = project_with_tree();
    let err = apply(&mut p, &Op::Delete { tree: t, element: top, parent: None }).unwrap_err();
    assert!(matches!(err, OpError::DeleteTop { .. }));
    assert!(err.to_string().contains("Top"), "{err}");
}

#[test]
fn reparent_moves_one_use_and_refuses_cycles() {
    let (mut p, t, top) = project_with_tree();
    let g1 = add(&mut p, t, top, NewElement::Gate { gate: GateKind::And });
    let g2 = add(&mut p, t, top, NewElement::Gate { gate: GateKind::Or });
    let e = add(&mut p, t, g1, NewElement::Basic { p: 0.1 });
    apply(&mut p, &Op::Reparent { tree: t, element: e, from: g1, to: g2 }).unwrap();
    assert!(args(&p, t, g1).is_empty());
    assert_eq!(args(&p, t, g2), vec![e]);
    let err = apply(&mut p, &Op::Reparent { tree: t, element: top, from: top, to: g2 }).unwrap_err();
    assert!(matches!(err, OpError::Cycle { .. } | OpError::NotAChild { .. }), "{err}");
    let err = apply(&mut p, &Op::Reparent { tree: t, element: g2, from: top, to: g2 }).unwrap_err();
    assert!(matches!(err, OpError::Cycle { .. }), "{err}");
    let err = apply(&mut p, &Op::Reparent { tree: t, element: e, from: g1, to: g2 }).unwrap_err();
    assert!(matches!(err, OpError::NotAChild { .. }), "{err}");
    let err = apply(&mut p, &Op::AddChild { tree: t, parent: g2, new: NewElement::Existing { element: top } }).unwrap_err();
    assert!(matches!(err, OpError::Cycle { .. }), "{err}");
}

#[test]
fn copy_and_paste_make_fresh_ids_and_names() {
    let (mut p, t, top) = project_with_tree();
    let g = add(&mut p, t, top, NewElement::Gate { gate: GateKind::And });
    add(&mut p, t, g, NewElement::Basic { p: 0.1 });
    add(&mut p, t, g, NewElement::Basic { p: 0.2 });
    let clip = copy(tree(&p, t), g).unwrap();
    assert_eq!(clip.elements.len(), 3);
    let made = apply(&mut p, &Op::Paste { tree: t, parent: top, clip: clip.clone() }).unwrap();
    let root = made.element.unwrap();
    assert_ne!(root, g);
    let tr = tree(&p, t);
    assert_eq!(tr.elements.len(), 7);
    let names: HashSet<_> = tr.elements.iter().map(|e| e.name.clone()).collect();
    assert_eq!(names.len(), 7, "pasted names are unique");
    assert_eq!(args(&p, t, top), vec![g, root]);
    let (_, a) = p.analyze_tree(t, &Default::default()).unwrap();
    assert_eq!(a.cut_set_count, 2);
    let mut bad = clip;
    bad.root = ElementId(999);
    assert!(matches!(apply(&mut p, &Op::Paste { tree: t, parent: top, clip: bad }), Err(OpError::BadClip(_))));
}

#[test]
fn set_element_keeps_gate_arguments_and_checks_values() {
    let (mut p, t, top) = project_with_tree();
    let g = add(&mut p, t, top, NewElement::Gate { gate: GateKind::And });
    let a = add(&mut p, t, g, NewElement::Basic { p: 0.1 });
    let mut edited = tree(&p, t).element(g).unwrap().clone();
    edited.name = "Both".into();
    edited.kind = ElementKind::Gate { gate: GateKind::AtLeast { k: 1 }, args: vec![] };
    apply(&mut p, &Op::SetElement { tree: t, element: edited }).unwrap();
    let e = tree(&p, t).element(g).unwrap();
    assert_eq!(e.name, "Both");
    assert_eq!(e.kind, ElementKind::Gate { gate: GateKind::AtLeast { k: 1 }, args: vec![a] });

    let mut ev = tree(&p, t).element(a).unwrap().clone();
    ev.kind = ElementKind::BasicEvent { probability: Probability::Exponential { rate: -1.0, mission_time: None } };
    assert!(apply(&mut p, &Op::SetElement { tree: t, element: ev.clone() }).unwrap_err().to_string().contains("-1"));
    ev.name = "Both".into();
    ev.kind = ElementKind::BasicEvent { probability: Probability::Fixed { p: 0.3 } };
    assert!(apply(&mut p, &Op::SetElement { tree: t, element: ev }).unwrap_err().to_string().contains("already named"));

    // A gate turned into an event drops its subtree.
    let mut to_event = tree(&p, t).element(g).unwrap().clone();
    to_event.kind = ElementKind::BasicEvent { probability: Probability::Fixed { p: 0.5 } };
    apply(&mut p, &Op::SetElement { tree: t, element: to_event }).unwrap();
    assert!(tree(&p, t).element(a).is_none());
}

#[test]
fn documents_of_every_kind_are_created_renamed_and_deleted() {
    let (mut p, _, _) = project_with_tree();
    for kind in [DocKind::FmeaWorksheet, DocKind::Fishbone, DocKind::LayerSet, DocKind::Postmortem, DocKind::ActionItem] {
        let made = apply(&mut p, &Op::CreateDocument { kind, name: "First".into() }).unwrap();
        let id = made.document.unwrap();
        apply(&mut p, &Op::RenameDocument { kind, id, name: "Renamed".into() }).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains("Renamed"), "{kind:?}");
        apply(&mut p, &Op::DeleteDocument { kind, id }).unwrap();
        assert!(!serde_json::to_string(&p).unwrap().contains("Renamed"), "{kind:?}");
        assert!(matches!(apply(&mut p, &Op::DeleteDocument { kind, id }), Err(OpError::NoDocument { .. })));
    }
    assert_eq!(apply(&mut p, &Op::CreateDocument { kind: DocKind::Fishbone, name: "  ".into() }), Err(OpError::EmptyName));
}

#[test]
fn ops_round_trip_through_json() {
    let op = Op::AddChild { tree: TreeId(1), parent: ElementId(2), new: NewElement::Gate { gate: GateKind::AtLeast { k: 2 } } };
    let json = serde_json::to_string(&op).unwrap();
    assert_eq!(json, r#"{"op":"add_child","tree":1,"parent":2,"new":{"type":"gate","gate":{"op":"at_least","k":2}}}"#);
    assert_eq!(serde_json::from_str::<Op>(&json).unwrap(), op);
}

/// Every argument names an element of the tree, the top exists, and nothing is left without a parent.
fn consistent(t: &FaultTree) -> Result<(), String> {
    let ids: HashSet<ElementId> = t.elements.iter().map(|e| e.id).collect();
    if ids.len() != t.elements.len() {
        return Err("duplicate ids".into());
    }
    let top = t.top.ok_or("no top")?;
    if !ids.contains(&top) {
        return Err("top missing".into());
    }
    for e in &t.elements {
        if let ElementKind::Gate { args, .. } = &e.kind {
            for a in args {
                if !ids.contains(a) {
                    return Err(format!("{} names missing {a}", e.name));
                }
            }
        }
        if e.id != top && t.parents_of(e.id).next().is_none() {
            return Err(format!("{} is an orphan", e.name));
        }
    }
    if below(t, top).contains(&top) {
        return Err("cycle through the top".into());
    }
    Ok(())
}

fn arb_op_seed() -> impl Strategy<Value = (u8, usize, usize, f64)> {
    (0u8..7, 0usize..50, 0usize..50, 0.0f64..1.0)
}

/// Builds an op from random numbers against the current tree (so most ops are meaningful).
fn pick_op(p: &Project, t: TreeId, (what, i, j, x): (u8, usize, usize, f64)) -> Op {
    let tr = tree(p, t);
    let gates: Vec<ElementId> =
        tr.elements.iter().filter(|e| matches!(e.kind, ElementKind::Gate { .. })).map(|e| e.id).collect();
    let all: Vec<ElementId> = tr.elements.iter().map(|e| e.id).collect();
    let g = gates[i % gates.len()];
    let e = all[j % all.len()];
    match what {
        0 => Op::AddChild { tree: t, parent: g, new: NewElement::Basic { p: x } },
        1 => Op::AddChild { tree: t, parent: g, new: NewElement::Gate { gate: if x < 0.5 { GateKind::And } else { GateKind::Or } } },
        2 => Op::AddChild { tree: t, parent: g, new: NewElement::Existing { element: e } },
        3 => Op::Delete { tree: t, element: e, parent: tr.parents_of(e).next().map(|p| p.id) },
        4 => {
            let from = tr.parents_of(e).next().map(|p| p.id).unwrap_or(g);
            Op::Reparent { tree: t, element: e, from, to: g }
        }
        5 => Op::Paste { tree: t, parent: g, clip: copy(tr, e).unwrap() },
        _ => Op::Delete { tree: t, element: e, parent: None },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Random edit sequences keep the tree consistent, a refused op changes nothing, and undoing every
    /// step (through the storage transactions) restores the start.
    #[test]
    fn random_edits_stay_consistent_and_undo_restores(seeds in proptest::collection::vec(arb_op_seed(), 1..30)) {
        let (mut p, t, _) = project_with_tree();
        let start = p.clone();
        let mut history = Vec::new();
        for seed in seeds {
            let op = pick_op(&p, t, seed);
            let before = p.clone();
            match apply(&mut p, &op) {
                Ok(_) => {
                    prop_assert!(consistent(tree(&p, t)).is_ok(), "{op:?}: {:?}", consistent(tree(&p, t)));
                    history.push(Transaction::between("op", &before, &p).unwrap());
                }
                Err(_) => prop_assert_eq!(&p, &before),
            }
            // Analysis of an edited tree never panics (validation may refuse it).
            let _ = p.analyze_tree(t, &Default::default());
        }
        for tx in history.iter().rev() {
            tx.invert().apply(&mut p).unwrap();
        }
        prop_assert_eq!(p, start);
    }
}

#[test]
fn an_imported_tree_gets_a_fresh_id_and_a_free_name() {
    let (mut p, t, _) = project_with_tree();
    let incoming = tree(&p, t).clone();
    let made = apply(&mut p, &Op::ImportTree { tree: incoming }).unwrap();
    let new = made.tree.unwrap();
    assert_ne!(new, t);
    assert_eq!(tree(&p, new).name, "Outage_2");
    assert_eq!(p.fault_trees.len(), 2);
}

#[test]
fn an_fmea_row_links_to_an_event_and_unlinks() {
    use crate::fmea::{EventLink, Rating, Row, RowId, WorksheetId};
    let (mut p, t, top) = project_with_tree();
    let e = add(&mut p, t, top, NewElement::Basic { p: 0.1 });
    let ws = apply(&mut p, &Op::CreateDocument { kind: DocKind::FmeaWorksheet, name: "W".into() }).unwrap().document.unwrap();
    let mut row = Row::new("Pool exhausted", Rating::severity(7).unwrap(), Rating::occurrence(4).unwrap(), Rating::detection(3).unwrap());
    row.id = RowId(1);
    p.fmea[0].rows.push(row);
    let link = EventLink { tree: t, element: e };
    let made = apply(&mut p, &Op::LinkFmeaRow { worksheet: WorksheetId(ws), row: RowId(1), event: Some(link) }).unwrap();
    assert_eq!(p.fmea[0].rows[0].event, Some(link));
    assert_eq!(made.tree, Some(t), "the editor stays on the tree");
    // A gate cannot be linked, nor a missing row; nothing changes.
    let before = p.clone();
    let err = apply(&mut p, &Op::LinkFmeaRow { worksheet: WorksheetId(ws), row: RowId(1), event: Some(EventLink { tree: t, element: top }) })
        .unwrap_err();
    assert!(err.to_string().contains("Top"), "{err}");
    assert!(apply(&mut p, &Op::LinkFmeaRow { worksheet: WorksheetId(ws), row: RowId(9), event: None }).is_err());
    assert_eq!(p, before);
    apply(&mut p, &Op::LinkFmeaRow { worksheet: WorksheetId(ws), row: RowId(1), event: None }).unwrap();
    assert_eq!(p.fmea[0].rows[0].event, None);
}
