//! MEF XML to [`FaultTree`]: collect every definition of every file, then build the elements.

use super::xml::{self, Doc, Node};
use super::{roots, MefError, Source};
use faultline_models::fault_tree::{Element, ElementId, ElementKind, FaultTree, GateKind, Probability, TreeId};
use std::collections::{HashMap, HashSet};

/// The formulas that become gates.
const FORMULAS: [&str; 7] = ["and", "or", "atleast", "not", "xor", "nand", "nor"];
/// The references to events.
const REFERENCES: [&str; 4] = ["gate", "basic-event", "house-event", "event"];
/// The name of the parameter that holds the system mission time.
pub(crate) const MISSION_TIME: &str = "system-mission-time";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Gate,
    Basic,
    House,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Gate => "gate",
            Kind::Basic => "basic event",
            Kind::House => "house event",
        }
    }
}

struct Def {
    kind: Kind,
    file: usize,
    node: usize,
    name: String,
}

#[derive(Clone, Copy, Debug)]
enum Value {
    Num(f64),
    /// λ and the mission time (`None`: the system mission time).
    Exp(f64, Option<f64>),
}

enum Slot {
    Def(usize),
    Nested { file: usize, node: usize, owner: String, name: String },
}

#[derive(Clone, Copy)]
enum ParamState {
    InProgress,
    Done(Value),
    Failed,
}

struct Importer<'a> {
    sources: &'a [Source],
    docs: Vec<Doc>,
    errors: Vec<MefError>,
    defs: Vec<Def>,
    by_name: HashMap<String, usize>,
    params: HashMap<String, (usize, usize)>,
    param_state: HashMap<String, ParamState>,
    mission_time: Option<f64>,
    tree: Option<(usize, usize)>,
    top: Option<(usize, usize, String)>,
    /// Gates whose formula is a bare reference (file, reference node), referenced by other gates: references to
    /// them go straight to their target.
    aliases: HashMap<String, (usize, usize)>,
    /// Resolved aliases (`None`: resolving failed and was reported) and the ones being resolved.
    alias_ids: HashMap<String, Option<ElementId>>,
    alias_stack: HashSet<String>,
}

/// Imports one or more MEF files as one model.
///
/// Arguments: the files, each with the name used in messages. Returns the fault tree (named after the first
/// `define-fault-tree`, elements in document order with ids 1, 2, ..., nested formulas right after their gate;
/// `top` is the gate named by a `top` attribute of a fault tree, else the unique gate that is no other gate's
/// argument, else `None`: see [`roots`]), or every problem found, each naming the file, the line and the element.
///
/// Complexity: O(n) in the total text length, plus hashing of names.
pub fn import(sources: &[Source]) -> Result<FaultTree, Vec<MefError>> {
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    let mut files = Vec::new();
    for s in sources {
        match xml::parse(&s.name, &s.text) {
            Ok(d) => {
                docs.push(d);
                files.push(s.clone());
            }
            Err(e) => errors.push(e),
        }
    }
    let mut imp = Importer {
        sources: &files,
        docs,
        errors,
        defs: Vec::new(),
        by_name: HashMap::new(),
        params: HashMap::new(),
        param_state: HashMap::new(),
        mission_time: None,
        tree: None,
        top: None,
        aliases: HashMap::new(),
        alias_ids: HashMap::new(),
        alias_stack: HashSet::new(),
    };
    imp.collect();
    let tree = imp.build();
    if sources.is_empty() {
        imp.errors.push(MefError { file: "(no file)".into(), line: None, message: "no MEF file given".into() });
    }
    if imp.errors.is_empty() {
        Ok(tree)
    } else {
        Err(imp.errors)
    }
}

fn children<'d>(doc: &'d Doc, node: usize) -> impl Iterator<Item = (usize, &'d Node)> + 'd {
    doc.nodes[node].children.iter().map(move |&c| (c, &doc.nodes[c]))
}

/// ` 'name'` when the node has a name attribute.
fn named(node: &Node) -> String {
    node.attr("name").map(|n| format!(" '{n}'")).unwrap_or_default()
}

fn is_meta(node: &Node) -> bool {
    node.name == "label" || node.name == "attributes"
}

impl Importer<'_> {
    fn err(&mut self, file: usize, line: usize, message: String) {
        self.errors.push(MefError { file: self.sources[file].name.clone(), line: Some(line), message });
    }

    fn node(&self, file: usize, node: usize) -> &Node {
        &self.docs[file].nodes[node]
    }

    fn place(&self, file: usize, node: usize) -> String {
        format!("{}:{}", self.sources[file].name, self.node(file, node).line)
    }

    /// The `<label>` text of a definition.
    fn label(&self, file: usize, node: usize) -> String {
        children(&self.docs[file], node)
            .find(|(_, n)| n.name == "label")
            .map(|(_, n)| n.trimmed_text())
            .unwrap_or_default()
    }

    /// The `<attributes>` of a definition, as (name, value) pairs.
    fn attributes(&self, file: usize, node: usize) -> Vec<(String, String)> {
        let doc = &self.docs[file];
        let mut out = Vec::new();
        for (a, _) in children(doc, node).filter(|(_, n)| n.name == "attributes") {
            for (_, at) in children(doc, a).filter(|(_, n)| n.name == "attribute") {
                if let (Some(k), Some(v)) = (at.attr("name"), at.attr("value")) {
                    out.push((k.to_string(), v.to_string()));
                }
            }
        }
        out
    }

    fn attribute(&self, file: usize, node: usize, name: &str) -> Option<String> {
        self.attributes(file, node).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Pass 1: every definition of every file.
    fn collect(&mut self) {
        for file in 0..self.docs.len() {
            let root = &self.docs[file].nodes[0];
            if root.name != "opsa-mef" {
                let (line, name) = (root.line, root.name.clone());
                self.err(file, line, format!("the root element is <{name}>, expected <opsa-mef>"));
                continue;
            }
            let top: Vec<usize> = self.docs[file].nodes[0].children.clone();
            for c in top {
                let n = self.node(file, c);
                let (name, line) = (n.name.clone(), n.line);
                match name.as_str() {
                    "define-fault-tree" => self.fault_tree(file, c),
                    "model-data" => self.model_data(file, c, None),
                    "label" | "attributes" => {}
                    _ => {
                        let what = named(self.node(file, c));
                        self.err(file, line, format!("unsupported <{name}>{what}"));
                    }
                }
            }
        }
        if self.tree.is_none() && !self.docs.is_empty() && self.errors.is_empty() {
            let file = self.sources[0].name.clone();
            self.errors.push(MefError { file, line: None, message: "no <define-fault-tree> in the model".into() });
        }
    }

    fn fault_tree(&mut self, file: usize, node: usize) {
        let n = self.node(file, node);
        let line = n.line;
        let Some(ft) = n.attr("name").map(str::to_string) else {
            self.err(file, line, "<define-fault-tree> without name".into());
            return;
        };
        if self.tree.is_none() {
            self.tree = Some((file, node));
        }
        if self.top.is_none() {
            if let Some(t) = self.attribute(file, node, "top") {
                self.top = Some((file, node, t));
            }
        }
        self.model_data(file, node, Some(&ft));
    }

    /// The definitions inside `model-data` or (with `tree`) a `define-fault-tree`.
    fn model_data(&mut self, file: usize, node: usize, tree: Option<&str>) {
        let kids: Vec<usize> = self.node(file, node).children.clone();
        for c in kids {
            let n = self.node(file, c);
            let (name, line) = (n.name.clone(), n.line);
            let kind = match name.as_str() {
                "define-gate" if tree.is_some() => Kind::Gate,
                "define-basic-event" => Kind::Basic,
                "define-house-event" => Kind::House,
                "define-parameter" => {
                    match n.attr("name").map(str::to_string) {
                        None => self.err(file, line, "<define-parameter> without name".into()),
                        Some(p) => {
                            if let Some(&(f0, n0)) = self.params.get(&p) {
                                let first = self.place(f0, n0);
                                self.err(file, line, format!("parameter '{p}' is already defined at {first}"));
                            } else {
                                self.params.insert(p, (file, c));
                            }
                        }
                    }
                    continue;
                }
                "system-mission-time" if tree.is_none() => {
                    match n.attr("value").map(|v| (v.to_string(), v.trim().parse::<f64>())) {
                        Some((_, Ok(t))) => self.mission_time = Some(t),
                        Some((v, Err(_))) => {
                            self.err(file, line, format!("bad number '{v}' in <system-mission-time value>"))
                        }
                        None => self.err(file, line, "<system-mission-time> without value".into()),
                    }
                    continue;
                }
                "label" | "attributes" => continue,
                _ => {
                    let what = named(n);
                    let inside = match tree {
                        Some(t) => format!(" in fault tree '{t}'"),
                        None => String::new(),
                    };
                    self.err(file, line, format!("unsupported <{name}>{what}{inside}"));
                    continue;
                }
            };
            let Some(el) = n.attr("name").map(str::to_string) else {
                self.err(file, line, format!("<{name}> without name"));
                continue;
            };
            if let Some(&d) = self.by_name.get(&el) {
                let (k, first) = (self.defs[d].kind, self.place(self.defs[d].file, self.defs[d].node));
                self.err(file, line, format!("{} '{el}' is already defined (as a {} at {first})", kind.word(), k.word()));
                continue;
            }
            self.by_name.insert(el.clone(), self.defs.len());
            self.defs.push(Def { kind, file, node: c, name: el });
        }
    }

    /// The single formula (or expression) child of a definition, reporting none or several.
    fn body(&mut self, file: usize, node: usize, what: &str, missing: &str) -> Option<usize> {
        let kids: Vec<usize> = children(&self.docs[file], node).filter(|(_, n)| !is_meta(n)).map(|(c, _)| c).collect();
        match kids.as_slice() {
            [] => {
                let line = self.node(file, node).line;
                self.err(file, line, format!("{what} has no {missing}"));
                None
            }
            [one] => Some(*one),
            [_, second, ..] => {
                let line = self.node(file, *second).line;
                self.err(file, line, format!("{what} has more than one {missing}"));
                None
            }
        }
    }

    /// The nested formulas under `node`, in document order (pre-order).
    fn nested(&self, file: usize, node: usize, out: &mut Vec<usize>) {
        for (c, n) in children(&self.docs[file], node) {
            if FORMULAS.contains(&n.name.as_str()) {
                out.push(c);
                self.nested(file, c, out);
            }
        }
    }

    /// Pass 2: ids, then elements.
    fn build(&mut self) -> FaultTree {
        if let Some(&(f, n)) = self.params.get(MISSION_TIME) {
            if let Ok(v) = self.param(f, n, MISSION_TIME) {
                let line = self.node(f, n).line;
                match v {
                    Value::Num(t) => self.mission_time = Some(t),
                    Value::Exp(..) => self.err(f, line, "the system mission time must be a number".into()),
                }
            }
        }
        // Gates that are a bare reference and are referenced: transparent aliases, not elements.
        let mut referenced: HashSet<&str> = HashSet::new();
        for d in self.defs.iter().filter(|d| d.kind == Kind::Gate) {
            let doc = &self.docs[d.file];
            let mut stack = vec![d.node];
            while let Some(n) = stack.pop() {
                for (c, cn) in children(doc, n) {
                    if REFERENCES.contains(&cn.name.as_str()) {
                        if let Some(name) = cn.attr("name") {
                            referenced.insert(name);
                        }
                    } else {
                        stack.push(c);
                    }
                }
            }
        }
        let top_name = self.top.as_ref().map(|t| t.2.as_str());
        let mut aliases = HashMap::new();
        for d in self.defs.iter().filter(|d| d.kind == Kind::Gate) {
            let kids: Vec<usize> =
                children(&self.docs[d.file], d.node).filter(|(_, n)| !is_meta(n)).map(|(c, _)| c).collect();
            if let [only] = kids.as_slice() {
                let is_ref = REFERENCES.contains(&self.docs[d.file].nodes[*only].name.as_str());
                if is_ref && referenced.contains(d.name.as_str()) && top_name != Some(d.name.as_str()) {
                    aliases.insert(d.name.clone(), (d.file, *only));
                }
            }
        }
        self.aliases = aliases;
        let mut taken: HashSet<String> = self.by_name.keys().cloned().collect();
        let mut ids: HashMap<String, ElementId> = HashMap::new();
        let mut nested_ids: HashMap<(usize, usize), ElementId> = HashMap::new();
        let mut slots = Vec::new();
        let mut next = 1u32;
        for (di, d) in self.defs.iter().enumerate() {
            if self.aliases.contains_key(&d.name) {
                continue;
            }
            ids.insert(d.name.clone(), ElementId(next));
            next += 1;
            slots.push(Slot::Def(di));
            if d.kind == Kind::Gate {
                let mut nested = Vec::new();
                for (c, n) in children(&self.docs[d.file], d.node) {
                    if FORMULAS.contains(&n.name.as_str()) {
                        self.nested(d.file, c, &mut nested);
                    }
                }
                let mut counter = 1;
                for node in nested {
                    let name = loop {
                        let cand = format!("{}.{counter}", d.name);
                        counter += 1;
                        if !taken.contains(&cand) {
                            break cand;
                        }
                    };
                    taken.insert(name.clone());
                    nested_ids.insert((d.file, node), ElementId(next));
                    next += 1;
                    slots.push(Slot::Nested { file: d.file, node, owner: d.name.clone(), name });
                }
            }
        }

        // Resolve every alias once, so that problems inside one are reported even when nothing else uses it.
        let mut alias_names: Vec<String> = self.aliases.keys().cloned().collect();
        alias_names.sort_by_key(|a| self.by_name[a]);
        for a in alias_names {
            self.alias(&a, &ids);
        }
        let mut elements = Vec::with_capacity(slots.len());
        for (i, slot) in slots.iter().enumerate() {
            let id = ElementId(i as u32 + 1);
            match slot {
                Slot::Nested { file, node, owner, name } => {
                    let kind = self.formula(*file, *node, owner, &ids, &nested_ids, None);
                    if let Some(kind) = kind {
                        elements.push(Element {
                            id,
                            name: name.clone(),
                            label: String::new(),
                            description: String::new(),
                            kind,
                        });
                    }
                }
                Slot::Def(di) => {
                    let (kind, file, node, name) = {
                        let d = &self.defs[*di];
                        (d.kind, d.file, d.node, d.name.clone())
                    };
                    let label = self.label(file, node);
                    let description = self.attribute(file, node, "description").unwrap_or_default();
                    let flavour = self
                        .attribute(file, node, "flavour")
                        .or_else(|| self.node(file, node).attr("flavour").map(str::to_string));
                    let what = format!("{} '{name}'", kind.word());
                    let el = match kind {
                        Kind::Gate => self
                            .body(file, node, &what, "formula")
                            .and_then(|f| self.formula(file, f, &name, &ids, &nested_ids, flavour.as_deref())),
                        Kind::Basic => self.body(file, node, &what, "probability").and_then(|e| {
                            let probability = match self.eval(file, e, &what).ok()? {
                                Value::Num(p) => Probability::Fixed { p },
                                Value::Exp(rate, mission_time) => Probability::Exponential { rate, mission_time },
                            };
                            Some(if flavour.as_deref() == Some("undeveloped") {
                                ElementKind::UndevelopedEvent { probability }
                            } else {
                                ElementKind::BasicEvent { probability }
                            })
                        }),
                        Kind::House => self.house(file, node, &what),
                    };
                    if let Some(kind) = el {
                        elements.push(Element { id, name, label, description, kind });
                    }
                }
            }
        }

        let (name, label, description) = match self.tree {
            Some((f, n)) => (
                self.node(f, n).attr("name").unwrap_or_default().to_string(),
                self.label(f, n),
                self.attribute(f, n, "description").unwrap_or_default(),
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let mut tree = FaultTree::new(TreeId(1), name);
        tree.label = label;
        tree.description = description;
        tree.mission_time = self.mission_time;
        tree.next_id = next;
        tree.elements = elements;
        tree.top = match self.top.clone() {
            Some((f, n, t)) => match ids.get(&t).filter(|_| self.by_name.get(&t).map(|&d| self.defs[d].kind) == Some(Kind::Gate)) {
                Some(&id) => Some(id),
                None => {
                    let line = self.node(f, n).line;
                    self.err(f, line, format!("the top event '{t}' is not a gate of the model"));
                    None
                }
            },
            None => match roots(&tree).as_slice() {
                [one] => tree.by_name(one).map(|e| e.id),
                _ => None,
            },
        };
        tree
    }

    /// A formula (or a bare reference, as a one-argument `or`) as a gate.
    fn formula(
        &mut self,
        file: usize,
        node: usize,
        owner: &str,
        ids: &HashMap<String, ElementId>,
        nested: &HashMap<(usize, usize), ElementId>,
        flavour: Option<&str>,
    ) -> Option<ElementKind> {
        let n = self.node(file, node);
        let (op, line) = (n.name.clone(), n.line);
        if REFERENCES.contains(&op.as_str()) {
            let arg = self.reference(file, node, owner, ids)?;
            return Some(ElementKind::Gate { gate: GateKind::Or, args: vec![arg] });
        }
        let mut gate = match op.as_str() {
            "and" => GateKind::And,
            "or" => GateKind::Or,
            "not" => GateKind::Not,
            "xor" => GateKind::Xor,
            "nand" => GateKind::Nand,
            "nor" => GateKind::Nor,
            "atleast" => match n.attr("min").map(|m| (m.to_string(), m.trim().parse::<u32>())) {
                None => {
                    self.err(file, line, format!("<atleast> without min in gate '{owner}'"));
                    return None;
                }
                Some((m, Err(_))) => {
                    self.err(file, line, format!("bad min '{m}' in <atleast> of gate '{owner}' (expected a whole number)"));
                    return None;
                }
                Some((_, Ok(k))) => GateKind::AtLeast { k },
            },
            _ => {
                self.err(file, line, format!("unsupported <{op}> in gate '{owner}'"));
                return None;
            }
        };
        let flavour = flavour.or(n.attr("flavour")).map(str::to_string);
        let kids: Vec<usize> = n.children.clone();
        let mut args = Vec::with_capacity(kids.len());
        let mut ok = true;
        for c in kids {
            let cn = self.node(file, c);
            if FORMULAS.contains(&cn.name.as_str()) {
                args.push(nested[&(file, c)]);
            } else if REFERENCES.contains(&cn.name.as_str()) {
                match self.reference(file, c, owner, ids) {
                    Some(a) => args.push(a),
                    None => ok = false,
                }
            } else {
                let (name, line) = (cn.name.clone(), cn.line);
                self.err(file, line, format!("unsupported <{name}> in gate '{owner}'"));
                ok = false;
            }
        }
        if gate == GateKind::And && args.len() == 2 && flavour.as_deref() == Some("inhibit") {
            gate = GateKind::Inhibit;
        }
        ok.then_some(ElementKind::Gate { gate, args })
    }

    /// Resolves `<gate name>`, `<basic-event name>`, `<house-event name>` or `<event name>`.
    fn reference(&mut self, file: usize, node: usize, owner: &str, ids: &HashMap<String, ElementId>) -> Option<ElementId> {
        let n = self.node(file, node);
        let (tag, line) = (n.name.clone(), n.line);
        let want = match tag.as_str() {
            "gate" => Some(Kind::Gate),
            "basic-event" => Some(Kind::Basic),
            "house-event" => Some(Kind::House),
            _ => None,
        };
        let word = want.map_or("event", Kind::word);
        let Some(name) = n.attr("name").map(str::to_string) else {
            self.err(file, line, format!("<{tag}> without name in gate '{owner}'"));
            return None;
        };
        let Some(&d) = self.by_name.get(&name) else {
            self.err(file, line, format!("undefined {word} '{name}' in gate '{owner}'"));
            return None;
        };
        let def = &self.defs[d];
        if let Some(w) = want {
            if w != def.kind {
                let (actual, at) = (def.kind.word(), self.place(def.file, def.node));
                self.err(
                    file,
                    line,
                    format!("'{name}' is referenced as a {word} in gate '{owner}' but is a {actual} (defined at {at})"),
                );
                return None;
            }
        }
        if self.aliases.contains_key(&name) {
            return self.alias(&name, ids);
        }
        ids.get(&name).copied()
    }

    /// The element an alias gate stands for, following chains of aliases.
    fn alias(&mut self, name: &str, ids: &HashMap<String, ElementId>) -> Option<ElementId> {
        if let Some(&r) = self.alias_ids.get(name) {
            return r;
        }
        let (file, node) = self.aliases[name];
        if !self.alias_stack.insert(name.to_string()) {
            let line = self.node(file, node).line;
            self.err(file, line, format!("gate '{name}' is defined as itself (through bare references)"));
            self.alias_ids.insert(name.to_string(), None);
            return None;
        }
        let r = self.reference(file, node, name, ids);
        self.alias_stack.remove(name);
        self.alias_ids.insert(name.to_string(), r);
        r
    }

    fn house(&mut self, file: usize, node: usize, what: &str) -> Option<ElementKind> {
        let kids: Vec<usize> = children(&self.docs[file], node).filter(|(_, n)| !is_meta(n)).map(|(c, _)| c).collect();
        let Some(&c) = kids.first() else {
            // MEF: a house event without a value is false.
            return Some(ElementKind::HouseEvent { state: false });
        };
        let n = self.node(file, c);
        let (tag, line) = (n.name.clone(), n.line);
        if tag != "constant" && tag != "bool" {
            self.err(file, line, format!("unsupported <{tag}> in {what} (expected <constant value=\"true|false\"/>)"));
            return None;
        }
        match n.attr("value").map(|v| v.trim().to_string()) {
            Some(v) if v == "true" || v == "1" => Some(ElementKind::HouseEvent { state: true }),
            Some(v) if v == "false" || v == "0" => Some(ElementKind::HouseEvent { state: false }),
            Some(v) => {
                self.err(file, line, format!("bad value '{v}' in <{tag}> of {what} (expected true or false)"));
                None
            }
            None => {
                self.err(file, line, format!("<{tag}> without value in {what}"));
                None
            }
        }
    }

    /// The value of a parameter, evaluated once.
    fn param(&mut self, file: usize, node: usize, name: &str) -> Result<Value, ()> {
        match self.param_state.get(name) {
            Some(ParamState::Done(v)) => return Ok(*v),
            Some(ParamState::Failed) => return Err(()),
            Some(ParamState::InProgress) => {
                let line = self.node(file, node).line;
                self.err(file, line, format!("parameter '{name}' is defined in terms of itself"));
                return Err(());
            }
            None => {}
        }
        self.param_state.insert(name.to_string(), ParamState::InProgress);
        let what = format!("parameter '{name}'");
        let v = match self.body(file, node, &what, "value") {
            Some(e) => self.eval(file, e, &what),
            None => Err(()),
        };
        let state = match v {
            Ok(v) => ParamState::Done(v),
            Err(()) => ParamState::Failed,
        };
        self.param_state.insert(name.to_string(), state);
        v
    }

    fn number(&mut self, file: usize, node: usize, what: &str) -> Result<f64, ()> {
        let n = self.node(file, node);
        let (tag, line) = (n.name.clone(), n.line);
        let Some(v) = n.attr("value").map(str::to_string) else {
            self.err(file, line, format!("<{tag}> without value in {what}"));
            return Err(());
        };
        let parsed = if tag == "int" { v.trim().parse::<i64>().map(|i| i as f64).ok() } else { v.trim().parse::<f64>().ok() };
        parsed.ok_or_else(|| self.err(file, line, format!("bad number '{v}' in <{tag} value> of {what}")))
    }

    /// Evaluates an expression to a number or an exponential law. Errors are reported here.
    fn eval(&mut self, file: usize, node: usize, what: &str) -> Result<Value, ()> {
        let n = self.node(file, node);
        let (tag, line) = (n.name.clone(), n.line);
        let kids: Vec<usize> = n.children.clone();
        match tag.as_str() {
            "float" | "int" => self.number(file, node, what).map(Value::Num),
            "parameter" => {
                let Some(p) = n.attr("name").map(str::to_string) else {
                    self.err(file, line, format!("<parameter> without name in {what}"));
                    return Err(());
                };
                match self.params.get(&p).copied() {
                    Some((f, d)) => self.param(f, d, &p),
                    None if p == MISSION_TIME => self.mission(file, line, what),
                    None => {
                        self.err(file, line, format!("undefined parameter '{p}' in {what}"));
                        Err(())
                    }
                }
            }
            "system-mission-time" => self.mission(file, line, what),
            "exponential" => {
                let [rate, time] = kids.as_slice() else {
                    self.err(file, line, format!("<exponential> needs 2 arguments (rate, time) in {what}, not {}", kids.len()));
                    return Err(());
                };
                let rate = self.num(file, *rate, what, "exponential")?;
                let t = self.node(file, *time);
                let system = t.name == "system-mission-time" || (t.name == "parameter" && t.attr("name") == Some(MISSION_TIME));
                let time = if system { None } else { Some(self.num(file, *time, what, "exponential")?) };
                Ok(Value::Exp(rate, time))
            }
            "mul" | "add" | "sub" | "div" | "neg" => {
                if kids.is_empty() || (tag == "neg" && kids.len() != 1) {
                    let want = if tag == "neg" { "exactly one argument" } else { "arguments" };
                    self.err(file, line, format!("<{tag}> needs {want} in {what}"));
                    return Err(());
                }
                let mut vals = Vec::with_capacity(kids.len());
                for c in kids {
                    vals.push(self.num(file, c, what, &tag)?);
                }
                let first = vals[0];
                let rest = vals[1..].iter().copied();
                Ok(Value::Num(match tag.as_str() {
                    "mul" => vals.iter().product(),
                    "add" => vals.iter().sum(),
                    "neg" => -first,
                    "sub" if vals.len() == 1 => -first,
                    "sub" => rest.fold(first, |a, b| a - b),
                    "div" if vals.len() == 1 => 1.0 / first,
                    _ => rest.fold(first, |a, b| a / b),
                }))
            }
            _ => {
                self.err(file, line, format!("unsupported <{tag}> in {what}"));
                Err(())
            }
        }
    }

    /// An expression that must be a number (not an exponential law).
    fn num(&mut self, file: usize, node: usize, what: &str, inside: &str) -> Result<f64, ()> {
        match self.eval(file, node, what)? {
            Value::Num(x) => Ok(x),
            Value::Exp(..) => {
                let line = self.node(file, node).line;
                self.err(file, line, format!("unsupported <exponential> inside <{inside}> in {what}"));
                Err(())
            }
        }
    }

    fn mission(&mut self, file: usize, line: usize, what: &str) -> Result<Value, ()> {
        match self.mission_time {
            Some(t) => Ok(Value::Num(t)),
            None => {
                self.err(
                    file,
                    line,
                    format!("the system mission time has no value in {what} (only <exponential> may use it when the model does not define it)"),
                );
                Err(())
            }
        }
    }
}
