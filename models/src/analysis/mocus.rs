//! MOCUS: the classic top-down expansion of the top event into cut sets, kept as an independent
//! cross-check of the BDD/ZBDD results (it shares no code with them).
//!
//! Rows are products of literals and gates. The first gate of a row is replaced by its expansion: an AND
//! (or a negated OR) widens the row, an OR (or a negated AND) splits it, a vote k/n splits it into one row per
//! k-combination, an XOR into one row per odd subset. Negations are pushed down to the events (negation
//! normal form), contradictory rows are dropped, and at the end the success literals are dropped and the
//! rows minimised, which yields the cut sets defined in [`crate::analysis`].
//!
//! Complexity: exponential in the worst case (every row is listed). Meant for small and medium trees;
//! [`minimal_cut_sets_within`] stops at a ceiling on the rows instead of exhausting memory.

use super::{raised, Stopped, CANCEL_EVERY};
use crate::fault_tree::validate::{Arg, ValidTree};
use crate::fault_tree::GateKind;
use std::collections::HashSet;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Item {
    /// An event, negated or not.
    Lit(usize, bool),
    /// A gate, negated or not.
    Gate(usize, bool),
}

/// What a row costs beyond its entries, in entries, for the ceiling of [`minimal_cut_sets_within`]: its
/// vector's header and hash-table slot.
pub const ROW_OVERHEAD: usize = 4;

/// The minimal cut sets of `tree` with at most `limit` events, each a sorted list of event indices, sorted
/// by order then lexicographically.
pub fn minimal_cut_sets(tree: &ValidTree, limit: Option<usize>) -> Vec<Vec<usize>> {
    match minimal_cut_sets_within(tree, limit, usize::MAX, &None) {
        Ok(sets) => sets,
        Err(stopped) => unreachable!("no ceiling and no cancel flag, yet stopped: {stopped}"),
    }
}

/// [`minimal_cut_sets`], stopped with [`Stopped::RowsTooLarge`] once the rows it keeps (those met, to
/// expand or expanded, and the finished sets) would hold more than `max_entries` entries, each row also
/// counting [`ROW_OVERHEAD`] (so the ceiling follows the memory: some 17 bytes per entry, rows being kept
/// twice), or with [`Stopped::Cancelled`] when `cancel` is raised (looked at every [`CANCEL_EVERY`] rows).
/// Complexity as for [`minimal_cut_sets`], with memory O(`max_entries`).
pub fn minimal_cut_sets_within(tree: &ValidTree, limit: Option<usize>, max_entries: usize, cancel: &Option<Arc<AtomicBool>>) -> Result<Vec<Vec<usize>>, Stopped> {
    let limit = limit.unwrap_or(usize::MAX);
    let start: Option<Vec<Item>> = push_arg(Vec::new(), tree.top, false);
    let mut todo: Vec<Vec<Item>> = start.into_iter().collect();
    let mut seen: HashSet<Vec<Item>> = HashSet::new();
    let mut done: HashSet<Vec<usize>> = HashSet::new();
    let mut entries = 0usize;
    let mut steps = 0usize;
    while let Some(row) = todo.pop() {
        steps += 1;
        if entries > max_entries {
            return Err(Stopped::RowsTooLarge { max_entries });
        }
        if steps.is_multiple_of(CANCEL_EVERY) && raised(cancel) {
            return Err(Stopped::Cancelled);
        }
        let Some(pos) = row.iter().position(|i| matches!(i, Item::Gate(..))) else {
            let mut set: Vec<usize> = row.iter().filter_map(|i| match i {
                Item::Lit(e, false) => Some(*e),
                _ => None,
            }).collect();
            set.sort_unstable();
            set.dedup();
            let len = set.len();
            if done.insert(set) {
                entries += len + ROW_OVERHEAD;
            }
            continue;
        };
        let Item::Gate(g, neg) = row[pos] else { unreachable!() };
        let mut rest = row.clone();
        rest.remove(pos);
        let gate = &tree.gates[g];
        let args = &gate.args;
        let n = args.len();
        // Each alternative is a list of (argument, negated) to add to the row.
        let alternatives: Vec<Vec<(Arg, bool)>> = match (gate.kind, neg) {
            (GateKind::And | GateKind::Inhibit, false) | (GateKind::Nand, true) => vec![args.iter().map(|&a| (a, false)).collect()],
            (GateKind::Or, true) | (GateKind::Nor, false) => vec![args.iter().map(|&a| (a, true)).collect()],
            (GateKind::Or, false) | (GateKind::Nor, true) => args.iter().map(|&a| vec![(a, false)]).collect(),
            (GateKind::And | GateKind::Inhibit, true) | (GateKind::Nand, false) => args.iter().map(|&a| vec![(a, true)]).collect(),
            (GateKind::Not, _) => vec![vec![(args[0], !neg)]],
            (GateKind::AtLeast { k }, false) => combinations(n, k as usize).into_iter().map(|c| c.into_iter().map(|i| (args[i], false)).collect()).collect(),
            (GateKind::AtLeast { k }, true) => combinations(n, n + 1 - k as usize).into_iter().map(|c| c.into_iter().map(|i| (args[i], true)).collect()).collect(),
            (GateKind::Xor, _) => (0u64..(1 << n))
                .filter(|m| (m.count_ones() % 2 == 1) != neg)
                .map(|m| (0..n).map(|i| (args[i], m >> i & 1 == 0)).collect())
                .collect(),
        };
        for alt in alternatives {
            let mut new = Some(rest.clone());
            for (a, ng) in alt {
                new = new.and_then(|r| push_arg(r, a, ng));
            }
            if let Some(mut r) = new {
                let positives = r.iter().filter(|i| matches!(i, Item::Lit(_, false))).count();
                if positives > limit {
                    continue;
                }
                r.sort_unstable();
                if seen.insert(r.clone()) {
                    entries += r.len() + ROW_OVERHEAD;
                    todo.push(r);
                }
            }
        }
    }
    Ok(minimise(done.into_iter().collect()))
}

/// Adds an argument to a row; `None` when the row becomes false (a false constant or a contradiction).
fn push_arg(mut row: Vec<Item>, a: Arg, neg: bool) -> Option<Vec<Item>> {
    let item = match a {
        Arg::Const(c) => return if c != neg { Some(row) } else { None },
        Arg::Event(e) => Item::Lit(e, neg),
        Arg::Gate(g) => Item::Gate(g, neg),
    };
    let opposite = match item {
        Item::Lit(e, n) => Item::Lit(e, !n),
        Item::Gate(g, n) => Item::Gate(g, !n),
    };
    if row.contains(&opposite) {
        return None;
    }
    if !row.contains(&item) {
        row.push(item);
    }
    Some(row)
}

/// All k-subsets of 0..n, as index lists.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(k);
    fn rec(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            if n - i < k - cur.len() {
                break;
            }
            cur.push(i);
            rec(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    rec(0, n, k, &mut cur, &mut out);
    out
}

/// Keeps the sets with no proper subset in the list, sorted by order then lexicographically. Checks each
/// set's subsets by hashing when it is small, by comparison otherwise.
fn minimise(mut sets: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    let mut kept: Vec<Vec<usize>> = Vec::new();
    let mut kept_hash: HashSet<Vec<usize>> = HashSet::new();
    for s in sets {
        let subsumed = if s.len() <= 14 {
            (0u32..(1 << s.len()) - 1).any(|m| {
                let sub: Vec<usize> = (0..s.len()).filter(|i| m >> i & 1 == 1).map(|i| s[i]).collect();
                kept_hash.contains(&sub)
            })
        } else {
            kept.iter().any(|k| k.iter().all(|e| s.binary_search(e).is_ok()))
        };
        if !subsumed {
            kept_hash.insert(s.clone());
            kept.push(s);
        }
    }
    kept
}
