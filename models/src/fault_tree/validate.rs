//! Validation of fault-tree documents into an analysable [`ValidTree`].
//!
//! [`validate`] reports every problem at once, each naming the tree and the elements involved, and returns a
//! [`ValidTree`] only when there is no error. A `ValidTree` is the flattened logic under one top event (transfers
//! resolved, events merged by name, probabilities computed), so analysis takes it and cannot fail.

use super::{ElementId, ElementKind, FaultTree, GateKind, Probability, TreeId};
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// How serious a [`Problem`] is. Errors block analysis; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem, as a stable code for the UI and scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    NoTop,
    Cycle,
    UndefinedReference,
    WrongArity,
    VoteThreshold,
    ProbabilityOutOfRange,
    NegativeRate,
    MissingMissionTime,
    DuplicateName,
    DuplicateId,
    ConflictingDefinition,
    Unreachable,
}

/// One validation finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    pub kind: ProblemKind,
    /// The tree the elements belong to.
    pub tree: String,
    /// The elements involved, in the order the message names them.
    pub elements: Vec<ElementId>,
    /// A sentence naming the elements.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: fault tree '{}': {}", self.tree, self.message)
    }
}

/// An argument of a gate in a [`ValidTree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Arg {
    /// A basic or undeveloped event, by index into [`ValidTree::events`].
    Event(usize),
    /// A gate, by index into [`ValidTree::gates`].
    Gate(usize),
    /// A house event's state.
    Const(bool),
}

/// A basic (or undeveloped) event of a [`ValidTree`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidEvent {
    pub name: String,
    /// Its probability, in `[0, 1]`.
    pub p: f64,
    pub undeveloped: bool,
    /// Where it is defined (the first definition, when several trees share it).
    pub tree: TreeId,
    pub id: ElementId,
}

/// A gate of a [`ValidTree`]. Its arguments come before it in [`ValidTree::gates`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidGate {
    pub name: String,
    pub kind: GateKind,
    pub args: Vec<Arg>,
    pub tree: TreeId,
    pub id: ElementId,
}

/// The logic under one top event, checked and flattened: what every analysis takes.
///
/// Invariants: gates are in topological order (every argument of `gates[i]` is an event, a constant or a gate
/// `gates[j]` with `j < i`); arities and vote thresholds are consistent; every probability is in `[0, 1]`; event
/// names are unique.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidTree {
    /// The top event's name.
    pub top_name: String,
    pub top: Arg,
    pub events: Vec<ValidEvent>,
    pub gates: Vec<ValidGate>,
}

impl ValidTree {
    /// Whether the logic is coherent (no NOT, XOR, NAND or NOR under the top).
    pub fn is_coherent(&self) -> bool {
        self.gates.iter().all(|g| g.kind.is_coherent())
    }

    /// The logic under `top` (an argument of this tree), with each gate of `as_events` replaced by a basic
    /// event of the gate's name and the given probability: what is no longer reachable is dropped, the rest
    /// keeps its order. The replacing events come after the others, in the order of `as_events`. Used to
    /// analyse a module on its own, and the tree around a module whose diagram is out of reach. O(size).
    pub fn restricted(&self, top: Arg, as_events: &[(usize, f64)]) -> ValidTree {
        let mut gate_map = vec![usize::MAX; self.gates.len()];
        let mut event_map = vec![usize::MAX; self.events.len()];
        let mut replaced = vec![None; self.gates.len()];
        for (k, &(g, _)) in as_events.iter().enumerate() {
            replaced[g] = Some(k);
        }
        // Reachability from the top, a replaced gate being a leaf.
        let mut reached_gate = vec![false; self.gates.len()];
        let mut reached_event = vec![false; self.events.len()];
        let mut stack = vec![top];
        while let Some(a) = stack.pop() {
            match a {
                Arg::Event(e) => reached_event[e] = true,
                Arg::Gate(g) if !reached_gate[g] => {
                    reached_gate[g] = true;
                    if replaced[g].is_none() {
                        stack.extend(self.gates[g].args.iter().copied());
                    }
                }
                _ => {}
            }
        }
        let mut events: Vec<ValidEvent> = Vec::new();
        for (i, e) in self.events.iter().enumerate() {
            if reached_event[i] {
                event_map[i] = events.len();
                events.push(e.clone());
            }
        }
        let pseudo: Vec<usize> = as_events
            .iter()
            .map(|&(g, p)| {
                let gate = &self.gates[g];
                events.push(ValidEvent { name: gate.name.clone(), p, undeveloped: true, tree: gate.tree, id: gate.id });
                events.len() - 1
            })
            .collect();
        let map = |a: Arg, gate_map: &[usize]| match a {
            Arg::Event(e) => Arg::Event(event_map[e]),
            Arg::Gate(g) => match replaced[g] {
                Some(k) => Arg::Event(pseudo[k]),
                None => Arg::Gate(gate_map[g]),
            },
            c => c,
        };
        let mut gates: Vec<ValidGate> = Vec::new();
        for (i, g) in self.gates.iter().enumerate() {
            if reached_gate[i] && replaced[i].is_none() {
                let args = g.args.iter().map(|&a| map(a, &gate_map)).collect();
                gate_map[i] = gates.len();
                gates.push(ValidGate { args, ..g.clone() });
            }
        }
        let top_name = match top {
            Arg::Gate(g) => self.gates[g].name.clone(),
            Arg::Event(e) => self.events[e].name.clone(),
            Arg::Const(_) => self.top_name.clone(),
        };
        ValidTree { top_name, top: map(top, &gate_map), events, gates }
    }

    /// The index of the event with this name.
    pub fn event_index(&self, name: &str) -> Option<usize> {
        self.events.iter().position(|e| e.name == name)
    }

    /// Evaluates the top event for one assignment of the events (`failed[i]` for `events[i]`), through
    /// [`ValidTree::eval_lanes`]. O(arguments + Σ k·n over the votes).
    pub fn eval(&self, failed: &[bool]) -> bool {
        let masks: Vec<u64> = failed.iter().map(|&f| if f { !0 } else { 0 }).collect();
        self.eval_lanes(&masks, &mut Lanes::default()) & 1 == 1
    }

    /// Evaluates the top event for 64 assignments at once: bit l of `failed[i]` is the state of `events[i]`
    /// in assignment l (set: it fails), and bit l of the result is the top event's. Each gate is one
    /// bitwise operation per argument; a k-out-of-n vote counts with the recurrence "at least j of the
    /// arguments so far", n·k operations. `lanes` holds the buffers, reused across calls.
    /// O(arguments + Σ k·n over the votes) time, O(gates + the largest k) memory. The Monte Carlo sampler
    /// and the brute-force oracle both evaluate through it; the engine's property tests check the oracle,
    /// hence this, against the BDDs.
    pub fn eval_lanes(&self, failed: &[u64], lanes: &mut Lanes) -> u64 {
        let Lanes { value, row } = lanes;
        value.resize(self.gates.len(), 0);
        let arg = |value: &[u64], a: Arg| match a {
            Arg::Event(e) => failed[e],
            Arg::Gate(g) => value[g],
            Arg::Const(true) => !0,
            Arg::Const(false) => 0,
        };
        for (gi, g) in self.gates.iter().enumerate() {
            let v = match g.kind {
                GateKind::And | GateKind::Inhibit => g.args.iter().fold(!0, |acc, &a| acc & arg(value, a)),
                GateKind::Nand => !g.args.iter().fold(!0, |acc, &a| acc & arg(value, a)),
                GateKind::Or => g.args.iter().fold(0, |acc, &a| acc | arg(value, a)),
                GateKind::Nor => !g.args.iter().fold(0, |acc, &a| acc | arg(value, a)),
                GateKind::Xor => g.args.iter().fold(0, |acc, &a| acc ^ arg(value, a)),
                GateKind::Not => !arg(value, g.args[0]),
                GateKind::AtLeast { k } => {
                    // row[j]: the lanes where at least j of the arguments so far are true.
                    let k = k as usize;
                    row.clear();
                    row.push(!0);
                    row.resize(k + 1, 0);
                    for &a in &g.args {
                        let x = arg(value, a);
                        for j in (1..=k).rev() {
                            row[j] |= row[j - 1] & x;
                        }
                    }
                    row[k]
                }
            };
            value[gi] = v;
        }
        arg(value, self.top)
    }
}

/// The buffers of [`ValidTree::eval_lanes`]: a gate's value per gate, and a vote's counts.
#[derive(Clone, Debug, Default)]
pub struct Lanes {
    value: Vec<u64>,
    row: Vec<u64>,
}

/// What [`validate`] found.
#[derive(Clone, Debug, Default)]
pub struct Validation {
    /// Every error and warning, errors first.
    pub problems: Vec<Problem>,
    /// The analysable tree, present exactly when there is no error.
    pub valid: Option<ValidTree>,
}

impl Validation {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }

    /// The valid tree, or every problem (errors and warnings) when there is an error.
    pub fn into_result(self) -> Result<ValidTree, Vec<Problem>> {
        self.valid.ok_or(self.problems)
    }
}

/// Options of [`validate`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ValidateOptions {
    /// Replaces every tree's default mission time (hours) for events given by a failure rate.
    pub mission_time: Option<f64>,
}

/// Checks one tree of a project and flattens the logic under its top event.
///
/// `project` holds the other trees that transfers may reference (it may include `tree` itself, or be empty).
/// Reports, all at once: a missing top, cycles (with their path, also through transfers), undefined references,
/// wrong arity, `k > n` (and `k < 1`), probabilities outside `[0, 1]`, negative rates, missing mission times,
/// duplicate names and ids, conflicting definitions of a shared event, and (as warnings) unreachable elements.
///
/// Complexity: O(E + A) for E elements and A gate arguments of the trees involved, plus hashing.
pub fn validate(tree: &FaultTree, project: &[FaultTree], options: ValidateOptions) -> Validation {
    let mut problems = Vec::new();
    let trees: HashMap<TreeId, &FaultTree> =
        project.iter().chain(std::iter::once(tree)).map(|t| (t.id, t)).collect();
    // The tree itself wins over a stale copy in `project`.
    let mut trees = trees;
    trees.insert(tree.id, tree);

    check_local(tree, &trees, options, &mut problems);
    // Trees reached through transfers are checked too, so their problems are named.
    let mut seen = HashSet::from([tree.id]);
    let mut queue = transfer_targets(tree);
    while let Some(t) = queue.pop() {
        if seen.insert(t) {
            if let Some(other) = trees.get(&t) {
                check_local(other, &trees, options, &mut problems);
                queue.extend(transfer_targets(other));
            }
        }
    }

    let has_errors = problems.iter().any(|p| p.severity == Severity::Error);
    let valid = if has_errors { None } else { flatten(tree, &trees, options, &mut problems) };
    problems.sort_by_key(|p| p.severity);
    Validation { problems, valid }
}

fn transfer_targets(tree: &FaultTree) -> Vec<TreeId> {
    tree.elements
        .iter()
        .filter_map(|e| match e.kind {
            ElementKind::Transfer { tree, .. } => Some(tree),
            _ => None,
        })
        .collect()
}

fn problem(severity: Severity, kind: ProblemKind, tree: &FaultTree, elements: Vec<ElementId>, message: String) -> Problem {
    Problem { severity, kind, tree: tree.name.clone(), elements, message }
}

/// The checks that need only one tree (and the names of the others, for transfers).
fn check_local(tree: &FaultTree, trees: &HashMap<TreeId, &FaultTree>, options: ValidateOptions, out: &mut Vec<Problem>) {
    use ProblemKind::*;
    use Severity::*;
    let err = |kind, els: Vec<ElementId>, msg: String| problem(Error, kind, tree, els, msg);

    // Ids and names.
    let mut by_id: HashMap<ElementId, usize> = HashMap::new();
    let mut by_name: HashMap<&str, ElementId> = HashMap::new();
    for (i, e) in tree.elements.iter().enumerate() {
        if let Some(&j) = by_id.get(&e.id) {
            out.push(err(
                DuplicateId,
                vec![e.id],
                format!("'{}' and '{}' have the same id {}", tree.elements[j].name, e.name, e.id),
            ));
        } else {
            by_id.insert(e.id, i);
        }
        if e.name.trim().is_empty() {
            out.push(err(UndefinedReference, vec![e.id], format!("element {} has no name", e.id)));
        } else if let Some(&other) = by_name.get(e.name.as_str()) {
            out.push(err(DuplicateName, vec![other, e.id], format!("the name '{}' is used by two elements", e.name)));
        } else {
            by_name.insert(&e.name, e.id);
        }
    }
    let name_of = |id: ElementId| by_id.get(&id).map(|&i| tree.elements[i].name.as_str());

    // Top.
    match tree.top {
        None => out.push(err(NoTop, vec![], "the tree has no top event".into())),
        Some(t) if name_of(t).is_none() => {
            out.push(err(UndefinedReference, vec![t], format!("the top event {t} is not an element of the tree")))
        }
        Some(_) => {}
    }

    let mission = options.mission_time.or(tree.mission_time);
    for e in &tree.elements {
        match &e.kind {
            ElementKind::Gate { gate, args } => {
                for a in args {
                    if name_of(*a).is_none() {
                        out.push(err(
                            UndefinedReference,
                            vec![e.id, *a],
                            format!("gate '{}' refers to {a}, which is not defined", e.name),
                        ));
                    }
                }
                let n = args.len();
                let arity = match gate {
                    GateKind::Not => (n != 1).then(|| "exactly one argument".to_string()),
                    GateKind::Inhibit => {
                        (n != 2).then(|| "exactly two arguments (the input, then the condition)".to_string())
                    }
                    _ => (n < 1).then(|| "at least one argument".to_string()),
                };
                if n == 1 && !matches!(gate, GateKind::Not | GateKind::Inhibit) {
                    // MEF allows it (a gate that only renames its argument); worth a look in an editor.
                    out.push(problem(
                        Warning,
                        WrongArity,
                        tree,
                        vec![e.id],
                        format!("{} gate '{}' has one argument; it passes it through", gate.name(), e.name),
                    ));
                }
                if let Some(want) = arity {
                    out.push(err(
                        WrongArity,
                        vec![e.id],
                        format!("{} gate '{}' has {n} argument{}; it needs {want}", gate.name(), e.name, plural(n)),
                    ));
                }
                if let GateKind::AtLeast { k } = *gate {
                    if k as usize > n {
                        out.push(err(
                            VoteThreshold,
                            vec![e.id],
                            format!("vote gate '{}' needs {k} of {n} arguments: k is greater than n", e.name),
                        ));
                    } else if k < 1 {
                        out.push(err(VoteThreshold, vec![e.id], format!("vote gate '{}' has k = 0; k must be at least 1", e.name)));
                    }
                }
            }
            ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => {
                match *probability {
                    Probability::Fixed { p } => {
                        if !(0.0..=1.0).contains(&p) {
                            out.push(err(
                                ProbabilityOutOfRange,
                                vec![e.id],
                                format!("event '{}' has probability {p}, outside [0, 1]", e.name),
                            ));
                        }
                    }
                    Probability::Exponential { rate, mission_time } => {
                        if !(rate >= 0.0 && rate.is_finite()) {
                            out.push(err(
                                NegativeRate,
                                vec![e.id],
                                format!("event '{}' has failure rate {rate} per hour; it must be finite and not negative", e.name),
                            ));
                        }
                        match mission_time.or(mission) {
                            None => out.push(err(
                                MissingMissionTime,
                                vec![e.id],
                                format!("event '{}' has a failure rate but no mission time (set one on the event or the tree)", e.name),
                            )),
                            Some(t) if !(t >= 0.0 && t.is_finite()) => out.push(err(
                                NegativeRate,
                                vec![e.id],
                                format!("event '{}' has mission time {t} hours; it must be finite and not negative", e.name),
                            )),
                            Some(_) => {}
                        }
                    }
                }
            }
            ElementKind::HouseEvent { .. } => {}
            ElementKind::Transfer { tree: t, gate } => match trees.get(t) {
                None => out.push(err(
                    UndefinedReference,
                    vec![e.id],
                    format!("transfer '{}' refers to fault tree {}, which is not in the project", e.name, t.0),
                )),
                Some(target) => {
                    let g = gate.or(target.top);
                    let ok = g.and_then(|g| target.element(g)).is_some();
                    if !ok {
                        out.push(err(
                            UndefinedReference,
                            vec![e.id],
                            format!("transfer '{}' refers to a gate that fault tree '{}' does not have", e.name, target.name),
                        ));
                    }
                }
            },
        }
    }

    // Cycles, through petgraph's strongly connected components.
    let mut graph: StableDiGraph<ElementId, ()> = StableDiGraph::new();
    let mut node: HashMap<ElementId, NodeIndex> = HashMap::new();
    for e in &tree.elements {
        node.entry(e.id).or_insert_with(|| graph.add_node(e.id));
    }
    for e in &tree.elements {
        if let ElementKind::Gate { args, .. } = &e.kind {
            for a in args {
                if let Some(&to) = node.get(a) {
                    graph.add_edge(node[&e.id], to, ());
                }
            }
        }
    }
    for scc in petgraph::algo::tarjan_scc(&graph) {
        let self_loop = scc.len() == 1 && graph.contains_edge(scc[0], scc[0]);
        if scc.len() > 1 || self_loop {
            let path = cycle_path(&graph, &scc);
            let names: Vec<&str> = path.iter().map(|&n| name_of(graph[n]).unwrap_or("?")).collect();
            out.push(err(
                Cycle,
                path.iter().map(|&n| graph[n]).collect(),
                format!("cycle: {} -> {}", names.join(" -> "), names[0]),
            ));
        }
    }

    // Unreachable elements (a warning).
    if let Some(top) = tree.top.and_then(|t| node.get(&t)) {
        let mut dfs = petgraph::visit::Dfs::new(&graph, *top);
        let mut reached = HashSet::new();
        while let Some(n) = dfs.next(&graph) {
            reached.insert(graph[n]);
        }
        for e in &tree.elements {
            if !reached.contains(&e.id) {
                out.push(problem(
                    Warning,
                    Unreachable,
                    tree,
                    vec![e.id],
                    format!("'{}' is not under the top event '{}'", e.name, name_of(tree.top.unwrap()).unwrap_or("?")),
                ));
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A cycle through the nodes of one strongly connected component, as a path whose last node leads to the first.
fn cycle_path(graph: &StableDiGraph<ElementId, ()>, scc: &[NodeIndex]) -> Vec<NodeIndex> {
    let members: HashSet<NodeIndex> = scc.iter().copied().collect();
    let start = *scc.iter().min_by_key(|&&n| graph[n]).unwrap();
    // Breadth-first from start inside the component back to start: the shortest cycle through it.
    let mut prev: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for m in graph.neighbors(n) {
            if m == start {
                let mut path = vec![n];
                let mut cur = n;
                while cur != start {
                    cur = prev[&cur];
                    path.push(cur);
                }
                path.reverse();
                path.dedup();
                return path;
            }
            if members.contains(&m) && !prev.contains_key(&m) {
                prev.insert(m, n);
                queue.push_back(m);
            }
        }
    }
    vec![start]
}

/// Flattens the logic under the top of `tree`, resolving transfers and merging events by name.
/// Reports cycles through transfers and conflicting event definitions; returns `None` if there are any.
fn flatten(
    tree: &FaultTree,
    trees: &HashMap<TreeId, &FaultTree>,
    options: ValidateOptions,
    out: &mut Vec<Problem>,
) -> Option<ValidTree> {
    let mut f = Flattener {
        trees,
        options,
        events: Vec::new(),
        event_by_name: HashMap::new(),
        gates: Vec::new(),
        done: HashMap::new(),
        on_stack: Vec::new(),
        stack_position: HashMap::new(),
        gate_names: HashSet::new(),
        errors: Vec::new(),
    };
    let top_id = tree.top?;
    let top = f.visit(tree, top_id);
    if !f.errors.is_empty() {
        out.extend(f.errors);
        return None;
    }
    let top_name = tree.element(top_id).map(|e| e.name.clone()).unwrap_or_default();
    Some(ValidTree { top_name, top: top?, events: f.events, gates: f.gates })
}

struct Flattener<'a> {
    trees: &'a HashMap<TreeId, &'a FaultTree>,
    options: ValidateOptions,
    events: Vec<ValidEvent>,
    event_by_name: HashMap<String, usize>,
    gates: Vec<ValidGate>,
    done: HashMap<(TreeId, ElementId), Arg>,
    on_stack: Vec<(TreeId, ElementId)>,
    /// The position of each element of `on_stack` in it, so that a cycle is found in O(1), not O(depth).
    stack_position: HashMap<(TreeId, ElementId), usize>,
    gate_names: HashSet<String>,
    errors: Vec<Problem>,
}

impl Flattener<'_> {
    fn visit(&mut self, tree: &FaultTree, id: ElementId) -> Option<Arg> {
        let key = (tree.id, id);
        if let Some(&a) = self.done.get(&key) {
            return Some(a);
        }
        if let Some(&pos) = self.stack_position.get(&key) {
            // Only reachable through transfers: cycles inside one tree were reported before.
            let path: Vec<String> = self.on_stack[pos..]
                .iter()
                .map(|(t, e)| {
                    let t = self.trees[t];
                    format!("{}/{}", t.name, t.element(*e).map(|e| e.name.as_str()).unwrap_or("?"))
                })
                .collect();
            self.errors.push(problem(
                Severity::Error,
                ProblemKind::Cycle,
                tree,
                vec![id],
                format!("cycle through transfers: {} -> {}", path.join(" -> "), path[0]),
            ));
            return None;
        }
        let e = tree.element(id)?;
        self.stack_position.insert(key, self.on_stack.len());
        self.on_stack.push(key);
        let arg = match &e.kind {
            ElementKind::Gate { gate, args } => {
                let mut flat = Vec::with_capacity(args.len());
                for &a in args {
                    flat.push(self.visit(tree, a));
                }
                let flat: Option<Vec<Arg>> = flat.into_iter().collect();
                flat.map(|args| {
                    let mut name = e.name.clone();
                    if !self.gate_names.insert(name.clone()) {
                        name = format!("{}/{}", tree.name, e.name);
                        self.gate_names.insert(name.clone());
                    }
                    self.gates.push(ValidGate { name, kind: *gate, args, tree: tree.id, id: e.id });
                    Arg::Gate(self.gates.len() - 1)
                })
            }
            ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => {
                let mission = self.options.mission_time.or(tree.mission_time);
                let p = probability.value(mission).unwrap_or(f64::NAN);
                let undeveloped = matches!(e.kind, ElementKind::UndevelopedEvent { .. });
                match self.event_by_name.get(&e.name) {
                    Some(&i) => {
                        let first = &self.events[i];
                        if first.p != p && !(first.p.is_nan() && p.is_nan()) {
                            let msg = format!(
                                "event '{}' is defined with probability {} in '{}' and {} in '{}'",
                                e.name, first.p, self.trees[&first.tree].name, p, tree.name
                            );
                            self.errors.push(problem(Severity::Error, ProblemKind::ConflictingDefinition, tree, vec![e.id], msg));
                        }
                        Some(Arg::Event(i))
                    }
                    None => {
                        self.events.push(ValidEvent { name: e.name.clone(), p, undeveloped, tree: tree.id, id: e.id });
                        self.event_by_name.insert(e.name.clone(), self.events.len() - 1);
                        Some(Arg::Event(self.events.len() - 1))
                    }
                }
            }
            ElementKind::HouseEvent { state } => Some(Arg::Const(*state)),
            ElementKind::Transfer { tree: t, gate } => {
                let target = self.trees.get(t).copied();
                target.and_then(|target| {
                    let g = gate.or(target.top)?;
                    self.visit(target, g)
                })
            }
        };
        self.on_stack.pop();
        self.stack_position.remove(&key);
        if let Some(a) = arg {
            self.done.insert(key, a);
        }
        arg
    }
}
