//! The centre area: the canvas or grid of the selected model, or an empty state that says what to do.

use crate::state::ModelKind;
use yew::prelude::*;

/// Props of [`Workspace`].
#[derive(Properties, PartialEq)]
pub struct WorkspaceProps {
    /// The kind selected in the navigator.
    pub kind: ModelKind,
    /// How many models of that kind the project holds.
    pub count: usize,
}

/// The centre column.
#[function_component(Workspace)]
pub fn workspace(props: &WorkspaceProps) -> Html {
    html! {
        <main class="workspace" id="workspace">
            <header class="workspace-header">
                <h1>{ props.kind.label() }</h1>
            </header>
            if props.count == 0 {
                <div class="empty-state" data-kind={props.kind.slug()}>
                    <div class="empty-icon" aria-hidden="true"></div>
                    <h2>{ format!("No {} in this project", props.kind.label().to_lowercase()) }</h2>
                    <p>{ props.kind.empty_hint() }</p>
                </div>
            } else {
                <p class="muted">{ format!("{} {}", props.count, props.kind.label().to_lowercase()) }</p>
            }
        </main>
    }
}
