//! Fishbone (Ishikawa) diagrams with 5 Whys chains.
//!
//! A [`Fishbone`] states an effect (the problem) and sorts its causes under the categories of a
//! [`CategorySet`]. Causes nest to any depth ("why did this cause happen?"); each carries a 5 Whys chain,
//! evidence notes and links to fault-tree basic events or FMEA failure modes.
//!
//! A cause linked to a basic event is *one identity* across the views: [`Project::rename_cause`] renames the
//! event too, and [`Project::rename_event`] renames the causes linked to it.

use super::{EventRef, FmeaRef};
use crate::fault_tree::{ElementId, ElementKind, Probability, TreeId};
use crate::project::Project;
use serde::{Deserialize, Serialize};

/// Identifies a fishbone inside a project.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FishboneId(pub u32);

/// Identifies a cause inside one fishbone. Never reused after a deletion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CauseId(pub u32);

/// A reference to one cause of one fishbone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CauseRef {
    pub fishbone: FishboneId,
    pub cause: CauseId,
}

/// The categories a fishbone sorts its causes under.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "set", content = "names", rename_all = "snake_case")]
pub enum CategorySet {
    /// People, Process, Technology, Environment (the usual set for software incidents).
    #[default]
    PeopleProcessTechnologyEnvironment,
    /// The 6M: Man, Machine, Method, Material, Measurement, Mother nature.
    SixM,
    /// The 4P: People, Process, Product, Platform.
    FourP,
    /// A custom list of category names.
    Custom(Vec<String>),
}

impl CategorySet {
    /// The category names, in display order.
    pub fn names(&self) -> Vec<String> {
        let fixed: &[&str] = match self {
            CategorySet::PeopleProcessTechnologyEnvironment => &["People", "Process", "Technology", "Environment"],
            CategorySet::SixM => &["Man", "Machine", "Method", "Material", "Measurement", "Mother nature"],
            CategorySet::FourP => &["People", "Process", "Product", "Platform"],
            CategorySet::Custom(names) => return names.clone(),
        };
        fixed.iter().map(|s| s.to_string()).collect()
    }
}

/// What a cause is linked to in the other views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum CauseLink {
    /// A fault-tree basic event.
    BasicEvent(EventRef),
    /// An FMEA failure mode (row).
    FailureMode(FmeaRef),
}

/// One cause on a fishbone, with its sub-causes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cause {
    pub id: CauseId,
    /// The cause, stated as a fact about the system ("disk filled up"), not about a person.
    pub text: String,
    /// The category it sits under (one of the fishbone's category names). Sub-causes inherit their root's.
    #[serde(default)]
    pub category: String,
    /// The 5 Whys chain: each entry answers "why?" of the previous one (the first answers it of `text`).
    #[serde(default)]
    pub whys: Vec<String>,
    /// Evidence notes: logs, graphs, links.
    #[serde(default)]
    pub evidence: Vec<String>,
    #[serde(default)]
    pub links: Vec<CauseLink>,
    /// Sub-causes: why this cause happened.
    #[serde(default)]
    pub causes: Vec<Cause>,
}

impl Cause {
    /// The basic events this cause is linked to.
    pub fn events(&self) -> impl Iterator<Item = EventRef> + '_ {
        self.links.iter().filter_map(|l| match l {
            CauseLink::BasicEvent(e) => Some(*e),
            CauseLink::FailureMode(_) => None,
        })
    }
}

/// A fishbone (Ishikawa) diagram.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Fishbone {
    pub id: FishboneId,
    /// The effect: the problem statement at the head of the fish.
    pub effect: String,
    #[serde(default)]
    pub categories: CategorySet,
    /// Top-level causes, each under one category.
    #[serde(default)]
    pub causes: Vec<Cause>,
    /// The next id [`Fishbone::fresh_id`] hands out.
    #[serde(default)]
    pub next_id: u32,
}

impl Fishbone {
    /// An empty fishbone.
    pub fn new(id: FishboneId, effect: impl Into<String>, categories: CategorySet) -> Self {
        Fishbone { id, effect: effect.into(), categories, causes: Vec::new(), next_id: 1 }
    }

    /// Every cause, depth first (parents before children), with its depth (0 for top-level causes).
    pub fn walk(&self) -> Vec<(usize, &Cause)> {
        fn go<'a>(causes: &'a [Cause], depth: usize, out: &mut Vec<(usize, &'a Cause)>) {
            for c in causes {
                out.push((depth, c));
                go(&c.causes, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        go(&self.causes, 0, &mut out);
        out
    }

    /// The cause with this id, at any depth. O(n).
    pub fn cause(&self, id: CauseId) -> Option<&Cause> {
        self.walk().into_iter().map(|(_, c)| c).find(|c| c.id == id)
    }

    /// The cause with this id, mutable, at any depth. O(n).
    pub fn cause_mut(&mut self, id: CauseId) -> Option<&mut Cause> {
        fn go(causes: &mut [Cause], id: CauseId) -> Option<&mut Cause> {
            for c in causes {
                if c.id == id {
                    return Some(c);
                }
                if let Some(found) = go(&mut c.causes, id) {
                    return Some(found);
                }
            }
            None
        }
        go(&mut self.causes, id)
    }

    /// The category of a cause: its own, or its top-level ancestor's when it has none.
    pub fn category_of(&self, id: CauseId) -> Option<String> {
        fn go(causes: &[Cause], id: CauseId, inherited: &str) -> Option<String> {
            for c in causes {
                let cat = if c.category.is_empty() { inherited } else { c.category.as_str() };
                if c.id == id {
                    return Some(cat.to_string());
                }
                if let Some(found) = go(&c.causes, id, cat) {
                    return Some(found);
                }
            }
            None
        }
        go(&self.causes, id, "")
    }

    /// An id no cause of this fishbone has had.
    pub fn fresh_id(&self) -> CauseId {
        let past = self.walk().iter().map(|(_, c)| c.id.0 + 1).max().unwrap_or(1);
        CauseId(past.max(self.next_id).max(1))
    }

    /// Adds a cause under `parent` (or at the top level under `category` when `parent` is `None`) and returns
    /// its id, or `None` when `parent` does not exist.
    pub fn add_cause(&mut self, parent: Option<CauseId>, category: &str, text: impl Into<String>) -> Option<CauseId> {
        let id = self.fresh_id();
        let cause = Cause { id, text: text.into(), category: category.to_string(), ..Default::default() };
        match parent {
            None => self.causes.push(cause),
            Some(p) => self.cause_mut(p)?.causes.push(cause),
        }
        self.next_id = id.0 + 1;
        Some(id)
    }

    /// Problems with this fishbone: causes in a category the set does not have, empty cause texts.
    /// Each message names the cause.
    pub fn problems(&self) -> Vec<String> {
        let names = self.categories.names();
        let mut out = Vec::new();
        for c in &self.causes {
            if !c.category.is_empty() && !names.contains(&c.category) {
                out.push(format!("cause {} \"{}\": category \"{}\" is not one of {:?}", c.id.0, c.text, c.category, names));
            }
        }
        for (_, c) in self.walk() {
            if c.text.trim().is_empty() {
                out.push(format!("cause {}: empty text", c.id.0));
            }
        }
        out
    }
}

/// Why [`Project::promote_cause`] (or a rename) could not be done.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("no fishbone with id {0}")]
    NoFishbone(u32),
    #[error("fishbone {fishbone}: no cause with id {cause}")]
    NoCause { fishbone: u32, cause: u32 },
    #[error("no fault tree with id {0}")]
    NoTree(u32),
    #[error("fault tree \"{tree}\": no gate with id {gate}")]
    NoGate { tree: String, gate: u32 },
    #[error("fault tree \"{tree}\": an element is already named \"{name}\"")]
    NameTaken { tree: String, name: String },
    #[error("fault tree \"{tree}\": no basic event with id {element}")]
    NoEvent { tree: String, element: u32 },
    #[error("a name cannot be empty")]
    EmptyName,
}

impl Project {
    /// The fishbone with this id.
    pub fn fishbone(&self, id: FishboneId) -> Option<&Fishbone> {
        self.fishbones.iter().find(|f| f.id == id)
    }

    /// The cause a reference points at.
    pub fn cause(&self, r: CauseRef) -> Option<&Cause> {
        self.fishbone(r.fishbone)?.cause(r.cause)
    }

    /// Promotes a fishbone cause to a basic event: adds a basic event named after the cause (its text),
    /// with probability `p`, as an argument of `gate` in `tree`, and links the cause to it. From then on the
    /// two are one identity: see [`Project::rename_cause`] and [`Project::rename_event`].
    ///
    /// Returns the new event. Fails, changing nothing, when the cause, tree or gate does not exist or the tree
    /// already has an element of that name.
    pub fn promote_cause(&mut self, cause: CauseRef, tree: TreeId, gate: ElementId, p: f64) -> Result<EventRef, LinkError> {
        let name = {
            let fb = self.fishbone(cause.fishbone).ok_or(LinkError::NoFishbone(cause.fishbone.0))?;
            let c = fb.cause(cause.cause).ok_or(LinkError::NoCause { fishbone: cause.fishbone.0, cause: cause.cause.0 })?;
            c.text.trim().to_string()
        };
        if name.is_empty() {
            return Err(LinkError::EmptyName);
        }
        let t = self.fault_trees.iter_mut().find(|t| t.id == tree).ok_or(LinkError::NoTree(tree.0))?;
        if !matches!(t.element(gate).map(|e| &e.kind), Some(ElementKind::Gate { .. })) {
            return Err(LinkError::NoGate { tree: t.name.clone(), gate: gate.0 });
        }
        if t.by_name(&name).is_some() {
            return Err(LinkError::NameTaken { tree: t.name.clone(), name });
        }
        let id = t.add(name, ElementKind::BasicEvent { probability: Probability::Fixed { p } });
        if let Some(ElementKind::Gate { args, .. }) = t.element_mut(gate).map(|e| &mut e.kind) {
            args.push(id);
        }
        let event = EventRef { tree, element: id };
        let fb = self.fishbones.iter_mut().find(|f| f.id == cause.fishbone).expect("checked above");
        fb.cause_mut(cause.cause).expect("checked above").links.push(CauseLink::BasicEvent(event));
        Ok(event)
    }

    /// Renames a cause; every basic event it is linked to gets the same name (one identity).
    /// Fails, changing nothing, when a linked tree already has another element of that name.
    pub fn rename_cause(&mut self, cause: CauseRef, text: &str) -> Result<(), LinkError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(LinkError::EmptyName);
        }
        let events: Vec<EventRef> = self
            .cause(cause)
            .ok_or(LinkError::NoCause { fishbone: cause.fishbone.0, cause: cause.cause.0 })?
            .events()
            .collect();
        for e in &events {
            self.check_event_rename(*e, text)?;
        }
        for e in events {
            self.set_event_name(e, text);
        }
        self.set_linked_cause_texts(|c| c == cause, text);
        Ok(())
    }

    /// Renames a basic event; every fishbone cause linked to it gets the same text (one identity).
    pub fn rename_event(&mut self, event: EventRef, name: &str) -> Result<(), LinkError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(LinkError::EmptyName);
        }
        self.check_event_rename(event, name)?;
        self.set_event_name(event, name);
        let linked: Vec<CauseRef> = self
            .fishbones
            .iter()
            .flat_map(|f| {
                f.walk()
                    .into_iter()
                    .filter(|(_, c)| c.events().any(|e| e == event))
                    .map(|(_, c)| CauseRef { fishbone: f.id, cause: c.id })
                    .collect::<Vec<_>>()
            })
            .collect();
        self.set_linked_cause_texts(|c| linked.contains(&c), name);
        Ok(())
    }

    fn check_event_rename(&self, event: EventRef, name: &str) -> Result<(), LinkError> {
        let t = self.tree(event.tree).ok_or(LinkError::NoTree(event.tree.0))?;
        match t.element(event.element).map(|e| &e.kind) {
            Some(ElementKind::BasicEvent { .. }) | Some(ElementKind::UndevelopedEvent { .. }) => {}
            _ => return Err(LinkError::NoEvent { tree: t.name.clone(), element: event.element.0 }),
        }
        if t.elements.iter().any(|e| e.name == name && e.id != event.element) {
            return Err(LinkError::NameTaken { tree: t.name.clone(), name: name.to_string() });
        }
        Ok(())
    }

    fn set_event_name(&mut self, event: EventRef, name: &str) {
        if let Some(e) = self.fault_trees.iter_mut().find(|t| t.id == event.tree).and_then(|t| t.element_mut(event.element)) {
            e.name = name.to_string();
        }
    }

    fn set_linked_cause_texts(&mut self, pick: impl Fn(CauseRef) -> bool, text: &str) {
        fn go(causes: &mut [Cause], fb: FishboneId, pick: &dyn Fn(CauseRef) -> bool, text: &str) {
            for c in causes {
                if pick(CauseRef { fishbone: fb, cause: c.id }) {
                    c.text = text.to_string();
                }
                go(&mut c.causes, fb, pick, text);
            }
        }
        for f in &mut self.fishbones {
            let id = f.id;
            go(&mut f.causes, id, &pick, text);
        }
    }
}
