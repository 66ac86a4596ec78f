//! The properties panel: edits the selected element in place (name, label, description, gate kind and k,
//! probability or failure rate and mission time), shows its validation problems beside the fields and the FMEA
//! rows linked to it; with nothing selected, the open tree's or document's own properties.
//!
//! A field commits when it changes (Enter or leaving the field): one op, saved before the backend answers.

use crate::effects::{self, Dispatch};
use crate::state::{ModelKind, State};
use faultline_models::fault_tree::validate::Severity;
use faultline_models::fault_tree::{Element, ElementKind, FaultTree, GateKind, Probability};
use faultline_models::ops::{DocKind, Op};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`Properties`].
#[derive(Properties, PartialEq)]
pub struct PropertiesProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

/// The kinds an element can be switched to in the properties panel, with their labels.
pub const KINDS: [(&str, &str); 12] = [
    ("and", "AND gate"),
    ("or", "OR gate"),
    ("atleast", "Vote (k/n) gate"),
    ("not", "NOT gate"),
    ("xor", "XOR gate"),
    ("nand", "NAND gate"),
    ("nor", "NOR gate"),
    ("inhibit", "INHIBIT gate"),
    ("basic", "Basic event"),
    ("undeveloped", "Undeveloped event"),
    ("house", "House event"),
    ("transfer", "Transfer"),
];

/// The slug of an element's kind in [`KINDS`].
pub fn kind_slug(kind: &ElementKind) -> &'static str {
    match kind {
        // The gate slugs of KINDS are the glossary words of GateKind::name.
        ElementKind::Gate { gate, .. } => gate.name(),
        ElementKind::BasicEvent { .. } => "basic",
        ElementKind::UndevelopedEvent { .. } => "undeveloped",
        ElementKind::HouseEvent { .. } => "house",
        ElementKind::Transfer { .. } => "transfer",
    }
}

/// The element kind for a slug of [`KINDS`], keeping what can be kept of `old` (its probability, its k).
pub fn kind_from_slug(slug: &str, old: &ElementKind, tree: &FaultTree) -> Option<ElementKind> {
    let probability = match old {
        ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => *probability,
        _ => Probability::Fixed { p: 0.01 },
    };
    let n = match old {
        ElementKind::Gate { args, .. } => args.len() as u32,
        _ => 0,
    };
    let gate = |gate| Some(ElementKind::Gate { gate, args: Vec::new() });
    match slug {
        "and" => gate(GateKind::And),
        "or" => gate(GateKind::Or),
        "atleast" => gate(GateKind::AtLeast { k: match old {
            ElementKind::Gate { gate: GateKind::AtLeast { k }, .. } => *k,
            _ => n.saturating_sub(1).max(1),
        } }),
        "not" => gate(GateKind::Not),
        "xor" => gate(GateKind::Xor),
        "nand" => gate(GateKind::Nand),
        "nor" => gate(GateKind::Nor),
        "inhibit" => gate(GateKind::Inhibit),
        "basic" => Some(ElementKind::BasicEvent { probability }),
        "undeveloped" => Some(ElementKind::UndevelopedEvent { probability }),
        "house" => Some(ElementKind::HouseEvent { state: true }),
        "transfer" => Some(ElementKind::Transfer { tree: tree.id, gate: None }),
        _ => None,
    }
}

/// Parses a number typed by a person: accepts `1e-3`, `0.001`, `1,5` (decimal comma) and spaces.
pub fn parse_number(text: &str) -> Option<f64> {
    let t: String = text.trim().replace(',', ".").chars().filter(|c| !c.is_whitespace()).collect();
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The right-hand panel.
#[function_component(Properties)]
pub fn properties(props: &PropertiesProps) -> Html {
    let state = &props.state;
    let on_trees = state.selected == ModelKind::FaultTrees;
    let body = if let (true, Some(tree), Some(element)) = (on_trees, state.open_fault_tree(), state.selected_element()) {
        element_form(state, &props.dispatch, tree, element)
    } else if let (ModelKind::FaultTrees, Some(tree)) = (state.selected, state.open_fault_tree()) {
        tree_form(state, &props.dispatch, tree)
    } else if let Some(id) = state.open_doc {
        doc_form(state, &props.dispatch, id)
    } else {
        html! { <p class="muted">{ "Select an element or a document to see its properties." }</p> }
    };
    html! {
        <aside class="properties" id="properties" aria-label="Properties">
            <h2 class="panel-title">{ "Properties" }</h2>
            { body }
        </aside>
    }
}

fn text_field(id: &str, label: &str, value: &str, readonly: bool, onchange: Callback<String>) -> Html {
    let onchange = onchange.reform(|e: Event| input_value(&e));
    html! {
        <label class="field">
            <span>{ label }</span>
            <input id={id.to_string()} type="text" value={value.to_string()} readonly={readonly} {onchange} />
        </label>
    }
}

fn element_form(state: &State, dispatch: &Dispatch, tree: &FaultTree, element: &Element) -> Html {
    let readonly = !state.editable();
    let tree_id = tree.id;
    let commit = {
        let dispatch = dispatch.clone();
        let element = element.clone();
        move |change: Change| {
            let mut next = element.clone();
            match change(&mut next) {
                Ok(()) if next != element => effects::edit(&dispatch, Op::SetElement { tree: tree_id, element: next }),
                Ok(()) => {}
                Err(message) => dispatch.dispatch(crate::state::Action::Failed(crate::api::ApiError { kind: "input".into(), message })),
            }
        }
    };
    let on_text = |field: &'static str| {
        let commit = commit.clone();
        Callback::from(move |value: String| {
            commit(Box::new(move |e: &mut Element| {
                match field {
                    "name" => e.name = value.trim().to_string(),
                    "label" => e.label = value.clone(),
                    _ => e.description = value.clone(),
                }
                Ok(())
            }))
        })
    };
    let on_kind = {
        let commit = commit.clone();
        let tree = tree.clone();
        Callback::from(move |e: Event| {
            let slug = e.target_unchecked_into::<HtmlSelectElement>().value();
            let tree = tree.clone();
            commit(Box::new(move |el: &mut Element| {
                el.kind = kind_from_slug(&slug, &el.kind, &tree).ok_or("unknown kind")?;
                Ok(())
            }))
        })
    };
    let problems: Vec<Html> = state
        .open_report()
        .map(|r| {
            r.report
                .problems
                .iter()
                .filter(|p| p.elements.contains(&element.id))
                .map(|p| {
                    let cls = if p.severity == Severity::Error { "problem error" } else { "problem warning" };
                    html! { <li class={cls}>{ &p.message }</li> }
                })
                .collect()
        })
        .unwrap_or_default();
    let kind_options = KINDS.iter().map(|(slug, label)| {
        html! { <option value={*slug} selected={*slug == kind_slug(&element.kind)}>{ *label }</option> }
    });
    let specific = match &element.kind {
        ElementKind::Gate { gate, args } => {
            let k_field = if let GateKind::AtLeast { k } = gate {
                let commit = commit.clone();
                let onchange = Callback::from(move |e: Event| {
                    let text = input_value(&e);
                    commit(Box::new(move |el: &mut Element| {
                        let k: u32 = text.trim().parse().map_err(|_| format!("k is a whole number, not {text:?}"))?;
                        if let ElementKind::Gate { gate, .. } = &mut el.kind {
                            *gate = GateKind::AtLeast { k };
                        }
                        Ok(())
                    }))
                });
                html! {
                    <label class="field"><span>{ format!("k (at least k of {} arguments)", args.len()) }</span>
                        <input id="prop-k" type="number" min="1" value={k.to_string()} readonly={readonly} {onchange} />
                    </label>
                }
            } else {
                html! {}
            };
            html! { <>{ k_field }<p class="muted">{ format!("{} arguments", args.len()) }</p></> }
        }
        ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => {
            probability_fields(commit.clone(), probability, tree.mission_time, readonly)
        }
        ElementKind::HouseEvent { state: on } => {
            let commit = commit.clone();
            let onchange = Callback::from(move |e: Event| {
                let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                commit(Box::new(move |el: &mut Element| {
                    el.kind = ElementKind::HouseEvent { state: checked };
                    Ok(())
                }))
            });
            html! {
                <label class="field check"><input id="prop-house" type="checkbox" checked={*on} disabled={readonly} {onchange} />
                    <span>{ "True (the house event happens)" }</span></label>
            }
        }
        ElementKind::Transfer { tree: target, .. } => {
            let trees = state.view.as_ref().map(|v| v.project.fault_trees.clone()).unwrap_or_default();
            let commit = commit.clone();
            let onchange = Callback::from(move |e: Event| {
                let id: u32 = e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(0);
                commit(Box::new(move |el: &mut Element| {
                    el.kind = ElementKind::Transfer { tree: faultline_models::fault_tree::TreeId(id), gate: None };
                    Ok(())
                }))
            });
            html! {
                <label class="field"><span>{ "Transfers to the top of" }</span>
                    <select id="prop-transfer" disabled={readonly} {onchange}>
                        { for trees.iter().map(|t| html! { <option value={t.id.0.to_string()} selected={t.id == *target}>{ &t.name }</option> }) }
                    </select>
                </label>
            }
        }
    };
    let fmea = fmea_links(state, dispatch, tree, element);
    html! {
        <form class="prop-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} key={format!("{}-{}", tree.id.0, element.id.0)}>
            if !problems.is_empty() {
                <ul class="problems" id="prop-problems">{ for problems }</ul>
            }
            { text_field("prop-name", "Name", &element.name, readonly, on_text("name")) }
            { text_field("prop-label", "Label", &element.label, readonly, on_text("label")) }
            <label class="field"><span>{ "Description" }</span>
                <textarea id="prop-description" rows="3" readonly={readonly} value={element.description.clone()}
                    onchange={on_text("description").reform(|e: Event| e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())} />
            </label>
            <label class="field"><span>{ "Kind" }</span>
                <select id="prop-kind" disabled={readonly} onchange={on_kind}>{ for kind_options }</select>
            </label>
            { specific }
            { move_field(state, dispatch, tree, element) }
            { fmea }
            <p class="muted small">{ format!("Id {} · fault tree {}", element.id, tree.name) }</p>
        </form>
    }
}

/// The FMEA rows linked to an event, each with "Unlink", and a list to link another row. Gates and house
/// events have no FMEA rows.
fn fmea_links(state: &State, dispatch: &Dispatch, tree: &FaultTree, element: &Element) -> Html {
    use faultline_models::fmea::EventLink;
    if !matches!(element.kind, ElementKind::BasicEvent { .. } | ElementKind::UndevelopedEvent { .. }) {
        return html! {};
    }
    let Some(view) = &state.view else { return html! {} };
    let here = EventLink { tree: tree.id, element: element.id };
    let editable = state.editable();
    let mut linked = Vec::new();
    let mut others = Vec::new();
    for w in &view.project.fmea {
        for r in &w.rows {
            let label = format!("{} — {} (S{} O{} D{})", w.name, r.failure_mode, r.severity.get(), r.occurrence.get(), r.detection.get());
            if r.event == Some(here) {
                linked.push((w.id, r.id, label));
            } else {
                others.push((w.id, r.id, label));
            }
        }
    }
    let linked_items = linked.into_iter().map(|(w, r, label)| {
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            effects::edit(&dispatch, Op::LinkFmeaRow { worksheet: w, row: r, event: None });
        });
        html! { <li>{ label }{ " " }<button type="button" class="link-button" disabled={!editable} {onclick}>{ "Unlink" }</button></li> }
    }).collect::<Vec<_>>();
    let onchange = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut parts = value.split(':').filter_map(|p| p.parse::<u32>().ok());
            if let (Some(w), Some(r)) = (parts.next(), parts.next()) {
                effects::edit(&dispatch, Op::LinkFmeaRow {
                    worksheet: faultline_models::fmea::WorksheetId(w),
                    row: faultline_models::fmea::RowId(r),
                    event: Some(here),
                });
            }
        })
    };
    html! {
        <>
            <h3 class="sub-title">{ "Linked FMEA rows" }</h3>
            if linked_items.is_empty() {
                <p class="muted">{ "None yet." }</p>
            } else {
                <ul class="links" id="prop-fmea">{ for linked_items }</ul>
            }
            if !others.is_empty() {
                <label class="field"><span>{ "Link an FMEA row" }</span>
                    <select id="prop-fmea-link" disabled={!editable} {onchange}>
                        <option value="" selected=true>{ "Choose a row…" }</option>
                        { for others.into_iter().map(|(w, r, label)| html! { <option value={format!("{}:{}", w.0, r.0)}>{ label }</option> }) }
                    </select>
                </label>
            }
        </>
    }
}

/// "Move under": re-parents the selected use of the element to another gate (the same as dragging it).
fn move_field(state: &State, dispatch: &Dispatch, tree: &FaultTree, element: &Element) -> Html {
    let Some(from) = state.selection.and_then(|s| s.parent) else { return html! {} };
    let below = faultline_models::ops::below(tree, element.id);
    let gates: Vec<(u32, String)> = tree
        .elements
        .iter()
        .filter(|e| matches!(e.kind, ElementKind::Gate { .. }) && e.id != element.id && !below.contains(&e.id))
        .map(|e| (e.id.0, e.name.clone()))
        .collect();
    let dispatch = dispatch.clone();
    let (tree_id, element_id) = (tree.id, element.id);
    let onchange = Callback::from(move |e: Event| {
        let to: u32 = e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(0);
        let to = faultline_models::fault_tree::ElementId(to);
        if to != from {
            effects::edit(&dispatch, Op::Reparent { tree: tree_id, element: element_id, from, to });
        }
    });
    html! {
        <label class="field"><span>{ "Under gate (move)" }</span>
            <select id="prop-parent" disabled={!state.editable()} {onchange}>
                { for gates.into_iter().map(|(id, name)| html! { <option value={id.to_string()} selected={id == from.0}>{ name }</option> }) }
            </select>
        </label>
    }
}

/// A change of the selected element, refused with a message.
type Change = Box<dyn Fn(&mut Element) -> Result<(), String>>;
type Commit = Rc<dyn Fn(Change)>;

fn set_fixed(pr: &mut Probability, v: f64) -> Result<(), String> {
    if !(0.0..=1.0).contains(&v) {
        return Err(format!("a probability lies in [0, 1]; {v} does not"));
    }
    *pr = Probability::Fixed { p: v };
    Ok(())
}

fn set_rate(pr: &mut Probability, v: f64) -> Result<(), String> {
    if v < 0.0 {
        return Err(format!("a failure rate is not negative; {v} is"));
    }
    if let Probability::Exponential { rate, .. } = pr {
        *rate = v;
    }
    Ok(())
}

/// NaN (an empty field) means "the tree's mission time".
fn set_mission_time(pr: &mut Probability, v: f64) -> Result<(), String> {
    if v < 0.0 {
        return Err(format!("a mission time is not negative; {v} is"));
    }
    if let Probability::Exponential { mission_time, .. } = pr {
        *mission_time = (!v.is_nan()).then_some(v);
    }
    Ok(())
}

fn probability_fields(
    commit: impl Fn(Change) + 'static,
    probability: &Probability,
    tree_mission_time: Option<f64>,
    readonly: bool,
) -> Html {
    let commit: Commit = Rc::new(commit);
    let set = |f: fn(&mut Probability, f64) -> Result<(), String>, what: &'static str| {
        let commit = commit.clone();
        Callback::from(move |e: Event| {
            let text = input_value(&e);
            commit(Box::new(move |el: &mut Element| {
                let v = if text.trim().is_empty() && what == "mission time" {
                    f64::NAN
                } else {
                    parse_number(&text).ok_or_else(|| format!("the {what} must be a number, not {text:?}"))?
                };
                match &mut el.kind {
                    ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => f(probability, v),
                    _ => Ok(()),
                }
            }))
        })
    };
    let on_model = {
        let commit = commit.clone();
        Callback::from(move |e: Event| {
            let model = e.target_unchecked_into::<HtmlSelectElement>().value();
            commit(Box::new(move |el: &mut Element| {
                if let ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } = &mut el.kind {
                    let p = probability.value(tree_mission_time).unwrap_or(0.01);
                    *probability = if model == "exponential" {
                        Probability::Exponential { rate: 1e-5, mission_time: None }
                    } else {
                        Probability::Fixed { p }
                    };
                }
                Ok(())
            }))
        })
    };
    let exponential = matches!(probability, Probability::Exponential { .. });
    let value = probability.value(tree_mission_time);
    html! {
        <>
            <label class="field"><span>{ "Probability model" }</span>
                <select id="prop-model" disabled={readonly} onchange={on_model}>
                    <option value="fixed" selected={!exponential}>{ "Fixed probability" }</option>
                    <option value="exponential" selected={exponential}>{ "Failure rate λ and mission time" }</option>
                </select>
            </label>
            {
                match probability {
                    Probability::Fixed { p } => html! {
                        <label class="field"><span>{ "Probability p (0 to 1)" }</span>
                            <input id="prop-p" type="text" inputmode="decimal" value={format!("{p}")} readonly={readonly}
                                onchange={set(set_fixed, "probability")} />
                        </label>
                    },
                    Probability::Exponential { rate, mission_time } => html! {
                        <>
                            <label class="field"><span>{ "Failure rate λ (per hour)" }</span>
                                <input id="prop-rate" type="text" value={format!("{rate}")} readonly={readonly}
                                    onchange={set(set_rate, "failure rate")} />
                            </label>
                            <label class="field"><span>{ format!("Mission time t (hours){}", tree_mission_time.map(|t| format!(", empty for the tree's {t} h")).unwrap_or_default()) }</span>
                                <input id="prop-mission" type="text" value={mission_time.map(|t| format!("{t}")).unwrap_or_default()} readonly={readonly}
                                    onchange={set(set_mission_time, "mission time")} />
                            </label>
                        </>
                    },
                }
            }
            <p class="muted" id="prop-p-value">{
                match value {
                    Some(p) => format!("p = {p} (full precision)"),
                    None => "No mission time: give one here or on the tree.".to_string(),
                }
            }</p>
        </>
    }
}

fn tree_form(state: &State, dispatch: &Dispatch, tree: &FaultTree) -> Html {
    let readonly = !state.editable();
    let rename = {
        let dispatch = dispatch.clone();
        let id = tree.id.0;
        Callback::from(move |name: String| effects::edit(&dispatch, Op::RenameDocument { kind: DocKind::FaultTree, id, name }))
    };
    let mission = {
        let dispatch = dispatch.clone();
        let tree_id = tree.id;
        Callback::from(move |text: String| {
            let hours = if text.trim().is_empty() { None } else { parse_number(&text) };
            if hours.is_none() && !text.trim().is_empty() {
                dispatch.dispatch(crate::state::Action::Failed(crate::api::ApiError {
                    kind: "input".into(),
                    message: format!("the mission time must be a number of hours, not {text:?}"),
                }));
                return;
            }
            effects::edit(&dispatch, Op::SetMissionTime { tree: tree_id, hours });
        })
    };
    html! {
        <form class="prop-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} key={format!("tree-{}", tree.id.0)}>
            { text_field("tree-name", "Fault tree name", &tree.name, readonly, rename) }
            { text_field("tree-mission", "Default mission time (hours)", &tree.mission_time.map(|t| t.to_string()).unwrap_or_default(), readonly, mission) }
            <p class="muted">{ &tree.label }</p>
            <p class="muted small">{ &tree.description }</p>
            <p class="muted small">{ format!("{} elements. Select a node to edit it; double-click a gate to add a basic event under it.", tree.elements.len()) }</p>
            { delete_button(state, dispatch, DocKind::FaultTree, tree.id.0, &tree.name) }
        </form>
    }
}

/// Deletes a document. No confirmation: the deletion is one edit, and Ctrl+Z brings the document back.
fn delete_button(state: &State, dispatch: &Dispatch, kind: DocKind, id: u32, name: &str) -> Html {
    let dispatch = dispatch.clone();
    let name = name.to_string();
    let onclick = Callback::from(move |_: MouseEvent| {
        effects::edit(&dispatch, Op::DeleteDocument { kind, id });
        dispatch.dispatch(crate::state::Action::Notify(format!("Deleted {name}. Ctrl+Z brings it back.")));
    });
    html! {
        <button type="button" class="danger" id="doc-delete" disabled={!state.editable()} {onclick}>
            { format!("Delete this {}", faultline_models::ops::kind_word(kind)) }
        </button>
    }
}

fn doc_form(state: &State, dispatch: &Dispatch, id: u32) -> Html {
    let Some(kind) = crate::state::doc_kind(state.selected) else { return html! {} };
    let name = crate::components::navigator::documents(state, state.selected)
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, n)| n)
        .unwrap_or_default();
    let readonly = !state.editable();
    let rename = {
        let dispatch = dispatch.clone();
        Callback::from(move |name: String| effects::edit(&dispatch, Op::RenameDocument { kind, id, name }))
    };
    html! {
        <form class="prop-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} key={format!("doc-{id}")}>
            { text_field("doc-name", "Name", &name, readonly, rename) }
            { delete_button(state, dispatch, kind, id, &name) }
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faultline_models::fault_tree::TreeId;

    #[test]
    fn numbers_typed_by_people_parse() {
        assert_eq!(parse_number("1e-3"), Some(1e-3));
        assert_eq!(parse_number(" 0,25 "), Some(0.25));
        assert_eq!(parse_number("1 000"), Some(1000.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn probability_setters_check_their_range() {
        let mut p = Probability::Fixed { p: 0.1 };
        assert!(set_fixed(&mut p, 1.5).unwrap_err().contains("1.5"));
        assert_eq!(p, Probability::Fixed { p: 0.1 });
        set_fixed(&mut p, 0.25).unwrap();
        assert_eq!(p, Probability::Fixed { p: 0.25 });
        let mut e = Probability::Exponential { rate: 1e-5, mission_time: Some(10.0) };
        assert!(set_rate(&mut e, -1.0).is_err());
        set_rate(&mut e, 2e-5).unwrap();
        set_mission_time(&mut e, f64::NAN).unwrap();
        assert_eq!(e, Probability::Exponential { rate: 2e-5, mission_time: None });
        assert!(set_mission_time(&mut e, -3.0).is_err());
    }

    #[test]
    fn every_kind_slug_round_trips_and_keeps_the_probability() {
        let tree = FaultTree::new(TreeId(1), "T");
        let old = ElementKind::BasicEvent { probability: Probability::Fixed { p: 0.3 } };
        for (slug, _) in KINDS {
            let kind = kind_from_slug(slug, &old, &tree).unwrap();
            assert_eq!(kind_slug(&kind), slug);
        }
        assert_eq!(
            kind_from_slug("undeveloped", &old, &tree),
            Some(ElementKind::UndevelopedEvent { probability: Probability::Fixed { p: 0.3 } })
        );
        assert_eq!(kind_from_slug("nope", &old, &tree), None);
        let vote = ElementKind::Gate { gate: GateKind::Or, args: vec![] };
        assert!(matches!(kind_from_slug("atleast", &vote, &tree), Some(ElementKind::Gate { gate: GateKind::AtLeast { k: 1 }, .. })));
    }
}
