//! Open-PSA MEF XML: import into a [`FaultTree`] and export back.
//!
//! # Import
//! [`import`] reads one or more MEF files as one model (MEF names are global: a gate or basic event referenced in
//! one file may be defined in another) and returns one [`FaultTree`]. Supported:
//! - `opsa-mef`, `define-fault-tree`, `model-data`, `define-gate` with an optional `<label>` and `<attributes>`;
//! - the formulas `and`, `or`, `atleast` (with `min`), `not`, `xor`, `nand`, `nor`, nested to any depth (a nested
//!   formula becomes a generated gate named after its gate: `g.1`, `g.2`, ... in document order);
//! - references `<gate>`, `<basic-event>`, `<house-event>` and `<event>` (resolved by kind);
//! - `define-basic-event` with `<float>`, `<int>`, `<exponential>` (λ, then a time that is `<system-mission-time/>`,
//!   a number or a parameter), `<parameter>` references, and `mul`, `div`, `add`, `sub`, `neg` over numbers;
//! - `define-parameter`, `define-house-event` with `<constant value="true|false"/>`;
//! - the system mission time, given as `<define-parameter name="system-mission-time">` or as
//!   `<system-mission-time value="..."/>` inside `model-data`: it sets [`FaultTree::mission_time`];
//! - attributes: `description` (kept as the element's description), `flavour="inhibit"` on a two-argument `and`
//!   gate ([`GateKind::Inhibit`]), `flavour="undeveloped"` on a basic event, and `top` on a fault tree.
//!
//! Anything else (`imply`, `iff`, `cardinality`, CCF groups, deviates, event trees, substitutions, ...) is an
//! error naming the element and the line, e.g. `a.xml:12: unsupported <imply> in gate 'g3'`.
//!
//! A gate whose formula is a bare reference (`<define-gate name="g"><basic-event name="e"/></define-gate>`) is an
//! alias: references to `g` go straight to `e` and `g` is not an element. Only when no gate references it (a
//! root) is it kept, as an `or` gate with that one argument.
//!
//! # Export
//! [`export`] writes one tree; [`export_project_tree`] also writes the trees its transfers reach, so the file is
//! self-contained. Both import back to an equal tree (see their docs for the exact guarantee).

mod export;
mod import;
mod xml;

pub use export::{export, export_project_tree};
pub use import::import;

use faultline_models::fault_tree::{ElementKind, FaultTree};
use std::collections::HashSet;
use std::fmt;

/// One MEF input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file name used in messages (`name:line: ...`).
    pub name: String,
    /// The whole XML text.
    pub text: String,
}

impl Source {
    /// A source from a file name and its text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source { name: name.into(), text: text.into() }
    }
}

/// One problem found while importing MEF XML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MefError {
    /// The file ([`Source::name`]).
    pub file: String,
    /// The 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong, naming the element.
    pub message: String,
}

impl fmt::Display for MefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for MefError {}

/// The names of the gates that are no other gate's argument, in element order: the candidates for the top event.
///
/// [`import`] sets [`FaultTree::top`] when there is exactly one (or when the model names it with a `top`
/// attribute); otherwise a caller can list these ("several top candidates: a, b; choose with --top").
/// Complexity: O(E + A) for E elements and A gate arguments.
pub fn roots(tree: &FaultTree) -> Vec<String> {
    let used: HashSet<_> = tree
        .elements
        .iter()
        .flat_map(|e| match &e.kind {
            ElementKind::Gate { args, .. } => args.as_slice(),
            _ => &[],
        })
        .copied()
        .collect();
    tree.elements
        .iter()
        .filter(|e| matches!(e.kind, ElementKind::Gate { .. }) && !used.contains(&e.id))
        .map(|e| e.name.clone())
        .collect()
}
