//! # faultline-ui: the Yew frontend of the Faultline desktop app
//!
//! Compiled to `wasm32-unknown-unknown` and loaded by the Tauri shell (`src-tauri/`) from `ui/dist`.
//! The structure follows Yew's `function_todomvc` example:
//!
//! - [`state`]: the whole UI state as a pure [`yew::Reducible`] plus the [`state::Action`]s that change it.
//!   No DOM, no IO: unit-tested natively.
//! - [`api`]: the ONE door to the backend, a typed wrapper around `window.__TAURI__.core.invoke` that turns a
//!   rejected command into `Err(ApiError)`.
//! - [`format`]: number formatting (scientific notation, 3 significant digits).
//! - [`components`]: one function component per file; [`components::app::App`] is the root.
//!
//! The crate also compiles natively (for the reducer and formatting tests); code that only makes sense in a
//! browser is gated on `target_arch = "wasm32"`.

pub mod api;
pub mod components;
pub mod effects;
pub mod format;
pub mod state;

/// The wasm entry point: mounts [`components::app::App`] on `<body>`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}
