//! The fault-tree engine.
//!
//! Stages, in the order a [`ValidTree`] goes through them:
//! - `preprocess`: the tree rewritten with more modules (same events, same function);
//! - `pdag`: the modules of the DAG (Dutuit and Rauzy's linear-time algorithm) and the variable-ordering
//!   heuristics (depth-first walks, with same-kind single-parent gates coalesced);
//! - `bdd`: reduced ordered BDDs with complement edges, one per module, built under a node budget with each
//!   heuristic in turn ([`Engine::new`]), giving the exact probability and Birnbaum importance;
//! - `zbdd`: the minimal cut sets as a ZBDD, built from the BDDs with the module variables substituted
//!   (once, at the end, for modules false with every event working), counted and summed without listing
//!   them; `cache` and `unique` are the computed and unique tables of both diagram stores;
//! - `direct`: the same ZBDD built bottom-up from the gates without a BDD (`Algorithm::Zbdd`), a cross-check;
//! - `mocus`: the classic top-down expansion, kept as an independent cross-check;
//! - importance ([`CutSets::analysis`]): Fussell-Vesely, Birnbaum, criticality, RAW, RRW;
//! - `sampling`: a Monte Carlo estimate of P(top), added to an analysis by cut sets (the BDD out of
//!   reach) as a check on its approximations ([`TopProbability::sampled`]).
//!
//! [`analyze`] runs them all; [`analyze_within`] does so within [`Limits`] (a cancel flag, a BDD node
//! ceiling). [`oracle`] is a brute-force evaluator over all 2^n assignments, for tests.
//! Every buffer and computed table is sized to the diagrams (never to 2^n); only the BDD construction can be
//! exponential, and it then grows with the diagrams it builds.
//!
//! ## Non-coherent trees
//! For trees with NOT, XOR, NAND or NOR, the cut sets returned are the *minimal cut sets of the failure set*:
//! the minimal sets S of basic events such that the top event occurs when exactly the events of S fail and
//! every other event works. These are the prime implicants with their negated (success) literals dropped, the
//! convention of most PSA codes. The exact probability always accounts for the negations.

pub mod bdd;
mod cache;
pub mod direct;
pub mod mocus;
pub mod oracle;
pub mod pdag;
pub mod preprocess;
pub mod sampling;
mod unique;
pub mod zbdd;

use crate::fault_tree::validate::{Arg, ValidTree};
use crate::fault_tree::GateKind;
use bdd::{Bdd, Edge};
pub use sampling::Estimate;
use zbdd::{Zbdd, Z};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;

/// Which method finds the minimal cut sets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// BDD, then the ZBDD of minimal cut sets built from it (the default).
    #[default]
    Bdd,
    /// A ZBDD built directly, bottom-up over the gates.
    Zbdd,
    /// Top-down expansion (MOCUS), listing cut sets: for cross-checks and small trees.
    Mocus,
}

/// Options of [`analyze`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Options {
    pub algorithm: Algorithm,
    /// Drop cut sets with more events than this.
    pub limit_order: Option<usize>,
    /// Drop cut sets whose probability is below this.
    pub cut_off: Option<f64>,
    /// List at most this many cut sets, the most probable ones; 0 lists all.
    pub max_cut_sets: usize,
    /// When the analysis is made by cut sets (the BDD out of reach): how many Monte Carlo samples estimate
    /// P(top) besides, or the probability of the module it is exact but for ([`TopProbability::sampled`]);
    /// 0 for none.
    #[serde(default = "default_samples")]
    pub samples: u64,
}

/// The default of [`Options::samples`]: 2^22, about 1.1 s on nus9601 (1567 events), for a standard error
/// of about 5e-4 · √P.
pub const DEFAULT_SAMPLES: u64 = 1 << 22;

/// The seed of every Monte Carlo estimate, so that an analysis is reproducible.
pub const SAMPLING_SEED: u64 = 0x5EED_FA17;

fn default_samples() -> u64 {
    DEFAULT_SAMPLES
}

impl Default for Options {
    fn default() -> Self {
        Options { algorithm: Algorithm::Bdd, limit_order: None, cut_off: None, max_cut_sets: 1000, samples: DEFAULT_SAMPLES }
    }
}

impl Options {
    /// Whether the cut sets are truncated (by order or by probability).
    pub fn truncates(&self) -> bool {
        self.limit_order.is_some() || self.cut_off.is_some()
    }

    /// The limit order as the diagrams take it: `u32::MAX` for none.
    fn order_limit(&self) -> u32 {
        self.limit_order.map(|k| k.min(u32::MAX as usize - 1) as u32).unwrap_or(u32::MAX)
    }
}

/// The top-event probability three ways.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TopProbability {
    /// Exact, from the BDD (independent basic events). `None` for an [analysis by cut sets](analyze_by_cut_sets),
    /// made when the BDD did not fit: the two approximations are then the figures.
    pub exact: Option<f64>,
    /// Rare-event approximation: the sum of the cut-set probabilities.
    pub rare_event: f64,
    /// Min-cut upper bound: 1 − Π(1 − P(cs)).
    pub mcub: f64,
    /// When the BDD was out of reach because of one module ([`Analysis::approximated_module`]): P(top)
    /// exact but for that module's probability, approximated from its own truncated cut sets. `None`
    /// otherwise.
    #[serde(default)]
    pub partial: Option<f64>,
    /// A rigorous lower bound of P(top), with `partial`, on a coherent tree: P(top | the module works).
    #[serde(default)]
    pub lower_bound: Option<f64>,
    /// In an analysis by cut sets with [`Options::samples`]: a Monte Carlo estimate of P(top), with its
    /// standard error and 95% interval. When the analysis is exact but for a module, only the module is
    /// sampled ([`ApproximatedModule::sampled`]) and this is if_working + P̂(M) · (if_failed − if_working),
    /// the error and interval scaled alike; otherwise the whole tree is sampled. A statistical figure, not
    /// a bound: it checks the approximations from truncated cut sets, which miss the sets above the limit.
    #[serde(default)]
    pub sampled: Option<Estimate>,
}

impl TopProbability {
    /// The one figure to show or compare: the exact probability, or else the partially exact one, or else
    /// the MCUB of the truncated cut sets.
    pub fn best(&self) -> f64 {
        self.exact.or(self.partial).unwrap_or(self.mcub)
    }
}

/// The one module whose probability an analysis by cut sets approximated, everything around it being
/// exact (see [`analyze_by_cut_sets`] and [`TopProbability::partial`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApproximatedModule {
    /// The module's gate.
    pub gate: String,
    /// The basic events under it.
    pub events: usize,
    /// Its probability as used: the MCUB of its minimal cut sets within `limit_order` and `cut_off`.
    pub probability: f64,
    /// How many minimal cut sets of the module that is.
    pub cut_set_count: u64,
    /// The module's truncation: that of the tree, less what the smallest (most probable) context of the
    /// module in the tree's cut sets takes, so that its sets reach as far as the tree's would.
    pub limit_order: Option<usize>,
    pub cut_off: Option<f64>,
    /// P(top | the module fails) and P(top | it works), exact: P(top) = if_working + P(module) ·
    /// (if_failed − if_working), the module being independent of the rest.
    pub if_failed: f64,
    pub if_working: f64,
    /// A Monte Carlo estimate of the module's probability, with [`Options::samples`].
    #[serde(default)]
    pub sampled: Option<Estimate>,
}

/// One minimal cut set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CutSet {
    /// Event names, sorted.
    pub events: Vec<String>,
    /// Indices of the events into [`ValidTree::events`], in the order of `events`.
    #[serde(skip)]
    pub event_indices: Vec<usize>,
    /// The number of events.
    pub order: usize,
    /// The product of the event probabilities.
    pub probability: f64,
    /// Its share of the rare-event sum over all cut sets.
    pub share: f64,
}

impl CutSet {
    /// The cut set of these events (indices into [`ValidTree::events`]), named and sorted by name, with its
    /// share of the rare-event sum `rare`.
    pub(crate) fn of(tree: &ValidTree, events: &[usize], probability: f64, rare: f64) -> CutSet {
        let mut named: Vec<(&str, usize)> = events.iter().map(|&i| (tree.events[i].name.as_str(), i)).collect();
        named.sort_unstable();
        CutSet {
            events: named.iter().map(|(n, _)| n.to_string()).collect(),
            event_indices: named.iter().map(|(_, i)| *i).collect(),
            order: named.len(),
            probability,
            share: if rare > 0.0 { probability / rare } else { 0.0 },
        }
    }
}

/// Sorts cut sets the way every analysis lists them: by order, then by their sorted event names.
pub(crate) fn sort_cut_sets(cut_sets: &mut [CutSet]) {
    cut_sets.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.events.cmp(&b.events)));
}

/// Importance measures of one basic event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Importance {
    pub event: String,
    /// Σ P(cs) over the cut sets containing the event, over Σ P(cs) over all cut sets.
    pub fussell_vesely: f64,
    /// ∂P(top)/∂p = P(top | p=1) − P(top | p=0).
    pub birnbaum: f64,
    /// Birnbaum · p / P(top).
    pub criticality: f64,
    /// Risk achievement worth, P(top | p=1) / P(top). `None` when P(top) = 0.
    pub raw: Option<f64>,
    /// Risk reduction worth, P(top) / P(top | p=0). `None` when P(top | p=0) = 0.
    pub rrw: Option<f64>,
}

/// Everything [`analyze`] computes for one top event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub top: String,
    pub probability: TopProbability,
    /// The number of minimal cut sets (after truncation), exact even when `cut_sets` is truncated.
    pub cut_set_count: u64,
    /// The number of cut sets of each order, order 0 first.
    pub order_distribution: Vec<u64>,
    /// The most probable `max_cut_sets` cut sets, sorted by order, then by their sorted event names.
    pub cut_sets: Vec<CutSet>,
    /// One entry per basic event, in the order of [`ValidTree::events`].
    pub importance: Vec<Importance>,
    /// In an analysis by cut sets, the module whose diagram was out of reach when the rest of the tree's
    /// was not (see [`TopProbability::partial`]).
    #[serde(default)]
    pub approximated_module: Option<ApproximatedModule>,
}

/// Runs the whole analysis of one valid tree. Cannot fail.
///
/// Complexity: building the BDDs is exponential in the worst case (as for every exact method), bounded by
/// the largest module's diagram rather than the whole tree's; see [`Engine::new`]. The probability and the
/// importance are linear in the diagrams' size; cut sets are counted and summed on the ZBDD without being
/// listed (linear in its size), and only the `max_cut_sets` most probable are listed.
pub fn analyze(tree: &ValidTree, options: &Options) -> Analysis {
    match analyze_within(tree, options, &Limits::default()) {
        Ok(analysis) => analysis,
        Err(stopped) => unreachable!("an analysis without limits cannot stop: {stopped}"),
    }
}

/// [`analyze`] within [`Limits`]: stops early, with the reason, when the cancel flag is raised or the BDD
/// would need more nodes than allowed. Complexity as for [`analyze`], bounded by the node ceiling.
///
/// When the BDD does not fit under the ceiling and the cut sets are truncated (a limit order or a cut-off
/// in `options`), the analysis falls back to [`analyze_by_cut_sets`]: no exact probability, and the
/// approximations from the truncated cut sets; and, when the BDD of the tree around one module fits,
/// P(top) exact but for that module ([`TopProbability::partial`], [`Analysis::approximated_module`]), with
/// the importance measures but Fussell-Vesely taken from it; and, with [`Options::samples`], a Monte Carlo
/// estimate of P(top) ([`TopProbability::sampled`]: of the module alone when there is one, of the whole
/// tree otherwise). Without truncation it stops with [`Stopped::TooLarge`].
pub fn analyze_within(tree: &ValidTree, options: &Options, limits: &Limits) -> Result<Analysis, Stopped> {
    analyze_staged(tree, options, limits, &mut |_| {}).map(|(analysis, _)| analysis)
}

/// A stage of [`analyze_staged`], reported to its observer when it ends, with what it built.
#[derive(Clone, Copy)]
pub enum Stage<'s> {
    /// The BDDs are built (`Some`), or were given up at the node ceiling (`None`: the analysis goes on by
    /// cut sets, [`analyze_by_cut_sets`], or stops).
    Bdd(Option<&'s Engine<'s>>),
    /// The exact probability and every event's conditional probabilities (not reached by an analysis by
    /// cut sets).
    Probability,
    /// The minimal cut sets and everything computed from them: the count, the order distribution, the
    /// rare-event sum, the MCUB, the importance measures and the listing. `None` for an analysis by cut
    /// sets.
    CutSets(Option<&'s CutSets>),
}

/// [`analyze_within`], telling `stage_done` as each [`Stage`] ends, so that a caller can time the stages
/// (models itself knows nothing about the clock) and look at the diagrams. Also answers why the BDD was
/// given up when the analysis was made by cut sets instead. Complexity as for [`analyze_within`], plus the
/// observer's.
pub fn analyze_staged(
    tree: &ValidTree,
    options: &Options,
    limits: &Limits,
    stage_done: &mut dyn FnMut(Stage<'_>),
) -> Result<(Analysis, Option<Stopped>), Stopped> {
    let engine = Engine::new_within(tree, limits);
    stage_done(Stage::Bdd(engine.as_ref().ok()));
    let engine = match engine {
        Ok(engine) => engine,
        Err(stopped @ Stopped::TooLarge { .. }) if options.truncates() => {
            let mut analysis = analyze_by_cut_sets(tree, options, limits)?;
            let around = around_a_module(tree, options, limits)?;
            if around.is_none() {
                analysis.probability.sampled = sampled(tree, options, limits)?;
            }
            if let Some((partial, module, conditionals)) = around {
                analysis.probability.partial = Some(partial);
                analysis.probability.sampled = module.sampled.map(|e| e.through(module.if_working, module.if_failed - module.if_working));
                analysis.probability.lower_bound = tree.is_coherent().then_some(module.if_working);
                analysis.approximated_module = Some(module);
                // The importance measures but Fussell-Vesely (a cut-set measure) from those conditionals.
                for (imp, e) in analysis.importance.iter_mut().zip(&tree.events) {
                    if let Some(&(fails, works)) = conditionals.get(&imp.event) {
                        imp.birnbaum = fails - works;
                        imp.criticality = if partial > 0.0 { imp.birnbaum * e.p / partial } else { 0.0 };
                        imp.raw = (partial > 0.0).then(|| fails / partial);
                        imp.rrw = (works > 0.0).then(|| partial / works);
                    }
                }
            }
            stage_done(Stage::CutSets(None));
            return Ok((analysis, Some(stopped)));
        }
        Err(stopped) => return Err(stopped),
    };
    let exact = engine.probability();
    let importance_bdd = engine.conditional_probabilities();
    stage_done(Stage::Probability);
    limits.check()?;
    let cut_sets = engine.cut_sets_within(options, limits)?;
    let analysis = cut_sets.analysis(tree, Some((exact, &importance_bdd)), options.max_cut_sets);
    stage_done(Stage::CutSets(Some(&cut_sets)));
    Ok((analysis, None))
}

/// The analysis of a tree whose BDD is out of reach: its minimal cut sets, truncated by `options`, found
/// without a BDD (the direct ZBDD of [`direct::cut_sets`] for [`Algorithm::Bdd`] and [`Algorithm::Zbdd`], or
/// [`mocus`]), and the figures computed from them. This is what PSA codes do for large models.
///
/// Returns an [`Analysis`] whose `probability.exact` is `None`; the rare-event sum and the MCUB of the
/// truncated cut sets stand for P(top) (each is an upper bound of the probability of their union, and the
/// cut sets left out by the truncation are what they miss). Importance measures are those of the rare-event
/// approximation R = Σ P(cs): Birnbaum is ∂R/∂p = Σ over the cut sets containing the event of the product
/// of the others' probabilities, criticality is Birnbaum · p / R (equal to Fussell-Vesely), RAW is
/// R(p = 1) / R and RRW is R / R(p = 0).
///
/// Complexity: on a coherent tree with a limit order, every gate is expanded only to the order its sets
/// can still have within the limit (see [`direct::cut_sets`]); otherwise as for the direct ZBDD, or MOCUS.
/// Exponential in the worst case, like every method; memory follows the ZBDD.
pub fn analyze_by_cut_sets(tree: &ValidTree, options: &Options, limits: &Limits) -> Result<Analysis, Stopped> {
    let order = pdag::variable_order_with(tree, &pdag::modules(tree), pdag::Heuristic::BigFirst);
    let limit = options.order_limit();
    let mut z = Zbdd::with_limits(limits.cancel.clone(), limits.max_zbdd_nodes.unwrap_or(usize::MAX));
    let root = match options.algorithm {
        Algorithm::Bdd | Algorithm::Zbdd => direct::cut_sets(tree, &order.level_of, &mut z, limit),
        Algorithm::Mocus => from_mocus(&mut z, &order.level_of, &mocus_within(tree, options, limits)?),
    };
    let cut_sets = CutSets::finish(z, root, &order.probabilities(tree), options, order.event_at)?;
    limits.check()?;
    Ok(cut_sets.analysis(tree, None, options.max_cut_sets))
}

/// What [`around_a_module`] finds: P(top), the module, and every event's (P(top | it fails), P(top | it
/// works)) by name.
type Around = (f64, ApproximatedModule, HashMap<String, (f64, f64)>);

/// How many more events than a module inside it the module approximated by [`around_a_module`] may have:
/// the one approximated is the smallest that holds all but this many of the largest module's events.
const MODULE_LEEWAY: usize = 64;

/// When the whole tree's BDD is out of reach: P(top) exact but for one module, if the BDD of the tree
/// around it fits. The module is the largest (the one with the most events, the top excepted), or the
/// smallest module inside it with all but [`MODULE_LEEWAY`] of its events (so that a thin wrapper such as
/// an AND of one event and the hard module is not approximated with it), tried from the smallest up. It
/// stands for an event (independent of the rest, being a module), so P(top) = if_working + P(M) ·
/// (if_failed − if_working) exactly, with both conditionals from the BDD; P(M) is approximated by the MCUB
/// of the module's own cut sets, truncated as the tree's are: with the module's smallest context in the
/// tree's cut sets of order d and probability q, the module's limit order is the tree's less d and its
/// cut-off the tree's over q, so that it keeps every set that a cut set of the tree within the truncation
/// can contain. Each event's conditionals come along, for the importance measures: exact given P(M) for
/// the events around the module, through P(top) = if_working + P(M | e) · (if_failed − if_working) with
/// the module's rare-event conditionals for the events in it. `None` when the tree has no module under its
/// top, or when the tree around the module does not fit either. (nus9601: all but its module g8 is exact,
/// and P(top) ≥ P(top | g8 works) = 9.939e-6.)
///
/// Complexity: finding the modules and counting their events, O(size) (see `dominators`); then the BDD of the
/// reduced tree (as [`Engine::new_within`]; failing costs a schedule of orders up to the ceiling) and the
/// module's truncated cut sets (as [`analyze_by_cut_sets`]).
fn around_a_module(tree: &ValidTree, options: &Options, limits: &Limits) -> Result<Option<Around>, Stopped> {
    let Arg::Gate(top) = tree.top else { return Ok(None) };
    let is_module = pdag::modules(tree);
    let (idom, events_under) = dominators(tree, top);
    let sizes: Vec<(usize, usize)> = (0..tree.gates.len()).filter(|&g| is_module[g] && g != top).map(|g| (events_under[g], g)).collect();
    let Some(&largest) = sizes.iter().max() else { return Ok(None) };
    // Whether gate `g` is under module `m`: a module dominates everything under it.
    let under = |mut g: usize, m: usize| {
        while g != m && g != top {
            g = idom[g];
        }
        g == m
    };
    let mut chain = vec![largest];
    while let Some(&(events, m)) = chain.last() {
        let next = sizes.iter().filter(|&&(e, g)| g != m && e + MODULE_LEEWAY >= events && under(g, m)).max();
        match next {
            Some(&n) => chain.push(n),
            None => break,
        }
    }
    for &(events, m) in chain.iter().rev() {
        if let Some(found) = around(tree, m, events, options, limits)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The immediate dominator of every gate of `tree` (whose top gate is `top`; the top's is itself), and how
/// many events each gate dominates: for a module, the events under it. Gates come after their arguments,
/// so one pass from the top down sees every parent of a node before the node, and the node's immediate
/// dominator is the nearest common dominator of its parents (Cooper, Harvey and Kennedy, in one pass on a
/// DAG). O(arguments · dominator-tree depth) in the worst case, O(size) on trees of bounded depth.
fn dominators(tree: &ValidTree, top: usize) -> (Vec<usize>, Vec<usize>) {
    let ng = tree.gates.len();
    const UNSEEN: usize = usize::MAX;
    // Nodes: gates 0..ng, then events.
    let mut idom = vec![UNSEEN; ng + tree.events.len()];
    let mut depth = vec![0usize; ng];
    idom[top] = top;
    for g in (0..=top).rev() {
        if idom[g] == UNSEEN {
            continue;
        }
        for &a in &tree.gates[g].args {
            let n = match a {
                Arg::Gate(c) => c,
                Arg::Event(e) => ng + e,
                Arg::Const(_) => continue,
            };
            idom[n] = if idom[n] == UNSEEN {
                g
            } else {
                let (mut x, mut y) = (idom[n], g);
                while x != y {
                    if depth[x] >= depth[y] {
                        x = idom[x];
                    } else {
                        y = idom[y];
                    }
                }
                x
            };
            if n < ng {
                depth[n] = depth[idom[n]] + 1;
            }
        }
    }
    let mut events_under = vec![0usize; ng];
    for e in 0..tree.events.len() {
        if idom[ng + e] != UNSEEN {
            events_under[idom[ng + e]] += 1;
        }
    }
    for g in 0..top {
        if idom[g] != UNSEEN {
            events_under[idom[g]] += events_under[g];
        }
    }
    idom.truncate(ng);
    (idom, events_under)
}

/// [`around_a_module`] for the module `m` with `events` events: `None` when the tree around it does not fit.
fn around(tree: &ValidTree, m: usize, events: usize, options: &Options, limits: &Limits) -> Result<Option<Around>, Stopped> {
    // The module as an event of probability 1, so that the most probable context is its set's probability.
    let around = tree.restricted(tree.top, &[(m, 1.0)]);
    let x = around.events.len() - 1;
    let mut engine = match Engine::new_within(&around, limits) {
        Ok(engine) => engine,
        Err(Stopped::TooLarge { .. }) => return Ok(None),
        Err(stopped) => return Err(stopped),
    };
    let (if_failed, if_working) = engine.conditional_probabilities()[x];
    let context = match engine.cut_sets_within(&Options { algorithm: Algorithm::Bdd, max_cut_sets: 1, ..*options }, limits) {
        Ok(cut_sets) => cut_sets.containing(x),
        Err(Stopped::Cancelled) => return Err(Stopped::Cancelled),
        Err(_) => return Ok(None),
    };
    let module_options = match context {
        Some((order, q)) => Options {
            algorithm: options.algorithm,
            limit_order: options.limit_order.map(|k| (k + 1).saturating_sub(order)),
            cut_off: options.cut_off.map(|c| if q > 0.0 { c / q } else { f64::INFINITY }),
            max_cut_sets: 1,
            samples: 0,
        },
        // No cut set of the tree within the truncation contains the module.
        None => Options { limit_order: Some(0), ..*options },
    };
    let alone = tree.restricted(Arg::Gate(m), &[]);
    // The module's cut sets may need more than the ceilings allow where the tree's did not (sets that the
    // tree's absorb): then there is no partial figure, but the analysis by cut sets stands.
    let by_cut_sets = match analyze_by_cut_sets(&alone, &module_options, limits) {
        Ok(by_cut_sets) => by_cut_sets,
        Err(Stopped::Cancelled) => return Err(Stopped::Cancelled),
        Err(_) => return Ok(None),
    };
    let p = by_cut_sets.probability.mcub;
    let module = ApproximatedModule {
        gate: tree.gates[m].name.clone(),
        events,
        probability: p,
        cut_set_count: by_cut_sets.cut_set_count,
        limit_order: module_options.limit_order,
        cut_off: module_options.cut_off,
        if_failed,
        if_working,
        sampled: sampled(&alone, options, limits)?,
    };
    // Every event's conditionals, P(top | it fails) and P(top | it works): exact given P(M) = p for the
    // events around the module (from the BDD of the tree around it, with the module at p), and through the
    // module for the events in it, from the module's own rare-event conditionals (P(M | e) = RAW · R and
    // R / RRW, R its rare-event sum, as `CutSets::analysis` has them).
    engine.set_event_probability(x, p);
    let mut conditionals: HashMap<String, (f64, f64)> = HashMap::new();
    for (e, &c) in around.events.iter().zip(&engine.conditional_probabilities()).take(x) {
        conditionals.insert(e.name.clone(), c);
    }
    let r = by_cut_sets.probability.rare_event;
    let through = |p_m: f64| if_working + p_m * (if_failed - if_working);
    for i in &by_cut_sets.importance {
        let fails = i.raw.map_or(0.0, |raw| raw * r);
        let works = i.rrw.map_or(0.0, |rrw| r / rrw);
        conditionals.insert(i.event.clone(), (through(fails), through(works)));
    }
    Ok(Some((through(p), module, conditionals)))
}

/// The Monte Carlo estimate of `tree`'s probability with [`Options::samples`] samples (`None` for 0), seeded
/// with [`SAMPLING_SEED`] and stopped by the cancel flag of `limits`.
fn sampled(tree: &ValidTree, options: &Options, limits: &Limits) -> Result<Option<Estimate>, Stopped> {
    match options.samples {
        0 => Ok(None),
        n => sampling::estimate(tree, n, SAMPLING_SEED, &limits.cancel).map(Some),
    }
}

/// MOCUS's cut sets within the row ceiling and cancel flag of `limits`.
fn mocus_within(tree: &ValidTree, options: &Options, limits: &Limits) -> Result<Vec<Vec<usize>>, Stopped> {
    mocus::minimal_cut_sets_within(tree, options.limit_order, limits.max_mocus_entries.unwrap_or(usize::MAX), &limits.cancel)
}

/// The ZBDD of explicitly listed cut sets (event indices), with the event `e` as the literal `2·level_of[e]`.
fn from_mocus(z: &mut Zbdd, level_of: &[u32], sets: &[Vec<usize>]) -> Z {
    let mut acc = zbdd::EMPTY;
    for s in sets {
        let mut vars: Vec<u32> = s.iter().map(|&e| 2 * level_of[e]).collect();
        vars.sort_unstable_by(|a, b| b.cmp(a));
        let one = vars.iter().fold(zbdd::BASE, |below, &v| z.mk(v, below, zbdd::EMPTY));
        acc = z.union(acc, one);
    }
    acc
}

/// Bounds on one analysis, for callers that must stay responsive (the desktop app analyses on every edit):
/// a flag another thread raises to cancel it, a ceiling on the BDD's nodes and one on the ZBDD's nodes of an
/// analysis by cut sets. The default has none of them.
#[derive(Clone, Debug, Default)]
pub struct Limits {
    /// Raised (by any thread) to stop the analysis; it is looked at every [`CANCEL_EVERY`] new diagram nodes.
    pub cancel: Option<Arc<AtomicBool>>,
    /// The most nodes the BDD store may hold, garbage included until it is collected (see
    /// [`Engine::new_within`]: the rounds up to 2^22 nodes, except the first, do not collect).
    pub max_nodes: Option<usize>,
    /// The most nodes the ZBDD store of an [analysis by cut sets](analyze_by_cut_sets), or of the direct
    /// ZBDD ([`Algorithm::Zbdd`]), may hold (every node made counts), so that a limit order too high for the
    /// tree stops instead of exhausting memory.
    pub max_zbdd_nodes: Option<usize>,
    /// The most entries (events and gates) [`Algorithm::Mocus`] may keep in its rows (see
    /// [`mocus::minimal_cut_sets_within`]).
    pub max_mocus_entries: Option<usize>,
}

impl Limits {
    fn check(&self) -> Result<(), Stopped> {
        if raised(&self.cancel) { Err(Stopped::Cancelled) } else { Ok(()) }
    }
}

/// Whether a cancel flag is raised.
fn raised(cancel: &Option<Arc<AtomicBool>>) -> bool {
    cancel.as_ref().is_some_and(|c| c.load(AtomicOrdering::Relaxed))
}

/// How many new diagram nodes pass between two looks at the cancel flag.
pub const CANCEL_EVERY: usize = 4096;

/// For a diagram store about to hold its `nodes`-th node: whether `cancel` is raised, looked at only every
/// [`CANCEL_EVERY`] nodes so that the atomic load stays off the hot path.
pub(crate) fn cancel_seen(nodes: usize, cancel: &Option<Arc<AtomicBool>>) -> bool {
    nodes.is_multiple_of(CANCEL_EVERY) && raised(cancel)
}

/// Why an analysis within [`Limits`] stopped without a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stopped {
    /// The cancel flag was raised.
    Cancelled,
    /// Every variable order tried needed more than `max_nodes` BDD nodes.
    TooLarge { max_nodes: usize },
    /// The cut sets of an analysis by cut sets needed more than `max_nodes` ZBDD nodes.
    CutSetsTooLarge { max_nodes: usize },
    /// MOCUS's rows needed more than `max_entries` entries.
    RowsTooLarge { max_entries: usize },
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stopped::Cancelled => write!(f, "the analysis was cancelled"),
            Stopped::TooLarge { max_nodes } => write!(
                f,
                "the tree is too large for an exact analysis here: every variable order tried needs more than {max_nodes} BDD nodes"
            ),
            Stopped::CutSetsTooLarge { max_nodes } => write!(
                f,
                "its minimal cut sets within this truncation need more than {max_nodes} ZBDD nodes here: lower the limit order"
            ),
            Stopped::RowsTooLarge { max_entries } => write!(
                f,
                "MOCUS's rows need more than {max_entries} entries for this tree within this truncation: lower the limit order, or use the BDD"
            ),
        }
    }
}

/// The store size below which the BDD construction never collects garbage.
const MIN_COLLECT: usize = 1 << 15;

/// The node budget of the [`pdag::PROBES`] in [`Engine::new_within`]: 24,576 nodes made, garbage
/// included (nothing is collected at this size). edf9202's deferred order makes 22,954 nodes on its way
/// to a diagram of 808; on the trees where the probe fails, this much costs 1 to 4 ms.
const PROBE_BUDGET: usize = 3 << 13;

/// How many nodes a tree's BDD store has room for from the start: 32 per gate and event, up to 32,768.
/// The unique table then does not rehash on its way there: edf9202 (892 gates and events) makes 22,954
/// nodes in its probe, and rehashing from 1,024 slots up took a tenth of that probe's time. Room for the
/// largest size on every tree would cost the small ones more than they take (a table of 512 KiB
/// cleared for das9205's 69 nodes doubled its time). O(1).
fn presized(tree: &ValidTree) -> usize {
    (32 * (tree.gates.len() + tree.events.len())).min(MAX_ROOM)
}

/// The most nodes a BDD or ZBDD store is sized for before it holds them (384 KiB of nodes and 512 KiB of
/// unique table for a BDD): past it, the stores grow as they fill.
const MAX_ROOM: usize = 1 << 15;

/// The node budget of the first round of [`Engine::new_within`], of the second, and the largest budget
/// of a round that does not collect garbage.
const FIRST_BUDGET: usize = 1 << 16;
const SECOND_BUDGET: usize = 1 << 20;
const NO_COLLECT_UP_TO: usize = 1 << 22;

/// The BDD of one tree's top event, and what can be computed from it.
///
/// The tree is first rewritten with more modules ([`preprocess::preprocess`]: same events, same function),
/// then split into *modules* ([`pdag::modules`]): gates whose sub-DAG is reached only through
/// them. Each module gets its own BDD, in which the modules directly under it are single variables; all the
/// diagrams share one node store and one variable order, in which a module's level comes just before the
/// contiguous levels of everything under it. Probabilities are composed bottom-up (a module variable has its
/// module's probability), importance top-down, and the minimal cut sets substitute each module variable by
/// the module's cut sets while converting to a ZBDD (see [`Zbdd::from_bdd`]).
///
/// The stages are exposed separately so that callers (the CLI, benchmarks) can time them.
pub struct Engine<'a> {
    tree: &'a ValidTree,
    /// The top gate of the tree the diagrams were built from (the [`preprocess::preprocess`]ed one, whose
    /// gates `order` refers to), or [`pdag::NONE`] when the top is an event or a constant.
    top_gate: usize,
    order: pdag::VariableOrder,
    /// The heuristic of `order`.
    heuristic: pdag::Heuristic,
    /// Probability of the event at each level (0 at module levels).
    p_level: Vec<f64>,
    bdd: Bdd,
    root: Edge,
    /// The BDD of the module at each level ([`bdd::NO_MODULE`] at event levels).
    module_root: Vec<Edge>,
    /// The levels of the modules, in the order they were built (arguments first).
    module_levels: Vec<u32>,
}

impl<'a> Engine<'a> {
    /// Builds the BDD of every module and of the top event. Gates are built bottom-up in topological order,
    /// each once; the arguments of AND and OR gates are combined deepest top variable first.
    ///
    /// No ordering heuristic is best on every tree, and a bad order costs orders of magnitude (edf9202: 402k
    /// nodes in plain depth-first order, 3k with the smallest subtrees first, 1k with shared gates deferred),
    /// so the heuristics are tried in rounds, each within a node budget. First the [`pdag::PROBES`], once each,
    /// within 24,576 nodes made and without collecting garbage: they win seldom but then by far (edf9202:
    /// the deferred order fits in 2 to 3 ms, where the biggest-first order fails its first round after 7 ms
    /// more), and failing costs 1 to 4 ms (baobab1, das9601: the trees whose first portfolio order would have
    /// fitted at once). The first round of the [`pdag::PORTFOLIO`] (65,536 nodes) collects garbage between
    /// gates (see `build`), since at that size an order that would fit often fills the budget with garbage
    /// first (das9601). Later rounds try the [`pdag::PORTFOLIO`], the
    /// orders that built the most gates in the previous round first, at 2^20 nodes, then four times more per
    /// round; they collect garbage only past 2^22 nodes, where memory matters more than time (a collection
    /// clears the computed tables, and on the Aralia set a round at 2^20 without collecting costs a half to a
    /// third of one with: edf9204 0.45 s against 1.2 s, edfpa14o 0.2 s against 0.5 s in a simulation of the
    /// schedules from measured attempts). From the second round on, sums of products over shared arguments are
    /// built factored (see `foldable_products`): the same diagram, for less work (edf9204: 0.54 s → 0.19 s);
    /// the first round builds them plainly, because it also ranks the orders for the next round by how many
    /// gates each built, and factored sums blur that ranking (all orders then fail at the same sum).
    /// The store is then compacted to the live diagrams.
    /// (A race that pauses and resumes every order, keeping its nodes, was measured too: no faster, since
    /// every order then grows as large as the winner.)
    ///
    /// Complexity: finding the modules and the orders is O(gates + arguments); each BDD operation is O(|a|·|b|)
    /// in the worst case, so the whole is exponential in the worst case (as for every exact method), bounded by
    /// the largest module's diagram rather than the whole tree's. With B the budget of the round that succeeds
    /// (past the first two rounds, less than four times the nodes the successful order needed), the work is
    /// O(h · B) for h heuristics and the memory O(B): the store, its unique table and the computed tables all
    /// follow the node count. There is no upper budget here: a tree whose every order exceeds the memory
    /// available (nus9601 of the Aralia set) runs until stopped; [`Engine::new_within`] sets a ceiling and can
    /// be cancelled.
    pub fn new(tree: &'a ValidTree) -> Self {
        match Self::new_within(tree, &Limits::default()) {
            Ok(engine) => engine,
            Err(stopped) => unreachable!("no limits, yet stopped: {stopped}"),
        }
    }

    /// [`Engine::new`] within [`Limits`]: the last round's budget is the node ceiling, and a raised cancel
    /// flag stops the round under way. Complexity as for [`Engine::new`], with B at most the ceiling.
    pub fn new_within(tree: &'a ValidTree, limits: &Limits) -> Result<Self, Stopped> {
        let logic = preprocess::preprocess(tree);
        let is_module = pdag::modules(&logic);
        let ceiling = limits.max_nodes.unwrap_or(usize::MAX);
        let mut budget = FIRST_BUDGET.min(ceiling);
        let mut collect = true;
        let mut first_round = true;
        // A probe rarely wins, so its failure must cost little: a small budget, and no collection (which
        // clears the computed tables, and at this size costs more than the garbage).
        for &h in &pdag::PROBES {
            if let Ok(engine) = Self::build(tree, &logic, &is_module, h, PROBE_BUDGET.min(ceiling), false, false, limits) {
                return Ok(engine);
            }
            limits.check()?;
        }
        // (progress in the previous round, heuristic).
        let mut round: Vec<(usize, pdag::Heuristic)> = pdag::PORTFOLIO.iter().map(|&h| (0, h)).collect();
        loop {
            for entry in round.iter_mut() {
                let res = Self::build(tree, &logic, &is_module, entry.1, budget, collect, !first_round, limits);
                match res {
                    Ok(engine) => return Ok(engine),
                    Err(progress) => entry.0 = progress,
                }
                limits.check()?;
            }
            if budget >= ceiling {
                return Err(Stopped::TooLarge { max_nodes: ceiling });
            }
            round.sort_by_key(|&(progress, _)| std::cmp::Reverse(progress));
            budget = budget.max(SECOND_BUDGET / 4).saturating_mul(4).min(ceiling);
            collect = budget > NO_COLLECT_UP_TO;
            first_round = false;
        }
    }

    /// Builds every diagram with the variable order of one heuristic, without a budget (for tests and
    /// comparisons: [`Engine::new`] chooses the heuristic itself). Complexity as for [`Engine::new`].
    pub fn with_order(tree: &'a ValidTree, h: pdag::Heuristic) -> Self {
        let logic = preprocess::preprocess(tree);
        match Self::build(tree, &logic, &pdag::modules(&logic), h, usize::MAX, false, true, &Limits::default()) {
            Ok(engine) => engine,
            Err(_) => unreachable!("an unlimited budget cannot be exceeded"),
        }
    }

    /// Builds every diagram with the variable order of `h`, or gives up once the store would hold more than
    /// `budget` nodes or the cancel flag of `limits` is raised, returning how many gates were built by then.
    ///
    /// Intermediate results die once the last gate using them is built. With `collect`, the store is
    /// collected (copied to its live diagrams) before a gate whenever it has grown past twice what was live
    /// after the previous collection and past half the budget, so that the budget bounds what is live rather
    /// than all the garbage ever made (edf9202: 104k nodes made, 1k live at the end). A collection clears
    /// the computed tables, so it costs recomputation: [`Engine::new_within`] collects only where the
    /// budget is small or memory matters. With `fold`, the products of [`foldable_products`] are built
    /// inside their sums, [`factored`].
    #[allow(clippy::too_many_arguments)]
    fn build(original: &'a ValidTree, tree: &ValidTree, is_module: &[bool], h: pdag::Heuristic, budget: usize, collect: bool, fold: bool, limits: &Limits) -> Result<Self, usize> {
        let order = pdag::variable_order_with(tree, is_module, h);
        let levels = order.event_at.len();
        let p_level = order.probabilities(tree);
        let mut bdd = Bdd::with_budget(budget, presized(tree), limits.cancel.clone());
        let mut gate_edge: Vec<Edge> = Vec::with_capacity(tree.gates.len());
        let mut module_root = vec![bdd::NO_MODULE; levels];
        let mut module_levels = Vec::new();
        let edge = |bdd: &mut Bdd, gate_edge: &[Edge], a: Arg| match a {
            Arg::Event(e) => bdd.var(order.level_of[e]),
            Arg::Gate(g) => gate_edge[g],
            Arg::Const(true) => bdd::TRUE,
            Arg::Const(false) => bdd::FALSE,
        };
        // A product folded into its sum (see `factored`) is not built on its own: its arguments are used
        // by the sum's gate instead.
        let folded_into = if !fold { vec![pdag::NONE; tree.gates.len()] } else { foldable_products(tree, &order.gate_level) };
        let folded = |g: usize| folded_into[g] != pdag::NONE;
        // The last gate using each gate's result (the top's user is past the end): intermediate results
        // die after it, and are collected when the store has grown well past what was live.
        let mut last_use = vec![0usize; tree.gates.len()];
        for (gi, g) in tree.gates.iter().enumerate() {
            let user = if folded(gi) { folded_into[gi] } else { gi };
            for &a in &g.args {
                if let Arg::Gate(c) = a {
                    last_use[c] = last_use[c].max(user);
                }
            }
        }
        if let Arg::Gate(t) = tree.top {
            last_use[t] = usize::MAX;
        }
        let mut collect_at = if collect { MIN_COLLECT.max(budget / 2) } else { usize::MAX };
        // Only gates under the top need building; validation produced exactly those.
        for (gi, g) in tree.gates.iter().enumerate() {
            if bdd.overflowed() {
                return Err(gi);
            }
            if folded(gi) {
                gate_edge.push(bdd::NO_MODULE);
                continue;
            }
            if bdd.len() >= collect_at {
                let live: Vec<usize> = (0..gi).filter(|&c| last_use[c] >= gi && !folded(c)).collect();
                let mut roots: Vec<Edge> = live.iter().map(|&c| gate_edge[c]).collect();
                roots.extend(module_levels.iter().map(|&l| module_root[l as usize]));
                bdd.collect(&mut roots);
                for (&c, &r) in live.iter().zip(&roots) {
                    gate_edge[c] = r;
                }
                for (&l, &r) in module_levels.iter().zip(&roots[live.len()..]) {
                    module_root[l as usize] = r;
                }
                collect_at = (2 * bdd.len()).max(MIN_COLLECT).max(budget / 2);
            }
            let mut args: Vec<Edge> = Vec::with_capacity(g.args.len());
            let mut products: Vec<Vec<Edge>> = Vec::new();
            for &a in &g.args {
                match a {
                    Arg::Gate(c) if folded(c) => products.push(tree.gates[c].args.iter().map(|&x| edge(&mut bdd, &gate_edge, x)).collect()),
                    _ => args.push(edge(&mut bdd, &gate_edge, a)),
                }
            }
            if !products.is_empty() {
                let conjunctive = connective_of(g.kind) == Some(true);
                args.extend(factored(&mut bdd, products, !conjunctive));
            }
            let r = match g.kind {
                GateKind::And | GateKind::Inhibit | GateKind::Nand => {
                    let r = join(&mut bdd, &mut args, true);
                    if g.kind == GateKind::Nand { r ^ 1 } else { r }
                }
                GateKind::Or | GateKind::Nor => {
                    let r = join(&mut bdd, &mut args, false);
                    if g.kind == GateKind::Nor { r ^ 1 } else { r }
                }
                GateKind::Not => args[0] ^ 1,
                GateKind::Xor => args.iter().fold(bdd::FALSE, |acc, &a| bdd.xor(acc, a)),
                GateKind::AtLeast { k } => bdd.at_least(k as usize, &args),
            };
            let level = order.gate_level[gi];
            // A module whose function is a constant or a single variable gains nothing from its own level.
            let trivial = r <= bdd::FALSE || bdd.children(r & !1) == (bdd::TRUE, bdd::FALSE);
            if level != u32::MAX && !trivial {
                module_root[level as usize] = r;
                module_levels.push(level);
                gate_edge.push(bdd.var(level));
            } else {
                gate_edge.push(r);
            }
        }
        let root = edge(&mut bdd, &gate_edge, tree.top);
        if bdd.overflowed() {
            return Err(tree.gates.len());
        }
        // Keep only the live diagrams: later passes index buffers by node.
        let mut roots: Vec<Edge> = module_levels.iter().map(|&l| module_root[l as usize]).collect();
        roots.push(root);
        bdd.compact(&mut roots);
        for (&l, &r) in module_levels.iter().zip(&roots) {
            module_root[l as usize] = r;
        }
        let root = roots[roots.len() - 1];
        let top_gate = match tree.top {
            Arg::Gate(g) => g,
            _ => pdag::NONE,
        };
        Ok(Engine { tree: original, top_gate, order, heuristic: h, p_level, bdd, root, module_root, module_levels })
    }

    /// Sets the probability of the event `e` (an index into [`ValidTree::events`]) for the probabilities
    /// computed from now on; the diagrams do not depend on it. O(1).
    pub fn set_event_probability(&mut self, e: usize, p: f64) {
        self.p_level[self.order.level_of[e] as usize] = p;
    }

    /// The heuristic whose variable order the diagrams use (the one that fitted first).
    pub fn heuristic(&self) -> pdag::Heuristic {
        self.heuristic
    }

    /// The number of BDD nodes under the top event and every module.
    pub fn bdd_size(&self) -> usize {
        let mut seen = vec![false; self.bdd.len()];
        let mut order = Vec::new();
        for &l in &self.module_levels {
            self.bdd.topological_into(self.module_root[l as usize], &mut seen, &mut order);
        }
        self.bdd.topological_into(self.root, &mut seen, &mut order);
        order.len()
    }

    /// (P, Q) of every node of every diagram, and the probabilities of each level being true and false
    /// (a module level's are its module's). O(total BDD size).
    fn node_probabilities(&self) -> (Vec<(f64, f64)>, Vec<f64>, Vec<f64>) {
        let mut p = self.p_level.clone();
        let mut q: Vec<f64> = p.iter().map(|x| 1.0 - x).collect();
        let mut pq = self.bdd.node_buffer();
        let mut seen = vec![false; self.bdd.len()];
        for &l in &self.module_levels {
            let (mp, mq) = self.bdd.probabilities_into(self.module_root[l as usize], &p, &q, &mut pq, &mut seen);
            p[l as usize] = mp;
            q[l as usize] = mq;
        }
        self.bdd.probabilities_into(self.root, &p, &q, &mut pq, &mut seen);
        (pq, p, q)
    }

    /// The exact top-event probability. O(total BDD size).
    pub fn probability(&self) -> f64 {
        let (pq, _, _) = self.node_probabilities();
        let (p, q) = pq[(self.root >> 1) as usize];
        if self.root & 1 == 1 { q } else { p }
    }

    /// For every event (in the order of [`ValidTree::events`]): (P(top | it fails), P(top | it works)).
    ///
    /// Each diagram gives P(its function | x) for the levels it tests; a module M inside N then gets the
    /// pair (P(top | M true), P(top | M false)) from N's, top-down, and an event of M combines M's pair with
    /// P(M | event). O(total BDD size · log levels + levels): each diagram's pass costs only the levels it tests.
    pub fn conditional_probabilities(&self) -> Vec<(f64, f64)> {
        let (pq, p, q) = self.node_probabilities();
        let levels = p.len();
        let top_gate = self.top_gate;
        // The diagram testing each level: the innermost module that got its own diagram (a module whose
        // function was trivial was inlined into its parent's), as a gate index.
        let is_diagram = |g: usize| g == top_gate || g == pdag::NONE || self.module_root[self.order.gate_level[g] as usize] != bdd::NO_MODULE;
        let mut owner = self.order.owner.clone();
        for l in 0..levels {
            let o = owner[l];
            if !is_diagram(o) {
                // The gate's own level comes first, so its owner is already resolved.
                owner[l] = owner[self.order.gate_level[o] as usize];
            }
        }
        // The diagram of each owner (a gate index, or NONE for a top that is not a gate).
        let diagram_root = |g: usize| if g == top_gate || g == pdag::NONE { self.root } else { self.module_root[self.order.gate_level[g] as usize] };
        // For the diagram owning each level: P and Q of that diagram given the level true / false; at a
        // level it does not test, both are its probability.
        let mut local: Vec<bdd::Conditional> = owner
            .iter()
            .map(|&o| {
                let pq_root = bdd::edge_pq(&pq, diagram_root(o));
                bdd::Conditional { fails: pq_root, works: pq_root }
            })
            .collect();
        let mut buffers = bdd::ConditionalBuffers::new(&self.bdd, levels);
        let mut fill = |root: Edge, diagram: usize, local: &mut [bdd::Conditional]| {
            for (l, v) in self.bdd.conditional_probabilities(root, &p, &q, &pq, &mut buffers) {
                if owner[l as usize] == diagram {
                    local[l as usize] = v;
                }
            }
        };
        fill(self.root, top_gate, &mut local);
        for &l in &self.module_levels {
            fill(self.module_root[l as usize], self.order.module_at[l as usize], &mut local);
        }
        // (P(top | module true), P(top | module false)) per module level, top-down: a module's level comes
        // before the levels under it, so increasing levels visit parents first. Every value is a sum of
        // non-negative products: P(top | x) = P(top | M) · P(M | x) + P(top | ¬M) · Q(M | x).
        let mut through = vec![(1.0, 0.0); levels];
        let outer_of = |through: &[(f64, f64)], diagram: usize| -> (f64, f64) {
            if diagram == top_gate || diagram == pdag::NONE {
                (1.0, 0.0)
            } else {
                through[self.order.gate_level[diagram] as usize]
            }
        };
        let combine = |(a, b): (f64, f64), (p, q): (f64, f64)| a * p + b * q;
        for l in 0..levels {
            if self.module_root[l] != bdd::NO_MODULE {
                let outer = outer_of(&through, owner[l]);
                through[l] = (combine(outer, local[l].fails), combine(outer, local[l].works));
            }
        }
        self.order
            .level_of
            .iter()
            .map(|&l| {
                let outer = outer_of(&through, owner[l as usize]);
                let c = local[l as usize];
                (combine(outer, c.fails), combine(outer, c.works))
            })
            .collect()
    }

    /// The minimal cut sets, by the chosen algorithm, truncated by order and probability.
    pub fn cut_sets(&self, options: &Options) -> CutSets {
        match self.cut_sets_within(options, &Limits::default()) {
            Ok(cut_sets) => cut_sets,
            Err(stopped) => unreachable!("no cancel flag, yet stopped: {stopped}"),
        }
    }

    /// [`Engine::cut_sets`], stopped when the cancel flag of `limits` is raised, and for the cross-check
    /// algorithms when their ceilings are exceeded: the ZBDD ceiling for [`Algorithm::Zbdd`], the row
    /// ceiling for [`Algorithm::Mocus`] (the cut sets from the BDD, which already fitted, have none).
    pub fn cut_sets_within(&self, options: &Options, limits: &Limits) -> Result<CutSets, Stopped> {
        let limit = options.order_limit();
        let mut z = match options.algorithm {
            Algorithm::Zbdd => Zbdd::with_limits(limits.cancel.clone(), limits.max_zbdd_nodes.unwrap_or(usize::MAX)),
            // Room for four ZBDD nodes per BDD node, up to 32,768 (edf9201: 2,560 BDD nodes, 8,149 ZBDD
            // nodes made), so that the unique table does not rehash on the way (as for the BDD's store).
            Algorithm::Bdd | Algorithm::Mocus => Zbdd::with_room(limits.cancel.clone(), (4 * self.bdd.len()).min(MAX_ROOM)),
        };
        let root = match options.algorithm {
            Algorithm::Bdd => {
                let r = z.from_bdd(&self.bdd, self.root, limit, &self.module_root);
                // Module products can leave sets above the limit at the top.
                if limit == u32::MAX { r } else { z.product(r, zbdd::BASE, limit) }
            }
            Algorithm::Zbdd => direct::cut_sets(self.tree, &self.order.level_of, &mut z, limit),
            Algorithm::Mocus => from_mocus(&mut z, &self.order.level_of, &mocus_within(self.tree, options, limits)?),
        };
        CutSets::finish(z, root, &self.p_level, options, self.order.event_at.clone())
    }
}

/// The conjunction (`and`) or disjunction of `args`, deepest top variable first so that intermediate
/// results stay small (`args` is reordered). O(|args|) diagram operations.
fn join(bdd: &mut Bdd, args: &mut [Edge], and: bool) -> Edge {
    args.sort_by_key(|&e| std::cmp::Reverse(bdd.level(e)));
    if and {
        args.iter().fold(bdd::TRUE, |acc, &a| bdd.and(acc, a))
    } else {
        args.iter().fold(bdd::FALSE, |acc, &a| bdd.or(acc, a))
    }
}

/// Whether a gate joins its arguments by AND (`Some(true)`) or by OR (`Some(false)`), for factoring.
fn connective_of(kind: GateKind) -> Option<bool> {
    match kind {
        GateKind::And | GateKind::Nand => Some(true),
        GateKind::Or | GateKind::Nor => Some(false),
        _ => None,
    }
}

/// For each gate, the gate that builds its diagram in its place, or [`pdag::NONE`]: a plain AND (OR) gate
/// that is not a module (`gate_level` is `u32::MAX`) and folds nothing itself, used once, by an OR or NOR
/// (AND or NAND) gate that has at least two such arguments, is folded into that sum, which builds the
/// products itself, [`factored`]. O(gates + arguments).
fn foldable_products(tree: &ValidTree, gate_level: &[u32]) -> Vec<usize> {
    let (uses, _) = pdag::uses(tree);
    let mut folded_into = vec![pdag::NONE; tree.gates.len()];
    let mut folds = vec![false; tree.gates.len()];
    for (gi, g) in tree.gates.iter().enumerate() {
        let Some(conjunctive) = connective_of(g.kind) else { continue };
        let product = if conjunctive { GateKind::Or } else { GateKind::And };
        let candidates: Vec<usize> = g
            .args
            .iter()
            .filter_map(|&a| match a {
                Arg::Gate(c) if uses[c] == 1 && gate_level[c] == u32::MAX && tree.gates[c].kind == product && !folds[c] => Some(c),
                _ => None,
            })
            .collect();
        if candidates.len() >= 2 {
            folds[gi] = true;
            for c in candidates {
                folded_into[c] = gi;
            }
        }
    }
    folded_into
}

/// The arguments of a sum (OR when `sum_is_or`, else AND) equal to the sum of the products (AND, else OR)
/// of `products`, factored greedily on the argument shared by most products, recursively:
/// `x·a + x·b + y·c` is built as `x·(a + b) + y·c`. Arguments are BDD edges, so the same function met
/// twice is the same argument. The result is the same function, hence the same diagram; the
/// construction makes fewer and smaller conjunctions (edf9204's top gate is an OR of 20 ANDs of three or
/// four of 8 subsystems: its BDD stage 0.54 s → 0.19 s). O(arguments²) bookkeeping plus the diagram
/// operations.
fn factored(bdd: &mut Bdd, mut products: Vec<Vec<Edge>>, sum_is_or: bool) -> Vec<Edge> {
    // For each argument: in how many products, and when first met (ties go to the first met).
    let mut count: rustc_hash::FxHashMap<Edge, (usize, std::cmp::Reverse<usize>)> = rustc_hash::FxHashMap::default();
    for (i, &a) in products.iter().flatten().enumerate() {
        count.entry(a).or_insert((0, std::cmp::Reverse(i))).0 += 1;
    }
    match count.iter().max_by_key(|&(_, &key)| key).map(|(&a, &(n, _))| (a, n)) {
        Some((x, n)) if n >= 2 => {
            let (with, without): (Vec<Vec<Edge>>, Vec<Vec<Edge>>) = products.into_iter().partition(|p| p.contains(&x));
            let with_x = if with.iter().any(|p| p.iter().all(|&a| a == x)) {
                // x alone is one of the products: it absorbs the others that hold it.
                x
            } else {
                let rest: Vec<Vec<Edge>> = with.into_iter().map(|p| p.into_iter().filter(|&a| a != x).collect()).collect();
                let mut inner = factored(bdd, rest, sum_is_or);
                let inner = join(bdd, &mut inner, !sum_is_or);
                join(bdd, &mut [x, inner], sum_is_or)
            };
            let mut out = vec![with_x];
            out.extend(factored(bdd, without, sum_is_or));
            out
        }
        _ => products.iter_mut().map(|p| join(bdd, p, sum_is_or)).collect(),
    }
}

/// The minimal cut sets of one top event, held in a ZBDD.
pub struct CutSets {
    zbdd: Zbdd,
    root: Z,
    /// Probability of each ZBDD variable (literal): `2·level` fails, `2·level + 1` works.
    p_var: Vec<f64>,
    event_at: Vec<usize>,
    /// The number of cut sets, counted once when the family is built.
    count: u64,
}

impl CutSets {
    /// The cut sets of the family `root` of `z` (literals `2·level` fails, `2·level + 1` works, with
    /// `p_level` the probability of each level and `event_at` its event), after the probability cut-off of
    /// `options`: compacted and counted.
    fn finish(mut z: Zbdd, root: Z, p_level: &[f64], options: &Options, event_at: Vec<usize>) -> Result<CutSets, Stopped> {
        let why = |z: &Zbdd| if z.over_budget() { Stopped::CutSetsTooLarge { max_nodes: z.budget() } } else { Stopped::Cancelled };
        if z.interrupted() {
            return Err(why(&z));
        }
        z.clear_caches();
        let p_var: Vec<f64> = p_level.iter().flat_map(|&p| [p, 1.0 - p]).collect();
        let root = match options.cut_off {
            Some(c) => z.cut_off(root, &p_var, c),
            None => root,
        };
        if z.interrupted() {
            return Err(why(&z));
        }
        let root = z.compact(root);
        let count = z.count(root);
        Ok(CutSets { zbdd: z, root, p_var, event_at, count })
    }

    /// The number of cut sets (saturating at `u64::MAX`). O(1): counted once, in O(ZBDD size), when the
    /// family was built.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The number of ZBDD nodes.
    pub fn zbdd_size(&self) -> usize {
        self.zbdd.size(self.root)
    }

    /// The number of cut sets of each order, order 0 first.
    pub fn order_distribution(&self) -> Vec<u64> {
        self.zbdd.order_distribution(self.root)
    }

    /// The rare-event approximation Σ P(cs). O(ZBDD size).
    pub fn rare_event(&self) -> f64 {
        self.zbdd.power_sum(self.root, &self.p_var, 1)
    }

    /// The min-cut upper bound 1 − Π(1 − P(cs)), by the series ln Π(1 − q) = −Σ_k S_k / k with
    /// S_k = Σ P(cs)^k, each S_k an O(ZBDD size) pass. With q_max the largest cut-set probability, the terms
    /// after the K-th sum to at most q_max^K / (1 − q_max) of the total, so K = ln(1e-16·(1 − q_max)) / ln q_max
    /// terms suffice; when K · size exceeds the number of cut sets (q_max close to 1, or few sets), the
    /// sets are visited one by one instead. O(min(K · ZBDD size, cut sets)).
    pub fn mcub(&self) -> f64 {
        let q_max = self.zbdd.max_set_probability(self.root, &self.p_var);
        if q_max >= 1.0 {
            return 1.0;
        }
        if q_max <= 0.0 {
            return 0.0;
        }
        let terms = ((1e-16 * (1.0 - q_max)).ln() / q_max.ln()).ceil().max(1.0);
        let size = self.zbdd.size(self.root) as f64;
        if terms * size >= self.count as f64 {
            let mut log = 0.0;
            self.visit(self.root, 1.0, &mut log);
            return -log.exp_m1();
        }
        let sums = self.zbdd.power_sums(self.root, &self.p_var, terms as usize);
        let log: f64 = sums.iter().enumerate().map(|(k, s)| -s / (k + 1) as f64).sum();
        -log.exp_m1()
    }

    /// Adds ln(1 − P(cs)) of every cut set under `z` to `log`; `acc` is the probability of the path so far.
    fn visit(&self, z: Z, acc: f64, log: &mut f64) {
        if z == zbdd::EMPTY {
            return;
        }
        if z == zbdd::BASE {
            *log += (-acc).ln_1p();
            return;
        }
        let (var, hi, lo) = self.zbdd.parts(z);
        self.visit(hi, acc * self.p_var[var as usize], log);
        self.visit(lo, acc, log);
    }

    /// The `n` most probable cut sets (all for 0), as event indices (sorted) with their probability.
    pub fn most_probable(&self, n: usize) -> Vec<(Vec<usize>, f64)> {
        self.zbdd
            .most_probable(self.root, &self.p_var, n)
            .into_iter()
            .map(|(vars, p)| {
                let mut events: Vec<usize> = vars.iter().map(|&v| self.event_at[(v / 2) as usize]).collect();
                events.sort_unstable();
                (events, p)
            })
            .collect()
    }

    /// Of the cut sets containing the event `e` (an index into [`ValidTree::events`]): the smallest order and
    /// the largest probability, or `None` when no cut set contains it. One pass over the ZBDD: O(size).
    pub fn containing(&self, e: usize) -> Option<(usize, f64)> {
        let level = self.event_at.iter().position(|&x| x == e)?;
        let x = 2 * level as u32;
        // Per node: (smallest order, largest probability) of all its sets, and of those containing x.
        const NONE: (u32, f64) = (u32::MAX, -1.0);
        let mut all: HashMap<Z, (u32, f64)> = HashMap::from([(zbdd::EMPTY, NONE), (zbdd::BASE, (0, 1.0))]);
        let mut with: HashMap<Z, (u32, f64)> = HashMap::from([(zbdd::EMPTY, NONE), (zbdd::BASE, NONE)]);
        let add = |(o, p): (u32, f64), q: f64| if o == u32::MAX { NONE } else { (o + 1, p * q) };
        let best = |a: (u32, f64), b: (u32, f64)| (a.0.min(b.0), a.1.max(b.1));
        for z in self.zbdd.topological(self.root) {
            let (var, hi, lo) = self.zbdd.parts(z);
            let q = self.p_var[var as usize];
            let a = best(all[&lo], add(all[&hi], q));
            let w = best(with[&lo], add(if var == x { all[&hi] } else { with[&hi] }, q));
            all.insert(z, a);
            with.insert(z, w);
        }
        let (order, p) = with[&self.root];
        (order != u32::MAX).then_some((order as usize, p))
    }

    /// Σ P(cs) over the cut sets containing each event, in the order of [`ValidTree::events`].
    pub fn sums_containing(&self) -> Vec<f64> {
        self.by_event(self.zbdd.sums_containing(self.root, &self.p_var, true))
    }

    /// For each event, in the order of [`ValidTree::events`]: Σ over the cut sets containing it of the
    /// product of the other events' probabilities (the derivative of the rare-event sum by its probability).
    pub fn derivatives(&self) -> Vec<f64> {
        self.by_event(self.zbdd.sums_containing(self.root, &self.p_var, false))
    }

    /// A value per ZBDD literal as a value per event (its failure literal's).
    fn by_event(&self, by_var: Vec<f64>) -> Vec<f64> {
        let mut out = vec![0.0; self.event_at.iter().filter(|&&e| e != pdag::NONE).count()];
        for (level, &e) in self.event_at.iter().enumerate() {
            if e != pdag::NONE {
                out[e] = by_var[2 * level];
            }
        }
        out
    }

    /// Assembles the [`Analysis`] from these cut sets and, when the BDD was built, the exact probability with
    /// the BDD's conditional probabilities (per event: P(top | fails), P(top | works)). Without them, the
    /// rare-event sum stands for P(top) in the importance measures (see [`analyze_by_cut_sets`]).
    pub fn analysis(&self, tree: &ValidTree, bdd: Option<(f64, &[(f64, f64)])>, max_cut_sets: usize) -> Analysis {
        let rare = self.rare_event();
        let mcub = self.mcub();
        let fv = self.sums_containing();
        let from_cut_sets: Vec<(f64, f64)>;
        let (exact, conditional) = match bdd {
            Some((exact, conditional)) => (exact, conditional),
            None => {
                from_cut_sets = self.derivatives().iter().zip(&fv).map(|(d, s)| (rare - s + d, rare - s)).collect();
                (rare, &from_cut_sets[..])
            }
        };
        let importance = tree
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let (hi, lo) = conditional[i];
                let birnbaum = hi - lo;
                Importance {
                    event: e.name.clone(),
                    fussell_vesely: if rare > 0.0 { fv[i] / rare } else { 0.0 },
                    birnbaum,
                    criticality: if exact > 0.0 { birnbaum * e.p / exact } else { 0.0 },
                    raw: (exact > 0.0).then(|| hi / exact),
                    rrw: (lo > 0.0).then(|| exact / lo),
                }
            })
            .collect();
        let mut cut_sets: Vec<CutSet> = self
            .most_probable(max_cut_sets)
            .into_iter()
            .map(|(events, probability)| CutSet::of(tree, &events, probability, rare))
            .collect();
        sort_cut_sets(&mut cut_sets);
        Analysis {
            top: tree.top_name.clone(),
            probability: TopProbability { exact: bdd.map(|(exact, _)| exact), rare_event: rare, mcub, partial: None, lower_bound: None, sampled: None },
            cut_set_count: self.count,
            order_distribution: self.order_distribution(),
            cut_sets,
            importance,
            approximated_module: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault_tree::validate::{ValidEvent, ValidGate};
    use crate::fault_tree::{ElementId, TreeId};

    /// A random DAG over `n` events: each gate takes two to four earlier gates or events, the last is the top.
    fn random_tree(seed: u64, n: usize, gates: usize) -> ValidTree {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut next = |m: usize| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) as usize % m
        };
        let events = (0..n).map(|i| ValidEvent { name: format!("e{i}"), p: 0.1, undeveloped: false, tree: TreeId(1), id: ElementId(i as u32) }).collect();
        let mut gs: Vec<ValidGate> = Vec::new();
        for g in 0..gates {
            let k = 2 + next(3);
            let args = (0..k).map(|_| if g > 0 && next(2) == 0 { Arg::Gate(next(g)) } else { Arg::Event(next(n)) }).collect();
            gs.push(ValidGate { name: format!("g{g}"), kind: GateKind::Or, args, tree: TreeId(1), id: ElementId((n + g) as u32) });
        }
        let top = ValidTree { top_name: format!("g{}", gates - 1), top: Arg::Gate(gates - 1), events, gates: gs };
        // Keep what the top reaches, as validation does.
        top.restricted(top.top, &[])
    }

    /// The events `dominators` counts under each module are those `restricted` finds under it, and a gate is
    /// under a module exactly when the module's restricted tree holds it.
    #[test]
    fn dominators_count_the_events_of_every_module() {
        let (mut modules_seen, mut others) = (0, 0);
        for seed in 0..200 {
            let tree = random_tree(seed, 4 + seed as usize % 12, 3 + seed as usize % 15);
            let Arg::Gate(top) = tree.top else { unreachable!() };
            let (idom, events_under) = dominators(&tree, top);
            for (m, &is_module) in pdag::modules(&tree).iter().enumerate() {
                if !is_module {
                    others += 1;
                    continue;
                }
                modules_seen += 1;
                let alone = tree.restricted(Arg::Gate(m), &[]);
                assert_eq!(events_under[m], alone.events.len(), "seed {seed}, module {m}");
                let names: std::collections::HashSet<&str> = alone.gates.iter().map(|g| g.name.as_str()).collect();
                for g in 0..tree.gates.len() {
                    let mut d = g;
                    while d != m && d != top {
                        d = idom[d];
                    }
                    assert_eq!(d == m, names.contains(tree.gates[g].name.as_str()), "seed {seed}: gate {g} under module {m}");
                }
            }
        }
        assert!(modules_seen > 250 && others > 250, "{modules_seen} modules, {others} other gates");
    }
}
