//! The whole UI state as a pure reducer: [`State`] + [`Action`] -> [`State`].
//!
//! Components never mutate state: they dispatch an [`Action`] and re-render from the new [`State`].
//! Nothing here touches the DOM or the backend, so every transition is unit-tested natively.

use crate::api::{ApiError, AppInfo, EditOutcome, ProjectView, StepOutcome, TimedReport};
use faultline_models::fault_tree::{Element, ElementId, ElementKind, FaultTree, TreeId};
use faultline_models::ops::{Clip, DocKind};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::Reducible;

/// The kinds of model a project holds, in the navigator's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModelKind {
    FaultTrees,
    FmeaWorksheets,
    Fishbones,
    DefenceLayers,
    Postmortems,
    ActionItems,
}

impl ModelKind {
    /// Every kind, in the navigator's order.
    pub const ALL: [ModelKind; 6] = [
        ModelKind::FaultTrees,
        ModelKind::FmeaWorksheets,
        ModelKind::Fishbones,
        ModelKind::DefenceLayers,
        ModelKind::Postmortems,
        ModelKind::ActionItems,
    ];

    /// The position of this kind in [`ModelKind::ALL`].
    pub fn index(self) -> usize {
        ModelKind::ALL.iter().position(|k| *k == self).expect("ALL lists every kind")
    }

    /// The navigator label (glossary words).
    pub fn label(self) -> &'static str {
        match self {
            ModelKind::FaultTrees => "Fault trees",
            ModelKind::FmeaWorksheets => "FMEA worksheets",
            ModelKind::Fishbones => "Fishbones",
            ModelKind::DefenceLayers => "Defence layers",
            ModelKind::Postmortems => "Postmortems",
            ModelKind::ActionItems => "Action items",
        }
    }

    /// A stable id for DOM attributes and tests (`fault-trees`, ...).
    pub fn slug(self) -> &'static str {
        match self {
            ModelKind::FaultTrees => "fault-trees",
            ModelKind::FmeaWorksheets => "fmea-worksheets",
            ModelKind::Fishbones => "fishbones",
            ModelKind::DefenceLayers => "defence-layers",
            ModelKind::Postmortems => "postmortems",
            ModelKind::ActionItems => "action-items",
        }
    }

    /// What the centre area says when the project has none of this kind.
    pub fn empty_hint(self) -> &'static str {
        match self {
            ModelKind::FaultTrees => {
                "No fault trees yet. A fault tree starts from a top event and breaks it down through gates into basic events."
            }
            ModelKind::FmeaWorksheets => {
                "No FMEA worksheets yet. A worksheet lists failure modes with their effects, causes and controls, rated by severity, occurrence and detection."
            }
            ModelKind::Fishbones => {
                "No fishbones yet. A fishbone puts an effect at its head and groups the possible causes into categories."
            }
            ModelKind::DefenceLayers => {
                "No defence layers yet. Defence layers are the barriers in front of a fault tree; each one intercepts some cut sets."
            }
            ModelKind::Postmortems => {
                "No postmortems yet. A postmortem is a blameless review of an incident: timeline, root causes and lessons."
            }
            ModelKind::ActionItems => {
                "No action items yet. Action items come out of postmortems and analyses, each with an owner and a due date."
            }
        }
    }
}

/// The document kind of the editing ops for a navigator kind.
pub fn doc_kind(kind: ModelKind) -> Option<DocKind> {
    Some(match kind {
        ModelKind::FaultTrees => DocKind::FaultTree,
        ModelKind::FmeaWorksheets => DocKind::FmeaWorksheet,
        ModelKind::Fishbones => DocKind::Fishbone,
        ModelKind::DefenceLayers => DocKind::LayerSet,
        ModelKind::Postmortems => DocKind::Postmortem,
        ModelKind::ActionItems => DocKind::ActionItem,
    })
}

/// Where the conversation with the backend stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Backend {
    /// The first call has not answered yet.
    Connecting,
    /// The backend answered `app_info`.
    Ready(AppInfo),
    /// The backend call failed; the error is shown in the status bar.
    Failed(ApiError),
}

/// Whether the project on disk matches what the UI shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    /// Everything is on disk.
    Saved,
    /// A save is in flight.
    Saving,
}

impl SaveStatus {
    /// The status bar's word for it.
    pub fn label(self) -> &'static str {
        match self {
            SaveStatus::Saved => "Saved",
            SaveStatus::Saving => "Saving…",
        }
    }
}

/// The selected node of the open fault tree: the element, and the gate it sits under at the place it was
/// clicked (a shared event has one place per use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeSelection {
    pub element: ElementId,
    pub parent: Option<ElementId>,
}

/// A message for the user: the outcome of an action or the error that stopped it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// The smallest and largest workshop zoom (text and symbols scale together).
pub const ZOOM_RANGE: (f64, f64) = (0.8, 2.0);

/// The whole UI state.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub backend: Backend,
    /// The kind selected in the navigator (what the centre area shows).
    pub selected: ModelKind,
    /// The open project, once the backend answered.
    pub view: Option<Rc<ProjectView>>,
    /// Bumped whenever `view` changes, so effects (the live analysis) can follow it cheaply.
    pub revision: u64,
    /// The fault tree open in the editor.
    pub open_tree: Option<TreeId>,
    /// The document of another kind open in the centre area (its id).
    pub open_doc: Option<u32>,
    pub selection: Option<NodeSelection>,
    /// Collapsed gates, per tree.
    pub collapsed: BTreeMap<TreeId, BTreeSet<ElementId>>,
    /// The latest analysis of the open tree, and the revision it was asked for.
    pub report: Option<(u64, Rc<TimedReport>)>,
    /// Trees analysed by their cut sets up to this order, because their BDD is too large for the app (set
    /// from the results drawer, for this session).
    pub limit_orders: BTreeMap<TreeId, usize>,
    /// The revision an analysis is running for, if one is.
    pub analysing: Option<u64>,
    /// The highlighted cut set: an index into the report's cut sets.
    pub highlight: Option<usize>,
    /// The subtree copied or cut last.
    pub clipboard: Option<Clip>,
    /// The "workshop" zoom for projectors: 1.0 is normal.
    pub zoom: f64,
    /// Whether the bottom results drawer is open.
    pub drawer_open: bool,
    pub save: SaveStatus,
    pub notice: Option<Notice>,
}

impl Default for State {
    fn default() -> Self {
        State {
            backend: Backend::Connecting,
            selected: ModelKind::FaultTrees,
            view: None,
            revision: 0,
            open_tree: None,
            open_doc: None,
            selection: None,
            collapsed: BTreeMap::new(),
            limit_orders: BTreeMap::new(),
            report: None,
            analysing: None,
            highlight: None,
            clipboard: None,
            zoom: 1.0,
            drawer_open: true,
            save: SaveStatus::Saved,
            notice: None,
        }
    }
}

/// Everything that can happen to the UI state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// `app_info` answered.
    BackendAnswered(AppInfo),
    /// `app_info` failed.
    BackendFailed(ApiError),
    /// A project was opened (start, New, Open, Save As, import).
    Loaded(ProjectView),
    /// An edit was applied and saved.
    Edited(EditOutcome),
    /// Undo or redo answered.
    Stepped { undo: bool, outcome: StepOutcome },
    /// The user picked a kind in the navigator.
    Select(ModelKind),
    /// The user opened a fault tree.
    OpenTree(TreeId),
    /// The user opened a document of another kind.
    OpenDoc(ModelKind, u32),
    /// The user selected a node (or clicked the background: `None`).
    SelectNode(Option<NodeSelection>),
    /// Collapse or expand the subtree under a gate of the open tree.
    ToggleCollapse(ElementId),
    /// Expand every gate of the open tree.
    ExpandAll,
    /// Analyse `tree` by its cut sets up to `order` (its BDD is too large), or exactly again (`None`).
    SetLimitOrder { tree: TreeId, order: Option<usize> },
    /// The live analysis for `revision` started.
    AnalysisStarted(u64),
    /// The live analysis for `revision` answered.
    Analysed { revision: u64, report: TimedReport },
    /// The live analysis for `revision` failed.
    AnalysisFailed { revision: u64, error: ApiError },
    /// Highlight a cut set (an index into the report's cut sets), or none.
    Highlight(Option<usize>),
    /// A subtree was copied.
    Copied(Clip),
    /// Workshop zoom: +1 larger, -1 smaller, 0 back to normal.
    Zoom(i32),
    /// The user opened or closed the results drawer.
    ToggleDrawer,
    /// A save started.
    SaveStarted,
    /// A backend call failed (the edit was not applied).
    Failed(ApiError),
    /// Show a message.
    Notify(String),
    /// Hide the message.
    DismissNotice,
}

impl State {
    /// The pure transition: the state after `action`.
    pub fn apply(mut self, action: Action) -> State {
        match action {
            Action::BackendAnswered(info) => self.backend = Backend::Ready(info),
            Action::BackendFailed(error) => self.backend = Backend::Failed(error),
            Action::Loaded(view) => {
                let same_file = self.view.as_ref().is_some_and(|v| v.path == view.path);
                self.set_view(view);
                if !same_file {
                    self.open_tree = None;
                    self.open_doc = None;
                    self.collapsed.clear();
                    self.clipboard = None;
                }
                self.keep_selection_valid();
                if self.open_tree.is_none() && self.selected == ModelKind::FaultTrees {
                    self.open_tree = self.first_tree();
                }
            }
            Action::Edited(outcome) => {
                let applied = outcome.applied;
                self.set_view(outcome.view);
                if let Some(tree) = applied.tree {
                    if self.tree(tree).is_some() && self.open_tree != Some(tree) {
                        self.selected = ModelKind::FaultTrees;
                        self.open_tree = Some(tree);
                        self.selection = None;
                    }
                }
                if let (Some(element), Some(_)) = (applied.element, applied.tree) {
                    let parent = self.selection.map(|s| s.element).filter(|p| self.is_parent(*p, element));
                    self.selection = Some(NodeSelection { element, parent });
                }
                if let (None, Some(doc)) = (applied.tree, applied.document) {
                    // A created or renamed document opens; a deleted one does not.
                    if self.documents(self.selected).iter().any(|(d, _)| *d == doc) {
                        self.open_doc = Some(doc);
                    }
                }
                self.keep_selection_valid();
                self.notice = None;
            }
            Action::Stepped { undo, outcome } => {
                self.set_view(outcome.view);
                self.keep_selection_valid();
                self.notice = Some(Notice {
                    error: false,
                    text: match (undo, outcome.label) {
                        (true, Some(l)) => format!("Undone: {l}"),
                        (false, Some(l)) => format!("Redone: {l}"),
                        (true, None) => "Nothing to undo".into(),
                        (false, None) => "Nothing to redo".into(),
                    },
                });
            }
            Action::Select(kind) => {
                if self.selected != kind {
                    self.open_doc = None;
                }
                self.selected = kind;
                if kind == ModelKind::FaultTrees && self.open_tree.is_none() {
                    self.open_tree = self.first_tree();
                }
            }
            Action::OpenTree(tree) => {
                if self.open_tree != Some(tree) {
                    self.selection = None;
                    self.highlight = None;
                    self.report = None;
                }
                self.selected = ModelKind::FaultTrees;
                self.open_tree = Some(tree);
            }
            Action::OpenDoc(kind, id) => {
                self.selected = kind;
                self.open_doc = Some(id);
            }
            Action::SelectNode(selection) => self.selection = selection,
            Action::ToggleCollapse(gate) => {
                if let Some(tree) = self.open_tree {
                    let set = self.collapsed.entry(tree).or_default();
                    if !set.remove(&gate) {
                        set.insert(gate);
                    }
                }
            }
            Action::ExpandAll => {
                if let Some(tree) = self.open_tree {
                    self.collapsed.remove(&tree);
                }
            }
            Action::SetLimitOrder { tree, order } => {
                match order {
                    Some(k) => self.limit_orders.insert(tree, k),
                    None => self.limit_orders.remove(&tree),
                };
            }
            Action::AnalysisStarted(revision) => self.analysing = Some(revision),
            Action::Analysed { revision, report } => {
                // An older answer arriving after a newer one is dropped.
                if self.report.as_ref().is_none_or(|(r, _)| *r <= revision) {
                    let same_tree = self.report.as_ref().is_some_and(|(_, old)| old.report.tree == report.report.tree);
                    if !same_tree {
                        self.highlight = None;
                    }
                    let cut_sets = report.report.analysis.as_ref().map_or(0, |a| a.cut_sets.len());
                    if self.highlight.is_some_and(|h| h >= cut_sets) {
                        self.highlight = None;
                    }
                    self.report = Some((revision, Rc::new(report)));
                }
                if self.analysing == Some(revision) {
                    self.analysing = None;
                }
            }
            Action::AnalysisFailed { revision, error } => {
                if self.analysing == Some(revision) {
                    self.analysing = None;
                }
                // A request superseded by a newer one is not a failure: the newer one answers.
                if error.kind != "superseded" {
                    self.notice = Some(Notice { error: true, text: format!("Analysis failed: {}", error.message) });
                }
            }
            Action::Highlight(index) => self.highlight = index,
            Action::Copied(clip) => {
                self.notice = Some(Notice { error: false, text: format!("Copied {} elements", clip.elements.len()) });
                self.clipboard = Some(clip);
            }
            Action::Zoom(step) => {
                self.zoom = match step {
                    0 => 1.0,
                    s => ((self.zoom + 0.1 * s as f64) * 10.0).round() / 10.0,
                }
                .clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
            }
            Action::ToggleDrawer => self.drawer_open = !self.drawer_open,
            Action::SaveStarted => self.save = SaveStatus::Saving,
            Action::Failed(error) => {
                self.save = SaveStatus::Saved;
                self.notice = Some(Notice { error: true, text: error.message });
            }
            Action::Notify(text) => self.notice = Some(Notice { error: false, text }),
            Action::DismissNotice => self.notice = None,
        }
        self
    }

    fn set_view(&mut self, view: ProjectView) {
        self.view = Some(Rc::new(view));
        self.revision += 1;
        self.save = SaveStatus::Saved;
        if let Some(t) = self.open_tree {
            if self.tree(t).is_none() {
                self.open_tree = self.first_tree();
                self.report = None;
                self.highlight = None;
            }
        }
        // A deleted document is no longer open.
        if let Some(id) = self.open_doc {
            if self.selected != ModelKind::FaultTrees && !self.documents(self.selected).iter().any(|(d, _)| *d == id) {
                self.open_doc = None;
            }
        }
    }

    fn first_tree(&self) -> Option<TreeId> {
        self.view.as_ref()?.project.fault_trees.first().map(|t| t.id)
    }

    fn is_parent(&self, parent: ElementId, child: ElementId) -> bool {
        self.open_fault_tree().and_then(|t| t.element(parent)).is_some_and(
            |e| matches!(&e.kind, ElementKind::Gate { args, .. } if args.contains(&child)),
        )
    }

    /// Drops the selection when its element (or the place it was selected at) no longer exists.
    fn keep_selection_valid(&mut self) {
        let Some(sel) = self.selection else { return };
        let exists = self.open_fault_tree().is_some_and(|t| t.element(sel.element).is_some());
        if !exists {
            self.selection = None;
        } else if let Some(p) = sel.parent {
            if !self.is_parent(p, sel.element) {
                self.selection = Some(NodeSelection { element: sel.element, parent: None });
            }
        }
    }

    /// The fault tree with this id in the open project.
    pub fn tree(&self, id: TreeId) -> Option<&FaultTree> {
        self.view.as_ref()?.project.tree(id)
    }

    /// The fault tree open in the editor.
    pub fn open_fault_tree(&self) -> Option<&FaultTree> {
        self.tree(self.open_tree?)
    }

    /// The selected element of the open tree.
    pub fn selected_element(&self) -> Option<&Element> {
        self.open_fault_tree()?.element(self.selection?.element)
    }

    /// The report of the open tree, when it is about that tree.
    pub fn open_report(&self) -> Option<&TimedReport> {
        let (_, report) = self.report.as_ref()?;
        (Some(report.report.tree) == self.open_tree).then_some(report.as_ref())
    }

    /// Whether the report shown is older than the project (an analysis is catching up).
    pub fn report_is_stale(&self) -> bool {
        self.report.as_ref().is_none_or(|(r, _)| *r != self.revision)
    }

    /// The limit order the open tree is analysed with, when it is analysed by its cut sets.
    pub fn open_limit_order(&self) -> Option<usize> {
        self.limit_orders.get(&self.open_tree?).copied()
    }

    /// The gates collapsed in the open tree.
    pub fn collapsed_in_open_tree(&self) -> BTreeSet<ElementId> {
        self.open_tree.and_then(|t| self.collapsed.get(&t)).cloned().unwrap_or_default()
    }

    /// `(id, name)` of every document of `kind` in the open project, in project order.
    pub fn documents(&self, kind: ModelKind) -> Vec<(u32, String)> {
        let Some(view) = &self.view else { return Vec::new() };
        let p = &view.project;
        match kind {
            ModelKind::FaultTrees => p.fault_trees.iter().map(|t| (t.id.0, t.name.clone())).collect(),
            ModelKind::FmeaWorksheets => p.fmea.iter().map(|w| (w.id.0, w.name.clone())).collect(),
            ModelKind::Fishbones => p.fishbones.iter().map(|f| (f.id.0, f.effect.clone())).collect(),
            ModelKind::DefenceLayers => p.layer_sets.iter().map(|l| (l.id.0, l.name.clone())).collect(),
            ModelKind::Postmortems => p.postmortems.iter().map(|m| (m.id.0, m.title.clone())).collect(),
            ModelKind::ActionItems => p.action_items.iter().map(|a| (a.id.0, a.title.clone())).collect(),
        }
    }

    /// How many models of `kind` the project holds.
    pub fn count(&self, kind: ModelKind) -> usize {
        let Some(view) = &self.view else { return 0 };
        let p = &view.project;
        match kind {
            ModelKind::FaultTrees => p.fault_trees.len(),
            ModelKind::FmeaWorksheets => p.fmea.len(),
            ModelKind::Fishbones => p.fishbones.len(),
            ModelKind::DefenceLayers => p.layer_sets.len(),
            ModelKind::Postmortems => p.postmortems.len(),
            ModelKind::ActionItems => p.action_items.len(),
        }
    }

    /// Every count, indexed by [`ModelKind::index`].
    pub fn counts(&self) -> [usize; 6] {
        ModelKind::ALL.map(|k| self.count(k))
    }

    /// The open project's path, once it is open (else the start path `app_info` reported).
    pub fn project_path(&self) -> Option<&str> {
        if let Some(view) = &self.view {
            return Some(&view.path);
        }
        match &self.backend {
            Backend::Ready(info) => Some(&info.project_path),
            _ => None,
        }
    }

    /// Whether the open project can be edited.
    pub fn editable(&self) -> bool {
        self.view.as_ref().is_some_and(|v| v.read_only.is_none())
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faultline_models::fault_tree::GateKind;
    use faultline_models::ops::{self, Applied, NewElement, Op};
    use faultline_models::project::{Project, TreeReport};

    fn info() -> AppInfo {
        AppInfo { version: "0.1.0".into(), project_path: "/data/default.faultline".into(), data_dir: "/data".into() }
    }

    fn view_of(project: Project) -> ProjectView {
        ProjectView {
            path: "/data/default.faultline".into(),
            read_only: None,
            backup: None,
            project,
            undo_depth: 0,
            redo_depth: 0,
            recent: vec![],
            snapshots: vec![],
        }
    }

    fn samples() -> ProjectView {
        view_of(faultline_models::samples::default_project())
    }

    /// Applies `op` to the state's project the way the backend would, and answers `Edited`.
    fn edit(s: State, op: Op) -> (State, Applied) {
        let mut project = s.view.as_ref().unwrap().project.clone();
        let applied = ops::apply(&mut project, &op).unwrap();
        let mut view = view_of(project);
        view.undo_depth = s.view.as_ref().unwrap().undo_depth + 1;
        (s.apply(Action::Edited(EditOutcome { applied: applied.clone(), view })), applied)
    }

    fn report(s: &State) -> TimedReport {
        let p = &s.view.as_ref().unwrap().project;
        TimedReport { report: p.report_tree(s.open_tree.unwrap(), &Default::default()).unwrap(), elapsed_ms: 1.0 }
    }

    #[test]
    fn starts_connecting_on_fault_trees_with_the_drawer_open() {
        let s = State::default();
        assert_eq!(s.backend, Backend::Connecting);
        assert_eq!(s.selected, ModelKind::FaultTrees);
        assert!(s.drawer_open);
        assert_eq!(s.project_path(), None);
        assert!(ModelKind::ALL.iter().all(|k| s.count(*k) == 0));
        assert!(!s.editable());
    }

    #[test]
    fn backend_answer_then_project_sets_the_path_counts_and_opens_the_first_tree() {
        let s = State::default().apply(Action::BackendAnswered(info()));
        assert_eq!(s.project_path(), Some("/data/default.faultline"));
        let s = s.apply(Action::Loaded(samples()));
        assert_eq!(s.count(ModelKind::FaultTrees), 10);
        assert_eq!(s.open_tree, Some(s.view.as_ref().unwrap().project.fault_trees[0].id));
        assert!(s.editable());
        assert_eq!(s.revision, 1);
    }

    #[test]
    fn backend_failure_is_kept_for_display() {
        let error = ApiError { kind: "data_dir".into(), message: "no home".into() };
        let s = State::default().apply(Action::BackendFailed(error.clone()));
        assert_eq!(s.backend, Backend::Failed(error));
    }

    #[test]
    fn adding_a_child_selects_it_under_its_parent_and_bumps_the_revision() {
        let s = State::default().apply(Action::Loaded(samples()));
        let tree = s.open_tree.unwrap();
        let top = s.open_fault_tree().unwrap().top.unwrap();
        let s = s.apply(Action::SelectNode(Some(NodeSelection { element: top, parent: None })));
        let (s, applied) = edit(s, Op::AddChild { tree, parent: top, new: NewElement::Gate { gate: GateKind::And } });
        assert_eq!(s.selection, Some(NodeSelection { element: applied.element.unwrap(), parent: Some(top) }));
        assert_eq!(s.revision, 2);
        assert!(s.report_is_stale());
    }

    #[test]
    fn a_selection_whose_element_disappears_is_dropped() {
        let s = State::default().apply(Action::Loaded(samples()));
        let tree = s.open_tree.unwrap();
        let top = s.open_fault_tree().unwrap().top.unwrap();
        let (s, applied) = edit(s, Op::AddChild { tree, parent: top, new: NewElement::Basic { p: 0.1 } });
        assert!(s.selection.is_some());
        // Undo answers with the project as it was: the new element is gone.
        let outcome = StepOutcome { label: Some(applied.label.clone()), view: samples() };
        let s = s.apply(Action::Stepped { undo: true, outcome });
        assert_eq!(s.selection, None);
        assert_eq!(s.notice.as_ref().unwrap().text, format!("Undone: {}", applied.label));
    }

    #[test]
    fn a_late_analysis_answer_does_not_replace_a_newer_one() {
        let s = State::default().apply(Action::Loaded(samples()));
        let r = report(&s);
        let s = s.apply(Action::AnalysisStarted(2)).apply(Action::Analysed { revision: 2, report: r.clone() });
        assert_eq!(s.report.as_ref().unwrap().0, 2);
        let mut old = r.clone();
        old.elapsed_ms = 99.0;
        let s = s.apply(Action::Analysed { revision: 1, report: old });
        assert_eq!(s.report.as_ref().unwrap().0, 2);
        assert_eq!(s.report.as_ref().unwrap().1.elapsed_ms, 1.0);
        assert_eq!(s.analysing, None);
    }

    #[test]
    fn a_tree_can_be_analysed_by_its_cut_sets_and_exactly_again() {
        let s = State::default().apply(Action::Loaded(samples()));
        let tree = s.open_tree.unwrap();
        assert_eq!(s.open_limit_order(), None);
        let s = s.apply(Action::SetLimitOrder { tree, order: Some(6) });
        assert_eq!(s.open_limit_order(), Some(6));
        // The order belongs to its tree: another open tree is analysed exactly.
        let other = s.view.as_ref().unwrap().project.fault_trees[1].id;
        let s = s.apply(Action::OpenTree(other));
        assert_eq!(s.open_limit_order(), None);
        let s = s.apply(Action::OpenTree(tree));
        assert_eq!(s.open_limit_order(), Some(6));
        let s = s.apply(Action::SetLimitOrder { tree, order: None });
        assert_eq!(s.open_limit_order(), None);
    }

    #[test]
    fn a_superseded_analysis_is_silent_and_keeps_the_newer_one_running() {
        let s = State::default().apply(Action::AnalysisStarted(1)).apply(Action::AnalysisStarted(2));
        let superseded = ApiError { kind: "superseded".into(), message: "a newer analysis was requested".into() };
        let s = s.apply(Action::AnalysisFailed { revision: 1, error: superseded });
        assert_eq!(s.notice, None);
        assert_eq!(s.analysing, Some(2));
        let failed = ApiError { kind: "internal".into(), message: "worker died".into() };
        let s = s.apply(Action::AnalysisFailed { revision: 2, error: failed });
        assert_eq!(s.analysing, None);
        assert!(s.notice.unwrap().text.contains("worker died"));
    }

    #[test]
    fn the_report_belongs_to_its_tree_and_a_highlight_is_dropped_when_it_no_longer_fits() {
        let s = State::default().apply(Action::Loaded(samples()));
        let r = report(&s);
        let s = s.apply(Action::Analysed { revision: 1, report: r.clone() }).apply(Action::Highlight(Some(0)));
        assert!(s.open_report().is_some());
        assert!(!s.report_is_stale());
        let other = s.view.as_ref().unwrap().project.fault_trees[1].id;
        let s = s.apply(Action::OpenTree(other));
        assert!(s.open_report().is_none());
        assert_eq!(s.highlight, None);
        let empty = TimedReport {
            report: TreeReport { tree: other, problems: vec![], analysis: None, stopped: None },
            elapsed_ms: 0.0,
        };
        let s = s.apply(Action::Highlight(Some(3))).apply(Action::Analysed { revision: 1, report: empty });
        assert_eq!(s.highlight, None);
    }

    #[test]
    fn collapse_toggles_per_tree_and_expand_all_clears() {
        let s = State::default().apply(Action::Loaded(samples()));
        let top = s.open_fault_tree().unwrap().top.unwrap();
        let s = s.apply(Action::ToggleCollapse(top));
        assert!(s.collapsed_in_open_tree().contains(&top));
        let s = s.apply(Action::ToggleCollapse(top));
        assert!(s.collapsed_in_open_tree().is_empty());
        let s = s.apply(Action::ToggleCollapse(top)).apply(Action::ExpandAll);
        assert!(s.collapsed_in_open_tree().is_empty());
    }

    #[test]
    fn workshop_zoom_steps_and_clamps() {
        let mut s = State::default();
        for _ in 0..30 {
            s = s.apply(Action::Zoom(1));
        }
        assert_eq!(s.zoom, ZOOM_RANGE.1);
        let s = s.apply(Action::Zoom(0)).apply(Action::Zoom(-1));
        assert!((s.zoom - 0.9).abs() < 1e-9);
    }

    #[test]
    fn a_failed_call_shows_its_message_and_clears_saving() {
        let s = State::default().apply(Action::SaveStarted);
        assert_eq!(s.save, SaveStatus::Saving);
        assert_eq!(s.save.label(), "Saving…");
        let s = s.apply(Action::Failed(ApiError { kind: "op".into(), message: "Top is the top event".into() }));
        assert_eq!(s.save, SaveStatus::Saved);
        assert_eq!(s.notice, Some(Notice { error: true, text: "Top is the top event".into() }));
        assert_eq!(s.apply(Action::DismissNotice).notice, None);
    }

    #[test]
    fn opening_another_file_forgets_the_open_tree_and_the_clipboard() {
        let s = State::default().apply(Action::Loaded(samples()));
        let tree = s.open_fault_tree().unwrap();
        let clip = ops::copy(tree, tree.top.unwrap()).unwrap();
        let s = s.apply(Action::Copied(clip));
        assert!(s.clipboard.is_some());
        let mut other = view_of(Project::new("empty"));
        other.path = "/elsewhere/new.faultline".into();
        let s = s.apply(Action::Loaded(other));
        assert_eq!(s.open_tree, None);
        assert!(s.clipboard.is_none());
        assert_eq!(s.count(ModelKind::FaultTrees), 0);
    }

    #[test]
    fn select_kind_and_open_documents() {
        let s = State::default().apply(Action::Loaded(samples())).apply(Action::OpenDoc(ModelKind::Postmortems, 7));
        assert_eq!(s.selected, ModelKind::Postmortems);
        assert_eq!(s.open_doc, Some(7));
        let s = s.apply(Action::Select(ModelKind::Fishbones));
        assert_eq!(s.open_doc, None);
    }

    #[test]
    fn a_deleted_document_is_no_longer_open() {
        let s = State::default().apply(Action::Loaded(samples()));
        let id = s.documents(ModelKind::Fishbones)[0].0;
        let s = s.apply(Action::OpenDoc(ModelKind::Fishbones, id));
        let (s, _) = edit(s, Op::DeleteDocument { kind: DocKind::Fishbone, id });
        assert_eq!(s.open_doc, None);
        assert_eq!(s.count(ModelKind::Fishbones), 9);
    }

    #[test]
    fn toggle_drawer_twice_restores_it() {
        let s = State::default().apply(Action::ToggleDrawer);
        assert!(!s.drawer_open);
        assert!(s.apply(Action::ToggleDrawer).drawer_open);
    }

    #[test]
    fn reduce_goes_through_apply() {
        let s = Rc::new(State::default());
        let next = s.clone().reduce(Action::ToggleDrawer);
        assert_eq!(*next, (*s).clone().apply(Action::ToggleDrawer));
    }

    #[test]
    fn kinds_have_distinct_labels_slugs_and_indices() {
        let labels: std::collections::HashSet<_> = ModelKind::ALL.iter().map(|k| k.label()).collect();
        let slugs: std::collections::HashSet<_> = ModelKind::ALL.iter().map(|k| k.slug()).collect();
        assert_eq!(labels.len(), 6);
        assert_eq!(slugs.len(), 6);
        for (i, kind) in ModelKind::ALL.iter().enumerate() {
            assert_eq!(kind.index(), i);
        }
    }
}
