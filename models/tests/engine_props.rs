//! The engine against the brute-force oracle, on random trees using every gate kind and shared events.

use faultline_models::analysis::{analyze, analyze_by_cut_sets, sampling, DEFAULT_SAMPLES, analyze_staged, analyze_within, mocus, oracle, pdag, preprocess, Algorithm, Analysis, Engine, Limits, Options, Stage, Stopped};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use faultline_models::fault_tree::validate::{validate, Arg, ValidTree, ValidateOptions};
use faultline_models::fault_tree::{ElementId, ElementKind, FaultTree, GateKind, Probability, TreeId};
use faultline_models::project::Project;
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct GateSpec {
    kind: u8,
    k: u32,
    args: Vec<usize>,
}

/// A random tree: `n_events` basic events (some with a rate), an optional house event, and gates whose
/// arguments are events or earlier gates, so that events are shared across gates.
fn arb_tree(coherent_only: bool) -> impl Strategy<Value = FaultTree> {
    arb_tree_of(coherent_only, false)
}

/// [`arb_tree`], with `few_probabilities`: the events' probabilities taken from a handful of values, so
/// that many events share one (as in PSA models, where events share parameters).
fn arb_tree_of(coherent_only: bool, few_probabilities: bool) -> impl Strategy<Value = FaultTree> {
    (2usize..=10, 1usize..=7, any::<bool>(), any::<bool>()).prop_flat_map(move |(n_events, n_gates, house, house_state)| {
        let p = if few_probabilities {
            prop::sample::select(vec![0.0, 0.003, 0.05, 0.2, 0.5, 1.0]).boxed()
        } else {
            prop_oneof![0.0..=1.0f64, 0.001..0.3f64, Just(0.5)].boxed()
        };
        let probs = prop::collection::vec(p, n_events);
        let gates = prop::collection::vec(
            (0u8..8, 1u32..4, prop::collection::vec(any::<prop::sample::Index>(), 1..5)),
            n_gates,
        );
        (Just(n_events), probs, gates, Just(house), Just(house_state)).prop_map(move |(n_events, probs, gates, house, house_state)| {
            let specs: Vec<GateSpec> = gates
                .into_iter()
                .enumerate()
                .map(|(gi, (kind, k, idx))| {
                    let pool = n_events + gi + usize::from(house);
                    let mut args: Vec<usize> = idx.iter().map(|i| i.index(pool)).collect();
                    args.sort_unstable();
                    args.dedup();
                    let kind = if coherent_only { [0, 1, 2, 7][kind as usize % 4] } else { kind };
                    GateSpec { kind, k, args }
                })
                .collect();
            build(n_events, &probs, &specs, house.then_some(house_state))
        })
    })
}

/// A random sum of products over shared subsystems, the shape the BDD construction factors (see
/// `foldable_products` in the engine): a few subsystem gates over the events, then products (AND, or OR
/// under an AND-like top) of one to four subsystems or events each, used once, by the top gate (OR, NOR,
/// AND or NAND), which may also have an event of its own.
fn arb_sum_of_products() -> impl Strategy<Value = FaultTree> {
    (3usize..=9, 1usize..=4, 2usize..=7, 0u8..4, any::<bool>()).prop_flat_map(|(n_events, n_subsystems, n_products, top, own_event)| {
        let probs = prop::collection::vec(prop_oneof![0.001..0.3f64, 0.0..=1.0f64], n_events);
        let subsystems = prop::collection::vec((any::<bool>(), prop::collection::vec(any::<prop::sample::Index>(), 2..4)), n_subsystems);
        let products = prop::collection::vec(prop::collection::vec(any::<prop::sample::Index>(), 1..5), n_products);
        (Just(n_events), probs, subsystems, products, Just(top), Just(own_event)).prop_map(move |(n_events, probs, subsystems, products, top, own_event)| {
            let mut specs: Vec<GateSpec> = subsystems
                .iter()
                .map(|(and, idx)| {
                    let mut args: Vec<usize> = idx.iter().map(|i| i.index(n_events)).collect();
                    args.sort_unstable();
                    args.dedup();
                    GateSpec { kind: if *and { 0 } else { 1 }, k: 1, args }
                })
                .collect();
            // The top's connective: 1 (OR), 6 (NOR), 0 (AND), 5 (NAND); products are the dual.
            let top_kind = [1u8, 6, 0, 5][top as usize];
            let product_kind = if top_kind == 1 || top_kind == 6 { 0 } else { 1 };
            let pool = n_events + n_subsystems;
            let first_product = specs.len();
            for idx in &products {
                let mut args: Vec<usize> = idx.iter().map(|i| i.index(pool)).collect();
                args.sort_unstable();
                args.dedup();
                specs.push(GateSpec { kind: product_kind, k: 1, args });
            }
            let mut top_args: Vec<usize> = (first_product..specs.len()).map(|g| n_events + g).collect();
            if own_event {
                top_args.push(0);
            }
            specs.push(GateSpec { kind: top_kind, k: 1, args: top_args });
            build(n_events, &probs, &specs, None)
        })
    })
}

fn build(n_events: usize, probs: &[f64], specs: &[GateSpec], house: Option<bool>) -> FaultTree {
    let mut t = FaultTree::new(TreeId(1), "random");
    let mut pool: Vec<ElementId> = Vec::new();
    for (i, p) in probs.iter().enumerate().take(n_events) {
        let probability = if i % 4 == 3 {
            Probability::Exponential { rate: p * 1e-3, mission_time: Some(100.0) }
        } else {
            Probability::Fixed { p: *p }
        };
        pool.push(t.add(format!("e{i}"), ElementKind::BasicEvent { probability }));
    }
    if let Some(state) = house {
        pool.push(t.add("h", ElementKind::HouseEvent { state }));
    }
    let mut last = None;
    for (gi, s) in specs.iter().enumerate() {
        let mut args: Vec<ElementId> = s.args.iter().map(|&i| pool[i]).collect();
        let kind = match s.kind {
            0 => GateKind::And,
            1 => GateKind::Or,
            2 => GateKind::AtLeast { k: s.k.min(args.len().max(2) as u32).max(1) },
            3 => GateKind::Not,
            4 => GateKind::Xor,
            5 => GateKind::Nand,
            6 => GateKind::Nor,
            _ => GateKind::Inhibit,
        };
        // Fix the arity so the tree is valid.
        match kind {
            GateKind::Not => args.truncate(1),
            GateKind::Inhibit => {
                args.truncate(2);
                if args.len() < 2 {
                    args.push(pool[(gi + 1) % n_events]);
                    args.dedup();
                    if args.len() < 2 {
                        args.push(pool[(gi + 2) % n_events]);
                    }
                }
            }
            _ => {
                if args.len() < 2 {
                    let extra = pool.iter().copied().find(|a| !args.contains(a)).unwrap();
                    args.push(extra);
                }
            }
        }
        let kind = match kind {
            GateKind::AtLeast { k } => GateKind::AtLeast { k: k.min(args.len() as u32) },
            k => k,
        };
        let id = t.add_gate(format!("g{gi}"), kind, args);
        pool.push(id);
        last = Some(id);
    }
    t.top = last;
    t
}

fn valid(t: &FaultTree) -> ValidTree {
    let v = validate(t, &[], ValidateOptions::default());
    let errors: Vec<String> = v.errors().map(|p| p.to_string()).collect();
    assert!(errors.is_empty(), "generated tree is invalid: {errors:?}");
    v.valid.unwrap()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

fn sets_of(a: &Analysis) -> Vec<Vec<usize>> {
    a.cut_sets.iter().map(|c| {
        let mut v = c.event_indices.clone();
        v.sort_unstable();
        v
    }).collect()
}

fn sorted(mut s: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    s.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    s
}

fn all(algorithm: Algorithm) -> Options {
    Options { algorithm, max_cut_sets: 0, ..Options::default() }
}

fn check_against_oracle(tree: &ValidTree, options: &Options) -> Result<(), TestCaseError> {
    compare_with_oracle(tree, analyze(tree, options), options)
}

fn compare_with_oracle(tree: &ValidTree, got: Analysis, options: &Options) -> Result<(), TestCaseError> {
    let want = oracle::analyze(tree, options);
    prop_assert!(close(got.probability.exact.unwrap(), want.probability.exact.unwrap(), 1e-12), "exact {:?} vs {:?}", got.probability.exact, want.probability.exact);
    prop_assert_eq!(got.cut_set_count, want.cut_set_count);
    prop_assert_eq!(sorted(sets_of(&got)), sorted(sets_of(&want)));
    prop_assert!(close(got.probability.rare_event, want.probability.rare_event, 1e-12));
    prop_assert!(close(got.probability.mcub, want.probability.mcub, 1e-12), "mcub {} vs {}", got.probability.mcub, want.probability.mcub);
    let dist_trim = |d: &[u64]| { let mut d = d.to_vec(); while d.len() > 1 && *d.last().unwrap() == 0 { d.pop(); } d };
    prop_assert_eq!(dist_trim(&got.order_distribution), dist_trim(&want.order_distribution));
    for (g, w) in got.importance.iter().zip(&want.importance) {
        prop_assert_eq!(&g.event, &w.event);
        prop_assert!(close(g.birnbaum, w.birnbaum, 1e-9), "birnbaum {}: {} vs {}", g.event, g.birnbaum, w.birnbaum);
        prop_assert!(close(g.fussell_vesely, w.fussell_vesely, 1e-9), "FV {}: {} vs {}", g.event, g.fussell_vesely, w.fussell_vesely);
        prop_assert!(close(g.criticality, w.criticality, 1e-9), "criticality {}", g.event);
        match (g.raw, w.raw) {
            (Some(a), Some(b)) => prop_assert!(close(a, b, 1e-9), "RAW {}: {} vs {}", g.event, a, b),
            (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
        }
        match (g.rrw, w.rrw) {
            (Some(a), Some(b)) => prop_assert!(close(a, b, 1e-6), "RRW {}: {} vs {}", g.event, a, b),
            (a, b) => prop_assert_eq!(a.is_some(), b.is_some(), "RRW presence {}", g.event),
        }
    }
    Ok(())
}

/// Each ordering heuristic's engine ([`Engine::with_order`]) against the oracle.
fn every_heuristic_matches_oracle(tree: &ValidTree) -> Result<(), TestCaseError> {
    let options = all(Algorithm::Bdd);
    for h in pdag::ALL {
        let e = Engine::with_order(tree, h);
        let got = e.cut_sets(&options).analysis(tree, Some((e.probability(), &e.conditional_probabilities())), 0);
        compare_with_oracle(tree, got, &options)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    /// Exact probability, MCS, rare-event, MCUB, order distribution and importance all match the oracle,
    /// for every algorithm, on trees with every gate kind.
    #[test]
    fn engine_matches_oracle(t in arb_tree(false)) {
        let tree = valid(&t);
        for algorithm in [Algorithm::Bdd, Algorithm::Zbdd, Algorithm::Mocus] {
            check_against_oracle(&tree, &all(algorithm))?;
        }
    }

    /// Every variable-ordering heuristic gives the oracle's results: the engine normally keeps the first one
    /// that fits its node budget, so the others would otherwise go untested.
    #[test]
    fn every_ordering_heuristic_matches_oracle(t in arb_tree(false)) {
        every_heuristic_matches_oracle(&valid(&t))?;
    }

    /// Sums of products over shared subsystems, which the BDD construction factors (`x·a + x·b` built as
    /// `x·(a + b)`): every heuristic still gives the oracle's results.
    #[test]
    fn factored_sums_of_products_match_oracle(t in arb_sum_of_products()) {
        every_heuristic_matches_oracle(&valid(&t))?;
    }

    /// Same on coherent trees, where the MCS are the classic ones; also every listed set is a cut set and
    /// removing any one event stops the top event.
    #[test]
    fn coherent_cut_sets_are_minimal(t in arb_tree(true)) {
        let tree = valid(&t);
        prop_assert!(tree.is_coherent());
        let a = analyze(&tree, &all(Algorithm::Bdd));
        for cs in &a.cut_sets {
            let mut failed = vec![false; tree.events.len()];
            for &i in &cs.event_indices { failed[i] = true; }
            prop_assert!(tree.eval(&failed), "{:?} is not a cut set", cs.events);
            for &i in &cs.event_indices {
                failed[i] = false;
                prop_assert!(!tree.eval(&failed), "{:?} is not minimal", cs.events);
                failed[i] = true;
            }
        }
        check_against_oracle(&tree, &all(Algorithm::Zbdd))?;
    }

    /// Truncation by order and by probability agrees with the oracle's filtered sets, for every algorithm.
    #[test]
    fn truncation_matches_oracle(t in arb_tree(false), limit in 0usize..4, cut in prop_oneof![Just(None), (1e-6..0.2f64).prop_map(Some)]) {
        let tree = valid(&t);
        for algorithm in [Algorithm::Bdd, Algorithm::Zbdd, Algorithm::Mocus] {
            let options = Options { algorithm, limit_order: Some(limit), cut_off: cut, max_cut_sets: 0, ..Options::default() };
            check_against_oracle(&tree, &options)?;
        }
    }

    /// Listing the N most probable returns exactly the N largest probabilities, sorted by order then names.
    #[test]
    fn most_probable_listing(t in arb_tree(true), n in 1usize..5) {
        let tree = valid(&t);
        let every = analyze(&tree, &all(Algorithm::Bdd));
        let some = analyze(&tree, &Options { max_cut_sets: n, ..Options::default() });
        prop_assert_eq!(some.cut_set_count, every.cut_set_count);
        prop_assert_eq!(some.cut_sets.len(), n.min(every.cut_sets.len()));
        let mut all_p: Vec<f64> = every.cut_sets.iter().map(|c| c.probability).collect();
        all_p.sort_by(|a, b| b.total_cmp(a));
        let mut got_p: Vec<f64> = some.cut_sets.iter().map(|c| c.probability).collect();
        got_p.sort_by(|a, b| b.total_cmp(a));
        prop_assert_eq!(&got_p[..], &all_p[..got_p.len()]);
        for w in some.cut_sets.windows(2) {
            prop_assert!((w[0].order, &w[0].events) < (w[1].order, &w[1].events));
        }
    }
}

#[test]
fn tiny_precision_under_complement() {
    // NOT(OR(a, b)) with a, b almost sure: P = (1 - pa)(1 - pb) ~ 1e-14 keeps its relative precision.
    let mut t = FaultTree::new(TreeId(1), "t");
    let a = t.add_basic("a", 1.0 - 1e-7);
    let b = t.add_basic("b", 1.0 - 1e-7);
    let or = t.add_gate("or", GateKind::Or, vec![a, b]);
    let top = t.add_gate("top", GateKind::Not, vec![or]);
    t.top = Some(top);
    let tree = valid(&t);
    let got = analyze(&tree, &Options::default()).probability.exact.unwrap();
    let want = 1e-7 * 1e-7;
    assert!((got - want).abs() / want < 1e-8, "{got} vs {want}");
}

#[test]
fn two_out_of_three_by_hand() {
    let mut t = FaultTree::new(TreeId(1), "vote");
    let ids: Vec<_> = (0..3).map(|i| t.add_basic(format!("p{i}"), 0.1)).collect();
    let top = t.add_gate("top", GateKind::AtLeast { k: 2 }, ids);
    t.top = Some(top);
    let a = analyze(&valid(&t), &Options::default());
    // 3p²(1-p) + p³ = 0.028
    assert!((a.probability.exact.unwrap() - 0.028).abs() < 1e-15);
    assert_eq!(a.cut_set_count, 3);
    assert!((a.probability.rare_event - 0.03).abs() < 1e-15);
    assert!((a.probability.mcub - (1.0 - 0.99f64.powi(3))).abs() < 1e-15);
    let names: Vec<Vec<String>> = a.cut_sets.iter().map(|c| c.events.clone()).collect();
    assert_eq!(names, vec![vec!["p0", "p1"], vec!["p0", "p2"], vec!["p1", "p2"]]);
    // Birnbaum of p0: P(p1 or p2) - P(p1 and p2) = 0.19 - 0.01.
    assert!((a.importance[0].birnbaum - 0.18).abs() < 1e-15);
}

/// top = OR(g0, g2, g3), g0 = AND(a, b), g1 = NOR(d, e), g2 = AND(c, g1), g3 = AND(a, f): g1 and g2 are
/// modules (their events appear nowhere else), g0 and g3 are not (they share a), and the non-coherent module
/// g1 is substituted into the cut sets correctly.
#[test]
fn modules_are_found_and_substituted() {
    let (a, b, c, d, e, f) = (0, 1, 2, 3, 4, 5);
    let specs = vec![
        GateSpec { kind: 0, k: 1, args: vec![a, b] },
        GateSpec { kind: 6, k: 1, args: vec![d, e] },
        GateSpec { kind: 0, k: 1, args: vec![c, 7] },
        GateSpec { kind: 0, k: 1, args: vec![a, f] },
        GateSpec { kind: 1, k: 1, args: vec![6, 8, 9] },
    ];
    let tree = valid(&build(6, &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], &specs, None));
    let is_module = pdag::modules(&tree);
    let module_names: Vec<&str> =
        tree.gates.iter().zip(&is_module).filter(|(_, &m)| m).map(|(g, _)| g.name.as_str()).collect();
    assert_eq!(module_names, ["g1", "g2", "g4"]);
    // A module's level comes just before the contiguous levels of its events.
    let order = pdag::variable_order_with(&tree, &is_module, pdag::Heuristic::Dfs);
    let g1 = tree.gates.iter().position(|g| g.name == "g1").unwrap();
    let level = order.gate_level[g1] as usize;
    let mut under: Vec<usize> = order.event_at[level + 1..level + 3].to_vec();
    under.sort_unstable();
    assert_eq!(under, [d, e]);
    for options in [all(Algorithm::Bdd), Options { limit_order: Some(1), ..all(Algorithm::Bdd) }] {
        let got = analyze(&tree, &options);
        // a·b, a·f, and c alone (d and e working makes the NOR true).
        assert_eq!(got.cut_set_count, if options.limit_order.is_some() { 1 } else { 3 });
        compare_with_oracle(&tree, got, &options).unwrap();
    }
}

/// Twenty shared 2-out-of-3 votes over 30 events, ANDed in pairs under an OR: a BDD of a few hundred nodes.
fn votes_tree() -> FaultTree {
    let mut t = FaultTree::new(TreeId(1), "votes");
    let top = add_votes(&mut t, "top");
    t.top = Some(top);
    t
}

/// The logic of [`votes_tree`] under an OR gate named `name`, added to `t`: its gate.
fn add_votes(t: &mut FaultTree, name: &str) -> ElementId {
    let events: Vec<_> = (0..30).map(|i| t.add_basic(format!("e{i}"), 0.01 + 0.001 * i as f64)).collect();
    let votes: Vec<_> = (0..20)
        .map(|v| t.add_gate(format!("v{v}"), GateKind::AtLeast { k: 2 }, vec![events[(v * 7) % 30], events[(v * 11 + 3) % 30], events[(v * 13 + 5) % 30]]))
        .collect();
    let ands: Vec<_> = votes.chunks(2).enumerate().map(|(i, c)| t.add_gate(format!("a{i}"), GateKind::And, c.to_vec())).collect();
    t.add_gate(name, GateKind::Or, ands)
}

/// A ceiling on the BDD's nodes stops an analysis that needs more, naming the ceiling; a raised cancel flag
/// stops it; a ceiling it fits under changes nothing. A project's report says why it has no analysis.
#[test]
fn limits_stop_an_analysis() {
    let t = votes_tree();
    let tree = valid(&t);
    let options = Options::default();
    let mut project = Project::new("votes");
    project.fault_trees.push(t);
    let tiny = Limits { max_nodes: Some(100), ..Limits::default() };
    assert_eq!(analyze_within(&tree, &options, &tiny), Err(Stopped::TooLarge { max_nodes: 100 }));
    assert!(Stopped::TooLarge { max_nodes: 100 }.to_string().contains("more than 100 BDD nodes"));
    let cancelled = Limits { cancel: Some(Arc::new(AtomicBool::new(true))), ..Limits::default() };
    assert_eq!(analyze_within(&tree, &options, &cancelled), Err(Stopped::Cancelled));
    let roomy = Limits { cancel: Some(Arc::new(AtomicBool::new(false))), max_nodes: Some(1 << 20), max_zbdd_nodes: Some(1 << 20), max_mocus_entries: Some(1 << 20) };
    assert_eq!(analyze_within(&tree, &options, &roomy), Ok(analyze(&tree, &options)));

    let report = project.report_tree_within(TreeId(1), &options, &tiny).unwrap();
    assert!(report.analysis.is_none() && report.problems.is_empty());
    assert_eq!(report.stopped, Some(Stopped::TooLarge { max_nodes: 100 }));
    let report = project.report_tree_within(TreeId(1), &options, &cancelled).unwrap();
    assert_eq!(report.stopped, Some(Stopped::Cancelled));
    let report = project.report_tree_within(TreeId(1), &options, &roomy).unwrap();
    assert_eq!((report.analysis, report.stopped), (Some(analyze(&tree, &options)), None));
}

/// Past the node ceiling, a truncated analysis falls back to the cut sets found without a BDD: the same cut
/// sets and approximations as the exact route, and no exact probability.
#[test]
fn a_truncated_analysis_falls_back_to_cut_sets_past_the_ceiling() {
    let t = votes_tree();
    let tree = valid(&t);
    let tiny = Limits { max_nodes: Some(100), ..Limits::default() };
    for options in [Options { limit_order: Some(3), ..Options::default() }, Options { cut_off: Some(1e-5), ..Options::default() }] {
        let exact = analyze(&tree, &options);
        let fallback = analyze_within(&tree, &options, &tiny).unwrap();
        assert_eq!(fallback.probability.exact, None);
        assert!(exact.probability.exact.is_some());
        assert!(fallback.cut_set_count > 0);
        assert_eq!((fallback.cut_set_count, &fallback.order_distribution), (exact.cut_set_count, &exact.order_distribution));
        assert_eq!(sets_of(&fallback), sets_of(&exact));
        assert!(close(fallback.probability.rare_event, exact.probability.rare_event, 1e-12));
        assert!(close(fallback.probability.mcub, exact.probability.mcub, 1e-12));
        assert_eq!(fallback.probability.best(), fallback.probability.mcub);
        // No module to be exact around: the whole tree is sampled, and its estimate is near the exact figure.
        let sampled = fallback.probability.sampled.expect("sampled by default");
        let p = exact.probability.exact.unwrap();
        assert_eq!(sampled.samples, DEFAULT_SAMPLES);
        assert!((sampled.probability - p).abs() < 6.0 * sampled.std_error, "{sampled:?} vs {p}");
        assert!(sampled.low_95 < p && p < sampled.high_95, "{sampled:?} vs {p}");
        let unsampled = analyze_within(&tree, &Options { samples: 0, ..options.clone() }, &tiny).unwrap();
        assert_eq!(unsampled.probability.sampled, None);
        assert!(analyze(&tree, &options).probability.sampled.is_none(), "the exact analysis does not sample");
        // A ZBDD ceiling the cut sets do not fit under stops it, naming the ceiling; cancelling stops it too.
        let cramped = Limits { max_zbdd_nodes: Some(5), ..tiny.clone() };
        assert_eq!(analyze_within(&tree, &options, &cramped), Err(Stopped::CutSetsTooLarge { max_nodes: 5 }));
        assert!(Stopped::CutSetsTooLarge { max_nodes: 5 }.to_string().contains("more than 5 ZBDD nodes"));
        let cancelled = Limits { cancel: Some(Arc::new(AtomicBool::new(true))), ..tiny.clone() };
        assert_eq!(analyze_within(&tree, &options, &cancelled), Err(Stopped::Cancelled));
    }
}

/// Past the ceiling, when only one module is out of reach, P(top) is exact but for that module's
/// probability: the conditionals P(top | module fails / works) equal the exact analysis of the tree with
/// the module fixed, P(top) is affine in P(module) (checked against the exact analysis of the whole tree and
/// of the module alone, without a ceiling), the module's truncation leaves room for its context, and the
/// lower bound holds.
#[test]
fn a_module_out_of_reach_is_the_only_approximation() {
    let mut t = FaultTree::new(TreeId(1), "around votes");
    let module = add_votes(&mut t, "M");
    let (a, b, c) = (t.add_basic("A", 0.2), t.add_basic("B", 0.001), t.add_basic("C", 0.05));
    let with_a = t.add_gate("AM", GateKind::And, vec![a, module]);
    let bc = t.add_gate("BC", GateKind::And, vec![b, c]);
    let top = t.add_gate("top", GateKind::Or, vec![with_a, bc, b]);
    t.top = Some(top);
    let tree = valid(&t);
    let tiny = Limits { max_nodes: Some(100), ..Limits::default() };
    let options = Options { limit_order: Some(4), ..Options::default() };
    let got = analyze_within(&tree, &options, &tiny).unwrap();
    let exact = analyze(&tree, &Options::default()).probability.exact.unwrap();
    let m = got.approximated_module.clone().expect("M is approximated");
    assert_eq!((m.gate.as_str(), m.events), ("M", 30));
    // The context of M in the cut sets is {A}: one event, so M's sets go to order 3.
    assert_eq!(m.limit_order, Some(3));
    let m_index = tree.gates.iter().position(|g| g.name == "M").unwrap();
    let alone = tree.restricted(Arg::Gate(m_index), &[]);
    let p_m = analyze(&alone, &Options::default()).probability.exact.unwrap();
    assert!(close(m.if_working + p_m * (m.if_failed - m.if_working), exact, 1e-12), "P(top) is affine in P(M)");
    for (p, want) in [(1.0, m.if_failed), (0.0, m.if_working)] {
        let fixed = tree.restricted(tree.top, &[(m_index, p)]);
        assert!(close(analyze(&fixed, &Options::default()).probability.exact.unwrap(), want, 1e-12));
    }
    let m_cut_sets = analyze_by_cut_sets(&alone, &Options { limit_order: Some(3), ..Options::default() }, &Limits::default()).unwrap();
    assert_eq!((m.probability, m.cut_set_count), (m_cut_sets.probability.mcub, m_cut_sets.cut_set_count));
    let partial = got.probability.partial.unwrap();
    assert!(close(partial, m.if_working + m.probability * (m.if_failed - m.if_working), 1e-15));
    assert_eq!(got.probability.lower_bound, Some(m.if_working));
    // Coherent: P(top) is increasing in P(M), so the bound holds and the partial figure is above it; here
    // it is also closer to the exact value than the bound (M's sets to order 3 hold most of P(M)).
    assert!(m.if_working <= exact && m.if_working < partial);
    assert!((exact - partial).abs() < (exact - m.if_working) / 2.0, "{partial} vs {exact}");
    assert_eq!(got.probability.best(), partial);
    assert_eq!(got.probability.exact, None);
    // Only the module is sampled, and P(top)'s estimate goes through it: near the exact figures.
    let in_m = m.sampled.expect("the module is sampled");
    assert!((in_m.probability - p_m).abs() < 6.0 * in_m.std_error, "{in_m:?} vs {p_m}");
    let sampled = got.probability.sampled.unwrap();
    assert_eq!(sampled, in_m.through(m.if_working, m.if_failed - m.if_working));
    assert!(close(sampled.probability, m.if_working + in_m.probability * (m.if_failed - m.if_working), 1e-15));
    assert!(close(sampled.std_error, in_m.std_error * (m.if_failed - m.if_working), 1e-12));
    assert!(sampled.low_95 < exact && exact < sampled.high_95, "{sampled:?} vs {exact}");
    // Importance: around M, exactly that of the tree with M at its estimate; in M, through M's own
    // rare-event importance; Fussell-Vesely from the tree's cut sets, as before.
    let at_estimate = analyze(&tree.restricted(tree.top, &[(m_index, m.probability)]), &Options::default());
    let exact_importance = analyze(&tree, &Options::default()).importance;
    let plain = analyze_by_cut_sets(&tree, &options, &tiny).unwrap();
    for (i, imp) in got.importance.iter().enumerate() {
        assert_eq!(imp.fussell_vesely, plain.importance[i].fussell_vesely);
        let want = match at_estimate.importance.iter().find(|x| x.event == imp.event) {
            Some(around) => around.birnbaum,
            None => {
                let inside = m_cut_sets.importance.iter().find(|x| x.event == imp.event).expect("an event of M");
                inside.birnbaum * (m.if_failed - m.if_working)
            }
        };
        assert!(close(imp.birnbaum, want, 1e-12), "{}: {} vs {want}", imp.event, imp.birnbaum);
        // Around M, near the exact measure; for B and C, which do not act through M, closer than the plain
        // analysis by cut sets (A's Birnbaum is about P(M), approximated either way). In M, the events only
        // in sets beyond M's truncation get 0, as in the plain analysis.
        let exact_b = exact_importance[i].birnbaum;
        if ["B", "C"].contains(&imp.event.as_str()) {
            assert!((imp.birnbaum - exact_b).abs() <= (plain.importance[i].birnbaum - exact_b).abs(), "{}: partial {} plain {} exact {exact_b}", imp.event, imp.birnbaum, plain.importance[i].birnbaum);
        }
        if ["A", "B", "C"].contains(&imp.event.as_str()) {
            assert!((imp.birnbaum - exact_b).abs() <= 0.05 * exact_b.abs() + 1e-15, "{}: {} vs exact {exact_b}", imp.event, imp.birnbaum);
            assert!(close(imp.raw.unwrap(), at_estimate.importance.iter().find(|x| x.event == imp.event).unwrap().raw.unwrap() * at_estimate.probability.exact.unwrap() / partial, 1e-12));
        }
    }
    // Within the ceiling, nothing is approximated.
    let whole = analyze_within(&tree, &options, &Limits::default()).unwrap();
    assert!(whole.approximated_module.is_none() && whole.probability.partial.is_none() && whole.probability.lower_bound.is_none());
}

/// The cross-check algorithms stop at their own ceilings instead of exhausting memory: MOCUS at the entries
/// of its rows, the direct ZBDD at its nodes, whether or not the BDD fitted; within room, they give the same
/// result as without a ceiling. A raised cancel flag stops MOCUS too.
#[test]
fn mocus_and_the_direct_zbdd_stop_at_their_ceilings() {
    let t = votes_tree();
    let tree = valid(&t);
    for (algorithm, past_the_bdd) in [(Algorithm::Mocus, false), (Algorithm::Mocus, true), (Algorithm::Zbdd, false), (Algorithm::Zbdd, true)] {
        let options = Options { algorithm, limit_order: Some(4), ..Options::default() };
        let bdd = if past_the_bdd { Limits { max_nodes: Some(100), ..Limits::default() } } else { Limits::default() };
        let cramped = Limits { max_mocus_entries: Some(50), max_zbdd_nodes: Some(5), ..bdd.clone() };
        let want = match algorithm {
            Algorithm::Mocus => Stopped::RowsTooLarge { max_entries: 50 },
            _ => Stopped::CutSetsTooLarge { max_nodes: 5 },
        };
        assert_eq!(analyze_within(&tree, &options, &cramped), Err(want.clone()), "{algorithm:?}, past the BDD: {past_the_bdd}");
        let roomy = Limits { max_mocus_entries: Some(1 << 20), max_zbdd_nodes: Some(1 << 20), ..bdd.clone() };
        let got = analyze_within(&tree, &options, &roomy).unwrap();
        let free = analyze_within(&tree, &options, &bdd).unwrap();
        assert_eq!(sets_of(&got), sets_of(&free));
        assert_eq!(got.cut_set_count, free.cut_set_count);
    }
    assert!(Stopped::RowsTooLarge { max_entries: 50 }.to_string().contains("MOCUS's rows need more than 50 entries"));
    // An OR of 5,000 events: 5,001 rows to expand, past the first look at a raised flag.
    let mut wide = FaultTree::new(TreeId(2), "wide");
    let events: Vec<_> = (0..5000).map(|i| wide.add_basic(format!("e{i}"), 0.01)).collect();
    let top = wide.add_gate("top", GateKind::Or, events);
    wide.top = Some(top);
    let wide = valid(&wide);
    let flag = Some(Arc::new(AtomicBool::new(false)));
    assert_eq!(mocus::minimal_cut_sets_within(&wide, None, usize::MAX, &flag).map(|s| s.len()), Ok(5000));
    flag.as_ref().unwrap().store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(mocus::minimal_cut_sets_within(&wide, None, usize::MAX, &flag), Err(Stopped::Cancelled));
}

/// The observer of a staged analysis hears each stage once, in order, with the diagrams built (their sizes
/// those of the engine's own), and the result is that of `analyze_within`. By cut sets, it hears the BDD
/// given up and the cut sets, and the run says why the BDD was given up.
#[test]
fn a_staged_analysis_reports_its_stages_in_order() {
    let tree = valid(&votes_tree());
    let options = Options { limit_order: Some(3), ..Options::default() };
    let engine = Engine::new(&tree);
    let expected_sizes = (engine.bdd_size(), engine.cut_sets(&options).zbdd_size());
    for (limits, by_cut_sets) in [(Limits::default(), None), (Limits { max_nodes: Some(100), ..Limits::default() }, Some(Stopped::TooLarge { max_nodes: 100 }))] {
        let mut heard = Vec::new();
        let (analysis, why) = analyze_staged(&tree, &options, &limits, &mut |stage| {
            heard.push(match stage {
                Stage::Bdd(engine) => format!("bdd {:?}", engine.map(|e| e.bdd_size())),
                Stage::Probability => "probability".to_string(),
                Stage::CutSets(cut_sets) => format!("cut sets {:?}", cut_sets.map(|c| c.zbdd_size())),
            })
        })
        .unwrap();
        assert_eq!(Ok(analysis), analyze_within(&tree, &options, &limits));
        assert_eq!(why, by_cut_sets);
        let want: Vec<String> = if by_cut_sets.is_none() {
            vec![format!("bdd {:?}", Some(expected_sizes.0)), "probability".into(), format!("cut sets {:?}", Some(expected_sizes.1))]
        } else {
            vec!["bdd None".into(), "cut sets None".into()]
        };
        assert_eq!(heard, want);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The analysis by cut sets (no BDD) finds the same truncated cut sets as the exact route, by the direct
    /// ZBDD and by MOCUS, and its importance measures are the rare-event ones, checked against their
    /// definitions summed over the listed sets.
    #[test]
    fn analysis_by_cut_sets_matches_its_definitions(t in arb_tree(false), limit in prop_oneof![Just(None), (0usize..5).prop_map(Some)]) {
        let tree = valid(&t);
        let options = Options { limit_order: limit, max_cut_sets: 0, ..Options::default() };
        let exact = analyze(&tree, &options);
        for algorithm in [Algorithm::Bdd, Algorithm::Mocus] {
            let got = analyze_by_cut_sets(&tree, &Options { algorithm, ..options.clone() }, &Limits::default()).unwrap();
            prop_assert_eq!(got.probability.exact, None);
            prop_assert_eq!(got.cut_set_count, exact.cut_set_count);
            prop_assert_eq!(&got.order_distribution, &exact.order_distribution);
            prop_assert_eq!(sets_of(&got), sets_of(&exact));
            let rare: f64 = got.cut_sets.iter().map(|c| c.probability).sum();
            prop_assert!(close(got.probability.rare_event, rare, 1e-12));
            prop_assert!(close(got.probability.mcub, exact.probability.mcub, 1e-12));
            for (i, imp) in got.importance.iter().enumerate() {
                let p = tree.events[i].p;
                let containing: Vec<&_> = got.cut_sets.iter().filter(|c| c.event_indices.contains(&i)).collect();
                let s: f64 = containing.iter().map(|c| c.probability).sum();
                let d: f64 = containing.iter().map(|c| c.event_indices.iter().filter(|&&j| j != i).map(|&j| tree.events[j].p).product::<f64>()).sum();
                prop_assert!(close(imp.birnbaum, d, 1e-12), "Birnbaum of {}: {} vs {}", imp.event, imp.birnbaum, d);
                if rare > 0.0 {
                    prop_assert!(close(imp.fussell_vesely, s / rare, 1e-12));
                    prop_assert!(close(imp.criticality, d * p / rare, 1e-12));
                    prop_assert!(close(imp.raw.unwrap(), (rare - s + d) / rare, 1e-12));
                }
                if rare - s > 1e-6 * rare {
                    prop_assert!(close(imp.rrw.unwrap(), rare / (rare - s), 1e-6));
                }
            }
        }
    }

    /// Preprocessing keeps the top event's function (on all 2^n assignments) and the events, keeps the
    /// gates in topological order, and every group it makes is a module.
    #[test]
    fn preprocessing_keeps_the_function(t in arb_tree(false)) {
        let tree = valid(&t);
        let pre = preprocess::preprocess(&tree);
        prop_assert_eq!(&pre.events, &tree.events);
        for (i, g) in pre.gates.iter().enumerate() {
            for a in &g.args {
                if let Arg::Gate(c) = a { prop_assert!(*c < i, "{} uses a later gate", g.name); }
            }
        }
        let is_module = pdag::modules(&pre);
        for (g, m) in pre.gates.iter().zip(&is_module) {
            if g.name.contains('~') { prop_assert!(*m, "group {} is not a module", g.name); }
        }
        let n = tree.events.len();
        for bits in 0u32..(1 << n) {
            let failed: Vec<bool> = (0..n).map(|i| bits >> i & 1 == 1).collect();
            prop_assert_eq!(pre.eval(&failed), tree.eval(&failed), "assignment {:b}", bits);
        }
    }

    /// What the analysis around a module rests on: a module is independent of the rest, so with the tree
    /// cut at it (`ValidTree::restricted`), P(top) = P(top | M fails) · P(M) + P(top | M works) · (1 − P(M))
    /// for every module M, each term from the brute-force oracle of a restricted tree.
    #[test]
    fn p_top_is_affine_in_every_module(t in arb_tree(false)) {
        let tree = valid(&t);
        let Arg::Gate(top) = tree.top else { return Ok(()) };
        let p = |tree: &ValidTree| oracle::analyze(tree, &Options::default()).probability.exact.unwrap();
        let whole = p(&tree);
        for (m, &is_module) in pdag::modules(&tree).iter().enumerate() {
            if !is_module || m == top {
                continue;
            }
            let p_m = p(&tree.restricted(Arg::Gate(m), &[]));
            let fails = p(&tree.restricted(tree.top, &[(m, 1.0)]));
            let works = p(&tree.restricted(tree.top, &[(m, 0.0)]));
            prop_assert!(close(fails * p_m + works * (1.0 - p_m), whole, 1e-12), "module {}: {} vs {}", tree.gates[m].name, fails * p_m + works * (1.0 - p_m), whole);
            // A restricted tree is valid: gates after their arguments, every event used.
            let cut = tree.restricted(tree.top, &[(m, 0.5)]);
            for (i, g) in cut.gates.iter().enumerate() {
                for a in &g.args {
                    if let Arg::Gate(c) = a { prop_assert!(*c < i); }
                }
            }
            prop_assert_eq!(cut.events.last().map(|e| e.name.as_str()), Some(tree.gates[m].name.as_str()));
        }
    }
}

/// OR(a, b, c, G, H), with a, b and c used nowhere else and G and H sharing x: a, b and c become one module
/// `OR(a, b, c)`; the single-parent AND under the top's AND is coalesced into it.
#[test]
fn preprocessing_groups_modular_arguments() {
    let mut t = FaultTree::new(TreeId(1), "groups");
    let e: Vec<_> = ["a", "b", "c", "x", "y", "z"].iter().map(|n| t.add_basic(*n, 0.1)).collect();
    let g = t.add_gate("G", GateKind::And, vec![e[3], e[4]]);
    let h = t.add_gate("H", GateKind::And, vec![e[3], e[5]]);
    let top = t.add_gate("top", GateKind::Or, vec![e[0], e[1], e[2], g, h]);
    t.top = Some(top);
    let tree = valid(&t);
    let pre = preprocess::preprocess(&tree);
    let describe = |tree: &ValidTree| -> Vec<String> {
        tree.gates.iter().map(|g| {
            let args: Vec<String> = g.args.iter().map(|a| match *a {
                Arg::Event(i) => tree.events[i].name.clone(),
                Arg::Gate(i) => tree.gates[i].name.clone(),
                Arg::Const(c) => c.to_string(),
            }).collect();
            format!("{} = {}({})", g.name, g.kind.name(), args.join(", "))
        }).collect()
    };
    assert_eq!(describe(&pre), ["G = and(x, y)", "H = and(x, z)", "top~1 = or(a, b, c)", "top = or(G, H, top~1)"]);
    let is_module = pdag::modules(&pre);
    assert_eq!(is_module, [false, false, true, true]);
    // Same results as without it, through the engine (which preprocesses) and the oracle.
    compare_with_oracle(&tree, analyze(&tree, &all(Algorithm::Bdd)), &all(Algorithm::Bdd)).unwrap();
}

/// Runs `f` on a thread with a 256 MiB stack: validation and the diagram operations recurse once per level,
/// and the CLI and the app analyse on such a thread too.
fn on_a_large_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(1 << 28).spawn(f).unwrap().join().expect("no panic")
}

/// A chain of `n` nested modules: g_i = OR(g_{i+1}, e_i), and g_n = AND(a, b). Its events are e_0, …,
/// e_{n−1} (probability `p`), then a and b (0.1 each).
fn chain_tree(n: usize, p: f64) -> FaultTree {
    let mut t = FaultTree::new(TreeId(1), "chain");
    let a = t.add_basic("a", 0.1);
    let b = t.add_basic("b", 0.1);
    let mut below = t.add_gate(format!("g{n}"), GateKind::And, vec![a, b]);
    for i in (0..n).rev() {
        let e = t.add_basic(format!("e{i}"), p);
        below = t.add_gate(format!("g{i}"), GateKind::Or, vec![below, e]);
    }
    t.top = Some(below);
    t
}

/// Every heuristic but the plain walk places a gate's own events before its large modules (over 64 events):
/// in a chain of nested modules, e_i comes before the module g_{i+1} (and so before its whole block). This
/// keeps substituting the modules' cut sets linear in the chain (see `pdag::variable_order_with`).
#[test]
fn a_gates_events_come_before_its_large_modules_in_the_order() {
    let n = 200;
    let tree = valid(&chain_tree(n, 1e-3));
    let is_module = pdag::modules(&tree);
    let gate = |name: &str| tree.gates.iter().position(|g| g.name == name).unwrap();
    let event = |name: &str| tree.event_index(name).unwrap();
    for h in pdag::PORTFOLIO.iter().chain(&pdag::PROBES) {
        let order = pdag::variable_order_with(&tree, &is_module, *h);
        // g_{i+1} has n − i + 1 events under it: more than 64 for i < n − 64.
        for i in 0..n - 64 {
            let (e, g) = (event(&format!("e{i}")), gate(&format!("g{}", i + 1)));
            assert!(is_module[g]);
            assert!(order.level_of[e] < order.gate_level[g], "{h:?}: e{i} at {} after g{} at {}", order.level_of[e], i + 1, order.gate_level[g]);
        }
    }
}

/// A chain of 20,000 nested modules (every gate a module, 20,000 levels deep) is analysed exactly: its
/// 20,001 minimal cut sets (each e_i alone, and {a, b}) and P(top) = 1 − (1 − p)^n · (1 − 0.01), with
/// e_0's Birnbaum importance. Validation and the diagram operations recurse once per level, so it runs on
/// a large stack, as in the CLI and the app. Before modules came last in the order this took O(n²) ZBDD
/// nodes (12 GB), and the conditional probabilities O(modules · levels) time.
#[test]
fn a_deep_chain_of_modules_is_analysed_exactly() {
    let n = 20_000;
    let p = 1e-7;
    let a = on_a_large_stack(move || analyze(&valid(&chain_tree(n, p)), &Options { max_cut_sets: 3, ..Options::default() }));
    assert_eq!(a.cut_set_count, n as u64 + 1);
    assert_eq!(a.order_distribution, vec![0, n as u64, 1]);
    // (1 − p)^k as exp(k · ln(1 − p)): powi loses digits at such exponents.
    let works = |k: usize| (k as f64 * (-p).ln_1p()).exp();
    let want = 1.0 - works(n) * (1.0 - 0.01);
    assert!(close(a.probability.exact.unwrap(), want, 1e-12), "{:?} vs {want}", a.probability);
    let e0 = a.importance.iter().find(|i| i.event == "e0").unwrap();
    // Birnbaum of e_0: P(top | e0) − P(top | ¬e0) = 1 − P(rest) = (1 − p)^(n−1) · 0.99.
    assert!(close(e0.birnbaum, works(n - 1) * 0.99, 1e-12), "{e0:?}");
}

/// A flat OR of 50,000 events (a diagram 50,000 levels deep, so on a large stack): 50,000 cut sets of
/// order 1 and P(top) = 1 − (1 − p)^n. (Each node's
/// "{∅} without the sets below" once walked the whole low chain: O(n²), 8.5 s at n = 100,000.)
#[test]
fn a_wide_or_is_analysed_exactly() {
    let n = 50_000;
    let p = 1e-6;
    let mut t = FaultTree::new(TreeId(1), "wide");
    let events: Vec<_> = (0..n).map(|i| t.add_basic(format!("e{i}"), p)).collect();
    t.top = Some(t.add_gate("top", GateKind::Or, events));
    let a = on_a_large_stack(move || analyze(&valid(&t), &Options { max_cut_sets: 2, ..Options::default() }));
    assert_eq!((a.cut_set_count, a.order_distribution.clone()), (n as u64, vec![0, n as u64]));
    let want = -(n as f64 * (-p).ln_1p()).exp_m1();
    assert!(close(a.probability.exact.unwrap(), want, 1e-12), "{:?} vs {want}", a.probability);
    assert!(close(a.probability.rare_event, n as f64 * p, 1e-12));
}

/// Whether `hits` of `n` samples are within what a probability `p` allows: none when p = 0, all when
/// p = 1 (or the oracle's rounding just above), and otherwise within 6 standard deviations plus 3 (for the Poisson tail when n·p is small). A
/// correct sampler fails this about once in 10^8 cases; a wrong probability of a few percent fails it.
fn plausible(hits: u64, n: u64, p: f64) -> bool {
    let (h, n) = (hits as f64, n as f64);
    if p <= 0.0 {
        hits == 0
    } else if p >= 1.0 {
        h == n
    } else {
        (h - n * p).abs() <= 6.0 * (n * p * (1.0 - p)).sqrt() + 3.0
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The Monte Carlo estimate agrees with the oracle's exact probability on random trees of every gate
    /// kind, with probabilities of every size (one draw per lane above 1/8, geometric jumps below) and with
    /// many events sharing a probability (drawn in one sequence); it is reproducible from its seed, and its
    /// figures agree with its hits.
    #[test]
    fn monte_carlo_matches_oracle(t in prop_oneof![arb_tree(false), arb_tree_of(false, true)], seed in any::<u64>()) {
        let tree = valid(&t);
        let p = oracle::analyze(&tree, &Options::default()).probability.exact.unwrap();
        let e = sampling::estimate(&tree, 20_000, seed, &None).unwrap();
        prop_assert_eq!(e.samples, 20_032, "rounded up to whole words of 64");
        prop_assert!(plausible(e.hits, e.samples, p), "{} hits of {} for P = {}", e.hits, e.samples, p);
        prop_assert_eq!(e.probability, e.hits as f64 / e.samples as f64);
        prop_assert!(e.low_95 <= e.probability && e.probability <= e.high_95);
        prop_assert_eq!(e, sampling::estimate(&tree, 20_000, seed, &None).unwrap());
    }
}

/// Seeds matter, the interval covers the probability about 95% of the time, and cancelling stops it.
#[test]
fn monte_carlo_intervals_cover_the_probability() {
    let t = votes_tree();
    let tree = valid(&t);
    let p = analyze(&tree, &Options::default()).probability.exact.unwrap();
    let runs: Vec<sampling::Estimate> = (0..200).map(|seed| sampling::estimate(&tree, 1 << 14, seed, &None).unwrap()).collect();
    let covered = runs.iter().filter(|e| e.low_95 <= p && p <= e.high_95).count();
    // Binomial(200, 0.95): 190 expected, standard deviation 3.1.
    assert!((176..=200).contains(&covered), "{covered} of 200 intervals cover {p}");
    let distinct: std::collections::HashSet<u64> = runs.iter().map(|e| e.hits).collect();
    assert!(distinct.len() > 10, "the seed changes the samples");
    let mean = runs.iter().map(|e| e.probability).sum::<f64>() / runs.len() as f64;
    let se = runs[0].std_error / (runs.len() as f64).sqrt();
    assert!((mean - p).abs() < 6.0 * se, "mean {mean} vs {p}");
    let cancel = Some(Arc::new(AtomicBool::new(true)));
    assert_eq!(sampling::estimate(&tree, 1 << 20, 1, &cancel), Err(Stopped::Cancelled));
}
