//! The minimal cut sets as a ZBDD built directly from the gates, without a BDD: an independent cross-check
//! of the BDD route (`--algorithm zbdd`).

use super::zbdd::{self, Zbdd, Z};
use crate::fault_tree::validate::{Arg, ValidTree};
use crate::fault_tree::GateKind;
use rustc_hash::FxHashMap;

/// The ZBDD of the minimal cut sets of `tree` (see the non-coherent convention in [`super`]), with the
/// event `e` as the literals `2·level_of[e]` (fails) and `2·level_of[e] + 1` (works), truncated to `limit`
/// events. Built bottom-up from the gates in negation normal form, minimised at every gate. With a limit,
/// every gate keeps only the sets that can still be within it: on a coherent tree, to the order its
/// siblings leave it (`gate_limits`); on a non-coherent one, to the limit in failure literals
/// ([`Zbdd::product_of_failures`]: success literals are dropped at the end, so they do not count).
///
/// Complexity: each gate costs ZBDD products, unions and minimisations, O(|a|·|b|) each in the worst case;
/// memory follows the diagrams. On a non-coherent tree the success literals are not truncated, so the
/// families can stay large where the BDD is small (das9601: seconds for the limit order 3).
pub fn cut_sets(tree: &ValidTree, level_of: &[u32], z: &mut Zbdd, limit: u32) -> Z {
    let coherent = tree.is_coherent();
    // In a non-coherent tree, success literals do not count towards the order (they are dropped at the
    // end): every gate keeps the sets of at most `limit` failure literals.
    let gate_limit = match (coherent, limit) {
        (_, u32::MAX) => vec![u32::MAX; tree.gates.len()],
        (true, _) => gate_limits(tree, limit),
        (false, _) => vec![limit; tree.gates.len()],
    };
    Direct { tree, level_of, gate_limit, coherent }.cut_sets(z, limit)
}

struct Direct<'a> {
    tree: &'a ValidTree,
    level_of: &'a [u32],
    /// The largest order of a gate's sets that can still be part of a top-event cut set within the limit.
    gate_limit: Vec<u32>,
    coherent: bool,
}

/// For a coherent tree and an order limit on the top event's cut sets: the largest order each gate's cut sets
/// need to keep, so that deep gates are not expanded to sets their siblings make too large.
///
/// A cut set of an AND gate is the union of one cut set of each argument; where a set of arguments have
/// pairwise disjoint events, disjoint also from argument `a`'s, the union holds at least the sum of their
/// smallest orders besides `a`'s set, so `a` needs only sets within the gate's limit less that sum (for a
/// k-out-of-n gate whose other arguments are all disjoint from `a`, less the (k−1)-th smallest of their
/// orders). A gate used by several parents keeps the largest limit any of them needs. The smallest orders
/// are lower bounds computed bottom-up the same way (OR: the smallest argument's; AND: the greedy sum over
/// pairwise disjoint arguments, largest first; k-out-of-n: the k-th smallest argument's).
///
/// Complexity: O((gates + arguments) · (events / 64 + arguments)) time and O(gates · events / 64) memory for
/// the event sets of the gates.
fn gate_limits(tree: &ValidTree, limit: u32) -> Vec<u32> {
    let ng = tree.gates.len();
    let words = tree.events.len().div_ceil(64);
    let mut support = vec![0u64; ng * words];
    let mut min_order = vec![0u32; ng];
    let event_bits = |e: usize| {
        let mut v = vec![0u64; words];
        v[e / 64] |= 1 << (e % 64);
        v
    };
    let arg_info = |a: Arg, support: &[u64], min_order: &[u32]| -> (Vec<u64>, u32) {
        match a {
            Arg::Event(e) => (event_bits(e), 1),
            Arg::Gate(c) => (support[c * words..(c + 1) * words].to_vec(), min_order[c]),
            Arg::Const(true) => (vec![0; words], 0),
            Arg::Const(false) => (vec![0; words], u32::MAX / 4),
        }
    };
    let disjoint = |a: &[u64], b: &[u64]| a.iter().zip(b).all(|(x, y)| x & y == 0);
    // Greedy: the largest orders first, keeping each argument disjoint from those kept (and from `avoid`).
    let disjoint_sum = |info: &[(Vec<u64>, u32)], skip: Option<usize>, avoid: Option<&[u64]>| -> u32 {
        let mut idx: Vec<usize> = (0..info.len()).filter(|&i| Some(i) != skip).collect();
        idx.sort_by_key(|&i| std::cmp::Reverse(info[i].1));
        let mut taken = avoid.map(|a| a.to_vec()).unwrap_or_else(|| vec![0; words]);
        let mut sum = 0u32;
        for i in idx {
            if disjoint(&taken, &info[i].0) {
                sum = sum.saturating_add(info[i].1);
                taken.iter_mut().zip(&info[i].0).for_each(|(t, x)| *t |= x);
            }
        }
        sum
    };
    let mut infos: Vec<Vec<(Vec<u64>, u32)>> = Vec::with_capacity(ng);
    for (g, gate) in tree.gates.iter().enumerate() {
        let info: Vec<(Vec<u64>, u32)> = gate.args.iter().map(|&a| arg_info(a, &support, &min_order)).collect();
        for (bits, _) in &info {
            support[g * words..(g + 1) * words].iter_mut().zip(bits).for_each(|(s, x)| *s |= x);
        }
        let mut orders: Vec<u32> = info.iter().map(|i| i.1).collect();
        orders.sort_unstable();
        min_order[g] = match gate.kind {
            GateKind::Or => orders[0],
            GateKind::AtLeast { k } => orders[(k as usize).clamp(1, orders.len()) - 1],
            // The greedy sum starts with the largest: at least the largest argument's order.
            _ => disjoint_sum(&info, None, None),
        };
        infos.push(info);
    }
    let mut gate_limit = vec![0u32; ng];
    if let Arg::Gate(t) = tree.top {
        gate_limit[t] = limit;
    }
    for g in (0..ng).rev() {
        let budget = gate_limit[g];
        let gate = &tree.gates[g];
        let info = &infos[g];
        for (i, &a) in gate.args.iter().enumerate() {
            let Arg::Gate(c) = a else { continue };
            let others = match gate.kind {
                GateKind::Or => 0,
                GateKind::AtLeast { k } if k >= 2 => {
                    let all_disjoint = (0..info.len()).all(|j| j == i || disjoint(&info[j].0, &info[i].0));
                    if all_disjoint {
                        let mut orders: Vec<u32> = (0..info.len()).filter(|&j| j != i).map(|j| info[j].1).collect();
                        orders.sort_unstable();
                        orders.get(k as usize - 2).copied().unwrap_or(0)
                    } else {
                        0
                    }
                }
                GateKind::AtLeast { .. } => 0,
                _ => disjoint_sum(info, Some(i), Some(&info[i].0)),
            };
            gate_limit[c] = gate_limit[c].max(budget.saturating_sub(others));
        }
    }
    gate_limit
}

impl Direct<'_> {
    /// The ZBDD of minimal cut sets built bottom-up from the gates in negation normal form (literals
    /// `2·level` and `2·level + 1`), minimised at every gate; success literals are dropped at the end.
    fn cut_sets(&self, z: &mut Zbdd, limit: u32) -> Z {
        let mut memo: FxHashMap<(usize, bool), Z> = FxHashMap::default();
        let top = self.nnf(z, self.tree.top, false, &mut memo);
        let top = if self.coherent {
            top
        } else {
            let mut m = FxHashMap::default();
            let pos = z.positive_part(top, &mut m);
            z.minimal(pos)
        };
        // Truncation happened in products only: OR of events can still leave sets above the limit.
        let top = if limit == u32::MAX { top } else { z.product(top, zbdd::BASE, limit) };
        z.minimal(top)
    }

    fn nnf(&self, z: &mut Zbdd, a: Arg, neg: bool, memo: &mut FxHashMap<(usize, bool), Z>) -> Z {
        let g = match a {
            Arg::Const(c) => return if c != neg { zbdd::BASE } else { zbdd::EMPTY },
            Arg::Event(e) => return z.single(2 * self.level_of[e] + neg as u32),
            Arg::Gate(g) => g,
        };
        if let Some(&r) = memo.get(&(g, neg)) {
            return r;
        }
        let gate = &self.tree.gates[g];
        let n = gate.args.len();
        let (limit, coherent) = (self.gate_limit[g], self.coherent);
        let args = |z: &mut Zbdd, memo: &mut FxHashMap<(usize, bool), Z>, neg: bool| -> Vec<Z> {
            gate.args.iter().map(|&a| self.nnf(z, a, neg, memo)).collect()
        };
        let and = |z: &mut Zbdd, xs: &[Z]| {
            let mut acc = zbdd::BASE;
            for &x in xs {
                if coherent {
                    acc = z.product(acc, x, limit);
                } else {
                    acc = z.product_of_failures(acc, x, limit);
                    acc = z.consistent(acc, &mut FxHashMap::default());
                }
                acc = z.minimal(acc);
            }
            acc
        };
        let or = |z: &mut Zbdd, xs: &[Z]| {
            let acc = xs.iter().fold(zbdd::EMPTY, |acc, &x| z.union(acc, x));
            z.minimal(acc)
        };
        let at_least = |z: &mut Zbdd, k: usize, xs: &[Z]| {
            // T(i, j) = T(i+1, j) ∪ x_i × T(i+1, j−1), as in the BDD.
            let n = xs.len();
            let mut row = vec![zbdd::EMPTY; k + 1];
            row[0] = zbdd::BASE;
            for i in (0..n).rev() {
                for j in (1..=k).rev() {
                    if j > n - i {
                        continue;
                    }
                    let with = and(z, &[xs[i], row[j - 1]]);
                    row[j] = or(z, &[row[j], with]);
                }
            }
            row[k]
        };
        let r = match (gate.kind, neg) {
            (GateKind::And | GateKind::Inhibit, false) | (GateKind::Nand, true) => {
                let xs = args(z, memo, false);
                and(z, &xs)
            }
            (GateKind::Or, true) | (GateKind::Nor, false) => {
                let xs = args(z, memo, true);
                and(z, &xs)
            }
            (GateKind::Or, false) | (GateKind::Nor, true) => {
                let xs = args(z, memo, false);
                or(z, &xs)
            }
            (GateKind::And | GateKind::Inhibit, true) | (GateKind::Nand, false) => {
                let xs = args(z, memo, true);
                or(z, &xs)
            }
            (GateKind::Not, _) => self.nnf(z, gate.args[0], !neg, memo),
            (GateKind::AtLeast { k }, false) => {
                let xs = args(z, memo, false);
                at_least(z, k as usize, &xs)
            }
            (GateKind::AtLeast { k }, true) => {
                let xs = args(z, memo, true);
                at_least(z, n + 1 - k as usize, &xs)
            }
            (GateKind::Xor, _) => {
                let pos = args(z, memo, false);
                let negs = args(z, memo, true);
                // (odd, even) parity of the arguments so far.
                let (mut odd, mut even) = (pos[0], negs[0]);
                for i in 1..n {
                    let o1 = and(z, &[odd, negs[i]]);
                    let o2 = and(z, &[even, pos[i]]);
                    let e1 = and(z, &[odd, pos[i]]);
                    let e2 = and(z, &[even, negs[i]]);
                    odd = or(z, &[o1, o2]);
                    even = or(z, &[e1, e2]);
                }
                if neg { even } else { odd }
            }
        };
        memo.insert((g, neg), r);
        r
    }
}
