//! Import and export of Faultline models.

pub mod detect;
pub mod files;
pub mod json;
pub mod mef;
pub mod actions_csv;
pub mod diagrams;
pub mod postmortem_md;
pub mod charts;
pub mod fmea_csv;
pub mod register;
pub mod tree_picture;
