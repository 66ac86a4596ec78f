//! The whole UI state as a pure reducer: [`State`] + [`Action`] -> [`State`].
//!
//! Components never mutate state: they dispatch an [`Action`] and re-render from the new [`State`].
//! Nothing here touches the DOM or the backend, so every transition is unit-tested natively.

use crate::api::{ApiError, AppInfo};
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

/// The whole UI state.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub backend: Backend,
    /// The kind selected in the navigator (what the centre area shows).
    pub selected: ModelKind,
    /// How many models of each kind the project holds, indexed by [`ModelKind::index`].
    pub counts: [usize; 6],
    /// Whether the bottom results drawer is open.
    pub drawer_open: bool,
    pub save: SaveStatus,
}

impl Default for State {
    fn default() -> Self {
        State {
            backend: Backend::Connecting,
            selected: ModelKind::FaultTrees,
            counts: [0; 6],
            drawer_open: true,
            save: SaveStatus::Saved,
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
    /// The user picked a kind in the navigator.
    Select(ModelKind),
    /// The project now holds `count` models of `kind`.
    Counted { kind: ModelKind, count: usize },
    /// The user opened or closed the results drawer.
    ToggleDrawer,
    /// A save started.
    SaveStarted,
    /// A save finished.
    SaveFinished,
}

impl State {
    /// The pure transition: the state after `action`.
    pub fn apply(mut self, action: Action) -> State {
        match action {
            Action::BackendAnswered(info) => self.backend = Backend::Ready(info),
            Action::BackendFailed(error) => self.backend = Backend::Failed(error),
            Action::Select(kind) => self.selected = kind,
            Action::Counted { kind, count } => self.counts[kind.index()] = count,
            Action::ToggleDrawer => self.drawer_open = !self.drawer_open,
            Action::SaveStarted => self.save = SaveStatus::Saving,
            Action::SaveFinished => self.save = SaveStatus::Saved,
        }
        self
    }

    /// How many models of `kind` the project holds.
    pub fn count(&self, kind: ModelKind) -> usize {
        self.counts[kind.index()]
    }

    /// The open project's path, once the backend answered.
    pub fn project_path(&self) -> Option<&str> {
        match &self.backend {
            Backend::Ready(info) => Some(&info.project_path),
            _ => None,
        }
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

    fn info() -> AppInfo {
        AppInfo {
            version: "0.1.0".into(),
            project_path: "/data/default.faultline".into(),
            data_dir: "/data".into(),
        }
    }

    #[test]
    fn starts_connecting_on_fault_trees_with_the_drawer_open() {
        let s = State::default();
        assert_eq!(s.backend, Backend::Connecting);
        assert_eq!(s.selected, ModelKind::FaultTrees);
        assert!(s.drawer_open);
        assert_eq!(s.project_path(), None);
        assert!(ModelKind::ALL.iter().all(|k| s.count(*k) == 0));
    }

    #[test]
    fn backend_answer_sets_the_project_path() {
        let s = State::default().apply(Action::BackendAnswered(info()));
        assert_eq!(s.project_path(), Some("/data/default.faultline"));
        assert_eq!(s.backend, Backend::Ready(info()));
    }

    #[test]
    fn backend_failure_is_kept_for_display() {
        let error = ApiError { kind: "data_dir".into(), message: "no home".into() };
        let s = State::default().apply(Action::BackendFailed(error.clone()));
        assert_eq!(s.backend, Backend::Failed(error));
        assert_eq!(s.project_path(), None);
    }

    #[test]
    fn select_and_count_touch_only_their_kind() {
        let s = State::default()
            .apply(Action::Select(ModelKind::Postmortems))
            .apply(Action::Counted { kind: ModelKind::Fishbones, count: 3 });
        assert_eq!(s.selected, ModelKind::Postmortems);
        assert_eq!(s.count(ModelKind::Fishbones), 3);
        for kind in ModelKind::ALL.into_iter().filter(|k| *k != ModelKind::Fishbones) {
            assert_eq!(s.count(kind), 0, "{kind:?}");
        }
    }

    #[test]
    fn toggle_drawer_twice_restores_it() {
        let s = State::default().apply(Action::ToggleDrawer);
        assert!(!s.drawer_open);
        assert!(s.apply(Action::ToggleDrawer).drawer_open);
    }

    #[test]
    fn save_status_follows_start_and_finish() {
        let s = State::default().apply(Action::SaveStarted);
        assert_eq!(s.save, SaveStatus::Saving);
        assert_eq!(s.save.label(), "Saving…");
        let s = s.apply(Action::SaveFinished);
        assert_eq!(s.save, SaveStatus::Saved);
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
