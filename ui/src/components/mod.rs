//! One function component per file. [`app::App`] owns the state and hands it down as props, with the
//! reducer's dispatcher; components run backend calls through [`crate::effects`].

pub mod app;
pub mod doc_summary;
pub mod menu_bar;
pub mod navigator;
pub mod properties;
pub mod results_drawer;
pub mod status_bar;
pub mod tree_canvas;
pub mod workspace;
