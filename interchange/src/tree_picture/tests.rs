use super::*;
use faultline_models::fault_tree::{GateKind, Probability};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeSet;

/// top = OR(G1, G2); G1 = AND(a, b); G2 = AND(a, c): `a` is shared.
fn tree() -> FaultTree {
    let mut t = FaultTree::new(TreeId(1), "pump & valve <tree>");
    let a = t.add_basic("a", 1e-3);
    let b = t.add_basic("b", 2e-3);
    let c = t.add_basic("c", 3e-3);
    let g1 = t.add_gate("G1", GateKind::And, vec![a, b]);
    let g2 = t.add_gate("G2", GateKind::And, vec![a, c]);
    t.top = Some(t.add_gate("top", GateKind::Or, vec![g1, g2]));
    t.element_mut(a).unwrap().description = "Pump \"A\" fails & stops".into();
    t
}

/// A group of the SVG: its class, `data-element`, and the strokes of the paths directly in it.
#[derive(Debug)]
struct Group {
    class: String,
    element: Option<String>,
    strokes: Vec<String>,
}

/// Parses the SVG strictly (well-formed XML, matching end tags) and returns its groups and all text.
fn parse(svg: &str) -> (Vec<Group>, String) {
    let mut reader = Reader::from_str(svg);
    let mut groups = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut text = String::new();
    let attr = |e: &quick_xml::events::BytesStart, name: &str| {
        e.attributes().map(|a| a.expect("well-formed attribute")).find(|a| a.key.as_ref() == name.as_bytes()).map(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned())
    };
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(e) if e.name().as_ref() == b"g" => {
                groups.push(Group { class: attr(&e, "class").unwrap_or_default(), element: attr(&e, "data-element"), strokes: Vec::new() });
                open.push(groups.len() - 1);
            }
            Event::End(e) if e.name().as_ref() == b"g" => {
                open.pop();
            }
            Event::Empty(e) if e.name().as_ref() == b"path" => {
                if let (Some(&g), Some(s)) = (open.last(), attr(&e, "stroke")) {
                    groups[g].strokes.push(s);
                }
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap();
                text.push(match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed groups");
    (groups, text)
}

#[test]
fn svg_is_well_formed_and_names_every_element() {
    let mut t = tree();
    let cond = t.add("hot <weather>", ElementKind::HouseEvent { state: true });
    let inp = t.add("e&1", ElementKind::UndevelopedEvent { probability: Probability::Fixed { p: 0.5 } });
    let tr = t.add("to-other", ElementKind::Transfer { tree: TreeId(7), gate: None });
    let inh = t.add_gate("INH", GateKind::Inhibit, vec![inp, cond]);
    let v = t.add_gate("V", GateKind::AtLeast { k: 2 }, vec![inh, tr, ElementId(999)]);
    let top = t.top.unwrap();
    if let Some(ElementKind::Gate { args, .. }) = t.element_mut(top).map(|e| &mut e.kind) {
        args.push(v);
    }
    let options = PictureOptions { tree_names: [(TreeId(7), "Other tree".to_string())].into(), ..Default::default() };
    let svg = tree_svg(&t, &options);
    let (groups, text) = parse(&svg);
    let drawn: BTreeSet<String> = groups.iter().filter_map(|g| g.element.clone()).collect();
    for e in &t.elements {
        assert!(drawn.contains(&e.name), "{} not drawn", e.name);
        assert!(text.contains(&e.name), "{} not in the text", e.name);
    }
    assert!(drawn.contains("missing #999"));
    assert!(text.contains("p = 1.00e-3") && text.contains("p = 5.00e-1"), "probabilities under events");
    assert!(text.contains("2/3"), "the vote's k/n");
    assert!(text.contains("→ Other tree"));
    assert!(text.contains("Pump \"A\" fails & stops"), "descriptions, escaped and read back");
    assert!(text.contains("pump & valve <tree>"));
    // Every element drawn once except `a`, drawn twice with the same numbered marker.
    assert_eq!(groups.iter().filter(|g| g.element.as_deref() == Some("a")).count(), 2);
    assert_eq!(text.matches("p = 1.00e-3").count(), 2);
    // The condition is an ellipse beside the inhibit gate: its edge is one horizontal segment.
    assert!(svg.contains("class=\"edge\""));
}

#[test]
fn failure_rates_use_the_trees_mission_time() {
    let mut t = FaultTree::new(TreeId(1), "rates");
    let e = t.add("pump", ElementKind::BasicEvent { probability: Probability::Exponential { rate: 3e-4, mission_time: None } });
    t.top = Some(t.add_gate("top", GateKind::Or, vec![e]));
    let (_, text) = parse(&tree_svg(&t, &PictureOptions::default()));
    assert!(text.contains("λ = 3.00e-4/h"), "{text}");
    t.mission_time = Some(1000.0);
    let (_, text) = parse(&tree_svg(&t, &PictureOptions::default()));
    assert!(text.contains(&format!("p = {:.2e}", 1.0 - (-0.3f64).exp())), "{text}");
}

fn lit(groups: &[Group]) -> Vec<(String, bool)> {
    let accent = ACCENT.hex();
    groups.iter().map(|g| (g.element.clone().unwrap_or_else(|| g.class.clone()), g.strokes.contains(&accent))).collect()
}

#[test]
fn highlight_strokes_exactly_the_paths_of_the_cut_set() {
    let t = tree();
    let plain = parse(&tree_svg(&t, &PictureOptions::default())).0;
    assert!(lit(&plain).iter().all(|(_, on)| !on), "no accent without a highlight");
    let cut_set = vec![t.by_name("a").unwrap().id, t.by_name("b").unwrap().id];
    let hl = parse(&tree_svg(&t, &PictureOptions { highlight: Some(cut_set), ..Default::default() })).0;
    assert_eq!(hl.len(), plain.len());
    // Nodes: both uses of `a`, `b`, and their gates up to the top; not `c`.
    let nodes: Vec<(String, bool)> = lit(&hl).into_iter().filter(|(n, _)| !n.starts_with("edge")).collect();
    assert_eq!(
        nodes,
        [("top", true), ("G1", true), ("a", true), ("b", true), ("G2", true), ("a", true), ("c", false)].map(|(n, b)| (n.to_string(), b))
    );
    // Edges: all but G2 → c.
    let edges: Vec<bool> = lit(&hl).into_iter().filter(|(n, _)| n.starts_with("edge")).map(|(_, b)| b).collect();
    assert_eq!(edges.iter().filter(|b| **b).count(), 5);
    assert_eq!(edges.len(), 6);
    // Highlighted edges are drawn last, over the dimmed ones (with {b}, in tree order they would alternate).
    let only_b = parse(&tree_svg(&t, &PictureOptions { highlight: Some(vec![t.by_name("b").unwrap().id]), ..Default::default() })).0;
    let edges: Vec<bool> = lit(&only_b).into_iter().filter(|(n, _)| n.starts_with("edge")).map(|(_, b)| b).collect();
    assert_eq!(edges, [false, false, false, false, true, true]);
    assert!(hl.iter().filter(|g| g.class.ends_with("hl")).count() == 11);
    // Everything not on the path is dimmed: c's strokes changed but are not the accent.
    let c_plain = &plain.iter().find(|g| g.element.as_deref() == Some("c")).unwrap().strokes;
    let c_hl = &hl.iter().find(|g| g.element.as_deref() == Some("c")).unwrap().strokes;
    assert_eq!(c_plain.len(), c_hl.len());
    assert!(c_plain.iter().zip(c_hl).all(|(p, h)| p != h), "{c_plain:?} vs {c_hl:?}");
}

/// The width and height from a PNG's IHDR chunk, after checking the signature.
fn png_dims(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn png_has_the_pictures_size() {
    let t = tree();
    let options = PictureOptions::default();
    let l = layout::layout(&t, &options.layout);
    let png = render_png(&t, &l, &options).unwrap();
    let (w, h) = picture_size(&l);
    assert_eq!(png_dims(&png), (w.ceil() as u32, h.ceil() as u32));
    assert!(png.len() > 2_000, "suspiciously small PNG: {} bytes", png.len());
    // The highlight changes the pixels.
    let hl = render_png(&t, &l, &PictureOptions { highlight: Some(vec![t.by_name("c").unwrap().id]), ..Default::default() }).unwrap();
    assert_ne!(png, hl);
    if let Ok(dir) = std::env::var("FAULTLINE_PICTURES") {
        std::fs::write(format!("{dir}/tree.png"), &hl).unwrap();
        std::fs::write(format!("{dir}/tree.svg"), render_svg(&t, &l, &PictureOptions { highlight: Some(vec![t.by_name("c").unwrap().id]), ..Default::default() })).unwrap();
    }
}

#[test]
fn large_pictures_are_scaled_down_to_the_limits() {
    let wide = Layout { nodes: Vec::new(), edges: Vec::new(), width: 1e6, height: 500.0 };
    let mut l = layout::layout(&tree(), &LayoutOptions::default());
    l.width = wide.width;
    let ((w, h), scale) = png_size(&l);
    assert!(w <= MAX_PNG_SIDE && (w as f64) * (h as f64) <= MAX_PNG_PIXELS * 1.01);
    assert!(scale < 0.02);
    assert_eq!(png_size(&layout::layout(&tree(), &LayoutOptions::default())).1, 1.0, "never scaled up");
}

#[test]
fn empty_trees_render_a_note() {
    let t = FaultTree::new(TreeId(1), "new");
    let (groups, text) = parse(&tree_svg(&t, &PictureOptions::default()));
    assert!(groups.is_empty());
    assert!(text.contains("empty"));
    let png = tree_png(&t, &PictureOptions::default()).unwrap();
    assert_eq!(png_dims(&png), (420, 80));
}

#[test]
fn text_is_escaped_for_xml() {
    assert_eq!(escape("a\u{1}<b & 'c'>\t\"d\""), "a &lt;b &amp; &apos;c&apos;&gt;\t&quot;d&quot;");
    let mut t = tree();
    t.add_basic("bell\u{7}", 0.5);
    t.top = None;
    parse(&tree_svg(&t, &PictureOptions::default()));
}

/// Dashes follow the SVG's 5-3 pattern along the line, across corners, and back to the start of a closed
/// outline; what they leave out is exactly the gaps.
#[test]
fn dashes_follow_the_pattern_across_corners() {
    let close = |a: &[(f64, f64)], b: &[(f64, f64)]| a.len() == b.len() && a.iter().zip(b).all(|(p, q)| (p.0 - q.0).abs() < 1e-9 && (p.1 - q.1).abs() < 1e-9);
    // A straight line of 16: dashes [0, 5] and [8, 13].
    let d = dashes(&[(0.0, 0.0), (16.0, 0.0)], false, (5.0, 3.0));
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(close(&d[0], &[(0.0, 0.0), (5.0, 0.0)]) && close(&d[1], &[(8.0, 0.0), (13.0, 0.0)]), "{d:?}");
    // Around a corner at 4: the first dash turns it, and the pattern goes on from there.
    let d = dashes(&[(0.0, 0.0), (4.0, 0.0), (4.0, 10.0)], false, (5.0, 3.0));
    assert!(close(&d[0], &[(0.0, 0.0), (4.0, 0.0), (4.0, 1.0)]), "{d:?}");
    assert!(close(&d[1], &[(4.0, 4.0), (4.0, 9.0)]), "{d:?}");
    assert_eq!(d.len(), 2, "{d:?}");
    // A closed 10 x 10 square (perimeter 40, five periods): five dashes, the last one up the closing side.
    let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
    let d = dashes(&square, true, (5.0, 3.0));
    assert_eq!(d.len(), 5, "{d:?}");
    let drawn: f64 = d.iter().map(|piece| piece.windows(2).map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt()).sum::<f64>()).sum();
    assert!((drawn - 25.0).abs() < 1e-9, "{drawn}");
    assert!(close(&d[4], &[(0.0, 8.0), (0.0, 3.0)]), "{d:?}");
    // Nothing to draw for a single point.
    assert!(dashes(&[(1.0, 1.0)], false, (5.0, 3.0)).is_empty());
}

/// In the PNG, a repeated gate's outline is dashed: along its long edges, about 5 pixels in 8 have the
/// stroke's colour.
#[test]
fn png_draws_dashed_lines_dashed() {
    let mut t = FaultTree::new(TreeId(1), "dashes");
    let a = t.add_basic("a", 0.1);
    let b = t.add_basic("b", 0.1);
    let shared = t.add_gate("shared", GateKind::And, vec![a, b]);
    let left = t.add_gate("left", GateKind::Or, vec![shared, a]);
    let right = t.add_gate("right", GateKind::Or, vec![shared, b]);
    let top = t.add_gate("top", GateKind::And, vec![left, right]);
    t.top = Some(top);
    let options = PictureOptions::default();
    let l = layout::layout(&t, &options.layout);
    let prims = scene(&t, &l, &options);
    let dashed: Vec<(&Vec<(f64, f64)>, Rgb)> = prims.iter().filter_map(|p| match p {
        Prim::Path { points, dashed: true, stroke, .. } => Some((points, *stroke)),
        _ => None,
    }).collect();
    assert!(!dashed.is_empty(), "the repeated gate has a dashed outline");
    let png = render_png(&t, &l, &options).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    // Sample the midpoints of the dashed outline's straight edges longer than a period, in pixels.
    let (_, scale) = png_size(&l);
    let mut stroked = 0;
    let mut samples = 0;
    for (outline, stroke) in dashed {
        for w in outline.windows(2) {
            let (p, q) = (w[0], w[1]);
            let length = ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt();
            if length < 16.0 {
                continue;
            }
            for i in 0..(length as usize) {
                let t = i as f64 / length;
                let (x, y) = ((p.0 + (q.0 - p.0) * t) * scale, (p.1 + (q.1 - p.1) * t) * scale);
                let px = img.get_pixel(x.round() as u32, y.round() as u32);
                samples += 1;
                if px.0 == [stroke.0, stroke.1, stroke.2] {
                    stroked += 1;
                }
            }
        }
    }
    assert!(samples > 0);
    let share = stroked as f64 / samples as f64;
    assert!((0.5..0.75).contains(&share), "{stroked} of {samples} samples are stroked: not a 5-3 dash");
}
