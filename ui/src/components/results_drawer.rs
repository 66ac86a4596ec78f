//! The bottom drawer: the results of the current model (cut sets, importance, AP counts, coverage).

use crate::state::ModelKind;
use yew::prelude::*;

/// Props of [`ResultsDrawer`].
#[derive(Properties, PartialEq)]
pub struct ResultsDrawerProps {
    /// Whether the drawer is expanded.
    pub open: bool,
    /// The kind selected in the navigator (decides which results make sense).
    pub kind: ModelKind,
    /// Called when the user clicks the drawer's header.
    pub on_toggle: Callback<()>,
}

/// The collapsible results drawer.
#[function_component(ResultsDrawer)]
pub fn results_drawer(props: &ResultsDrawerProps) -> Html {
    let onclick = props.on_toggle.reform(|_: MouseEvent| ());
    let what = match props.kind {
        ModelKind::FaultTrees => "P(top), minimal cut sets and importance",
        ModelKind::FmeaWorksheets => "Action Priority counts and the Pareto of RPN",
        ModelKind::DefenceLayers => "the coverage matrix and defence depth",
        ModelKind::Fishbones | ModelKind::Postmortems | ModelKind::ActionItems => "a summary",
    };
    html! {
        <section class={classes!("drawer", props.open.then_some("open"))} id="results-drawer" aria-label="Results">
            <button class="drawer-toggle" aria-expanded={props.open.to_string()} {onclick}>
                <span class="chevron" aria-hidden="true">{ if props.open { "▾" } else { "▸" } }</span>
                { "Results" }
            </button>
            if props.open {
                <div class="drawer-body">
                    <p class="muted">{ format!("No results yet. Open a model to see {what} here.") }</p>
                </div>
            }
        </section>
    }
}
