//! The centre area: the fault-tree editor (toolbar + canvas) for a fault tree, a read-only summary for
//! the other kinds until their own views arrive, or an empty state that says what to do.

use super::doc_summary::DocSummary;
use super::tree_canvas::TreeCanvas;
use crate::effects::{self, Dispatch};
use crate::state::{Action, ModelKind, State};
use faultline_models::fault_tree::{ElementKind, GateKind};
use faultline_models::ops::{self, NewElement, Op};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Workspace`].
#[derive(Properties, PartialEq)]
pub struct WorkspaceProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

/// The editor's commands on the selection, shared by the toolbar, the keyboard and the context menu.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TreeCommand {
    Add(NewKind),
    Delete,
    Copy,
    Cut,
    Paste,
}

/// What "Add" adds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NewKind {
    Gate(GateKind),
    Basic,
    Undeveloped,
    House,
}

/// Runs a tree command on the current selection. The add commands and paste add under the selected gate
/// (or under the selected event's parent gate, or the top when nothing is selected).
pub fn run(state: &State, dispatch: &Dispatch, command: TreeCommand) {
    let Some(tree) = state.open_fault_tree() else { return };
    let say = |text: &str| dispatch.dispatch(Action::Notify(text.to_string()));
    let sel = state.selection;
    let target_gate = || {
        let is_gate = |id| matches!(tree.element(id).map(|e| &e.kind), Some(ElementKind::Gate { .. }));
        match sel {
            Some(s) if is_gate(s.element) => Some(s.element),
            Some(s) => s.parent.or_else(|| tree.parents_of(s.element).next().map(|p| p.id)),
            None => tree.top,
        }
    };
    match command {
        TreeCommand::Add(kind) => {
            let Some(parent) = target_gate() else { return say("Select a gate to add under") };
            let new = match kind {
                NewKind::Gate(gate) => NewElement::Gate { gate },
                NewKind::Basic => NewElement::Basic { p: 0.01 },
                NewKind::Undeveloped => NewElement::Undeveloped { p: 0.01 },
                NewKind::House => NewElement::House { state: true },
            };
            effects::edit(dispatch, Op::AddChild { tree: tree.id, parent, new });
        }
        TreeCommand::Delete => {
            let Some(s) = sel else { return say("Select an element to delete") };
            effects::edit(dispatch, Op::Delete { tree: tree.id, element: s.element, parent: s.parent });
        }
        TreeCommand::Copy | TreeCommand::Cut => {
            let Some(s) = sel else { return say("Select a subtree to copy") };
            if let Some(clip) = ops::copy(tree, s.element) {
                dispatch.dispatch(Action::Copied(clip));
            }
            if command == TreeCommand::Cut {
                effects::edit(dispatch, Op::Delete { tree: tree.id, element: s.element, parent: s.parent });
            }
        }
        TreeCommand::Paste => {
            let Some(clip) = state.clipboard.clone() else { return say("Nothing to paste: copy a subtree first") };
            let Some(parent) = target_gate() else { return say("Select a gate to paste under") };
            effects::edit(dispatch, Op::Paste { tree: tree.id, parent, clip });
        }
    }
}

/// The centre column.
#[function_component(Workspace)]
pub fn workspace(props: &WorkspaceProps) -> Html {
    let state = &props.state;
    let kind = state.selected;
    let count = state.count(kind);
    let title = match kind {
        ModelKind::FaultTrees => state.open_fault_tree().map(|t| t.name.clone()),
        _ => None,
    };
    let body = if state.view.is_none() {
        html! { <div class="empty-state"><p class="muted">{ "Opening the project…" }</p></div> }
    } else if count == 0 {
        html! {
            <div class="empty-state" data-kind={kind.slug()}>
                <div class="empty-icon" aria-hidden="true"></div>
                <h2>{ format!("No {} in this project", kind.label().to_lowercase()) }</h2>
                <p>{ kind.empty_hint() }</p>
                <p class="muted">{ "Use “+ New” in the navigator to create one." }</p>
            </div>
        }
    } else if kind == ModelKind::FaultTrees {
        html! {
            <>
                { toolbar(state, &props.dispatch) }
                <TreeCanvas state={state.clone()} dispatch={props.dispatch.clone()} />
            </>
        }
    } else {
        html! { <DocSummary state={state.clone()} /> }
    };
    html! {
        <main class="workspace" id="workspace">
            <header class="workspace-header">
                <h1>{ kind.label() }</h1>
                if let Some(t) = title {
                    <span class="workspace-sub" id="open-tree-name">{ t }</span>
                }
                if let Some(reason) = state.view.as_ref().and_then(|v| v.read_only.clone()) {
                    <span class="read-only-notice" id="read-only-notice" role="status">{ format!("Read-only: {reason}") }</span>
                }
            </header>
            { body }
        </main>
    }
}

fn toolbar(state: &State, dispatch: &Dispatch) -> Html {
    let editable = state.editable();
    let button = |id: &str, label: &str, title: &str, command: TreeCommand| {
        let state = state.clone();
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| run(&state, &dispatch, command));
        html! { <button id={id.to_string()} title={title.to_string()} disabled={!editable} {onclick}>{ label }</button> }
    };
    let undo = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| effects::step(&dispatch, true))
    };
    let redo = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| effects::step(&dispatch, false))
    };
    let depth = state.view.as_ref().map(|v| (v.undo_depth, v.redo_depth)).unwrap_or((0, 0));
    html! {
        <div class="toolbar" role="toolbar" aria-label="Fault tree">
            <span class="tool-group">
                <span class="tool-label">{ "Add" }</span>
                { button("add-and", "AND", "Add an AND gate under the selected gate (Shift+A)", TreeCommand::Add(NewKind::Gate(GateKind::And))) }
                { button("add-or", "OR", "Add an OR gate (Shift+O)", TreeCommand::Add(NewKind::Gate(GateKind::Or))) }
                { button("add-vote", "k/n", "Add a vote gate", TreeCommand::Add(NewKind::Gate(GateKind::AtLeast { k: 2 }))) }
                { button("add-inhibit", "INHIBIT", "Add an inhibit gate", TreeCommand::Add(NewKind::Gate(GateKind::Inhibit))) }
                { button("add-basic", "Basic", "Add a basic event (Shift+E)", TreeCommand::Add(NewKind::Basic)) }
                { button("add-undeveloped", "Undeveloped", "Add an undeveloped event", TreeCommand::Add(NewKind::Undeveloped)) }
                { button("add-house", "House", "Add a house event", TreeCommand::Add(NewKind::House)) }
            </span>
            <span class="tool-group">
                { button("cut", "Cut", "Cut the selected subtree (Ctrl+X)", TreeCommand::Cut) }
                { button("copy", "Copy", "Copy the selected subtree (Ctrl+C)", TreeCommand::Copy) }
                { button("paste", "Paste", "Paste under the selected gate (Ctrl+V)", TreeCommand::Paste) }
                { button("delete", "Delete", "Delete the selection here (Delete)", TreeCommand::Delete) }
            </span>
            <span class="tool-group">
                <button id="undo" title="Undo (Ctrl+Z)" disabled={!editable || depth.0 == 0} onclick={undo}>{ format!("Undo ({})", depth.0) }</button>
                <button id="redo" title="Redo (Ctrl+Shift+Z)" disabled={!editable || depth.1 == 0} onclick={redo}>{ "Redo" }</button>
            </span>
        </div>
    }
}
