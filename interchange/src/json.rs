//! The native JSON form of a project or a single fault tree.
//!
//! The JSON form is serde's form of [`Project`] (with its `format` version, [`FORMAT_VERSION`]) or of one
//! [`FaultTree`]. Writing then reading gives back an equal value.

use faultline_models::fault_tree::FaultTree;
use faultline_models::project::{Project, FORMAT_VERSION};
use std::fmt;

/// Why a JSON text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// 1-based line of the problem, when it has a place.
    pub line: Option<usize>,
    /// 1-based column of the problem, when it has a place.
    pub column: Option<usize>,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for JsonError {}

impl From<serde_json::Error> for JsonError {
    fn from(e: serde_json::Error) -> Self {
        // serde_json's message ends with " at line L column C"; keep only the what.
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) if e.line() > 0 => full[..i].to_string(),
            _ => full,
        };
        let placed = e.line() > 0;
        JsonError { line: placed.then_some(e.line()), column: placed.then_some(e.column()), message }
    }
}

/// Reads a project, or a single fault tree (wrapped into a new project named after it).
///
/// A project is recognised by its `fault_trees` or `format` field, a fault tree by its `elements` field. A project
/// written by a newer Faultline (a `format` above [`FORMAT_VERSION`]) is refused with a message saying so.
/// Errors give the line and column (from serde_json) and what was wrong. Complexity: O(n) in the text length.
pub fn read(text: &str) -> Result<Project, JsonError> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    let Some(obj) = value.as_object() else {
        return Err(JsonError {
            line: Some(1),
            column: Some(1),
            message: "expected a JSON object (a Faultline project or fault tree)".into(),
        });
    };
    if let Some(f) = obj.get("format") {
        match f.as_u64() {
            Some(v) if v > u64::from(FORMAT_VERSION) => {
                return Err(JsonError {
                    line: None,
                    column: None,
                    message: format!(
                        "this project is in format {v}, written by a newer Faultline; this build reads formats up to {FORMAT_VERSION}"
                    ),
                })
            }
            Some(_) => {}
            None => {
                return Err(JsonError {
                    line: None,
                    column: None,
                    message: format!("\"format\" must be a whole number, not {f}"),
                })
            }
        }
    }
    let is_tree = obj.contains_key("elements") && !obj.contains_key("fault_trees") && !obj.contains_key("format");
    if is_tree {
        // Deserialise from the text (not the value) so errors keep their line and column.
        let tree: FaultTree = serde_json::from_str(text)?;
        let mut project = Project::new(tree.name.clone());
        project.fault_trees.push(tree);
        Ok(project)
    } else {
        Ok(serde_json::from_str(text)?)
    }
}

/// Writes a project as pretty-printed JSON. `format` is written as it is in `project` (a project made with
/// [`Project::new`] has the current [`FORMAT_VERSION`]). Complexity: O(size of the project).
pub fn write_project(project: &Project) -> String {
    serde_json::to_string_pretty(project).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Writes one fault tree as pretty-printed JSON (readable back with [`read`]). Complexity: O(size of the tree).
pub fn write_tree(tree: &FaultTree) -> String {
    serde_json::to_string_pretty(tree).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
