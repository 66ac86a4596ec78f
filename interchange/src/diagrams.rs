//! Fishbone and Swiss-cheese pictures, to SVG and PNG, drawn with plotters and the embedded DejaVu Sans font
//! (`interchange/fonts/DejaVuSans.ttf`, so no system fonts are needed).
//!
//! - [`fishbone_svg`] / [`fishbone_png`]: the effect at the head, one bone per category (alternating above
//!   and below the spine), causes along the bones with their sub-causes indented under them; a cause with a
//!   5 Whys chain is marked `[5 Whys]`, one linked to a basic event or failure mode `[linked]`.
//! - [`swiss_cheese_svg`] / [`swiss_cheese_png`]: one slab per defence layer, one row per minimal cut set
//!   (the most probable first); a slab is solid where the layer intercepts the cut set and has a hole where it
//!   does not. Aligned holes are drawn in red, single-layer rows in orange; the residual probability is at the
//!   right.

use faultline_models::rca::fishbone::Fishbone;
use faultline_models::rca::layers::{LayerAnalysis, LayerKind};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Registers the embedded font as "sans-serif" (once per process).
fn ensure_font() {
    REGISTER.call_once(|| {
        // The font is checked in and valid; if registration failed, text would be missing, not a crash.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// Why a picture could not be drawn or encoded.
#[derive(Debug, thiserror::Error)]
pub enum DiagramError {
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

fn draw_err<E: std::fmt::Debug>(e: E) -> DiagramError {
    DiagramError::Draw(format!("{e:?}"))
}

pub(crate) type Res = Result<(), DiagramError>;

fn font(size: u32, color: RGBColor) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&color)
}

/// Shortens `s` with an ellipsis until it fits in `max` pixels.
fn fit<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle, max: u32) -> String {
    let width = |t: &str| area.estimate_text_size(t, style).map(|(w, _)| w).unwrap_or(0);
    if width(s) <= max {
        return s.to_string();
    }
    let mut chars: Vec<char> = s.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let t: String = chars.iter().collect::<String>() + "…";
        if width(&t) <= max {
            return t;
        }
    }
    String::new()
}

/// Word-wraps `s` into lines of at most `max` pixels.
fn wrap<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle, max: u32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && area.estimate_text_size(&candidate, style).map(|(w, _)| w).unwrap_or(0) > max {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(area, &l, style, max)).collect()
}

/// The picture size of a fishbone: wider with more categories, taller with more causes per category.
fn fishbone_size(fb: &Fishbone) -> (u32, u32) {
    let cats = fb.categories.names();
    let per_side = cats.len().div_ceil(2).max(1) as u32;
    let most = cats
        .iter()
        .map(|c| fb.walk().iter().filter(|(_, x)| fb.category_of(x.id).as_deref() == Some(c.as_str())).count())
        .max()
        .unwrap_or(0) as u32;
    let w = 320 + per_side * 380;
    let h = (2 * (most.max(3) * 26 + 110)).max(560);
    (w, h)
}

fn draw_fishbone<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, fb: &Fishbone) -> Res {
    area.fill(&WHITE).map_err(draw_err)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let mid = h / 2;
    let head_w = 250;
    let head_x = w - head_w - 20;
    let spine = ShapeStyle::from(&BLACK).stroke_width(4);
    area.draw(&PathElement::new(vec![(40, mid), (head_x, mid)], spine)).map_err(draw_err)?;
    // Tail.
    area.draw(&Polygon::new(vec![(40, mid), (15, mid - 30), (15, mid + 30)], ShapeStyle::from(&RGBColor(90, 90, 90)).filled()))
        .map_err(draw_err)?;
    // Head: the effect.
    let head_style = font(17, BLACK);
    let lines = wrap(area, &fb.effect, &head_style, (head_w - 24) as u32);
    let head_h = (lines.len() as i32 * 22 + 24).max(70);
    area.draw(&Rectangle::new([(head_x, mid - head_h / 2), (w - 20, mid + head_h / 2)], ShapeStyle::from(&RGBColor(255, 236, 204)).filled()))
        .map_err(draw_err)?;
    area.draw(&Rectangle::new([(head_x, mid - head_h / 2), (w - 20, mid + head_h / 2)], ShapeStyle::from(&RGBColor(200, 110, 0)).stroke_width(2)))
        .map_err(draw_err)?;
    let top = mid - (lines.len() as i32 * 22) / 2 + 11;
    for (i, l) in lines.iter().enumerate() {
        area.draw(&Text::new(l.clone(), (head_x + head_w / 2, top + i as i32 * 22), head_style.pos(Pos::new(HPos::Center, VPos::Center))))
            .map_err(draw_err)?;
    }
    let cats = fb.categories.names();
    let per_side = cats.len().div_ceil(2).max(1) as i32;
    let slot = (head_x - 60) / per_side;
    let bone_top = 70;
    let bone_dx = 120;
    let walk = fb.walk();
    for (i, cat) in cats.iter().enumerate() {
        let above = i % 2 == 0;
        let k = (i / 2) as i32;
        // The bone meets the spine at x_join and starts bone_dx to the left at the outer edge.
        let x_join = 60 + slot * (k + 1) - 20;
        let y_out = if above { bone_top } else { h - bone_top };
        let x_out = x_join - bone_dx;
        area.draw(&PathElement::new(vec![(x_out, y_out), (x_join, mid)], ShapeStyle::from(&RGBColor(60, 60, 60)).stroke_width(3)))
            .map_err(draw_err)?;
        let label_style = font(16, WHITE);
        let label = fit(area, cat, &label_style, (slot - 40) as u32);
        let lw = area.estimate_text_size(&label, &label_style).map(|(w, _)| w as i32).unwrap_or(80);
        let ly = if above { y_out - 22 } else { y_out + 22 };
        area.draw(&Rectangle::new([(x_out - lw / 2 - 10, ly - 14), (x_out + lw / 2 + 10, ly + 14)], ShapeStyle::from(&RGBColor(40, 80, 140)).filled()))
            .map_err(draw_err)?;
        area.draw(&Text::new(label, (x_out, ly), label_style.pos(Pos::new(HPos::Center, VPos::Center)))).map_err(draw_err)?;
        let entries: Vec<_> = walk.iter().filter(|(_, c)| fb.category_of(c.id).as_deref() == Some(cat.as_str())).collect();
        let n = entries.len() as i32;
        for (j, (depth, cause)) in entries.iter().enumerate() {
            // Evenly along the bone, from the outer end towards the spine.
            let t = (j as f64 + 1.0) / (n as f64 + 1.0);
            let y = (y_out as f64 + (mid - y_out) as f64 * t) as i32;
            let xb = (x_out as f64 + (x_join - x_out) as f64 * t) as i32;
            let depth = *depth as i32;
            let style = if depth == 0 { font(14, BLACK) } else { font(13, RGBColor(70, 70, 70)) };
            let right = xb - 16 - depth * 18;
            let max_w = (slot - 60 - depth * 18).max(40) as u32;
            let prefix = if depth == 0 { "" } else { "› " };
            let text = fit(area, &format!("{prefix}{}", cause.text), &style, max_w);
            let tw = area.estimate_text_size(&text, &style).map(|(w, _)| w as i32).unwrap_or(0);
            area.draw(&PathElement::new(vec![(right - tw, y + 3), (xb, y + 3)], ShapeStyle::from(&RGBColor(150, 150, 150)).stroke_width(1)))
                .map_err(draw_err)?;
            area.draw(&Text::new(text, (right, y - 1), style.pos(Pos::new(HPos::Right, VPos::Bottom)))).map_err(draw_err)?;
            if !cause.whys.is_empty() || !cause.links.is_empty() {
                let mark = format!("{}{}", if cause.whys.is_empty() { "" } else { "[5 Whys]" }, if cause.links.is_empty() { "" } else { " [linked]" });
                area.draw(&Text::new(mark.trim().to_string(), (right - tw - 6, y - 1), font(10, RGBColor(40, 80, 140)).pos(Pos::new(HPos::Right, VPos::Bottom))))
                    .map_err(draw_err)?;
            }
        }
    }
    Ok(())
}

fn kind_color(k: LayerKind) -> RGBColor {
    match k {
        LayerKind::Prevention => RGBColor(240, 200, 70),
        LayerKind::Detection => RGBColor(110, 170, 230),
        LayerKind::Mitigation => RGBColor(140, 200, 120),
        LayerKind::Recovery => RGBColor(200, 150, 210),
    }
}

/// The most cut-set rows a Swiss-cheese picture shows (the most probable; a note counts the rest).
pub const MAX_ROWS: usize = 16;

fn swiss_size(la: &LayerAnalysis) -> (u32, u32) {
    let rows = la.cut_sets.len().clamp(1, MAX_ROWS) as u32;
    let cols = la.layers.len().max(1) as u32;
    (300 + cols * 130 + 230, 150 + rows * 40 + 70)
}

fn draw_swiss<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, la: &LayerAnalysis) -> Res {
    area.fill(&WHITE).map_err(draw_err)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    area.draw(&Text::new(format!("Defence layers: {}", la.top), (20, 14), font(20, BLACK))).map_err(draw_err)?;
    let summary = format!(
        "rare-event {:.3e} → residual {:.3e}   ·   aligned holes: {}   ·   single layer: {}",
        la.rare_event, la.residual_rare_event, la.aligned_holes, la.single_layer
    );
    area.draw(&Text::new(summary, (20, 42), font(13, RGBColor(60, 60, 60)))).map_err(draw_err)?;
    let left = 300;
    let col = 130;
    let slab = 40;
    let row_h = 40;
    let y0 = 150;
    let mut rows: Vec<_> = la.cut_sets.iter().collect();
    rows.sort_by(|a, b| b.probability.total_cmp(&a.probability).then(a.events.cmp(&b.events)));
    let shown = rows.len().min(MAX_ROWS);
    let y_end = y0 + shown.max(1) as i32 * row_h;
    let x_end = left + la.layers.len() as i32 * col;
    // Layers: header and slab.
    for (i, l) in la.layers.iter().enumerate() {
        let cx = left + i as i32 * col + col / 2;
        let head = font(13, BLACK);
        for (k, line) in wrap(area, &l.name, &head, (col - 10) as u32).iter().take(2).enumerate() {
            area.draw(&Text::new(line.clone(), (cx, 78 + k as i32 * 16), head.pos(Pos::new(HPos::Center, VPos::Center)))).map_err(draw_err)?;
        }
        let sub = format!("{} · {:.0}%", l.kind.name(), l.effectiveness * 100.0);
        area.draw(&Text::new(sub, (cx, 118), font(11, RGBColor(80, 80, 80)).pos(Pos::new(HPos::Center, VPos::Center)))).map_err(draw_err)?;
        area.draw(&Rectangle::new([(cx - slab / 2, y0 - 14), (cx + slab / 2, y_end + 6)], ShapeStyle::from(&kind_color(l.kind)).filled()))
            .map_err(draw_err)?;
        area.draw(&Rectangle::new([(cx - slab / 2, y0 - 14), (cx + slab / 2, y_end + 6)], ShapeStyle::from(&RGBColor(120, 100, 40)).stroke_width(1)))
            .map_err(draw_err)?;
    }
    let _ = h;
    area.draw(&Text::new("Minimal cut set", (20, 118), font(13, RGBColor(80, 80, 80)).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
    area.draw(&Text::new("Residual", (x_end + 60, 118), font(13, RGBColor(80, 80, 80)).pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
    for (r, cs) in rows.iter().take(shown).enumerate() {
        let y = y0 + r as i32 * row_h + row_h / 2 - 8;
        let color = match cs.depth {
            0 => RGBColor(210, 30, 30),
            1 => RGBColor(230, 130, 0),
            _ => RGBColor(110, 110, 110),
        };
        let label_style = font(13, BLACK);
        let label = fit(area, &format!("{{{}}}", cs.events.join(", ")), &label_style, (left - 40) as u32);
        area.draw(&Text::new(label, (20, y), label_style.pos(Pos::new(HPos::Left, VPos::Center)))).map_err(draw_err)?;
        // Holes where a layer does not intercept this cut set.
        for (i, l) in la.layers.iter().enumerate() {
            if !cs.layers.contains(&l.layer) {
                let cx = left + i as i32 * col + col / 2;
                area.draw(&Circle::new((cx, y), 13, ShapeStyle::from(&WHITE).filled())).map_err(draw_err)?;
                area.draw(&Circle::new((cx, y), 13, ShapeStyle::from(&RGBColor(120, 100, 40)).stroke_width(1))).map_err(draw_err)?;
            }
        }
        // The hazard's path: through every hole; it stops (dashed beyond) at the first layer that intercepts.
        let stop = la.layers.iter().position(|l| cs.layers.contains(&l.layer));
        let x_stop = match stop {
            Some(i) => left + i as i32 * col + col / 2 - slab / 2,
            None => x_end + 30,
        };
        area.draw(&PathElement::new(vec![(left - 30, y), (x_stop, y)], ShapeStyle::from(&color).stroke_width(3))).map_err(draw_err)?;
        if stop.is_none() {
            area.draw(&Polygon::new(vec![(x_end + 42, y), (x_end + 28, y - 7), (x_end + 28, y + 7)], ShapeStyle::from(&color).filled()))
                .map_err(draw_err)?;
        }
        let tag = match cs.depth {
            0 => "aligned holes".to_string(),
            1 => "1 layer".to_string(),
            d => format!("{d} layers"),
        };
        area.draw(&Text::new(format!("{:.2e}  ·  {tag}", cs.residual), (x_end + 60, y), font(12, color).pos(Pos::new(HPos::Left, VPos::Center))))
            .map_err(draw_err)?;
    }
    if rows.len() > shown {
        area.draw(&Text::new(format!("… and {} less probable cut sets", rows.len() - shown), (20, y_end + 24), font(12, RGBColor(80, 80, 80))))
            .map_err(draw_err)?;
    }
    if rows.is_empty() {
        area.draw(&Text::new("No minimal cut sets.", (20, y0 + 12), font(13, BLACK))).map_err(draw_err)?;
    }
    let _ = w;
    Ok(())
}

fn svg(size: (u32, u32), draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Res) -> Result<String, DiagramError> {
    ensure_font();
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&area)?;
        area.present().map_err(draw_err)?;
    }
    Ok(out)
}

pub(crate) fn png(size: (u32, u32), draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> Res) -> Result<Vec<u8>, DiagramError> {
    ensure_font();
    let mut rgb = vec![0u8; (size.0 * size.1 * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        draw(&area)?;
        area.present().map_err(draw_err)?;
    }
    let mut bytes = Vec::new();
    image::ImageEncoder::write_image(image::codecs::png::PngEncoder::new(&mut bytes), &rgb, size.0, size.1, image::ColorType::Rgb8)
        .map_err(|e| DiagramError::Png(e.to_string()))?;
    Ok(bytes)
}

/// The fishbone as an SVG document.
pub fn fishbone_svg(fb: &Fishbone) -> Result<String, DiagramError> {
    svg(fishbone_size(fb), |a| draw_fishbone(a, fb))
}

/// The fishbone as PNG bytes.
pub fn fishbone_png(fb: &Fishbone) -> Result<Vec<u8>, DiagramError> {
    png(fishbone_size(fb), |a| draw_fishbone(a, fb))
}

/// The Swiss-cheese picture of a layer analysis as an SVG document.
pub fn swiss_cheese_svg(la: &LayerAnalysis) -> Result<String, DiagramError> {
    svg(swiss_size(la), |a| draw_swiss(a, la))
}

/// The Swiss-cheese picture of a layer analysis as PNG bytes.
pub fn swiss_cheese_png(la: &LayerAnalysis) -> Result<Vec<u8>, DiagramError> {
    png(swiss_size(la), |a| draw_swiss(a, la))
}
