//! Action items: what a postmortem (or an analysis) says must change, and the risk reduction it buys.
//!
//! An [`ActionItem`] links to what it addresses (basic events, cut sets, FMEA rows, fishbone causes, defence
//! layers, root causes) and may state its [`Effect`]: a new or strengthened defence layer, a lower event
//! probability, or revised S/O/D. [`Project::risk_reduction`] applies that effect to a clone of the project and
//! computes P(top), the residual top figure and the FMEA Action Priority counts before and after;
//! [`Project::rank_actions`] ranks items by the residual reduction.

use super::fishbone::CauseRef;
use super::layers::{Layer, LayerId, LayerSetId};
use super::postmortem::{FindingId, PostmortemId};
use super::{EventRef, FmeaRef};
use crate::analysis::Options;
use crate::fault_tree::{ElementKind, Probability, TreeId};
use crate::project::Project;
use serde::{Deserialize, Serialize};
use crate::fmea::{action_priority, Ap, ApCounts, Rating, RowId, WorksheetId};
use time::Date;

/// Identifies an action item inside a project.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionId(pub u32);

/// What kind of change an action item makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionType {
    /// Stops the cause from happening again.
    #[default]
    Prevent,
    /// Limits the effect when it does.
    Mitigate,
    /// Notices it sooner.
    Detect,
    /// Changes how people work (runbooks, reviews, training).
    Process,
}

impl ActionType {
    /// The glossary word.
    pub fn name(self) -> &'static str {
        match self {
            ActionType::Prevent => "prevent",
            ActionType::Mitigate => "mitigate",
            ActionType::Detect => "detect",
            ActionType::Process => "process",
        }
    }
}

/// How urgent an action item is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Critical,
    High,
    #[default]
    Medium,
    Low,
}

impl Priority {
    /// The display word, as issue trackers name it.
    pub fn name(self) -> &'static str {
        match self {
            Priority::Critical => "Highest",
            Priority::High => "High",
            Priority::Medium => "Medium",
            Priority::Low => "Low",
        }
    }
}

/// Where an action item is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    InProgress,
    Done,
    WontDo,
}

impl ActionStatus {
    /// The display words.
    pub fn name(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in progress",
            ActionStatus::Done => "done",
            ActionStatus::WontDo => "won't do",
        }
    }

    /// Open or in progress.
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// What an action item addresses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionLinks {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventRef>,
    /// Cut sets, each as its sorted event names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cut_sets: Vec<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fmea_rows: Vec<FmeaRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<CauseRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<(LayerSetId, LayerId)>,
    /// Root causes or contributing factors of the item's postmortem.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingId>,
}

/// The intended effect of an action item, when it can be modelled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Adds a defence layer to a layer set (its id is replaced by a fresh one when taken).
    NewLayer { set: LayerSetId, layer: Layer },
    /// Raises (or lowers) the effectiveness of an existing layer.
    StrengthenLayer { set: LayerSetId, layer: LayerId, effectiveness: f64 },
    /// Gives a basic event a new fixed probability.
    EventProbability { event: EventRef, p: f64 },
    /// Revised severity, occurrence and detection of an FMEA row.
    RevisedSod { row: FmeaRef, severity: u8, occurrence: u8, detection: u8 },
}

/// One action item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionItem {
    pub id: ActionId,
    /// Verb first: "Add a disk-usage alert", not "Disk alert".
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, rename = "type")]
    pub kind: ActionType,
    #[serde(default)]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default)]
    pub status: ActionStatus,
    #[serde(default)]
    pub success_metric: String,
    #[serde(default)]
    pub tracking_link: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Date>,
    /// The postmortem it came out of, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postmortem: Option<PostmortemId>,
    #[serde(default)]
    pub links: ActionLinks,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
}

/// Words that commonly start a well-formed action title (imperative verbs).
const VERBS: &[&str] = &[
    "add", "alert", "audit", "automate", "block", "build", "cap", "change", "check", "clarify", "configure",
    "create", "define", "delete", "deploy", "document", "enable", "enforce", "ensure", "extend", "fix", "gate",
    "harden", "implement", "improve", "increase", "install", "introduce", "limit", "lower", "make", "migrate",
    "monitor", "move", "page", "patch", "prevent", "add", "raise", "reduce", "refactor", "remove", "rename",
    "replace", "require", "review", "rewrite", "roll", "rotate", "run", "schedule", "separate", "set", "split",
    "switch", "teach", "test", "throttle", "track", "train", "update", "upgrade", "use", "validate", "verify",
    "write",
];

/// A hint when a title does not start with a verb (a word from a list of common imperative verbs); `None`
/// when it does. A hint, not an error: the list cannot know every verb.
pub fn title_hint(title: &str) -> Option<String> {
    let first = title.split_whitespace().next()?.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    if VERBS.contains(&first.as_str()) {
        None
    } else {
        Some(format!("\"{title}\": start the title with a verb (\"Add ...\", \"Alert on ...\", \"Document ...\")"))
    }
}

impl ActionItem {
    /// Pending (open or in progress) and past its due date.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_pending() && self.due.is_some_and(|d| d < today)
    }
}

/// Why an effect cannot be evaluated.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ActionError {
    #[error("no action item with id {0}")]
    NoAction(u32),
    #[error("no layer set with id {0}")]
    NoLayerSet(u32),
    #[error("layer set \"{set}\": no layer with id {layer}")]
    NoLayer { set: String, layer: u32 },
    #[error("no basic event with id {element} in fault tree {tree}")]
    NoEvent { tree: u32, element: u32 },
    #[error("probability or effectiveness {0} is not in [0, 1]")]
    OutOfRange(f64),
    #[error("no FMEA row {row} in worksheet {sheet}")]
    NoFmeaRow { sheet: u32, row: u32 },
    #[error("FMEA row {row} in worksheet {sheet}: {message}")]
    BadRating { sheet: u32, row: u32, message: String },
    #[error("{0}")]
    Analysis(String),
}

/// The risk reduction an action item's effect buys on one fault tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskReduction {
    pub action: ActionId,
    /// The tree the effect acts on (`None` for revised S/O/D in a project without fault trees).
    pub tree: Option<TreeId>,
    /// The top event's name.
    pub top: String,
    /// Exact P(top) before and after (layers do not change it; event probabilities do).
    pub p_top_before: f64,
    pub p_top_after: f64,
    /// The residual top figure (rare-event sum of residuals, all layer sets of the tree together),
    /// before and after.
    pub residual_before: f64,
    pub residual_after: f64,
    /// `residual_before − residual_after`: the value used to rank action items.
    pub reduction: f64,
    /// Action Priority counts over every FMEA row of the project (revised ratings where given), before and
    /// after.
    pub ap_before: ApCounts,
    pub ap_after: ApCounts,
}

impl Project {
    /// The action item with this id.
    pub fn action(&self, id: ActionId) -> Option<&ActionItem> {
        self.action_items.iter().find(|a| a.id == id)
    }

    /// A clone of the project with the effect applied, and the tree whose top event the effect acts on (for
    /// revised S/O/D: the tree of the basic event the row is linked to, else the first tree; `None` without
    /// trees).
    pub fn apply_effect(&self, effect: &Effect) -> Result<(Project, Option<TreeId>), ActionError> {
        let mut p = self.clone();
        let tree = match effect {
            Effect::NewLayer { set, layer } => {
                check_unit(layer.effectiveness)?;
                let s = p.layer_sets.iter_mut().find(|s| s.id == *set).ok_or(ActionError::NoLayerSet(set.0))?;
                let mut layer = layer.clone();
                if s.layer(layer.id).is_some() {
                    layer.id = s.fresh_layer_id();
                }
                s.layers.push(layer);
                Some(s.tree)
            }
            Effect::StrengthenLayer { set, layer, effectiveness } => {
                check_unit(*effectiveness)?;
                let s = p.layer_sets.iter_mut().find(|s| s.id == *set).ok_or(ActionError::NoLayerSet(set.0))?;
                let name = s.name.clone();
                let l = s.layers.iter_mut().find(|l| l.id == *layer).ok_or(ActionError::NoLayer { set: name, layer: layer.0 })?;
                l.effectiveness = *effectiveness;
                Some(s.tree)
            }
            Effect::EventProbability { event, p: q } => {
                check_unit(*q)?;
                let no_event = ActionError::NoEvent { tree: event.tree.0, element: event.element.0 };
                let t = p.fault_trees.iter_mut().find(|t| t.id == event.tree).ok_or(no_event.clone())?;
                match t.element_mut(event.element).map(|e| &mut e.kind) {
                    Some(ElementKind::BasicEvent { probability }) | Some(ElementKind::UndevelopedEvent { probability }) => {
                        *probability = Probability::Fixed { p: *q };
                    }
                    _ => return Err(no_event),
                }
                Some(event.tree)
            }
            Effect::RevisedSod { row, severity, occurrence, detection } => {
                let no_row = ActionError::NoFmeaRow { sheet: row.sheet, row: row.row };
                let sheet = p.fmea.iter_mut().find(|w| w.id == WorksheetId(row.sheet)).ok_or(no_row.clone())?;
                let r = sheet.rows.iter_mut().find(|r| r.id == RowId(row.row)).ok_or(no_row)?;
                let bad = |e: crate::fmea::RatingError| ActionError::BadRating { sheet: row.sheet, row: row.row, message: e.to_string() };
                r.revised_severity = Some(Rating::severity(*severity as i64).map_err(bad)?);
                r.revised_occurrence = Some(Rating::occurrence(*occurrence as i64).map_err(bad)?);
                r.revised_detection = Some(Rating::detection(*detection as i64).map_err(bad)?);
                r.event.map(|e| e.tree).or(p.fault_trees.first().map(|t| t.id))
            }
        };
        Ok((p, tree))
    }

    /// Action Priority counts over every FMEA row, with the revised ratings where a row has them.
    pub fn ap_counts_now(&self) -> ApCounts {
        let mut c = ApCounts::default();
        for r in self.fmea.iter().flat_map(|w| &w.rows) {
            let (s, o, d) = r.revised_ratings();
            match action_priority(s, o, d) {
                Ap::High => c.high += 1,
                Ap::Medium => c.medium += 1,
                Ap::Low => c.low += 1,
            }
        }
        c
    }

    /// The exact P(top) and the residual top figure of a tree under all its layer sets.
    fn risk_figures(&self, tree: TreeId) -> Result<(String, f64, f64), ActionError> {
        let (_, a) = self
            .analyze_tree(tree, &Options { max_cut_sets: 0, ..Options::default() })
            .map_err(|p| ActionError::Analysis(p.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; ")))?;
        let layers = self.layers_of_tree(tree);
        let la = self.analyze_layers(tree, &layers).map_err(|e| ActionError::Analysis(e.to_string()))?;
        Ok((a.top, a.probability.best(), la.residual_rare_event))
    }

    /// The risk reduction of one action item's effect: applies it to a clone and compares P(top) and the
    /// residual top figure before and after. `Ok(None)` when the item states no effect.
    /// Cost: two full analyses of the affected tree.
    pub fn risk_reduction(&self, id: ActionId) -> Result<Option<RiskReduction>, ActionError> {
        let item = self.action(id).ok_or(ActionError::NoAction(id.0))?;
        let Some(effect) = &item.effect else { return Ok(None) };
        let (after, tree) = self.apply_effect(effect)?;
        let (top, p_top_before, residual_before, p_top_after, residual_after) = match tree {
            Some(tree) => {
                let (top, p0, r0) = self.risk_figures(tree)?;
                let (_, p1, r1) = after.risk_figures(tree)?;
                (top, p0, r0, p1, r1)
            }
            None => (String::new(), 0.0, 0.0, 0.0, 0.0),
        };
        Ok(Some(RiskReduction {
            action: id,
            tree,
            top,
            p_top_before,
            p_top_after,
            residual_before,
            residual_after,
            reduction: residual_before - residual_after,
            ap_before: self.ap_counts_now(),
            ap_after: after.ap_counts_now(),
        }))
    }

    /// Every action item with a modelled effect, ranked by the risk reduction it buys (largest first, ties by
    /// priority then id). Items whose effect cannot be evaluated are returned after, with the reason.
    pub fn rank_actions(&self) -> (Vec<RiskReduction>, Vec<(ActionId, ActionError)>) {
        let mut ranked = Vec::new();
        let mut failed = Vec::new();
        for a in &self.action_items {
            match self.risk_reduction(a.id) {
                Ok(Some(r)) => ranked.push((a.priority, r)),
                Ok(None) => {}
                Err(e) => failed.push((a.id, e)),
            }
        }
        ranked.sort_by(|(pa, a), (pb, b)| b.reduction.total_cmp(&a.reduction).then(pa.cmp(pb)).then(a.action.cmp(&b.action)));
        (ranked.into_iter().map(|(_, r)| r).collect(), failed)
    }
}

fn check_unit(x: f64) -> Result<(), ActionError> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(ActionError::OutOfRange(x))
    }
}
