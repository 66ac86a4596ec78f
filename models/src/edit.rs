//! Invertible, document-level edits of a [`Project`] (in the spirit of helix's `Transaction`).
//!
//! A [`Transaction`] is a list of [`Change`]s, each replacing one *document* (an item of a top-level array of
//! the project whose items are objects with a numeric `"id"`: fault trees, FMEA worksheets, fishbones, ...)
//! or, for any other top-level field (the project's name), the whole field. Every change records the value
//! before and after, so [`Transaction::invert`] is exact and cheap, and [`Transaction::apply`] checks that the
//! project still holds the `before` value (an edit never silently overwrites something it did not see).
//!
//! The module works generically over the project's serde form, so a document kind added to [`Project`] later
//! (any `Vec<T>` field whose items serialise to objects with an `"id"`) is editable without code changes here.
//!
//! ```
//! use faultline_models::edit::Transaction;
//! use faultline_models::project::Project;
//! let before = Project::new("demo");
//! let mut after = before.clone();
//! after.name = "renamed".into();
//! let tx = Transaction::between("rename", &before, &after).unwrap();
//! let mut p = before.clone();
//! tx.apply(&mut p).unwrap();
//! assert_eq!(p, after);
//! tx.invert().apply(&mut p).unwrap();
//! assert_eq!(p, before);
//! ```

use crate::project::Project;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One change of one document, or of one whole non-document field of the project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The project field: a document kind such as `"fault_trees"`, or a plain field such as `"name"`.
    pub kind: String,
    /// The document's id inside `kind`; `None` when the change replaces the whole field `kind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    /// The value before the change; `None` when the document (or field) did not exist.
    #[serde(default)]
    pub before: Option<Value>,
    /// The value after the change; `None` when the document (or field) is removed.
    #[serde(default)]
    pub after: Option<Value>,
    /// For a document that is inserted or removed, its position in the array on the side where it exists
    /// (so that undoing a deletion puts the document back where it was). `None` inserts at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

impl Change {
    /// The change that undoes this one.
    pub fn invert(&self) -> Change {
        Change {
            kind: self.kind.clone(),
            id: self.id,
            before: self.after.clone(),
            after: self.before.clone(),
            index: self.index,
        }
    }

    /// The name of the changed document (its `"name"`, else its `"title"`), from whichever side has one.
    pub fn document_name(&self) -> Option<&str> {
        fn name(v: &Option<Value>) -> Option<&str> {
            let o = v.as_ref()?.as_object()?;
            o.get("name").or_else(|| o.get("title"))?.as_str()
        }
        name(&self.after).or_else(|| name(&self.before))
    }
}

/// A labelled group of changes, applied and undone as one step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// What the user did, in words ("Add basic event PumpFails"); shown in the undo menu.
    pub label: String,
    /// The changes, applied in order.
    pub changes: Vec<Change>,
}

/// Why a transaction could not be built or applied. The project is unchanged when this is returned.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EditError {
    /// The project does not hold the value the change expects to replace.
    #[error("edit conflict on {kind}{}: {message}", id.map(|i| format!(" #{i}")).unwrap_or_default())]
    Conflict { kind: String, id: Option<u32>, message: String },
    /// A document change names a field that is not an array of documents.
    #[error("`{kind}` is not a kind of document of the project")]
    NotDocumentKind { kind: String },
    /// The edited project no longer has the project's form (for example a document with a wrong field).
    #[error("the edited project is not valid: {0}")]
    Invalid(String),
}

fn to_object(project: &Project) -> Result<Map<String, Value>, EditError> {
    match serde_json::to_value(project) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(EditError::Invalid("the project does not serialise to an object".into())),
        Err(e) => Err(EditError::Invalid(e.to_string())),
    }
}

/// The document id of an array item: the item's numeric `"id"`, if it has one that fits in `u32`.
fn doc_id(item: &Value) -> Option<u32> {
    item.as_object()?.get("id")?.as_u64().and_then(|i| u32::try_from(i).ok())
}

/// The ids of an array of documents in order, or `None` when the value is not one (or ids repeat).
fn doc_ids(v: Option<&Value>) -> Option<Vec<u32>> {
    let items = match v {
        None => return Some(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return None,
    };
    let ids: Option<Vec<u32>> = items.iter().map(doc_id).collect();
    let ids = ids?;
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    (sorted.len() == ids.len()).then_some(ids)
}

impl Transaction {
    /// An empty transaction with this label.
    pub fn new(label: impl Into<String>) -> Self {
        Transaction { label: label.into(), changes: Vec::new() }
    }

    /// Whether the transaction changes nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The transaction that turns `before` into `after`: one change per added, removed or changed document,
    /// and one per other changed field. A document kind whose surviving documents were reordered is recorded
    /// as one whole-field change. Applying the result to `before` gives a project equal to `after`.
    ///
    /// Complexity: O(size of both projects' JSON) plus O(d log d) for d documents of a kind.
    pub fn between(label: impl Into<String>, before: &Project, after: &Project) -> Result<Transaction, EditError> {
        let b = to_object(before)?;
        let a = to_object(after)?;
        let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut changes = Vec::new();
        for key in keys {
            let (bv, av) = (b.get(key), a.get(key));
            if bv == av {
                continue;
            }
            let whole = Change { kind: key.clone(), id: None, before: bv.cloned(), after: av.cloned(), index: None };
            let (Some(bids), Some(aids)) = (doc_ids(bv), doc_ids(av)) else {
                changes.push(whole);
                continue;
            };
            let empty = Vec::new();
            let bitems = bv.and_then(Value::as_array).unwrap_or(&empty);
            let aitems = av.and_then(Value::as_array).unwrap_or(&empty);
            let apos: std::collections::HashMap<u32, usize> = aids.iter().enumerate().map(|(i, &d)| (d, i)).collect();
            let bpos: std::collections::HashMap<u32, usize> = bids.iter().enumerate().map(|(i, &d)| (d, i)).collect();
            let common_b: Vec<u32> = bids.iter().copied().filter(|d| apos.contains_key(d)).collect();
            let common_a: Vec<u32> = aids.iter().copied().filter(|d| bpos.contains_key(d)).collect();
            if common_b != common_a {
                changes.push(whole);
                continue;
            }
            // Removals, last first (so that, inverted, they are re-inserted first position first).
            for (i, &d) in bids.iter().enumerate().rev() {
                if !apos.contains_key(&d) {
                    changes.push(Change {
                        kind: key.clone(),
                        id: Some(d),
                        before: Some(bitems[i].clone()),
                        after: None,
                        index: Some(i),
                    });
                }
            }
            for &d in &common_b {
                let (x, y) = (&bitems[bpos[&d]], &aitems[apos[&d]]);
                if x != y {
                    changes.push(Change {
                        kind: key.clone(),
                        id: Some(d),
                        before: Some(x.clone()),
                        after: Some(y.clone()),
                        index: None,
                    });
                }
            }
            // Insertions, first position first.
            for (i, &d) in aids.iter().enumerate() {
                if !bpos.contains_key(&d) {
                    changes.push(Change {
                        kind: key.clone(),
                        id: Some(d),
                        before: None,
                        after: Some(aitems[i].clone()),
                        index: Some(i),
                    });
                }
            }
        }
        Ok(Transaction { label: label.into(), changes })
    }

    /// The transaction that undoes this one: the inverted changes in reverse order, with the same label.
    pub fn invert(&self) -> Transaction {
        Transaction { label: self.label.clone(), changes: self.changes.iter().rev().map(Change::invert).collect() }
    }

    /// Applies the changes in order. Each change must find its `before` value in the project (else
    /// [`EditError::Conflict`]); on any error the project is left unchanged.
    ///
    /// Complexity: O(size of the project's JSON + changes × documents of the changed kind).
    pub fn apply(&self, project: &mut Project) -> Result<(), EditError> {
        if self.changes.is_empty() {
            return Ok(());
        }
        let mut obj = to_object(project)?;
        for change in &self.changes {
            apply_change(&mut obj, change)?;
        }
        let next: Project = serde_json::from_value(Value::Object(obj)).map_err(|e| EditError::Invalid(e.to_string()))?;
        *project = next;
        Ok(())
    }
}

fn conflict(change: &Change, message: impl Into<String>) -> EditError {
    EditError::Conflict { kind: change.kind.clone(), id: change.id, message: message.into() }
}

fn apply_change(obj: &mut Map<String, Value>, change: &Change) -> Result<(), EditError> {
    let Some(id) = change.id else {
        if obj.get(&change.kind) != change.before.as_ref() {
            return Err(conflict(change, "the field does not hold the value this edit replaces"));
        }
        match &change.after {
            Some(v) => obj.insert(change.kind.clone(), v.clone()),
            None => obj.remove(&change.kind),
        };
        return Ok(());
    };
    let slot = obj.entry(change.kind.clone()).or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(items) = slot else {
        return Err(EditError::NotDocumentKind { kind: change.kind.clone() });
    };
    let at = items.iter().position(|item| doc_id(item) == Some(id));
    match (&change.before, &change.after, at) {
        (None, None, _) => Ok(()),
        (None, Some(_), Some(_)) => Err(conflict(change, "a document with this id already exists")),
        (None, Some(v), None) => {
            if doc_id(v) != Some(id) {
                return Err(conflict(change, "the inserted document does not carry this id"));
            }
            let i = change.index.unwrap_or(items.len()).min(items.len());
            items.insert(i, v.clone());
            Ok(())
        }
        (Some(_), _, None) => Err(conflict(change, "no document with this id")),
        (Some(b), after, Some(i)) => {
            if &items[i] != b {
                return Err(conflict(change, "the document does not hold the value this edit replaces"));
            }
            match after {
                Some(v) if doc_id(v) != Some(id) => Err(conflict(change, "the new value does not carry this id")),
                Some(v) => {
                    items[i] = v.clone();
                    Ok(())
                }
                None => {
                    items.remove(i);
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault_tree::{FaultTree, TreeId};
    use proptest::prelude::*;

    fn tree(id: u32, name: &str, events: usize) -> FaultTree {
        let mut t = FaultTree::new(TreeId(id), name);
        let args = (0..events).map(|i| t.add_basic(format!("E{i}"), 0.01 * (i + 1) as f64)).collect();
        let top = t.add_gate("Top", crate::fault_tree::GateKind::Or, args);
        t.top = Some(top);
        t
    }

    #[derive(Clone, Debug)]
    enum Op {
        Add(u32, usize),
        Remove(usize),
        Rename(usize, String),
        AddEvent(usize),
        RenameProject(String),
        Reverse,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u32..40, 0usize..4).prop_map(|(i, n)| Op::Add(i, n)),
            (0usize..8).prop_map(Op::Remove),
            (0usize..8, "[a-z]{1,6}").prop_map(|(i, s)| Op::Rename(i, s)),
            (0usize..8).prop_map(Op::AddEvent),
            "[A-Z][a-z]{0,5}".prop_map(Op::RenameProject),
            Just(Op::Reverse),
        ]
    }

    fn perform(p: &mut Project, op: &Op) {
        let n = p.fault_trees.len();
        match op {
            Op::Add(id, events) if p.tree(TreeId(*id)).is_none() => {
                p.fault_trees.insert((*id as usize) % (n + 1), tree(*id, &format!("T{id}"), *events));
            }
            Op::Remove(i) if n > 0 => {
                p.fault_trees.remove(i % n);
            }
            Op::Rename(i, s) if n > 0 => p.fault_trees[i % n].name = s.clone(),
            Op::AddEvent(i) if n > 0 => {
                let t = &mut p.fault_trees[i % n];
                let e = t.add_basic(format!("X{}", t.next_id), 0.5);
                if let Some(top) = t.top {
                    if let Some(crate::fault_tree::Element {
                        kind: crate::fault_tree::ElementKind::Gate { args, .. }, ..
                    }) = t.element_mut(top)
                    {
                        args.push(e);
                    }
                }
            }
            Op::RenameProject(s) => p.name = s.clone(),
            Op::Reverse => p.fault_trees.reverse(),
            _ => {}
        }
    }

    proptest! {
        /// A random sequence of edits, each recorded as a transaction and applied through it, then undone
        /// in reverse order, restores the starting project exactly; redoing them all reaches the end again.
        #[test]
        fn random_edits_then_undo_all_restores_the_start(ops in proptest::collection::vec(op(), 0..25)) {
            let start = Project { fault_trees: vec![tree(1, "A", 2), tree(2, "B", 1)], ..Project::new("P") };
            let mut current = start.clone();
            let mut log = Vec::new();
            for op in &ops {
                let mut next = current.clone();
                perform(&mut next, op);
                let tx = Transaction::between(format!("{op:?}"), &current, &next).unwrap();
                tx.apply(&mut current).unwrap();
                prop_assert_eq!(&current, &next);
                log.push(tx);
            }
            let end = current.clone();
            for tx in log.iter().rev() {
                tx.invert().apply(&mut current).unwrap();
            }
            prop_assert_eq!(&current, &start);
            for tx in &log {
                tx.apply(&mut current).unwrap();
            }
            prop_assert_eq!(&current, &end);
        }
    }

    #[test]
    fn stale_edit_is_a_conflict_and_leaves_the_project_unchanged() {
        let a = Project { fault_trees: vec![tree(1, "A", 1)], ..Project::new("P") };
        let mut b = a.clone();
        b.fault_trees[0].name = "B".into();
        let tx = Transaction::between("rename", &a, &b).unwrap();
        assert_eq!(tx.changes.len(), 1);
        assert_eq!(tx.changes[0].kind, "fault_trees");
        assert_eq!(tx.changes[0].id, Some(1));
        let mut target = b.clone();
        let err = tx.apply(&mut target).unwrap_err();
        assert!(matches!(err, EditError::Conflict { id: Some(1), .. }), "{err}");
        assert_eq!(target, b);
    }

    #[test]
    fn deletion_is_undone_at_its_old_position() {
        let a = Project { fault_trees: vec![tree(1, "A", 1), tree(2, "B", 1), tree(3, "C", 1)], ..Project::new("P") };
        let mut b = a.clone();
        b.fault_trees.remove(1);
        let tx = Transaction::between("delete B", &a, &b).unwrap();
        assert_eq!(tx.changes[0].document_name(), Some("B"));
        let mut p = b.clone();
        tx.invert().apply(&mut p).unwrap();
        assert_eq!(p, a);
    }
}
