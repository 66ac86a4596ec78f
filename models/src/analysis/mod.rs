//! The fault-tree engine.
//!
//! Stages, in the order a [`ValidTree`] goes through them:
//! - `pdag`: the propositional DAG, with constants propagated and NOT folded into negated edges;
//! - `bdd`: a reduced ordered BDD with complement edges, giving the exact probability and Birnbaum importance;
//! - `zbdd`: the minimal cut sets as a ZBDD, built from the BDD, counted and summed without listing them;
//! - `mocus`: the classic top-down expansion, kept as an independent cross-check;
//! - `importance`: Fussell-Vesely, Birnbaum, criticality, RAW, RRW.
//!
//! [`analyze`] runs them all. [`oracle`] is a brute-force evaluator over all 2^n assignments, for tests.
//!
//! ## Non-coherent trees
//! For trees with NOT, XOR, NAND or NOR, the cut sets returned are the *minimal cut sets of the failure set*:
//! the minimal sets S of basic events such that the top event occurs when exactly the events of S fail and
//! every other event works. These are the prime implicants with their negated (success) literals dropped, the
//! convention of most PSA codes. The exact probability always accounts for the negations.

pub mod oracle;

use crate::fault_tree::validate::ValidTree;
use serde::{Deserialize, Serialize};

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
}

impl Default for Options {
    fn default() -> Self {
        Options { algorithm: Algorithm::Bdd, limit_order: None, cut_off: None, max_cut_sets: 1000 }
    }
}

/// The top-event probability three ways.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TopProbability {
    /// Exact, from the BDD (independent basic events).
    pub exact: f64,
    /// Rare-event approximation: the sum of the cut-set probabilities.
    pub rare_event: f64,
    /// Min-cut upper bound: 1 − Π(1 − P(cs)).
    pub mcub: f64,
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
}

/// Runs the whole analysis of one valid tree. Cannot fail.
pub fn analyze(tree: &ValidTree, options: &Options) -> Analysis {
    // Until the BDD engine lands, the brute-force oracle answers (small trees only).
    oracle::analyze(tree, options)
}
