//! What MEF import understands, and project export with transfers.

use faultline_interchange::mef::{self, Source};
use faultline_models::fault_tree::{ElementKind, FaultTree, GateKind, Probability, TreeId};
use faultline_models::project::Project;

fn gate(tree: &FaultTree, name: &str) -> (GateKind, Vec<String>) {
    match &tree.by_name(name).unwrap_or_else(|| panic!("no element '{name}'")).kind {
        ElementKind::Gate { gate, args } => {
            (*gate, args.iter().map(|a| tree.element(*a).unwrap().name.clone()).collect())
        }
        k => panic!("'{name}' is {k:?}"),
    }
}

fn prob(tree: &FaultTree, name: &str) -> Probability {
    match tree.by_name(name).unwrap().kind {
        ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => probability,
        ref k => panic!("'{name}' is {k:?}"),
    }
}

#[test]
fn several_files_make_one_model_with_nested_formulas_parameters_and_house_events() {
    let logic = Source::new(
        "logic.xml",
        r#"<?xml version="1.0"?>
<opsa-mef name="demo">
  <define-fault-tree name="Pumps">
    <label>Both pumps &amp; the valve</label>
    <define-gate name="top">
      <label>Loss of flow</label>
      <attributes><attribute name="description" value="Nothing reaches the tank"/></attributes>
      <or>
        <and>
          <basic-event name="pump-a"/>
          <not><house-event name="maintenance"/></not>
        </and>
        <gate name="valve"/>
        <atleast min="2"><event name="pump-a"/><event name="pump-b"/><event name="sensor"/></atleast>
      </or>
    </define-gate>
    <define-gate name="valve">
      <attributes><attribute name="flavour" value="inhibit"/></attributes>
      <and><basic-event name="valve-stuck"/><house-event name="cold"/></and>
    </define-gate>
  </define-fault-tree>
</opsa-mef>"#,
    );
    let data = Source::new(
        "data.xml",
        r#"<opsa-mef>
  <model-data>
    <define-parameter name="lambda"><mul><float value="2"/><float value="5e-5"/></mul></define-parameter>
    <define-parameter name="system-mission-time"><int value="8760"/></define-parameter>
    <define-basic-event name="pump-a"><exponential><parameter name="lambda"/><system-mission-time/></exponential></define-basic-event>
    <define-basic-event name="pump-b"><exponential><float value="1e-4"/><float value="100"/></exponential></define-basic-event>
    <define-basic-event name="sensor">
      <attributes><attribute name="flavour" value="undeveloped"/></attributes>
      <sub><float value="1"/><float value="0.75"/></sub>
    </define-basic-event>
    <define-basic-event name="valve-stuck"><parameter name="p-valve"/></define-basic-event>
    <define-parameter name="p-valve"><div><float value="1"/><int value="8"/></div></define-parameter>
    <define-house-event name="maintenance"><constant value="false"/></define-house-event>
    <define-house-event name="cold"><constant value="true"/></define-house-event>
  </model-data>
</opsa-mef>"#,
    );
    let tree = mef::import(&[logic, data]).unwrap_or_else(|e| panic!("{}", e[0]));
    assert_eq!(tree.name, "Pumps");
    assert_eq!(tree.label, "Both pumps & the valve");
    assert_eq!(tree.mission_time, Some(8760.0));
    assert_eq!(tree.top, Some(tree.by_name("top").unwrap().id));
    let names: Vec<&str> = tree.elements.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["top", "top.1", "top.2", "top.3", "valve", "pump-a", "pump-b", "sensor", "valve-stuck", "maintenance", "cold"]
    );
    let ids: Vec<u32> = tree.elements.iter().map(|e| e.id.0).collect();
    assert_eq!(ids, (1..=11).collect::<Vec<_>>());
    assert_eq!(gate(&tree, "top"), (GateKind::Or, vec!["top.1".into(), "valve".into(), "top.3".into()]));
    assert_eq!(gate(&tree, "top.1"), (GateKind::And, vec!["pump-a".into(), "top.2".into()]));
    assert_eq!(gate(&tree, "top.2"), (GateKind::Not, vec!["maintenance".into()]));
    assert_eq!(gate(&tree, "top.3"), (GateKind::AtLeast { k: 2 }, vec!["pump-a".into(), "pump-b".into(), "sensor".into()]));
    assert_eq!(gate(&tree, "valve"), (GateKind::Inhibit, vec!["valve-stuck".into(), "cold".into()]));
    let top = tree.by_name("top").unwrap();
    assert_eq!((top.label.as_str(), top.description.as_str()), ("Loss of flow", "Nothing reaches the tank"));
    assert_eq!(prob(&tree, "pump-a"), Probability::Exponential { rate: 1e-4, mission_time: None });
    assert_eq!(prob(&tree, "pump-b"), Probability::Exponential { rate: 1e-4, mission_time: Some(100.0) });
    assert_eq!(prob(&tree, "sensor"), Probability::Fixed { p: 0.25 });
    assert!(matches!(tree.by_name("sensor").unwrap().kind, ElementKind::UndevelopedEvent { .. }));
    assert_eq!(prob(&tree, "valve-stuck"), Probability::Fixed { p: 0.125 });
    assert!(matches!(tree.by_name("maintenance").unwrap().kind, ElementKind::HouseEvent { state: false }));
    assert!(matches!(tree.by_name("cold").unwrap().kind, ElementKind::HouseEvent { state: true }));

    // And it all survives export.
    let back = mef::import(&[Source::new("out.xml", mef::export(&tree))]).unwrap();
    assert_eq!(back, tree);
}

#[test]
fn several_roots_leave_top_unset_and_are_listed() {
    let xml = r#"<opsa-mef><define-fault-tree name="ft">
<define-gate name="a"><or><basic-event name="x"/><basic-event name="y"/></or></define-gate>
<define-gate name="b"><and><basic-event name="x"/><basic-event name="y"/></and></define-gate>
<define-basic-event name="x"><float value="0.1"/></define-basic-event>
<define-basic-event name="y"><float value="0.2"/></define-basic-event>
</define-fault-tree></opsa-mef>"#;
    let tree = mef::import(&[Source::new("m.xml", xml)]).unwrap();
    assert_eq!(tree.top, None);
    assert_eq!(mef::roots(&tree), ["a", "b"]);
    // A top attribute chooses.
    let chosen = xml.replace(
        "<define-fault-tree name=\"ft\">",
        "<define-fault-tree name=\"ft\"><attributes><attribute name=\"top\" value=\"b\"/></attributes>",
    );
    let tree = mef::import(&[Source::new("m.xml", chosen)]).unwrap();
    assert_eq!(tree.top.and_then(|t| tree.element(t)).map(|e| e.name.as_str()), Some("b"));
}

#[test]
fn generated_names_avoid_defined_names() {
    let xml = r#"<opsa-mef><define-fault-tree name="ft">
<define-gate name="g"><or><and><basic-event name="x"/><basic-event name="y"/></and><gate name="g.1"/></or></define-gate>
<define-gate name="g.1"><and><basic-event name="x"/><not><basic-event name="y"/></not></and></define-gate>
<define-basic-event name="x"><float value="0.1"/></define-basic-event>
<define-basic-event name="y"><float value="0.2"/></define-basic-event>
</define-fault-tree></opsa-mef>"#;
    let tree = mef::import(&[Source::new("m.xml", xml)]).unwrap();
    assert_eq!(gate(&tree, "g"), (GateKind::Or, vec!["g.2".into(), "g.1".into()]));
    assert_eq!(gate(&tree, "g.1"), (GateKind::And, vec!["x".into(), "g.1.1".into()]));
    assert_eq!(gate(&tree, "g.1.1"), (GateKind::Not, vec!["y".into()]));
}

#[test]
fn project_export_inlines_transferred_trees_and_renames_clashes() {
    // Tree 2 ("Power"): top "top" = or(grid, diesel); tree 1 ("Plant"): top = and(pump, transfer to Power).
    let mut power = FaultTree::new(TreeId(2), "Power");
    let grid = power.add_basic("grid", 0.01);
    let diesel = power.add_basic("diesel", 0.1);
    let ptop = power.add_gate("top", GateKind::Or, vec![grid, diesel]);
    power.top = Some(ptop);
    let mut plant = FaultTree::new(TreeId(1), "Plant");
    let pump = plant.add_basic("pump", 0.05);
    let xfer = plant.add("to-power", ElementKind::Transfer { tree: TreeId(2), gate: None });
    let grid2 = plant.add_basic("grid", 0.01);
    let top = plant.add_gate("top", GateKind::And, vec![pump, xfer]);
    let side = plant.add_gate("side", GateKind::Or, vec![grid2, pump]);
    let top2 = plant.add_gate("top2", GateKind::Or, vec![top, side]);
    plant.top = Some(top2);
    let mut project = Project::new("p");
    project.fault_trees = vec![plant, power];

    assert_eq!(mef::export_project_tree(&project, TreeId(9)), None);
    let xml = mef::export_project_tree(&project, TreeId(1)).unwrap();
    assert_eq!(xml.matches("<define-fault-tree").count(), 2);
    assert_eq!(xml.matches("<define-basic-event name=\"grid\">").count(), 1, "shared events are defined once");
    let tree = mef::import(&[Source::new("p.xml", xml)]).unwrap_or_else(|e| panic!("{}", e[0]));
    assert_eq!(tree.name, "Plant");
    assert_eq!(tree.top.and_then(|t| tree.element(t)).map(|e| e.name.as_str()), Some("top2"));
    assert_eq!(gate(&tree, "top"), (GateKind::And, vec!["pump".into(), "Power.top".into()]));
    assert_eq!(gate(&tree, "Power.top"), (GateKind::Or, vec!["grid".into(), "diesel".into()]));
    assert_eq!(gate(&tree, "side"), (GateKind::Or, vec!["grid".into(), "pump".into()]));
    assert!(tree.by_name("to-power").is_none());
}

#[test]
fn plain_export_writes_a_transfer_as_a_gate_reference() {
    let mut plant = FaultTree::new(TreeId(1), "Plant");
    let pump = plant.add_basic("pump", 0.05);
    let xfer = plant.add("to-power", ElementKind::Transfer { tree: TreeId(2), gate: None });
    let top = plant.add_gate("top", GateKind::And, vec![pump, xfer]);
    plant.top = Some(top);
    let xml = mef::export(&plant);
    assert!(xml.contains("<gate name=\"to-power\"/>"), "{xml}");
    let e = mef::import(&[Source::new("plant.xml", xml.clone())]).unwrap_err();
    let line = xml.lines().position(|l| l.contains("<gate name=\"to-power\"/>")).unwrap() + 1;
    assert_eq!(e[0].to_string(), format!("plant.xml:{line}: undefined gate 'to-power' in gate 'top'"));
}

#[test]
fn bare_reference_gates_are_aliases_except_at_the_root() {
    let xml = r#"<opsa-mef><define-fault-tree name="ft">
<define-gate name="r1"><gate name="g1"/></define-gate>
<define-gate name="g1"><or><gate name="g2"/><basic-event name="y"/></or></define-gate>
<define-gate name="g2"><gate name="g3"/></define-gate>
<define-gate name="g3"><basic-event name="x"/></define-gate>
<define-basic-event name="x"><float value="0.1"/></define-basic-event>
<define-basic-event name="y"><float value="0.2"/></define-basic-event>
</define-fault-tree></opsa-mef>"#;
    let tree = mef::import(&[Source::new("m.xml", xml)]).unwrap();
    let names: Vec<&str> = tree.elements.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["r1", "g1", "x", "y"]);
    assert_eq!(gate(&tree, "r1"), (GateKind::Or, vec!["g1".into()]));
    assert_eq!(gate(&tree, "g1"), (GateKind::Or, vec!["x".into(), "y".into()]));
    assert_eq!(tree.top, Some(tree.by_name("r1").unwrap().id));

    let looped = r#"<opsa-mef><define-fault-tree name="ft">
<define-gate name="top"><or><gate name="a"/><gate name="c"/></or></define-gate>
<define-gate name="a"><gate name="b"/></define-gate>
<define-gate name="b"><gate name="a"/></define-gate>
<define-gate name="c"><basic-event name="nope"/></define-gate>
</define-fault-tree></opsa-mef>"#;
    let e: Vec<String> = mef::import(&[Source::new("m.xml", looped)]).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert_eq!(
        e,
        ["m.xml:3: gate 'a' is defined as itself (through bare references)", "m.xml:5: undefined basic event 'nope' in gate 'c'"]
    );
}
