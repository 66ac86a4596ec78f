//! Fault-tree pictures, to SVG and PNG, from the shared layout ([`faultline_models::layout`]), so the CLI and
//! the exports draw what the editor draws.
//!
//! Every instance of the layout is drawn as a label box (the element's name and, smaller, its description or
//! label) over its IEC 61025 symbol, with the probability under events (`p = 1.00e-3`, using the tree's mission
//! time for failure rates). A shared element carries a numbered marker in the same colour at every use (the
//! number, not only the colour, tells them apart). A repeated gate has a dashed box and says how many arguments
//! it hides; a collapsed gate says so too. An inhibit gate's condition is an ellipse beside it. With a
//! highlighted cut set, its events and every path from them to the top are drawn thicker in one accent colour
//! and everything else is dimmed. Light palette on white.
//!
//! Both formats are drawn from one list of primitives: the SVG is written by hand (every node a `<g
//! class="node" data-element="NAME">` with a `<title>` tooltip), the PNG is rasterised by plotters with the
//! embedded DejaVu Sans font (no system fonts). A PNG larger than [`MAX_PNG_SIDE`] or [`MAX_PNG_PIXELS`] is
//! scaled down to fit; use SVG for very large trees.

use crate::diagrams::{self, DiagramError};
use faultline_models::fault_tree::{Element, ElementId, ElementKind, FaultTree, TreeId};
use faultline_models::layout::{self, condition_outline, edge_route, node_parts, symbol_outline, Layout, LayoutOptions, Symbol};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

/// What to draw.
#[derive(Clone, Debug, Default)]
pub struct PictureOptions {
    /// Node sizes, gaps and collapsed gates.
    pub layout: LayoutOptions,
    /// A cut set to highlight: these events and the paths from them to the top, in the accent colour.
    pub highlight: Option<Vec<ElementId>>,
    /// Names of the project's trees, for the text under a transfer ("→ name"); without one, "→ tree #id".
    pub tree_names: BTreeMap<TreeId, String>,
}

/// The margin around the layout, in pixels.
pub const MARGIN: f64 = 20.0;
/// The longest side a PNG may have; larger pictures are scaled down.
pub const MAX_PNG_SIDE: u32 = 16_000;
/// The most pixels a PNG may have; larger pictures are scaled down.
pub const MAX_PNG_PIXELS: f64 = 24e6;

/// The colour of a highlighted cut set's events and paths.
pub const ACCENT: Rgb = Rgb(0xDB, 0x27, 0x77);

/// An RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Blended 70 % towards white (dimmed, outside a highlighted cut set).
    fn dim(self) -> Rgb {
        let f = |c: u8| (c as f64 * 0.3 + 255.0 * 0.7).round() as u8;
        Rgb(f(self.0), f(self.1), f(self.2))
    }
}

const INK: Rgb = Rgb(0x1E, 0x29, 0x3B);
const MUTED: Rgb = Rgb(0x64, 0x74, 0x8B);
const LABEL_FILL: Rgb = Rgb(0xF8, 0xFA, 0xFC);
const LABEL_STROKE: Rgb = Rgb(0x94, 0xA3, 0xB8);
const WHITE_: Rgb = Rgb(255, 255, 255);
const ERROR: Rgb = Rgb(0xB9, 0x1C, 0x1C);

/// The shared-marker palette (Tableau 10); the marker's number repeats the information.
const MARKERS: [Rgb; 10] = [
    Rgb(31, 119, 180),
    Rgb(255, 127, 14),
    Rgb(44, 160, 44),
    Rgb(214, 39, 40),
    Rgb(148, 103, 189),
    Rgb(140, 86, 75),
    Rgb(227, 119, 194),
    Rgb(127, 127, 127),
    Rgb(188, 189, 34),
    Rgb(23, 190, 207),
];

/// The marker colour for a [`layout::PlacedNode::shared`] index (the palette repeats after ten).
pub fn marker_color(index: usize) -> Rgb {
    MARKERS[index % MARKERS.len()]
}

/// Fill and stroke of a symbol.
fn symbol_colors(s: &Symbol) -> (Rgb, Rgb) {
    match s {
        Symbol::Basic | Symbol::Undeveloped => (Rgb(0xFE, 0xF3, 0xC7), Rgb(0x92, 0x40, 0x0E)),
        Symbol::House { .. } => (Rgb(0xE0, 0xF2, 0xFE), Rgb(0x03, 0x69, 0xA1)),
        Symbol::Transfer => (Rgb(0xED, 0xE9, 0xFE), Rgb(0x5B, 0x21, 0xB6)),
        Symbol::Missing => (Rgb(0xFE, 0xE2, 0xE2), ERROR),
        _ => (Rgb(0xDB, 0xEA, 0xFE), Rgb(0x1E, 0x40, 0xAF)),
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Anchor {
    Start,
    Middle,
}

/// One drawing primitive, in picture coordinates.
#[derive(Clone, Debug, PartialEq)]
enum Prim {
    /// `<g>` with a class and `data-` attributes (SVG only).
    Open { class: String, data: Vec<(&'static str, String)> },
    Close,
    /// A tooltip for the enclosing group (SVG only).
    Title(String),
    Path { points: Vec<(f64, f64)>, closed: bool, fill: Option<Rgb>, stroke: Rgb, width: f64, dashed: bool },
    Text { x: f64, y: f64, text: String, size: f64, color: Rgb, anchor: Anchor, bold: bool },
}

/// The size of the picture of `layout`, margins included: (width, height) in pixels. An empty layout gives
/// the size of the "empty tree" note. O(1).
pub fn picture_size(layout: &Layout) -> (f64, f64) {
    if layout.nodes.is_empty() {
        (420.0, 80.0)
    } else {
        (layout.width + 2.0 * MARGIN, layout.height + 2.0 * MARGIN)
    }
}

/// The size of the PNG of `layout` and the scale applied: [`picture_size`], scaled down (never up) so no side
/// exceeds [`MAX_PNG_SIDE`] and the area stays under [`MAX_PNG_PIXELS`]. O(1).
pub fn png_size(layout: &Layout) -> ((u32, u32), f64) {
    let (w, h) = picture_size(layout);
    let side = MAX_PNG_SIDE as f64;
    let scale = 1f64.min(side / w).min(side / h).min((MAX_PNG_PIXELS / (w * h)).sqrt());
    (((w * scale).ceil().max(1.0) as u32, (h * scale).ceil().max(1.0) as u32), scale)
}

/// Shortens `s` with an ellipsis to about `max` pixels at `size` (DejaVu Sans averages 0.6 em per character).
fn fit(s: &str, size: f64, max: f64) -> String {
    let room = (max / (size * 0.6)).floor().max(1.0) as usize;
    if s.chars().count() <= room {
        s.to_string()
    } else {
        s.chars().take(room.saturating_sub(1)).chain(['…']).collect()
    }
}

/// `p = 1.00e-3`, `λ = 1.00e-5/h`, the house state, or where a transfer goes.
fn caption(tree: &FaultTree, e: &Element, options: &PictureOptions) -> Option<String> {
    match &e.kind {
        ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => Some(match probability.value(tree.mission_time) {
            Some(p) => format!("p = {p:.2e}"),
            None => match probability {
                faultline_models::fault_tree::Probability::Exponential { rate, .. } => format!("λ = {rate:.2e}/h"),
                faultline_models::fault_tree::Probability::Fixed { p } => format!("p = {p:.2e}"),
            },
        }),
        ElementKind::HouseEvent { state } => Some(if *state { "true".into() } else { "false".into() }),
        ElementKind::Transfer { tree: to, .. } => Some(match options.tree_names.get(to) {
            Some(name) => format!("→ {name}"),
            None => format!("→ tree #{}", to.0),
        }),
        ElementKind::Gate { .. } => None,
    }
}

/// Which instances lie on a path from a highlighted element to a root (empty without a highlight). O(n).
fn highlighted(layout: &Layout, options: &PictureOptions) -> Vec<bool> {
    let Some(events) = &options.highlight else { return Vec::new() };
    let set: HashSet<ElementId> = events.iter().copied().collect();
    let mut on = vec![false; layout.nodes.len()];
    // Pre-order: children after parents, so one backward sweep carries the mark up to the root.
    for i in (0..layout.nodes.len()).rev() {
        on[i] |= set.contains(&layout.nodes[i].element);
        if on[i] {
            if let Some(p) = layout.nodes[i].parent.filter(|&p| p < i) {
                on[p] = true;
            }
        }
    }
    on
}

/// The primitives of the picture.
fn scene(tree: &FaultTree, layout: &Layout, options: &PictureOptions) -> Vec<Prim> {
    let mut out = Vec::new();
    if layout.nodes.is_empty() {
        let text = format!("Fault tree '{}' is empty: add a top gate to start drawing.", tree.name);
        out.push(Prim::Text { x: 20.0, y: 40.0, text: fit(&text, 13.0, 380.0), size: 13.0, color: MUTED, anchor: Anchor::Start, bold: false });
        return out;
    }
    let lo = &options.layout;
    let parts = node_parts(lo);
    let mut elements: HashMap<ElementId, &Element> = HashMap::with_capacity(tree.elements.len());
    for e in &tree.elements {
        elements.entry(e.id).or_insert(e);
    }
    let hl = highlighted(layout, options);
    let any = options.highlight.is_some();
    let tone = |c: Rgb, on: bool| if any && !on { c.dim() } else { c };
    let lit = |i: usize| hl.get(i).copied().unwrap_or(false);
    let (w, m) = (lo.node_width, MARGIN);

    // Dimmed edges first, so that the highlighted path is drawn over the stretches they share.
    let mut order: Vec<usize> = (0..layout.edges.len()).collect();
    order.sort_by_key(|&k| lit(layout.edges[k].1));
    for k in order {
        let (p, c) = layout.edges[k];
        let on = lit(c) && lit(p);
        let points: Vec<(f64, f64)> = edge_route(layout, lo, k).into_iter().map(|(x, y)| (x + m, y + m)).collect();
        out.push(Prim::Open { class: if on { "edge hl".into() } else { "edge".into() }, data: vec![("from", p.to_string()), ("to", c.to_string())] });
        out.push(Prim::Path { points, closed: false, fill: None, stroke: if on { ACCENT } else { tone(MUTED, false) }, width: if on { 3.0 } else { 1.5 }, dashed: false });
        out.push(Prim::Close);
    }

    for (i, n) in layout.nodes.iter().enumerate() {
        let on = lit(i);
        let (ax, ay) = (n.x + m, n.y + m);
        let el = elements.get(&n.element).copied();
        let name = el.map_or_else(|| format!("missing {}", n.element), |e| e.name.clone());
        let sub = el.map(|e| if e.description.is_empty() { e.label.clone() } else { e.description.clone() }).unwrap_or_default();
        out.push(Prim::Open {
            class: if on { "node hl".into() } else { "node".into() },
            data: vec![("element", name.clone()), ("instance", i.to_string())],
        });
        out.push(Prim::Title(if sub.is_empty() { name.clone() } else { format!("{name}: {sub}") }));
        let width = if on { 3.0 } else { 1.0 };
        // Label box.
        let (lx, ly, lh) = (ax + parts.label.x, ay + parts.label.y, parts.label.height);
        let label_stroke = if on { ACCENT } else if n.symbol == Symbol::Missing { tone(ERROR, false) } else { tone(LABEL_STROKE, false) };
        out.push(Prim::Path {
            points: vec![(lx, ly), (lx + w, ly), (lx + w, ly + lh), (lx, ly + lh), (lx, ly)],
            closed: true,
            fill: Some(tone(LABEL_FILL, on)),
            stroke: label_stroke,
            width,
            dashed: n.repeat,
        });
        let room = if n.shared.is_some() { w - 40.0 } else { w - 10.0 };
        let name_color = tone(if n.symbol == Symbol::Missing { ERROR } else { INK }, on);
        let (name_y, sub_y) = if sub.is_empty() { (ly + lh / 2.0, 0.0) } else { (ly + lh * 0.36, ly + lh * 0.74) };
        out.push(Prim::Text { x: ax, y: name_y, text: fit(&name, 12.0, room), size: 12.0, color: name_color, anchor: Anchor::Middle, bold: true });
        if !sub.is_empty() {
            out.push(Prim::Text { x: ax, y: sub_y, text: fit(&sub, 10.0, w - 10.0), size: 10.0, color: tone(MUTED, on), anchor: Anchor::Middle, bold: false });
        }
        if let Some(k) = n.shared {
            let (cx, cy, r) = (lx + w - 11.0, ly + 11.0, 8.0);
            let ring: Vec<(f64, f64)> = (0..=24).map(|s| {
                let a = std::f64::consts::TAU * (s % 24) as f64 / 24.0;
                (cx + r * a.cos(), cy + r * a.sin())
            }).collect();
            out.push(Prim::Path { points: ring, closed: true, fill: Some(tone(marker_color(k), on)), stroke: tone(marker_color(k), on), width: 1.0, dashed: false });
            out.push(Prim::Text { x: cx, y: cy, text: (k + 1).to_string(), size: 9.0, color: WHITE_, anchor: Anchor::Middle, bold: true });
        }
        // Stem and symbol.
        let (sx, sy) = (ax + parts.symbol.x, ay + parts.symbol.y);
        out.push(Prim::Path { points: vec![(ax, ly + lh), (ax, sy)], closed: false, fill: None, stroke: if on { ACCENT } else { tone(MUTED, on) }, width, dashed: false });
        let outline = if n.side { condition_outline(parts.symbol.width, parts.symbol.height) } else { symbol_outline(&n.symbol, parts.symbol.width, parts.symbol.height) };
        let (fill, stroke) = symbol_colors(&n.symbol);
        for (j, line) in outline.into_iter().enumerate() {
            let closed = line.len() > 2 && line.first() == line.last();
            let fill = match (closed, j) {
                (true, 0) => Some(tone(fill, on)),
                (true, _) if n.symbol != Symbol::Missing => Some(WHITE_),
                _ => None,
            };
            let points = line.into_iter().map(|(x, y)| (x + sx, y + sy)).collect();
            out.push(Prim::Path { points, closed, fill, stroke: if on { ACCENT } else { tone(stroke, on) }, width: if on { 3.0 } else { 1.5 }, dashed: n.repeat });
        }
        if let Symbol::Vote { k, n: args } = n.symbol {
            let y = sy + parts.symbol.height * 0.68;
            out.push(Prim::Text { x: ax, y, text: format!("{k}/{args}"), size: 11.0, color: tone(INK, on), anchor: Anchor::Middle, bold: true });
        }
        // Under the symbol: the probability, or what is not drawn.
        let under = if n.repeat {
            Some(format!("repeat, +{} hidden", n.hidden_children))
        } else if n.hidden_children > 0 {
            Some(format!("+{} hidden", n.hidden_children))
        } else {
            el.and_then(|e| caption(tree, e, options))
        };
        if let Some(text) = under {
            out.push(Prim::Text { x: ax, y: ay + parts.probability_y, text: fit(&text, 10.0, w), size: 10.0, color: tone(INK, on), anchor: Anchor::Middle, bold: false });
        }
        out.push(Prim::Close);
    }
    out
}

/// Escapes text for XML; control characters (not allowed in XML 1.0) become spaces.
fn escape(s: &str) -> String {
    let clean: String = s.chars().map(|c| if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

/// Renders `layout` (made from `tree` with `options.layout`) as an SVG document.
///
/// # Returns
/// UTF-8 SVG text of [`picture_size`], every instance a `<g class="node" data-element="NAME"
/// data-instance="I">` (class `node hl` when highlighted), every edge a `<g class="edge" data-from data-to>`.
///
/// # Complexity
/// O(instances + total text length).
pub fn render_svg(tree: &FaultTree, layout: &Layout, options: &PictureOptions) -> String {
    let (w, h) = picture_size(layout);
    let mut s = String::with_capacity(600 * layout.nodes.len() + 400);
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.2} {h:.2}\" \
         font-family=\"DejaVu Sans, Verdana, sans-serif\">\n<title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        escape(&tree.name)
    );
    for p in scene(tree, layout, options) {
        match p {
            Prim::Open { class, data } => {
                let _ = write!(s, "<g class=\"{class}\"");
                for (k, v) in data {
                    let _ = write!(s, " data-{k}=\"{}\"", escape(&v));
                }
                s.push_str(">\n");
            }
            Prim::Close => s.push_str("</g>\n"),
            Prim::Title(t) => {
                let _ = writeln!(s, "<title>{}</title>", escape(&t));
            }
            Prim::Path { points, closed, fill, stroke, width, dashed } => {
                let d = layout::path_data(&[points], 0.0, 0.0);
                let fill = fill.map_or_else(|| "none".to_string(), Rgb::hex);
                let _ = write!(s, "<path d=\"{d}\" fill=\"{fill}\" stroke=\"{}\" stroke-width=\"{width}\"", stroke.hex());
                if dashed {
                    s.push_str(" stroke-dasharray=\"5 3\"");
                }
                if !closed {
                    s.push_str(" stroke-linejoin=\"round\"");
                }
                s.push_str("/>\n");
            }
            Prim::Text { x, y, text, size, color, anchor, bold } => {
                let anchor = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                };
                let weight = if bold { " font-weight=\"bold\"" } else { "" };
                let _ = writeln!(
                    s,
                    "<text x=\"{x:.2}\" y=\"{y:.2}\" font-size=\"{size}\" fill=\"{}\" text-anchor=\"{anchor}\" dominant-baseline=\"central\"{weight}>{}</text>",
                    color.hex(),
                    escape(&text)
                );
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

/// The dash pattern of dashed lines, in picture units: drawn, then left out (the SVG's `stroke-dasharray`).
const DASH: (f64, f64) = (5.0, 3.0);

/// The drawn pieces of the polyline `points` (closed: back to the first point) under the dash pattern
/// `(on, off)`, the pattern running on across corners as SVG's does. Each piece is a polyline, corners
/// included. O(points + pieces).
fn dashes(points: &[(f64, f64)], closed: bool, (on, off): (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let Some(&start) = points.first() else { return out };
    let ends = points.iter().skip(1).copied().chain(closed.then_some(start));
    // Where we are in the pattern: drawing (`drawing`) with `left` units to go in this dash or gap.
    let (mut drawing, mut left) = (true, on);
    let mut current = vec![start];
    let mut from = start;
    for to in ends {
        let length = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
        let mut done = 0.0;
        while length - done > left {
            done += left;
            let t = done / length;
            let at = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            if drawing {
                current.push(at);
                out.push(std::mem::take(&mut current));
            } else {
                current = vec![at];
            }
            drawing = !drawing;
            left = if drawing { on } else { off };
        }
        left -= length - done;
        if drawing {
            current.push(to);
        }
        from = to;
    }
    if drawing && current.len() > 1 {
        out.push(current);
    }
    out
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, prims: &[Prim], scale: f64) -> Result<(), DiagramError> {
    let err = |e: plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>| DiagramError::Draw(format!("{e:?}"));
    area.fill(&WHITE).map_err(err)?;
    let at = |(x, y): (f64, f64)| ((x * scale).round() as i32, (y * scale).round() as i32);
    for p in prims {
        match p {
            Prim::Path { points, closed, fill, stroke, width, dashed } => {
                let pts: Vec<(i32, i32)> = points.iter().map(|&q| at(q)).collect();
                if let (Some(f), true) = (fill, closed) {
                    area.draw(&Polygon::new(pts.clone(), ShapeStyle::from(&rgb(*f)).filled())).map_err(err)?;
                }
                let style = ShapeStyle::from(&rgb(*stroke)).stroke_width((width * scale).round().max(1.0) as u32);
                if *dashed {
                    for dash in dashes(points, *closed, DASH) {
                        area.draw(&PathElement::new(dash.into_iter().map(at).collect::<Vec<_>>(), style)).map_err(err)?;
                    }
                } else {
                    area.draw(&PathElement::new(pts, style)).map_err(err)?;
                }
            }
            Prim::Text { x, y, text, size, color, anchor, .. } => {
                let px = size * scale;
                if px < 4.0 {
                    continue; // unreadable at this scale
                }
                let h = match anchor {
                    Anchor::Start => HPos::Left,
                    Anchor::Middle => HPos::Center,
                };
                let style = ("sans-serif", px).into_font().color(&rgb(*color)).pos(Pos::new(h, VPos::Center));
                area.draw(&Text::new(text.clone(), at((*x, *y)), style)).map_err(err)?;
            }
            Prim::Open { .. } | Prim::Close | Prim::Title(_) => {}
        }
    }
    Ok(())
}

/// Renders `layout` (made from `tree` with `options.layout`) as PNG bytes of [`png_size`].
///
/// The same picture as [`render_svg`] (dashed lines in the same pattern) except that text under 4 px (in a
/// scaled-down picture) is left out.
///
/// # Errors
/// [`DiagramError`] when drawing or encoding fails.
///
/// # Complexity
/// O(instances + pixels).
pub fn render_png(tree: &FaultTree, layout: &Layout, options: &PictureOptions) -> Result<Vec<u8>, DiagramError> {
    let (size, scale) = png_size(layout);
    let prims = scene(tree, layout, options);
    diagrams::png(size, |area| draw(area, &prims, scale))
}

/// Lays `tree` out with `options.layout` and renders it as SVG (see [`render_svg`]). O(E + A + text).
pub fn tree_svg(tree: &FaultTree, options: &PictureOptions) -> String {
    render_svg(tree, &layout::layout(tree, &options.layout), options)
}

/// Lays `tree` out with `options.layout` and renders it as PNG (see [`render_png`]).
///
/// # Errors
/// [`DiagramError`] when drawing or encoding fails.
pub fn tree_png(tree: &FaultTree, options: &PictureOptions) -> Result<Vec<u8>, DiagramError> {
    render_png(tree, &layout::layout(tree, &options.layout), options)
}

#[cfg(test)]
mod tests;
