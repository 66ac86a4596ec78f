//! The native JSON form: projects and single trees, errors with line and column, format versions.

use faultline_interchange::json;
use faultline_models::fault_tree::{FaultTree, GateKind, TreeId};
use faultline_models::project::{Project, FORMAT_VERSION};

fn sample() -> FaultTree {
    let mut t = FaultTree::new(TreeId(3), "Pumps");
    let a = t.add_basic("a", 0.1);
    let b = t.add_basic("b", 1.0 / 3.0);
    let g = t.add_gate("top", GateKind::AtLeast { k: 1 }, vec![a, b]);
    t.top = Some(g);
    t.mission_time = Some(8760.0);
    t.label = "Pumps & <valves>".into();
    t
}

#[test]
fn a_project_round_trips_exactly() {
    let mut p = Project::new("Plant");
    p.fault_trees.push(sample());
    let text = json::write_project(&p);
    assert!(text.contains(&format!("\"format\": {FORMAT_VERSION}")), "{text}");
    assert!(text.contains('\n'), "pretty");
    assert_eq!(json::read(&text).unwrap(), p);
}

#[test]
fn a_single_tree_is_wrapped_into_a_project() {
    let t = sample();
    let p = json::read(&json::write_tree(&t)).unwrap();
    assert_eq!(p.name, "Pumps");
    assert_eq!(p.format, FORMAT_VERSION);
    assert_eq!(p.fault_trees, vec![t]);
}

#[test]
fn syntax_errors_give_line_and_column() {
    let text = "{\n  \"name\": \"x\",\n  \"fault_trees\": [,]\n}";
    let e = json::read(text).unwrap_err();
    assert_eq!((e.line, e.column), (Some(3), Some(19)));
    assert_eq!(e.to_string(), "line 3, column 19: expected value");
}

#[test]
fn type_errors_give_line_column_and_what() {
    let text = "{\n  \"format\": 1,\n  \"fault_trees\": [\n    {\"id\": \"one\", \"name\": \"t\", \"elements\": []}\n  ]\n}";
    let e = json::read(text).unwrap_err();
    assert_eq!(e.to_string(), "line 4, column 16: invalid type: string \"one\", expected u32");

    let tree = "{\"id\": 1, \"name\": \"t\", \"elements\": [{\"id\": 1, \"name\": \"a\", \"type\": \"basic_event\"}]}";
    let e = json::read(tree).unwrap_err();
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("missing field `probability`"), "{e}");
}

#[test]
fn a_newer_format_is_refused_and_non_objects_too() {
    let text = format!("{{\"format\": {}, \"name\": \"x\"}}", FORMAT_VERSION + 1);
    assert_eq!(
        json::read(&text).unwrap_err().to_string(),
        format!(
            "this project is in format {}, written by a newer Faultline; this build reads formats up to {FORMAT_VERSION}",
            FORMAT_VERSION + 1
        )
    );
    assert_eq!(
        json::read("[1, 2]").unwrap_err().to_string(),
        "line 1, column 1: expected a JSON object (a Faultline project or fault tree)"
    );
}
