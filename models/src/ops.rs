//! Editing commands: what a person does to a project in the editor, as plain data.
//!
//! An [`Op`] is one user action ("add a basic event under `PoolExhausted`", "delete this subtree", "rename the
//! worksheet"). [`apply`] performs it on a [`Project`] and returns what it did, or an [`OpError`] naming the
//! element that made it impossible, leaving the project unchanged. Ops are serialisable so the desktop UI can
//! send them to the shell as they are; storage turns the before/after pair into an invertible
//! [`Transaction`](crate::edit::Transaction) for undo and redo, so nothing here needs an inverse.
//!
//! Ops keep a fault tree *editable*, not valid: a gate may be left with one argument, a name may clash with
//! another tree's. Validation reports those on the nodes. What an op refuses is what would make the document
//! itself inconsistent: a dangling id, a cycle made by a re-parent, deleting the top event.
//!
//! ```
//! use faultline_models::ops::{apply, NewElement, Op};
//! use faultline_models::project::Project;
//! let mut project = Project::new("demo");
//! let made = apply(&mut project, &Op::CreateTree { name: "Outage".into() }).unwrap();
//! let tree = made.tree.unwrap();
//! let top = project.tree(tree).unwrap().top.unwrap();
//! let made = apply(&mut project, &Op::AddChild { tree, parent: top, new: NewElement::Basic { p: 0.01 } }).unwrap();
//! assert!(made.element.is_some());
//! ```

use crate::fault_tree::{Element, ElementId, ElementKind, FaultTree, GateKind, Probability, TreeId};
use crate::fmea::{EventLink, RowId, Worksheet, WorksheetId};
use crate::project::Project;
use crate::rca::actions::{ActionId, ActionItem};
use crate::rca::fishbone::{CategorySet, Fishbone, FishboneId};
use crate::rca::layers::{LayerSet, LayerSetId};
use crate::rca::postmortem::{Postmortem, PostmortemId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The kinds of document a project holds (the navigator's groups).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    FaultTree,
    FmeaWorksheet,
    Fishbone,
    LayerSet,
    Postmortem,
    ActionItem,
}

/// A new element to add under a gate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NewElement {
    Gate { gate: GateKind },
    Basic { p: f64 },
    Undeveloped { p: f64 },
    House { state: bool },
    /// A transfer to another tree's top gate.
    Transfer { tree: TreeId },
    /// Another use of an element that already exists in the tree (a shared event or gate).
    Existing { element: ElementId },
}

/// A subtree on the clipboard: its root and every element below it, with their ids as they were.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clip {
    pub root: ElementId,
    pub elements: Vec<Element>,
}

/// One editing command.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// A new fault tree with an OR top gate.
    CreateTree { name: String },
    /// A new empty document of another kind, named `name`.
    CreateDocument { kind: DocKind, name: String },
    /// Renames a document (its name, or a fishbone's effect, or a postmortem's or action's title).
    RenameDocument { kind: DocKind, id: u32, name: String },
    /// Deletes a document.
    DeleteDocument { kind: DocKind, id: u32 },
    /// Adds a child under a gate.
    AddChild { tree: TreeId, parent: ElementId, new: NewElement },
    /// Replaces an element's name, label, description and kind. A gate keeps its arguments (only its logic
    /// changes); turning a gate into an event drops its arguments, and elements left without any parent go
    /// with it.
    SetElement { tree: TreeId, element: Element },
    /// Removes one use of `element` (under `parent`), or every use when `parent` is `None`. An element left
    /// with no parent is deleted, and so is everything below it that no other gate uses.
    Delete { tree: TreeId, element: ElementId, parent: Option<ElementId> },
    /// Moves one use of `element` from under `from` to under `to`.
    Reparent { tree: TreeId, element: ElementId, from: ElementId, to: ElementId },
    /// Pastes a copy of a clipboard subtree under `parent`, with fresh ids; clashing names get a suffix.
    Paste { tree: TreeId, parent: ElementId, clip: Clip },
    /// Sets the tree's default mission time (hours).
    SetMissionTime { tree: TreeId, hours: Option<f64> },
    /// Adds an imported fault tree (from MEF, say) under a fresh id; a clashing name gets a suffix.
    ImportTree { tree: FaultTree },
    /// Links an FMEA row to a basic or undeveloped event of a fault tree (`event: None` unlinks it).
    LinkFmeaRow { worksheet: WorksheetId, row: RowId, event: Option<EventLink> },
}

/// What [`apply`] did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    /// A label for the undo history ("Add basic event E12").
    pub label: String,
    /// The tree the op touched or created.
    pub tree: Option<TreeId>,
    /// The element created (add, paste), so the editor can select it.
    pub element: Option<ElementId>,
    /// The document created (create document).
    pub document: Option<u32>,
}

/// Why an op cannot be applied. The project is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpError {
    #[error("no fault tree with id {0}")]
    NoTree(u32),
    #[error("fault tree {tree}: no element {element}")]
    NoElement { tree: String, element: ElementId },
    #[error("fault tree {tree}: {element} is not a gate, so it cannot have children")]
    NotAGate { tree: String, element: String },
    #[error("fault tree {tree}: {element} is not under {parent}")]
    NotAChild { tree: String, element: String, parent: String },
    #[error("fault tree {tree}: moving {element} under {to} would make a cycle ({to} is below {element})")]
    Cycle { tree: String, element: String, to: String },
    #[error("fault tree {tree}: {element} is the top event; delete the tree instead")]
    DeleteTop { tree: String, element: String },
    #[error("no {kind} with id {id}")]
    NoDocument { kind: &'static str, id: u32 },
    #[error("the name must not be empty")]
    EmptyName,
    #[error("the clipboard subtree is inconsistent: {0}")]
    BadClip(String),
    #[error("{0}")]
    Invalid(String),
}

/// Applies `op` to `project`. On error the project is unchanged.
///
/// Returns what was done (see [`Applied`]). Complexity: O(size of the tree touched) for tree ops, O(number of
/// documents) for document ops.
pub fn apply(project: &mut Project, op: &Op) -> Result<Applied, OpError> {
    let mut next = project.clone();
    let applied = apply_in_place(&mut next, op)?;
    *project = next;
    Ok(applied)
}

fn apply_in_place(project: &mut Project, op: &Op) -> Result<Applied, OpError> {
    match op {
        Op::CreateTree { name } => create_tree(project, name),
        Op::CreateDocument { kind, name } => create_document(project, *kind, name),
        Op::RenameDocument { kind, id, name } => rename_document(project, *kind, *id, name),
        Op::DeleteDocument { kind, id } => delete_document(project, *kind, *id),
        Op::AddChild { tree, parent, new } => {
            let t = tree_mut(project, *tree)?;
            add_child(t, *parent, new)
        }
        Op::SetElement { tree, element } => set_element(tree_mut(project, *tree)?, element),
        Op::Delete { tree, element, parent } => delete(tree_mut(project, *tree)?, *element, *parent),
        Op::Reparent { tree, element, from, to } => reparent(tree_mut(project, *tree)?, *element, *from, *to),
        Op::Paste { tree, parent, clip } => paste(tree_mut(project, *tree)?, *parent, clip),
        Op::ImportTree { tree } => {
            let mut tree = tree.clone();
            let taken: HashSet<String> = project.fault_trees.iter().map(|t| t.name.clone()).collect();
            tree.name = unique_name(&tree.name, &taken);
            tree.id = TreeId(next_id(project.fault_trees.iter().map(|t| t.id.0)));
            if tree.elements.iter().any(|e| matches!(e.kind, ElementKind::Transfer { .. })) {
                return Err(OpError::Invalid(format!(
                    "{} holds transfers to trees of its own file; import the whole project as JSON instead",
                    tree.name
                )));
            }
            let applied = Applied {
                label: format!("Import fault tree {}", tree.name),
                tree: Some(tree.id),
                element: tree.top,
                document: Some(tree.id.0),
            };
            project.fault_trees.push(tree);
            Ok(applied)
        }
        Op::LinkFmeaRow { worksheet, row, event } => link_fmea_row(project, *worksheet, *row, *event),
        Op::SetMissionTime { tree, hours } => {
            if let Some(h) = hours {
                if !h.is_finite() || *h <= 0.0 {
                    return Err(OpError::Invalid(format!("the mission time must be a positive number of hours, not {h}")));
                }
            }
            let t = tree_mut(project, *tree)?;
            t.mission_time = *hours;
            Ok(Applied { label: format!("Set the mission time of {}", t.name), tree: Some(t.id), ..Default::default() })
        }
    }
}

fn tree_mut(project: &mut Project, id: TreeId) -> Result<&mut FaultTree, OpError> {
    project.fault_trees.iter_mut().find(|t| t.id == id).ok_or(OpError::NoTree(id.0))
}

/// The element's name, or its id when it has none (for messages).
fn name_of(tree: &FaultTree, id: ElementId) -> String {
    tree.element(id).map(|e| e.name.clone()).unwrap_or_else(|| id.to_string())
}

/// `base`, or `base_2`, `base_3`, ... : the first that no element in `taken` has.
fn unique_name(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..).map(|i| format!("{base}_{i}")).find(|n| !taken.contains(n)).expect("some suffix is free")
}

fn names(tree: &FaultTree) -> HashSet<String> {
    tree.elements.iter().map(|e| e.name.clone()).collect()
}

fn check_name(name: &str) -> Result<String, OpError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(OpError::EmptyName);
    }
    Ok(name.to_string())
}

fn create_tree(project: &mut Project, name: &str) -> Result<Applied, OpError> {
    let name = check_name(name)?;
    let taken: HashSet<String> = project.fault_trees.iter().map(|t| t.name.clone()).collect();
    let name = unique_name(&name, &taken);
    let id = TreeId(project.fault_trees.iter().map(|t| t.id.0 + 1).max().unwrap_or(1));
    let mut tree = FaultTree::new(id, name.clone());
    let top = tree.add_gate("Top", GateKind::Or, Vec::new());
    tree.top = Some(top);
    project.fault_trees.push(tree);
    Ok(Applied { label: format!("Create fault tree {name}"), tree: Some(id), element: Some(top), document: Some(id.0) })
}

fn next_id(ids: impl Iterator<Item = u32>) -> u32 {
    ids.map(|i| i + 1).max().unwrap_or(1).max(1)
}

fn create_document(project: &mut Project, kind: DocKind, name: &str) -> Result<Applied, OpError> {
    let name = check_name(name)?;
    let id = match kind {
        DocKind::FaultTree => return create_tree(project, &name),
        DocKind::FmeaWorksheet => {
            let id = next_id(project.fmea.iter().map(|w| w.id.0));
            project.fmea.push(Worksheet::new(WorksheetId(id), name.clone()));
            id
        }
        DocKind::Fishbone => {
            let id = next_id(project.fishbones.iter().map(|f| f.id.0));
            project.fishbones.push(Fishbone::new(FishboneId(id), name.clone(), CategorySet::default()));
            id
        }
        DocKind::LayerSet => {
            let tree = project.fault_trees.first().map(|t| t.id).ok_or_else(|| {
                OpError::Invalid("defence layers stand in front of a fault tree: create a fault tree first".into())
            })?;
            let id = next_id(project.layer_sets.iter().map(|l| l.id.0));
            project.layer_sets.push(LayerSet { id: LayerSetId(id), name: name.clone(), tree, layers: Vec::new() });
            id
        }
        DocKind::Postmortem => {
            let id = next_id(project.postmortems.iter().map(|p| p.id.0));
            project.postmortems.push(Postmortem { id: PostmortemId(id), title: name.clone(), ..Default::default() });
            id
        }
        DocKind::ActionItem => {
            let id = next_id(project.action_items.iter().map(|a| a.id.0));
            project.action_items.push(ActionItem { id: ActionId(id), title: name.clone(), ..Default::default() });
            id
        }
    };
    Ok(Applied { label: format!("Create {} {name}", kind_word(kind)), document: Some(id), ..Default::default() })
}

fn link_fmea_row(project: &mut Project, worksheet: WorksheetId, row: RowId, event: Option<EventLink>) -> Result<Applied, OpError> {
    let target = match event {
        Some(link) => {
            let tree = project.tree(link.tree).ok_or(OpError::NoTree(link.tree.0))?;
            let e = tree.element(link.element).ok_or(OpError::NoElement { tree: tree.name.clone(), element: link.element })?;
            if !matches!(e.kind, ElementKind::BasicEvent { .. } | ElementKind::UndevelopedEvent { .. }) {
                return Err(OpError::Invalid(format!(
                    "fault tree {}: {} is not a basic or undeveloped event, so no FMEA row can link to it",
                    tree.name, e.name
                )));
            }
            Some((e.name.clone(), tree.id))
        }
        None => None,
    };
    let sheet = project
        .fmea
        .iter_mut()
        .find(|w| w.id == worksheet)
        .ok_or(OpError::NoDocument { kind: "FMEA worksheet", id: worksheet.0 })?;
    let sheet_name = sheet.name.clone();
    let r = sheet.rows.iter_mut().find(|r| r.id == row).ok_or_else(|| {
        OpError::Invalid(format!("FMEA worksheet {sheet_name} has no row {}", row.0))
    })?;
    r.event = event;
    let label = match &target {
        Some((name, _)) => format!("Link FMEA row {} to {name}", r.failure_mode),
        None => format!("Unlink FMEA row {}", r.failure_mode),
    };
    Ok(Applied { label, tree: target.map(|(_, t)| t), document: Some(worksheet.0), element: event.map(|l| l.element) })
}

/// The glossary word for a document kind, for labels and messages.
pub fn kind_word(kind: DocKind) -> &'static str {
    match kind {
        DocKind::FaultTree => "fault tree",
        DocKind::FmeaWorksheet => "FMEA worksheet",
        DocKind::Fishbone => "fishbone",
        DocKind::LayerSet => "defence-layer set",
        DocKind::Postmortem => "postmortem",
        DocKind::ActionItem => "action item",
    }
}

fn rename_document(project: &mut Project, kind: DocKind, id: u32, name: &str) -> Result<Applied, OpError> {
    let name = check_name(name)?;
    let missing = || OpError::NoDocument { kind: kind_word(kind), id };
    let mut tree = None;
    match kind {
        DocKind::FaultTree => {
            if project.fault_trees.iter().any(|t| t.id.0 != id && t.name == name) {
                return Err(OpError::Invalid(format!("another fault tree is already named {name}")));
            }
            let t = project.fault_trees.iter_mut().find(|t| t.id.0 == id).ok_or_else(missing)?;
            t.name = name.clone();
            tree = Some(t.id);
        }
        DocKind::FmeaWorksheet => project.fmea.iter_mut().find(|w| w.id.0 == id).ok_or_else(missing)?.name = name.clone(),
        DocKind::Fishbone => {
            project.fishbones.iter_mut().find(|f| f.id.0 == id).ok_or_else(missing)?.effect = name.clone()
        }
        DocKind::LayerSet => {
            project.layer_sets.iter_mut().find(|l| l.id.0 == id).ok_or_else(missing)?.name = name.clone()
        }
        DocKind::Postmortem => {
            project.postmortems.iter_mut().find(|p| p.id.0 == id).ok_or_else(missing)?.title = name.clone()
        }
        DocKind::ActionItem => {
            project.action_items.iter_mut().find(|a| a.id.0 == id).ok_or_else(missing)?.title = name.clone()
        }
    }
    Ok(Applied { label: format!("Rename {} to {name}", kind_word(kind)), tree, document: Some(id), ..Default::default() })
}

fn delete_document(project: &mut Project, kind: DocKind, id: u32) -> Result<Applied, OpError> {
    fn remove<T>(items: &mut Vec<T>, keep: impl Fn(&T) -> bool) -> bool {
        let before = items.len();
        items.retain(keep);
        items.len() != before
    }
    let removed = match kind {
        DocKind::FaultTree => remove(&mut project.fault_trees, |t| t.id.0 != id),
        DocKind::FmeaWorksheet => remove(&mut project.fmea, |w| w.id.0 != id),
        DocKind::Fishbone => remove(&mut project.fishbones, |f| f.id.0 != id),
        DocKind::LayerSet => remove(&mut project.layer_sets, |l| l.id.0 != id),
        DocKind::Postmortem => remove(&mut project.postmortems, |p| p.id.0 != id),
        DocKind::ActionItem => remove(&mut project.action_items, |a| a.id.0 != id),
    };
    if !removed {
        return Err(OpError::NoDocument { kind: kind_word(kind), id });
    }
    Ok(Applied { label: format!("Delete {} {id}", kind_word(kind)), document: Some(id), ..Default::default() })
}

fn gate_args_mut(tree: &mut FaultTree, gate: ElementId) -> Result<&mut Vec<ElementId>, OpError> {
    let tree_name = tree.name.clone();
    let e = tree.element_mut(gate).ok_or(OpError::NoElement { tree: tree_name.clone(), element: gate })?;
    match &mut e.kind {
        ElementKind::Gate { args, .. } => Ok(args),
        _ => Err(OpError::NotAGate { tree: tree_name, element: e.name.clone() }),
    }
}

fn check_p(p: f64) -> Result<(), OpError> {
    if !(0.0..=1.0).contains(&p) {
        return Err(OpError::Invalid(format!("a probability lies in [0, 1]; {p} does not")));
    }
    Ok(())
}

fn add_child(tree: &mut FaultTree, parent: ElementId, new: &NewElement) -> Result<Applied, OpError> {
    gate_args_mut(tree, parent)?;
    let taken = names(tree);
    let fresh = tree.fresh_id().0;
    let (base, kind, word) = match new {
        NewElement::Gate { gate } => {
            if let GateKind::AtLeast { k } = gate {
                if *k == 0 {
                    return Err(OpError::Invalid("a vote gate needs k of at least 1".into()));
                }
            }
            (format!("Gate{fresh}"), ElementKind::Gate { gate: *gate, args: Vec::new() }, format!("{} gate", gate.name().to_uppercase()))
        }
        NewElement::Basic { p } => {
            check_p(*p)?;
            (format!("Event{fresh}"), ElementKind::BasicEvent { probability: Probability::Fixed { p: *p } }, "basic event".into())
        }
        NewElement::Undeveloped { p } => {
            check_p(*p)?;
            (
                format!("Undeveloped{fresh}"),
                ElementKind::UndevelopedEvent { probability: Probability::Fixed { p: *p } },
                "undeveloped event".into(),
            )
        }
        NewElement::House { state } => (format!("House{fresh}"), ElementKind::HouseEvent { state: *state }, "house event".into()),
        NewElement::Transfer { tree: to } => {
            (format!("Transfer{fresh}"), ElementKind::Transfer { tree: *to, gate: None }, "transfer".into())
        }
        NewElement::Existing { element } => {
            let name = tree.element(*element).map(|e| e.name.clone()).ok_or(OpError::NoElement {
                tree: tree.name.clone(),
                element: *element,
            })?;
            if *element == parent || below(tree, *element).contains(&parent) {
                return Err(OpError::Cycle { tree: tree.name.clone(), element: name, to: name_of(tree, parent) });
            }
            gate_args_mut(tree, parent)?.push(*element);
            let label = format!("Use {name} under {}", name_of(tree, parent));
            return Ok(Applied { label, tree: Some(tree.id), element: Some(*element), document: None });
        }
    };
    let name = unique_name(&base, &taken);
    let id = tree.add(name.clone(), kind);
    gate_args_mut(tree, parent)?.push(id);
    let label = format!("Add {word} {name} under {}", name_of(tree, parent));
    Ok(Applied { label, tree: Some(tree.id), element: Some(id), document: None })
}

/// Every element strictly below `root` (following gate arguments), cycle-safe. O(size of the subtree).
pub fn below(tree: &FaultTree, root: ElementId) -> BTreeSet<ElementId> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if let Some(Element { kind: ElementKind::Gate { args, .. }, .. }) = tree.element(id) {
            for a in args {
                if seen.insert(*a) {
                    stack.push(*a);
                }
            }
        }
    }
    seen
}

fn set_element(tree: &mut FaultTree, new: &Element) -> Result<Applied, OpError> {
    let name = check_name(&new.name)?;
    if tree.elements.iter().any(|e| e.id != new.id && e.name == name) {
        return Err(OpError::Invalid(format!("fault tree {}: another element is already named {name}", tree.name)));
    }
    match &new.kind {
        ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => match probability {
            Probability::Fixed { p } => check_p(*p)?,
            Probability::Exponential { rate, mission_time } => {
                if !rate.is_finite() || *rate < 0.0 {
                    return Err(OpError::Invalid(format!("a failure rate is a non-negative number per hour, not {rate}")));
                }
                if let Some(t) = mission_time {
                    if !t.is_finite() || *t < 0.0 {
                        return Err(OpError::Invalid(format!("a mission time is a non-negative number of hours, not {t}")));
                    }
                }
            }
        },
        ElementKind::Gate { gate: GateKind::AtLeast { k: 0 }, .. } => {
            return Err(OpError::Invalid("a vote gate needs k of at least 1".into()))
        }
        _ => {}
    }
    let tree_name = tree.name.clone();
    let old = tree.element(new.id).cloned().ok_or(OpError::NoElement { tree: tree_name, element: new.id })?;
    let mut orphans = Vec::new();
    let kind = match (&old.kind, &new.kind) {
        (ElementKind::Gate { args, .. }, ElementKind::Gate { gate, .. }) => ElementKind::Gate { gate: *gate, args: args.clone() },
        (ElementKind::Gate { args, .. }, other) => {
            orphans = args.clone();
            other.clone()
        }
        (_, ElementKind::Gate { gate, .. }) => ElementKind::Gate { gate: *gate, args: Vec::new() },
        (_, other) => other.clone(),
    };
    let e = tree.element_mut(new.id).expect("checked above");
    e.name = name.clone();
    e.label = new.label.clone();
    e.description = new.description.clone();
    e.kind = kind;
    for o in orphans {
        remove_if_orphan(tree, o);
    }
    Ok(Applied { label: format!("Edit {name}"), tree: Some(tree.id), element: Some(new.id), document: None })
}

/// Deletes `id` when no gate uses it and it is not the top, then the same for its former arguments.
fn remove_if_orphan(tree: &mut FaultTree, id: ElementId) {
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        if tree.top == Some(id) || tree.parents_of(id).next().is_some() {
            continue;
        }
        let Some(pos) = tree.elements.iter().position(|e| e.id == id) else { continue };
        let gone = tree.elements.remove(pos);
        if let ElementKind::Gate { args, .. } = gone.kind {
            stack.extend(args);
        }
    }
}

fn delete(tree: &mut FaultTree, element: ElementId, parent: Option<ElementId>) -> Result<Applied, OpError> {
    let name = tree.element(element).map(|e| e.name.clone()).ok_or(OpError::NoElement {
        tree: tree.name.clone(),
        element,
    })?;
    if tree.top == Some(element) {
        return Err(OpError::DeleteTop { tree: tree.name.clone(), element: name });
    }
    match parent {
        Some(parent) => {
            let parent_name = name_of(tree, parent);
            let tree_name = tree.name.clone();
            let args = gate_args_mut(tree, parent)?;
            let pos = args.iter().position(|a| *a == element).ok_or(OpError::NotAChild {
                tree: tree_name,
                element: name.clone(),
                parent: parent_name,
            })?;
            args.remove(pos);
        }
        None => {
            for e in &mut tree.elements {
                if let ElementKind::Gate { args, .. } = &mut e.kind {
                    args.retain(|a| *a != element);
                }
            }
        }
    }
    remove_if_orphan(tree, element);
    Ok(Applied { label: format!("Delete {name}"), tree: Some(tree.id), element: None, document: None })
}

fn reparent(tree: &mut FaultTree, element: ElementId, from: ElementId, to: ElementId) -> Result<Applied, OpError> {
    let name = tree.element(element).map(|e| e.name.clone()).ok_or(OpError::NoElement {
        tree: tree.name.clone(),
        element,
    })?;
    gate_args_mut(tree, to)?;
    if to == element || below(tree, element).contains(&to) {
        return Err(OpError::Cycle { tree: tree.name.clone(), element: name, to: name_of(tree, to) });
    }
    let (from_name, to_name, tree_name) = (name_of(tree, from), name_of(tree, to), tree.name.clone());
    let args = gate_args_mut(tree, from)?;
    let pos = args.iter().position(|a| *a == element).ok_or(OpError::NotAChild {
        tree: tree_name,
        element: name.clone(),
        parent: from_name,
    })?;
    args.remove(pos);
    gate_args_mut(tree, to)?.push(element);
    Ok(Applied { label: format!("Move {name} under {to_name}"), tree: Some(tree.id), element: Some(element), document: None })
}

/// Copies the subtree under `root` (the root and everything below it) for the clipboard.
/// `None` when the tree has no such element. O(size of the subtree).
pub fn copy(tree: &FaultTree, root: ElementId) -> Option<Clip> {
    tree.element(root)?;
    let mut ids = below(tree, root);
    ids.insert(root);
    let elements = tree.elements.iter().filter(|e| ids.contains(&e.id)).cloned().collect();
    Some(Clip { root, elements })
}

fn paste(tree: &mut FaultTree, parent: ElementId, clip: &Clip) -> Result<Applied, OpError> {
    gate_args_mut(tree, parent)?;
    let ids: HashSet<ElementId> = clip.elements.iter().map(|e| e.id).collect();
    if !ids.contains(&clip.root) {
        return Err(OpError::BadClip(format!("its root {} is not among its elements", clip.root)));
    }
    if ids.len() != clip.elements.len() {
        return Err(OpError::BadClip("two elements share an id".into()));
    }
    let mut taken = names(tree);
    let mut fresh = tree.fresh_id().0;
    let mut map = BTreeMap::new();
    for e in &clip.elements {
        map.insert(e.id, ElementId(fresh));
        fresh += 1;
    }
    let mut new_root_name = String::new();
    for e in &clip.elements {
        let mut copy = e.clone();
        copy.id = map[&e.id];
        copy.name = unique_name(&e.name, &taken);
        taken.insert(copy.name.clone());
        if let ElementKind::Gate { args, .. } = &mut copy.kind {
            for a in args.iter_mut() {
                *a = *map.get(a).ok_or_else(|| OpError::BadClip(format!("{} names {a}, which it does not hold", e.name)))?;
            }
        }
        if e.id == clip.root {
            new_root_name = copy.name.clone();
        }
        tree.elements.push(copy);
    }
    tree.next_id = fresh;
    let root = map[&clip.root];
    gate_args_mut(tree, parent)?.push(root);
    Ok(Applied {
        label: format!("Paste {new_root_name} under {}", name_of(tree, parent)),
        tree: Some(tree.id),
        element: Some(root),
        document: None,
    })
}

#[cfg(test)]
mod tests;
