//! Zero-suppressed decision diagrams holding families of cut sets.
//!
//! A [`Zbdd`] node `(var, hi, lo)` is the family `{ {var} ∪ s : s ∈ hi } ∪ lo`; a node whose `hi` is the
//! empty family is never made. [`EMPTY`] is the empty family and [`BASE`] the family holding only the empty
//! set. Variables are *literals*: `2·level` stands for "the event of that level fails" and `2·level + 1` for
//! "it works" (only the direct algorithm for non-coherent trees makes odd ones), so both orders agree with the
//! BDD's.
//!
//! The minimal cut sets come either from a BDD ([`Zbdd::from_bdd`], Rauzy's algorithm) or bottom-up from the
//! gates ([`Zbdd::union`], [`Zbdd::product`], [`Zbdd::minimal`]). Counting, summing and the order distribution
//! work on the diagram without listing any set; [`Zbdd::most_probable`] lists the N most probable sets best
//! first.

use super::bdd::{self, Bdd, Edge};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A node index.
pub type Z = u32;
/// The empty family.
pub const EMPTY: Z = 0;
/// The family holding only the empty set.
pub const BASE: Z = 1;
const TERMINAL_VAR: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Node {
    var: u32,
    hi: Z,
    lo: Z,
}

/// A store of ZBDD nodes with its unique and computed tables.
pub struct Zbdd {
    nodes: Vec<Node>,
    unique: FxHashMap<(u32, Z, Z), Z>,
    union_cache: FxHashMap<(Z, Z), Z>,
    without_cache: FxHashMap<(Z, Z), Z>,
    product_cache: FxHashMap<(Z, Z, u32), Z>,
    minimal_cache: FxHashMap<Z, Z>,
    from_bdd_cache: FxHashMap<(Edge, u32), Z>,
}

impl Default for Zbdd {
    fn default() -> Self {
        Self::new()
    }
}

/// A value in the heap of [`Zbdd::most_probable`], ordered by its bound.
struct Candidate {
    bound: f64,
    acc: f64,
    node: Z,
    path: u32,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound.total_cmp(&other.bound).then_with(|| other.path.cmp(&self.path))
    }
}

impl Zbdd {
    /// An empty store holding the two terminals.
    pub fn new() -> Self {
        let t = Node { var: TERMINAL_VAR, hi: EMPTY, lo: EMPTY };
        Zbdd {
            nodes: vec![t, t],
            unique: FxHashMap::default(),
            union_cache: FxHashMap::default(),
            without_cache: FxHashMap::default(),
            product_cache: FxHashMap::default(),
            minimal_cache: FxHashMap::default(),
            from_bdd_cache: FxHashMap::default(),
        }
    }

    /// Drops the computed tables (nodes stay valid).
    pub fn clear_caches(&mut self) {
        self.union_cache = FxHashMap::default();
        self.without_cache = FxHashMap::default();
        self.product_cache = FxHashMap::default();
        self.minimal_cache = FxHashMap::default();
        self.from_bdd_cache = FxHashMap::default();
    }

    #[inline]
    fn var(&self, z: Z) -> u32 {
        self.nodes[z as usize].var
    }

    #[inline]
    fn node(&self, z: Z) -> Node {
        self.nodes[z as usize]
    }

    /// The node `{ {var} ∪ s : s ∈ hi } ∪ lo`, zero-suppressed and shared. O(1) expected.
    pub fn mk(&mut self, var: u32, hi: Z, lo: Z) -> Z {
        if hi == EMPTY {
            return lo;
        }
        let key = (var, hi, lo);
        if let Some(&z) = self.unique.get(&key) {
            return z;
        }
        let z = self.nodes.len() as Z;
        self.nodes.push(Node { var, hi, lo });
        self.unique.insert(key, z);
        z
    }

    /// The family `{{var}}`.
    pub fn single(&mut self, var: u32) -> Z {
        self.mk(var, BASE, EMPTY)
    }

    /// Union of two families. O(|a|·|b|) worst case, memoised.
    pub fn union(&mut self, a: Z, b: Z) -> Z {
        if a == EMPTY || a == b {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        if let Some(&r) = self.union_cache.get(&(a, b)) {
            return r;
        }
        let (na, nb) = (self.node(a), self.node(b));
        let r = match na.var.cmp(&nb.var) {
            Ordering::Less => {
                let lo = self.union(na.lo, b);
                self.mk(na.var, na.hi, lo)
            }
            Ordering::Greater => {
                let lo = self.union(a, nb.lo);
                self.mk(nb.var, nb.hi, lo)
            }
            Ordering::Equal => {
                // Both terminals (BASE, BASE) is caught by a == b above.
                let hi = self.union(na.hi, nb.hi);
                let lo = self.union(na.lo, nb.lo);
                self.mk(na.var, hi, lo)
            }
        };
        self.union_cache.insert((a, b), r);
        r
    }

    /// The sets of `f` that contain no set of `g` (Rauzy's *without*). O(|f|·|g|) worst case, memoised.
    pub fn without(&mut self, f: Z, g: Z) -> Z {
        if g == EMPTY || f == EMPTY {
            return f;
        }
        if g == BASE || f == g {
            return EMPTY;
        }
        if f == BASE {
            // Only the empty set is a subset of it, and g does not hold it at its root... unless deeper.
            return if self.contains_empty(g) { EMPTY } else { BASE };
        }
        if let Some(&r) = self.without_cache.get(&(f, g)) {
            return r;
        }
        let (nf, ng) = (self.node(f), self.node(g));
        let r = match nf.var.cmp(&ng.var) {
            Ordering::Less => {
                let hi = self.without(nf.hi, g);
                let lo = self.without(nf.lo, g);
                self.mk(nf.var, hi, lo)
            }
            // g's top variable is absent from f: its sets holding it cannot be subsets.
            Ordering::Greater => self.without(f, ng.lo),
            Ordering::Equal => {
                let h = self.without(nf.hi, ng.hi);
                let hi = self.without(h, ng.lo);
                let lo = self.without(nf.lo, ng.lo);
                self.mk(nf.var, hi, lo)
            }
        };
        self.without_cache.insert((f, g), r);
        r
    }

    /// Whether the family holds the empty set. O(length of the low chain).
    pub fn contains_empty(&self, mut z: Z) -> bool {
        while z > BASE {
            z = self.node(z).lo;
        }
        z == BASE
    }

    /// `{ s ∪ t : s ∈ a, t ∈ b, |s ∪ t| ≤ limit }`. O(|a|·|b|·limit) worst case, memoised.
    pub fn product(&mut self, a: Z, b: Z, limit: u32) -> Z {
        if a == EMPTY || b == EMPTY {
            return EMPTY;
        }
        if limit == 0 {
            return if self.contains_empty(a) && self.contains_empty(b) { BASE } else { EMPTY };
        }
        if a == BASE && limit == u32::MAX {
            return b;
        }
        if b == BASE && limit == u32::MAX {
            return a;
        }
        if a == BASE && b == BASE {
            return BASE;
        }
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        if let Some(&r) = self.product_cache.get(&(a, b, limit)) {
            return r;
        }
        let (na, nb) = (self.node(a), self.node(b));
        let less = if limit == u32::MAX { limit } else { limit - 1 };
        let r = match na.var.cmp(&nb.var) {
            Ordering::Less => {
                let hi = self.product(na.hi, b, less);
                let lo = self.product(na.lo, b, limit);
                self.mk(na.var, hi, lo)
            }
            Ordering::Greater => {
                let hi = self.product(a, nb.hi, less);
                let lo = self.product(a, nb.lo, limit);
                self.mk(nb.var, hi, lo)
            }
            Ordering::Equal => {
                let h11 = self.product(na.hi, nb.hi, less);
                let h10 = self.product(na.hi, nb.lo, less);
                let h01 = self.product(na.lo, nb.hi, less);
                let h = self.union(h11, h10);
                let hi = self.union(h, h01);
                let lo = self.product(na.lo, nb.lo, limit);
                self.mk(na.var, hi, lo)
            }
        };
        self.product_cache.insert((a, b, limit), r);
        r
    }

    /// The minimal sets of the family (no other set of the family is a subset). O(|z|²) worst case.
    pub fn minimal(&mut self, z: Z) -> Z {
        if z <= BASE {
            return z;
        }
        if let Some(&r) = self.minimal_cache.get(&z) {
            return r;
        }
        let n = self.node(z);
        let lo = self.minimal(n.lo);
        let hi = self.minimal(n.hi);
        let hi = self.without(hi, lo);
        let r = self.mk(n.var, hi, lo);
        self.minimal_cache.insert(z, r);
        r
    }

    /// Removes the sets holding both literals of an event (`2l` and `2l + 1`): they are contradictions.
    pub fn consistent(&mut self, z: Z, memo: &mut FxHashMap<Z, Z>) -> Z {
        if z <= BASE {
            return z;
        }
        if let Some(&r) = memo.get(&z) {
            return r;
        }
        let n = self.node(z);
        let mut hi = n.hi;
        if n.var.is_multiple_of(2) && self.var(hi) == n.var + 1 {
            hi = self.node(hi).lo;
        }
        let hi = self.consistent(hi, memo);
        let lo = self.consistent(n.lo, memo);
        let r = self.mk(n.var, hi, lo);
        memo.insert(z, r);
        r
    }

    /// Drops the negative literals (odd variables) from every set. The result is not minimised.
    pub fn positive_part(&mut self, z: Z, memo: &mut FxHashMap<Z, Z>) -> Z {
        if z <= BASE {
            return z;
        }
        if let Some(&r) = memo.get(&z) {
            return r;
        }
        let n = self.node(z);
        let hi = self.positive_part(n.hi, memo);
        let lo = self.positive_part(n.lo, memo);
        let r = if n.var % 2 == 1 { self.union(hi, lo) } else { self.mk(n.var, hi, lo) };
        memo.insert(z, r);
        r
    }

    /// The minimal cut sets of the BDD function `f` with at most `limit` events (Rauzy's algorithm):
    /// for f = ite(x, f1, f0), MCS(f) = x·(MCS(f1) without MCS(f0)) ∪ MCS(f0).
    ///
    /// For a non-coherent f this gives the minimal sets S such that f is true when exactly S fails (see the
    /// module docs of [`crate::analysis`]). `limit` is `u32::MAX` for no limit. Levels map to variable
    /// `2·level`. O(|f|·limit) calls to `without`, memoised.
    pub fn from_bdd(&mut self, bdd: &Bdd, f: Edge, limit: u32) -> Z {
        if f == bdd::TRUE {
            return BASE;
        }
        if f == bdd::FALSE {
            return EMPTY;
        }
        if limit == 0 {
            // Only the empty set can remain: is f true with every event working?
            let mut e = f;
            while bdd.level(e) != bdd::TERMINAL_LEVEL {
                e = bdd.children(e).1;
            }
            return if e == bdd::TRUE { BASE } else { EMPTY };
        }
        if let Some(&r) = self.from_bdd_cache.get(&(f, limit)) {
            return r;
        }
        let level = bdd.level(f);
        let (f1, f0) = bdd.children(f);
        let less = if limit == u32::MAX { limit } else { limit - 1 };
        let z0 = self.from_bdd(bdd, f0, limit);
        let z1 = self.from_bdd(bdd, f1, less);
        let z1 = self.without(z1, z0);
        let r = self.mk(2 * level, z1, z0);
        self.from_bdd_cache.insert((f, limit), r);
        r
    }

    /// The nodes under `root` (terminals excluded), children before parents. O(size).
    pub fn topological(&self, root: Z) -> Vec<Z> {
        let mut order = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<(Z, bool)> = vec![(root, false)];
        while let Some((z, expanded)) = stack.pop() {
            if z <= BASE {
                continue;
            }
            if expanded {
                order.push(z);
                continue;
            }
            if seen[z as usize] {
                continue;
            }
            seen[z as usize] = true;
            stack.push((z, true));
            let n = self.node(z);
            stack.push((n.lo, false));
            stack.push((n.hi, false));
        }
        order
    }

    /// The number of nodes under `root`.
    pub fn size(&self, root: Z) -> usize {
        self.topological(root).len()
    }

    /// The number of sets, saturating at `u64::MAX`. O(size).
    pub fn count(&self, root: Z) -> u64 {
        let mut c: FxHashMap<Z, u64> = FxHashMap::default();
        c.insert(EMPTY, 0);
        c.insert(BASE, 1);
        for z in self.topological(root) {
            let n = self.node(z);
            let v = c[&n.hi].saturating_add(c[&n.lo]);
            c.insert(z, v);
        }
        c[&root]
    }

    /// The number of sets of each order, order 0 first. O(size · max order).
    pub fn order_distribution(&self, root: Z) -> Vec<u64> {
        let mut d: FxHashMap<Z, Vec<u64>> = FxHashMap::default();
        d.insert(EMPTY, vec![]);
        d.insert(BASE, vec![1]);
        for z in self.topological(root) {
            let n = self.node(z);
            let (hi, lo) = (&d[&n.hi], &d[&n.lo]);
            let mut v = vec![0u64; (hi.len() + 1).max(lo.len())];
            for (k, c) in hi.iter().enumerate() {
                v[k + 1] = v[k + 1].saturating_add(*c);
            }
            for (k, c) in lo.iter().enumerate() {
                v[k] = v[k].saturating_add(*c);
            }
            d.insert(z, v);
        }
        let mut v = d.remove(&root).unwrap_or_default();
        if v.is_empty() {
            v.push(0);
        }
        v
    }

    /// Σ over the sets of (Π p)^power, where `p[var]` is each literal's probability. O(size).
    pub fn power_sum(&self, root: Z, p: &[f64], power: i32) -> f64 {
        let mut s: FxHashMap<Z, f64> = FxHashMap::default();
        s.insert(EMPTY, 0.0);
        s.insert(BASE, 1.0);
        for z in self.topological(root) {
            let n = self.node(z);
            let v = p[n.var as usize].powi(power) * s[&n.hi] + s[&n.lo];
            s.insert(z, v);
        }
        s[&root]
    }

    /// For every variable, Σ P(s) over the sets s holding it, in one forward pass. O(size).
    pub fn sums_containing(&self, root: Z, p: &[f64]) -> Vec<f64> {
        let order = self.topological(root);
        let mut s: FxHashMap<Z, f64> = FxHashMap::default();
        s.insert(EMPTY, 0.0);
        s.insert(BASE, 1.0);
        for &z in &order {
            let n = self.node(z);
            s.insert(z, p[n.var as usize] * s[&n.hi] + s[&n.lo]);
        }
        let mut reach: FxHashMap<Z, f64> = FxHashMap::default();
        reach.insert(root, 1.0);
        let mut out = vec![0.0; p.len()];
        for &z in order.iter().rev() {
            let n = self.node(z);
            let r = reach.get(&z).copied().unwrap_or(0.0);
            let px = p[n.var as usize];
            out[n.var as usize] += r * px * s[&n.hi];
            *reach.entry(n.hi).or_insert(0.0) += r * px;
            *reach.entry(n.lo).or_insert(0.0) += r;
        }
        out
    }

    /// The largest and smallest set probability under each node (max = 0 and min = +∞ for no set).
    fn extremes(&self, root: Z, p: &[f64]) -> FxHashMap<Z, (f64, f64)> {
        let mut m: FxHashMap<Z, (f64, f64)> = FxHashMap::default();
        m.insert(EMPTY, (0.0, f64::INFINITY));
        m.insert(BASE, (1.0, 1.0));
        for z in self.topological(root) {
            let n = self.node(z);
            let (h, l) = (m[&n.hi], m[&n.lo]);
            let px = p[n.var as usize];
            m.insert(z, ((px * h.0).max(l.0), (px * h.1).min(l.1)));
        }
        m
    }

    /// Keeps the sets whose probability is at least `cut_off`. O(output + pruned frontier).
    pub fn cut_off(&mut self, root: Z, p: &[f64], cut_off: f64) -> Z {
        let ext = self.extremes(root, p);
        self.cut_off_rec(root, 1.0, p, cut_off, &ext)
    }

    fn cut_off_rec(&mut self, z: Z, acc: f64, p: &[f64], cut: f64, ext: &FxHashMap<Z, (f64, f64)>) -> Z {
        let (max, min) = ext[&z];
        if acc * max < cut {
            return EMPTY;
        }
        if acc * min >= cut {
            return z;
        }
        let n = self.node(z);
        let hi = self.cut_off_rec(n.hi, acc * p[n.var as usize], p, cut, ext);
        let lo = self.cut_off_rec(n.lo, acc, p, cut, ext);
        self.mk(n.var, hi, lo)
    }

    /// The `n` most probable sets (all when `n` is 0), most probable first, each as its variables in
    /// increasing order with its probability. Best-first search bounded by the best completion under each
    /// node: O(n · depth · log) and never more than the sets listed.
    pub fn most_probable(&self, root: Z, p: &[f64], n: usize) -> Vec<(Vec<u32>, f64)> {
        let ext = self.extremes(root, p);
        let mut arena: Vec<(u32, u32)> = vec![(u32::MAX, u32::MAX)]; // (var, parent); 0 is the empty path
        let mut heap = BinaryHeap::new();
        let mut out = Vec::new();
        if root != EMPTY {
            heap.push(Candidate { bound: ext[&root].0, acc: 1.0, node: root, path: 0 });
        }
        while let Some(c) = heap.pop() {
            if n != 0 && out.len() >= n {
                break;
            }
            if c.node == BASE {
                let mut vars = Vec::new();
                let mut at = c.path;
                while at != 0 {
                    vars.push(arena[at as usize].0);
                    at = arena[at as usize].1;
                }
                vars.reverse();
                out.push((vars, c.acc));
                continue;
            }
            let node = self.node(c.node);
            let acc_hi = c.acc * p[node.var as usize];
            arena.push((node.var, c.path));
            let hi_path = (arena.len() - 1) as u32;
            heap.push(Candidate { bound: acc_hi * ext[&node.hi].0, acc: acc_hi, node: node.hi, path: hi_path });
            if node.lo != EMPTY {
                heap.push(Candidate { bound: c.acc * ext[&node.lo].0, acc: c.acc, node: node.lo, path: c.path });
            }
        }
        out
    }
}

impl Zbdd {
    /// The variable and children of a node: `(var, hi, lo)`.
    pub fn parts(&self, z: Z) -> (u32, Z, Z) {
        let n = self.node(z);
        (n.var, n.hi, n.lo)
    }
}
