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
use super::cache::Cache;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use super::unique::{self, Probe, UniqueTable};
use std::collections::BinaryHeap;
use super::cancel_seen;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A node index.
pub type Z = u32;
/// The empty family.
pub const EMPTY: Z = 0;
/// The family holding only the empty set.
pub const BASE: Z = 1;

/// The bit that marks [`Zbdd::product_of_failures`]'s entries in the product table.
const FAILURES_ONLY: u32 = 1 << 31;
const TERMINAL_VAR: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Node {
    var: u32,
    hi: Z,
    lo: Z,
}

/// The module diagrams of [`Zbdd::from_bdd`] by level ([`bdd::NO_MODULE`] at the other levels), with
/// whether each module is true when every event works (computed once, from [`Bdd::modules_at_zero`]).
struct Modules<'m> {
    roots: &'m [Edge],
    zero: Vec<bool>,
}

impl Modules<'_> {
    fn root(&self, level: u32) -> Edge {
        self.roots.get(level as usize).copied().unwrap_or(bdd::NO_MODULE)
    }
}

/// A store of ZBDD nodes with its unique and computed tables.
pub struct Zbdd {
    nodes: Vec<Node>,
    unique: UniqueTable,
    union_cache: Cache,
    without_cache: Cache,
    product_cache: Cache,
    minimal_cache: FxHashMap<Z, Z>,
    from_bdd_cache: FxHashMap<(Edge, u32), Z>,
    substitute_cache: FxHashMap<(Z, u32), Z>,
    /// Raised by another thread to stop: see [`Zbdd::interrupted`].
    cancel: Option<Arc<AtomicBool>>,
    interrupted: bool,
    /// The most nodes the store may hold; past it, [`Zbdd::over_budget`] and [`Zbdd::interrupted`] turn true.
    budget: usize,
    over_budget: bool,
    /// The root [`Zbdd::compact`] returned and the store's length then ([`EMPTY`] before any): while the
    /// length is the same, the store is exactly that family's nodes, children first, and
    /// [`Zbdd::topological`] of it needs no search.
    compacted: (Z, usize),
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
        self.bound.total_cmp(&other.bound).then_with(|| self.path.cmp(&other.path))
    }
}

impl Zbdd {
    /// An empty store holding the two terminals.
    pub fn new() -> Self {
        let t = Node { var: TERMINAL_VAR, hi: EMPTY, lo: EMPTY };
        Zbdd {
            nodes: vec![t, t],
            unique: UniqueTable::default(),
            union_cache: Cache::default(),
            without_cache: Cache::default(),
            product_cache: Cache::default(),
            minimal_cache: FxHashMap::default(),
            from_bdd_cache: FxHashMap::default(),
            substitute_cache: FxHashMap::default(),
            cancel: None,
            interrupted: false,
            budget: usize::MAX,
            over_budget: false,
            compacted: (EMPTY, 0),
        }
    }

    /// An empty store that stops once `cancel` is raised: it is looked at every [`super::CANCEL_EVERY`] new nodes, and from
    /// then on [`Zbdd::interrupted`] is true and every new node is the empty family, so the operation under
    /// way ends quickly with a meaningless result.
    pub fn with_cancel(cancel: Option<Arc<AtomicBool>>) -> Self {
        Zbdd { cancel, ..Zbdd::new() }
    }

    /// [`Zbdd::with_cancel`] with room for `room` nodes from the start: neither the store nor its unique
    /// table grows on its way there. O(room).
    pub fn with_room(cancel: Option<Arc<AtomicBool>>, room: usize) -> Self {
        let mut z = Zbdd { cancel, unique: UniqueTable::with_capacity(room), ..Zbdd::new() };
        z.nodes.reserve(room);
        z
    }

    /// [`Zbdd::with_cancel`], and an operation also stops once the store would hold more than `budget` nodes
    /// (every node ever made counts: nothing is collected).
    pub fn with_limits(cancel: Option<Arc<AtomicBool>>, budget: usize) -> Self {
        Zbdd { cancel, budget, ..Zbdd::new() }
    }

    /// Whether the cancel flag or the node budget stopped an operation: every result since then is
    /// meaningless.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// The most nodes the store may hold.
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Whether it was the node budget that stopped an operation.
    pub fn over_budget(&self) -> bool {
        self.over_budget
    }

    /// Drops the computed tables (nodes stay valid).
    pub fn clear_caches(&mut self) {
        self.union_cache = Cache::default();
        self.without_cache = Cache::default();
        self.product_cache = Cache::default();
        self.minimal_cache = FxHashMap::default();
        self.from_bdd_cache = FxHashMap::default();
        self.substitute_cache = FxHashMap::default();
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
        // One probe of the unique table, whether the node exists or not.
        let h = unique::hash(var, hi, lo);
        let nodes = &self.nodes;
        match self.unique.probe(h, |i| {
            let n = nodes[i as usize];
            n.var == var && n.hi == hi && n.lo == lo
        }) {
            Probe::Found(z) => z,
            Probe::Vacant(at) => {
                if cancel_seen(self.nodes.len(), &self.cancel) {
                    self.interrupted = true;
                }
                if self.nodes.len() >= self.budget {
                    self.over_budget = true;
                    self.interrupted = true;
                }
                if self.interrupted {
                    return EMPTY;
                }
                let z = self.nodes.len() as Z;
                self.nodes.push(Node { var, hi, lo });
                self.unique.insert_at(at, h, z);
                z
            }
        }
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
        if let Some(r) = self.union_cache.get(a, b, 0) {
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
        let live = self.nodes.len();
        self.union_cache.insert(a, b, 0, r, live);
        r
    }

    /// The sets of `f` that contain no set of `g` (Rauzy's *without*). O(|f|·|g|) worst case, memoised.
    pub fn without(&mut self, f: Z, mut g: Z) -> Z {
        if f == EMPTY {
            return f;
        }
        // g's sets holding a variable absent from f (above f's top) cannot be subsets of f's sets.
        if f > BASE {
            let fv = self.node(f).var;
            while g > BASE && self.node(g).var < fv {
                g = self.node(g).lo;
            }
        }
        if g == EMPTY {
            return f;
        }
        if g == BASE || f == g {
            return EMPTY;
        }
        if f == BASE {
            // Only the empty set is a subset of it, and g does not hold it at its root... unless deeper.
            return if self.contains_empty(g) { EMPTY } else { BASE };
        }
        if let Some(r) = self.without_cache.get(f, g, 0) {
            return r;
        }
        let (nf, ng) = (self.node(f), self.node(g));
        let r = match nf.var.cmp(&ng.var) {
            Ordering::Less => {
                let hi = self.without(nf.hi, g);
                let lo = self.without(nf.lo, g);
                self.mk(nf.var, hi, lo)
            }
            // g's top variable is absent from f: its sets holding it cannot be subsets (skipped above already).
            Ordering::Greater => self.without(f, ng.lo),
            Ordering::Equal => {
                let h = self.without(nf.hi, ng.hi);
                let hi = self.without(h, ng.lo);
                let lo = self.without(nf.lo, ng.lo);
                self.mk(nf.var, hi, lo)
            }
        };
        let live = self.nodes.len();
        self.without_cache.insert(f, g, 0, r, live);
        r
    }

    /// Whether the family holds the empty set. O(length of the low chain).
    pub fn contains_empty(&self, mut z: Z) -> bool {
        while z > BASE {
            z = self.node(z).lo;
        }
        z == BASE
    }

    /// `{ s ∪ t : s ∈ a, t ∈ b }` keeping the sets with at most `limit` even variables: [`Zbdd::product`]
    /// where the odd variables do not count towards the limit. In the negation normal form of
    /// [`super::direct`] the even variables are the failure literals and the odd ones the success
    /// literals, which the non-coherent convention drops at the end, so a set with more than `limit`
    /// failure literals can be dropped at any gate. O(|a|·|b|·limit) worst case, memoised.
    pub fn product_of_failures(&mut self, a: Z, b: Z, limit: u32) -> Z {
        self.product_counting(a, b, limit, true)
    }

    /// `{ s ∪ t : s ∈ a, t ∈ b, |s ∪ t| ≤ limit }`. O(|a|·|b|·limit) worst case, memoised.
    pub fn product(&mut self, a: Z, b: Z, limit: u32) -> Z {
        self.product_counting(a, b, limit, false)
    }

    /// [`Zbdd::product`], every variable counting towards `limit`, or with `failures_only` only the even
    /// ones ([`Zbdd::product_of_failures`]). Without a limit (`u32::MAX`) the two are the same product.
    fn product_counting(&mut self, a: Z, b: Z, limit: u32, failures_only: bool) -> Z {
        if a == EMPTY || b == EMPTY {
            return EMPTY;
        }
        if limit == 0 && !failures_only {
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
        // The top bit tells the two products' entries apart in the shared table (limits of real trees stay
        // far below 2^31; without a limit the two products are the same, and share their entries).
        let key = if failures_only { limit | FAILURES_ONLY } else { limit };
        if let Some(r) = self.product_cache.get(a, b, key) {
            return r;
        }
        let (na, nb) = (self.node(a), self.node(b));
        let var = na.var.min(nb.var);
        // The limit left for the sets holding `var`: one less for a variable that counts, none past 0.
        let less = if limit == u32::MAX || (failures_only && var % 2 == 1) { Some(limit) } else { limit.checked_sub(1) };
        let with = |z: &mut Zbdd, x: Z, y: Z| match less {
            Some(l) => z.product_counting(x, y, l, failures_only),
            None => EMPTY,
        };
        let r = match na.var.cmp(&nb.var) {
            Ordering::Less => {
                let hi = with(self, na.hi, b);
                let lo = self.product_counting(na.lo, b, limit, failures_only);
                self.mk(var, hi, lo)
            }
            Ordering::Greater => {
                let hi = with(self, a, nb.hi);
                let lo = self.product_counting(a, nb.lo, limit, failures_only);
                self.mk(var, hi, lo)
            }
            Ordering::Equal => {
                let h11 = with(self, na.hi, nb.hi);
                let h10 = with(self, na.hi, nb.lo);
                let h01 = with(self, na.lo, nb.hi);
                let h = self.union(h11, h10);
                let hi = self.union(h, h01);
                let lo = self.product_counting(na.lo, nb.lo, limit, failures_only);
                self.mk(var, hi, lo)
            }
        };
        let live = self.nodes.len();
        self.product_cache.insert(a, b, key, r, live);
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
    /// `modules[level]`, when the slice is long enough and the entry is not [`bdd::NO_MODULE`], is the BDD of
    /// the module g tested at that level. Its events are disjoint from the rest and, in the variable order,
    /// come right after its level and before every other level after it. For f = ite(m, f1, f0) the minimal
    /// sets are min(MCS(g)·MCS(f1) ∪ MCS(¬g)·MCS(f0)), where · is the product of families over disjoint
    /// events. When g is false with every event working (every coherent module), MCS(¬g) is {∅}, no set of
    /// MCS(f0) holds an event of g, and a set G ∪ T holds a set S of MCS(f0) exactly when T does, so
    /// MCS(f) = MCS(g)·(MCS(f1) without MCS(f0)) ∪ MCS(f0): Rauzy's formula with m as a plain variable.
    /// Such modules are therefore converted as plain variables first (the families stay small: one
    /// variable stands for all of a module's sets), and substituted by their families once, at the end
    /// (`Zbdd::substitute_modules`). For the other modules, A = MCS(g)·MCS(f1) and B = MCS(¬g)·MCS(f0) are
    /// formed at the node and min(A ∪ B) = A' ∪ (B without A') with A' = A without B. Module levels never
    /// appear in the result.
    ///
    /// For a non-coherent f this gives the minimal sets S such that f is true when exactly S fails (see the
    /// module docs of [`crate::analysis`]). `limit` is `u32::MAX` for no limit. Levels map to variable
    /// `2·level`. Whenever MCS(f0) is {∅}, so is MCS(f) and f1 is not visited.
    ///
    /// Complexity: O(|f|·limit) calls to `without` (and, per node of a module true with every event
    /// working, two products and two `without`s), each memoised; every module's diagram is converted once
    /// per limit, and the substitution costs O(size of the result) products and unions, memoised.
    pub fn from_bdd(&mut self, bdd: &Bdd, f: Edge, limit: u32, modules: &[Edge]) -> Z {
        let modules = Modules { roots: modules, zero: bdd.modules_at_zero(modules) };
        let z = self.with_module_variables(bdd, f, limit, &modules);
        self.substitute_modules(bdd, z, limit, &modules)
    }

    /// [`Zbdd::from_bdd`] before the substitution: the levels of modules false with every event working
    /// stay variables (`2·level`) of the family.
    fn with_module_variables(&mut self, bdd: &Bdd, f: Edge, limit: u32, modules: &Modules) -> Z {
        if f == bdd::TRUE {
            return BASE;
        }
        if f == bdd::FALSE {
            return EMPTY;
        }
        if limit == 0 {
            // Only the empty set can remain: is f true with every event working?
            return if bdd.at_zero(f, &modules.zero) { BASE } else { EMPTY };
        }
        if let Some(&r) = self.from_bdd_cache.get(&(f, limit)) {
            return r;
        }
        let level = bdd.level(f);
        let (f1, f0) = bdd.children(f);
        let less = if limit == u32::MAX { limit } else { limit - 1 };
        let module = modules.root(level);
        let r = if module == bdd::NO_MODULE || !modules.zero[level as usize] {
            // An event, or a module whose sets are all non-empty: a plain variable (for the module, one
            // that stands for at least one event, hence `less`).
            let z0 = self.with_module_variables(bdd, f0, limit, modules);
            if z0 == BASE {
                BASE
            } else {
                let z1 = self.with_module_variables(bdd, f1, less, modules);
                // z0 is minimal and not {∅}, so it holds no subset of ∅: {∅} without z0 is {∅}. (Asked of
                // `without`, this walks z0's low chain, and the direct-mapped cache does not keep the
                // answers: a flat OR of n events took O(n²).)
                let z1 = if z1 == BASE { BASE } else { self.without(z1, z0) };
                self.mk(2 * level, z1, z0)
            }
        } else {
            let not_g = self.with_module_variables(bdd, module ^ 1, limit, modules);
            let z0 = if not_g == EMPTY { EMPTY } else { self.with_module_variables(bdd, f0, limit, modules) };
            let b = self.product(not_g, z0, limit);
            if b == BASE {
                BASE
            } else {
                let g = self.with_module_variables(bdd, module, limit, modules);
                let z1 = if g == EMPTY { EMPTY } else { self.with_module_variables(bdd, f1, limit, modules) };
                let a = self.product(g, z1, limit);
                let a = self.without(a, b);
                let b = self.without(b, a);
                self.union(a, b)
            }
        };
        self.from_bdd_cache.insert((f, limit), r);
        r
    }

    /// Replaces every module variable of `z` (a family from [`Zbdd::with_module_variables`]) by the family
    /// of its module: m·Z1 ∪ Z0 becomes MCS(g)·Z1 ∪ Z0, already minimal (see [`Zbdd::from_bdd`]), keeping
    /// the sets of at most `limit` events. A module's events come right after its level, so the product
    /// only appends and the union only walks the module's low chain. O(size of the result) memoised steps.
    fn substitute_modules(&mut self, bdd: &Bdd, z: Z, limit: u32, modules: &Modules) -> Z {
        if z <= BASE {
            return z;
        }
        if limit == 0 {
            return if self.contains_empty(z) { BASE } else { EMPTY };
        }
        if let Some(&r) = self.substitute_cache.get(&(z, limit)) {
            return r;
        }
        let n = self.node(z);
        let less = if limit == u32::MAX { limit } else { limit - 1 };
        let hi = self.substitute_modules(bdd, n.hi, less, modules);
        let lo = self.substitute_modules(bdd, n.lo, limit, modules);
        let module = if n.var.is_multiple_of(2) { modules.root(n.var / 2) } else { bdd::NO_MODULE };
        let r = if module == bdd::NO_MODULE {
            self.mk(n.var, hi, lo)
        } else {
            let g = self.with_module_variables(bdd, module, limit, modules);
            let g = self.substitute_modules(bdd, g, limit, modules);
            let a = self.product(g, hi, limit);
            self.union(a, lo)
        };
        self.substitute_cache.insert((z, limit), r);
        r
    }

    /// Keeps only the nodes under `root`, renumbered children first, and drops the computed tables; returns
    /// the new root. Later passes index buffers by node, so they then cost O(live nodes). O(live nodes).
    pub fn compact(&mut self, root: Z) -> Z {
        let order = self.topological(root);
        let mut new_index = vec![0 as Z; self.nodes.len()];
        new_index[BASE as usize] = BASE;
        let mut nodes = Vec::with_capacity(order.len() + 2);
        nodes.extend_from_slice(&self.nodes[..2]);
        let mut unique = UniqueTable::with_capacity(order.len());
        for z in order {
            let n = self.node(z);
            let fresh = Node { var: n.var, hi: new_index[n.hi as usize], lo: new_index[n.lo as usize] };
            let i = nodes.len() as Z;
            nodes.push(fresh);
            unique.insert(unique::hash(fresh.var, fresh.hi, fresh.lo), i);
            new_index[z as usize] = i;
        }
        self.nodes = nodes;
        self.unique = unique;
        self.clear_caches();
        self.compacted = (new_index[root as usize], self.nodes.len());
        self.compacted.0
    }

    /// The nodes under `root` (terminals excluded), children before parents. O(size).
    pub fn topological(&self, root: Z) -> Vec<Z> {
        if root > BASE && (root, self.nodes.len()) == self.compacted {
            return (BASE + 1..self.nodes.len() as Z).collect();
        }
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
        let mut c = vec![0u64; self.nodes.len()];
        c[BASE as usize] = 1;
        for z in self.topological(root) {
            let n = self.node(z);
            c[z as usize] = c[n.hi as usize].saturating_add(c[n.lo as usize]);
        }
        c[root as usize]
    }

    /// The number of sets of each order, order 0 first. O(size · max order).
    pub fn order_distribution(&self, root: Z) -> Vec<u64> {
        let mut d: Vec<Vec<u64>> = vec![Vec::new(); self.nodes.len()];
        d[BASE as usize] = vec![1];
        for z in self.topological(root) {
            let n = self.node(z);
            let (hi, lo) = (&d[n.hi as usize], &d[n.lo as usize]);
            let mut v = vec![0u64; (hi.len() + 1).max(lo.len())];
            for (k, c) in hi.iter().enumerate() {
                v[k + 1] = v[k + 1].saturating_add(*c);
            }
            for (k, c) in lo.iter().enumerate() {
                v[k] = v[k].saturating_add(*c);
            }
            d[z as usize] = v;
        }
        let mut v = std::mem::take(&mut d[root as usize]);
        if v.is_empty() {
            v.push(0);
        }
        v
    }

    /// Σ over the sets of (Π p)^power, where `p[var]` is each literal's probability. O(size).
    pub fn power_sum(&self, root: Z, p: &[f64], power: i32) -> f64 {
        self.power_sums_from(root, p, power as usize, power as usize)[0]
    }

    /// [`Zbdd::power_sum`] for the powers 1 to `powers`, sharing one topological sort.
    /// O(size · powers) time, O(nodes in the store) memory.
    pub fn power_sums(&self, root: Z, p: &[f64], powers: usize) -> Vec<f64> {
        self.power_sums_from(root, p, 1, powers)
    }

    fn power_sums_from(&self, root: Z, p: &[f64], first: usize, last: usize) -> Vec<f64> {
        let order = self.topological(root);
        let mut s = vec![0.0; self.nodes.len()];
        s[BASE as usize] = 1.0;
        // Each literal's probability to the power k, one multiplication per power.
        let mut pk: Vec<f64> = p.iter().map(|x| x.powi(first as i32)).collect();
        (first..=last)
            .map(|k| {
                if k > first {
                    pk.iter_mut().zip(p).for_each(|(a, x)| *a *= x);
                }
                for &z in &order {
                    let n = self.node(z);
                    s[z as usize] = pk[n.var as usize] * s[n.hi as usize] + s[n.lo as usize];
                }
                s[root as usize]
            })
            .collect()
    }

    /// The largest probability of a set of the family (0 for the empty family). O(size).
    pub fn max_set_probability(&self, root: Z, p: &[f64]) -> f64 {
        self.extremes(root, p)[root as usize].0
    }

    /// For every variable v, Σ over the sets s holding it of P(s) (`with_own`) or of P(s) / p(v) (the product of
    /// the other variables' probabilities), in one forward pass. O(size).
    pub fn sums_containing(&self, root: Z, p: &[f64], with_own: bool) -> Vec<f64> {
        let order = self.topological(root);
        let mut s = vec![0.0; self.nodes.len()];
        s[BASE as usize] = 1.0;
        for &z in &order {
            let n = self.node(z);
            s[z as usize] = p[n.var as usize] * s[n.hi as usize] + s[n.lo as usize];
        }
        let mut reach = vec![0.0; self.nodes.len()];
        reach[root as usize] = 1.0;
        let mut out = vec![0.0; p.len()];
        for &z in order.iter().rev() {
            let n = self.node(z);
            let r = reach[z as usize];
            let px = p[n.var as usize];
            out[n.var as usize] += if with_own { r * px * s[n.hi as usize] } else { r * s[n.hi as usize] };
            reach[n.hi as usize] += r * px;
            reach[n.lo as usize] += r;
        }
        out
    }

    /// The largest and smallest set probability under each node (max = 0 and min = +∞ for no set).
    fn extremes(&self, root: Z, p: &[f64]) -> Vec<(f64, f64)> {
        let mut m = vec![(0.0, f64::INFINITY); self.nodes.len()];
        m[BASE as usize] = (1.0, 1.0);
        for z in self.topological(root) {
            let n = self.node(z);
            let (h, l) = (m[n.hi as usize], m[n.lo as usize]);
            let px = p[n.var as usize];
            m[z as usize] = ((px * h.0).max(l.0), (px * h.1).min(l.1));
        }
        m
    }

    /// Keeps the sets whose probability is at least `cut_off`. O(output + pruned frontier).
    pub fn cut_off(&mut self, root: Z, p: &[f64], cut_off: f64) -> Z {
        let ext = self.extremes(root, p);
        self.cut_off_rec(root, 1.0, p, cut_off, &ext)
    }

    fn cut_off_rec(&mut self, z: Z, acc: f64, p: &[f64], cut: f64, ext: &[(f64, f64)]) -> Z {
        let (max, min) = ext[z as usize];
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
            heap.push(Candidate { bound: ext[root as usize].0, acc: 1.0, node: root, path: 0 });
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
            heap.push(Candidate { bound: acc_hi * ext[node.hi as usize].0, acc: acc_hi, node: node.hi, path: hi_path });
            if node.lo != EMPTY {
                heap.push(Candidate { bound: c.acc * ext[node.lo as usize].0, acc: c.acc, node: node.lo, path: c.path });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// {a, b}, {a, c}, {b, c, d}, {d}: sets over variables 0, 2, 4, 6, with shared sub-families.
    fn family(z: &mut Zbdd) -> Z {
        let [a, b, c, d] = [0, 2, 4, 6].map(|v| z.single(v));
        let ab = z.product(a, b, u32::MAX);
        let ac = z.product(a, c, u32::MAX);
        let bc = z.product(b, c, u32::MAX);
        let bcd = z.product(bc, d, u32::MAX);
        let x = z.union(ab, ac);
        let y = z.union(bcd, d);
        z.union(x, y)
    }

    /// Whether `order` lists every node under `root` once, children before parents.
    fn is_topological(z: &Zbdd, root: Z, order: &[Z]) -> bool {
        let mut at = vec![usize::MAX; z.nodes.len()];
        for (i, &n) in order.iter().enumerate() {
            if at[n as usize] != usize::MAX {
                return false;
            }
            at[n as usize] = i;
        }
        let before = |child: Z, i: usize| child <= BASE || at[child as usize] < i;
        order.iter().enumerate().all(|(i, &n)| before(z.node(n).hi, i) && before(z.node(n).lo, i)) && order.len() == z.size_by_search(root)
    }

    impl Zbdd {
        fn size_by_search(&self, root: Z) -> usize {
            let mut seen = vec![false; self.nodes.len()];
            let mut stack = vec![root];
            let mut n = 0;
            while let Some(x) = stack.pop() {
                if x <= BASE || seen[x as usize] {
                    continue;
                }
                seen[x as usize] = true;
                n += 1;
                stack.push(self.node(x).hi);
                stack.push(self.node(x).lo);
            }
            n
        }
    }

    #[test]
    fn a_compacted_family_is_walked_in_store_order_and_gives_the_same_figures() {
        let mut z = Zbdd::with_room(None, 4);
        let root = family(&mut z);
        let p: Vec<f64> = (0..8).map(|v| 0.1 * (v + 1) as f64).collect();
        let (count, sums, dist) = (z.count(root), z.power_sums(root, &p, 3), z.order_distribution(root));
        let root = z.compact(root);
        let order = z.topological(root);
        assert_eq!(order, (2..z.nodes.len() as Z).collect::<Vec<_>>());
        assert!(is_topological(&z, root, &order));
        assert_eq!((z.count(root), z.order_distribution(root)), (count, dist));
        for (a, b) in z.power_sums(root, &p, 3).iter().zip(&sums) {
            assert!((a - b).abs() < 1e-15, "{a} {b}");
        }
        // Another root of the store, and the same root once a node has been made, are searched.
        let lo = z.node(root).lo;
        assert!(lo > BASE);
        let sub = z.topological(lo);
        assert!(sub.len() < order.len() && is_topological(&z, lo, &sub));
        let extra = z.single(8);
        let _ = z.union(root, extra);
        let again = z.topological(root);
        assert!(is_topological(&z, root, &again));
        assert_eq!(z.count(root), count);
    }
}
