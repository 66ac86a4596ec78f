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

use rustc_hash::FxHashMap;

/// A node index shifted left by one, with the complement bit in bit 0.
pub type Edge = u32;

/// The constant true.
pub const TRUE: Edge = 0;
/// The constant false.
pub const FALSE: Edge = 1;

/// The level of the terminal: below every variable.
pub const TERMINAL_LEVEL: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Node {
    level: u32,
    hi: Edge,
    lo: Edge,
}

/// A store of BDD nodes with its unique table and computed tables.
pub struct Bdd {
    nodes: Vec<Node>,
    unique: FxHashMap<(u32, Edge, Edge), u32>,
    and_cache: FxHashMap<(Edge, Edge), Edge>,
    xor_cache: FxHashMap<(Edge, Edge), Edge>,
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
            unique: FxHashMap::default(),
            and_cache: FxHashMap::default(),
            xor_cache: FxHashMap::default(),
        }
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
        self.and_cache = FxHashMap::default();
        self.xor_cache = FxHashMap::default();
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
        let key = (level, hi, lo);
        if let Some(&n) = self.unique.get(&key) {
            return n << 1;
        }
        let n = self.nodes.len() as u32;
        self.nodes.push(Node { level, hi, lo });
        self.unique.insert(key, n);
        n << 1
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
        if a == FALSE || b == FALSE || a == b ^ 1 {
            return FALSE;
        }
        if a == TRUE || a == b {
            return b;
        }
        if b == TRUE {
            return a;
        }
        let key = if a < b { (a, b) } else { (b, a) };
        if let Some(&r) = self.and_cache.get(&key) {
            return r;
        }
        let level = self.level(a).min(self.level(b));
        let (a1, a0) = self.cofactors(a, level);
        let (b1, b0) = self.cofactors(b, level);
        let hi = self.and(a1, b1);
        let lo = self.and(a0, b0);
        let r = self.mk(level, hi, lo);
        self.and_cache.insert(key, r);
        r
    }

    /// Disjunction, as ¬(¬a ∧ ¬b).
    pub fn or(&mut self, a: Edge, b: Edge) -> Edge {
        self.and(a ^ 1, b ^ 1) ^ 1
    }

    /// Exclusive or. O(|a|·|b|) worst case, memoised.
    pub fn xor(&mut self, a: Edge, b: Edge) -> Edge {
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
        if let Some(&r) = self.xor_cache.get(&key) {
            return r ^ c;
        }
        let level = self.level(a).min(self.level(b));
        let (a1, a0) = self.cofactors(a, level);
        let (b1, b0) = self.cofactors(b, level);
        let hi = self.xor(a1, b1);
        let lo = self.xor(a0, b0);
        let r = self.mk(level, hi, lo);
        self.xor_cache.insert(key, r);
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

    /// The nodes reachable from `root`, children before parents (each node once, as a regular edge).
    /// O(size of the diagram under root).
    pub fn topological(&self, root: Edge) -> Vec<u32> {
        let mut order = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
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
        order
    }

    /// The number of nodes reachable from `root`, terminal excluded.
    pub fn size(&self, root: Edge) -> usize {
        self.topological(root).len()
    }

    /// P(true) of every node reachable from `root`, as `(P, Q)` with Q = 1 − P, indexed by node.
    /// `p[level]` is the probability of the variable at that level. O(size).
    pub fn node_probabilities(&self, root: Edge, p: &[f64]) -> FxHashMap<u32, (f64, f64)> {
        let mut pq: FxHashMap<u32, (f64, f64)> = FxHashMap::default();
        pq.insert(0, (1.0, 0.0));
        for n in self.topological(root) {
            let node = self.nodes[n as usize];
            let ph = pq[&(node.hi >> 1)];
            let pl = pq[&(node.lo >> 1)];
            let (lp, lq) = if is_complement(node.lo) { (pl.1, pl.0) } else { pl };
            let x = p[node.level as usize];
            pq.insert(n, (x * ph.0 + (1.0 - x) * lp, x * ph.1 + (1.0 - x) * lq));
        }
        pq
    }

    /// The probability that `root` is true, given the probability of each level's variable. O(size).
    pub fn probability(&self, root: Edge, p: &[f64]) -> f64 {
        let pq = self.node_probabilities(root, p);
        edge_pq(&pq, root).0
    }

    /// For every level x: (P(root | x = 1), P(root | x = 0)), in one forward and one backward pass.
    ///
    /// Each root-to-terminal path crosses at most one node of level x, so P(root | x = v) is the mass of the
    /// paths that skip level x plus, for each node of level x, its reach times the probability of its
    /// v-branch. Reaches are kept by parity of complement edges, so no difference of large numbers is
    /// ever taken. O(size · log levels).
    pub fn conditional_probabilities(&self, root: Edge, p: &[f64]) -> Vec<(f64, f64)> {
        let levels = p.len();
        let pq = self.node_probabilities(root, p);
        let order = self.topological(root);
        // reach[n] = (mass reaching n with even parity, with odd parity).
        let mut reach: FxHashMap<u32, (f64, f64)> = FxHashMap::default();
        let add_reach = |reach: &mut FxHashMap<u32, (f64, f64)>, e: Edge, even: f64, odd: f64| {
            let r = reach.entry(e >> 1).or_insert((0.0, 0.0));
            if is_complement(e) {
                r.0 += odd;
                r.1 += even;
            } else {
                r.0 += even;
                r.1 += odd;
            }
        };
        add_reach(&mut reach, root, 1.0, 0.0);
        // The mass of paths jumping over each level, as range additions on a segment tree: every stored
        // value is a sum of non-negative terms, so no cancellation.
        let mut skip = vec![0.0f64; 2 * levels.max(1)];
        let level_of = |e: Edge| {
            let l = self.level(e);
            if l == TERMINAL_LEVEL { levels } else { l as usize }
        };
        let jump = |skip: &mut Vec<f64>, from: usize, e: Edge, even: f64, odd: f64| {
            let to = level_of(e);
            if from < to {
                let (ep, eq) = edge_pq(&pq, e);
                let mass = even * ep + odd * eq;
                let (mut l, mut r) = (from + levels, to + levels);
                while l < r {
                    if l & 1 == 1 {
                        skip[l] += mass;
                        l += 1;
                    }
                    if r & 1 == 1 {
                        r -= 1;
                        skip[r] += mass;
                    }
                    l >>= 1;
                    r >>= 1;
                }
            }
        };
        jump(&mut skip, 0, root, 1.0, 0.0);
        let mut hi_mass = vec![0.0f64; levels];
        let mut lo_mass = vec![0.0f64; levels];
        for &n in order.iter().rev() {
            let node = self.nodes[n as usize];
            let (even, odd) = reach.get(&n).copied().unwrap_or((0.0, 0.0));
            let x = p[node.level as usize];
            let l = node.level as usize;
            let (hp, hq) = edge_pq(&pq, node.hi);
            let (lp, lq) = edge_pq(&pq, node.lo);
            hi_mass[l] += even * hp + odd * hq;
            lo_mass[l] += even * lp + odd * lq;
            add_reach(&mut reach, node.hi, even * x, odd * x);
            add_reach(&mut reach, node.lo, even * (1.0 - x), odd * (1.0 - x));
            jump(&mut skip, l + 1, node.hi, even * x, odd * x);
            jump(&mut skip, l + 1, node.lo, even * (1.0 - x), odd * (1.0 - x));
        }
        (0..levels)
            .map(|l| {
                let mut w = 0.0;
                let mut i = l + levels;
                while i > 0 {
                    w += skip[i];
                    i >>= 1;
                }
                (w + hi_mass[l], w + lo_mass[l])
            })
            .collect()
    }
}

#[inline]
fn edge_pq(pq: &FxHashMap<u32, (f64, f64)>, e: Edge) -> (f64, f64) {
    let (p, q) = pq[&(e >> 1)];
    if is_complement(e) { (q, p) } else { (p, q) }
}
