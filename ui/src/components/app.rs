//! The root component: owns the [`State`] reducer, asks the backend for `app_info` once, lays out the frame.

use super::navigator::Navigator;
use super::properties::Properties;
use super::results_drawer::ResultsDrawer;
use super::status_bar::StatusBar;
use super::workspace::Workspace;
use crate::api;
use crate::state::{Action, ModelKind, State};
use yew::prelude::*;

/// The app frame: navigator (left), workspace (centre), properties (right), results drawer (bottom),
/// status bar.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);

    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                match api::app_info().await {
                    Ok(info) => dispatcher.dispatch(Action::BackendAnswered(info)),
                    Err(error) => dispatcher.dispatch(Action::BackendFailed(error)),
                }
            });
        });
    }

    let on_select = {
        let dispatcher = state.dispatcher();
        Callback::from(move |kind: ModelKind| dispatcher.dispatch(Action::Select(kind)))
    };
    let on_toggle_drawer = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_| dispatcher.dispatch(Action::ToggleDrawer))
    };

    html! {
        <div class={classes!("app", (!state.drawer_open).then_some("drawer-closed"))}>
            <Navigator selected={state.selected} counts={state.counts} {on_select} />
            <Workspace kind={state.selected} count={state.count(state.selected)} />
            <Properties />
            <ResultsDrawer open={state.drawer_open} kind={state.selected} on_toggle={on_toggle_drawer} />
            <StatusBar backend={state.backend.clone()} save={state.save} />
        </div>
    }
}
