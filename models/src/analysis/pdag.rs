//! The propositional DAG view of a [`ValidTree`]: its modules, and the order in which the BDD tests events.
//!
//! A `ValidTree` is already a DAG with gates in topological order (validation guarantees it). This stage
//! finds the *modules* ([`modules`]: gates whose sub-DAG is reached only through them, so that they can be
//! built and analysed separately) and chooses a variable order ([`variable_order_with`]): the order of first
//! visits in a depth-first walk from the top event, so that events meeting under the same gates end up
//! adjacent and every module's events are contiguous. A [`Heuristic`] decides in which order each gate's
//! arguments are walked (and, for [`Heuristic::DeferSmall`], when a shared gate is entered); no single one is
//! best on every tree (on the Aralia set the BDD sizes differ by up to a factor of 1000 between them), so the
//! engine tries the [`PORTFOLIO`] within a node budget, and the [`PROBES`] once, cheaply.

use crate::fault_tree::validate::{Arg, ValidTree};
use crate::fault_tree::GateKind;

/// The variable order of a tree. A level tests either a basic event or a *module* (a gate whose sub-DAG is
/// reached only through it, built as its own BDD and seen by the gates above as one variable).
///
/// `event_at[level]` is the event tested at that level ([`NONE`] for a module's level) and `level_of[event]`
/// its inverse; `module_at[level]` is the module gate at that level ([`NONE`] for an event's level) and
/// `gate_level[gate]` its inverse ([`u32::MAX`] for gates that are not modules, and for the top). A module's
/// level comes just before the levels of everything under it, which are contiguous. `owner[level]` is the
/// innermost module (a gate index) whose BDD tests that level: the top gate for levels outside every module.
/// Events not under the top event get the last levels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableOrder {
    pub event_at: Vec<usize>,
    pub level_of: Vec<u32>,
    pub module_at: Vec<usize>,
    pub gate_level: Vec<u32>,
    pub owner: Vec<usize>,
}

/// Marks "no event" or "no module" at a level of a [`VariableOrder`].
pub const NONE: usize = usize::MAX;

/// The modules of `tree`: `is_module[g]` when every node under gate `g` is reached only through `g`
/// (Dutuit and Rauzy's linear-time algorithm). The top gate, if any, is a module.
///
/// One depth-first walk stamps every visit of a node with a counter, keeping each node's first and last
/// visit and each gate's exit time; a gate is a module when the visits of all its descendants fall strictly
/// between its own first visit and its exit. O(gates + arguments) time and memory.
pub fn modules(tree: &ValidTree) -> Vec<bool> {
    let ng = tree.gates.len();
    let n = tree.events.len();
    let (mut g_first, mut g_last, mut g_exit) = (vec![0u64; ng], vec![0u64; ng], vec![0u64; ng]);
    let (mut e_first, mut e_last) = (vec![0u64; n], vec![0u64; n]);
    let mut t = 0u64;
    let mut stack: Vec<(Arg, usize)> = vec![(tree.top, 0)];
    while let Some((arg, next)) = stack.pop() {
        match arg {
            Arg::Event(e) => {
                t += 1;
                if e_first[e] == 0 {
                    e_first[e] = t;
                }
                e_last[e] = t;
            }
            Arg::Const(_) => {}
            Arg::Gate(g) => {
                if next == 0 {
                    t += 1;
                    g_last[g] = t;
                    if g_first[g] != 0 {
                        continue;
                    }
                    g_first[g] = t;
                }
                let args = &tree.gates[g].args;
                if next < args.len() {
                    stack.push((arg, next + 1));
                    stack.push((args[next], 0));
                } else {
                    t += 1;
                    g_exit[g] = t;
                }
            }
        }
    }
    // (min first visit, max last visit) over each gate's descendants; gates come after their arguments.
    let mut lo = vec![u64::MAX; ng];
    let mut hi = vec![0u64; ng];
    let mut is_module = vec![false; ng];
    for (g, gate) in tree.gates.iter().enumerate() {
        if g_first[g] == 0 {
            continue; // not under the top
        }
        for &a in &gate.args {
            let (l, h) = match a {
                Arg::Event(e) => (e_first[e], e_last[e]),
                Arg::Gate(c) => (g_first[c].min(lo[c]), g_last[c].max(hi[c])),
                Arg::Const(_) => continue,
            };
            lo[g] = lo[g].min(l);
            hi[g] = hi[g].max(h);
        }
        is_module[g] = lo[g] > g_first[g] && hi[g] < g_exit[g];
    }
    if let Arg::Gate(top) = tree.top {
        is_module[top] = true;
    }
    is_module
}

/// How the depth-first walk of [`variable_order_with`] orders the arguments of each gate. Except for `Dfs`,
/// a gate's single-parent arguments of the same kind (AND under AND, OR under OR) that are not modules are
/// coalesced into it first, so that the sort sees all the arguments of one connective.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heuristic {
    /// The arguments as written.
    Dfs,
    /// Coalesced; arguments met most often in the tree first.
    SharedFirst,
    /// Coalesced; arguments with the smallest subtree first.
    SmallFirst,
    /// Coalesced; arguments with the largest subtree first.
    BigFirst,
    /// Coalesced; gates before events.
    GatesFirst,
    /// Coalesced, smallest first, and a shared gate is walked only from the last of its parents, so that
    /// the events beside it in every gate using it come before its own (edf9202: a 294-event gate ORed
    /// with a few events under three parents is then not copied below each of them).
    DeferSmall,
}

impl Heuristic {
    /// The heuristic's name in reports (`faultline analyze --json` gives it as `bdd_order`).
    pub fn name(self) -> &'static str {
        match self {
            Heuristic::Dfs => "depth-first",
            Heuristic::SharedFirst => "shared-first",
            Heuristic::SmallFirst => "small-first",
            Heuristic::BigFirst => "big-first",
            Heuristic::GatesFirst => "gates-first",
            Heuristic::DeferSmall => "defer-small",
        }
    }
}

/// Every heuristic.
pub const ALL: [Heuristic; 6] = [Heuristic::Dfs, Heuristic::SharedFirst, Heuristic::SmallFirst, Heuristic::BigFirst, Heuristic::GatesFirst, Heuristic::DeferSmall];

/// The heuristics the engine tries, in this order, each within a node budget. On the Aralia set these three
/// between them give the smallest (or within 40% of the smallest) diagram of every tree that some heuristic
/// solves, e.g. edf9202 (3k nodes smallest first, 191k gates first, 402k plain), edf9204 (112k biggest first,
/// 442k gates first), edf9203 (114k most shared first, 193k gates first) and das9701 (only biggest first fits
/// in 16M nodes); trying fewer orders wastes less work in the rounds where none fits.
pub const PORTFOLIO: [Heuristic; 3] = [Heuristic::BigFirst, Heuristic::SmallFirst, Heuristic::SharedFirst];

/// Heuristics tried once, before the portfolio, within a small budget: excellent on some trees (edf9202:
/// 808 nodes, where the portfolio's first order does not fit in 2^20) and poor on most (baobab1: 1.2M
/// nodes made against 11k), so they are given one cheap chance.
pub const PROBES: [Heuristic; 1] = [Heuristic::DeferSmall];

/// How many times each gate and each event is an argument (the top counting as one use of its gate), in
/// the order of [`ValidTree::gates`] and [`ValidTree::events`]. O(gates + arguments).
pub fn uses(tree: &ValidTree) -> (Vec<u32>, Vec<u32>) {
    let mut gate_uses = vec![0u32; tree.gates.len()];
    let mut event_uses = vec![0u32; tree.events.len()];
    let mut count = |a: Arg| match a {
        Arg::Gate(g) => gate_uses[g] += 1,
        Arg::Event(e) => event_uses[e] += 1,
        Arg::Const(_) => {}
    };
    count(tree.top);
    for g in &tree.gates {
        g.args.iter().copied().for_each(&mut count);
    }
    (gate_uses, event_uses)
}

impl VariableOrder {
    /// The probability of the event tested at each level (0 at a module's level).
    pub fn probabilities(&self, tree: &ValidTree) -> Vec<f64> {
        self.event_at.iter().map(|&e| if e == NONE { 0.0 } else { tree.events[e].p }).collect()
    }
}

fn coarse(kind: GateKind) -> u8 {
    match kind {
        GateKind::And | GateKind::Inhibit => 1,
        GateKind::Or => 2,
        _ => 0,
    }
}

/// The tree size (events counted with repetition) above which a module is walked after its parent's other
/// arguments; see [`variable_order_with`].
const LARGE_MODULE: f64 = 64.0;

/// Orders the events of `tree` by first visit in a depth-first walk from the top, with `h` deciding the order
/// of each gate's arguments, except that (for every heuristic but [`Heuristic::Dfs`]) a gate's large modules
/// (over `LARGE_MODULE`, 64, events) come after its other arguments. In the gate's diagram a module is one
/// variable whatever its place, but its events take the levels right after it, so a module walked before
/// the gate's own events puts its whole block above them; the cut sets substitute each module's family at
/// its variable, and a union with a set below the family walks the family's low chain, up to its number of
/// events. With every module first, a chain of n nested modules (each an OR of the next one and an event)
/// took O(n²) time and ZBDD nodes (12 GB at n = 20,000); with large modules last, O(n). Small modules keep
/// their place, where they cost little: moving them too changed the diagrams of some trees (edf9202: 807
/// BDD nodes → 994, 8 → 13 ms).
/// O(gates + arguments) plus sorting each gate's arguments.
pub fn variable_order_with(tree: &ValidTree, is_module: &[bool], h: Heuristic) -> VariableOrder {
    let n = tree.events.len();
    let ng = tree.gates.len();
    let (gate_parents, event_parents) = uses(tree);
    // Tree size of each gate (events counted with repetition), saturating.
    let mut size = vec![0f64; ng];
    for (i, g) in tree.gates.iter().enumerate() {
        size[i] = g.args.iter().map(|&a| match a {
            Arg::Gate(c) => size[c],
            Arg::Event(_) => 1.0,
            Arg::Const(_) => 0.0,
        }).sum();
    }
    let flat = h != Heuristic::Dfs;
    // The arguments of each gate as the walk visits them.
    let mut args_of: Vec<Vec<Arg>> = Vec::with_capacity(ng);
    for g in &tree.gates {
        let mut out = Vec::with_capacity(g.args.len());
        if flat && coarse(g.kind) != 0 {
            let mut stack: Vec<Arg> = g.args.iter().rev().copied().collect();
            while let Some(a) = stack.pop() {
                match a {
                    Arg::Gate(c) if gate_parents[c] == 1 && !is_module[c] && coarse(tree.gates[c].kind) == coarse(g.kind) => {
                        stack.extend(tree.gates[c].args.iter().rev().copied());
                    }
                    _ => out.push(a),
                }
            }
        } else {
            out.extend_from_slice(&g.args);
        }
        let key = |a: &Arg| -> (u8, f64) {
            match (h, *a) {
                (Heuristic::SharedFirst, Arg::Gate(c)) => (0, -(gate_parents[c] as f64)),
                (Heuristic::SharedFirst, Arg::Event(e)) => (0, -(event_parents[e] as f64)),
                (Heuristic::SmallFirst | Heuristic::DeferSmall, Arg::Gate(c)) => (0, size[c]),
                (Heuristic::SmallFirst | Heuristic::DeferSmall, Arg::Event(_)) => (0, 1.0),
                (Heuristic::BigFirst, Arg::Gate(c)) => (0, -size[c]),
                (Heuristic::BigFirst, Arg::Event(_)) => (0, -1.0),
                (Heuristic::GatesFirst, Arg::Event(_)) => (1, 0.0),
                _ => (0, 0.0),
            }
        };
        // Large modules after the other arguments (see the function's documentation).
        let module_arg = |a: &Arg| flat && matches!(*a, Arg::Gate(c) if is_module[c] && size[c] > LARGE_MODULE);
        out.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            module_arg(a).cmp(&module_arg(b)).then(ka.0.cmp(&kb.0)).then(ka.1.total_cmp(&kb.1))
        });
        args_of.push(out);
    }
    let defer = h == Heuristic::DeferSmall;
    // For each gate, the uses in the walked argument lists (gates coalesced away are not walked) that the walk
    // has yet to reach; a deferred gate is entered when the last of them is reached.
    let mut waiting = vec![0u32; ng];
    if defer {
        let mut seen = vec![false; ng];
        let mut stack = vec![tree.top];
        while let Some(a) = stack.pop() {
            if let Arg::Gate(g) = a {
                if std::mem::replace(&mut seen[g], true) {
                    continue;
                }
                for &c in &args_of[g] {
                    if let Arg::Gate(x) = c {
                        waiting[x] += 1;
                    }
                    stack.push(c);
                }
            }
        }
    }
    let mut level_of = vec![u32::MAX; n];
    let mut gate_level = vec![u32::MAX; ng];
    let mut event_at = Vec::with_capacity(n);
    let mut module_at = Vec::new();
    let mut owner = Vec::with_capacity(n);
    let mut gate_seen = vec![false; ng];
    let top_gate = match tree.top {
        Arg::Gate(g) => g,
        _ => NONE,
    };
    // The modules being walked, innermost last.
    let mut inside: Vec<usize> = vec![top_gate];
    // Iterative DFS: (argument, next child index).
    let mut stack: Vec<(Arg, usize)> = vec![(tree.top, 0)];
    while let Some((arg, next)) = stack.pop() {
        match arg {
            Arg::Event(e) => {
                if level_of[e] == u32::MAX {
                    level_of[e] = event_at.len() as u32;
                    event_at.push(e);
                    module_at.push(NONE);
                    owner.push(*inside.last().unwrap_or(&NONE));
                }
            }
            Arg::Const(_) => {}
            Arg::Gate(g) => {
                if next == 0 {
                    if gate_seen[g] {
                        continue;
                    }
                    if defer {
                        waiting[g] = waiting[g].saturating_sub(1);
                        if waiting[g] > 0 {
                            continue;
                        }
                    }
                    gate_seen[g] = true;
                    if is_module[g] && g != top_gate {
                        gate_level[g] = event_at.len() as u32;
                        event_at.push(NONE);
                        module_at.push(g);
                        owner.push(*inside.last().unwrap_or(&NONE));
                        inside.push(g);
                    }
                }
                let args = &args_of[g];
                if next < args.len() {
                    stack.push((arg, next + 1));
                    stack.push((args[next], 0));
                } else if is_module[g] && g != top_gate {
                    inside.pop();
                }
            }
        }
    }
    for (e, l) in level_of.iter_mut().enumerate() {
        if *l == u32::MAX {
            *l = event_at.len() as u32;
            event_at.push(e);
            module_at.push(NONE);
            owner.push(top_gate);
        }
    }
    VariableOrder { event_at, level_of, module_at, gate_level, owner }
}
