//! The UI's only door to the backend: one typed wrapper around `window.__TAURI__.core.invoke`.
//!
//! Every backend command gets one typed function here. A command that the shell
//! rejects comes back as `Err(ApiError)` with the `{kind, message}` the shell's `Error` serializes to;
//! a rejection of another shape (IPC failure, no Tauri at all because the page runs in a plain browser)
//! is mapped to an `ApiError` too, so callers never see a raw `JsValue` or a panic.

use faultline_models::analysis::Options;
use faultline_models::fault_tree::TreeId;
use faultline_models::ops::Op;
pub use faultline_models::view::{DialogPurpose, EditOutcome, Export, ProjectView, StepOutcome, TimedReport, LISTED_CUT_SETS};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A failed backend call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// A stable, machine-readable category: the shell's error kind (`"data_dir"`, ...), or `"ipc"` for a
    /// rejection that was not a shell error, or `"unavailable"` when there is no Tauri backend.
    pub kind: String,
    /// A sentence for a person.
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.kind)
    }
}

/// What the shell reports about itself and the open project (`app_info` command).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    /// The app's version (the workspace version).
    pub version: String,
    /// The absolute path of the open project file.
    pub project_path: String,
    /// The folder where the app keeps its data.
    pub data_dir: String,
}

/// Asks the shell for its version and the open project's path.
pub async fn app_info() -> Result<AppInfo, ApiError> {
    invoke("app_info", &NoArgs {}).await
}

/// The open project; the first call opens the start project (the default one, seeded on first run).
pub async fn project_view() -> Result<ProjectView, ApiError> {
    invoke("project_view", &NoArgs {}).await
}

#[derive(Serialize)]
struct PathArg<'a> {
    path: &'a str,
}

/// Opens an existing project file.
pub async fn project_open(path: &str) -> Result<ProjectView, ApiError> {
    invoke("project_open", &PathArg { path }).await
}

/// Creates a new empty project file and opens it.
pub async fn project_new(path: &str) -> Result<ProjectView, ApiError> {
    invoke("project_new", &PathArg { path }).await
}

#[derive(Serialize)]
struct SaveAsArgs<'a> {
    path: &'a str,
    overwrite: bool,
}

/// Saves a copy under `path` and continues on it (the native dialog already asked about overwriting).
pub async fn project_save_as(path: &str, overwrite: bool) -> Result<ProjectView, ApiError> {
    invoke("project_save_as", &SaveAsArgs { path, overwrite }).await
}

#[derive(Serialize)]
struct OpArg<'a> {
    op: &'a Op,
}

/// Applies one editing op (committed before the answer).
pub async fn project_edit(op: &Op) -> Result<EditOutcome, ApiError> {
    invoke("project_edit", &OpArg { op }).await
}

/// Undoes the latest edit.
pub async fn project_undo() -> Result<StepOutcome, ApiError> {
    invoke("project_undo", &NoArgs {}).await
}

/// Redoes the latest undone edit.
pub async fn project_redo() -> Result<StepOutcome, ApiError> {
    invoke("project_redo", &NoArgs {}).await
}

#[derive(Serialize)]
struct NameArg<'a> {
    name: &'a str,
}

/// Takes a named snapshot.
pub async fn project_snapshot(name: &str) -> Result<ProjectView, ApiError> {
    invoke("project_snapshot", &NameArg { name }).await
}

#[derive(Serialize)]
struct AnalyzeArgs {
    tree: TreeId,
    options: Option<Options>,
}

/// Validates and analyses one fault tree (off the UI thread, in the backend): exactly, or, with a limit
/// order, by its cut sets when its BDD is too large for the app.
pub async fn analyze_tree(tree: TreeId, limit_order: Option<usize>) -> Result<TimedReport, ApiError> {
    let options = limit_order.map(|k| Options { limit_order: Some(k), max_cut_sets: LISTED_CUT_SETS, ..Options::default() });
    invoke("analyze_tree", &AnalyzeArgs { tree, options }).await
}

#[derive(Serialize)]
struct PathsArg<'a> {
    paths: &'a [String],
}

/// Imports a fault tree from MEF files.
pub async fn import_mef(paths: &[String]) -> Result<EditOutcome, ApiError> {
    invoke("import_mef", &PathsArg { paths }).await
}

#[derive(Serialize)]
struct ExportArgs<'a> {
    what: &'a Export,
    path: &'a str,
}

/// Writes an export of the open project to `path`.
pub async fn export_file(what: &Export, path: &str) -> Result<(), ApiError> {
    invoke("export_file", &ExportArgs { what, path }).await
}

#[derive(Serialize)]
struct SaveTextArgs<'a> {
    path: &'a str,
    text: &'a str,
}

/// Writes text the UI produced (the tree picture as SVG) to `path`.
pub async fn save_text(path: &str, text: &str) -> Result<(), ApiError> {
    invoke("save_text", &SaveTextArgs { path, text }).await
}

#[derive(Serialize)]
struct PurposeArg<'a> {
    purpose: &'a DialogPurpose,
}

/// Shows a native file dialog; empty when cancelled.
pub async fn pick_files(purpose: &DialogPurpose) -> Result<Vec<String>, ApiError> {
    invoke("pick_files", &PurposeArg { purpose }).await
}

/// The arguments of a command that takes none.
#[derive(Serialize)]
struct NoArgs {}

/// Calls the shell command `cmd` with `args` (serialized to a JS object, field names as written) and
/// deserializes its answer into `R`.
async fn invoke<A: Serialize, R: DeserializeOwned>(cmd: &str, args: &A) -> Result<R, ApiError> {
    imp::invoke(cmd, args).await
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::ApiError;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// `window.__TAURI__.core.invoke` (the shell sets `withGlobalTauri`). `catch`: a missing
        /// `__TAURI__` (a plain browser) becomes `Err` instead of a JS exception. Deliberately not an
        /// `async fn`: wasm-bindgen's async imports do not catch a synchronous throw.
        #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
        fn tauri_invoke(cmd: &str, args: JsValue) -> Result<js_sys::Promise, JsValue>;
    }

    /// Calls `invoke` and awaits its promise; a throw or a rejection is `Err(the thrown/rejected value)`.
    async fn invoke_raw(cmd: &str, args: JsValue) -> Result<JsValue, JsValue> {
        wasm_bindgen_futures::JsFuture::from(tauri_invoke(cmd, args)?).await
    }

    pub(super) async fn invoke<A: Serialize, R: DeserializeOwned>(cmd: &str, args: &A) -> Result<R, ApiError> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let args = args.serialize(&serializer).map_err(|e| ApiError {
            kind: "encode".into(),
            message: format!("could not encode the arguments of `{cmd}`: {e}"),
        })?;
        let answer = invoke_raw(cmd, args).await.map_err(|rejection| rejection_to_error(cmd, rejection))?;
        serde_wasm_bindgen::from_value(answer).map_err(|e| ApiError {
            kind: "decode".into(),
            message: format!("could not read the answer of `{cmd}`: {e}"),
        })
    }

    /// Maps whatever a command's promise rejected with to an [`ApiError`]: the shell's `{kind, message}`
    /// as is, a string as kind `"ipc"`, a JS exception (no `window.__TAURI__`) as kind `"unavailable"`.
    pub fn rejection_to_error(cmd: &str, rejection: JsValue) -> ApiError {
        if let Ok(error) = serde_wasm_bindgen::from_value::<ApiError>(rejection.clone()) {
            return error;
        }
        if let Some(text) = rejection.as_string() {
            return ApiError { kind: "ipc".into(), message: format!("`{cmd}` failed: {text}") };
        }
        if let Some(error) = rejection.dyn_ref::<js_sys::Error>() {
            // A JS exception before the call: typically no `window.__TAURI__` (a plain browser).
            return ApiError {
                kind: "unavailable".into(),
                message: format!("the desktop backend is not reachable: {}", String::from(error.message())),
            };
        }
        ApiError { kind: "ipc".into(), message: format!("`{cmd}` failed with {rejection:?}") }
    }
}

#[cfg(target_arch = "wasm32")]
pub use imp::rejection_to_error;

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::ApiError;
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    /// Natively there is no webview and no shell: every call fails with kind `"unavailable"`.
    pub(super) async fn invoke<A: Serialize, R: DeserializeOwned>(cmd: &str, _args: &A) -> Result<R, ApiError> {
        Err(ApiError { kind: "unavailable".into(), message: format!("`{cmd}`: no desktop backend outside wasm32") })
    }
}
