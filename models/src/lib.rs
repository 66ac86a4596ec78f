//! # faultline-models: the pure core of Faultline
//!
//! Everything Faultline knows about reliability lives here: the document types of a project (fault trees,
//! FMEA worksheets, fishbones, defence layers, postmortems, action items), their validation, and every
//! analysis (minimal cut sets, exact probability, importance, Action Priority, defence depth, ...).
//!
//! This crate does no IO: no files, no SQL, no clock, no Tauri. Callers hand it values and get values back, so
//! it builds for `wasm32-unknown-unknown` as well as natively and every analysis is testable in isolation.
//!
//! ## Map
//! - [`fault_tree`]: the fault-tree document ([`fault_tree::FaultTree`]) and its validation into a
//!   [`fault_tree::validate::ValidTree`] ("parse, don't validate": analysis accepts only a valid tree).
//! - [`analysis`]: the fault-tree engine, in stages: `pdag` (the propositional DAG),
//!   `bdd` (exact probability, Birnbaum), `zbdd` (minimal cut sets, counted without listing), `mocus` (an
//!   independent cross-check), `importance`.
//! - [`layout`]: the tidy top-down picture layout of a fault tree and its IEC 61025 symbols, shared by the
//!   editor, the CLI and the exports.
//! - [`project`]: the whole project, the aggregate that storage saves and exports round-trip.
//! - [`links`]: every cross-document reference of a project and whether it resolves
//!   ([`project::Project::dangling_references`]).

pub mod analysis;
pub mod diff;
pub mod edit;
pub mod fault_tree;
pub mod fmea;
pub mod layout;
pub mod links;
pub mod ops;
pub mod project;
pub mod rca;
pub mod samples;
pub mod view;
