//! The minimal cut sets as a ZBDD built directly from the gates, without a BDD: an independent cross-check
//! of the BDD route (`--algorithm zbdd`).

use super::zbdd::{self, Zbdd, Z};
use crate::fault_tree::validate::{Arg, ValidTree};
use crate::fault_tree::GateKind;
use rustc_hash::FxHashMap;

/// The ZBDD of the minimal cut sets of `tree` (see the non-coherent convention in [`super`]), with the
/// event `e` as the literals `2·level_of[e]` (fails) and `2·level_of[e] + 1` (works), truncated to `limit`
/// events. Built bottom-up from the gates in negation normal form, minimised at every gate.
///
/// Complexity: each gate costs ZBDD products, unions and minimisations, O(|a|·|b|) each in the worst case;
/// memory follows the diagrams.
pub fn cut_sets(tree: &ValidTree, level_of: &[u32], z: &mut Zbdd, limit: u32) -> Z {
    Direct { tree, level_of }.cut_sets(z, limit)
}

struct Direct<'a> {
    tree: &'a ValidTree,
    level_of: &'a [u32],
}

impl Direct<'_> {
    /// The ZBDD of minimal cut sets built bottom-up from the gates in negation normal form (literals
    /// `2·level` and `2·level + 1`), minimised at every gate; success literals are dropped at the end.
    fn cut_sets(&self, z: &mut Zbdd, limit: u32) -> Z {
        let coherent = self.tree.is_coherent();
        // Negative literals do not count towards the order: truncate only at the end when there are any.
        let product_limit = if coherent { limit } else { u32::MAX };
        let mut memo: FxHashMap<(usize, bool), Z> = FxHashMap::default();
        let top = self.nnf(z, self.tree.top, false, product_limit, coherent, &mut memo);
        let top = if coherent {
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

    fn nnf(&self, z: &mut Zbdd, a: Arg, neg: bool, limit: u32, coherent: bool, memo: &mut FxHashMap<(usize, bool), Z>) -> Z {
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
        let args = |z: &mut Zbdd, memo: &mut FxHashMap<(usize, bool), Z>, neg: bool| -> Vec<Z> {
            gate.args.iter().map(|&a| self.nnf(z, a, neg, limit, coherent, memo)).collect()
        };
        let and = |z: &mut Zbdd, xs: &[Z]| {
            let mut acc = zbdd::BASE;
            for &x in xs {
                acc = z.product(acc, x, limit);
                if !coherent {
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
            (GateKind::Not, _) => self.nnf(z, gate.args[0], !neg, limit, coherent, memo),
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
