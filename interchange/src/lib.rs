//! Import and export of Faultline models.

pub mod detect;
pub mod json;
pub mod mef;
