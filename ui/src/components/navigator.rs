//! The project navigator: every kind of model with its count badge and, under the selected kind, its
//! documents (click to open), with "New" for every kind.

use crate::effects::{self, Dispatch};
use crate::format::badge_count;
use crate::state::{doc_kind, Action, ModelKind, State};
use faultline_models::ops::{kind_word, Op};
use std::rc::Rc;
use yew::prelude::*;

/// `(id, name)` of every document of `kind` in the open project, in project order.
pub fn documents(state: &State, kind: ModelKind) -> Vec<(u32, String)> {
    state.documents(kind)
}

/// The name a new document of `kind` gets ("Fault tree 3"); it is renamed in the properties panel.
pub fn new_name(state: &State, kind: ModelKind) -> String {
    let word = doc_kind(kind).map(kind_word).unwrap_or("document");
    let mut w = word.to_string();
    if let Some(first) = w.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let taken: Vec<String> = documents(state, kind).into_iter().map(|(_, n)| n).collect();
    (1..).map(|i| format!("{w} {i}")).find(|n| !taken.contains(n)).expect("some number is free")
}

/// Props of [`Navigator`].
#[derive(Properties, PartialEq)]
pub struct NavigatorProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

/// The left column: the project's models grouped by kind.
#[function_component(Navigator)]
pub fn navigator(props: &NavigatorProps) -> Html {
    let state = &props.state;
    let items = ModelKind::ALL.iter().map(|&kind| {
        let selected = kind == state.selected;
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Select(kind)));
        let count = state.count(kind);
        let docs = if selected { documents(state, kind) } else { Vec::new() };
        let open_id = match kind {
            ModelKind::FaultTrees => state.open_tree.map(|t| t.0),
            _ => state.open_doc,
        };
        let doc_items = docs.into_iter().map(|(id, name)| {
            let dispatch = props.dispatch.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(match kind {
                    ModelKind::FaultTrees => Action::OpenTree(faultline_models::fault_tree::TreeId(id)),
                    _ => Action::OpenDoc(kind, id),
                })
            });
            let open = open_id == Some(id);
            html! {
                <li>
                    <button class={classes!("doc-item", open.then_some("open"))} data-id={id.to_string()} title={name.clone()} {onclick}>
                        { name }
                    </button>
                </li>
            }
        });
        let create = (selected && state.editable()).then(|| {
            let dispatch = props.dispatch.clone();
            let name = new_name(state, kind);
            let onclick = Callback::from(move |_: MouseEvent| {
                if let Some(dk) = doc_kind(kind) {
                    effects::edit(&dispatch, Op::CreateDocument { kind: dk, name: name.clone() });
                }
            });
            html! { <li><button class="doc-new" id={format!("new-{}", kind.slug())} {onclick}>{ "+ New" }</button></li> }
        });
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
                if selected {
                    <ul class="doc-list" data-kind={kind.slug()}>{ for doc_items }{ create.unwrap_or_default() }</ul>
                }
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
