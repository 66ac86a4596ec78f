//! [`FaultTree`] to MEF XML.

use super::import::MISSION_TIME;
use faultline_models::fault_tree::{Element, ElementId, ElementKind, FaultTree, GateKind, Probability, TreeId};
use faultline_models::project::Project;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// Escapes an attribute value: markup characters and the whitespace that attribute normalisation would change.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes text content; leading and trailing whitespace is written as character references so that the
/// importer's trimming keeps it.
fn text(s: &str) -> String {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let core = s.trim_matches(ws);
    let start = s.len() - s.trim_start_matches(ws).len();
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let edge = core.is_empty() || i < start || i >= start + core.len();
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if edge && ws(c) => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A number as MEF text: the shortest text that reads back to the same `f64`.
fn num(x: f64) -> String {
    format!("{x:?}")
}

/// How a reference to an element is written: its tag and exported name.
#[derive(Clone)]
struct Ref {
    tag: &'static str,
    name: String,
}

fn tag_of(e: &Element) -> &'static str {
    match e.kind {
        ElementKind::Gate { .. } | ElementKind::Transfer { .. } => "gate",
        ElementKind::BasicEvent { .. } | ElementKind::UndevelopedEvent { .. } => "basic-event",
        ElementKind::HouseEvent { .. } => "house-event",
    }
}

/// Writes one `define-fault-tree` block. `refs` gives how to write a reference to each element of `tree`;
/// `skip` holds the elements not to define here (transfers, events already defined by another block).
fn write_tree(
    out: &mut String,
    tree: &FaultTree,
    refs: &HashMap<ElementId, Ref>,
    skip: &HashSet<ElementId>,
    top: bool,
) {
    let _ = writeln!(out, "  <define-fault-tree name=\"{}\">", attr(&tree.name));
    if !tree.label.is_empty() {
        let _ = writeln!(out, "    <label>{}</label>", text(&tree.label));
    }
    let top_name = if top { tree.top.and_then(|t| refs.get(&t)).map(|r| r.name.clone()) } else { None };
    write_attributes(out, "    ", &tree.description, None, top_name.as_deref());
    for e in &tree.elements {
        if skip.contains(&e.id) {
            continue;
        }
        let name = refs.get(&e.id).map_or(e.name.as_str(), |r| r.name.as_str());
        let (open, flavour) = match &e.kind {
            ElementKind::Gate { gate, .. } => {
                ("define-gate", matches!(gate, GateKind::Inhibit).then_some("inhibit"))
            }
            ElementKind::BasicEvent { .. } => ("define-basic-event", None),
            ElementKind::UndevelopedEvent { .. } => ("define-basic-event", Some("undeveloped")),
            ElementKind::HouseEvent { .. } => ("define-house-event", None),
            ElementKind::Transfer { .. } => continue,
        };
        let _ = writeln!(out, "    <{open} name=\"{}\">", attr(name));
        if !e.label.is_empty() {
            let _ = writeln!(out, "      <label>{}</label>", text(&e.label));
        }
        write_attributes(out, "      ", &e.description, flavour, None);
        match &e.kind {
            ElementKind::Gate { gate, args } => {
                let op = match gate {
                    GateKind::AtLeast { k } => format!("atleast min=\"{k}\""),
                    GateKind::Inhibit => "and".to_string(),
                    g => g.name().to_string(),
                };
                let close = if let GateKind::AtLeast { .. } = gate { "atleast" } else if *gate == GateKind::Inhibit { "and" } else { gate.name() };
                if args.is_empty() {
                    let _ = writeln!(out, "      <{op}/>");
                } else {
                    let _ = writeln!(out, "      <{op}>");
                    for a in args {
                        match refs.get(a) {
                            Some(r) => {
                                let _ = writeln!(out, "        <{} name=\"{}\"/>", r.tag, attr(&r.name));
                            }
                            None => {
                                let _ = writeln!(out, "        <event name=\"{}\"/>", attr(&a.to_string()));
                            }
                        }
                    }
                    let _ = writeln!(out, "      </{close}>");
                }
            }
            ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => {
                match *probability {
                    Probability::Fixed { p } => {
                        let _ = writeln!(out, "      <float value=\"{}\"/>", num(p));
                    }
                    Probability::Exponential { rate, mission_time } => {
                        let _ = writeln!(out, "      <exponential>");
                        let _ = writeln!(out, "        <float value=\"{}\"/>", num(rate));
                        match mission_time {
                            Some(t) => {
                                let _ = writeln!(out, "        <float value=\"{}\"/>", num(t));
                            }
                            None => out.push_str("        <system-mission-time/>\n"),
                        }
                        let _ = writeln!(out, "      </exponential>");
                    }
                }
            }
            ElementKind::HouseEvent { state } => {
                let _ = writeln!(out, "      <constant value=\"{state}\"/>");
            }
            ElementKind::Transfer { .. } => {}
        }
        let _ = writeln!(out, "    </{open}>");
    }
    out.push_str("  </define-fault-tree>\n");
}

fn write_attributes(out: &mut String, indent: &str, description: &str, flavour: Option<&str>, top: Option<&str>) {
    let mut attrs = Vec::new();
    if !description.is_empty() {
        attrs.push(("description", description));
    }
    if let Some(f) = flavour {
        attrs.push(("flavour", f));
    }
    if let Some(t) = top {
        attrs.push(("top", t));
    }
    if attrs.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}<attributes>");
    for (k, v) in attrs {
        let _ = writeln!(out, "{indent}  <attribute name=\"{k}\" value=\"{}\"/>", attr(v));
    }
    let _ = writeln!(out, "{indent}</attributes>");
}

fn header(out: &mut String) {
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opsa-mef>\n");
}

fn footer(out: &mut String, mission_time: Option<f64>) {
    if let Some(t) = mission_time {
        out.push_str("  <model-data>\n");
        let _ = writeln!(out, "    <define-parameter name=\"{MISSION_TIME}\">\n      <float value=\"{}\"/>\n    </define-parameter>", num(t));
        out.push_str("  </model-data>\n");
    }
    out.push_str("</opsa-mef>\n");
}

/// Writes one fault tree as MEF XML.
///
/// Every element is defined inside one `define-fault-tree`, in element order; the top event is named by a `top`
/// attribute of the fault tree, the tree's mission time by the parameter `system-mission-time`. Inhibit gates
/// are `and` gates with the attribute `flavour="inhibit"`, undeveloped events basic events with
/// `flavour="undeveloped"`, descriptions `description` attributes.
///
/// Returns the XML text. [`import`](super::import) of it gives back an equal tree (names, kinds, argument order,
/// labels, descriptions, probabilities, house events, top, mission time) whose ids are 1, 2, ... in element order:
/// exactly equal when the tree's ids already are (a tree without a top event comes back with its single root, if it
/// has one, as top). A transfer is written as a reference to a gate with the
/// transfer's name, which another file of the model must define; use [`export_project_tree`] to include the
/// trees that transfers reach. Complexity: O(E + A).
pub fn export(tree: &FaultTree) -> String {
    let refs: HashMap<ElementId, Ref> =
        tree.elements.iter().map(|e| (e.id, Ref { tag: tag_of(e), name: e.name.clone() })).collect();
    let mut out = String::new();
    header(&mut out);
    write_tree(&mut out, tree, &refs, &HashSet::new(), true);
    footer(&mut out, tree.mission_time);
    out
}

/// Writes a fault tree of a project and every tree its transfers reach (transitively) as one self-contained MEF
/// model: one `define-fault-tree` per tree, the requested tree first.
///
/// Transfers disappear: a reference to a transfer becomes a reference to the gate it transfers to (the target
/// tree's top gate unless the transfer names one). Basic, undeveloped and house events are shared across trees
/// by name (as in the project), so an event defined by an earlier tree is not defined again. A gate whose name
/// is already taken is renamed `<tree>.<gate>` (with `.2`, `.3`, ... if that is taken too). A transfer to a tree
/// or gate that does not exist is written as a reference to a gate named like the transfer, which import then
/// reports as undefined. Only the requested tree's mission time is written.
///
/// Returns `None` when the project has no tree `tree_id`. Complexity: O(E + A) over the trees involved.
pub fn export_project_tree(project: &Project, tree_id: TreeId) -> Option<String> {
    let root = project.tree(tree_id)?;
    // The trees involved, in breadth-first order from the root.
    let mut order: Vec<&FaultTree> = vec![root];
    let mut seen = HashSet::from([root.id]);
    let mut i = 0;
    while i < order.len() {
        for e in &order[i].elements {
            if let ElementKind::Transfer { tree, .. } = e.kind {
                if let Some(t) = project.tree(tree) {
                    if seen.insert(t.id) {
                        order.push(t);
                    }
                }
            }
        }
        i += 1;
    }

    // Exported names, per tree; events are shared by name.
    let mut taken: HashSet<String> = HashSet::new();
    let mut events: HashMap<String, &'static str> = HashMap::new();
    let mut refs: Vec<HashMap<ElementId, Ref>> = Vec::new();
    let mut skips: Vec<HashSet<ElementId>> = Vec::new();
    for t in &order {
        let mut r = HashMap::new();
        let mut skip = HashSet::new();
        for e in &t.elements {
            let tag = tag_of(e);
            match e.kind {
                ElementKind::Transfer { .. } => {
                    skip.insert(e.id);
                }
                ElementKind::Gate { .. } => {
                    let name = if taken.contains(&e.name) {
                        let base = format!("{}.{}", t.name, e.name);
                        let mut cand = base.clone();
                        let mut n = 2;
                        while taken.contains(&cand) {
                            cand = format!("{base}.{n}");
                            n += 1;
                        }
                        cand
                    } else {
                        e.name.clone()
                    };
                    taken.insert(name.clone());
                    r.insert(e.id, Ref { tag, name });
                }
                _ => {
                    if events.get(&e.name) == Some(&tag) {
                        skip.insert(e.id);
                        r.insert(e.id, Ref { tag, name: e.name.clone() });
                    } else {
                        let mut name = e.name.clone();
                        if taken.contains(&name) {
                            let base = format!("{}.{}", t.name, e.name);
                            name = base.clone();
                            let mut n = 2;
                            while taken.contains(&name) {
                                name = format!("{base}.{n}");
                                n += 1;
                            }
                        }
                        taken.insert(name.clone());
                        events.insert(name.clone(), tag);
                        r.insert(e.id, Ref { tag, name });
                    }
                }
            }
        }
        refs.push(r);
        skips.push(skip);
    }
    // Transfers resolve to the exported name of their target gate.
    let index: HashMap<TreeId, usize> = order.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    for (i, t) in order.iter().enumerate() {
        for e in &t.elements {
            if let ElementKind::Transfer { tree, gate } = e.kind {
                let target = index.get(&tree).and_then(|&j| {
                    let g = gate.or(order[j].top)?;
                    refs[j].get(&g).cloned()
                });
                let r = target.unwrap_or(Ref { tag: "gate", name: e.name.clone() });
                refs[i].insert(e.id, r);
            }
        }
    }
    let mut out = String::new();
    header(&mut out);
    for (i, t) in order.iter().enumerate() {
        write_tree(&mut out, t, &refs[i], &skips[i], i == 0);
    }
    footer(&mut out, root.mission_time);
    Some(out)
}
