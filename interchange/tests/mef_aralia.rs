//! Every Aralia benchmark model imports with the right counts and top, and round-trips through export.

use faultline_interchange::mef::{self, Source};
use faultline_models::fault_tree::ElementKind;
use std::path::PathBuf;
use std::time::Instant;

/// `shared/benchmarks/aralia`, found beside the repository (or any ancestor of this crate).
fn aralia_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|a| a.join("shared/benchmarks/aralia"))
        .find(|p| p.join("expected.json").is_file())
        .unwrap_or_else(|| panic!("shared/benchmarks/aralia not found beside any ancestor of {}", manifest.display()))
}

fn models() -> Vec<(String, String, String)> {
    let dir = aralia_dir();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut out: Vec<(String, String, String)> = expected["models"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(_, m)| {
            let file = m["file"].as_str().unwrap().to_string();
            let text = std::fs::read_to_string(dir.join(&file)).unwrap();
            (file, text, m["top"].as_str().unwrap().to_string())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_aralia_model_imports_with_its_counts_and_top() {
    let models = models();
    assert_eq!(models.len(), 34, "expected.json lists the 34 Aralia models");
    for (file, text, top) in &models {
        let start = Instant::now();
        let tree = mef::import(&[Source::new(file.clone(), text.clone())])
            .unwrap_or_else(|e| panic!("{file}: {}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")));
        let took = start.elapsed();
        // Elements in increasing id order, so that FaultTree::element finds them by binary search.
        assert!(tree.elements.is_sorted_by_key(|e| e.id), "{file}: elements out of id order");
        // Counted independently of the importer, from the tags themselves: every define-gate is a gate, and so is
        // every formula nested inside one (Aralia nests only <not> around events, e.g. in das9701).
        // Gates whose formula is a bare reference (`<define-gate name="g69"><basic-event name="e55"/>`) are aliases:
        // not elements, their references go to the target; except the top (r1 in several edf models), which no gate
        // references and which stays a one-argument or gate.
        let bare: Vec<&str> = text
            .split("<define-gate ")
            .skip(1)
            .filter(|seg| {
                let body = seg[seg.find('>').unwrap() + 1..].trim_start();
                ["<gate ", "<basic-event ", "<house-event ", "<event "].iter().any(|r| body.starts_with(r))
            })
            .collect();
        let top_is_bare = bare.iter().any(|seg| seg.starts_with(&format!("name=\"{top}\"")));
        let aliases = bare.len() - usize::from(top_is_bare);
        let gates = text.matches("<define-gate ").count() - aliases;
        let formulas: usize = ["<and>", "<or>", "<atleast ", "<not>", "<xor>", "<nand>", "<nor>"]
            .iter()
            .map(|t| text.matches(t).count())
            .sum();
        let nested = formulas - (text.matches("<define-gate ").count() - bare.len());
        if file == "das9207.xml" {
            assert_eq!(aliases, 49);
        }
        let events = text.matches("<define-basic-event ").count();
        let is_gate = |e: &&faultline_models::fault_tree::Element| matches!(e.kind, ElementKind::Gate { .. });
        let defined = tree.elements.iter().filter(is_gate).filter(|e| !e.name.contains('.')).count();
        let generated = tree.elements.iter().filter(is_gate).filter(|e| e.name.contains('.')).count();
        let got_events = tree.elements.iter().filter(|e| matches!(e.kind, ElementKind::BasicEvent { .. })).count();
        assert_eq!(defined, gates, "{file}: defined gates");
        assert_eq!(generated, nested, "{file}: gates of nested formulas");
        assert_eq!(got_events, events, "{file}: basic events");
        assert_eq!(tree.elements.len(), gates + nested + events, "{file}: nothing else");
        let top_name = tree.top.and_then(|t| tree.element(t)).map(|e| e.name.as_str());
        assert_eq!(top_name, Some(top.as_str()), "{file}: top");
        assert_eq!(mef::roots(&tree), vec![top.clone()], "{file}: roots");
        assert_eq!(tree.name, file.trim_end_matches(".xml"), "{file}: tree name");
        eprintln!("{file}: {gates} gates (+{nested} nested), {events} events, imported in {took:?}");
    }
}

#[test]
fn das9701_keeps_its_not_gates_and_nus9601_its_size() {
    let dir = aralia_dir();
    let text = std::fs::read_to_string(dir.join("das9701.xml")).unwrap();
    let tree = mef::import(&[Source::new("das9701.xml", text.clone())]).unwrap();
    let nots = tree
        .elements
        .iter()
        .filter(|e| matches!(e.kind, ElementKind::Gate { gate: faultline_models::fault_tree::GateKind::Not, .. }))
        .count();
    assert_eq!(nots, text.matches("<not>").count());
    assert!(nots > 0);
    let gates: Vec<_> = tree.elements.iter().filter(|e| matches!(e.kind, ElementKind::Gate { .. })).collect();
    assert_eq!(gates.iter().filter(|e| !e.name.contains('.')).count(), 2226);
    // The first nested <not> (line 162, under g1568) is the generated gate g1568.1 over e194, the first argument.
    let g = tree.by_name("g1568").unwrap();
    let not = tree.by_name("g1568.1").unwrap();
    let ElementKind::Gate { args, .. } = &g.kind else { panic!() };
    assert_eq!(args[0], not.id);
    let ElementKind::Gate { args, .. } = &not.kind else { panic!() };
    assert_eq!(tree.element(args[0]).unwrap().name, "e194");
    let nus = std::fs::read_to_string(dir.join("nus9601.xml")).unwrap();
    assert!(nus.len() > 300_000);
    let tree = mef::import(&[Source::new("nus9601.xml", nus.clone())]).unwrap();
    // nus9601 has 107 alias gates (a bare reference as formula), which are not elements.
    assert_eq!(
        tree.elements.len(),
        nus.matches("<define-gate ").count() - 107 + nus.matches("<define-basic-event ").count()
    );
    assert!(tree.by_name("r1").is_some());
}

#[test]
fn every_aralia_model_round_trips_through_export() {
    for (file, text, _) in models() {
        let tree = mef::import(&[Source::new(file.clone(), text)]).unwrap();
        let xml = mef::export(&tree);
        let back = mef::import(&[Source::new(format!("{file} (exported)"), xml)])
            .unwrap_or_else(|e| panic!("{file}: {}", e[0]));
        assert_eq!(back, tree, "{file}");
    }
}
