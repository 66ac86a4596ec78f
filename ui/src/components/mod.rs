//! One function component per file. [`app::App`] owns the state and hands slices of it down as props.

pub mod app;
pub mod navigator;
pub mod properties;
pub mod results_drawer;
pub mod status_bar;
pub mod workspace;
