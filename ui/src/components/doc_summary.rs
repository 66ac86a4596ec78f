//! Read-only summaries of the documents that have no editor yet (FMEA worksheets, fishbones, defence
//! layers, postmortems, action items): enough to see what the project holds.

use crate::state::{ModelKind, State};
use faultline_models::fmea::{ap_counts, Ap};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`DocSummary`].
#[derive(Properties, PartialEq)]
pub struct DocSummaryProps {
    pub state: Rc<State>,
}

/// The summary of the open document of the selected kind (or of the kind as a whole when none is open).
#[function_component(DocSummary)]
pub fn doc_summary(props: &DocSummaryProps) -> Html {
    let state = &props.state;
    let Some(view) = &state.view else { return html! {} };
    let p = &view.project;
    let open = state.open_doc;
    let body = match state.selected {
        ModelKind::FaultTrees => html! {},
        ModelKind::FmeaWorksheets => html! { <>{ for p.fmea.iter().filter(|w| open.is_none_or(|id| w.id.0 == id)).map(|w| {
            let (before, after) = ap_counts(&w.rows);
            html! {
                <section class="summary" data-id={w.id.0.to_string()}>
                    <h2>{ &w.name }</h2>
                    <p>{ format!("{} failure modes", w.rows.len()) }</p>
                    <p class="ap-counts">
                        { for [Ap::High, Ap::Medium, Ap::Low].iter().map(|ap| html! {
                            <span class={format!("ap ap-{}", ap.letter())}>{ format!("{} {}", ap.letter(), before.get(*ap)) }</span>
                        }) }
                        <span class="muted">{ format!(" → after actions H {} M {} L {}", after.get(Ap::High), after.get(Ap::Medium), after.get(Ap::Low)) }</span>
                    </p>
                    <table class="grid"><thead><tr><th>{ "Failure mode" }</th><th>{ "S" }</th><th>{ "O" }</th><th>{ "D" }</th><th>{ "AP" }</th></tr></thead>
                    <tbody>{ for w.rows.iter().map(|r| {
                        let ap = faultline_models::fmea::action_priority(r.severity, r.occurrence, r.detection);
                        html! { <tr><td>{ &r.failure_mode }</td><td>{ r.severity.get() }</td><td>{ r.occurrence.get() }</td><td>{ r.detection.get() }</td>
                            <td class={format!("ap ap-{}", ap.letter())}>{ ap.letter() }</td></tr> }
                    }) }</tbody></table>
                </section>
            }
        }) }</> },
        ModelKind::Fishbones => html! { <>{ for p.fishbones.iter().filter(|f| open.is_none_or(|id| f.id.0 == id)).map(|f| html! {
            <section class="summary" data-id={f.id.0.to_string()}>
                <h2>{ &f.effect }</h2>
                <ul>{ for f.walk().into_iter().map(|(depth, c)| html! {
                    <li style={format!("margin-left:{}em", depth)}>
                        <strong>{ format!("[{}] ", c.category) }</strong>{ &c.text }
                        if !c.whys.is_empty() { <ol class="whys">{ for c.whys.iter().map(|w| html! { <li>{ format!("Why? {w}") }</li> }) }</ol> }
                    </li>
                }) }</ul>
            </section>
        }) }</> },
        ModelKind::DefenceLayers => html! { <>{ for p.layer_sets.iter().filter(|l| open.is_none_or(|id| l.id.0 == id)).map(|l| html! {
            <section class="summary" data-id={l.id.0.to_string()}>
                <h2>{ &l.name }</h2>
                <p class="muted">{ format!("In front of fault tree {}", p.tree(l.tree).map(|t| t.name.as_str()).unwrap_or("(missing)")) }</p>
                <ul>{ for l.layers.iter().map(|layer| html! {
                    <li>{ format!("{} — effectiveness {:.0} %, covers {} events", layer.name, layer.effectiveness * 100.0, layer.covers.len()) }</li>
                }) }</ul>
            </section>
        }) }</> },
        ModelKind::Postmortems => html! { <>{ for p.postmortems.iter().filter(|m| open.is_none_or(|id| m.id.0 == id)).map(|m| html! {
            <section class="summary" data-id={m.id.0.to_string()}>
                <h2>{ &m.title }</h2>
                <p class="muted">{ format!("{} {}", m.incident_id, m.severity) }</p>
                <p>{ &m.summary }</p>
            </section>
        }) }</> },
        ModelKind::ActionItems => html! {
            <table class="grid"><thead><tr><th>{ "Action" }</th><th>{ "Owner" }</th><th>{ "Due" }</th><th>{ "Status" }</th></tr></thead>
            <tbody>{ for p.action_items.iter().filter(|a| open.is_none_or(|id| a.id.0 == id)).map(|a| html! {
                <tr data-id={a.id.0.to_string()}><td>{ &a.title }</td><td>{ &a.owner }</td>
                    <td>{ a.due.map(|d| d.to_string()).unwrap_or_default() }</td><td>{ a.status.name() }</td></tr>
            }) }</tbody></table>
        },
    };
    html! { <div class="doc-summary" id="doc-summary">{ body }</div> }
}
