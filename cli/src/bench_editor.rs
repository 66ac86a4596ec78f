//! `faultline bench-editor`: times what the desktop editor does on every edit, on generated trees of growing
//! size: the layout, the SVG picture, and validation + analysis with default options. Prints a table (the
//! median of several runs) and checks the editor's budgets: live analysis under 100 ms at 300 nodes, layout +
//! picture under 200 ms at 1000 nodes. A benchmark, never a test: the budgets are reported, not asserted.

use faultline_interchange::tree_picture::{self, PictureOptions};
use faultline_models::analysis::{analyze, Options};
use faultline_models::fault_tree::validate::{validate, ValidateOptions};
use faultline_models::fault_tree::{ElementId, FaultTree, GateKind, TreeId};
use faultline_models::layout::{layout, LayoutOptions};
use std::time::Instant;

/// Arguments of `faultline bench-editor`.
#[derive(clap::Args)]
pub struct Args {
    /// The tree sizes (number of elements: gates and events), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "100,300,1000,3000")]
    sizes: Vec<usize>,
    /// Runs per measurement; the median is reported.
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Give up on the analysis of a tree after this many seconds (and skip the larger sizes).
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Also save each generated tree as a JSON project `generated-N.json` in this folder (to reproduce a row
    /// with `faultline analyze` or `faultline export tree`).
    #[arg(long)]
    save: Option<std::path::PathBuf>,
    /// The trees' shape: realistic (the default, see `generate`), or one of two extremes of size, a chain of
    /// nested modules (every gate an OR of the next gate and an event, as deep as it is large) or one wide OR
    /// of events.
    #[arg(long, value_enum, default_value = "realistic")]
    shape: TreeShape,
}

/// The shapes `--shape` offers.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TreeShape {
    Realistic,
    Chain,
    Wide,
}

/// A tree of `nodes` elements (at least 3) of the shape asked. O(nodes).
fn tree_of(shape: TreeShape, nodes: usize) -> FaultTree {
    let nodes = nodes.max(3);
    match shape {
        TreeShape::Realistic => generate(nodes),
        TreeShape::Chain => {
            // g_i = OR(g_{i+1}, e_i), and the last gate an AND of two events: 2k + 3 elements for k ORs.
            let mut t = FaultTree::new(TreeId(1), format!("chain-{nodes}"));
            let a = t.add_basic("a", 0.1);
            let b = t.add_basic("b", 0.1);
            let k = (nodes - 3) / 2;
            let mut below = t.add_gate(format!("g{k}"), GateKind::And, vec![a, b]);
            for i in (0..k).rev() {
                let e = t.add_basic(format!("e{i}"), 1e-7);
                below = t.add_gate(format!("g{i}"), GateKind::Or, vec![below, e]);
            }
            t.top = Some(below);
            t
        }
        TreeShape::Wide => {
            let mut t = FaultTree::new(TreeId(1), format!("wide-{nodes}"));
            let events: Vec<ElementId> = (0..nodes - 1).map(|i| t.add_basic(format!("e{i}"), 1e-7)).collect();
            t.top = Some(t.add_gate("top", GateKind::Or, events));
            t
        }
    }
}

/// A small deterministic generator (PCG-style LCG), so every run benchmarks the same trees.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The shape of a generated gate.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Or,
    And,
    Vote,
}

/// A deterministic fault tree of exactly `nodes` elements (at least 3): a quarter gates, the rest basic events.
///
/// Shaped like most real fault trees, OR-heavy: the top is an OR; an OR gate has up to three gate arguments
/// (one in three an AND, one in seven a 2-out-of-3 vote over events) and a share of the events; an AND gate
/// joins at most one subtree (an OR) with events, two arguments in all (a redundant train); gates are added
/// breadth first. One event in eight is also used by a second OR gate (a shared event). O(nodes).
pub fn generate(nodes: usize) -> FaultTree {
    let nodes = nodes.max(3);
    let gates = (nodes / 4).max(1);
    let events = nodes - gates;
    let mut rng = Lcg(0x5eed ^ nodes as u64);
    let mut t = FaultTree::new(TreeId(1), format!("generated-{nodes}"));
    let event_ids: Vec<ElementId> = (0..events).map(|i| t.add_basic(format!("e{i}"), 1e-5 * (1 + rng.below(100)) as f64)).collect();
    let gate_id = |k: usize| ElementId(events as u32 + 1 + k as u32);
    let mut args: Vec<Vec<ElementId>> = vec![Vec::new(); gates];
    let mut shape = vec![Shape::Or; gates];
    let mut room = vec![0usize; gates];
    room[0] = 3;
    let mut open = std::collections::VecDeque::from([0usize]);
    for k in 1..gates {
        let p = open.front().copied().unwrap_or(0);
        room[p] = room[p].saturating_sub(1);
        if room[p] == 0 {
            open.pop_front();
        }
        args[p].push(gate_id(k));
        shape[k] = match shape[p] {
            Shape::And => Shape::Or,
            _ if k % 7 == 3 => Shape::Vote,
            _ if rng.below(3) == 0 => Shape::And,
            _ => Shape::Or,
        };
        room[k] = match shape[k] {
            Shape::Or => 3,
            Shape::And => 1,
            Shape::Vote => 0,
        };
        if room[k] > 0 {
            open.push_back(k);
        }
    }
    // Fresh events first fill the ANDs (to 2) and votes (to 3), then go to random OR gates.
    let ors: Vec<usize> = (0..gates).filter(|&k| shape[k] == Shape::Or).collect();
    let mut next = 0;
    let mut take = |rng: &mut Lcg| {
        let e = if next < events { event_ids[next] } else { event_ids[rng.below(events)] };
        next += 1;
        e
    };
    for k in 0..gates {
        let want = match shape[k] {
            Shape::Or => 2,
            Shape::And => 2,
            Shape::Vote => 3,
        };
        while args[k].len() < want {
            let e = take(&mut rng);
            if !args[k].contains(&e) {
                args[k].push(e);
            }
        }
    }
    for (i, &e) in event_ids.iter().enumerate().skip(next.min(events)) {
        let g = ors[rng.below(ors.len())];
        args[g].push(e);
        if i % 8 == 0 {
            let h = ors[rng.below(ors.len())];
            if !args[h].contains(&e) {
                args[h].push(e);
            }
        }
    }
    for (k, a) in args.into_iter().enumerate() {
        let gate = match shape[k] {
            Shape::Or => GateKind::Or,
            Shape::And => GateKind::And,
            Shape::Vote => GateKind::AtLeast { k: 2 },
        };
        let id = t.add_gate(format!("g{k}"), gate, a);
        debug_assert_eq!(id, gate_id(k));
    }
    t.top = Some(gate_id(0));
    t
}

/// Runs `f` `runs` times and returns the median time in ms and the last result.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs.max(1));
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], last.expect("at least one run"))
}

/// Prints the table.
pub fn run(args: Args) -> Result<(), String> {
    if args.sizes.is_empty() {
        return Err("--sizes: give at least one tree size".into());
    }
    println!("Editor benchmark: median of {} runs per measurement, default layout and analysis options", args.runs.max(1));
    println!(
        "{:>6} {:>6} {:>6} {:>9} {:>10} {:>8} {:>8} {:>12} {:>11} {:>10} {:>10}",
        "nodes", "gates", "events", "instances", "layout ms", "SVG ms", "SVG KiB", "validate ms", "analyze ms", "#MCS", "P(top)"
    );
    let mut budgets = Vec::new();
    for &n in &args.sizes {
        let tree = tree_of(args.shape, n);
        if let Some(dir) = &args.save {
            let mut project = faultline_models::project::Project::new(tree.name.clone());
            project.fault_trees.push(tree.clone());
            let path = dir.join(format!("{}.json", tree.name));
            std::fs::write(&path, faultline_interchange::json::write_project(&project)).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let lo = LayoutOptions::default();
        let po = PictureOptions::default();
        let (layout_ms, l) = median(args.runs, || layout(&tree, &lo));
        let (svg_ms, svg) = median(args.runs, || tree_picture::render_svg(&tree, &l, &po));
        // The analysis runs on its own thread (with a large stack, like `faultline analyze`) so that a tree the
        // engine cannot handle in time is reported rather than hanging the benchmark.
        let (tx, rx) = std::sync::mpsc::channel();
        let (runs, copy) = (args.runs, tree.clone());
        std::thread::Builder::new()
            .stack_size(1 << 28)
            .spawn(move || {
                let (validate_ms, v) = median(runs, || validate(&copy, &[], ValidateOptions::default()));
                let analysed = v.valid.map(|valid| median(runs, || analyze(&valid, &Options::default())));
                let _ = tx.send((validate_ms, analysed));
            })
            .map_err(|e| format!("cannot start the analysis thread: {e}"))?;
        let gates = tree.elements.iter().filter(|e| matches!(e.kind, faultline_models::fault_tree::ElementKind::Gate { .. })).count();
        let row = |validate: String, analyze: String, mcs: String, p: String| {
            println!(
                "{:>6} {:>6} {:>6} {:>9} {:>10.2} {:>8.2} {:>8} {:>12} {:>11} {:>10} {:>10}",
                tree.elements.len(),
                gates,
                tree.elements.len() - gates,
                l.nodes.len(),
                layout_ms,
                svg_ms,
                svg.len() / 1024,
                validate,
                analyze,
                mcs,
                p
            )
        };
        let analysis_ms = match rx.recv_timeout(std::time::Duration::from_secs(args.timeout)) {
            Ok((validate_ms, Some((analyze_ms, a)))) => {
                row(format!("{validate_ms:.2}"), format!("{analyze_ms:.2}"), a.cut_set_count.to_string(), format!("{:.3e}", a.probability.best()));
                validate_ms + analyze_ms
            }
            Ok((_, None)) => return Err(format!("the generated tree of {n} nodes does not validate")),
            Err(_) => {
                row("-".into(), format!("> {} s", args.timeout), "-".into(), "-".into());
                budgets.push(format!("the analysis of {n} nodes did not finish within {} s; larger sizes skipped", args.timeout));
                break;
            }
        };
        if args.shape != TreeShape::Realistic {
            continue;
        }
        if n == 300 {
            budgets.push(format!("live validation + analysis at 300 nodes: {analysis_ms:.1} ms (budget 100 ms): {}", verdict(analysis_ms, 100.0)));
        }
        if n == 1000 {
            let total = layout_ms + svg_ms;
            budgets.push(format!("layout + SVG at 1000 nodes: {total:.1} ms (budget 200 ms): {}", verdict(total, 200.0)));
        }
    }
    for b in budgets {
        println!("{b}");
    }
    Ok(())
}

fn verdict(ms: f64, budget: f64) -> &'static str {
    if ms < budget {
        "within budget"
    } else {
        "OVER BUDGET"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_trees_have_the_size_asked_validate_and_share_events() {
        for n in [3, 10, 100, 1000] {
            let t = generate(n);
            assert_eq!(t.elements.len(), n);
            let v = validate(&t, &[], ValidateOptions::default());
            assert!(v.valid.is_some(), "{n}: {:?}", v.problems);
            let shared = t.elements.iter().filter(|e| t.parents_of(e.id).count() >= 2).count();
            if n >= 100 {
                assert!(shared > 0, "{n}: no shared event");
            }
        }
        assert_eq!(generate(300), generate(300), "deterministic");
    }

    #[test]
    fn the_extreme_shapes_have_about_the_size_asked_and_validate() {
        for n in [3, 4, 101, 1000] {
            for shape in [TreeShape::Chain, TreeShape::Wide] {
                let t = tree_of(shape, n);
                assert!(t.elements.len() == n || (shape == TreeShape::Chain && t.elements.len() == n - 1), "{n}: {}", t.elements.len());
                let v = validate(&t, &[], ValidateOptions::default());
                let valid = v.valid.unwrap_or_else(|| panic!("{n}: {:?}", v.problems));
                let gates = valid.gates.len();
                assert_eq!(gates, if shape == TreeShape::Chain { (n - 3) / 2 + 1 } else { 1 }, "{n}");
            }
        }
    }
}
