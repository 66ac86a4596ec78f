//! # faultline-app: the Tauri v2 desktop shell
//!
//! The shell opens one window showing the Yew UI (`ui/dist`, embedded at compile time) and exposes thin
//! commands ([`commands`]) that call into the Tauri-free crates. It holds no logic of its own.

pub mod commands;
pub mod error;

pub use error::Error;
use tauri::Manager;

/// Builds and runs the app: registers the commands and opens the main window. Returns when the last window
/// closes.
///
/// # Panics
/// When the webview cannot start (no display, missing webkit): there is nothing useful left to do.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            let config_dir = app.path().app_config_dir()?;
            // `faultline-app FILE` opens FILE; without it, the default project in the data folder.
            let start_path = std::env::args_os()
                .nth(1)
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| commands::default_project_path(&data_dir));
            let session = faultline_store::session::Session::new(config_dir.join("recent.json"));
            app.manage(commands::AppState {
                session: std::sync::Mutex::new(session),
                start_path,
                data_dir,
                analysis: Default::default(),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::project_view,
            commands::project_open,
            commands::project_new,
            commands::project_save_as,
            commands::project_edit,
            commands::project_undo,
            commands::project_redo,
            commands::project_snapshot,
            commands::analyze_tree,
            commands::import_mef,
            commands::export_file,
            commands::save_text,
            commands::pick_files,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Faultline window");
}
