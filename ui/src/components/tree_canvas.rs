//! The fault-tree canvas: the open tree drawn as SVG with the IEC 61025 symbols, laid out by
//! `faultline_models::layout`. Click selects, a drag onto a gate re-parents, the wheel zooms, a drag on the
//! background pans, arrows move the selection, the ± under a gate collapses its subtree.

use crate::effects::{self, Dispatch};
use crate::format::probability;
use crate::state::{Action, NodeSelection, State};
use faultline_models::fault_tree::{ElementId, ElementKind, FaultTree};
use faultline_models::layout::{self, Layout, LayoutOptions, PlacedNode, Symbol};
use faultline_models::ops::Op;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use web_sys::{Element as DomElement, KeyboardEvent, PointerEvent, WheelEvent};
use yew::prelude::*;

/// The marker colours of shared elements (the same colour at every use).
const SHARED: [&str; 8] = ["#d9480f", "#5f3dc4", "#0b7285", "#c2255c", "#2b8a3e", "#e67700", "#1864ab", "#862e9c"];

/// The pan and zoom of the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub tx: f64,
    pub ty: f64,
    pub scale: f64,
}

/// The view that fits a `width` × `height` picture into a `cw` × `ch` viewport with a margin, never
/// enlarging beyond 1.5.
pub fn fit(width: f64, height: f64, cw: f64, ch: f64) -> View {
    let margin = 24.0;
    let sx = (cw - 2.0 * margin) / width.max(1.0);
    let sy = (ch - 2.0 * margin) / height.max(1.0);
    let scale = sx.min(sy).clamp(0.05, 1.5);
    View { tx: (cw - width * scale) / 2.0, ty: margin, scale }
}

/// [`fit`] under a workshop zoom: the view's own scale is divided by `zoom`, since the drawing is scaled by
/// `view.scale * zoom`.
pub fn fit_zoomed(width: f64, height: f64, cw: f64, ch: f64, zoom: f64) -> View {
    let v = fit(width, height, cw, ch);
    View { scale: v.scale / zoom.max(0.1), ..v }
}

/// The instance of the selection: the use of the selected element under the selected parent.
pub fn selected_instance(lay: &Layout, selection: Option<NodeSelection>) -> Option<usize> {
    let sel = selection?;
    let mut first = None;
    for (i, n) in lay.nodes.iter().enumerate() {
        if n.element != sel.element {
            continue;
        }
        let parent = n.parent.map(|p| lay.nodes[p].element);
        if parent == sel.parent {
            return Some(i);
        }
        first.get_or_insert(i);
    }
    first
}

/// The instance an arrow key moves to from `from`: up to the parent, down to the first argument,
/// left/right to the previous/next sibling.
pub fn neighbour(lay: &Layout, from: usize, key: &str) -> Option<usize> {
    let node = lay.nodes.get(from)?;
    match key {
        "ArrowUp" => node.parent,
        "ArrowDown" => lay.nodes.iter().position(|n| n.parent == Some(from)),
        "ArrowLeft" | "ArrowRight" => {
            let siblings: Vec<usize> =
                (0..lay.nodes.len()).filter(|&i| lay.nodes[i].parent == node.parent && lay.nodes[i].depth == node.depth).collect();
            let pos = siblings.iter().position(|&i| i == from)?;
            if key == "ArrowLeft" {
                pos.checked_sub(1).map(|p| siblings[p])
            } else {
                siblings.get(pos + 1).copied()
            }
        }
        _ => None,
    }
}

/// The instances on the highlighted cut set's paths: every use of its events and every ancestor of those.
pub fn highlighted(lay: &Layout, events: &HashSet<ElementId>) -> HashSet<usize> {
    let mut on = HashSet::new();
    for (i, n) in lay.nodes.iter().enumerate() {
        if events.contains(&n.element) && !n.symbol.is_gate() {
            let mut at = Some(i);
            while let Some(j) = at {
                if !on.insert(j) {
                    break;
                }
                at = lay.nodes[j].parent;
            }
        }
    }
    on
}

fn selection_of(lay: &Layout, i: usize) -> NodeSelection {
    let n = &lay.nodes[i];
    NodeSelection { element: n.element, parent: n.parent.map(|p| lay.nodes[p].element) }
}

/// The label under a vote symbol.
fn symbol_text(symbol: &Symbol) -> Option<String> {
    match symbol {
        Symbol::Vote { k, n } => Some(format!("{k}/{n}")),
        Symbol::Transfer => Some("T".into()),
        _ => None,
    }
}

/// Props of [`TreeCanvas`].
#[derive(Properties, PartialEq)]
pub struct TreeCanvasProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

/// A drag in progress: panning the background, or a node being dragged to a new parent.
#[derive(Clone, Copy, Debug)]
enum Drag {
    Pan { x: f64, y: f64, tx: f64, ty: f64 },
    Node { instance: usize, x: f64, y: f64, moved: bool },
}

/// The canvas of the open fault tree.
#[function_component(TreeCanvas)]
pub fn tree_canvas(props: &TreeCanvasProps) -> Html {
    let state = &props.state;
    let dispatch = props.dispatch.clone();
    let container = use_node_ref();
    let view = use_state(|| None::<View>);
    let drag = use_mut_ref(|| None::<Drag>);
    let drop_target = use_state(|| None::<usize>);

    let Some(tree) = state.open_fault_tree() else {
        return html! {};
    };
    let options = LayoutOptions { collapsed: state.collapsed_in_open_tree(), ..LayoutOptions::default() };
    let lay = Rc::new(layout::layout(tree, &options));
    let parts = layout::node_parts(&options);

    // The workshop zoom enlarges the drawing too (on top of pan/zoom), so a projector shows readable labels.
    let workshop = state.zoom;
    // Fit on first show and whenever another tree is opened.
    {
        let view = view.clone();
        let container = container.clone();
        let (w, h) = (lay.width, lay.height);
        use_effect_with(tree.id, move |_| {
            if let Some(el) = container.cast::<DomElement>() {
                view.set(Some(fit_zoomed(w, h, el.client_width() as f64, el.client_height() as f64, workshop)));
            }
        });
    }
    let current = (*view).unwrap_or(View { tx: 24.0, ty: 24.0, scale: 1.0 });
    let scale = current.scale;

    let problems = problems_by_element(state);
    let highlight_events: HashSet<ElementId> = state
        .open_report()
        .and_then(|r| r.report.analysis.as_ref())
        .zip(state.highlight)
        .and_then(|(a, i)| a.cut_sets.get(i))
        .map(|cs| cs.events.iter().filter_map(|name| tree.by_name(name)).map(|e| e.id).collect())
        .unwrap_or_default();
    let lit = highlighted(&lay, &highlight_events);
    let dim = !highlight_events.is_empty();
    let sel_instance = selected_instance(&lay, state.selection);

    let edges = lay.edges.iter().enumerate().map(|(k, &(p, c))| {
        let pts = layout::edge_route(&lay, &options, k);
        let d: String = pts
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }))
            .collect::<Vec<_>>()
            .join(" ");
        let on = lit.contains(&p) && lit.contains(&c);
        html! { <path class={classes!("edge", on.then_some("lit"), (dim && !on).then_some("dim"))} d={d} /> }
    });

    let nodes = lay.nodes.iter().enumerate().map(|(i, n)| {
        let element = tree.element(n.element);
        let on = lit.contains(&i);
        let classes = classes!(
            "node",
            (Some(i) == sel_instance).then_some("selected"),
            on.then_some("lit"),
            (dim && !on).then_some("dim"),
            n.repeat.then_some("repeat"),
            (Some(i) == *drop_target).then_some("drop-target"),
            problems.get(&n.element).map(|(err, _)| if *err { "has-error" } else { "has-warning" }),
        );
        let onpointerdown = {
            let drag = drag.clone();
            Callback::from(move |e: PointerEvent| {
                e.stop_propagation();
                *drag.borrow_mut() = Some(Drag::Node { instance: i, x: e.client_x() as f64, y: e.client_y() as f64, moved: false });
            })
        };
        let onpointerup = {
            let drag = drag.clone();
            let dispatch = dispatch.clone();
            let lay = lay.clone();
            let tree_id = tree.id;
            let drop_target = drop_target.clone();
            Callback::from(move |e: PointerEvent| {
                e.stop_propagation();
                let was = drag.borrow_mut().take();
                drop_target.set(None);
                match was {
                    Some(Drag::Node { instance, moved: true, .. }) if instance != i => {
                        let src = &lay.nodes[instance];
                        let target = &lay.nodes[i];
                        if let (Some(from), true) = (src.parent.map(|p| lay.nodes[p].element), target.symbol.is_gate()) {
                            effects::edit(&dispatch, Op::Reparent { tree: tree_id, element: src.element, from, to: target.element });
                        } else {
                            dispatch.dispatch(Action::Notify("Drop onto a gate to move an element under it".into()));
                        }
                    }
                    _ => dispatch.dispatch(Action::SelectNode(Some(selection_of(&lay, i)))),
                }
            })
        };
        let ondblclick = {
            let dispatch = dispatch.clone();
            let tree_id = tree.id;
            let is_gate = n.symbol.is_gate() && !n.repeat;
            let element_id = n.element;
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                if is_gate {
                    effects::edit(&dispatch, Op::AddChild {
                        tree: tree_id,
                        parent: element_id,
                        new: faultline_models::ops::NewElement::Basic { p: 0.01 },
                    });
                }
            })
        };
        let (name, description) = element.map(|e| (e.name.clone(), e.label.clone())).unwrap_or_else(|| (format!("missing {}", n.element), String::new()));
        let subtitle = if description.is_empty() { element.map(|e| e.description.clone()).unwrap_or_default() } else { description };
        let lx = n.x + parts.label.x;
        let ly = n.y + parts.label.y;
        let sx = n.x + parts.symbol.x;
        let sy = n.y + parts.symbol.y;
        let outline = if n.side {
            layout::condition_outline(parts.symbol.width, parts.symbol.height)
        } else {
            layout::symbol_outline(&n.symbol, parts.symbol.width, parts.symbol.height)
        };
        let d = layout::path_data(&outline, sx, sy);
        let p_text = element.and_then(|e| match &e.kind {
            ElementKind::BasicEvent { probability: p } | ElementKind::UndevelopedEvent { probability: p } => {
                p.value(tree.mission_time).map(probability)
            }
            ElementKind::HouseEvent { state } => Some(if *state { "true".into() } else { "false".into() }),
            _ => None,
        });
        let title = problems.get(&n.element).map(|(_, msgs)| msgs.join("\n")).unwrap_or_else(|| name.clone());
        let collapsible = n.symbol.is_gate() && !n.repeat && (n.hidden_children > 0 || lay.nodes.get(i + 1).is_some_and(|c| c.parent == Some(i)));
        let toggle = collapsible.then(|| {
            let dispatch = dispatch.clone();
            let el = n.element;
            let onclick = Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                dispatch.dispatch(Action::ToggleCollapse(el));
            });
            let cy = n.y + parts.symbol.y + parts.symbol.height + 9.0;
            let sign = if n.hidden_children > 0 { "+" } else { "−" };
            html! {
                <g class="collapse-toggle" {onclick} onpointerdown={Callback::from(|e: PointerEvent| e.stop_propagation())}
                   onpointerup={Callback::from(|e: PointerEvent| e.stop_propagation())}>
                    <title>{ if n.hidden_children > 0 { format!("Expand ({} hidden)", n.hidden_children) } else { "Collapse".to_string() } }</title>
                    <circle cx={fmt(n.x + parts.symbol.width / 2.0 + 10.0)} cy={fmt(cy)} r="7" />
                    <text x={fmt(n.x + parts.symbol.width / 2.0 + 10.0)} y={fmt(cy + 4.0)} class="toggle-sign">{ sign }</text>
                </g>
            }
        });
        html! {
            <g class={classes} data-element={n.element.0.to_string()} data-name={name.clone()} data-instance={i.to_string()}
               {onpointerdown} {onpointerup} {ondblclick}>
                <title>{ title }</title>
                <rect class="label-box" x={fmt(lx)} y={fmt(ly)} width={fmt(parts.label.width)} height={fmt(parts.label.height)} rx="4" />
                <text class="label-name" x={fmt(n.x)} y={fmt(ly + 16.0)}>{ clip(&name, 20) }</text>
                <text class="label-desc" x={fmt(n.x)} y={fmt(ly + 31.0)}>{ clip(&subtitle, 26) }</text>
                <line class="stem" x1={fmt(n.x)} y1={fmt(ly + parts.label.height)} x2={fmt(n.x)} y2={fmt(sy)} />
                <path class={classes!("symbol", format!("sym-{}", symbol_class(&n.symbol)))} d={d} />
                if let Some(t) = symbol_text(&n.symbol) {
                    <text class="symbol-text" x={fmt(n.x)} y={fmt(sy + parts.symbol.height * 0.62)}>{ t }</text>
                }
                if let Some(p) = p_text {
                    <text class="prob" x={fmt(n.x)} y={fmt(n.y + parts.probability_y + 4.0)}>{ p }</text>
                }
                if let Some(k) = n.shared {
                    <g class="shared-marker">
                        <title>{ format!("{name} is used in more than one place") }</title>
                        <circle cx={fmt(lx + parts.label.width - 2.0)} cy={fmt(ly + 2.0)} r="7" fill={SHARED[k % SHARED.len()]} />
                        <text x={fmt(lx + parts.label.width - 2.0)} y={fmt(ly + 5.5)}>{ "S" }</text>
                    </g>
                }
                if n.repeat {
                    <text class="repeat-text" x={fmt(n.x)} y={fmt(n.y + parts.probability_y + 4.0)}>{ "↑ see first use" }</text>
                }
                if problems.contains_key(&n.element) {
                    <g class="problem-badge">
                        <circle cx={fmt(lx + 2.0)} cy={fmt(ly + 2.0)} r="8" />
                        <text x={fmt(lx + 2.0)} y={fmt(ly + 6.5)}>{ "!" }</text>
                    </g>
                }
                { toggle.unwrap_or_default() }
            </g>
        }
    });

    let onwheel = {
        let view = view.clone();
        let container = container.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let Some(el) = container.cast::<DomElement>() else { return };
            let rect = el.get_bounding_client_rect();
            let (mx, my) = (e.client_x() as f64 - rect.left(), e.client_y() as f64 - rect.top());
            let factor = if e.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 };
            let s2 = (current.scale * factor).clamp(0.05, 4.0);
            let k = s2 / current.scale;
            view.set(Some(View { tx: mx - (mx - current.tx) * k, ty: my - (my - current.ty) * k, scale: s2 }));
        })
    };
    let onpointerdown = {
        let drag = drag.clone();
        Callback::from(move |e: PointerEvent| {
            *drag.borrow_mut() = Some(Drag::Pan { x: e.client_x() as f64, y: e.client_y() as f64, tx: current.tx, ty: current.ty });
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let view = view.clone();
        let drop_target = drop_target.clone();
        Callback::from(move |e: PointerEvent| {
            let mut d = drag.borrow_mut();
            match d.as_mut() {
                Some(Drag::Pan { x, y, tx, ty }) => {
                    if e.buttons() == 0 {
                        *d = None;
                        return;
                    }
                    view.set(Some(View { tx: *tx + e.client_x() as f64 - *x, ty: *ty + e.client_y() as f64 - *y, scale: current.scale }));
                }
                Some(Drag::Node { x, y, moved, .. }) => {
                    if (e.client_x() as f64 - *x).hypot(e.client_y() as f64 - *y) > 6.0 {
                        *moved = true;
                    }
                    let target = e
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<DomElement>(t).ok())
                        .and_then(|el| el.closest("g.node").ok().flatten())
                        .and_then(|g| g.get_attribute("data-instance"))
                        .and_then(|s| s.parse::<usize>().ok());
                    if *moved && *drop_target != target {
                        drop_target.set(target);
                    }
                }
                None => {}
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        let drop_target = drop_target.clone();
        Callback::from(move |_: PointerEvent| {
            // A node drop is handled by the node; here only a pan (or a drop outside any node) ends.
            if drag.borrow_mut().take().is_some() && drop_target.is_some() {
                drop_target.set(None);
            }
        })
    };
    let onclick_bg = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            let on_node = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<DomElement>(t).ok())
                .and_then(|el| el.closest("g.node").ok().flatten())
                .is_some();
            if !on_node && e.detail() == 1 {
                dispatch.dispatch(Action::SelectNode(None));
            }
        })
    };
    let onkeydown = {
        let dispatch = dispatch.clone();
        let lay = lay.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Enter" {
                // Enter edits the selection: the name field of the properties panel.
                if let Some(field) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("prop-name"))
                    .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
                {
                    e.prevent_default();
                    let _ = field.focus();
                }
                return;
            }
            if !key.starts_with("Arrow") {
                return;
            }
            e.prevent_default();
            let from = sel_instance.unwrap_or(0);
            let to = if sel_instance.is_none() { Some(0) } else { neighbour(&lay, from, &key) };
            if let Some(to) = to.filter(|&t| t < lay.nodes.len()) {
                dispatch.dispatch(Action::SelectNode(Some(selection_of(&lay, to))));
            }
        })
    };
    let fit_click = {
        let view = view.clone();
        let container = container.clone();
        let (w, h) = (lay.width, lay.height);
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = container.cast::<DomElement>() {
                view.set(Some(fit_zoomed(w, h, el.client_width() as f64, el.client_height() as f64, workshop)));
            }
        })
    };
    let zoom_by = |factor: f64| {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| {
            view.set(Some(View { scale: (current.scale * factor).clamp(0.05, 4.0), ..current }));
        })
    };
    let transform = format!("translate({:.1},{:.1}) scale({:.4})", current.tx, current.ty, scale * workshop);
    let collapsed_any = !state.collapsed_in_open_tree().is_empty();
    let expand_all = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ExpandAll))
    };
    html! {
        <div class="canvas-wrap">
            <div class="canvas-tools" role="toolbar" aria-label="View">
                <button id="zoom-in" title="Zoom in (wheel up)" onclick={zoom_by(1.25)}>{ "+" }</button>
                <button id="zoom-out" title="Zoom out (wheel down)" onclick={zoom_by(0.8)}>{ "−" }</button>
                <button id="fit" title="Fit to window" onclick={fit_click}>{ "Fit" }</button>
                if collapsed_any {
                    <button id="expand-all" onclick={expand_all}>{ "Expand all" }</button>
                }
            </div>
            <div class="canvas" id="tree-canvas" ref={container} tabindex="0" {onkeydown} {onwheel}
                 {onpointerdown} {onpointermove} {onpointerup} onclick={onclick_bg}
                 aria-label={format!("Fault tree {}", tree.name)}>
                <svg class="tree-svg" width="100%" height="100%" data-nodes={lay.nodes.len().to_string()}>
                    <g transform={transform}>
                        { for edges }
                        { for nodes }
                    </g>
                </svg>
            </div>
        </div>
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// At most `n` characters, with an ellipsis when cut.
fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(n.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

fn symbol_class(s: &Symbol) -> &'static str {
    match s {
        Symbol::And | Symbol::Nand => "and",
        Symbol::Or | Symbol::Nor | Symbol::Vote { .. } | Symbol::Xor => "or",
        Symbol::Not => "not",
        Symbol::Inhibit => "inhibit",
        Symbol::Basic => "basic",
        Symbol::Undeveloped => "undeveloped",
        Symbol::House { .. } => "house",
        Symbol::Transfer => "transfer",
        Symbol::Missing => "missing",
    }
}

/// Validation problems of the open tree's report, per element: (has an error, messages).
fn problems_by_element(state: &State) -> HashMap<ElementId, (bool, Vec<String>)> {
    let mut out: HashMap<ElementId, (bool, Vec<String>)> = HashMap::new();
    if let Some(report) = state.open_report() {
        for p in &report.report.problems {
            let error = p.severity == faultline_models::fault_tree::validate::Severity::Error;
            for e in &p.elements {
                let entry = out.entry(*e).or_default();
                entry.0 |= error;
                entry.1.push(p.message.clone());
            }
        }
    }
    out
}

/// Every element of `tree` that the layout draws (used by tests of the canvas helpers).
pub fn drawn(tree: &FaultTree, collapsed: BTreeSet<ElementId>) -> BTreeSet<ElementId> {
    let lay = layout::layout(tree, &LayoutOptions { collapsed, ..LayoutOptions::default() });
    lay.nodes.iter().map(|n: &PlacedNode| n.element).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use faultline_models::fault_tree::{FaultTree, GateKind, TreeId};

    fn tree() -> FaultTree {
        let mut t = FaultTree::new(TreeId(1), "T");
        let a = t.add_basic("A", 0.1);
        let b = t.add_basic("B", 0.2);
        let c = t.add_basic("C", 0.3);
        let g1 = t.add_gate("G1", GateKind::And, vec![a, b]);
        let g2 = t.add_gate("G2", GateKind::And, vec![b, c]);
        let top = t.add_gate("Top", GateKind::Or, vec![g1, g2]);
        t.top = Some(top);
        t
    }

    #[test]
    fn arrows_walk_the_tree() {
        let t = tree();
        let lay = layout::layout(&t, &LayoutOptions::default());
        let top = 0;
        let g1 = neighbour(&lay, top, "ArrowDown").unwrap();
        assert_eq!(lay.nodes[g1].element, t.by_name("G1").unwrap().id);
        let g2 = neighbour(&lay, g1, "ArrowRight").unwrap();
        assert_eq!(lay.nodes[g2].element, t.by_name("G2").unwrap().id);
        assert_eq!(neighbour(&lay, g2, "ArrowLeft"), Some(g1));
        assert_eq!(neighbour(&lay, g2, "ArrowUp"), Some(top));
        assert_eq!(neighbour(&lay, top, "ArrowUp"), None);
        assert_eq!(neighbour(&lay, g2, "ArrowRight"), None);
    }

    #[test]
    fn a_highlighted_cut_set_lights_its_events_and_their_paths_only() {
        let t = tree();
        let lay = layout::layout(&t, &LayoutOptions::default());
        let events: HashSet<ElementId> = [t.by_name("A").unwrap().id, t.by_name("B").unwrap().id].into();
        let on = highlighted(&lay, &events);
        let names: BTreeSet<&str> = on.iter().map(|&i| t.element(lay.nodes[i].element).unwrap().name.as_str()).collect();
        // B is shared: both uses light up, and so do both paths to the top.
        assert_eq!(names, ["A", "B", "G1", "G2", "Top"].into());
        assert!(!on.iter().any(|&i| t.element(lay.nodes[i].element).unwrap().name == "C"));
    }

    #[test]
    fn the_selection_finds_the_use_under_its_parent() {
        let t = tree();
        let lay = layout::layout(&t, &LayoutOptions::default());
        let b = t.by_name("B").unwrap().id;
        let g2 = t.by_name("G2").unwrap().id;
        let i = selected_instance(&lay, Some(NodeSelection { element: b, parent: Some(g2) })).unwrap();
        assert_eq!(lay.nodes[lay.nodes[i].parent.unwrap()].element, g2);
        assert_eq!(selected_instance(&lay, None), None);
    }

    #[test]
    fn fit_keeps_the_picture_inside_the_viewport() {
        let v = fit(1000.0, 500.0, 800.0, 600.0);
        assert!(v.scale * 1000.0 <= 800.0 - 48.0 + 1e-9);
        assert!(v.tx >= 0.0);
        assert_eq!(fit(10.0, 10.0, 800.0, 600.0).scale, 1.5);
    }

    #[test]
    fn a_fit_under_workshop_zoom_draws_at_the_plain_fit_size() {
        let plain = fit(1000.0, 500.0, 800.0, 600.0);
        let zoomed = fit_zoomed(1000.0, 500.0, 800.0, 600.0, 1.5);
        assert!((zoomed.scale * 1.5 - plain.scale).abs() < 1e-12);
        assert_eq!((zoomed.tx, zoomed.ty), (plain.tx, plain.ty));
    }

    #[test]
    fn collapsing_hides_descendants() {
        let t = tree();
        let g1 = t.by_name("G1").unwrap().id;
        let all = drawn(&t, BTreeSet::new());
        assert_eq!(all.len(), 6);
        let some = drawn(&t, [t.top.unwrap()].into());
        assert_eq!(some.len(), 1);
        assert!(drawn(&t, [g1].into()).contains(&t.by_name("B").unwrap().id), "B is still under G2");
    }
}
