//! The bottom drawer: the live analysis of the open fault tree (P(top) three ways, the MCS count, the most
//! probable cut sets with their share, importance measures as a table and a bar chart), or the validation
//! problems that stop it. Clicking a cut set highlights it on the tree. A tree whose BDD is too large for
//! the app can be analysed by its cut sets up to an order chosen here (no exact P(top) then).

use crate::effects::Dispatch;
use crate::format::{relative_error, sci};
use crate::state::{Action, ModelKind, NodeSelection, State};
use faultline_models::analysis::{Analysis, Importance};
use faultline_models::fault_tree::validate::Severity;
use std::rc::Rc;
use yew::prelude::*;

/// How many cut sets the table lists (the backend sends the most probable [`crate::api::LISTED_CUT_SETS`]).
pub const TABLE_ROWS: usize = 50;

/// Indices of `analysis.cut_sets` from the most probable down (ties in listing order), at most `n`.
pub fn most_probable(analysis: &Analysis, n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..analysis.cut_sets.len()).collect();
    idx.sort_by(|&a, &b| analysis.cut_sets[b].probability.total_cmp(&analysis.cut_sets[a].probability).then(a.cmp(&b)));
    idx.truncate(n);
    idx
}

/// Importance rows from the most important (Fussell-Vesely) down.
pub fn by_importance(analysis: &Analysis) -> Vec<&Importance> {
    let mut rows: Vec<&Importance> = analysis.importance.iter().collect();
    rows.sort_by(|a, b| b.fussell_vesely.total_cmp(&a.fussell_vesely).then_with(|| a.event.cmp(&b.event)));
    rows
}

/// A message that continues another one elsewhere ("r1: the tree is ...") as a sentence of its own:
/// capitalised, with a full stop.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !out.is_empty() && !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// Props of [`ResultsDrawer`].
#[derive(Properties, PartialEq)]
pub struct ResultsDrawerProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

/// The collapsible results drawer.
#[function_component(ResultsDrawer)]
pub fn results_drawer(props: &ResultsDrawerProps) -> Html {
    let state = &props.state;
    let open = state.drawer_open;
    let dispatch = props.dispatch.clone();
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ToggleDrawer))
    };
    let busy = state.analysing.is_some() && state.open_tree.is_some();
    // The order offered for an analysis by cut sets; 6 keeps a large tree to about a second.
    let order_input = use_state(|| 6usize);
    let body = if state.selected != ModelKind::FaultTrees {
        html! { <p class="muted">{ "Results for this kind of model appear with its own view." }</p> }
    } else {
        match state.open_report() {
            None if busy => html! { <p class="muted" id="analysing">{ "Analysing…" }</p> },
            None => html! { <p class="muted">{ "Open a fault tree to see P(top), its minimal cut sets and importance here." }</p> },
            Some(report) => {
                let errors: Vec<_> = report.report.problems.iter().filter(|p| p.severity == Severity::Error).collect();
                match &report.report.analysis {
                    None if errors.is_empty() => {
                        let tree = report.report.tree;
                        let oninput = {
                            let order_input = order_input.clone();
                            Callback::from(move |e: InputEvent| {
                                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                                if let Ok(k) = input.value().parse::<usize>() {
                                    order_input.set(k.clamp(1, 20));
                                }
                            })
                        };
                        let approximate = {
                            let dispatch = dispatch.clone();
                            let k = *order_input;
                            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetLimitOrder { tree, order: Some(k) }))
                        };
                        html! {
                            <div class="problems-panel" id="analysis-stopped">
                                <p><strong>{ match state.open_limit_order() {
                                    Some(k) => format!("No result by cut sets up to order {k}."),
                                    None => "No exact result for this tree.".to_string(),
                                } }</strong></p>
                                <p>{ report.report.stopped.as_ref().map(|s| sentence(&s.to_string())).unwrap_or_else(|| "The analysis stopped.".into()) }</p>
                                <p class="approximate-form">
                                    <label for="approx-order">{ "Analyse by its minimal cut sets up to order" }</label>
                                    <input id="approx-order" type="number" min="1" max="20" value={order_input.to_string()} {oninput} />
                                    <button id="approximate" class="primary" onclick={approximate}>{ "Analyse by cut sets" }</button>
                                </p>
                                <p class="muted">{ "P(top) is then approximated from those cut sets (rare-event sum and MCUB). The command line runs the exact analysis without this ceiling: faultline analyze PROJECT --top NAME." }</p>
                            </div>
                        }
                    }
                    None => html! {
                        <div class="problems-panel" id="analysis-problems">
                            <p><strong>{ format!("{} problems stop the analysis. Fix them on the highlighted nodes:", errors.len()) }</strong></p>
                            <ul class="problems">{ for errors.iter().map(|p| {
                                let dispatch = dispatch.clone();
                                let first = p.elements.first().copied();
                                let onclick = Callback::from(move |_: MouseEvent| {
                                    if let Some(element) = first {
                                        dispatch.dispatch(Action::SelectNode(Some(NodeSelection { element, parent: None })));
                                    }
                                });
                                html! { <li class="problem error" {onclick}>{ &p.message }</li> }
                            }) }</ul>
                        </div>
                    },
                    Some(analysis) => results(state, &dispatch, analysis, report.elapsed_ms, report.report.problems.len()),
                }
            }
        }
    };
    html! {
        <section class={classes!("drawer", open.then_some("open"))} id="results-drawer" aria-label="Results">
            <button class="drawer-toggle" aria-expanded={open.to_string()} {onclick}>
                <span class="chevron" aria-hidden="true">{ if open { "▾" } else { "▸" } }</span>
                { "Results" }
                if busy { <span class="spinner" id="analysis-busy" role="progressbar" aria-label="Analysing"></span> }
            </button>
            if open {
                <div class={classes!("drawer-body", (busy && state.report_is_stale()).then_some("stale"))}>{ body }</div>
            }
        </section>
    }
}

/// The figures of an analysis by cut sets that is exact but for one module: that P(top), and the
/// rigorous lower bound (P(top) with the module working).
fn partial_figures(a: &Analysis) -> Html {
    let (Some(partial), Some(m)) = (a.probability.partial, a.approximated_module.as_ref()) else { return html! {} };
    let explain = format!(
        "{partial}: exact but for module {} ({} events), whose probability {} is the MCUB of its {} cut sets; P(top) = {} + P({}) × {}",
        m.gate,
        m.events,
        m.probability,
        m.cut_set_count,
        m.if_working,
        m.gate,
        m.if_failed - m.if_working
    );
    let lower = a.probability.lower_bound.map(|lb| {
        html! {
            <div class="figure"><span class="fig-label">{ "At least" }</span><span class="fig-value" id="p-lower" title={format!("{lb}: P(top) with {} working, a rigorous lower bound", m.gate)}>{ sci(lb) }</span></div>
        }
    });
    html! {
        <>
            <div class="figure"><span class="fig-label">{ format!("Exact but for {}", m.gate) }</span><span class="fig-value" id="p-partial" title={explain}>{ sci(partial) }</span></div>
            { for lower }
        </>
    }
}

/// The Monte Carlo estimate of an analysis by cut sets: P(top) ± its standard error, relative (and the
/// 95% interval and what was sampled in the tooltip).
fn sampled_figure(a: &Analysis) -> Html {
    let Some(e) = a.probability.sampled else { return html! {} };
    let what = a.approximated_module.as_ref().map_or_else(|| "the tree".to_string(), |m| format!("module {} (P(top) follows from it)", m.gate));
    let explain = format!(
        "{} ± {:.2e}: Monte Carlo estimate from {} samples of {what}, {} hits; 95% interval {:.4e} to {:.4e}. Statistical, not a bound.",
        e.probability, e.std_error, e.samples, e.hits, e.low_95, e.high_95
    );
    let relative = relative_error(e.probability, e.std_error).map(|r| format!(" ± {r}")).unwrap_or_default();
    html! {
        <div class="figure"><span class="fig-label">{ "Monte Carlo" }</span><span class="fig-value" id="p-sampled" title={explain}>{ sci(e.probability) }<span class="fig-error">{ relative }</span></span></div>
    }
}

fn results(state: &State, dispatch: &Dispatch, a: &Analysis, elapsed_ms: f64, warnings: usize) -> Html {
    let p = a.probability;
    let approximate = match (p.exact, state.open_limit_order(), state.open_tree) {
        (None, order, Some(tree)) => {
            let dispatch = dispatch.clone();
            let exact = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetLimitOrder { tree, order: None }));
            let order = order.map(|k| format!("up to order {k}")).unwrap_or_else(|| "truncated".into());
            let how = match &a.approximated_module {
                Some(m) => format!(
                    "P(top) is exact but for module {} ({} events), whose probability comes from its own cut sets{}",
                    m.gate,
                    m.events,
                    if m.sampled.is_some() { " and, as a check, from Monte Carlo samples" } else { "" }
                ),
                None => "P(top) is approximated from them (MCUB and rare-event sum), without an exact value".to_string(),
            };
            html! {
                <div class="approximate-banner" id="approximate-banner" role="status">
                    <span>{ format!("Analysis by cut sets: the BDD is too large for the app. Minimal cut sets {order}; {how}.") }</span>
                    <button id="exact-again" onclick={exact}>{ "Try the exact analysis again" }</button>
                </div>
            }
        }
        _ => html! {},
    };
    let rows = most_probable(a, TABLE_ROWS);
    let cut_rows = rows.iter().enumerate().map(|(rank, &i)| {
        let cs = &a.cut_sets[i];
        let selected = state.highlight == Some(i);
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Highlight(if selected { None } else { Some(i) })));
        html! {
            <tr class={classes!("cut-set", selected.then_some("selected"))} data-index={i.to_string()} {onclick}>
                <td class="num">{ rank + 1 }</td>
                <td class="events">{ cs.events.join(" · ") }</td>
                <td class="num">{ cs.order }</td>
                <td class="num" title={cs.probability.to_string()}>{ sci(cs.probability) }</td>
                <td class="num">{ format!("{:.1} %", cs.share * 100.0) }</td>
            </tr>
        }
    });
    let imp = by_importance(a);
    let max_fv = imp.first().map(|i| i.fussell_vesely).unwrap_or(0.0).max(1e-300);
    let imp_rows = imp.iter().map(|i| html! {
        <tr data-event={i.event.clone()}>
            <td>{ &i.event }</td>
            <td class="num bar-cell">
                <svg class="bar" width="80" height="10" aria-hidden="true"><rect width={format!("{:.1}", 80.0 * i.fussell_vesely / max_fv)} height="10" /></svg>
                { sci(i.fussell_vesely) }
            </td>
            <td class="num">{ sci(i.birnbaum) }</td>
            <td class="num">{ sci(i.criticality) }</td>
            <td class="num">{ i.raw.map(sci).unwrap_or_else(|| "—".into()) }</td>
            <td class="num">{ i.rrw.map(sci).unwrap_or_else(|| "—".into()) }</td>
        </tr>
    });
    let shown = rows.len();
    let partial = partial_figures(a);
    let sampled = sampled_figure(a);
    html! {
        <div class="results">
            { approximate }
            <div class="figures">
                <div class="figure"><span class="fig-label">{ "P(top) exact" }</span><span class="fig-value" id="p-exact" title={p.exact.map(|x| x.to_string()).unwrap_or_else(|| "not computed: the BDD is too large; the figures come from the truncated cut sets".into())}>{ p.exact.map(sci).unwrap_or_else(|| "—".into()) }</span></div>
                <div class="figure"><span class="fig-label">{ "Rare-event" }</span><span class="fig-value" id="p-rare" title={p.rare_event.to_string()}>{ sci(p.rare_event) }</span></div>
                <div class="figure"><span class="fig-label">{ "MCUB" }</span><span class="fig-value" id="p-mcub" title={p.mcub.to_string()}>{ sci(p.mcub) }</span></div>
                { partial }
                { sampled }
                <div class="figure"><span class="fig-label">{ "Minimal cut sets" }</span><span class="fig-value" id="mcs-count">{ a.cut_set_count }</span></div>
                <div class="figure"><span class="fig-label">{ "Analysis" }</span><span class="fig-value" id="analysis-ms">{ format!("{elapsed_ms:.1} ms") }</span></div>
                if warnings > 0 {
                    <div class="figure warn"><span class="fig-label">{ "Warnings" }</span><span class="fig-value">{ warnings }</span></div>
                }
            </div>
            <div class="tables">
                <div class="table-wrap">
                    <h3>{ format!("Most probable cut sets ({shown} of {})", a.cut_set_count) }</h3>
                    if a.cut_sets.is_empty() {
                        <p class="muted">{ "No cut sets: the top event needs at least one basic event, and no house event may block it." }</p>
                    } else {
                        <table class="grid" id="cut-sets"><thead><tr><th>{ "#" }</th><th>{ "Events" }</th><th>{ "Order" }</th><th>{ "P" }</th><th>{ "Share" }</th></tr></thead>
                        <tbody>{ for cut_rows }</tbody></table>
                    }
                </div>
                <div class="table-wrap">
                    <h3>{ "Importance" }</h3>
                    <table class="grid" id="importance"><thead><tr><th>{ "Event" }</th><th>{ "Fussell-Vesely" }</th><th>{ "Birnbaum" }</th><th>{ "Criticality" }</th><th>{ "RAW" }</th><th>{ "RRW" }</th></tr></thead>
                    <tbody>{ for imp_rows }</tbody></table>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faultline_models::fault_tree::{FaultTree, GateKind, TreeId};
    use faultline_models::project::Project;

    fn analysis() -> Analysis {
        let mut t = FaultTree::new(TreeId(1), "T");
        let a = t.add_basic("A", 0.1);
        let b = t.add_basic("B", 0.3);
        let c = t.add_basic("C", 0.2);
        let g = t.add_gate("G", GateKind::And, vec![b, c]);
        t.top = Some(t.add_gate("Top", GateKind::Or, vec![a, g]));
        let mut p = Project::new("p");
        p.fault_trees.push(t);
        p.report_tree(TreeId(1), &Default::default()).unwrap().analysis.unwrap()
    }

    #[test]
    fn a_continued_message_becomes_a_sentence() {
        assert_eq!(sentence("the tree is too large"), "The tree is too large.");
        assert_eq!(sentence("Already one."), "Already one.");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn cut_sets_are_ranked_by_probability() {
        let a = analysis();
        let ranked = most_probable(&a, 10);
        let probs: Vec<f64> = ranked.iter().map(|&i| a.cut_sets[i].probability).collect();
        assert_eq!(probs.len(), 2);
        assert!(probs[0] >= probs[1]);
        assert_eq!(a.cut_sets[ranked[0]].events, vec!["A"]);
        assert_eq!(most_probable(&a, 1).len(), 1);
    }

    #[test]
    fn importance_is_ranked_by_fussell_vesely() {
        let a = analysis();
        let rows = by_importance(&a);
        assert_eq!(rows[0].event, "A");
        assert!(rows.windows(2).all(|w| w[0].fussell_vesely >= w[1].fussell_vesely));
    }
}
