//! Tests of the sample models: every document kind present, linked and meaningful, and the merged project.

use super::*;
use crate::analysis::Options;
use crate::fault_tree::validate::Severity;
use crate::fault_tree::{ElementKind, GateKind, Probability};
use crate::fmea::{action_priority, Ap};
use crate::rca::actions::{title_hint, ActionStatus};
use crate::rca::checks::{blameless_hints, definition_of_done, DodRule, DEFAULT_SLA_DAYS};
use crate::rca::layers::Covered;
use std::collections::{BTreeSet, HashSet};
use time::macros::date;
use time::Date;

/// "Today" for the date-dependent checks (overdue items): the models have no clock.
const TODAY: Date = date!(2026 - 11 - 21);

#[test]
fn every_sample_validates_without_errors_and_analyses() {
    let mut has_vote_or_inhibit = false;
    for (slug, project) in all() {
        assert_eq!(project.fault_trees.len(), 1, "{slug}");
        let tree = &project.fault_trees[0];
        assert!((10..=30).contains(&tree.elements.len()), "{slug}: {} elements", tree.elements.len());
        let validation = project.validate_tree(tree.id, Default::default()).unwrap();
        let errors: Vec<_> = validation.problems.iter().filter(|p| p.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{slug}: {errors:?}");
        let (_, analysis) = project.analyze_tree(tree.id, &Options::default()).unwrap();
        let p = analysis.probability.exact.unwrap();
        assert!(p > 0.0 && p < 1.0, "{slug}: P(top) = {p}");
        assert!(analysis.cut_set_count > 0, "{slug}");
        // Every element has a label and a description.
        for e in &tree.elements {
            assert!(!e.label.is_empty() && !e.description.is_empty(), "{slug}: {}", e.name);
        }
        // Shared events: some element is an argument of two gates.
        assert!(tree.elements.iter().any(|e| tree.parents_of(e.id).count() > 1), "{slug} has no shared event");
        has_vote_or_inhibit |= tree.elements.iter().any(|e| {
            matches!(e.kind, ElementKind::Gate { gate: GateKind::AtLeast { .. } | GateKind::Inhibit, .. })
        });
        assert!(
            tree.elements.iter().any(|e| matches!(
                e.kind,
                ElementKind::BasicEvent { probability: Probability::Exponential { .. } }
            )),
            "{slug} has no event given by a failure rate"
        );
    }
    assert!(has_vote_or_inhibit);
}

/// The one document of each kind in a sample, after checking there is exactly one of each.
fn one_of_each(slug: &str, p: &Project) {
    assert_eq!(p.fault_trees.len(), 1, "{slug}: fault trees");
    assert_eq!(p.fmea.len(), 1, "{slug}: FMEA worksheets");
    assert_eq!(p.fishbones.len(), 1, "{slug}: fishbones");
    assert_eq!(p.layer_sets.len(), 1, "{slug}: layer sets");
    assert_eq!(p.postmortems.len(), 1, "{slug}: postmortems");
    assert!((5..=8).contains(&p.fmea[0].rows.len()), "{slug}: {} FMEA rows", p.fmea[0].rows.len());
    assert!((3..=5).contains(&p.layer_sets[0].layers.len()), "{slug}: {} layers", p.layer_sets[0].layers.len());
    assert!((3..=6).contains(&p.action_items.len()), "{slug}: {} action items", p.action_items.len());
}

#[test]
fn every_sample_has_one_document_of_each_kind_and_every_link_resolves() {
    for (slug, p) in all() {
        one_of_each(slug, &p);
        assert_eq!(p.dangling_references(), [], "{slug}");
        let tree = &p.fault_trees[0];
        let (sheet, fb, set, pm) = (&p.fmea[0], &p.fishbones[0], &p.layer_sets[0], &p.postmortems[0]);
        assert_eq!(set.tree, tree.id, "{slug}: the layer set stands in front of the sample's tree");
        assert_eq!(pm.fishbone, Some(fb.id), "{slug}: the postmortem names its fishbone");
        assert!(p.action_items.iter().all(|a| a.postmortem == Some(pm.id)), "{slug}: action items belong to the postmortem");
        assert_eq!(fb.problems(), Vec::<String>::new(), "{slug}");
        assert_eq!(set.problems(), Vec::<String>::new(), "{slug}");
        assert_eq!(pm.problems(), Vec::<String>::new(), "{slug}");
        // One identity across the views: a failure mode or a cause linked to a basic event carries its name.
        for row in &sheet.rows {
            let link = row.event.unwrap_or_else(|| panic!("{slug}: row {} is linked to no basic event", row.id.0));
            assert_eq!(link.tree, tree.id, "{slug}: row {}", row.id.0);
            assert_eq!(row.failure_mode, tree.element(link.element).unwrap().name, "{slug}: row {}", row.id.0);
        }
        let mut fishbone_events = 0;
        for (_, c) in fb.walk() {
            for e in c.events() {
                assert_eq!(c.text, tree.element(e.element).unwrap().name, "{slug}: cause {}", c.id.0);
                fishbone_events += 1;
            }
            assert!(!c.whys.is_empty() || c.causes.iter().any(|s| !s.whys.is_empty()), "{slug}: cause {} has no 5 Whys", c.id.0);
        }
        assert!(fishbone_events >= 3, "{slug}: only {fishbone_events} fishbone causes are linked to basic events");
        assert!(pm.whys.len() >= 4 && pm.timeline.len() >= 5, "{slug}: postmortem whys or timeline too short");
        assert!(!pm.root_causes.is_empty() && !pm.went_well.is_empty() && !pm.went_poorly.is_empty(), "{slug}");
        assert!(pm.time_to_detect().is_some() && pm.time_to_resolve().is_some(), "{slug}");
        // Blameless wording, verb-first titles, and the RCA definition of done (overdue items aside).
        assert_eq!(blameless_hints(&p, pm, &[]), [], "{slug}");
        for a in &p.action_items {
            assert_eq!(title_hint(&a.title), None, "{slug}");
            assert!(!a.owner.is_empty() && a.due.is_some() && !a.success_metric.is_empty(), "{slug}: item {}", a.id.0);
            assert_eq!(a.status == ActionStatus::Done, a.completed.is_some(), "{slug}: item {} completed date", a.id.0);
        }
        let dod: Vec<_> = definition_of_done(&p, pm, TODAY, DEFAULT_SLA_DAYS).into_iter().filter(|f| f.rule != DodRule::Overdue).collect();
        assert_eq!(dod, [], "{slug}");
    }
}

#[test]
fn fmea_ratings_are_valid_and_action_priorities_spread() {
    let mut all_aps = BTreeSet::new();
    for (slug, p) in all() {
        let rows = &p.fmea[0].rows;
        let mut aps = BTreeSet::new();
        for r in rows {
            for v in [r.severity, r.occurrence, r.detection] {
                assert!((1..=10).contains(&v.get()), "{slug}: row {}", r.id.0);
            }
            let (s, o, d) = r.revised_ratings();
            assert!(s <= r.severity && o <= r.occurrence && d <= r.detection, "{slug}: row {} revised upwards", r.id.0);
            assert_eq!(r.ap(), action_priority(r.severity, r.occurrence, r.detection));
            aps.insert(r.ap());
            // A row still at High priority has a recommended action.
            assert!(r.ap() != Ap::High || !r.actions.is_empty(), "{slug}: row {} is High with no action", r.id.0);
        }
        assert!(aps.len() >= 2, "{slug}: every row has AP {aps:?}");
        assert!(rows.iter().any(|r| r.is_revised()), "{slug}: no revised ratings");
        all_aps.extend(aps);
        // The ratings survive the JSON form, which refuses out-of-range values.
        let json = serde_json::to_string(&p.fmea[0]).unwrap();
        assert_eq!(serde_json::from_str::<crate::fmea::Worksheet>(&json).unwrap(), p.fmea[0]);
    }
    assert_eq!(all_aps, BTreeSet::from([Ap::High, Ap::Medium, Ap::Low]));
}

#[test]
fn defence_layers_leave_aligned_holes_in_most_samples() {
    let mut with_holes = 0;
    for (slug, p) in all() {
        let set = &p.layer_sets[0];
        let la = p.analyze_layer_set(set.id).unwrap_or_else(|e| panic!("{slug}: {e}"));
        assert_eq!(la.aligned_holes, la.cut_sets.iter().filter(|c| c.layers.is_empty()).count());
        if la.aligned_holes > 0 {
            with_holes += 1;
        }
        assert!(la.aligned_holes < la.cut_sets.len(), "{slug}: no cut set meets a layer");
        assert!(la.residual_rare_event < la.rare_event, "{slug}: the layers stop nothing");
        for c in &la.layers {
            assert!(c.cut_sets > 0, "{slug}: layer \"{}\" intercepts no cut set", c.name);
        }
        // Some layer covers a failure mode, so the FMEA and the tree meet in the layer analysis.
        assert!(set.layers.iter().flat_map(|l| &l.covers).any(|c| matches!(c, Covered::FailureMode(_))), "{slug}");
    }
    assert!(with_holes >= 8, "only {with_holes} of 10 samples have a cut set slipping through every layer");
}

#[test]
fn every_action_item_has_a_computable_risk_reduction() {
    let (mut done, mut overdue) = (0, 0);
    for (slug, p) in all() {
        let tree = p.fault_trees[0].id;
        let (_, analysis) = p.analyze_tree(tree, &Options { max_cut_sets: 0, ..Options::default() }).unwrap();
        let minimal: HashSet<&Vec<String>> = analysis.cut_sets.iter().map(|c| &c.events).collect();
        let mut lowers = false;
        for a in &p.action_items {
            for cs in &a.links.cut_sets {
                assert!(minimal.contains(cs), "{slug}: item {} links {cs:?}, not a minimal cut set", a.id.0);
            }
            let r = p.risk_reduction(a.id).unwrap_or_else(|e| panic!("{slug}: item {}: {e}", a.id.0));
            let r = r.unwrap_or_else(|| panic!("{slug}: item {} states no effect", a.id.0));
            assert_eq!(r.tree, Some(tree), "{slug}");
            assert!(r.p_top_after <= r.p_top_before && r.reduction >= 0.0, "{slug}: item {} raises the risk", a.id.0);
            let ap_better = r.ap_after.high < r.ap_before.high
                || (r.ap_after.high == r.ap_before.high && r.ap_after.medium < r.ap_before.medium);
            lowers |= r.p_top_after < r.p_top_before || ap_better;
            done += usize::from(a.status == ActionStatus::Done);
            overdue += usize::from(a.is_overdue(TODAY));
        }
        assert!(lowers, "{slug}: no action item lowers P(top) or the AP counts");
        let (ranked, failed) = p.rank_actions();
        assert!(failed.is_empty() && ranked.len() == p.action_items.len(), "{slug}: {failed:?}");
    }
    assert!(done >= 10 && overdue >= 5, "{done} done and {overdue} overdue action items");
}

#[test]
fn default_project_holds_every_sample_without_id_collisions_and_round_trips() {
    let p = default_project();
    let n = SOURCES.len();
    assert_eq!(
        [p.fault_trees.len(), p.fmea.len(), p.fishbones.len(), p.layer_sets.len(), p.postmortems.len()],
        [n; 5]
    );
    assert_eq!(p.action_items.len(), all().iter().map(|(_, s)| s.action_items.len()).sum::<usize>());
    fn distinct<T: std::hash::Hash + Eq + std::fmt::Debug>(what: &str, ids: impl IntoIterator<Item = T>) {
        let mut seen = HashSet::new();
        for id in ids {
            let dup = format!("{id:?}");
            assert!(seen.insert(id), "{what}: id {dup} is used twice");
        }
    }
    distinct("fault trees", p.fault_trees.iter().map(|t| t.id));
    distinct("tree names", p.fault_trees.iter().map(|t| t.name.as_str()));
    distinct("worksheets", p.fmea.iter().map(|w| w.id));
    distinct("FMEA rows", p.fmea.iter().flat_map(|w| &w.rows).map(|r| r.id));
    distinct("fishbones", p.fishbones.iter().map(|f| f.id));
    distinct("causes", p.fishbones.iter().flat_map(|f| f.walk()).map(|(_, c)| c.id));
    distinct("layer sets", p.layer_sets.iter().map(|s| s.id));
    distinct("layers", p.layer_sets.iter().flat_map(|s| &s.layers).map(|l| l.id));
    distinct("postmortems", p.postmortems.iter().map(|m| m.id));
    distinct("findings", p.postmortems.iter().flat_map(|m| m.root_causes.iter().chain(&m.contributing_factors)).map(|f| f.id));
    distinct("action items", p.action_items.iter().map(|a| a.id));
    // Fresh ids handed out later stay clear of the ones in use.
    for w in &p.fmea {
        assert!(w.rows.iter().all(|r| r.id.0 < w.next_row_id), "worksheet {}", w.id.0);
    }
    for f in &p.fishbones {
        assert!(f.walk().iter().all(|(_, c)| c.id.0 < f.next_id), "fishbone {}", f.id.0);
    }
    assert_eq!(p.dangling_references(), []);
    for t in &p.fault_trees {
        assert!(p.analyze_tree(t.id, &Options::default()).is_ok(), "{} in the merged project", t.name);
    }
    for s in &p.layer_sets {
        assert!(p.analyze_layer_set(s.id).is_ok(), "layer set {} in the merged project", s.name);
    }
    let (ranked, failed) = p.rank_actions();
    assert!(failed.is_empty() && ranked.len() == p.action_items.len(), "{failed:?}");
    let json = serde_json::to_string_pretty(&p).unwrap();
    let back: Project = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    // The link check sees what a merge that lost a document would break: every reference to the first
    // sample's fishbone (its postmortem, its findings, its action items) is named.
    let mut broken = p.clone();
    let lost = broken.fishbones.remove(0).id;
    let dangling = broken.dangling_references();
    assert!(!dangling.is_empty());
    for d in &dangling {
        assert_eq!(d.problem, format!("no fishbone with id {}", lost.0), "{d}");
    }
    assert!(dangling.iter().any(|d| d.place.starts_with("postmortem 1 ")));
    assert!(dangling.iter().any(|d| d.place.starts_with("action item 101 ")));
}
