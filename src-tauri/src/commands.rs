//! The commands the UI can invoke (through `ui/src/api.rs`). Each one is a thin call: resolve Tauri
//! state, call a Tauri-free crate, return its value or an [`Error`].

use crate::Error;
use serde::Serialize;
use std::path::PathBuf;
use tauri::Manager;

/// The file name of the project the app opens by default, inside the app data folder.
pub const DEFAULT_PROJECT_FILE: &str = "default.faultline";

/// What `app_info` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppInfo {
    /// The app's version (the workspace version).
    pub version: String,
    /// The absolute path of the open project file.
    pub project_path: String,
    /// The app data folder (`$XDG_DATA_HOME/dev.faultline.desktop` on Linux).
    pub data_dir: String,
}

/// The default project file inside `data_dir`.
pub fn default_project_path(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join(DEFAULT_PROJECT_FILE)
}

/// The app's version and the open project's path.
#[tauri::command]
pub fn app_info(app: tauri::AppHandle) -> Result<AppInfo, Error> {
    let data_dir = app.path().app_data_dir().map_err(|e| Error::DataDir(e.to_string()))?;
    Ok(AppInfo {
        version: app.package_info().version.to_string(),
        project_path: default_project_path(&data_dir).display().to_string(),
        data_dir: data_dir.display().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_project_lives_in_the_data_dir() {
        let p = default_project_path(std::path::Path::new("/home/u/.local/share/dev.faultline.desktop"));
        assert_eq!(p, PathBuf::from("/home/u/.local/share/dev.faultline.desktop/default.faultline"));
    }
}
