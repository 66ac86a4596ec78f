//! Root-cause analysis: fishbones with 5 Whys, Swiss-cheese defence layers, blameless postmortems and the
//! action items that come out of them, all linked to the fault trees (and FMEA rows) of the same project.
//!
//! - [`fishbone`]: the Ishikawa diagram: an effect, a category set, causes nested to any depth, each with a
//!   5 Whys chain, evidence and links to a basic event or a failure mode. A cause can be *promoted* to a basic
//!   event ([`crate::project::Project::promote_cause`]), after which the two share one name.
//! - [`layers`]: defence layers over the minimal cut sets of a top event: defence depth, aligned holes,
//!   coverage and residual probability.
//! - [`postmortem`]: the blameless postmortem document.
//! - [`actions`]: action items, their intended effect and the risk reduction it buys.
//! - [`checks`]: the RCA definition of done, blameless-language hints, and statistics across postmortems.
//!
//! Nothing here reads the clock: "today" and "now" are always parameters.

pub mod actions;
pub mod checks;
pub mod fishbone;
pub mod layers;
pub mod postmortem;

use crate::fault_tree::{ElementId, TreeId};
use serde::{Deserialize, Serialize};

/// A reference to one basic (or undeveloped) event: the tree it is defined in and its element id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventRef {
    pub tree: TreeId,
    pub element: ElementId,
}

/// A reference to one FMEA row (one failure mode): the worksheet id and the row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FmeaRef {
    pub sheet: u32,
    pub row: u32,
}

#[cfg(test)]
mod tests;
