//! The project: every model of one project file, and the links between them.

use crate::analysis::{self, Analysis};
use crate::fault_tree::validate::{self, Problem, ValidTree, ValidateOptions};
use crate::fault_tree::{FaultTree, TreeId};
use serde::{Deserialize, Serialize};

/// The version of the project's JSON form. Bump it, and add a migration in storage, when the form changes.
pub const FORMAT_VERSION: u32 = 1;

/// What the editor shows about one fault tree: every validation problem and, when there are no errors, the
/// analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeReport {
    pub tree: TreeId,
    pub problems: Vec<Problem>,
    pub analysis: Option<Analysis>,
    /// Why there is no analysis although the tree has no errors (it needed more diagram nodes than allowed,
    /// or was cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<analysis::Stopped>,
}

/// Everything in one project file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// The JSON form's version, [`FORMAT_VERSION`] when written by this build.
    #[serde(default)]
    pub format: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub fault_trees: Vec<FaultTree>,
    /// FMEA worksheets.
    #[serde(default)]
    pub fmea: Vec<crate::fmea::Worksheet>,
    /// Fishbone (Ishikawa) diagrams.
    #[serde(default)]
    pub fishbones: Vec<crate::rca::fishbone::Fishbone>,
    /// Defence layers (Swiss cheese) in front of fault trees.
    #[serde(default)]
    pub layer_sets: Vec<crate::rca::layers::LayerSet>,
    /// Blameless postmortems.
    #[serde(default)]
    pub postmortems: Vec<crate::rca::postmortem::Postmortem>,
    /// Action items, from postmortems and analyses.
    #[serde(default)]
    pub action_items: Vec<crate::rca::actions::ActionItem>,
}

impl Project {
    /// An empty project.
    pub fn new(name: impl Into<String>) -> Self {
        Project { format: FORMAT_VERSION, name: name.into(), ..Default::default() }
    }

    /// The fault tree with this id.
    pub fn tree(&self, id: TreeId) -> Option<&FaultTree> {
        self.fault_trees.iter().find(|t| t.id == id)
    }

    /// The fault tree with this name.
    pub fn tree_by_name(&self, name: &str) -> Option<&FaultTree> {
        self.fault_trees.iter().find(|t| t.name == name)
    }

    /// Validates one fault tree of the project (transfers resolve against the other trees).
    /// `None` when no tree has this id.
    pub fn validate_tree(&self, id: TreeId, options: ValidateOptions) -> Option<validate::Validation> {
        Some(validate::validate(self.tree(id)?, &self.fault_trees, options))
    }

    /// Validates one fault tree and, when it has no errors, analyses it; warnings are kept beside the analysis.
    /// `None` when no tree has this id. Cannot fail otherwise. Complexity: that of validation plus
    /// [`analysis::analyze`].
    pub fn report_tree(&self, id: TreeId, options: &analysis::Options) -> Option<TreeReport> {
        self.report_tree_within(id, options, &analysis::Limits::default())
    }

    /// [`Project::report_tree`] within [`analysis::Limits`]: a tree that needs more BDD nodes than allowed
    /// gets a report without analysis that says so (`stopped`); a cancelled one too. Complexity: that of
    /// validation plus [`analysis::analyze_within`].
    pub fn report_tree_within(&self, id: TreeId, options: &analysis::Options, limits: &analysis::Limits) -> Option<TreeReport> {
        let validation = self.validate_tree(id, ValidateOptions::default())?;
        let problems = validation.problems.clone();
        let (analysis, stopped) = match validation.into_result().ok().map(|valid| analysis::analyze_within(&valid, options, limits)) {
            None => (None, None),
            Some(Ok(a)) => (Some(a), None),
            Some(Err(s)) => (None, Some(s)),
        };
        Some(TreeReport { tree: id, problems, analysis, stopped })
    }

    /// Validates and analyses one fault tree. `Err` holds every problem when the tree has errors
    /// (or is empty when no tree has this id).
    pub fn analyze_tree(&self, id: TreeId, options: &analysis::Options) -> Result<(ValidTree, Analysis), Vec<Problem>> {
        let valid = self.validate_tree(id, ValidateOptions::default()).ok_or_else(Vec::new)?.into_result()?;
        let result = analysis::analyze(&valid, options);
        Ok((valid, result))
    }
}
