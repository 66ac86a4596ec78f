//! The menu bar: File (New, Open, Save As, Recent, Import MEF, Export, Snapshot), Edit (Undo, Redo) and
//! View (workshop zoom). File commands open native dialogs through the shell.

use crate::api::Export;
use crate::effects::{self, Dispatch, FileCommand};
use crate::state::{Action, State};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`MenuBar`].
#[derive(Properties, PartialEq)]
pub struct MenuBarProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

/// A suggested file name: the project's file stem, or the open tree's name, with `extension`.
pub fn suggested_name(state: &State, extension: &str, per_tree: bool) -> String {
    let stem = if per_tree {
        state.open_fault_tree().map(|t| t.name.clone())
    } else {
        state.view.as_ref().and_then(|v| std::path::Path::new(&v.path).file_stem().map(|s| s.to_string_lossy().into_owned()))
    };
    format!("{}.{extension}", stem.unwrap_or_else(|| "faultline".into()))
}

/// The menu bar across the top of the window.
#[function_component(MenuBar)]
pub fn menu_bar(props: &MenuBarProps) -> Html {
    let state = &props.state;
    let item = |id: &str, label: &str, command: FileCommand, name: String, enabled: bool| {
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            close_menus(&e);
            effects::file(&dispatch, command.clone(), name.clone());
        });
        html! { <button id={id.to_string()} class="menu-item" disabled={!enabled} {onclick}>{ label }</button> }
    };
    let open = state.view.is_some();
    // The picture exports draw the tree as on screen: collapsed gates and the highlighted cut set.
    let collapsed: Vec<_> = state.collapsed_in_open_tree().into_iter().collect();
    let highlight: Vec<String> = state
        .open_report()
        .and_then(|r| r.report.analysis.as_ref())
        .zip(state.highlight)
        .and_then(|(a, i)| a.cut_sets.get(i))
        .map(|cs| cs.events.clone())
        .unwrap_or_default();
    let editable = state.editable();
    let tree = state.open_tree;
    let recent = state.view.as_ref().map(|v| v.recent.clone()).unwrap_or_default();
    let current = state.view.as_ref().map(|v| v.path.clone()).unwrap_or_default();
    let recent_items = recent
        .iter()
        .filter(|p| **p != current)
        .map(|p| {
            let dispatch = props.dispatch.clone();
            let path = p.clone();
            let onclick = Callback::from(move |e: MouseEvent| {
                close_menus(&e);
                effects::file(&dispatch, FileCommand::OpenPath(path.clone()), String::new());
            });
            html! { <button class="menu-item recent-item" data-path={p.clone()} title={p.clone()} {onclick}>{ p }</button> }
        })
        .collect::<Vec<_>>();
    let snapshot = {
        let dispatch = props.dispatch.clone();
        let n = state.view.as_ref().map(|v| v.snapshots.len() + 1).unwrap_or(1);
        Callback::from(move |e: MouseEvent| {
            close_menus(&e);
            effects::file(&dispatch, FileCommand::Snapshot(format!("Snapshot {n}")), String::new());
        })
    };
    let step = |undo: bool| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            close_menus(&e);
            effects::step(&dispatch, undo);
        })
    };
    let zoom = |z: i32| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Zoom(z)))
    };
    let export = |id: &str, label: &str, what: Option<Export>, per_tree: bool| match what {
        Some(what) => {
            let name = suggested_name(state, what.extension(), per_tree);
            item(id, label, FileCommand::Export(what), name, open)
        }
        None => html! { <button id={id.to_string()} class="menu-item" disabled=true>{ label }</button> },
    };
    html! {
        <div class="menu-bar" id="menu-bar" role="menubar">
            <details class="menu" id="menu-file">
                <summary>{ "File" }</summary>
                <div class="menu-items">
                    { item("file-new", "New project…", FileCommand::New, String::new(), true) }
                    { item("file-open", "Open…", FileCommand::Open, String::new(), true) }
                    { item("file-save-as", "Save As…", FileCommand::SaveAs, suggested_name(state, "faultline", false), open) }
                    <div class="menu-sep">{ "Recent" }</div>
                    if recent_items.is_empty() { <div class="menu-note">{ "No other recent projects" }</div> }
                    { for recent_items }
                    <div class="menu-sep">{ "Import / export" }</div>
                    { item("file-import-mef", "Import MEF XML…", FileCommand::ImportMef, String::new(), editable) }
                    { export("file-export-mef", "Export tree as MEF XML…", tree.map(|tree| Export::Mef { tree }), true) }
                    { export("file-export-json", "Export project as JSON…", Some(Export::ProjectJson), false) }
                    { export("file-export-csv", "Export risk register (CSV)…", Some(Export::RiskRegisterCsv), false) }
                    { export("file-export-xlsx", "Export risk register (XLSX)…", Some(Export::RiskRegisterXlsx), false) }
                    { export("file-export-svg", "Export tree picture (SVG)…", tree.map(|tree| Export::TreeSvg { tree, collapsed: collapsed.clone(), highlight: highlight.clone() }), true) }
                    { export("file-export-png", "Export tree picture (PNG)…", tree.map(|tree| Export::TreePng { tree, collapsed: collapsed.clone(), highlight: highlight.clone() }), true) }
                    <div class="menu-sep"></div>
                    <button id="file-snapshot" class="menu-item" disabled={!editable} onclick={snapshot}>{ "Take snapshot (Ctrl+S)" }</button>
                </div>
            </details>
            <details class="menu" id="menu-edit">
                <summary>{ "Edit" }</summary>
                <div class="menu-items">
                    <button class="menu-item" id="edit-undo" disabled={!editable} onclick={step(true)}>{ "Undo  Ctrl+Z" }</button>
                    <button class="menu-item" id="edit-redo" disabled={!editable} onclick={step(false)}>{ "Redo  Ctrl+Shift+Z" }</button>
                </div>
            </details>
            <details class="menu" id="menu-view">
                <summary>{ "View" }</summary>
                <div class="menu-items">
                    <button class="menu-item" id="view-zoom-in" onclick={zoom(1)}>{ "Workshop zoom in  Ctrl+=" }</button>
                    <button class="menu-item" id="view-zoom-out" onclick={zoom(-1)}>{ "Workshop zoom out  Ctrl+-" }</button>
                    <button class="menu-item" id="view-zoom-reset" onclick={zoom(0)}>{ "Normal size  Ctrl+0" }</button>
                </div>
            </details>
            <span class="zoom-level" id="zoom-level">{ format!("{:.0} %", state.zoom * 100.0) }</span>
        </div>
    }
}

/// Closes the open `<details>` menu after a click on one of its items.
fn close_menus(e: &MouseEvent) {
    use wasm_bindgen::JsCast;
    if let Some(details) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten())
    {
        let _ = details.remove_attribute("open");
    }
}
