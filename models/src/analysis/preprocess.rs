//! Rewrites a [`ValidTree`] into an equivalent one that is cheaper to turn into BDDs.
//!
//! The BDD of a fixed function under a fixed variable order is unique, so rewriting gates only pays when it
//! changes the *variables*: every module becomes one variable of the diagram above it. This stage makes
//! more modules:
//! - **coalescing**: an AND (OR) argument of an AND (OR) gate that has no other parent and is not a module
//!   is merged into it, so that one gate holds all the arguments of one connective;
//! - **grouping modular arguments**: the arguments of an AND, OR or XOR gate (and of NAND and NOR, under
//!   their negation) that are reached only through it (single-parent events, and single-parent module
//!   gates) are moved into a new gate of the same connective, itself a module, when the gate has other
//!   arguments too. `OR(a, b, c, G, H)` with `a`, `b`, `c` used nowhere else becomes `OR(M, G, H)` with
//!   `M = OR(a, b, c)`: the diagram above sees one variable instead of three, in every place where `G` and
//!   `H` make it copy them.
//!
//! Events keep their indices, so every result per event is unchanged; only the gates differ.

use crate::fault_tree::validate::{Arg, ValidGate, ValidTree};
use crate::fault_tree::GateKind;

use super::pdag;

/// The connective a gate's arguments are joined by, for coalescing and grouping: 1 for AND, 2 for OR,
/// 3 for XOR; 0 for gates whose arguments cannot be regrouped (k-out-of-n, NOT).
fn connective(kind: GateKind) -> u8 {
    match kind {
        GateKind::And | GateKind::Inhibit | GateKind::Nand => 1,
        GateKind::Or | GateKind::Nor => 2,
        GateKind::Xor => 3,
        GateKind::AtLeast { .. } | GateKind::Not => 0,
    }
}

/// The plain gate of a connective (the kind of a group, and of a coalescible argument).
fn plain(kind: GateKind) -> Option<GateKind> {
    match kind {
        GateKind::And | GateKind::Inhibit => Some(GateKind::And),
        GateKind::Or => Some(GateKind::Or),
        GateKind::Xor => Some(GateKind::Xor),
        _ => None,
    }
}

/// The tree rewritten as described in the [module documentation](self): same events, same top event
/// function, more modules.
///
/// Returns a tree whose gates are in topological order, like every `ValidTree`.
///
/// Complexity: O(gates + arguments) per pass, with two passes.
pub fn preprocess(tree: &ValidTree) -> ValidTree {
    let tree = coalesce(tree);
    group_modular_arguments(&tree)
}

/// Merges every single-use, non-module AND (OR, XOR) argument of an AND (OR, XOR; NAND and NOR count as
/// AND and OR) gate into it. Gates left unused are dropped.
fn coalesce(tree: &ValidTree) -> ValidTree {
    let is_module = pdag::modules(tree);
    let (gate_uses, _) = pdag::uses(tree);
    let mergeable = |parent: GateKind, c: usize| {
        let kind = tree.gates[c].kind;
        gate_uses[c] == 1 && !is_module[c] && plain(kind).is_some() && connective(kind) == connective(parent) && connective(parent) != 0
    };
    let mut merged = vec![false; tree.gates.len()];
    let mut flat_args: Vec<Vec<Arg>> = Vec::with_capacity(tree.gates.len());
    for g in &tree.gates {
        let mut out = Vec::with_capacity(g.args.len());
        let mut stack: Vec<Arg> = g.args.iter().rev().copied().collect();
        while let Some(a) = stack.pop() {
            match a {
                Arg::Gate(c) if mergeable(g.kind, c) => {
                    merged[c] = true;
                    stack.extend(tree.gates[c].args.iter().rev().copied());
                }
                _ => out.push(a),
            }
        }
        flat_args.push(out);
    }
    // Inhibit has exactly two arguments; once merged into, it is a plain AND.
    rebuild(tree, |g| {
        if merged[g] {
            None
        } else {
            let kind = match tree.gates[g].kind {
                GateKind::Inhibit if flat_args[g].len() != 2 => GateKind::And,
                k => k,
            };
            Some((kind, std::mem::take(&mut flat_args[g]), Vec::new()))
        }
    })
}

/// Moves the single-use modular arguments of each regroupable gate with other arguments into a new gate.
fn group_modular_arguments(tree: &ValidTree) -> ValidTree {
    let is_module = pdag::modules(tree);
    let (gate_uses, event_uses) = pdag::uses(tree);
    let modular = |a: Arg| match a {
        Arg::Event(e) => event_uses[e] == 1,
        Arg::Gate(c) => gate_uses[c] == 1 && is_module[c],
        Arg::Const(_) => false,
    };
    rebuild(tree, |g| {
        let gate = &tree.gates[g];
        let group_kind = match gate.kind {
            GateKind::Nand => Some(GateKind::And),
            GateKind::Nor => Some(GateKind::Or),
            k => plain(k),
        };
        let (inner, outer): (Vec<Arg>, Vec<Arg>) = gate.args.iter().partition(|&&a| modular(a));
        match group_kind {
            Some(kind) if inner.len() >= 2 && !outer.is_empty() => {
                let own = match gate.kind {
                    GateKind::Inhibit => GateKind::And,
                    k => k,
                };
                Some((own, outer, vec![(kind, inner)]))
            }
            _ => Some((gate.kind, gate.args.clone(), Vec::new())),
        }
    })
}

/// Builds a tree with the same events, where gate `g` becomes `f(g)`: `None` to drop it (no longer used),
/// or its kind, its arguments and new gates to insert before it (each appended to its arguments).
#[allow(clippy::type_complexity)]
fn rebuild(tree: &ValidTree, mut f: impl FnMut(usize) -> Option<(GateKind, Vec<Arg>, Vec<(GateKind, Vec<Arg>)>)>) -> ValidTree {
    let mut gates: Vec<ValidGate> = Vec::with_capacity(tree.gates.len());
    let mut new_index = vec![usize::MAX; tree.gates.len()];
    let map = |a: Arg, new_index: &[usize]| match a {
        Arg::Gate(c) => Arg::Gate(new_index[c]),
        other => other,
    };
    for (g, gate) in tree.gates.iter().enumerate() {
        let Some((kind, args, extra)) = f(g) else { continue };
        let mut args: Vec<Arg> = args.into_iter().map(|a| map(a, &new_index)).collect();
        for (i, (k, inner)) in extra.into_iter().enumerate() {
            let inner: Vec<Arg> = inner.into_iter().map(|a| map(a, &new_index)).collect();
            args.push(Arg::Gate(gates.len()));
            gates.push(ValidGate { name: format!("{}~{}", gate.name, i + 1), kind: k, args: inner, tree: gate.tree, id: gate.id });
        }
        new_index[g] = gates.len();
        gates.push(ValidGate { name: gate.name.clone(), kind, args, tree: gate.tree, id: gate.id });
    }
    ValidTree { top_name: tree.top_name.clone(), top: map(tree.top, &new_index), events: tree.events.clone(), gates }
}
