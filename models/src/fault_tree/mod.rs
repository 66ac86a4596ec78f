//! Fault-tree documents: the editable, serialisable form of a fault tree.
//!
//! A [`FaultTree`] is a flat list of [`Element`]s (gates, basic, house and undeveloped events and transfers),
//! each with a stable [`ElementId`] that survives deletions and renames, a unique name, a label and a
//! description. Gates name their *arguments* by id, so a shared (repeated) event is simply an id that appears
//! under several gates.
//!
//! A document may be wrong in every way a user can make it wrong (cycles, dangling references, `k > n`,
//! probabilities outside `[0, 1]`); [`validate`] reports every problem at once and,
//! when there are no errors, returns a [`ValidTree`](validate::ValidTree) that analysis accepts and cannot fail on.

pub mod validate;

use serde::{Deserialize, Serialize};
use std::fmt;

/// Identifies a fault tree inside a project. Stable for the life of the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TreeId(pub u32);

/// Identifies an element inside one fault tree. Never reused after a deletion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ElementId(pub u32);

impl fmt::Display for ElementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A fault tree: a top gate over gates and events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultTree {
    pub id: TreeId,
    /// Unique within the project; used by transfers and exported as the MEF fault-tree name.
    pub name: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
    /// The top event's gate. `None` only while a new tree is being drawn.
    #[serde(default)]
    pub top: Option<ElementId>,
    /// Default mission time in hours for events given by a failure rate without their own mission time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission_time: Option<f64>,
    pub elements: Vec<Element>,
    /// The next id [`FaultTree::fresh_id`] hands out, so that ids are never reused after a deletion.
    #[serde(default)]
    pub next_id: u32,
}

/// One gate or event of a fault tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Element {
    pub id: ElementId,
    /// Unique within the tree (and, for basic events, the identity used across trees of a project).
    pub name: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
    #[serde(flatten)]
    pub kind: ElementKind,
}

/// What an element is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ElementKind {
    /// A logical connective over its arguments.
    Gate { gate: GateKind, args: Vec<ElementId> },
    /// A primary failure.
    BasicEvent { probability: Probability },
    /// An event not analysed further; treated as a basic event.
    UndevelopedEvent { probability: Probability },
    /// A switch, true or false.
    HouseEvent { state: bool },
    /// A reference to a gate of another tree of the same project (by default its top gate).
    Transfer {
        tree: TreeId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gate: Option<ElementId>,
    },
}

/// The logic of a gate. Arguments are in [`ElementKind::Gate::args`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GateKind {
    And,
    Or,
    /// k-out-of-n vote: true when at least `k` arguments are true (MEF `atleast`).
    AtLeast { k: u32 },
    /// Exactly one argument.
    Not,
    /// Parity: true when an odd number of arguments are true (for two arguments, exclusive or).
    Xor,
    Nand,
    Nor,
    /// An AND of exactly two arguments: the input event first, then the conditioning event.
    /// Exported to MEF as `and` with the attribute `flavour="inhibit"`.
    Inhibit,
}

impl GateKind {
    /// The MEF/glossary word for this gate kind.
    pub fn name(self) -> &'static str {
        match self {
            GateKind::And => "and",
            GateKind::Or => "or",
            GateKind::AtLeast { .. } => "atleast",
            GateKind::Not => "not",
            GateKind::Xor => "xor",
            GateKind::Nand => "nand",
            GateKind::Nor => "nor",
            GateKind::Inhibit => "inhibit",
        }
    }

    /// Whether a tree made only of this kind of gate is coherent (monotone).
    pub fn is_coherent(self) -> bool {
        matches!(self, GateKind::And | GateKind::Or | GateKind::AtLeast { .. } | GateKind::Inhibit)
    }
}

/// How the probability of a basic or undeveloped event is given.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Probability {
    /// A fixed probability in `[0, 1]`.
    Fixed { p: f64 },
    /// A constant failure rate λ per hour over a mission time t in hours: p = 1 − e^(−λt).
    /// Without its own mission time, the tree's (or the analysis') mission time applies.
    Exponential {
        rate: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mission_time: Option<f64>,
    },
}

impl Probability {
    /// The probability, given the mission time that applies when the event has none of its own.
    /// Returns `None` for an exponential event with no mission time at all.
    pub fn value(&self, default_mission_time: Option<f64>) -> Option<f64> {
        match *self {
            Probability::Fixed { p } => Some(p),
            Probability::Exponential { rate, mission_time } => {
                let t = mission_time.or(default_mission_time)?;
                Some(-(-rate * t).exp_m1())
            }
        }
    }
}

impl FaultTree {
    /// An empty tree with the given id and name.
    pub fn new(id: TreeId, name: impl Into<String>) -> Self {
        FaultTree {
            id,
            name: name.into(),
            label: String::new(),
            description: String::new(),
            top: None,
            mission_time: None,
            elements: Vec::new(),
            next_id: 1,
        }
    }

    /// The element with this id. O(log n) when the elements are in increasing id order, as every tree
    /// built through this type's methods, the editor's ops and the importers is (ids are handed out in
    /// increasing order and elements appended); O(n) otherwise, and for an id that is not there.
    pub fn element(&self, id: ElementId) -> Option<&Element> {
        self.position(id).map(|i| &self.elements[i])
    }

    /// The element with this id, mutable. Complexity as for [`FaultTree::element`].
    pub fn element_mut(&mut self, id: ElementId) -> Option<&mut Element> {
        self.position(id).map(|i| &mut self.elements[i])
    }

    /// Where the element with this id is in `elements`: by binary search, which finds it whenever the
    /// elements are sorted by id, else by a scan (a hand-written file may list them in any order).
    fn position(&self, id: ElementId) -> Option<usize> {
        match self.elements.binary_search_by_key(&id, |e| e.id) {
            Ok(i) => Some(i),
            _ => self.elements.iter().position(|e| e.id == id),
        }
    }

    /// The element with this name. O(n).
    pub fn by_name(&self, name: &str) -> Option<&Element> {
        self.elements.iter().find(|e| e.name == name)
    }

    /// An id that no element of this tree has had: ids are never reused after a deletion.
    pub fn fresh_id(&self) -> ElementId {
        let past = self.elements.iter().map(|e| e.id.0 + 1).max().unwrap_or(1);
        ElementId(past.max(self.next_id).max(1))
    }

    /// Adds an element with a fresh id and returns that id.
    pub fn add(&mut self, name: impl Into<String>, kind: ElementKind) -> ElementId {
        let id = self.fresh_id();
        self.next_id = id.0 + 1;
        self.elements.push(Element { id, name: name.into(), label: String::new(), description: String::new(), kind });
        id
    }

    /// Adds a gate over the given arguments and returns its id.
    pub fn add_gate(&mut self, name: impl Into<String>, gate: GateKind, args: Vec<ElementId>) -> ElementId {
        self.add(name, ElementKind::Gate { gate, args })
    }

    /// Adds a basic event with a fixed probability and returns its id.
    pub fn add_basic(&mut self, name: impl Into<String>, p: f64) -> ElementId {
        self.add(name, ElementKind::BasicEvent { probability: Probability::Fixed { p } })
    }

    /// The gates that name `id` among their arguments.
    pub fn parents_of(&self, id: ElementId) -> impl Iterator<Item = &Element> + '_ {
        self.elements.iter().filter(move |e| matches!(&e.kind, ElementKind::Gate { args, .. } if args.contains(&id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements are found by id whether or not they are in id order, and a missing id is not found.
    #[test]
    fn elements_are_found_by_id_in_any_order() {
        let mut t = FaultTree::new(TreeId(1), "t");
        let ids: Vec<ElementId> = (0..50).map(|i| t.add_basic(format!("e{i}"), 0.1)).collect();
        assert!(t.elements.is_sorted_by_key(|e| e.id));
        for (i, &id) in ids.iter().enumerate() {
            assert_eq!(t.element(id).map(|e| e.name.as_str()), Some(format!("e{i}").as_str()));
        }
        t.elements.reverse();
        t.elements.swap(3, 40);
        for (i, &id) in ids.iter().enumerate() {
            assert_eq!(t.element(id).map(|e| e.name.clone()), Some(format!("e{i}")));
            t.element_mut(id).unwrap().label = format!("L{i}");
        }
        assert!(ids.iter().enumerate().all(|(i, &id)| t.element(id).unwrap().label == format!("L{i}")));
        assert!(t.element(ElementId(10_000)).is_none());
    }
}
