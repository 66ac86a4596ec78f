//! What the desktop shell and its UI exchange, as plain data: one definition that the storage session
//! (`faultline_store::session`), the shell's commands and the wasm UI all use, so the two sides of `invoke`
//! cannot drift apart.

use crate::fault_tree::{ElementId, TreeId};
use crate::ops::Applied;
use crate::project::{Project, TreeReport};
use serde::{Deserialize, Serialize};

/// Everything the UI shows about the open project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    /// The project file's absolute path.
    pub path: String,
    /// `Some(reason)` when the file is open read-only (another window writes it).
    pub read_only: Option<String>,
    /// The backup written when opening migrated an older file.
    pub backup: Option<String>,
    pub project: Project,
    pub undo_depth: usize,
    pub redo_depth: usize,
    /// Most recent first; the open file included.
    pub recent: Vec<String>,
    /// Snapshot names, oldest first.
    pub snapshots: Vec<String>,
}

/// An applied edit and the state after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditOutcome {
    pub applied: Applied,
    pub view: ProjectView,
}

/// What undo and redo answer: the label of the step (`None` when there was nothing to do) and the new state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepOutcome {
    pub label: Option<String>,
    pub view: ProjectView,
}

/// A tree's validation problems and analysis, and how long the backend took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimedReport {
    pub report: TreeReport,
    pub elapsed_ms: f64,
}

/// What the File menu exports (`faultline_interchange::files::export` writes the bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Export {
    /// One fault tree (and the trees its transfers reach) as Open-PSA MEF XML.
    Mef { tree: TreeId },
    /// The whole project as native JSON (lossless).
    ProjectJson,
    /// The risk register of every FMEA worksheet, as CSV.
    RiskRegisterCsv,
    /// The risk register as an Excel workbook.
    RiskRegisterXlsx,
    /// The picture of one fault tree as SVG, as the editor shows it: with its collapsed gates and the events
    /// of a highlighted cut set (by name).
    TreeSvg {
        tree: TreeId,
        #[serde(default)]
        collapsed: Vec<ElementId>,
        #[serde(default)]
        highlight: Vec<String>,
    },
    /// The same picture as PNG.
    TreePng {
        tree: TreeId,
        #[serde(default)]
        collapsed: Vec<ElementId>,
        #[serde(default)]
        highlight: Vec<String>,
    },
}

impl Export {
    /// The usual file extension, without the dot (for save dialogs).
    pub fn extension(&self) -> &'static str {
        match self {
            Export::Mef { .. } => "xml",
            Export::ProjectJson => "json",
            Export::RiskRegisterCsv => "csv",
            Export::RiskRegisterXlsx => "xlsx",
            Export::TreeSvg { .. } => "svg",
            Export::TreePng { .. } => "png",
        }
    }
}

/// What a native file dialog is for (the shell's `pick_files` command).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogPurpose {
    /// Pick an existing project file.
    OpenProject,
    /// Pick a new project file name.
    NewProject,
    /// Pick MEF XML files.
    ImportMef,
    /// Pick where to save a file with this extension.
    Save { extension: String, default_name: String },
}

/// How many cut sets the app's analyses list (the most probable): the shell's default, and what the UI asks
/// for when it sends options of its own.
pub const LISTED_CUT_SETS: usize = 200;
