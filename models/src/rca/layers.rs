//! Defence layers (the Swiss-cheese model) over the minimal cut sets of a top event.
//!
//! A [`Layer`] is a barrier of some [`LayerKind`] with an *effectiveness* e in `[0, 1]`: the probability that
//! it stops what it covers. It covers basic events and/or FMEA failure modes. Over the minimal cut sets (MCS)
//! of the top event of a [`LayerSet`]'s tree:
//! - a layer **intercepts** a cut set when it covers at least one of the cut set's events (a failure mode
//!   counts as covering the basic event its FMEA row is linked to, and those linked to it through a fishbone
//!   cause that links both);
//! - the **defence depth** of a cut set is the number of layers that intercept it; depth 0 is **aligned
//!   holes**, depth 1 is single-layer dependence, and both are flagged;
//! - the **coverage** of a layer is the number of cut sets it intercepts, and their summed probability;
//! - the **residual probability** of a cut set is P(cs) · Π(1 − e) over the layers that intercept it;
//! - the **residual top figure** is the rare-event sum of the residuals, and their min-cut upper bound
//!   1 − Π(1 − residual).
//!
//! ## Independence assumption
//! The residual figures assume that the layers fail independently of each other and of the basic events of
//! the cut set: a layer stops a cut set with probability e whatever the other layers and events do, and a
//! layer that covers several events of one cut set gets only one chance to stop it. Common-cause failures of
//! barriers (one shared monitoring system behind two "independent" detection layers) make the real residual
//! higher; model them as basic events instead.

use super::fishbone::CauseLink;
use super::{EventRef, FmeaRef};
use crate::analysis::{Analysis, Options};
use crate::fault_tree::validate::ValidTree;
use crate::fault_tree::TreeId;
use crate::project::Project;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Identifies a layer set inside a project.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LayerSetId(pub u32);

/// Identifies a layer inside its layer set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LayerId(pub u32);

/// What a defence layer does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    /// Stops the failure from happening (input validation, interlocks, code review).
    #[default]
    Prevention,
    /// Notices it (alerts, canaries, health checks).
    Detection,
    /// Limits its effect (rate limits, circuit breakers, redundancy).
    Mitigation,
    /// Restores service (rollback, failover, backups).
    Recovery,
}

impl LayerKind {
    /// The glossary word.
    pub fn name(self) -> &'static str {
        match self {
            LayerKind::Prevention => "prevention",
            LayerKind::Detection => "detection",
            LayerKind::Mitigation => "mitigation",
            LayerKind::Recovery => "recovery",
        }
    }
}

/// Something a layer covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Covered {
    BasicEvent(EventRef),
    FailureMode(FmeaRef),
}

/// One defence layer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    pub id: LayerId,
    pub name: String,
    #[serde(default)]
    pub kind: LayerKind,
    /// The probability that the layer stops what it covers, in `[0, 1]`.
    pub effectiveness: f64,
    #[serde(default)]
    pub covers: Vec<Covered>,
    #[serde(default)]
    pub description: String,
}

/// The defence layers in front of one fault tree's top event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerSet {
    pub id: LayerSetId,
    pub name: String,
    pub tree: TreeId,
    #[serde(default)]
    pub layers: Vec<Layer>,
}

impl LayerSet {
    /// The layer with this id.
    pub fn layer(&self, id: LayerId) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }

    /// An id no layer of this set has.
    pub fn fresh_layer_id(&self) -> LayerId {
        LayerId(self.layers.iter().map(|l| l.id.0 + 1).max().unwrap_or(1))
    }

    /// Problems with this layer set: effectiveness outside `[0, 1]` or not a number, duplicate layer ids.
    /// Each message names the layer set and the layer.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for l in &self.layers {
            if !(0.0..=1.0).contains(&l.effectiveness) {
                out.push(format!(
                    "layer set \"{}\", layer \"{}\": effectiveness {} is not in [0, 1]",
                    self.name, l.name, l.effectiveness
                ));
            }
            if !seen.insert(l.id) {
                out.push(format!("layer set \"{}\", layer \"{}\": duplicate layer id {}", self.name, l.name, l.id.0));
            }
        }
        out
    }
}

/// A cut set as the layer analysis sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CutSetInput {
    /// Event names, for display.
    pub events: Vec<String>,
    /// The events themselves.
    pub refs: Vec<EventRef>,
    pub probability: f64,
}

/// How thin the defence of a cut set is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepthFlag {
    /// Depth 0: no layer intercepts the cut set.
    AlignedHoles,
    /// Depth 1: a single layer stands between the cut set and the top event.
    SingleLayer,
}

/// The defence of one minimal cut set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefendedCutSet {
    pub events: Vec<String>,
    pub probability: f64,
    /// The layers that intercept it, in layer order.
    pub layers: Vec<LayerId>,
    /// The defence depth: `layers.len()`.
    pub depth: usize,
    /// P(cs) · Π(1 − e) over the intercepting layers.
    pub residual: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<DepthFlag>,
}

/// The coverage of one layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerCoverage {
    pub layer: LayerId,
    pub name: String,
    pub kind: LayerKind,
    pub effectiveness: f64,
    /// The number of cut sets it intercepts.
    pub cut_sets: usize,
    /// Σ P(cs) over the cut sets it intercepts.
    pub probability: f64,
    /// `probability` over Σ P(cs) over all cut sets (0 when that sum is 0).
    pub share: f64,
}

/// The result of a layer analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerAnalysis {
    /// The top event's name.
    pub top: String,
    pub cut_sets: Vec<DefendedCutSet>,
    pub layers: Vec<LayerCoverage>,
    /// Σ P(cs): the rare-event approximation without the layers.
    pub rare_event: f64,
    /// 1 − Π(1 − P(cs)) without the layers.
    pub mcub: f64,
    /// Σ residual: the rare-event residual top figure.
    pub residual_rare_event: f64,
    /// 1 − Π(1 − residual): the MCUB residual top figure.
    pub residual_mcub: f64,
    /// The number of cut sets at depth 0.
    pub aligned_holes: usize,
    /// The number of cut sets at depth 1.
    pub single_layer: usize,
}

/// Runs the layer analysis over a list of cut sets.
///
/// `failure_mode_events` maps a covered failure mode to the basic events it stands for.
/// Cost: O(C · L · k) for C cut sets, L layers and k events per cut set (plus the failure-mode lookups).
pub fn defend(
    top: &str,
    cut_sets: &[CutSetInput],
    layers: &[Layer],
    failure_mode_events: &dyn Fn(FmeaRef) -> Vec<EventRef>,
) -> LayerAnalysis {
    let covered: Vec<BTreeSet<EventRef>> = layers
        .iter()
        .map(|l| {
            l.covers
                .iter()
                .flat_map(|c| match c {
                    Covered::BasicEvent(e) => vec![*e],
                    Covered::FailureMode(f) => failure_mode_events(*f),
                })
                .collect()
        })
        .collect();
    let rare_event: f64 = cut_sets.iter().map(|c| c.probability).sum();
    let mut coverage: Vec<LayerCoverage> = layers
        .iter()
        .map(|l| LayerCoverage {
            layer: l.id,
            name: l.name.clone(),
            kind: l.kind,
            effectiveness: l.effectiveness,
            cut_sets: 0,
            probability: 0.0,
            share: 0.0,
        })
        .collect();
    let mut out = Vec::with_capacity(cut_sets.len());
    for cs in cut_sets {
        let mut ids = Vec::new();
        let mut residual = cs.probability;
        for (i, l) in layers.iter().enumerate() {
            if cs.refs.iter().any(|e| covered[i].contains(e)) {
                ids.push(l.id);
                residual *= 1.0 - l.effectiveness.clamp(0.0, 1.0);
                coverage[i].cut_sets += 1;
                coverage[i].probability += cs.probability;
            }
        }
        let depth = ids.len();
        let flag = match depth {
            0 => Some(DepthFlag::AlignedHoles),
            1 => Some(DepthFlag::SingleLayer),
            _ => None,
        };
        out.push(DefendedCutSet { events: cs.events.clone(), probability: cs.probability, layers: ids, depth, residual, flag });
    }
    for c in &mut coverage {
        c.share = if rare_event > 0.0 { c.probability / rare_event } else { 0.0 };
    }
    let mcub = 1.0 - cut_sets.iter().map(|c| 1.0 - c.probability).product::<f64>();
    let residual_rare_event = out.iter().map(|c| c.residual).sum();
    let residual_mcub = 1.0 - out.iter().map(|c| 1.0 - c.residual).product::<f64>();
    LayerAnalysis {
        top: top.to_string(),
        aligned_holes: out.iter().filter(|c| c.depth == 0).count(),
        single_layer: out.iter().filter(|c| c.depth == 1).count(),
        cut_sets: out,
        layers: coverage,
        rare_event,
        mcub,
        residual_rare_event,
        residual_mcub,
    }
}

/// The cut sets of an analysis, as [`defend`] takes them.
pub fn cut_set_inputs(valid: &ValidTree, analysis: &Analysis) -> Vec<CutSetInput> {
    analysis
        .cut_sets
        .iter()
        .map(|cs| CutSetInput {
            events: cs.events.clone(),
            refs: cs.event_indices.iter().map(|&i| EventRef { tree: valid.events[i].tree, element: valid.events[i].id }).collect(),
            probability: cs.probability,
        })
        .collect()
}

/// Why a layer analysis could not run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LayerError {
    #[error("no layer set with id {0}")]
    NoLayerSet(u32),
    #[error("no fault tree with id {0}")]
    NoTree(u32),
    #[error("fault tree \"{tree}\" has errors: {}", problems.join("; "))]
    InvalidTree { tree: String, problems: Vec<String> },
    #[error("{}", .0.join("; "))]
    InvalidLayers(Vec<String>),
}

impl Project {
    /// The layer set with this id.
    pub fn layer_set(&self, id: LayerSetId) -> Option<&LayerSet> {
        self.layer_sets.iter().find(|s| s.id == id)
    }

    /// The basic events a failure mode stands for: the event its FMEA row is linked to, and those linked to it
    /// through a fishbone cause that links both the failure mode and the events.
    pub fn failure_mode_events(&self, fm: FmeaRef) -> Vec<EventRef> {
        let mut out = BTreeSet::new();
        // The FMEA row's own link to a basic event (one identity across the views).
        let row = self.fmea.iter().filter(|w| w.id.0 == fm.sheet).flat_map(|w| &w.rows).find(|r| r.id.0 == fm.row);
        if let Some(link) = row.and_then(|r| r.event) {
            out.insert(EventRef { tree: link.tree, element: link.element });
        }
        for f in &self.fishbones {
            for (_, c) in f.walk() {
                if c.links.contains(&CauseLink::FailureMode(fm)) {
                    out.extend(c.events());
                }
            }
        }
        out.into_iter().collect()
    }

    /// Runs the layer analysis of `layers` over all the minimal cut sets of `tree`'s top event
    /// (the analysis is run with `max_cut_sets: 0`, so no cut set is left out).
    pub fn analyze_layers(&self, tree: TreeId, layers: &[Layer]) -> Result<LayerAnalysis, LayerError> {
        let t = self.tree(tree).ok_or(LayerError::NoTree(tree.0))?;
        let (valid, analysis) = self
            .analyze_tree(tree, &Options { max_cut_sets: 0, ..Options::default() })
            .map_err(|p| LayerError::InvalidTree { tree: t.name.clone(), problems: p.iter().map(|p| p.message.clone()).collect() })?;
        let inputs = cut_set_inputs(&valid, &analysis);
        Ok(defend(&analysis.top, &inputs, layers, &|fm| self.failure_mode_events(fm)))
    }

    /// Validates a layer set and runs its layer analysis.
    pub fn analyze_layer_set(&self, id: LayerSetId) -> Result<LayerAnalysis, LayerError> {
        let set = self.layer_set(id).ok_or(LayerError::NoLayerSet(id.0))?;
        let problems = set.problems();
        if !problems.is_empty() {
            return Err(LayerError::InvalidLayers(problems));
        }
        self.analyze_layers(set.tree, &set.layers)
    }

    /// Every layer of every layer set in front of `tree`, for an analysis of all of them together.
    pub fn layers_of_tree(&self, tree: TreeId) -> Vec<Layer> {
        self.layer_sets.iter().filter(|s| s.tree == tree).flat_map(|s| s.layers.iter().cloned()).collect()
    }
}
