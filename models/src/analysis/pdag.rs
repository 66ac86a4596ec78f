//! The propositional DAG view of a [`ValidTree`]: which events matter and in what order the BDD tests them.
//!
//! A `ValidTree` is already a DAG with gates in topological order (validation guarantees it); this stage
//! chooses the variable order. The order is the depth-first, left-to-right order of first visits from the top
//! event: events that meet under the same gates end up adjacent, which keeps the BDD of typical fault trees
//! small (shared events are placed where they are first met).

use crate::fault_tree::validate::{Arg, ValidTree};

/// The variable order of a tree: `event_at[level]` is the event tested at that level and `level_of[event]`
/// its inverse. Events not under the top event get the last levels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableOrder {
    pub event_at: Vec<usize>,
    pub level_of: Vec<u32>,
}

/// Orders the events of `tree` by first visit in a depth-first walk from the top. O(gates + arguments).
pub fn variable_order(tree: &ValidTree) -> VariableOrder {
    let n = tree.events.len();
    let mut level_of = vec![u32::MAX; n];
    let mut event_at = Vec::with_capacity(n);
    let mut gate_seen = vec![false; tree.gates.len()];
    // Iterative DFS: (argument, next child index).
    let mut stack: Vec<(Arg, usize)> = vec![(tree.top, 0)];
    while let Some((arg, next)) = stack.pop() {
        match arg {
            Arg::Event(e) => {
                if level_of[e] == u32::MAX {
                    level_of[e] = event_at.len() as u32;
                    event_at.push(e);
                }
            }
            Arg::Const(_) => {}
            Arg::Gate(g) => {
                if next == 0 {
                    if gate_seen[g] {
                        continue;
                    }
                    gate_seen[g] = true;
                }
                let args = &tree.gates[g].args;
                if next < args.len() {
                    stack.push((arg, next + 1));
                    stack.push((args[next], 0));
                }
            }
        }
    }
    for (e, l) in level_of.iter_mut().enumerate() {
        if *l == u32::MAX {
            *l = event_at.len() as u32;
            event_at.push(e);
        }
    }
    VariableOrder { event_at, level_of }
}
