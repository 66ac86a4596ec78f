//! The project navigator: one entry per kind of model, with its count badge.

use crate::format::badge_count;
use crate::state::ModelKind;
use yew::prelude::*;

/// Props of [`Navigator`].
#[derive(Properties, PartialEq)]
pub struct NavigatorProps {
    /// The kind shown in the workspace.
    pub selected: ModelKind,
    /// Model counts, indexed by [`ModelKind::index`].
    pub counts: [usize; 6],
    /// Called with the kind the user picked.
    pub on_select: Callback<ModelKind>,
}

/// The left column: the project's models grouped by kind.
#[function_component(Navigator)]
pub fn navigator(props: &NavigatorProps) -> Html {
    let items = ModelKind::ALL.iter().map(|&kind| {
        let selected = kind == props.selected;
        let onclick = props.on_select.reform(move |_: MouseEvent| kind);
        let count = props.counts[kind.index()];
        html! {
            <li>
                <button
                    class={classes!("nav-item", selected.then_some("selected"))}
                    data-kind={kind.slug()}
                    aria-current={selected.then_some("page")}
                    {onclick}
                >
                    <span class="nav-label">{ kind.label() }</span>
                    <span class={classes!("badge", (count == 0).then_some("badge-empty"))}
                          title={format!("{count} {}", kind.label().to_lowercase())}>
                        { badge_count(count) }
                    </span>
                </button>
            </li>
        }
    });
    html! {
        <nav class="navigator" id="navigator" aria-label="Project navigator">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{ "Faultline" }</span>
            </div>
            <h2 class="panel-title">{ "Project" }</h2>
            <ul class="nav-list">{ for items }</ul>
        </nav>
    }
}
