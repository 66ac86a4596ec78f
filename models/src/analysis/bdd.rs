//! Reduced ordered binary decision diagrams with complement edges.
//!
//! A [`Bdd`] is a shared node store. An [`Edge`] is a node index with a complement bit, so negation is O(1)
//! and a function and its negation share every node. Canonical form: the high edge of a node is never
//! complemented; the terminal is node 0 (the constant true), and `FALSE` is its complement.
//!
//! Variables are *levels*: level 0 is tested first (at the root). The engine maps basic events to levels with
//! the ordering heuristic of [`super::pdag`].
//!
//! Probabilities are computed as the pair (P, Q = 1 − P) for every node, each a sum of non-negative
//! products, so that a tiny probability under a complement edge keeps its relative precision.

use super::cache::Cache;
use super::cancel_seen;
use super::unique::{self, Probe, UniqueTable};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A node index shifted left by one, with the complement bit in bit 0.
pub type Edge = u32;

/// The constant true.
pub const TRUE: Edge = 0;
/// The constant false.
pub const FALSE: Edge = 1;

/// The level of the terminal: below every variable.
pub const TERMINAL_LEVEL: u32 = u32::MAX;

/// In a table of module diagrams indexed by level: the level tests a plain variable.
pub const NO_MODULE: Edge = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Node {
    level: u32,
    hi: Edge,
    lo: Edge,
}

/// A store of BDD nodes with its unique table and computed tables.
pub struct Bdd {
    nodes: Vec<Node>,
    unique: UniqueTable,
    and_cache: Cache,
    xor_cache: Cache,
    /// The most nodes the store may hold; past it, [`Bdd::overflowed`] turns true and every operation
    /// returns a meaningless edge at once, so a caller can give up on a variable order cheaply.
    budget: usize,
    overflow: bool,
    /// Raised by another thread to stop: looked at every [`super::CANCEL_EVERY`] new nodes, it then counts as an
    /// overflow.
    cancel: Option<Arc<AtomicBool>>,
}

impl Default for Bdd {
    fn default() -> Self {
        Self::new()
    }
}

#[inline]
fn node_of(e: Edge) -> usize {
    (e >> 1) as usize
}

#[inline]
fn is_complement(e: Edge) -> bool {
    e & 1 == 1
}

impl Bdd {
    /// An empty store holding only the terminal.
    pub fn new() -> Self {
        Bdd {
            nodes: vec![Node { level: TERMINAL_LEVEL, hi: TRUE, lo: TRUE }],
            unique: UniqueTable::default(),
            and_cache: Cache::default(),
            xor_cache: Cache::default(),
            budget: usize::MAX,
            overflow: false,
            cancel: None,
        }
    }

    /// An empty store that gives up once it holds `budget` nodes, or once `cancel` is raised (see
    /// [`Bdd::overflowed`]), with room for `room` nodes (at most `budget`) from the start: neither the
    /// store nor its unique table grows on its way there. O(room).
    pub fn with_budget(budget: usize, room: usize, cancel: Option<Arc<AtomicBool>>) -> Self {
        let room = room.min(budget);
        let mut nodes = Vec::with_capacity(room + 1);
        nodes.push(Node { level: TERMINAL_LEVEL, hi: TRUE, lo: TRUE });
        Bdd { budget, cancel, nodes, unique: UniqueTable::with_capacity(room), ..Bdd::new() }
    }

    /// Whether the node budget was exceeded: every result since then is meaningless.
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    /// Keeps only the nodes under `roots` (rewritten in place to the new edges), renumbered children first,
    /// drops the computed tables and lifts the budget. O(live nodes).
    pub fn compact(&mut self, roots: &mut [Edge]) {
        self.collect(roots);
        self.budget = usize::MAX;
    }

    /// Garbage collection: keeps only the nodes under `roots` (rewritten in place to the new edges),
    /// renumbered children first, and drops the computed tables; the budget stays. O(live nodes).
    pub fn collect(&mut self, roots: &mut [Edge]) {
        let mut seen = vec![false; self.nodes.len()];
        let mut order = Vec::new();
        for &r in roots.iter() {
            self.topological_into(r, &mut seen, &mut order);
        }
        let mut new_index = vec![0u32; self.nodes.len()];
        let mut nodes = Vec::with_capacity(order.len() + 1);
        nodes.push(self.nodes[0]);
        let mut unique = UniqueTable::with_capacity(order.len());
        let remap = |new_index: &[u32], e: Edge| (new_index[node_of(e)] << 1) | (e & 1);
        for n in order {
            let node = self.nodes[n as usize];
            let fresh = Node { level: node.level, hi: remap(&new_index, node.hi), lo: remap(&new_index, node.lo) };
            let i = nodes.len() as u32;
            nodes.push(fresh);
            unique.insert(unique::hash(fresh.level, fresh.hi, fresh.lo), i);
            new_index[n as usize] = i;
        }
        for r in roots.iter_mut() {
            *r = remap(&new_index, *r);
        }
        self.nodes = nodes;
        self.unique = unique;
        self.clear_caches();
    }

    /// The number of nodes ever created (including the terminal and garbage of intermediate results).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether only the terminal exists.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 1
    }

    /// Drops the computed tables (the nodes stay valid). Frees memory between stages.
    pub fn clear_caches(&mut self) {
        self.and_cache = Cache::default();
        self.xor_cache = Cache::default();
    }

    /// The level tested by the node of `e` ([`TERMINAL_LEVEL`] for a constant).
    #[inline]
    pub fn level(&self, e: Edge) -> u32 {
        self.nodes[node_of(e)].level
    }

    /// The high and low cofactors of `e` (complement pushed down).
    #[inline]
    pub fn children(&self, e: Edge) -> (Edge, Edge) {
        let n = self.nodes[node_of(e)];
        let c = e & 1;
        (n.hi ^ c, n.lo ^ c)
    }

    /// The edge of the node `(level, hi, lo)`, made canonical and shared. O(1) expected.
    pub fn mk(&mut self, level: u32, hi: Edge, lo: Edge) -> Edge {
        if hi == lo {
            return hi;
        }
        if is_complement(hi) {
            return self.mk(level, hi ^ 1, lo ^ 1) ^ 1;
        }
        // One probe of the unique table, whether the node exists or not.
        let h = unique::hash(level, hi, lo);
        let nodes = &self.nodes;
        match self.unique.probe(h, |i| {
            let n = nodes[i as usize];
            n.level == level && n.hi == hi && n.lo == lo
        }) {
            Probe::Found(i) => i << 1,
            Probe::Vacant(at) => {
                if self.nodes.len() >= self.budget || cancel_seen(self.nodes.len(), &self.cancel) {
                    self.overflow = true;
                    return FALSE;
                }
                let n = self.nodes.len() as u32;
                self.nodes.push(Node { level, hi, lo });
                self.unique.insert_at(at, h, n);
                n << 1
            }
        }
    }

    /// The single-variable function of `level`.
    pub fn var(&mut self, level: u32) -> Edge {
        self.mk(level, TRUE, FALSE)
    }

    #[inline]
    fn cofactors(&self, e: Edge, level: u32) -> (Edge, Edge) {
        if self.level(e) == level {
            self.children(e)
        } else {
            (e, e)
        }
    }

    /// Conjunction. O(|a|·|b|) worst case, memoised.
    pub fn and(&mut self, a: Edge, b: Edge) -> Edge {
        if self.overflow || a == FALSE || b == FALSE || a == b ^ 1 {
            return FALSE;
        }
        if a == TRUE || a == b {
            return b;
        }
        if b == TRUE {
            return a;
        }
        let key = if a < b { (a, b) } else { (b, a) };
        if let Some(r) = self.and_cache.get(key.0, key.1, 0) {
            return r;
        }
        let level = self.level(a).min(self.level(b));
        let (a1, a0) = self.cofactors(a, level);
        let (b1, b0) = self.cofactors(b, level);
        let hi = self.and(a1, b1);
        let lo = self.and(a0, b0);
        let r = self.mk(level, hi, lo);
        let live = self.nodes.len();
        self.and_cache.insert(key.0, key.1, 0, r, live);
        r
    }

    /// Disjunction, as ¬(¬a ∧ ¬b).
    pub fn or(&mut self, a: Edge, b: Edge) -> Edge {
        self.and(a ^ 1, b ^ 1) ^ 1
    }

    /// Exclusive or. O(|a|·|b|) worst case, memoised.
    pub fn xor(&mut self, a: Edge, b: Edge) -> Edge {
        if self.overflow {
            return FALSE;
        }
        if a == b {
            return FALSE;
        }
        if a == b ^ 1 {
            return TRUE;
        }
        if a == FALSE {
            return b;
        }
        if a == TRUE {
            return b ^ 1;
        }
        if b == FALSE {
            return a;
        }
        if b == TRUE {
            return a ^ 1;
        }
        let c = (a ^ b) & 1;
        let (a, b) = (a & !1, b & !1);
        let key = if a < b { (a, b) } else { (b, a) };
        if let Some(r) = self.xor_cache.get(key.0, key.1, 0) {
            return r ^ c;
        }
        let level = self.level(a).min(self.level(b));
        let (a1, a0) = self.cofactors(a, level);
        let (b1, b0) = self.cofactors(b, level);
        let hi = self.xor(a1, b1);
        let lo = self.xor(a0, b0);
        let r = self.mk(level, hi, lo);
        let live = self.nodes.len();
        self.xor_cache.insert(key.0, key.1, 0, r, live);
        r ^ c
    }

    /// At least `k` of `args` are true, by the recurrence T(i, j) = T(i+1, j) ∨ (a_i ∧ T(i+1, j−1)).
    /// O(n·k) conjunctions and disjunctions.
    pub fn at_least(&mut self, k: usize, args: &[Edge]) -> Edge {
        let n = args.len();
        if k == 0 {
            return TRUE;
        }
        if k > n {
            return FALSE;
        }
        // row[j] = T(i, j) for the current i, j in 0..=k.
        let mut row = vec![FALSE; k + 1];
        row[0] = TRUE;
        for i in (0..n).rev() {
            for j in (1..=k).rev() {
                // Only j <= n - i can be true; T(i, j) for larger j stays FALSE.
                if j > n - i {
                    continue;
                }
                let with = self.and(args[i], row[j - 1]);
                row[j] = self.or(row[j], with);
            }
        }
        row[k]
    }

    /// For each level, whether the module whose diagram `modules` holds at that level (not [`NO_MODULE`])
    /// is true when every event is false; false at the other levels. A module's modules have larger levels
    /// than its own, so the levels are done from the last. O(levels + the paths followed).
    pub fn modules_at_zero(&self, modules: &[Edge]) -> Vec<bool> {
        let mut zero = vec![false; modules.len()];
        for l in (0..modules.len()).rev() {
            if modules[l] != NO_MODULE {
                zero[l] = self.at_zero(modules[l], &zero);
            }
        }
        zero
    }

    /// The value of `f` when every event is false, a level where `module_zero` (from
    /// [`Bdd::modules_at_zero`]) is true testing a module that is then true. O(length of the path followed).
    pub fn at_zero(&self, mut f: Edge, module_zero: &[bool]) -> bool {
        loop {
            let level = self.level(f);
            if level == TERMINAL_LEVEL {
                return f == TRUE;
            }
            let (f1, f0) = self.children(f);
            f = if module_zero.get(level as usize).copied().unwrap_or(false) { f1 } else { f0 };
        }
    }

    /// The nodes reachable from `root`, children before parents (each node once, as a regular edge).
    /// O(size of the diagram under root) time, O(nodes in the store) memory.
    pub fn topological(&self, root: Edge) -> Vec<u32> {
        let mut order = Vec::new();
        self.topological_into(root, &mut vec![false; self.nodes.len()], &mut order);
        order
    }

    /// Appends to `order` the nodes reachable from `root` that are not yet `seen`, children before parents,
    /// and marks them seen. O(new nodes).
    pub fn topological_into(&self, root: Edge, seen: &mut [bool], order: &mut Vec<u32>) {
        let mut stack: Vec<(u32, bool)> = vec![(root >> 1, false)];
        while let Some((n, expanded)) = stack.pop() {
            if n == 0 {
                continue;
            }
            if expanded {
                order.push(n);
                continue;
            }
            if seen[n as usize] {
                continue;
            }
            seen[n as usize] = true;
            stack.push((n, true));
            let node = self.nodes[n as usize];
            stack.push((node.lo >> 1, false));
            stack.push((node.hi >> 1, false));
        }
    }

    /// The number of nodes reachable from `root`, terminal excluded.
    pub fn size(&self, root: Edge) -> usize {
        self.topological(root).len()
    }

    /// A zeroed buffer for [`Bdd::probabilities_into`] and [`Bdd::conditional_probabilities`], one entry per
    /// node of the store, with the terminal's (P, Q) = (1, 0).
    pub fn node_buffer(&self) -> Vec<(f64, f64)> {
        let mut pq = vec![(0.0, 0.0); self.nodes.len()];
        pq[0] = (1.0, 0.0);
        pq
    }

    /// Fills `pq[node]` with (P, Q = 1 − P) for the nodes under `root` not yet `seen` (and marks them), and
    /// returns the (P, Q) of `root`. `p[level]` and `q[level]` are the probabilities that the variable of
    /// that level is true and false. Both P and Q are sums of non-negative products, so neither loses its
    /// relative precision. O(new nodes).
    pub fn probabilities_into(&self, root: Edge, p: &[f64], q: &[f64], pq: &mut [(f64, f64)], seen: &mut [bool]) -> (f64, f64) {
        let mut order = Vec::new();
        self.topological_into(root, seen, &mut order);
        for n in order {
            let node = self.nodes[n as usize];
            let ph = pq[node_of(node.hi)];
            let (lp, lq) = edge_pq(pq, node.lo);
            let l = node.level as usize;
            let (x, y) = (p[l], q[l]);
            pq[n as usize] = (x * ph.0 + y * lp, x * ph.1 + y * lq);
        }
        edge_pq(pq, root)
    }

    /// The probability that `root` is true, given the probability of each level's variable. O(size).
    pub fn probability(&self, root: Edge, p: &[f64]) -> f64 {
        let q: Vec<f64> = p.iter().map(|x| 1.0 - x).collect();
        let mut pq = self.node_buffer();
        self.probabilities_into(root, p, &q, &mut pq, &mut vec![false; self.nodes.len()]).0
    }

    /// For every level x that the diagram of `root` tests: P(root | x = 1) and P(root | x = 0), each with
    /// its complement, in one backward pass over the diagram. (At a level it does not test, both are
    /// P(root).) Returns the pairs in increasing level order.
    ///
    /// `pq` holds (P, Q) of every node under `root` (from [`Bdd::probabilities_into`]); `buffers` are left
    /// dirty only at the nodes and levels under `root`, so passes over diagrams on disjoint nodes (the
    /// engine's modules) can share them. Each root-to-terminal path crosses at most one node of level x, so
    /// P(root | x = v) is the mass of the paths that skip level x plus, for each node of level x, its reach
    /// times the probability of its v-branch. Reaches are kept by parity of complement edges, so no
    /// difference of large numbers is ever taken. Only the k levels tested count (in a segment tree over
    /// them), so a module's pass costs nothing for the levels of the others. O(size · log k).
    pub fn conditional_probabilities(
        &self,
        root: Edge,
        p: &[f64],
        q: &[f64],
        pq: &[(f64, f64)],
        buffers: &mut ConditionalBuffers,
    ) -> Vec<(u32, Conditional)> {
        let ConditionalBuffers { reach, seen, position } = buffers;
        let mut order = Vec::new();
        self.topological_into(root, seen, &mut order);
        // The levels tested, in increasing order; position k stands for the terminal.
        let mut tested: Vec<u32> = order.iter().map(|&n| self.nodes[n as usize].level).collect();
        tested.sort_unstable();
        tested.dedup();
        let k = tested.len();
        for (i, &l) in tested.iter().enumerate() {
            position[l as usize] = i as u32;
        }
        let position = |e: Edge| {
            let l = self.level(e);
            if l == TERMINAL_LEVEL { k } else { position[l as usize] as usize }
        };
        // reach[n] = (mass reaching n with even parity, with odd parity).
        let add_reach = |reach: &mut [(f64, f64)], e: Edge, even: f64, odd: f64| {
            let r = &mut reach[node_of(e)];
            if is_complement(e) {
                r.0 += odd;
                r.1 += even;
            } else {
                r.0 += even;
                r.1 += odd;
            }
        };
        add_reach(reach, root, 1.0, 0.0);
        // The mass of paths jumping over each tested level, as range additions on a segment tree: every
        // stored value is a sum of non-negative terms, so no cancellation.
        let mut skip = vec![(0.0f64, 0.0f64); 2 * k.max(1)];
        let jump = |skip: &mut Vec<(f64, f64)>, from: usize, e: Edge, even: f64, odd: f64| {
            let to = position(e);
            if from < to {
                let (ep, eq) = edge_pq(pq, e);
                let mass = (even * ep + odd * eq, even * eq + odd * ep);
                let add = |s: &mut (f64, f64)| {
                    s.0 += mass.0;
                    s.1 += mass.1;
                };
                let (mut l, mut r) = (from + k, to + k);
                while l < r {
                    if l & 1 == 1 {
                        add(&mut skip[l]);
                        l += 1;
                    }
                    if r & 1 == 1 {
                        r -= 1;
                        add(&mut skip[r]);
                    }
                    l >>= 1;
                    r >>= 1;
                }
            }
        };
        jump(&mut skip, 0, root, 1.0, 0.0);
        let mut hi_mass = vec![(0.0f64, 0.0f64); k];
        let mut lo_mass = vec![(0.0f64, 0.0f64); k];
        for &n in order.iter().rev() {
            let node = self.nodes[n as usize];
            let (even, odd) = reach[n as usize];
            let l = node.level as usize;
            let i = position(n << 1);
            let (x, y) = (p[l], q[l]);
            let (hp, hq) = edge_pq(pq, node.hi);
            let (lp, lq) = edge_pq(pq, node.lo);
            hi_mass[i].0 += even * hp + odd * hq;
            hi_mass[i].1 += even * hq + odd * hp;
            lo_mass[i].0 += even * lp + odd * lq;
            lo_mass[i].1 += even * lq + odd * lp;
            add_reach(reach, node.hi, even * x, odd * x);
            add_reach(reach, node.lo, even * y, odd * y);
            jump(&mut skip, i + 1, node.hi, even * x, odd * x);
            jump(&mut skip, i + 1, node.lo, even * y, odd * y);
        }
        (0..k)
            .map(|i| {
                let (mut wp, mut wq) = (0.0, 0.0);
                let mut j = i + k;
                while j > 0 {
                    wp += skip[j].0;
                    wq += skip[j].1;
                    j >>= 1;
                }
                (tested[i], Conditional { fails: (wp + hi_mass[i].0, wq + hi_mass[i].1), works: (wp + lo_mass[i].0, wq + lo_mass[i].1) })
            })
            .collect()
    }
}

/// The buffers of [`Bdd::conditional_probabilities`], shared by its passes over diagrams on disjoint nodes:
/// per node, the mass reaching it (zeroed) and whether it was visited; per level, its position among the
/// levels a diagram tests (scratch, written before it is read).
pub struct ConditionalBuffers {
    reach: Vec<(f64, f64)>,
    seen: Vec<bool>,
    position: Vec<u32>,
}

impl ConditionalBuffers {
    /// Buffers for the diagrams of `bdd` over `levels` levels. O(nodes + levels).
    pub fn new(bdd: &Bdd, levels: usize) -> Self {
        ConditionalBuffers { reach: vec![(0.0, 0.0); bdd.len()], seen: vec![false; bdd.len()], position: vec![0; levels] }
    }
}

/// The probability of a function given one variable, as `(P, Q = 1 − P)` pairs, each a sum of
/// non-negative products (so a value close to 1 keeps the relative precision of its complement).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Conditional {
    /// (P, Q) given that the variable is true.
    pub fails: (f64, f64),
    /// (P, Q) given that the variable is false.
    pub works: (f64, f64),
}

/// (P, Q) of an edge, from the (P, Q) of its node.
#[inline]
pub(crate) fn edge_pq(pq: &[(f64, f64)], e: Edge) -> (f64, f64) {
    let (p, q) = pq[node_of(e)];
    if is_complement(e) { (q, p) } else { (p, q) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probability(bdd: &Bdd, root: Edge, p: &[f64]) -> f64 {
        let q: Vec<f64> = p.iter().map(|x| 1.0 - x).collect();
        let mut pq = bdd.node_buffer();
        let mut seen = vec![false; bdd.len()];
        let (pr, qr) = bdd.probabilities_into(root, p, &q, &mut pq, &mut seen);
        if root & 1 == 1 { qr } else { pr }
    }

    #[test]
    fn collect_keeps_the_roots_and_drops_the_rest() {
        let p: Vec<f64> = (0..12).map(|i| 0.05 + 0.07 * i as f64).collect();
        let mut bdd = Bdd::new();
        let vars: Vec<Edge> = (0..12).map(|l| bdd.var(l)).collect();
        // Garbage: many intermediate functions nobody keeps.
        for i in 0..12 {
            for j in 0..12 {
                let a = bdd.and(vars[i], vars[j] ^ 1);
                bdd.xor(a, vars[(i + j) % 12]);
            }
        }
        let vote = bdd.at_least(5, &vars);
        let pairs = vars.chunks(2).fold(FALSE, |acc, c| {
            let both = bdd.and(c[0], c[1]);
            bdd.or(acc, both)
        });
        let mixed = bdd.xor(vote, pairs) ^ 1;
        let before: Vec<f64> = [vote, pairs, mixed].iter().map(|&r| probability(&bdd, r, &p)).collect();
        let made = bdd.len();
        let mut roots = [vote, pairs, mixed];
        bdd.collect(&mut roots);
        assert!(bdd.len() < made, "garbage was dropped: {} of {made} nodes left", bdd.len());
        let after: Vec<f64> = roots.iter().map(|&r| probability(&bdd, r, &p)).collect();
        assert_eq!(before, after);
        // Everything left is reachable from the roots.
        let mut seen = vec![false; bdd.len()];
        let mut order = Vec::new();
        for &r in &roots {
            bdd.topological_into(r, &mut seen, &mut order);
        }
        assert_eq!(order.len() + 1, bdd.len());
        // The unique table is rebuilt: the same function made again is the same edge.
        let vars: Vec<Edge> = (0..12).map(|l| bdd.var(l)).collect();
        assert_eq!(bdd.at_least(5, &vars), roots[0]);
    }

    #[test]
    fn a_raised_cancel_flag_overflows_the_store() {
        let flag = Arc::new(AtomicBool::new(false));
        let mut bdd = Bdd::with_budget(usize::MAX, 0, Some(flag.clone()));
        let vars: Vec<Edge> = (0..28).map(|l| bdd.var(l)).collect();
        let _ = bdd.at_least(10, &vars);
        assert!(!bdd.overflowed());
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        // x0·x14 + x1·x15 + ... in this order needs 2^14 nodes: more than the CANCEL_EVERY between two looks.
        let _ = (0..14).fold(FALSE, |acc, i| {
            let both = bdd.and(vars[i], vars[i + 14]);
            bdd.or(acc, both)
        });
        assert!(bdd.overflowed(), "the flag is seen");
    }
}
