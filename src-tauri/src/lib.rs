//! # faultline-app: the Tauri v2 desktop shell
//!
//! The shell opens one window showing the Yew UI (`ui/dist`, embedded at compile time) and exposes thin
//! commands ([`commands`]) that call into the Tauri-free crates. It holds no logic of its own.

pub mod commands;
pub mod error;

pub use error::Error;

/// Builds and runs the app: registers the commands and opens the main window. Returns when the last window
/// closes.
///
/// # Panics
/// When the webview cannot start (no display, missing webkit): there is nothing useful left to do.
pub fn run() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![commands::app_info])
        .run(tauri::generate_context!())
        .expect("error while running the Faultline window");
}
