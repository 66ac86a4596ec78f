//! Cross-document references: every link from one document of a project to another, and whether it resolves.
//!
//! The documents of a project point at each other by id: an FMEA row at a basic event, a fishbone cause at a
//! basic event or a failure mode, a defence layer at its fault tree and at what it covers, a postmortem at its
//! fishbone and its findings at causes and events, an action item at everything it addresses and at what its
//! [`Effect`] changes. [`Project::dangling_references`] walks every one of these links and names each that
//! does not resolve, so that a hand-edited file, a merge or an import can be checked in one call.
//!
//! References *inside* a fault tree (gate arguments, transfers) are the fault-tree validator's business
//! ([`crate::fault_tree::validate`]) and are not repeated here.

use crate::fault_tree::{ElementKind, FaultTree};
use crate::fmea::EventLink;
use crate::project::Project;
use crate::rca::actions::{ActionItem, Effect};
use crate::rca::fishbone::{CauseLink, CauseRef};
use crate::rca::layers::{Covered, LayerId, LayerSetId};
use crate::rca::postmortem::{Finding, FindingId, PostmortemId};
use crate::rca::{EventRef, FmeaRef};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One reference that does not resolve.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DanglingReference {
    /// Where the reference is written, e.g. `FMEA worksheet 1 "Checkout", row 4` or
    /// `action item 7 "Add a canary stage", effect`.
    pub place: String,
    /// What it points at and why that does not resolve, e.g. `fault tree 1 "Outage" has no element 99`.
    pub problem: String,
}

impl fmt::Display for DanglingReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.problem)
    }
}

/// Collects the dangling references of one project.
struct Checker<'a> {
    project: &'a Project,
    out: Vec<DanglingReference>,
}

impl<'a> Checker<'a> {
    fn push(&mut self, place: &str, problem: Result<(), String>) {
        if let Err(problem) = problem {
            self.out.push(DanglingReference { place: place.to_string(), problem });
        }
    }

    fn tree(&self, id: crate::fault_tree::TreeId) -> Result<&'a FaultTree, String> {
        self.project.tree(id).ok_or_else(|| format!("no fault tree with id {}", id.0))
    }

    /// A basic or undeveloped event.
    fn event(&self, r: EventRef) -> Result<(), String> {
        let t = self.tree(r.tree)?;
        let e = t
            .element(r.element)
            .ok_or_else(|| format!("fault tree {} \"{}\" has no element {}", t.id.0, t.name, r.element.0))?;
        match e.kind {
            ElementKind::BasicEvent { .. } | ElementKind::UndevelopedEvent { .. } => Ok(()),
            _ => Err(format!(
                "element {} \"{}\" of fault tree {} \"{}\" is not a basic or undeveloped event",
                e.id.0, e.name, t.id.0, t.name
            )),
        }
    }

    fn fmea_row(&self, r: FmeaRef) -> Result<(), String> {
        let w = self
            .project
            .fmea
            .iter()
            .find(|w| w.id.0 == r.sheet)
            .ok_or_else(|| format!("no FMEA worksheet with id {}", r.sheet))?;
        match w.rows.iter().any(|row| row.id.0 == r.row) {
            true => Ok(()),
            false => Err(format!("FMEA worksheet {} \"{}\" has no row {}", w.id.0, w.name, r.row)),
        }
    }

    fn cause(&self, r: CauseRef) -> Result<(), String> {
        let f = self.project.fishbone(r.fishbone).ok_or_else(|| format!("no fishbone with id {}", r.fishbone.0))?;
        match f.cause(r.cause) {
            Some(_) => Ok(()),
            None => Err(format!("fishbone {} has no cause {}", f.id.0, r.cause.0)),
        }
    }

    fn layer_set(&self, id: LayerSetId) -> Result<&'a crate::rca::layers::LayerSet, String> {
        self.project.layer_set(id).ok_or_else(|| format!("no layer set with id {}", id.0))
    }

    fn layer(&self, set: LayerSetId, layer: LayerId) -> Result<(), String> {
        let s = self.layer_set(set)?;
        match s.layer(layer) {
            Some(_) => Ok(()),
            None => Err(format!("layer set {} \"{}\" has no layer {}", s.id.0, s.name, layer.0)),
        }
    }

    /// What a layer of `set` covers: it must resolve, and a basic event must belong to the set's tree (a
    /// layer over another tree's event intercepts nothing).
    fn covered(&self, set: &crate::rca::layers::LayerSet, c: &Covered) -> Result<(), String> {
        match c {
            Covered::BasicEvent(e) => {
                self.event(*e)?;
                if e.tree != set.tree {
                    return Err(format!(
                        "basic event {} of fault tree {} is not in the layer set's fault tree {}",
                        e.element.0, e.tree.0, set.tree.0
                    ));
                }
                Ok(())
            }
            Covered::FailureMode(f) => self.fmea_row(*f),
        }
    }

    /// A cut set given by event names: every name must be a basic or undeveloped event of one same tree.
    fn cut_set(&self, names: &[String]) -> Result<(), String> {
        let is_event = |t: &FaultTree, n: &String| {
            matches!(
                t.by_name(n).map(|e| &e.kind),
                Some(ElementKind::BasicEvent { .. } | ElementKind::UndevelopedEvent { .. })
            )
        };
        if names.is_empty() {
            return Err("an empty cut set".to_string());
        }
        match self.project.fault_trees.iter().any(|t| names.iter().all(|n| is_event(t, n))) {
            true => Ok(()),
            false => Err(format!("cut set {{{}}}: no fault tree has basic events by all these names", names.join(", "))),
        }
    }

    fn finding(&self, pm: Option<PostmortemId>, id: FindingId) -> Result<(), String> {
        let pm = pm.ok_or_else(|| format!("finding {} named, but the action item belongs to no postmortem", id.0))?;
        let p = self.project.postmortem(pm).ok_or_else(|| format!("no postmortem with id {}", pm.0))?;
        match p.finding(id) {
            Some(_) => Ok(()),
            None => Err(format!("postmortem {} \"{}\" has no root cause or contributing factor {}", p.id.0, p.title, id.0)),
        }
    }

    fn worksheets(&mut self) {
        for w in &self.project.fmea {
            for r in &w.rows {
                if let Some(EventLink { tree, element }) = r.event {
                    let place = format!("FMEA worksheet {} \"{}\", row {}", w.id.0, w.name, r.id.0);
                    let problem = self.event(EventRef { tree, element });
                    self.push(&place, problem);
                }
            }
        }
    }

    fn fishbones(&mut self) {
        for f in &self.project.fishbones {
            for (_, c) in f.walk() {
                let place = format!("fishbone {}, cause {} \"{}\"", f.id.0, c.id.0, c.text);
                for l in &c.links {
                    let problem = match l {
                        CauseLink::BasicEvent(e) => self.event(*e),
                        CauseLink::FailureMode(r) => self.fmea_row(*r),
                    };
                    self.push(&place, problem);
                }
            }
        }
    }

    fn layer_sets(&mut self) {
        for s in &self.project.layer_sets {
            let place = format!("layer set {} \"{}\"", s.id.0, s.name);
            let problem = self.tree(s.tree).map(|_| ());
            self.push(&place, problem);
            for l in &s.layers {
                let place = format!("{place}, layer {} \"{}\"", l.id.0, l.name);
                for c in &l.covers {
                    let problem = self.covered(s, c);
                    self.push(&place, problem);
                }
            }
        }
    }

    fn findings(&mut self, place: &str, findings: &[Finding], what: &str) {
        for f in findings {
            let place = format!("{place}, {what} {}", f.id.0);
            for c in &f.causes {
                let problem = self.cause(*c);
                self.push(&place, problem);
            }
            for e in &f.events {
                let problem = self.event(*e);
                self.push(&place, problem);
            }
        }
    }

    fn postmortems(&mut self) {
        for p in &self.project.postmortems {
            let place = format!("postmortem {} \"{}\"", p.id.0, p.title);
            if let Some(fb) = p.fishbone {
                let problem = self.project.fishbone(fb).map(|_| ()).ok_or_else(|| format!("no fishbone with id {}", fb.0));
                self.push(&place, problem);
            }
            self.findings(&place, &p.root_causes, "root cause");
            self.findings(&place, &p.contributing_factors, "contributing factor");
        }
    }

    fn effect(&mut self, place: &str, effect: &Effect) {
        let place = format!("{place}, effect");
        let problem = match effect {
            Effect::NewLayer { set, layer } => match self.layer_set(*set) {
                Ok(s) => layer.covers.iter().try_for_each(|c| self.covered(s, c)),
                Err(e) => Err(e),
            },
            Effect::StrengthenLayer { set, layer, .. } => self.layer(*set, *layer),
            Effect::EventProbability { event, .. } => self.event(*event),
            Effect::RevisedSod { row, .. } => self.fmea_row(*row),
        };
        self.push(&place, problem);
    }

    fn action(&mut self, a: &ActionItem) {
        let place = format!("action item {} \"{}\"", a.id.0, a.title);
        if let Some(pm) = a.postmortem {
            let problem = self.project.postmortem(pm).map(|_| ()).ok_or_else(|| format!("no postmortem with id {}", pm.0));
            self.push(&place, problem);
        }
        let l = &a.links;
        let mut problems: Vec<Result<(), String>> = Vec::new();
        problems.extend(l.events.iter().map(|e| self.event(*e)));
        problems.extend(l.cut_sets.iter().map(|c| self.cut_set(c)));
        problems.extend(l.fmea_rows.iter().map(|r| self.fmea_row(*r)));
        problems.extend(l.causes.iter().map(|c| self.cause(*c)));
        problems.extend(l.layers.iter().map(|(s, id)| self.layer(*s, *id)));
        problems.extend(l.findings.iter().map(|f| self.finding(a.postmortem, *f)));
        for problem in problems {
            self.push(&place, problem);
        }
        if let Some(effect) = &a.effect {
            self.effect(&place, effect);
        }
    }
}

impl Project {
    /// Every cross-document reference of the project that does not resolve: FMEA rows' basic events, fishbone
    /// causes' events and failure modes, layer sets' trees and covered events or failure modes (a covered
    /// event must be in the set's own tree), postmortems' fishbones and their findings' causes and events,
    /// and action items' postmortems, links (events, cut sets by event names, FMEA rows, causes, layers,
    /// findings of their own postmortem) and effects.
    ///
    /// A reference to a basic event must name a basic or undeveloped event, not a gate. A cut set resolves when
    /// one fault tree has basic events by all its names (whether it is a *minimal* cut set needs an analysis and
    /// is not checked here).
    ///
    /// Returns the problems in document order (worksheets, fishbones, layer sets, postmortems, action items),
    /// each naming its place; empty when every reference resolves.
    ///
    /// Complexity: O(R · D) for R references and D documents (or rows, causes, elements) searched per lookup;
    /// no analysis is run.
    pub fn dangling_references(&self) -> Vec<DanglingReference> {
        let mut c = Checker { project: self, out: Vec::new() };
        c.worksheets();
        c.fishbones();
        c.layer_sets();
        c.postmortems();
        for a in &self.action_items {
            c.action(a);
        }
        c.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault_tree::{ElementId, GateKind, TreeId};
    use crate::fmea::{Rating, Row, Worksheet, WorksheetId};
    use crate::rca::actions::{ActionId, ActionLinks};
    use crate::rca::fishbone::{CategorySet, CauseId, Fishbone, FishboneId};
    use crate::rca::layers::{Layer, LayerSet};
    use crate::rca::postmortem::Postmortem;

    /// A small project in which every kind of reference resolves: TOP = OR(AND(A, B), C) in tree 1, one FMEA
    /// row linked to A, a fishbone cause linked to B and to the row, a layer set covering C and the row, a
    /// postmortem with a root cause, and an action item linking to all of them with an effect.
    fn linked() -> Project {
        let mut t = FaultTree::new(TreeId(1), "Outage");
        let a = t.add_basic("A", 0.1);
        let b = t.add_basic("B", 0.2);
        let c = t.add_basic("C", 0.01);
        let g = t.add_gate("G1", GateKind::And, vec![a, b]);
        t.top = Some(t.add_gate("TOP", GateKind::Or, vec![g, c]));
        let ev = |e| EventRef { tree: TreeId(1), element: e };
        let mut p = Project::new("linked");
        p.fault_trees.push(t);
        let mut w = Worksheet::new(WorksheetId(2), "Service");
        let r = |v| Rating::new(crate::fmea::RatingKind::Rating, v).unwrap();
        let mut row = Row::new("A", r(7), r(4), r(5));
        row.event = Some(EventLink { tree: TreeId(1), element: a });
        let row = w.add_row(row);
        p.fmea.push(w);
        let fm = FmeaRef { sheet: 2, row: row.0 };
        let mut fb = Fishbone::new(FishboneId(3), "Outage", CategorySet::default());
        let cause = fb.add_cause(None, "Technology", "B").unwrap();
        fb.cause_mut(cause).unwrap().links = vec![CauseLink::BasicEvent(ev(b)), CauseLink::FailureMode(fm)];
        p.fishbones.push(fb);
        let layer = |id, covers| Layer { id: LayerId(id), name: format!("L{id}"), effectiveness: 0.5, covers, ..Default::default() };
        p.layer_sets.push(LayerSet {
            id: LayerSetId(4),
            name: "Defences".into(),
            tree: TreeId(1),
            layers: vec![layer(1, vec![Covered::BasicEvent(ev(c)), Covered::FailureMode(fm)])],
        });
        let cref = CauseRef { fishbone: FishboneId(3), cause };
        p.postmortems.push(Postmortem {
            id: PostmortemId(5),
            title: "Outage".into(),
            fishbone: Some(FishboneId(3)),
            root_causes: vec![Finding { id: FindingId(1), text: "B".into(), causes: vec![cref], events: vec![ev(b)] }],
            ..Default::default()
        });
        p.action_items.push(ActionItem {
            id: ActionId(6),
            title: "Add a check".into(),
            postmortem: Some(PostmortemId(5)),
            links: ActionLinks {
                events: vec![ev(a)],
                cut_sets: vec![vec!["A".into(), "B".into()]],
                fmea_rows: vec![fm],
                causes: vec![cref],
                layers: vec![(LayerSetId(4), LayerId(1))],
                findings: vec![FindingId(1)],
            },
            effect: Some(Effect::StrengthenLayer { set: LayerSetId(4), layer: LayerId(1), effectiveness: 0.9 }),
            ..Default::default()
        });
        p
    }

    fn problems(p: &Project) -> Vec<String> {
        p.dangling_references().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_fully_linked_project_has_no_dangling_reference() {
        assert_eq!(problems(&linked()), Vec::<String>::new());
    }

    #[test]
    fn every_kind_of_broken_reference_is_named_with_its_place() {
        let mut p = linked();
        let gate = p.fault_trees[0].by_name("G1").unwrap().id;
        p.fmea[0].rows[0].event = Some(EventLink { tree: TreeId(1), element: ElementId(99) });
        let cause = &mut p.fishbones[0].causes[0];
        cause.links = vec![
            CauseLink::BasicEvent(EventRef { tree: TreeId(1), element: gate }),
            CauseLink::FailureMode(FmeaRef { sheet: 2, row: 42 }),
        ];
        p.layer_sets[0].layers[0].covers.push(Covered::BasicEvent(EventRef { tree: TreeId(8), element: ElementId(1) }));
        p.postmortems[0].fishbone = Some(FishboneId(30));
        p.postmortems[0].root_causes[0].causes = vec![CauseRef { fishbone: FishboneId(3), cause: CauseId(77) }];
        let a = &mut p.action_items[0];
        a.links.cut_sets = vec![vec!["A".into(), "Nope".into()]];
        a.links.fmea_rows = vec![FmeaRef { sheet: 9, row: 1 }];
        a.links.layers = vec![(LayerSetId(4), LayerId(5))];
        a.links.findings = vec![FindingId(8)];
        a.effect = Some(Effect::EventProbability { event: EventRef { tree: TreeId(2), element: ElementId(1) }, p: 0.1 });
        let got = problems(&p);
        let want = [
            "FMEA worksheet 2 \"Service\", row 1: fault tree 1 \"Outage\" has no element 99",
            &format!("fishbone 3, cause 1 \"B\": element {} \"G1\" of fault tree 1 \"Outage\" is not a basic or undeveloped event", gate.0),
            "fishbone 3, cause 1 \"B\": FMEA worksheet 2 \"Service\" has no row 42",
            "layer set 4 \"Defences\", layer 1 \"L1\": no fault tree with id 8",
            "postmortem 5 \"Outage\": no fishbone with id 30",
            "postmortem 5 \"Outage\", root cause 1: fishbone 3 has no cause 77",
            "action item 6 \"Add a check\": cut set {A, Nope}: no fault tree has basic events by all these names",
            "action item 6 \"Add a check\": no FMEA worksheet with id 9",
            "action item 6 \"Add a check\": layer set 4 \"Defences\" has no layer 5",
            "action item 6 \"Add a check\": postmortem 5 \"Outage\" has no root cause or contributing factor 8",
            "action item 6 \"Add a check\", effect: no fault tree with id 2",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn references_to_missing_documents_and_foreign_trees() {
        let mut p = linked();
        // A second tree: a layer over one of its events sits in front of the wrong top event.
        let mut other = FaultTree::new(TreeId(2), "Other");
        let x = other.add_basic("X", 0.1);
        other.top = Some(x);
        p.fault_trees.push(other);
        p.layer_sets[0].layers[0].covers = vec![Covered::BasicEvent(EventRef { tree: TreeId(2), element: x })];
        p.fmea.clear();
        p.postmortems.clear();
        p.action_items[0].effect = Some(Effect::NewLayer {
            set: LayerSetId(4),
            layer: Layer { covers: vec![Covered::FailureMode(FmeaRef { sheet: 2, row: 1 })], ..Default::default() },
        });
        p.action_items[0].links = ActionLinks { findings: vec![FindingId(1)], ..Default::default() };
        let mut orphan = p.action_items[0].clone();
        orphan.id = ActionId(7);
        orphan.postmortem = None;
        orphan.effect = Some(Effect::RevisedSod { row: FmeaRef { sheet: 2, row: 1 }, severity: 5, occurrence: 2, detection: 2 });
        p.action_items.push(orphan);
        p.layer_sets.push(LayerSet { id: LayerSetId(9), name: "Gone".into(), tree: TreeId(5), layers: vec![] });
        let got = problems(&p);
        let want = [
            "fishbone 3, cause 1 \"B\": no FMEA worksheet with id 2",
            "layer set 4 \"Defences\", layer 1 \"L1\": basic event 1 of fault tree 2 is not in the layer set's fault tree 1",
            "layer set 9 \"Gone\": no fault tree with id 5",
            "action item 6 \"Add a check\": no postmortem with id 5",
            "action item 6 \"Add a check\": no postmortem with id 5",
            "action item 6 \"Add a check\", effect: no FMEA worksheet with id 2",
            "action item 7 \"Add a check\": finding 1 named, but the action item belongs to no postmortem",
            "action item 7 \"Add a check\", effect: no FMEA worksheet with id 2",
        ];
        assert_eq!(got, want);
    }
}
