//! The UI's side effects: backend calls that end in an [`Action`]. Components call these instead of
//! `api` directly, so every call reports its outcome (or its error) to the reducer the same way.

use crate::api::{self, DialogPurpose, Export};
use crate::state::{Action, State};
use faultline_models::ops::Op;
use yew::platform::spawn_local;
use yew::UseReducerDispatcher;

/// The reducer's dispatcher, shared by every component through a context.
pub type Dispatch = UseReducerDispatcher<State>;

/// Applies `op` in the backend (saved before it answers) and reports the outcome.
pub fn edit(dispatch: &Dispatch, op: Op) {
    let d = dispatch.clone();
    d.dispatch(Action::SaveStarted);
    spawn_local(async move {
        match api::project_edit(&op).await {
            Ok(outcome) => d.dispatch(Action::Edited(outcome)),
            Err(e) => d.dispatch(Action::Failed(e)),
        }
    });
}

/// Undo (`undo = true`) or redo.
pub fn step(dispatch: &Dispatch, undo: bool) {
    let d = dispatch.clone();
    d.dispatch(Action::SaveStarted);
    spawn_local(async move {
        let answer = if undo { api::project_undo().await } else { api::project_redo().await };
        match answer {
            Ok(outcome) => d.dispatch(Action::Stepped { undo, outcome }),
            Err(e) => d.dispatch(Action::Failed(e)),
        }
    });
}

/// Loads the start project (or the open one).
pub fn load(dispatch: &Dispatch) {
    let d = dispatch.clone();
    spawn_local(async move {
        match api::app_info().await {
            Ok(info) => d.dispatch(Action::BackendAnswered(info)),
            Err(e) => {
                d.dispatch(Action::BackendFailed(e));
                return;
            }
        }
        match api::project_view().await {
            Ok(view) => d.dispatch(Action::Loaded(view)),
            Err(e) => d.dispatch(Action::Failed(e)),
        }
    });
}

/// Analyses `tree` for the project revision `revision`, by its cut sets up to `limit_order` if given.
pub fn analyse(dispatch: &Dispatch, tree: faultline_models::fault_tree::TreeId, revision: u64, limit_order: Option<usize>) {
    let d = dispatch.clone();
    d.dispatch(Action::AnalysisStarted(revision));
    spawn_local(async move {
        match api::analyze_tree(tree, limit_order).await {
            Ok(report) => d.dispatch(Action::Analysed { revision, report }),
            Err(error) => d.dispatch(Action::AnalysisFailed { revision, error }),
        }
    });
}

/// The File menu's commands.
#[derive(Clone, Debug, PartialEq)]
pub enum FileCommand {
    New,
    Open,
    OpenPath(String),
    SaveAs,
    ImportMef,
    Export(Export),
    Snapshot(String),
}

/// Runs a File menu command: shows the native dialog where one is needed, then calls the backend.
pub fn file(dispatch: &Dispatch, command: FileCommand, suggested_name: String) {
    let d = dispatch.clone();
    spawn_local(async move {
        let first = |paths: Vec<String>| paths.into_iter().next();
        let result: Result<Option<Action>, api::ApiError> = async {
            Ok(match command {
                FileCommand::New => match first(api::pick_files(&DialogPurpose::NewProject).await?) {
                    Some(path) => Some(Action::Loaded(api::project_new(&path).await?)),
                    None => None,
                },
                FileCommand::Open => match first(api::pick_files(&DialogPurpose::OpenProject).await?) {
                    Some(path) => Some(Action::Loaded(api::project_open(&path).await?)),
                    None => None,
                },
                FileCommand::OpenPath(path) => Some(Action::Loaded(api::project_open(&path).await?)),
                FileCommand::SaveAs => {
                    let purpose = DialogPurpose::Save { extension: "faultline".into(), default_name: suggested_name };
                    match first(api::pick_files(&purpose).await?) {
                        // The native save dialog already asked whether to replace an existing file.
                        Some(path) => Some(Action::Loaded(api::project_save_as(&path, true).await?)),
                        None => None,
                    }
                }
                FileCommand::ImportMef => {
                    let paths = api::pick_files(&DialogPurpose::ImportMef).await?;
                    if paths.is_empty() {
                        None
                    } else {
                        Some(Action::Edited(api::import_mef(&paths).await?))
                    }
                }
                FileCommand::Export(what) => {
                    let purpose =
                        DialogPurpose::Save { extension: what.extension().into(), default_name: suggested_name };
                    match first(api::pick_files(&purpose).await?) {
                        Some(path) => {
                            api::export_file(&what, &path).await?;
                            Some(Action::Notify(format!("Exported to {path}")))
                        }
                        None => None,
                    }
                }
                FileCommand::Snapshot(name) => {
                    let view = api::project_snapshot(&name).await?;
                    d.dispatch(Action::Loaded(view));
                    Some(Action::Notify(format!("Snapshot “{name}” taken")))
                }
            })
        }
        .await;
        match result {
            Ok(Some(action)) => d.dispatch(action),
            Ok(None) => {}
            Err(e) => d.dispatch(Action::Failed(e)),
        }
    });
}
