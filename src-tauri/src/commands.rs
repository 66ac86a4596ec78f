//! The commands the UI can invoke (through `ui/src/api.rs`). Each one is a thin call: resolve Tauri
//! state, call a Tauri-free crate (`faultline_store::session`, `faultline_models`, `faultline_interchange`),
//! return its value or an [`Error`]. Every edit is committed to the project file before the command returns.

use crate::Error;
use faultline_interchange::files::{self, Export};
use faultline_models::analysis::{Limits, Options, Stopped};
use faultline_models::fault_tree::TreeId;
use faultline_models::ops::Op;
use faultline_models::project::Project;
use faultline_models::view::{DialogPurpose, EditOutcome, ProjectView, StepOutcome, TimedReport, LISTED_CUT_SETS};
use faultline_store::session::Session;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use tauri::{Manager, State};
use tauri_plugin_dialog::DialogExt;

/// The file name of the project the app opens by default, inside the app data folder.
pub const DEFAULT_PROJECT_FILE: &str = "default.faultline";

/// What the shell keeps between commands.
pub struct AppState {
    pub session: Mutex<Session>,
    /// The project to open at start: a path given on the command line, else the default project.
    pub start_path: PathBuf,
    pub data_dir: PathBuf,
    /// One analysis at a time (held by the worker), and the number of the newest request: a request that is
    /// no longer the newest when its turn comes is skipped, so a burst of edits on a heavy tree runs one
    /// analysis, not one per edit, and memory stays that of one analysis.
    pub analysis: std::sync::Arc<AnalysisQueue>,
}

/// See [`AppState::analysis`].
#[derive(Default)]
pub struct AnalysisQueue {
    running: Mutex<()>,
    newest: std::sync::atomic::AtomicU64,
    /// The cancel flag of the analysis running now, raised by the next request.
    current: Mutex<Option<Arc<AtomicBool>>>,
}

/// The most BDD nodes one analysis in the app may use by default (some 600 MB): past it the drawer says
/// the tree is too large for an exact analysis instead of the app growing until the machine swaps. The
/// command line has no ceiling unless asked (`--max-bdd-nodes`).
pub const MAX_BDD_NODES: usize = 1 << 24;

/// Replaces [`MAX_BDD_NODES`] (a number of nodes), for machines with less memory, and for the end-to-end
/// tests, which reach the ceiling with a tree that analyses in seconds.
pub const MAX_BDD_NODES_ENV: &str = "FAULTLINE_MAX_BDD_NODES";

/// The node ceiling of the app's analyses: [`MAX_BDD_NODES_ENV`] when it holds a number, else
/// [`MAX_BDD_NODES`].
pub fn max_bdd_nodes() -> usize {
    std::env::var(MAX_BDD_NODES_ENV).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(MAX_BDD_NODES)
}

impl AnalysisQueue {
    /// A ticket for a new request; it makes every older ticket stale and cancels the analysis running now.
    pub fn ticket(&self) -> u64 {
        let ticket = self.newest.fetch_add(1, SeqCst) + 1;
        if let Some(flag) = self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).as_ref() {
            flag.store(true, SeqCst);
        }
        ticket
    }

    /// Waits for the running analysis to end, then runs `work` if `ticket` is still the newest request;
    /// `None` when a newer request superseded it meanwhile. `work` gets the limits to analyse within: a
    /// cancel flag that the next [`AnalysisQueue::ticket`] raises, and the ceiling [`max_bdd_nodes`].
    pub fn run_if_newest<T>(&self, ticket: u64, work: impl FnOnce(Limits) -> T) -> Option<T> {
        let _turn = self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let flag = Arc::new(AtomicBool::new(false));
        *self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(flag.clone());
        // Checked after the flag is in place, so that a request arriving from here on cancels this one.
        let ceiling = Some(max_bdd_nodes());
        let result = (self.newest.load(SeqCst) == ticket).then(|| work(Limits { cancel: Some(flag), max_nodes: ceiling, max_zbdd_nodes: ceiling, max_mocus_entries: ceiling }));
        *self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        result
    }
}

/// What `app_info` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppInfo {
    /// The app's version (the workspace version).
    pub version: String,
    /// The project opened at start.
    pub project_path: String,
    /// The app data folder (`$XDG_DATA_HOME/dev.faultline.desktop` on Linux).
    pub data_dir: String,
}

/// The default project file inside `data_dir`.
pub fn default_project_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DEFAULT_PROJECT_FILE)
}

fn lock(state: &AppState) -> Result<std::sync::MutexGuard<'_, Session>, Error> {
    state.session.lock().map_err(|_| Error::Internal("the project session was poisoned by an earlier failure".into()))
}

/// Shows the open file in the window title: "name.faultline — Faultline" (and "read-only" when it is).
fn set_title(app: &tauri::AppHandle, view: &ProjectView) {
    let name = Path::new(&view.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let ro = if view.read_only.is_some() { " (read-only)" } else { "" };
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.set_title(&format!("{name}{ro} — {} — Faultline", view.path));
    }
}

/// The app's version and the project opened at start.
#[tauri::command]
pub fn app_info(app: tauri::AppHandle, state: State<'_, AppState>) -> Result<AppInfo, Error> {
    Ok(AppInfo {
        version: app.package_info().version.to_string(),
        project_path: state.start_path.display().to_string(),
        data_dir: state.data_dir.display().to_string(),
    })
}

/// The open project; on the first call, opens the start project (creating the default project, seeded with
/// the sample models, on the very first run).
#[tauri::command]
pub fn project_view(app: tauri::AppHandle, state: State<'_, AppState>) -> Result<ProjectView, Error> {
    let mut session = lock(&state)?;
    let view = match session.store() {
        Some(_) => session.view()?,
        None => session.open_or_create(&state.start_path, faultline_models::samples::default_project)?,
    };
    set_title(&app, &view);
    Ok(view)
}

/// Opens an existing project file.
#[tauri::command]
pub fn project_open(app: tauri::AppHandle, state: State<'_, AppState>, path: String) -> Result<ProjectView, Error> {
    let view = lock(&state)?.open(Path::new(&path))?;
    set_title(&app, &view);
    Ok(view)
}

/// Creates a new, empty project file and opens it.
#[tauri::command]
pub fn project_new(app: tauri::AppHandle, state: State<'_, AppState>, path: String) -> Result<ProjectView, Error> {
    let path = PathBuf::from(path);
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Project".into());
    let view = lock(&state)?.create(&path, &Project::new(name))?;
    set_title(&app, &view);
    Ok(view)
}

/// Saves a copy of the open project under `path` and continues on the copy.
#[tauri::command]
pub fn project_save_as(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
    overwrite: bool,
) -> Result<ProjectView, Error> {
    let view = lock(&state)?.save_as(Path::new(&path), overwrite)?;
    set_title(&app, &view);
    Ok(view)
}

/// Applies one editing op, committed before returning.
#[tauri::command]
pub fn project_edit(state: State<'_, AppState>, op: Op) -> Result<EditOutcome, Error> {
    Ok(lock(&state)?.edit(&op)?)
}

/// Undoes the latest edit.
#[tauri::command]
pub fn project_undo(state: State<'_, AppState>) -> Result<StepOutcome, Error> {
    let (label, view) = lock(&state)?.undo()?;
    Ok(StepOutcome { label, view })
}

/// Redoes the latest undone edit.
#[tauri::command]
pub fn project_redo(state: State<'_, AppState>) -> Result<StepOutcome, Error> {
    let (label, view) = lock(&state)?.redo()?;
    Ok(StepOutcome { label, view })
}

/// Takes a named snapshot.
#[tauri::command]
pub fn project_snapshot(state: State<'_, AppState>, name: String) -> Result<ProjectView, Error> {
    Ok(lock(&state)?.snapshot(&name, time::OffsetDateTime::now_utc())?)
}

/// Validates and analyses one fault tree of the open project, off the UI thread (the project is copied, the
/// lock released, and the work runs on a blocking worker), so the window stays responsive on heavy trees.
#[tauri::command]
pub async fn analyze_tree(state: State<'_, AppState>, tree: TreeId, options: Option<Options>) -> Result<TimedReport, Error> {
    let project = {
        let session = lock(&state)?;
        session.store().ok_or(Error::Internal("no project is open".into()))?.project().clone()
    };
    let options = options.unwrap_or(Options { max_cut_sets: LISTED_CUT_SETS, ..Options::default() });
    let queue = state.analysis.clone();
    let ticket = queue.ticket();
    let work = move || {
        queue
            .run_if_newest(ticket, |limits| {
                let started = std::time::Instant::now();
                let report = project
                    .report_tree_within(tree, &options, &limits)
                    .ok_or(Error::Internal(format!("no fault tree with id {}", tree.0)))?;
                if report.stopped == Some(Stopped::Cancelled) {
                    return Err(Error::Superseded);
                }
                Ok(TimedReport { report, elapsed_ms: started.elapsed().as_secs_f64() * 1e3 })
            })
            .unwrap_or(Err(Error::Superseded))
    };
    tauri::async_runtime::spawn_blocking(move || on_analysis_stack(work)?)
        .await
        .map_err(|e| Error::Internal(format!("the analysis worker failed: {e}")))?
}

/// The stack of the thread an analysis runs on, as the CLI's. Reserved, not committed.
const ANALYSIS_STACK: usize = 1 << 30;

/// Runs `work` on a thread of its own with [`ANALYSIS_STACK`] and waits for it: validation and the
/// diagram operations recurse once per level of the tree, and a tree some ten thousand gates deep needs
/// more than a worker thread's 2 MiB of stack (past it the process aborts).
fn on_analysis_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    std::thread::Builder::new()
        .name("analysis".into())
        .stack_size(ANALYSIS_STACK)
        .spawn(work)
        .map_err(|e| Error::Internal(format!("cannot start the analysis thread: {e}")))?
        .join()
        .map_err(|_| Error::Internal("the analysis failed unexpectedly".into()))
}

/// Imports a fault tree from MEF XML files into the open project (one undoable edit).
#[tauri::command]
pub fn import_mef(state: State<'_, AppState>, paths: Vec<String>) -> Result<EditOutcome, Error> {
    let mut files_read = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).map_err(|e| Error::File { path: p.clone(), message: e.to_string() })?;
        files_read.push((p.clone(), text));
    }
    let tree = files::import_mef(&files_read).map_err(Error::Import)?;
    Ok(lock(&state)?.edit(&Op::ImportTree { tree })?)
}

/// Writes an export of the open project to `path`.
#[tauri::command]
pub fn export_file(state: State<'_, AppState>, what: Export, path: String) -> Result<(), Error> {
    let project = {
        let session = lock(&state)?;
        session.store().ok_or(Error::Internal("no project is open".into()))?.project().clone()
    };
    let bytes = files::export(&project, &what, time::OffsetDateTime::now_utc().date()).map_err(Error::Export)?;
    write_file(&path, &bytes)
}

/// Writes bytes the UI produced (a tree picture as SVG, say) to `path`.
#[tauri::command]
pub fn save_text(path: String, text: String) -> Result<(), Error> {
    write_file(&path, text.as_bytes())
}

fn write_file(path: &str, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| Error::File { path: path.to_string(), message: e.to_string() })
}

/// Shows a native file dialog and answers the chosen paths (empty when cancelled). Runs off the main thread
/// (async command), as the dialog blocks until the user answers.
#[tauri::command]
pub async fn pick_files(app: tauri::AppHandle, purpose: DialogPurpose) -> Result<Vec<String>, Error> {
    if let Some(answer) = scripted_answer() {
        return Ok(answer);
    }
    let dialog = app.dialog().file();
    let to_strings = |paths: Vec<tauri_plugin_dialog::FilePath>| -> Vec<String> {
        paths.into_iter().filter_map(|p| p.into_path().ok()).map(|p| p.display().to_string()).collect()
    };
    let picked = match purpose {
        DialogPurpose::OpenProject => {
            to_strings(dialog.add_filter("Faultline project", &["faultline"]).blocking_pick_file().into_iter().collect())
        }
        DialogPurpose::NewProject => to_strings(
            dialog.add_filter("Faultline project", &["faultline"]).set_file_name("project.faultline").blocking_save_file().into_iter().collect(),
        ),
        DialogPurpose::ImportMef => {
            to_strings(dialog.add_filter("Open-PSA MEF XML", &["xml", "opsa"]).blocking_pick_files().unwrap_or_default())
        }
        DialogPurpose::Save { extension, default_name } => to_strings(
            dialog.add_filter(extension.to_uppercase(), &[extension.as_str()]).set_file_name(&default_name).blocking_save_file().into_iter().collect(),
        ),
    };
    Ok(picked)
}

/// The environment variable naming a file whose lines answer the next file dialog instead of a person (one
/// path per line; the file is consumed). The desktop end-to-end tests drive the File menu through it, since
/// WebDriver cannot reach native dialogs. Unset in normal use.
pub const SCRIPTED_DIALOG_ENV: &str = "FAULTLINE_SCRIPTED_DIALOG";

fn scripted_answer() -> Option<Vec<String>> {
    let file = std::env::var_os(SCRIPTED_DIALOG_ENV)?;
    let text = std::fs::read_to_string(&file).ok()?;
    let _ = std::fs::remove_file(&file);
    Some(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From a thread with a worker's 2 MiB stack (tokio's blocking pool), a tree 20,000 gates deep (each an
    /// OR of the next one and an event) is validated and analysed on the analysis stack; run on the worker
    /// itself, it overflows and aborts the process.
    #[test]
    fn a_deep_tree_is_analysed_on_the_analysis_stack() {
        use faultline_models::fault_tree::{FaultTree, GateKind, TreeId};
        let worker = std::thread::Builder::new().stack_size(2 << 20).spawn(|| {
            on_analysis_stack(|| {
                let mut t = FaultTree::new(TreeId(1), "chain");
                let a = t.add_basic("a", 0.1);
                let b = t.add_basic("b", 0.1);
                let mut below = t.add_gate("g", GateKind::And, vec![a, b]);
                for i in 0..20_000 {
                    let e = t.add_basic(format!("e{i}"), 1e-7);
                    below = t.add_gate(format!("g{i}"), GateKind::Or, vec![below, e]);
                }
                t.top = Some(below);
                let mut project = faultline_models::project::Project::new("deep");
                project.fault_trees.push(t);
                project.report_tree_within(TreeId(1), &Options { max_cut_sets: 1, ..Options::default() }, &Limits::default())
            })
        });
        let report = worker.unwrap().join().expect("the worker survives").expect("the analysis thread ran").expect("the tree exists");
        assert_eq!(report.analysis.map(|a| a.cut_set_count), Some(20_001));
    }

    #[test]
    fn default_project_lives_in_the_data_dir() {
        let p = default_project_path(Path::new("/home/u/.local/share/dev.faultline.desktop"));
        assert_eq!(p, PathBuf::from("/home/u/.local/share/dev.faultline.desktop/default.faultline"));
    }

    #[test]
    fn only_the_newest_analysis_request_runs() {
        let queue = std::sync::Arc::new(AnalysisQueue::default());
        let first = queue.ticket();
        // While the first runs, two more arrive: only the last of them runs afterwards.
        let q = queue.clone();
        let ran = queue.run_if_newest(first, move |_| {
            let second = q.ticket();
            let third = q.ticket();
            let q2 = q.clone();
            let late = std::thread::spawn(move || q2.run_if_newest(second, |_| "second"));
            let newest = std::thread::spawn(move || q.run_if_newest(third, |_| "third"));
            (late, newest)
        });
        let (late, newest) = ran.expect("the first request was the newest when it started");
        assert_eq!(late.join().unwrap(), None);
        assert_eq!(newest.join().unwrap(), Some("third"));
    }

    #[test]
    fn a_new_request_cancels_the_running_analysis() {
        let queue = AnalysisQueue::default();
        let first = queue.ticket();
        let seen = queue.run_if_newest(first, |limits| {
            let flag = limits.cancel.expect("the app's analyses can be cancelled");
            assert_eq!(limits.max_nodes, Some(max_bdd_nodes()));
            assert_eq!(limits.max_zbdd_nodes, Some(max_bdd_nodes()));
            let before = flag.load(SeqCst);
            queue.ticket();
            (before, flag.load(SeqCst))
        });
        assert_eq!(seen, Some((false, true)));
    }

    #[test]
    fn dialog_purposes_read_the_ui_json() {
        let p: DialogPurpose = serde_json::from_str(r#"{"save":{"extension":"svg","default_name":"tree.svg"}}"#).unwrap();
        assert!(matches!(p, DialogPurpose::Save { extension, .. } if extension == "svg"));
        let p: DialogPurpose = serde_json::from_str(r#""open_project""#).unwrap();
        assert!(matches!(p, DialogPurpose::OpenProject));
    }
}
