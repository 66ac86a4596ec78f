//! The status bar: the project file path, the saved indicator and the app version (from the backend).

use crate::state::{Backend, SaveStatus};
use yew::prelude::*;

/// Props of [`StatusBar`].
#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    pub backend: Backend,
    pub save: SaveStatus,
}

/// The bottom line of the window.
#[function_component(StatusBar)]
pub fn status_bar(props: &StatusBarProps) -> Html {
    let (project, version) = match &props.backend {
        Backend::Connecting => (
            html! { <span class="status-project muted" id="status-project">{ "Connecting to the backend…" }</span> },
            html! {},
        ),
        Backend::Ready(info) => (
            html! {
                <span class="status-project" id="status-project" title={info.project_path.clone()}>
                    { info.project_path.clone() }
                </span>
            },
            html! { <span class="status-version" id="status-version">{ format!("Faultline {}", info.version) }</span> },
        ),
        Backend::Failed(error) => (
            html! {
                <span class="status-project status-error" id="status-error" role="alert">
                    { format!("Backend error: {}", error.message) }
                </span>
            },
            html! {},
        ),
    };
    let saved = props.save == SaveStatus::Saved;
    html! {
        <footer class="status-bar" id="status-bar">
            { project }
            <span class={classes!("status-saved", saved.then_some("is-saved"))} id="status-saved">
                <span class="dot" aria-hidden="true"></span>{ props.save.label() }
            </span>
            { version }
        </footer>
    }
}
