use super::*;
use crate::fault_tree::{FaultTree, GateKind, TreeId};
use proptest::prelude::*;

fn opts() -> LayoutOptions {
    LayoutOptions::default()
}

/// The tidy-tree children of each instance: its arguments drawn below it (side conditions excluded).
fn below(l: &Layout) -> Vec<Vec<usize>> {
    let mut kids = vec![Vec::new(); l.nodes.len()];
    for &(p, c) in &l.edges {
        if !l.nodes[c].side {
            kids[p].push(c);
        }
    }
    kids
}

/// Checks every structural promise of a layout; panics naming the broken one.
fn check(tree: &FaultTree, o: &LayoutOptions, l: &Layout) {
    let args: usize = tree.elements.iter().map(|e| if let ElementKind::Gate { args, .. } = &e.kind { args.len() } else { 0 }).sum();
    assert!(l.nodes.len() <= tree.elements.len() + args + 1, "{} instances for {} elements and {args} arguments", l.nodes.len(), tree.elements.len());
    // Edges: one per non-root instance, pointing from its parent, parent first (pre-order).
    let with_parent: Vec<(usize, usize)> = l.nodes.iter().enumerate().filter_map(|(i, n)| n.parent.map(|p| (p, i))).collect();
    assert_eq!(l.edges, with_parent);
    for &(p, c) in &l.edges {
        assert!(p < c, "pre-order: parent {p} after child {c}");
        let (pn, cn) = (&l.nodes[p], &l.nodes[c]);
        assert_eq!(cn.depth, if cn.side { pn.depth } else { pn.depth + 1 });
        assert!(pn.symbol.is_gate() && !pn.repeat, "only expanded gates have arguments drawn");
        assert!(!o.collapsed.contains(&pn.element), "a collapsed gate has arguments drawn");
    }
    // Bounds and vertical positions.
    let (w, h) = (o.node_width, o.node_height);
    for n in &l.nodes {
        assert!(n.x - w / 2.0 >= -1e-6 && n.x + w / 2.0 <= l.width + 1e-6, "node at x={} outside 0..{}", n.x, l.width);
        assert!((n.y - n.depth as f64 * (h + o.level_gap)).abs() < 1e-9);
        assert!(n.y + h <= l.height + 1e-6);
    }
    // No two nodes overlap at the same depth (every pair, sorted by x).
    let deepest = l.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    for d in 0..=deepest {
        let mut xs: Vec<f64> = l.nodes.iter().filter(|n| n.depth == d).map(|n| n.x).collect();
        xs.sort_by(f64::total_cmp);
        for pair in xs.windows(2) {
            assert!(pair[1] - pair[0] >= w + o.sibling_gap - 1e-6, "depth {d}: nodes at {} and {} overlap", pair[0], pair[1]);
        }
    }
    // Parents centred over their arguments.
    for (p, kids) in below(l).iter().enumerate() {
        if let (Some(&a), Some(&b)) = (kids.first(), kids.last()) {
            let centre = (l.nodes[a].x + l.nodes[b].x) / 2.0;
            assert!((l.nodes[p].x - centre).abs() < 1e-6, "instance {p} at {} not centred over {centre}", l.nodes[p].x);
        }
        // Arguments left to right in their order.
        for pair in kids.windows(2) {
            assert!(l.nodes[pair[0]].x < l.nodes[pair[1]].x);
        }
    }
    // Each gate is expanded at most once: only one of its instances has arguments drawn.
    let mut expanded = std::collections::HashSet::new();
    for &(p, _) in &l.edges {
        expanded.insert(p);
    }
    let mut elements = std::collections::HashSet::new();
    for p in expanded {
        assert!(elements.insert(l.nodes[p].element), "gate {} expanded twice", l.nodes[p].element);
    }
}

/// A random document: `n` elements with ids 1..=n, gates with arguments among 1..=n+2 (so some are undefined,
/// some cycles, some shared), a random top (possibly undefined or absent) and some collapsed gates.
fn arb_tree() -> impl Strategy<Value = (FaultTree, BTreeSet<ElementId>)> {
    (1usize..40).prop_flat_map(|n| {
        let element = (0u8..12, prop::collection::vec(1u32..=(n as u32 + 2), 0..5), 0.0f64..1.0);
        (
            prop::collection::vec(element, n),
            prop::option::of(1u32..=(n as u32 + 1)),
            prop::collection::btree_set(1u32..=(n as u32), 0..3),
        )
            .prop_map(move |(els, top, collapsed)| {
                let mut t = FaultTree::new(TreeId(1), "random");
                for (i, (kind, args, p)) in els.into_iter().enumerate() {
                    let args: Vec<ElementId> = args.into_iter().map(ElementId).collect();
                    let name = format!("e{}", i + 1);
                    let kind = match kind {
                        0 | 1 => ElementKind::BasicEvent { probability: crate::fault_tree::Probability::Fixed { p } },
                        2 => ElementKind::HouseEvent { state: p > 0.5 },
                        3 => ElementKind::UndevelopedEvent { probability: crate::fault_tree::Probability::Fixed { p } },
                        4 => ElementKind::Transfer { tree: TreeId(2), gate: None },
                        5 => ElementKind::Gate { gate: GateKind::Inhibit, args: args.into_iter().take(2).collect() },
                        6 => ElementKind::Gate { gate: GateKind::AtLeast { k: 2 }, args },
                        7 => ElementKind::Gate { gate: GateKind::Xor, args },
                        8 => ElementKind::Gate { gate: GateKind::Not, args },
                        9 => ElementKind::Gate { gate: GateKind::And, args },
                        _ => ElementKind::Gate { gate: GateKind::Or, args },
                    };
                    t.add(name, kind);
                }
                t.top = top.map(ElementId);
                (t, collapsed.into_iter().map(ElementId).collect())
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn random_documents_lay_out_tidily((tree, collapsed) in arb_tree(), gap in 0.0f64..50.0) {
        let o = LayoutOptions { collapsed, sibling_gap: gap, ..opts() };
        let l = layout(&tree, &o);
        check(&tree, &o, &l);
        prop_assert_eq!(&l, &layout(&tree, &o), "deterministic");
        if tree.top.is_none() {
            // Without a top every element is drawn somewhere.
            for e in &tree.elements {
                prop_assert!(!instances_of(&l, e.id).is_empty(), "{} not drawn", e.name);
            }
        }
    }
}

/// top = OR(G1, G2, d); G1 = AND(a, b, S); G2 = AND(S, c); S = OR(a, d). `a`, `d` and `S` are shared.
fn shared_tree() -> FaultTree {
    let mut t = FaultTree::new(TreeId(1), "shared");
    let a = t.add_basic("a", 0.1);
    let b = t.add_basic("b", 0.2);
    let c = t.add_basic("c", 0.3);
    let d = t.add_basic("d", 0.4);
    let s = t.add_gate("S", GateKind::Or, vec![a, d]);
    let g1 = t.add_gate("G1", GateKind::And, vec![a, b, s]);
    let g2 = t.add_gate("G2", GateKind::And, vec![s, c]);
    t.top = Some(t.add_gate("top", GateKind::Or, vec![g1, g2, d]));
    t
}

fn id(t: &FaultTree, name: &str) -> ElementId {
    t.by_name(name).unwrap().id
}

fn names(t: &FaultTree, l: &Layout) -> Vec<String> {
    l.nodes.iter().map(|n| t.element(n.element).map_or("?".to_string(), |e| e.name.clone())).collect()
}

#[test]
fn shared_gate_expands_once_then_repeats() {
    let t = shared_tree();
    let l = layout(&t, &opts());
    check(&t, &opts(), &l);
    assert_eq!(names(&t, &l), ["top", "G1", "a", "b", "S", "a", "d", "G2", "S", "c", "d"]);
    let s = instances_of(&l, id(&t, "S"));
    assert_eq!(s, [4, 8]);
    assert!(!l.nodes[4].repeat && l.nodes[4].hidden_children == 0);
    assert!(l.nodes[8].repeat && l.nodes[8].hidden_children == 2);
    assert!(l.edges.iter().all(|&(p, _)| p != 8), "a repeat has no arguments drawn");
    // Markers: a, d and S are used twice; b, c, G1, G2 and top once. The same index at every use.
    for name in ["a", "d", "S"] {
        let m: Vec<_> = instances_of(&l, id(&t, name)).iter().map(|&i| l.nodes[i].shared).collect();
        assert!(m[0].is_some() && m.iter().all(|x| *x == m[0]), "{name}: {m:?}");
    }
    for name in ["b", "c", "G1", "G2", "top"] {
        assert!(instances_of(&l, id(&t, name)).iter().all(|&i| l.nodes[i].shared.is_none()), "{name}");
    }
    let markers: BTreeSet<_> = l.nodes.iter().filter_map(|n| n.shared).collect();
    assert_eq!(markers.len(), 3, "distinct colours for distinct shared elements");
}

#[test]
fn collapse_hides_descendants() {
    let t = shared_tree();
    let o = LayoutOptions { collapsed: [id(&t, "G1")].into(), ..opts() };
    let l = layout(&t, &o);
    check(&t, &o, &l);
    // G1's arguments vanish, so S is first expanded under G2.
    assert_eq!(names(&t, &l), ["top", "G1", "G2", "S", "a", "d", "c", "d"]);
    let g1 = instances_of(&l, id(&t, "G1"))[0];
    assert_eq!(l.nodes[g1].hidden_children, 3);
    assert!(!l.nodes[g1].repeat);
    assert!(instances_of(&l, id(&t, "b")).is_empty());
    // Collapsing the top leaves only the top.
    let o = LayoutOptions { collapsed: [id(&t, "top")].into(), ..opts() };
    let l = layout(&t, &o);
    assert_eq!(l.nodes.len(), 1);
    assert_eq!(l.nodes[0].hidden_children, 3);
    assert_eq!((l.width, l.height), (o.node_width, o.node_height));
}

#[test]
fn parents_are_centred_and_siblings_packed() {
    let mut t = FaultTree::new(TreeId(1), "t");
    let a = t.add_basic("a", 0.1);
    let b = t.add_basic("b", 0.1);
    let c = t.add_basic("c", 0.1);
    t.top = Some(t.add_gate("top", GateKind::And, vec![a, b, c]));
    let o = opts();
    let l = layout(&t, &o);
    let step = o.node_width + o.sibling_gap;
    let xs: Vec<f64> = l.nodes.iter().map(|n| n.x).collect();
    assert_eq!(xs, [o.node_width / 2.0 + step, o.node_width / 2.0, o.node_width / 2.0 + step, o.node_width / 2.0 + 2.0 * step]);
    assert_eq!(l.width, 3.0 * o.node_width + 2.0 * o.sibling_gap);
    assert_eq!(l.height, 2.0 * o.node_height + o.level_gap);
}

#[test]
fn small_subtrees_between_large_ones_are_spread_evenly() {
    // Walker's fix of Reingold–Tilford: leaves between two wide subtrees share the space evenly.
    let mut t = FaultTree::new(TreeId(1), "t");
    let wide = |t: &mut FaultTree, name: &str| {
        let kids: Vec<ElementId> = (0..4).map(|i| t.add_basic(format!("{name}{i}"), 0.1)).collect();
        t.add_gate(name, GateKind::Or, kids)
    };
    let l1 = wide(&mut t, "L");
    let x = t.add_basic("x", 0.1);
    let y = t.add_basic("y", 0.1);
    let r1 = wide(&mut t, "R");
    t.top = Some(t.add_gate("top", GateKind::And, vec![l1, x, y, r1]));
    let l = layout(&t, &opts());
    check(&t, &opts(), &l);
    let at = |name: &str| l.nodes[instances_of(&l, id(&t, name))[0]].x;
    let (dl, dx, dy) = (at("x") - at("L"), at("y") - at("x"), at("R") - at("y"));
    assert!((dl - dx).abs() < 1e-6 && (dx - dy).abs() < 1e-6, "{dl} {dx} {dy}");
}

#[test]
fn cycles_stop_at_the_element_on_the_path() {
    let mut t = FaultTree::new(TreeId(1), "cycle");
    let a = t.add_basic("a", 0.1);
    let g1 = t.fresh_id();
    let g2 = ElementId(g1.0 + 1);
    t.add_gate("G1", GateKind::Or, vec![g2, a]);
    t.add_gate("G2", GateKind::And, vec![g1]);
    t.top = Some(g1);
    let l = layout(&t, &opts());
    check(&t, &opts(), &l);
    assert_eq!(names(&t, &l), ["G1", "G2", "G1", "a"]);
    assert!(l.nodes[2].repeat && l.nodes[2].hidden_children == 2);
    // A self-loop, and no top: the loop is still drawn (every element is).
    let mut t = FaultTree::new(TreeId(1), "self");
    let g = t.fresh_id();
    t.add_gate("G", GateKind::Or, vec![g]);
    let l = layout(&t, &opts());
    assert_eq!(names(&t, &l), ["G", "G"]);
    assert!(l.nodes[1].repeat);
}

#[test]
fn bad_input_is_drawn_not_rejected() {
    // Empty tree.
    let t = FaultTree::new(TreeId(1), "empty");
    assert_eq!(layout(&t, &opts()), Layout::default());
    // Undefined top.
    let mut t = FaultTree::new(TreeId(1), "t");
    t.top = Some(ElementId(42));
    let l = layout(&t, &opts());
    assert_eq!(l.nodes.len(), 1);
    assert_eq!((l.nodes[0].symbol, l.nodes[0].element), (Symbol::Missing, ElementId(42)));
    // Undefined argument, and a gate without arguments.
    let mut t = FaultTree::new(TreeId(1), "t");
    let empty = t.add_gate("E", GateKind::And, vec![]);
    t.top = Some(t.add_gate("top", GateKind::Or, vec![ElementId(99), empty]));
    let l = layout(&t, &opts());
    check(&t, &opts(), &l);
    assert_eq!(l.nodes[1].symbol, Symbol::Missing);
    assert_eq!(l.nodes[1].element, ElementId(99));
    assert_eq!(l.nodes[2].symbol, Symbol::And);
    // Zero and negative sizes do not break anything.
    let o = LayoutOptions { node_width: -5.0, node_height: 0.0, sibling_gap: -1.0, level_gap: 0.0, ..opts() };
    let l = layout(&shared_tree(), &o);
    assert!(l.nodes.iter().all(|n| n.x.is_finite() && n.y.is_finite()));
}

#[test]
fn no_top_lays_roots_side_by_side() {
    let mut t = FaultTree::new(TreeId(1), "t");
    let a = t.add_basic("a", 0.1);
    t.add_gate("G1", GateKind::Or, vec![a]);
    t.add_basic("lonely", 0.1);
    t.add_gate("G2", GateKind::And, vec![a]);
    let l = layout(&t, &opts());
    check(&t, &opts(), &l);
    assert_eq!(names(&t, &l), ["G1", "a", "lonely", "G2", "a"]);
    let roots: Vec<f64> = l.nodes.iter().filter(|n| n.parent.is_none()).map(|n| n.x).collect();
    assert_eq!(roots.len(), 3);
    assert!(roots.windows(2).all(|p| p[0] < p[1]));
}

#[test]
fn inhibit_condition_sits_beside_the_gate() {
    let mut t = FaultTree::new(TreeId(1), "t");
    let input = t.add_basic("input", 0.1);
    let cond = t.add(
        "cond",
        ElementKind::HouseEvent { state: true },
    );
    let inh = t.add_gate("INH", GateKind::Inhibit, vec![input, cond]);
    let other = t.add_basic("other", 0.1);
    t.top = Some(t.add_gate("top", GateKind::Or, vec![inh, other]));
    let o = opts();
    let l = layout(&t, &o);
    check(&t, &o, &l);
    let at = |name: &str| instances_of(&l, id(&t, name))[0];
    let (g, c, i) = (at("INH"), at("cond"), at("input"));
    assert!(l.nodes[c].side && !l.nodes[i].side);
    assert_eq!(l.nodes[c].depth, l.nodes[g].depth);
    assert_eq!(l.nodes[c].x, l.nodes[g].x + o.node_width + o.sibling_gap);
    assert_eq!(l.nodes[g].x, l.nodes[i].x, "the gate is centred over its input alone");
    // `other` is pushed right of the condition.
    assert!(l.nodes[at("other")].x >= l.nodes[c].x + o.node_width + o.sibling_gap - 1e-9);
    let route = edge_route(&l, &o, l.edges.iter().position(|&(_, ch)| ch == c).unwrap());
    assert_eq!(route.len(), 2);
    assert_eq!(route[0].1, route[1].1, "a side edge is horizontal");
    // A gate as the condition is drawn below like any argument.
    let mut t2 = t.clone();
    let g = t2.add_gate("CG", GateKind::Or, vec![cond]);
    if let Some(ElementKind::Gate { args, .. }) = t2.element_mut(inh).map(|e| &mut e.kind) {
        args[1] = g;
    }
    let l2 = layout(&t2, &o);
    check(&t2, &o, &l2);
    assert!(l2.nodes.iter().all(|n| !n.side));
}

#[test]
fn deep_chains_do_not_exhaust_the_stack() {
    let mut t = FaultTree::new(TreeId(1), "deep");
    let mut below = t.add_basic("leaf", 0.1);
    for i in 0..20_000 {
        let side = t.add_basic(format!("s{i}"), 0.1);
        below = t.add_gate(format!("g{i}"), GateKind::And, vec![below, side]);
    }
    t.top = Some(below);
    let l = layout(&t, &opts());
    assert_eq!(l.nodes.len(), 40_001);
    assert_eq!(l.nodes.iter().map(|n| n.depth).max(), Some(20_000));
}

#[test]
fn heavily_shared_dags_stay_linear() {
    // A ladder where every gate uses the two gates below it: 2^60 paths unfolded naively.
    let mut t = FaultTree::new(TreeId(1), "ladder");
    let mut a = t.add_basic("x", 0.1);
    let mut b = t.add_basic("y", 0.1);
    for i in 0..60 {
        let g = t.add_gate(format!("g{i}"), GateKind::Or, vec![a, b]);
        (a, b) = (b, g);
    }
    t.top = Some(b);
    let l = layout(&t, &opts());
    check(&t, &opts(), &l);
    assert!(l.nodes.len() <= 2 * 62 + 1);
    // Every gate is drawn once expanded; every other use of a gate is a repeat: g1 uses one gate, g2..g59 two.
    let gate_uses = 1 + 2 * 58;
    assert_eq!(l.nodes.iter().filter(|n| n.repeat).count(), gate_uses - (60 - 1));
}

#[test]
fn outlines_are_closed_and_inside_their_box() {
    let all = [
        Symbol::And,
        Symbol::Or,
        Symbol::Vote { k: 2, n: 3 },
        Symbol::Not,
        Symbol::Xor,
        Symbol::Nand,
        Symbol::Nor,
        Symbol::Inhibit,
        Symbol::Basic,
        Symbol::Undeveloped,
        Symbol::House { state: true },
        Symbol::Transfer,
        Symbol::Missing,
    ];
    let (w, h) = (60.0, 44.0);
    let mut seen = std::collections::HashSet::new();
    for s in all {
        let o = symbol_outline(&s, w, h);
        let outer = &o[0];
        assert!(outer.len() >= 4 && outer.first() == outer.last(), "{s:?}: outer outline not closed");
        for &(x, y) in o.iter().flatten() {
            assert!((-1e-9..=w + 1e-9).contains(&x) && (-1e-9..=h + 1e-9).contains(&y), "{s:?}: ({x}, {y}) outside");
        }
        // Touches the box's bottom (a gate's inputs leave from there) and top (its output).
        assert!(outer.iter().any(|p| (p.1 - h).abs() < 1e-9), "{s:?}: does not reach the bottom");
        assert!(o.iter().flatten().any(|p| p.1.abs() < 1e-9), "{s:?}: does not reach the top");
        seen.insert(path_data(&o, 0.0, 0.0));
    }
    // Only OR and VOTE share a shape (the caller writes k/n in a vote).
    assert_eq!(seen.len(), all.len() - 1);
    assert_eq!(symbol_outline(&Symbol::Nand, w, h).len(), 2, "NAND has its bubble");
    let arc = &symbol_outline(&Symbol::Xor, w, h)[1];
    assert_ne!(arc.first(), arc.last(), "XOR's arc is open");
    assert!(symbol_outline(&Symbol::Basic, f64::NAN, -3.0).iter().flatten().all(|p| p.0 == 0.0 && p.1 == 0.0));
    assert_eq!(condition_outline(w, h)[0].first(), condition_outline(w, h)[0].last());
}

#[test]
fn path_data_moves_and_closes() {
    let d = path_data(&[vec![(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (0.0, 0.0)], vec![(1.0, 1.0), (2.0, 2.5)], vec![]], 100.0, 0.5);
    assert_eq!(d, "M100.00 0.50 L110.00 0.50 L110.00 5.50 Z M101.00 1.50 L102.00 3.00");
    assert_eq!(path_data(&[], 0.0, 0.0), "");
}

#[test]
fn node_parts_fit_in_the_node() {
    let o = opts();
    let p = node_parts(&o);
    assert!(p.label.y >= 0.0 && p.label.y + p.label.height < p.symbol.y);
    assert!(p.symbol.y + p.symbol.height < p.probability_y && p.probability_y < o.node_height);
    assert!(p.symbol.width <= o.node_width && (p.symbol.x + p.symbol.width / 2.0).abs() < 1e-9);
    let t = shared_tree();
    let l = layout(&t, &o);
    let r = edge_route(&l, &o, 0);
    let (pn, cn) = (&l.nodes[l.edges[0].0], &l.nodes[l.edges[0].1]);
    assert_eq!(r.first(), Some(&(pn.x, pn.y + p.symbol.y + p.symbol.height * 0.8)));
    assert_eq!(r.last(), Some(&(cn.x, cn.y)));
    assert!(edge_route(&l, &o, l.edges.len()).is_empty());
}
