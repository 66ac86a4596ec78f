//! Random fault trees (every gate kind, shared events, house and undeveloped events, exponential events, labels
//! with XML special characters) round-trip through MEF export and import, and through the native JSON form.

use faultline_interchange::{json, mef};
use faultline_models::fault_tree::{ElementId, ElementKind, FaultTree, GateKind, Probability, TreeId};
use faultline_models::project::Project;
use proptest::prelude::*;

/// Text with XML specials, inner and edge whitespace, and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    "[ a-zA-Z0-9&<>\"'\t\n;é€#]{0,12}"
}

#[derive(Clone, Debug)]
enum EventSpec {
    Basic(Probability, bool),
    House(bool),
}

fn probability() -> impl Strategy<Value = Probability> {
    prop_oneof![
        (0.0..=1.0f64).prop_map(|p| Probability::Fixed { p }),
        (0.0..1e-2f64, proptest::option::of(1.0..1e5f64))
            .prop_map(|(rate, mission_time)| Probability::Exponential { rate, mission_time }),
    ]
}

fn event() -> impl Strategy<Value = EventSpec> {
    prop_oneof![
        3 => (probability(), any::<bool>()).prop_map(|(p, u)| EventSpec::Basic(p, u)),
        1 => any::<bool>().prop_map(EventSpec::House),
    ]
}

fn gate_kind() -> impl Strategy<Value = GateKind> {
    prop_oneof![
        Just(GateKind::And),
        Just(GateKind::Or),
        (1u32..4).prop_map(|k| GateKind::AtLeast { k }),
        Just(GateKind::Not),
        Just(GateKind::Xor),
        Just(GateKind::Nand),
        Just(GateKind::Nor),
        Just(GateKind::Inhibit),
    ]
}

/// (kind, argument picks, name prefix, label, description) for each gate.
type GateSpec = (GateKind, Vec<usize>, String, String, String);

fn tree() -> impl Strategy<Value = FaultTree> {
    (
        proptest::collection::vec((event(), "[a-zA-Z_&<>\"'-]{1,4}", text(), text()), 1..8),
        proptest::collection::vec(
            (gate_kind(), proptest::collection::vec(any::<usize>(), 0..5), "[a-zA-Z_&'-]{1,4}", text(), text()),
            1..7,
        ),
        (text(), text(), proptest::option::of(1.0..1e5f64), "[a-zA-Z<&]{1,6}"),
    )
        .prop_map(|(events, gates, (label, description, mission_time, name))| {
            let mut t = FaultTree::new(TreeId(1), name);
            t.label = label;
            t.description = description;
            t.mission_time = mission_time;
            let mut ids: Vec<ElementId> = Vec::new();
            for (i, (spec, prefix, label, description)) in events.into_iter().enumerate() {
                let kind = match spec {
                    EventSpec::Basic(probability, false) => ElementKind::BasicEvent { probability },
                    EventSpec::Basic(probability, true) => ElementKind::UndevelopedEvent { probability },
                    EventSpec::House(state) => ElementKind::HouseEvent { state },
                };
                let id = t.add(format!("{prefix}{i}"), kind);
                let e = t.element_mut(id).unwrap();
                e.label = label;
                e.description = description;
                ids.push(id);
            }
            let gs: Vec<GateSpec> = gates;
            for (i, (kind, picks, prefix, label, description)) in gs.into_iter().enumerate() {
                // Arguments among everything defined so far: events are shared between gates.
                let mut args: Vec<ElementId> = picks.iter().map(|p| ids[p % ids.len()]).collect();
                match kind {
                    GateKind::Not => args.truncate(1),
                    GateKind::Inhibit => {
                        args = vec![ids[picks.first().copied().unwrap_or(0) % ids.len()], ids[picks.len() % ids.len()]]
                    }
                    _ => {}
                }
                if kind == GateKind::Not && args.is_empty() {
                    args.push(ids[0]);
                }
                let id = t.add_gate(format!("g{prefix}{i}"), kind, args);
                let e = t.element_mut(id).unwrap();
                e.label = label;
                e.description = description;
                ids.push(id);
            }
            t.top = ids.last().copied();
            t
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_trees_round_trip_through_mef(t in tree()) {
        let xml = mef::export(&t);
        let back = mef::import(&[mef::Source::new("t.xml", xml.clone())]);
        match back {
            Ok(back) => prop_assert_eq!(back, t, "{}", xml),
            Err(e) => prop_assert!(false, "{}\n{}", e[0], xml),
        }
    }

    #[test]
    fn random_trees_round_trip_through_json(t in tree()) {
        let back = json::read(&json::write_tree(&t)).unwrap();
        prop_assert_eq!(back.fault_trees.len(), 1);
        prop_assert_eq!(&back.fault_trees[0], &t);
        prop_assert_eq!(&back.name, &t.name);

        let mut project = Project::new("random project");
        let mut other = t.clone();
        other.id = TreeId(7);
        other.name.push_str(" copy");
        project.fault_trees = vec![t, other];
        let text = json::write_project(&project);
        prop_assert_eq!(json::read(&text).unwrap(), project);
    }
}
