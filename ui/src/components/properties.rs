//! The right column: the properties of the selection, editable in place (placeholder until models load).

use yew::prelude::*;

/// The properties panel.
#[function_component(Properties)]
pub fn properties() -> Html {
    html! {
        <aside class="properties" id="properties" aria-label="Properties">
            <h2 class="panel-title">{ "Properties" }</h2>
            <p class="muted">{ "Nothing selected. Select a gate, an event or a row to see and edit its properties here." }</p>
        </aside>
    }
}
