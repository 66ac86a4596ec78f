//! What changed between two versions of a project (typically two named snapshots): which documents were
//! added, removed or changed, and how the key figures moved — per fault tree the minimal cut set count and
//! P(top), per FMEA worksheet the Action Priority counts.
//!
//! Pure: both projects are values; nothing is read or written.

use crate::analysis::Options;
use crate::edit::{EditError, Transaction};
use crate::fmea::{self, ApCounts};
use crate::project::Project;
use serde::Serialize;
use std::fmt;

/// How one document changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One added, removed or changed document (or changed project field, with no id).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentChange {
    /// The project field: `"fault_trees"`, `"fmea"`, ..., or a plain field such as `"name"`.
    pub kind: String,
    pub id: Option<u32>,
    /// The document's name (after the change, else before), when it has one.
    pub name: Option<String>,
    pub change: ChangeKind,
}

/// A fault tree's key figures, or why it could not be analysed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeFigures {
    Analysed {
        /// Number of minimal cut sets.
        cut_sets: u64,
        /// Exact P(top).
        p_top: f64,
    },
    /// The tree has validation errors (the first is given).
    Invalid(String),
}

/// A fault tree's figures before and after (`None` where the tree does not exist).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TreeDelta {
    pub id: u32,
    pub name: String,
    pub before: Option<TreeFigures>,
    pub after: Option<TreeFigures>,
}

/// An FMEA worksheet's Action Priority counts before and after (`None` where it does not exist).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorksheetDelta {
    pub id: u32,
    pub name: String,
    pub before: Option<ApCounts>,
    pub after: Option<ApCounts>,
}

/// The difference between two projects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectDiff {
    /// Every added, removed or changed document, by kind then position.
    pub documents: Vec<DocumentChange>,
    /// Every fault tree present on either side, in the order of `after` then the removed ones.
    pub fault_trees: Vec<TreeDelta>,
    /// Every FMEA worksheet present on either side (AP counts use each row's current ratings).
    pub fmea: Vec<WorksheetDelta>,
}

impl ProjectDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

fn figures(project: &Project, id: crate::fault_tree::TreeId, options: &Options) -> TreeFigures {
    match project.analyze_tree(id, options) {
        Ok((_, a)) => TreeFigures::Analysed { cut_sets: a.cut_set_count, p_top: a.probability.best() },
        Err(problems) => TreeFigures::Invalid(
            problems
                .iter()
                .find(|p| p.severity == crate::fault_tree::validate::Severity::Error)
                .map(|p| p.message.clone())
                .unwrap_or_else(|| "not analysable".into()),
        ),
    }
}

/// Compares two projects. Every fault tree on either side is analysed with `options`.
///
/// Complexity: the cost of analysing every tree twice, plus O(size of both projects' JSON).
pub fn diff(before: &Project, after: &Project, options: &Options) -> Result<ProjectDiff, EditError> {
    let tx = Transaction::between("diff", before, after)?;
    let mut documents: Vec<DocumentChange> = tx
        .changes
        .iter()
        .map(|c| DocumentChange {
            kind: c.kind.clone(),
            id: c.id,
            name: c.document_name().map(str::to_owned),
            change: match (&c.before, &c.after) {
                (None, _) => ChangeKind::Added,
                (_, None) => ChangeKind::Removed,
                _ => ChangeKind::Changed,
            },
        })
        .collect();
    documents.sort_by(|a, b| (&a.kind, a.id).cmp(&(&b.kind, b.id)));

    let mut fault_trees = Vec::new();
    let removed_trees = before.fault_trees.iter().filter(|t| after.tree(t.id).is_none());
    for t in after.fault_trees.iter().chain(removed_trees) {
        let b = before.tree(t.id).map(|_| figures(before, t.id, options));
        let a = after.tree(t.id).map(|_| figures(after, t.id, options));
        fault_trees.push(TreeDelta { id: t.id.0, name: t.name.clone(), before: b, after: a });
    }

    let counts = |p: &Project, id| p.fmea.iter().find(|w| w.id == id).map(|w| fmea::ap_counts(&w.rows).0);
    let mut worksheets = Vec::new();
    let removed_ws = before.fmea.iter().filter(|w| !after.fmea.iter().any(|x| x.id == w.id));
    for w in after.fmea.iter().chain(removed_ws) {
        worksheets.push(WorksheetDelta {
            id: w.id.0,
            name: w.name.clone(),
            before: counts(before, w.id),
            after: counts(after, w.id),
        });
    }
    Ok(ProjectDiff { documents, fault_trees, fmea: worksheets })
}

impl fmt::Display for TreeFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeFigures::Analysed { cut_sets, p_top } => write!(f, "{cut_sets} MCS, P(top) = {p_top:.4e}"),
            TreeFigures::Invalid(why) => write!(f, "not analysable ({why})"),
        }
    }
}

fn side<T: fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "(absent)".to_string(), |x| x.to_string())
}

struct Ap<'a>(&'a ApCounts);
impl fmt::Display for Ap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "H {} / M {} / L {}", self.0.high, self.0.medium, self.0.low)
    }
}

impl fmt::Display for ProjectDiff {
    /// A plain-text report: one line per changed document, then the figures that moved.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.documents.is_empty() {
            return writeln!(f, "No changes.");
        }
        writeln!(f, "Documents:")?;
        for d in &self.documents {
            let what = match d.change {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Changed => "changed",
            };
            let id = d.id.map(|i| format!(" #{i}")).unwrap_or_default();
            let name = d.name.as_ref().map(|n| format!(" {n:?}")).unwrap_or_default();
            writeln!(f, "  {what:8} {}{id}{name}", d.kind)?;
        }
        let moved: Vec<_> = self.fault_trees.iter().filter(|t| t.before != t.after).collect();
        if !moved.is_empty() {
            writeln!(f, "Fault trees (minimal cut sets, P(top)):")?;
            for t in moved {
                writeln!(f, "  {}: {} -> {}", t.name, side(&t.before), side(&t.after))?;
            }
        }
        let moved: Vec<_> = self.fmea.iter().filter(|w| w.before != w.after).collect();
        if !moved.is_empty() {
            writeln!(f, "FMEA worksheets (Action Priority counts):")?;
            for w in moved {
                writeln!(
                    f,
                    "  {}: {} -> {}",
                    w.name,
                    side(&w.before.as_ref().map(|c| Ap(c).to_string())),
                    side(&w.after.as_ref().map(|c| Ap(c).to_string()))
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault_tree::{FaultTree, GateKind, TreeId};
    use crate::fmea::{Rating, Row, Worksheet, WorksheetId};

    fn tree(id: u32, name: &str, p: f64) -> FaultTree {
        let mut t = FaultTree::new(TreeId(id), name);
        let a = t.add_basic("A", p);
        let b = t.add_basic("B", 0.1);
        let top = t.add_gate("Top", GateKind::Or, vec![a, b]);
        t.top = Some(top);
        t
    }

    #[test]
    fn reports_documents_and_moved_figures() {
        let before = Project { fault_trees: vec![tree(1, "Kept", 0.1), tree(2, "Gone", 0.1)], ..Project::new("P") };
        let mut after = before.clone();
        after.fault_trees.remove(1);
        after.fault_trees[0] = tree(1, "Kept", 0.5);
        after.fault_trees.push(tree(3, "New", 0.2));
        let d = diff(&before, &after, &Options::default()).unwrap();
        let docs: Vec<_> = d.documents.iter().map(|c| (c.id, c.name.as_deref(), c.change)).collect();
        assert_eq!(
            docs,
            [
                (Some(1), Some("Kept"), ChangeKind::Changed),
                (Some(2), Some("Gone"), ChangeKind::Removed),
                (Some(3), Some("New"), ChangeKind::Added)
            ]
        );
        let kept = &d.fault_trees[0];
        assert_eq!(kept.name, "Kept");
        // P(A or B) = 1 - (1 - pA)(1 - 0.1).
        let p = |pa: f64| 1.0 - (1.0 - pa) * 0.9;
        match (&kept.before, &kept.after) {
            (Some(TreeFigures::Analysed { cut_sets: 2, p_top: b }), Some(TreeFigures::Analysed { cut_sets: 2, p_top: a })) => {
                assert!((b - p(0.1)).abs() < 1e-12 && (a - p(0.5)).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
        let new = d.fault_trees.iter().find(|t| t.name == "New").unwrap();
        assert!(new.before.is_none() && new.after.is_some());
        let gone = d.fault_trees.iter().find(|t| t.name == "Gone").unwrap();
        assert!(gone.before.is_some() && gone.after.is_none());
        let text = d.to_string();
        assert!(text.contains("removed  fault_trees #2 \"Gone\""), "{text}");
        assert!(text.contains("Kept: 2 MCS"), "{text}");
        assert!(diff(&after, &after, &Options::default()).unwrap().is_empty());
    }

    #[test]
    fn reports_action_priority_counts_of_worksheets() {
        let r = |s, o, d| Row::new("mode", Rating::severity(s).unwrap(), Rating::occurrence(o).unwrap(), Rating::detection(d).unwrap());
        let mut ws = Worksheet::new(WorksheetId(7), "Checkout");
        ws.add_row(r(10, 10, 10));
        let before = Project { fmea: vec![ws.clone()], ..Project::new("P") };
        ws.add_row(r(1, 1, 1));
        let after = Project { fmea: vec![ws], ..Project::new("P") };
        let d = diff(&before, &after, &Options::default()).unwrap();
        let w = &d.fmea[0];
        assert_eq!(w.name, "Checkout");
        let (b, a) = (w.before.unwrap(), w.after.unwrap());
        assert_eq!((b.high, b.medium, b.low), (1, 0, 0));
        assert_eq!((a.high, a.medium, a.low), (1, 0, 1));
        assert!(d.to_string().contains("Checkout: H 1 / M 0 / L 0 -> H 1 / M 0 / L 1"), "{d}");
    }
}
