//! A tidy top-down picture layout of a fault tree, shared by the editor, the CLI and the exports.
//!
//! [`layout`] unfolds the tree from its top gate into *instances* (one per place an element is drawn) and
//! places them with Reingold and Tilford's tidy-tree rules, using Walker's algorithm with Buchheim, Jünger and
//! Leipert's linear-time improvements ("Improving Walker's algorithm to run in linear time", 2002): parents are
//! centred over their arguments, subtrees are packed as closely as `sibling_gap` allows, and equal subtrees are
//! drawn alike. Everything is iterative, so very deep trees do not exhaust the stack (this module also runs in
//! the wasm32 UI).
//!
//! How the unfolding treats what a fault tree may contain:
//! - A **shared event** (an id listed by several gates, or twice by one) is drawn at every use; every instance
//!   carries the same [`PlacedNode::shared`] marker index.
//! - A **shared gate** is expanded at its first use in depth-first order; its later uses are
//!   [`PlacedNode::repeat`] nodes without children (a reference), so the number of instances never exceeds
//!   elements + gate arguments + 1, however heavily the gates are shared.
//! - A **cycle** stops at the element already on the current path: that instance is a `repeat`.
//! - An **undefined argument** (or top) is a [`Symbol::Missing`] node.
//! - A gate in [`LayoutOptions::collapsed`] is drawn without its arguments and counts them in
//!   [`PlacedNode::hidden_children`].
//! - An **inhibit** gate with exactly two arguments whose second (the conditioning event) is not a gate draws
//!   that condition *beside* the gate, to its right at the same depth ([`PlacedNode::side`]), as IEC 61025 and
//!   NUREG-0492 draw it (an ellipse, see [`condition_outline`]). A gate as the condition is drawn below, like
//!   any argument.
//!
//! [`symbol_outline`] gives the IEC 61025 gate and event shapes as polylines and [`path_data`] turns them into
//! an SVG path, so every front end draws the same symbols. [`node_parts`] and [`edge_route`] say where a node's
//! label box, symbol and probability go and how an edge runs.

use crate::fault_tree::{ElementId, ElementKind, FaultTree, GateKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

/// How to lay a tree out.
#[derive(Clone, Debug, PartialEq)]
pub struct LayoutOptions {
    /// Gates drawn without their arguments.
    pub collapsed: BTreeSet<ElementId>,
    /// The width of one node: its label box (name and description) and, under it, the symbol.
    pub node_width: f64,
    /// The height of one node: label box, symbol and the probability text under the symbol.
    pub node_height: f64,
    /// The least horizontal space between two nodes at the same depth.
    pub sibling_gap: f64,
    /// The vertical space between the bottom of a node and the top of its arguments.
    pub level_gap: f64,
}

impl Default for LayoutOptions {
    /// Sizes for a label box of two short lines over a 48 px symbol and a line of probability text:
    /// 140 × 110 nodes, 20 apart side by side and 40 apart from one level to the next.
    fn default() -> Self {
        LayoutOptions { collapsed: BTreeSet::new(), node_width: 140.0, node_height: 110.0, sibling_gap: 20.0, level_gap: 40.0 }
    }
}

/// The symbol a node is drawn with (IEC 61025 / NUREG-0492).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "symbol", rename_all = "snake_case")]
pub enum Symbol {
    And,
    Or,
    /// k-out-of-n vote (`atleast`): the OR shape with "k/n" written inside.
    Vote { k: u32, n: usize },
    Not,
    Xor,
    Nand,
    Nor,
    Inhibit,
    Basic,
    Undeveloped,
    House { state: bool },
    Transfer,
    /// An argument (or top) id that names no element of the tree.
    Missing,
}

impl Symbol {
    /// Whether this is a gate symbol (drawn with its arguments below it).
    pub fn is_gate(&self) -> bool {
        matches!(
            self,
            Symbol::And | Symbol::Or | Symbol::Vote { .. } | Symbol::Not | Symbol::Xor | Symbol::Nand | Symbol::Nor | Symbol::Inhibit
        )
    }
}

/// One drawn instance of an element.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacedNode {
    /// The element drawn (for a [`Symbol::Missing`] node, the undefined id).
    pub element: ElementId,
    /// The instance this one hangs from (`None` for a root).
    pub parent: Option<usize>,
    /// The horizontal centre of the node.
    pub x: f64,
    /// The top of the node (the top of its label box).
    pub y: f64,
    /// 0 for a root; a side condition has its inhibit gate's depth.
    pub depth: usize,
    pub symbol: Symbol,
    /// The marker colour index when the element is used more than once in the tree (same index at every use).
    pub shared: Option<usize>,
    /// The number of arguments not drawn under this node: > 0 when the gate is collapsed, a repeat, or closes a
    /// cycle.
    pub hidden_children: usize,
    /// A later use of a shared gate (or the gate that closes a cycle), drawn as a reference without arguments.
    pub repeat: bool,
    /// The conditioning event of an inhibit gate, drawn beside it (to the right, same depth) as an ellipse.
    pub side: bool,
}

/// A placed tree: instances in depth-first pre-order (a parent before its arguments, arguments in order).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub nodes: Vec<PlacedNode>,
    /// `(parent instance, child instance)`, one per non-root instance, in the order of `nodes`.
    pub edges: Vec<(usize, usize)>,
    /// The width of the picture: every node lies in `0 ..= width` horizontally.
    pub width: f64,
    /// The height of the picture: every node lies in `0 ..= height` vertically.
    pub height: f64,
}

/// A rectangle, relative to a node's anchor (its centre `x` and top `y`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Where the parts of a node go, relative to its anchor (centre `x`, top `y`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NodeParts {
    /// The label box (name, and smaller, the description).
    pub label: Rect,
    /// The symbol's box, under the label box and joined to it by a short stem.
    pub symbol: Rect,
    /// The vertical centre of the probability text, under the symbol.
    pub probability_y: f64,
}

/// Where a node's label box, symbol and probability text go for the given node size.
///
/// Returns rectangles relative to the node's anchor (its centre `x` and top `y`): the label box takes the top
/// 36 % of the node over its full width, the symbol 40 % of the height (at most 1.2 times as wide as high),
/// and the probability text is centred at 92 % of the height. O(1).
pub fn node_parts(options: &LayoutOptions) -> NodeParts {
    let (w, h) = (options.node_width.max(1.0), options.node_height.max(1.0));
    let sh = h * 0.40;
    let sw = (sh * 1.2).min(w);
    NodeParts {
        label: Rect { x: -w / 2.0, y: 0.0, width: w, height: h * 0.36 },
        symbol: Rect { x: -sw / 2.0, y: h * 0.42, width: sw, height: sh },
        probability_y: h * 0.92,
    }
}

/// The route of edge `edge` (an index into `layout.edges`) as a polyline in picture coordinates.
///
/// An argument's edge leaves the parent's symbol at 80 % of its height (the middle of the OR shape's curved
/// base, inside every other shape: draw edges before nodes), runs down to halfway through the level gap,
/// across, and down to the top of the argument's label box. A side condition's edge runs straight across from
/// the right of the inhibit symbol to the left of the condition's ellipse. Returns an empty vector for an edge
/// index out of range. O(1).
pub fn edge_route(layout: &Layout, options: &LayoutOptions, edge: usize) -> Vec<(f64, f64)> {
    let Some(&(p, c)) = layout.edges.get(edge) else { return Vec::new() };
    let (Some(pn), Some(cn)) = (layout.nodes.get(p), layout.nodes.get(c)) else { return Vec::new() };
    let parts = node_parts(options);
    if cn.side {
        let y = pn.y + parts.symbol.y + parts.symbol.height / 2.0;
        return vec![(pn.x + parts.symbol.x + parts.symbol.width, y), (cn.x + parts.symbol.x, y)];
    }
    let y0 = pn.y + parts.symbol.y + parts.symbol.height * 0.8;
    let mid = pn.y + options.node_height + options.level_gap / 2.0;
    vec![(pn.x, y0), (pn.x, mid), (cn.x, mid), (cn.x, cn.y)]
}

/// The instances that draw `element`, in pre-order (for highlighting every use of a shared element).
///
/// O(instances).
pub fn instances_of(layout: &Layout, element: ElementId) -> Vec<usize> {
    layout.nodes.iter().enumerate().filter(|(_, n)| n.element == element).map(|(i, _)| i).collect()
}

/// One instance while the tree is unfolded and placed.
struct Inst {
    node: PlacedNode,
    /// The arguments drawn below (the tidy-tree children), in order.
    children: Vec<usize>,
    /// An inhibit gate's condition drawn beside it.
    side_child: Option<usize>,
}

/// Lays out `tree` as a tidy top-down tree.
///
/// # Arguments
/// - `tree`: any fault tree, valid or not (cycles, undefined ids, duplicate ids and empty trees are drawn, never
///   rejected; with duplicate ids the first element wins).
/// - `options`: node sizes, gaps and the collapsed gates.
///
/// # Returns
/// The instances unfolded from `tree.top` or, when there is no top, from every element that is no gate's
/// argument (side by side, in element order), followed by any element still undrawn (a gate only reachable
/// through a cycle), so that without a top every element is drawn. See the [module docs](self) for shared
/// gates, cycles, inhibit conditions and collapsed gates. Coordinates start at 0; `width`/`height` bound them.
///
/// # Complexity
/// O(E + A) time and space for E elements and A gate arguments: each gate is expanded at most once.
pub fn layout(tree: &FaultTree, options: &LayoutOptions) -> Layout {
    let mut insts = unfold(tree, options);
    let xs = place(&insts, options);
    for (inst, x) in insts.iter_mut().zip(xs) {
        inst.node.x = x;
    }
    let mut edges = Vec::with_capacity(insts.len());
    for (i, inst) in insts.iter().enumerate() {
        if let Some(p) = inst.node.parent {
            edges.push((p, i));
        }
    }
    let mut nodes: Vec<PlacedNode> = insts.into_iter().map(|i| i.node).collect();
    let (w, h) = (options.node_width.max(0.0), options.node_height.max(0.0));
    let (mut left, mut right, mut deepest) = (f64::INFINITY, f64::NEG_INFINITY, 0);
    for n in &nodes {
        left = left.min(n.x - w / 2.0);
        right = right.max(n.x + w / 2.0);
        deepest = deepest.max(n.depth);
    }
    if nodes.is_empty() {
        return Layout::default();
    }
    let level = h + options.level_gap.max(0.0);
    for n in &mut nodes {
        n.x -= left;
        n.y = n.depth as f64 * level;
    }
    Layout { nodes, edges, width: right - left, height: deepest as f64 * level + h }
}

/// Unfolds the tree into instances in depth-first pre-order (iteratively).
fn unfold(tree: &FaultTree, options: &LayoutOptions) -> Vec<Inst> {
    let n = tree.elements.len();
    let mut index: HashMap<ElementId, usize> = HashMap::with_capacity(n);
    for (i, e) in tree.elements.iter().enumerate() {
        index.entry(e.id).or_insert(i);
    }
    // Uses per element over every gate's arguments: two or more make it shared.
    let mut uses = vec![0usize; n];
    for e in &tree.elements {
        if let ElementKind::Gate { args, .. } = &e.kind {
            for a in args {
                if let Some(&j) = index.get(a) {
                    uses[j] += 1;
                }
            }
        }
    }
    let mut marker = vec![None; n];
    let mut next_marker = 0;
    for (i, e) in tree.elements.iter().enumerate() {
        if uses[i] >= 2 && index.get(&e.id) == Some(&i) {
            marker[i] = Some(next_marker);
            next_marker += 1;
        }
    }

    let mut u = Unfolder { tree, options, index, marker, on_path: vec![false; n], expanded: vec![false; n], drawn: vec![false; n], insts: Vec::new() };
    match tree.top {
        Some(top) => u.walk_from(top),
        None => {
            for (i, e) in tree.elements.iter().enumerate() {
                if uses[i] == 0 && u.index.get(&e.id) == Some(&i) {
                    u.walk_from(e.id);
                }
            }
            for (i, e) in tree.elements.iter().enumerate() {
                if !u.drawn[i] && u.index.get(&e.id) == Some(&i) {
                    u.walk_from(e.id);
                }
            }
        }
    }
    u.insts
}

struct Unfolder<'a> {
    tree: &'a FaultTree,
    options: &'a LayoutOptions,
    index: HashMap<ElementId, usize>,
    marker: Vec<Option<usize>>,
    on_path: Vec<bool>,
    expanded: Vec<bool>,
    drawn: Vec<bool>,
    insts: Vec<Inst>,
}

impl Unfolder<'_> {
    /// Creates the instance of `id` under `parent`; returns it and, when it is to be expanded, its element.
    fn instance(&mut self, id: ElementId, parent: Option<usize>, depth: usize, side: bool) -> (usize, Option<usize>) {
        let el = self.index.get(&id).copied();
        let (mut symbol, mut hidden, mut repeat, mut expand) = (Symbol::Missing, 0, false, None);
        if let Some(e) = el {
            self.drawn[e] = true;
            symbol = match &self.tree.elements[e].kind {
                ElementKind::Gate { gate, args } => {
                    if self.options.collapsed.contains(&id) {
                        hidden = args.len();
                    } else if self.on_path[e] || self.expanded[e] {
                        hidden = args.len();
                        repeat = true;
                    } else {
                        expand = Some(e);
                    }
                    gate_symbol(*gate, args.len())
                }
                ElementKind::BasicEvent { .. } => Symbol::Basic,
                ElementKind::UndevelopedEvent { .. } => Symbol::Undeveloped,
                ElementKind::HouseEvent { state } => Symbol::House { state: *state },
                ElementKind::Transfer { .. } => Symbol::Transfer,
            };
        }
        let node = PlacedNode {
            element: id,
            parent,
            x: 0.0,
            y: 0.0,
            depth,
            symbol,
            shared: el.and_then(|e| self.marker[e]),
            hidden_children: hidden,
            repeat,
            side,
        };
        let i = self.insts.len();
        self.insts.push(Inst { node, children: Vec::new(), side_child: None });
        if let Some(e) = expand {
            self.on_path[e] = true;
            self.expanded[e] = true;
        }
        (i, expand)
    }

    /// Unfolds the subtree of `root` (a new root instance), depth first with an explicit stack.
    fn walk_from(&mut self, root: ElementId) {
        let tree = self.tree;
        let (r, e) = self.instance(root, None, 0, false);
        let Some(e) = e else { return };
        // (instance, element, next argument)
        let mut stack = vec![(r, e, 0usize)];
        while let Some(frame) = stack.last_mut() {
            let (inst, el, next) = *frame;
            let ElementKind::Gate { gate, args } = &tree.elements[el].kind else {
                stack.pop();
                continue;
            };
            if next >= args.len() {
                self.on_path[el] = false;
                stack.pop();
                continue;
            }
            frame.2 += 1;
            let arg = args[next];
            let depth = self.insts[inst].node.depth;
            let side = *gate == GateKind::Inhibit
                && args.len() == 2
                && next == 1
                && !matches!(self.index.get(&arg).map(|&j| &tree.elements[j].kind), Some(ElementKind::Gate { .. }));
            let (child, expand) = self.instance(arg, Some(inst), if side { depth } else { depth + 1 }, side);
            if side {
                self.insts[inst].side_child = Some(child);
            } else {
                self.insts[inst].children.push(child);
            }
            if let Some(ce) = expand {
                stack.push((child, ce, 0));
            }
        }
    }
}

fn gate_symbol(gate: GateKind, n: usize) -> Symbol {
    match gate {
        GateKind::And => Symbol::And,
        GateKind::Or => Symbol::Or,
        GateKind::AtLeast { k } => Symbol::Vote { k, n },
        GateKind::Not => Symbol::Not,
        GateKind::Xor => Symbol::Xor,
        GateKind::Nand => Symbol::Nand,
        GateKind::Nor => Symbol::Nor,
        GateKind::Inhibit => Symbol::Inhibit,
    }
}

/// Buchheim–Jünger–Leipert's linear-time Walker layout over the unfolded instances, with a virtual root over
/// the real roots. Returns each instance's `x` (centre); the caller normalises and sets `y`.
fn place(insts: &[Inst], options: &LayoutOptions) -> Vec<f64> {
    let n = insts.len();
    if n == 0 {
        return Vec::new();
    }
    let w = options.node_width.max(0.0);
    let gap = options.sibling_gap.max(0.0);
    let root = n; // the virtual root
    let none = usize::MAX;
    let mut children: Vec<&[usize]> = insts.iter().map(|i| i.children.as_slice()).collect();
    let roots: Vec<usize> = (0..n).filter(|&i| insts[i].node.parent.is_none()).collect();
    children.push(&roots);
    let mut parent = vec![none; n + 1];
    let mut number = vec![0usize; n + 1];
    for (v, kids) in children.iter().enumerate() {
        for (k, &c) in kids.iter().enumerate() {
            parent[c] = v;
            number[c] = k;
        }
    }
    // The right extent of a node: half a node, plus its side condition when it has one.
    let right: Vec<f64> = insts.iter().map(|i| if i.side_child.is_some() { w / 2.0 + gap + w } else { w / 2.0 }).chain([w / 2.0]).collect();
    let mut t = Walker {
        children: &children,
        parent: &parent,
        number: &number,
        right: &right,
        half: w / 2.0,
        gap,
        prelim: vec![0.0; n + 1],
        modifier: vec![0.0; n + 1],
        shift: vec![0.0; n + 1],
        change: vec![0.0; n + 1],
        thread: vec![none; n + 1],
        ancestor: (0..=n).collect(),
    };
    let mut mid = vec![0.0; n + 1];
    // Pre-order puts every parent before its children, so descending order is a post-order.
    for v in (0..n).rev().chain([root]) {
        let kids = children[v];
        let (Some(&first), Some(&last)) = (kids.first(), kids.last()) else { continue };
        let mut default_ancestor = first;
        for (k, &c) in kids.iter().enumerate() {
            if k == 0 {
                t.prelim[c] = mid[c];
            } else {
                let l = kids[k - 1];
                t.prelim[c] = t.prelim[l] + t.distance(l, c);
                if !children[c].is_empty() {
                    t.modifier[c] = t.prelim[c] - mid[c];
                }
            }
            default_ancestor = t.apportion(c, default_ancestor);
        }
        t.execute_shifts(v);
        mid[v] = (t.prelim[first] + t.prelim[last]) / 2.0;
    }
    // Second walk: absolute positions, parents before children.
    let mut acc = vec![0.0; n + 1];
    let mut x = vec![0.0; n];
    for v in 0..n {
        let p = parent[v];
        if p == none {
            continue; // a side condition, placed with its gate below
        }
        x[v] = t.prelim[v] + acc[p];
        acc[v] = acc[p] + t.modifier[v];
    }
    for (v, inst) in insts.iter().enumerate() {
        if let Some(s) = inst.side_child {
            x[s] = x[v] + w + gap;
        }
    }
    x
}

struct Walker<'a> {
    children: &'a [&'a [usize]],
    parent: &'a [usize],
    number: &'a [usize],
    right: &'a [f64],
    half: f64,
    gap: f64,
    prelim: Vec<f64>,
    modifier: Vec<f64>,
    shift: Vec<f64>,
    change: Vec<f64>,
    thread: Vec<usize>,
    ancestor: Vec<usize>,
}

impl Walker<'_> {
    /// The least distance between the centres of `l` and `r`, `l` left of `r` at the same depth.
    fn distance(&self, l: usize, _r: usize) -> f64 {
        self.right[l] + self.gap + self.half
    }

    fn next_left(&self, v: usize) -> Option<usize> {
        self.children[v].first().copied().or((self.thread[v] != usize::MAX).then_some(self.thread[v]))
    }

    fn next_right(&self, v: usize) -> Option<usize> {
        self.children[v].last().copied().or((self.thread[v] != usize::MAX).then_some(self.thread[v]))
    }

    /// Pushes the subtree of `v` right of its left siblings' subtrees, level by level along the contours.
    fn apportion(&mut self, v: usize, default_ancestor: usize) -> usize {
        let p = self.parent[v];
        if self.number[v] == 0 {
            return default_ancestor;
        }
        let siblings = self.children[p];
        let mut default_ancestor = default_ancestor;
        let (mut vir, mut vor) = (v, v);
        let (mut vil, mut vol) = (siblings[self.number[v] - 1], siblings[0]);
        let (mut sir, mut sor, mut sil, mut sol) = (self.modifier[vir], self.modifier[vor], self.modifier[vil], self.modifier[vol]);
        while let (Some(il), Some(ir), Some(ol), Some(or)) = (self.next_right(vil), self.next_left(vir), self.next_left(vol), self.next_right(vor)) {
            (vil, vir, vol, vor) = (il, ir, ol, or);
            self.ancestor[vor] = v;
            let shift = (self.prelim[vil] + sil) - (self.prelim[vir] + sir) + self.distance(vil, vir);
            if shift > 0.0 {
                let a = if self.parent[self.ancestor[vil]] == p { self.ancestor[vil] } else { default_ancestor };
                self.move_subtree(a, v, shift);
                sir += shift;
                sor += shift;
            }
            sil += self.modifier[vil];
            sir += self.modifier[vir];
            sol += self.modifier[vol];
            sor += self.modifier[vor];
        }
        if let (Some(t), None) = (self.next_right(vil), self.next_right(vor)) {
            self.thread[vor] = t;
            self.modifier[vor] += sil - sor;
        }
        if let (Some(t), None) = (self.next_left(vir), self.next_left(vol)) {
            self.thread[vol] = t;
            self.modifier[vol] += sir - sol;
            default_ancestor = v;
        }
        default_ancestor
    }

    fn move_subtree(&mut self, wl: usize, wr: usize, shift: f64) {
        let subtrees = self.number[wr].saturating_sub(self.number[wl]).max(1) as f64;
        self.change[wr] -= shift / subtrees;
        self.shift[wr] += shift;
        self.change[wl] += shift / subtrees;
        self.prelim[wr] += shift;
        self.modifier[wr] += shift;
    }

    fn execute_shifts(&mut self, v: usize) {
        let (mut shift, mut change) = (0.0, 0.0);
        for &w in self.children[v].iter().rev() {
            self.prelim[w] += shift;
            self.modifier[w] += shift;
            change += self.change[w];
            shift += self.shift[w] + change;
        }
    }
}

/// How many straight segments approximate a curve in the outlines.
const SEGMENTS: usize = 16;

fn cubic(out: &mut Vec<(f64, f64)>, p: [(f64, f64); 4]) {
    for s in 1..=SEGMENTS {
        let t = s as f64 / SEGMENTS as f64;
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        out.push((a * p[0].0 + b * p[1].0 + c * p[2].0 + d * p[3].0, a * p[0].1 + b * p[1].1 + c * p[2].1 + d * p[3].1));
    }
}

fn quad(out: &mut Vec<(f64, f64)>, p: [(f64, f64); 3]) {
    for s in 1..=SEGMENTS {
        let t = s as f64 / SEGMENTS as f64;
        let u = 1.0 - t;
        out.push((u * u * p[0].0 + 2.0 * u * t * p[1].0 + t * t * p[2].0, u * u * p[0].1 + 2.0 * u * t * p[1].1 + t * t * p[2].1));
    }
}

/// An ellipse centred at `(cx, cy)`, closed, with `4 * SEGMENTS` sides.
fn ellipse(cx: f64, cy: f64, rx: f64, ry: f64) -> Vec<(f64, f64)> {
    let k = 4 * SEGMENTS;
    (0..=k)
        .map(|i| {
            let a = std::f64::consts::TAU * (i % k) as f64 / k as f64;
            (cx + rx * a.cos(), cy + ry * a.sin())
        })
        .collect()
}

fn close(mut ring: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    ring
}

/// The OR shield in the box `x0..x0+w`, `y0..y0+h`: pointed top, sides bulging out, base curving up.
fn or_shape(x0: f64, y0: f64, w: f64, h: f64) -> Vec<(f64, f64)> {
    let mut out = vec![(x0, y0 + h)];
    cubic(&mut out, [(x0, y0 + h), (x0, y0 + h * 0.45), (x0 + w * 0.2, y0 + h * 0.12), (x0 + w / 2.0, y0)]);
    cubic(&mut out, [(x0 + w / 2.0, y0), (x0 + w * 0.8, y0 + h * 0.12), (x0 + w, y0 + h * 0.45), (x0 + w, y0 + h)]);
    quad(&mut out, [(x0 + w, y0 + h), (x0 + w / 2.0, y0 + h * 0.6), (x0, y0 + h)]);
    out
}

/// The AND dome in the box: flat base, straight sides up to half height, a half-ellipse on top.
fn and_shape(x0: f64, y0: f64, w: f64, h: f64) -> Vec<(f64, f64)> {
    let mut out = vec![(x0, y0 + h), (x0, y0 + h / 2.0)];
    let k = 2 * SEGMENTS;
    for i in 1..k {
        let a = std::f64::consts::PI * (1.0 + i as f64 / k as f64);
        out.push((x0 + w / 2.0 + w / 2.0 * a.cos(), y0 + h / 2.0 + h / 2.0 * a.sin()));
    }
    out.extend([(x0 + w, y0 + h / 2.0), (x0 + w, y0 + h)]);
    close(out)
}

/// The outline of `symbol` in a `width` × `height` box with its origin at the top left.
///
/// # Returns
/// Polylines with curves already sampled. The first is the outer outline, always closed (its last point equals
/// its first). Any further ones are details: a closed ring for an inverting bubble (NAND, NOR, NOT) or the
/// cross of a missing element's box, an open line for the inner arc of XOR. The shapes: AND a flat-bottomed
/// dome; OR and VOTE a shield with a curved base (the caller writes `k/n` inside a vote); XOR the OR shape with
/// an inner arc along its base; NAND and NOR the AND and OR shapes under a bubble; NOT a triangle pointing up
/// under a bubble; INHIBIT a hexagon pointed at top and bottom; basic event a circle; undeveloped event a
/// diamond; house event a house pentagon; transfer a triangle; missing a box with a cross.
/// Non-finite or negative sizes count as 0.
///
/// # Complexity
/// O(1): at most a few dozen points per curve.
pub fn symbol_outline(symbol: &Symbol, width: f64, height: f64) -> Vec<Vec<(f64, f64)>> {
    let w = if width.is_finite() { width.max(0.0) } else { 0.0 };
    let h = if height.is_finite() { height.max(0.0) } else { 0.0 };
    let r = w.min(h) * 0.1;
    let bubble = || ellipse(w / 2.0, r, r, r);
    match symbol {
        Symbol::And => vec![and_shape(0.0, 0.0, w, h)],
        Symbol::Or | Symbol::Vote { .. } => vec![or_shape(0.0, 0.0, w, h)],
        Symbol::Xor => {
            let mut arc = vec![(w * 0.12, h * 0.76)];
            quad(&mut arc, [(w * 0.12, h * 0.76), (w / 2.0, h * 0.46), (w * 0.88, h * 0.76)]);
            vec![or_shape(0.0, 0.0, w, h), arc]
        }
        Symbol::Nand => vec![and_shape(0.0, 2.0 * r, w, h - 2.0 * r), bubble()],
        Symbol::Nor => vec![or_shape(0.0, 2.0 * r, w, h - 2.0 * r), bubble()],
        Symbol::Not => vec![close(vec![(w / 2.0, 2.0 * r), (w, h), (0.0, h)]), bubble()],
        Symbol::Inhibit => vec![close(vec![(w / 2.0, 0.0), (w, h / 4.0), (w, h * 0.75), (w / 2.0, h), (0.0, h * 0.75), (0.0, h / 4.0)])],
        Symbol::Basic => vec![ellipse(w / 2.0, h / 2.0, w.min(h) / 2.0, w.min(h) / 2.0)],
        Symbol::Undeveloped => vec![close(vec![(w / 2.0, 0.0), (w, h / 2.0), (w / 2.0, h), (0.0, h / 2.0)])],
        Symbol::House { .. } => vec![close(vec![(w / 2.0, 0.0), (w, h * 0.4), (w, h), (0.0, h), (0.0, h * 0.4)])],
        Symbol::Transfer => vec![close(vec![(w / 2.0, 0.0), (w, h), (0.0, h)])],
        Symbol::Missing => vec![
            close(vec![(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]),
            vec![(0.0, 0.0), (w, h), (w / 2.0, h / 2.0), (w, 0.0), (0.0, h), (w / 2.0, h / 2.0), (0.0, 0.0)],
        ],
    }
}

/// The ellipse an inhibit gate's conditioning event is drawn as ([`PlacedNode::side`]), in a `width` ×
/// `height` box with its origin at the top left: one closed polyline. O(1).
pub fn condition_outline(width: f64, height: f64) -> Vec<Vec<(f64, f64)>> {
    let w = if width.is_finite() { width.max(0.0) } else { 0.0 };
    let h = if height.is_finite() { height.max(0.0) } else { 0.0 };
    vec![ellipse(w / 2.0, h / 2.0, w / 2.0, h * 0.35)]
}

/// An SVG path `d` attribute for `outline` moved by `(dx, dy)`.
///
/// Each polyline becomes `M x y L x y ...`, ending with `Z` when it is closed (last point equal to the first);
/// numbers have two decimals. Empty polylines are skipped. O(points).
pub fn path_data(outline: &[Vec<(f64, f64)>], dx: f64, dy: f64) -> String {
    let mut d = String::new();
    for line in outline {
        let closed = line.len() > 2 && line.first() == line.last();
        let points = if closed { &line[..line.len() - 1] } else { &line[..] };
        for (i, &(x, y)) in points.iter().enumerate() {
            if !d.is_empty() {
                d.push(' ');
            }
            let _ = write!(d, "{}{:.2} {:.2}", if i == 0 { "M" } else { "L" }, x + dx, y + dy);
        }
        if closed {
            d.push_str(" Z");
        }
    }
    d
}

#[cfg(test)]
mod tests;
