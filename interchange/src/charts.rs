//! FMEA charts through plotters, as SVG or PNG, with an embedded font (DejaVu Sans, checked in under
//! `interchange/fonts/`), so rendering never depends on the fonts of the machine.
//!
//! - [`rpn_pareto`]: bars of RPN per failure mode, highest first, with the cumulative share of the total RPN.
//! - [`risk_matrix`]: the S×O heat map, counts of failure modes per cell.
//! - [`ap_distribution`]: how many failure modes are H, M and L, before and after the recommended actions.
//!
//! Each returns the file's bytes: UTF-8 SVG text or a PNG image.

use faultline_models::fmea::{self, Ap, Row};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};
use std::sync::Once;

/// The embedded font, registered with plotters as "sans-serif".
static FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

/// The image format of a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
}

impl ChartFormat {
    /// The format for a file name's extension (`.svg` or `.png`, any case), or `None`.
    pub fn from_path(path: &std::path::Path) -> Option<ChartFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "svg" => Some(ChartFormat::Svg),
            "png" => Some(ChartFormat::Png),
            _ => None,
        }
    }
}

/// The size of every chart, in pixels.
pub const SIZE: (u32, u32) = (1200, 800);

/// The most bars the Pareto draws (the cumulative line still counts every failure mode).
pub const PARETO_BARS: usize = 20;

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("could not draw the chart: {0}")]
    Draw(String),
    #[error("could not encode the PNG: {0}")]
    Png(String),
}

fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

fn ensure_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is checked in and known to parse; a failure here would be a broken build, caught by tests.
        let _ = register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

fn color(ap: Ap) -> RGBColor {
    match ap {
        Ap::High => RGBColor(0xC0, 0x39, 0x2B),
        Ap::Medium => RGBColor(0xE6, 0x9F, 0x00),
        Ap::Low => RGBColor(0x2E, 0x8B, 0x57),
    }
}

/// Renders the body on an SVG or PNG canvas of [`SIZE`] (white, font registered) and returns the file's bytes.
macro_rules! render_with {
    ($format:expr, |$root:ident| $body:block) => {{
        ensure_font();
        match $format {
            ChartFormat::Svg => {
                let mut svg = String::new();
                {
                    let $root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                    $root.fill(&WHITE).map_err(draw_err)?;
                    $body
                    $root.present().map_err(draw_err)?;
                }
                Ok(svg.into_bytes())
            }
            ChartFormat::Png => {
                let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
                {
                    let $root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
                    $root.fill(&WHITE).map_err(draw_err)?;
                    $body
                    $root.present().map_err(draw_err)?;
                }
                encode_png(&buf)
            }
        }
    }};
}

fn encode_png(rgb: &[u8]) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(rgb, SIZE.0, SIZE.1, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Png(e.to_string()))?;
    Ok(out)
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The RPN Pareto of `rows`: one bar per failure mode (the [`PARETO_BARS`] highest), highest RPN first, bars
/// coloured by AP, with the cumulative percentage of the total RPN on a right-hand axis. O(n log n).
pub fn rpn_pareto(rows: &[&Row], format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    let bars = fmea::pareto(rows.iter().copied());
    let aps: std::collections::HashMap<_, _> = rows.iter().map(|r| (r.id, r.ap())).collect();
    let shown = &bars[..bars.len().min(PARETO_BARS)];
    let n = shown.len().max(1);
    let max_rpn = shown.iter().map(|b| u32::from(b.rpn)).max().unwrap_or(0).max(10);
    let title = if bars.len() > shown.len() {
        format!("RPN Pareto (top {} of {} failure modes)", shown.len(), bars.len())
    } else {
        "RPN Pareto".to_string()
    };
    let label_len = (140 / n).clamp(6, 18);
    render_with!(format, |root| {
        let mut chart = ChartBuilder::on(&root)
            .caption(&title, (FAMILY, 30))
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(70)
            .right_y_label_area_size(70)
            // A discrete range of integers is inclusive in plotters: 0..n-1 gives n segments.
            .build_cartesian_2d((0..n - 1).into_segmented(), 0u32..(max_rpn + max_rpn * 3 / 10))
            .map_err(draw_err)?
            .set_secondary_coord(0f64..n as f64, 0f64..130f64);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    shown.get(*i).map_or(String::new(), |b| shorten(&b.failure_mode, label_len))
                }
                _ => String::new(),
            })
            .x_desc("Failure mode")
            .y_desc("RPN (S × O × D)")
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 18))
            .draw()
            .map_err(draw_err)?;
        chart
            .configure_secondary_axes()
            .y_labels(14)
            .y_label_formatter(&|v| if *v <= 100.0 { format!("{v:.0}%") } else { String::new() })
            .y_desc("Cumulative share of total RPN (%)")
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 18))
            .draw()
            .map_err(draw_err)?;
        chart
            .draw_series(shown.iter().enumerate().map(|(i, b)| {
                let c = color(aps.get(&b.row).copied().unwrap_or(Ap::Low));
                let mut r = Rectangle::new(
                    [(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), u32::from(b.rpn))],
                    c.filled(),
                );
                r.set_margin(0, 0, 6, 6);
                r
            }))
            .map_err(draw_err)?;
        let line: Vec<(f64, f64)> =
            shown.iter().enumerate().map(|(i, b)| (i as f64 + 0.5, b.cumulative_percent)).collect();
        chart
            .draw_secondary_series(LineSeries::new(line.clone(), BLACK.stroke_width(2)))
            .map_err(draw_err)?
            .label("Cumulative %")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
        chart.draw_secondary_series(line.iter().map(|&p| Circle::new(p, 4, BLACK.filled()))).map_err(draw_err)?;
        for ap in [Ap::High, Ap::Medium, Ap::Low] {
            chart
                .draw_series(std::iter::empty::<Rectangle<(SegmentValue<usize>, u32)>>())
                .map_err(draw_err)?
                .label(format!("AP {}", ap.word()))
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], color(ap).filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FAMILY, 16))
            .draw()
            .map_err(draw_err)?;
    })
}

/// The S×O risk matrix of `rows` as a heat map: severity 1..10 upwards, occurrence 1..10 rightwards, each cell
/// shaded by how many failure modes it holds (the count is written in it), and outlined in the colour of the
/// highest AP any detection gives that S and O. O(n).
pub fn risk_matrix(rows: &[&Row], format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    let m = fmea::risk_matrix(rows.iter().copied());
    let max = m.iter().flatten().copied().max().unwrap_or(0).max(1);
    render_with!(format, |root| {
        let mut chart = ChartBuilder::on(&root)
            .caption("S × O risk matrix (failure modes per cell; outline: highest AP over D)", (FAMILY, 30))
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(70)
            .build_cartesian_2d(1f64..11f64, 1f64..11f64)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(20)
            .y_labels(20)
            .x_label_offset(50)
            .y_label_offset(-30)
            .x_label_formatter(&|v| if v.fract() == 0.0 && *v <= 10.0 { format!("{v:.0}") } else { String::new() })
            .y_label_formatter(&|v| if v.fract() == 0.0 && *v <= 10.0 { format!("{v:.0}") } else { String::new() })
            .x_desc("Occurrence (O)")
            .y_desc("Severity (S)")
            .label_style((FAMILY, 16))
            .axis_desc_style((FAMILY, 18))
            .draw()
            .map_err(draw_err)?;
        let cells: Vec<(u32, u32, u32)> = (1..=10u32)
            .flat_map(|s| (1..=10u32).map(move |o| (s, o)))
            .map(|(s, o)| (s, o, m[s as usize - 1][o as usize - 1]))
            .collect();
        let at = |v: u32| f64::from(v);
        chart
            .draw_series(cells.iter().map(|&(s, o, count)| {
                let t = f64::from(count) / f64::from(max);
                let shade = if count == 0 {
                    RGBColor(0xF4, 0xF4, 0xF4)
                } else {
                    let k = |lo: f64, hi: f64| (lo + (hi - lo) * t) as u8;
                    RGBColor(k(255.0, 0xB0 as f64), k(224.0, 0x1C as f64), k(178.0, 0x2E as f64))
                };
                Rectangle::new([(at(o), at(s)), (at(o + 1), at(s + 1))], shade.filled())
            }))
            .map_err(draw_err)?;
        chart
            .draw_series(cells.iter().map(|&(s, o, _)| {
                let worst = worst_ap(s, o);
                let mut r = Rectangle::new([(at(o), at(s)), (at(o + 1), at(s + 1))], color(worst).stroke_width(2));
                r.set_margin(2, 2, 2, 2);
                r
            }))
            .map_err(draw_err)?;
        chart
            .draw_series(cells.iter().filter(|c| c.2 > 0).map(|&(s, o, count)| {
                let ink: &'static RGBColor = if f64::from(count) / f64::from(max) > 0.5 { &WHITE } else { &BLACK };
                let style =
                    TextStyle::from((FAMILY, 24).into_font()).color(ink).pos(Pos::new(HPos::Center, VPos::Center));
                Text::new(count.to_string(), (at(o) + 0.5, at(s) + 0.5), style)
            }))
            .map_err(draw_err)?;
    })
}

/// The highest AP over every detection rating, for one severity and occurrence.
fn worst_ap(s: u32, o: u32) -> Ap {
    let r = |v: u32| fmea::Rating::try_from(v).expect("1..=10");
    fmea::Rating::all().map(|d| fmea::action_priority(r(s), r(o), d)).min().unwrap_or(Ap::Low)
}

/// The AP distribution: bars of how many failure modes are H, M and L before the recommended actions and after
/// them (revised ratings; rows without any count as before). O(n).
pub fn ap_distribution(rows: &[&Row], format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    let (before, after) = fmea::ap_counts(rows.iter().copied());
    let max = [before.high, before.medium, before.low, after.high, after.medium, after.low]
        .into_iter()
        .max()
        .unwrap_or(0)
        .max(1);
    render_with!(format, |root| {
        let mut chart = ChartBuilder::on(&root)
            .caption("Action Priority before and after actions", (FAMILY, 30))
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(70)
            .build_cartesian_2d((0usize..2).into_segmented(), 0u32..(max + max / 5 + 1))
            .map_err(draw_err)?;
        let aps = [Ap::High, Ap::Medium, Ap::Low];
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(3)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    aps.get(*i).map_or(String::new(), |a| format!("{} ({})", a.word(), a.letter()))
                }
                _ => String::new(),
            })
            .x_desc("Action Priority (AP)")
            .y_desc("Failure modes")
            .label_style((FAMILY, 16))
            .axis_desc_style((FAMILY, 18))
            .draw()
            .map_err(draw_err)?;
        let ymax = max + max / 5 + 1;
        let mut chart = chart.set_secondary_coord(0f64..3f64, 0f64..f64::from(ymax));
        for (k, (counts, name, light)) in
            [(before, "Before actions", false), (after, "After actions", true)].into_iter().enumerate()
        {
            let fill = move |c: RGBColor| if light { c.mix(0.45).filled() } else { c.filled() };
            // Each category holds two bars: before on the left, after on the right.
            let x0 = |i: usize| i as f64 + if k == 0 { 0.12 } else { 0.52 };
            chart
                .draw_secondary_series(aps.iter().enumerate().map(move |(i, &ap)| {
                    Rectangle::new([(x0(i), 0.0), (x0(i) + 0.36, f64::from(counts.get(ap)))], fill(color(ap)))
                }))
                .map_err(draw_err)?
                .label(name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], fill(RGBColor(0x55, 0x55, 0x55))));
            chart
                .draw_secondary_series(aps.iter().enumerate().map(move |(i, &ap)| {
                    let n = counts.get(ap);
                    let style = TextStyle::from((FAMILY, 18).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
                    Text::new(format!("{n}"), (x0(i) + 0.18, f64::from(n)), style)
                }))
                .map_err(draw_err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FAMILY, 16))
            .draw()
            .map_err(draw_err)?;
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use faultline_models::fmea::{Rating, RatingKind};

    fn rows() -> Vec<Row> {
        let r = |v| Rating::new(RatingKind::Rating, v).unwrap();
        let mut out = Vec::new();
        for (i, (s, o, d)) in
            [(9, 8, 7), (8, 5, 4), (5, 6, 4), (3, 3, 3), (9, 2, 7), (6, 6, 2), (2, 9, 9)].into_iter().enumerate()
        {
            let mut row = Row::new(format!("Failure mode {}", i + 1), r(s), r(o), r(d));
            row.id = fmea::RowId(i as u32 + 1);
            if i == 0 {
                row.revised_occurrence = Some(r(1));
            }
            out.push(row);
        }
        out
    }

    fn png_size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG magic");
        assert_eq!(&png[12..16], b"IHDR");
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&png[16..20]), be(&png[20..24]))
    }

    fn svg(bytes: Vec<u8>) -> String {
        let s = String::from_utf8(bytes).unwrap();
        assert!(s.starts_with("<svg"), "{}", &s[..s.len().min(80)]);
        assert!(s.trim_end().ends_with("</svg>"));
        s
    }

    #[test]
    fn pareto_svg_has_title_axis_labels_and_bars() {
        let rows = rows();
        let refs: Vec<&Row> = rows.iter().collect();
        let s = svg(rpn_pareto(&refs, ChartFormat::Svg).unwrap());
        for text in [
            "RPN Pareto",
            "Failure mode",
            "RPN (S × O × D)",
            "Cumulative share of total RPN (%)",
            "Cumulative %",
            "AP High",
        ] {
            assert!(s.contains(text), "missing {text:?}");
        }
        // The highest RPN (9·8·7 = 504) comes first and is labelled with its failure mode.
        assert!(s.contains("Failure mode 1"));
        assert!(s.matches("<rect").count() >= rows.len());
        // No tofu: every label went through the embedded font as text, none is empty.
        assert!(!s.contains("<text></text>"));
    }

    #[test]
    fn risk_matrix_svg_has_axes_and_counts() {
        let rows = rows();
        let refs: Vec<&Row> = rows.iter().collect();
        let s = svg(risk_matrix(&refs, ChartFormat::Svg).unwrap());
        for text in ["S × O risk matrix", "Occurrence (O)", "Severity (S)"] {
            assert!(s.contains(text), "missing {text:?}");
        }
        // 100 shaded cells, 100 outlines.
        assert!(s.matches("<rect").count() >= 200);
    }

    #[test]
    fn ap_svg_has_before_and_after() {
        let rows = rows();
        let refs: Vec<&Row> = rows.iter().collect();
        let s = svg(ap_distribution(&refs, ChartFormat::Svg).unwrap());
        for text in [
            "Action Priority before and after actions",
            "Action Priority (AP)",
            "Failure modes",
            "Before actions",
            "After actions",
            "High (H)",
            "Medium (M)",
            "Low (L)",
        ] {
            assert!(s.contains(text), "missing {text:?}");
        }
        let (before, after) = fmea::ap_counts(refs.iter().copied());
        assert_ne!(before, after, "the fixture must change an AP");
    }

    #[test]
    fn every_chart_renders_a_png_of_the_right_size() {
        let rows = rows();
        let refs: Vec<&Row> = rows.iter().collect();
        for png in [
            rpn_pareto(&refs, ChartFormat::Png).unwrap(),
            risk_matrix(&refs, ChartFormat::Png).unwrap(),
            ap_distribution(&refs, ChartFormat::Png).unwrap(),
        ] {
            assert_eq!(png_size(&png), SIZE);
            assert!(png.len() > 5_000, "suspiciously small PNG: {} bytes", png.len());
        }
        if let Ok(dir) = std::env::var("FAULTLINE_CHART_DIR") {
            std::fs::write(format!("{dir}/pareto.png"), rpn_pareto(&refs, ChartFormat::Png).unwrap()).unwrap();
            std::fs::write(format!("{dir}/matrix.png"), risk_matrix(&refs, ChartFormat::Png).unwrap()).unwrap();
            std::fs::write(format!("{dir}/ap.png"), ap_distribution(&refs, ChartFormat::Png).unwrap()).unwrap();
        }
    }

    #[test]
    fn empty_worksheets_still_render() {
        for f in [rpn_pareto, risk_matrix, ap_distribution] {
            assert_eq!(png_size(&f(&[], ChartFormat::Png).unwrap()), SIZE);
            assert!(String::from_utf8(f(&[], ChartFormat::Svg).unwrap()).unwrap().contains("</svg>"));
        }
    }

    #[test]
    fn format_from_path() {
        assert_eq!(ChartFormat::from_path("a/b.SVG".as_ref()), Some(ChartFormat::Svg));
        assert_eq!(ChartFormat::from_path("b.png".as_ref()), Some(ChartFormat::Png));
        assert_eq!(ChartFormat::from_path("b.jpg".as_ref()), None);
    }
}
