//! The status bar: the project file path, the saved indicator, the undo depth, the analysis time and the
//! app version; and the latest notice (what was undone, an error that stopped an edit).

use crate::state::{Action, Backend, SaveStatus, State};
use crate::effects::Dispatch;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`StatusBar`].
#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

/// The bottom line of the window.
#[function_component(StatusBar)]
pub fn status_bar(props: &StatusBarProps) -> Html {
    let state = &props.state;
    let (project, version) = match &state.backend {
        Backend::Connecting => (
            html! { <span class="status-project muted" id="status-project">{ "Connecting to the backend…" }</span> },
            html! {},
        ),
        Backend::Ready(info) => {
            let path = state.project_path().unwrap_or(&info.project_path).to_string();
            (
                html! { <span class="status-project" id="status-project" title={path.clone()}>{ path }</span> },
                html! { <span class="status-version" id="status-version">{ format!("Faultline {}", info.version) }</span> },
            )
        }
        Backend::Failed(error) => (
            html! {
                <span class="status-project status-error" id="status-error" role="alert">
                    { format!("Backend error: {}", error.message) }
                </span>
            },
            html! {},
        ),
    };
    // Links between documents that no longer resolve (after a deletion, say): named, never silent.
    let broken = state.view.as_ref().map(|v| v.project.dangling_references()).unwrap_or_default();
    let broken = (!broken.is_empty()).then(|| {
        let list = broken.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
        html! {
            <span class="status-broken" id="status-broken" title={list} role="status">
                { format!("{} broken link{}", broken.len(), if broken.len() == 1 { "" } else { "s" }) }
            </span>
        }
    });
    let saved = state.save == SaveStatus::Saved;
    let undo = state.view.as_ref().map(|v| v.undo_depth).unwrap_or(0);
    let ms = state.open_report().map(|r| format!("{:.1} ms", r.elapsed_ms));
    let notice = state.notice.clone().map(|n| {
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissNotice));
        html! {
            <span class={classes!("notice", n.error.then_some("notice-error"))} id="notice" role={if n.error { "alert" } else { "status" }}
                  title="Click to dismiss" {onclick}>{ n.text }</span>
        }
    });
    html! {
        <footer class="status-bar" id="status-bar">
            { project }
            { notice.unwrap_or_default() }
            { broken.unwrap_or_default() }
            <span class={classes!("status-saved", saved.then_some("is-saved"))} id="status-saved">
                <span class="dot" aria-hidden="true"></span>{ state.save.label() }
            </span>
            <span class="status-undo" id="status-undo" title="Edits that Ctrl+Z can undo">{ format!("Undo {undo}") }</span>
            if let Some(ms) = ms { <span class="status-ms" id="status-ms" title="Last analysis time">{ ms }</span> }
            { version }
        </footer>
    }
}
