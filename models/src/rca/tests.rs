//! Tests of the RCA models, against hand computations and brute-force oracles.

use super::actions::*;
use super::checks::*;
use super::fishbone::*;
use super::layers::*;
use super::postmortem::*;
use super::{EventRef, FmeaRef};
use crate::fault_tree::{ElementId, FaultTree, GateKind, TreeId};
use crate::project::Project;
use proptest::prelude::*;
use time::macros::{date, datetime};

/// TOP = OR(AND(A, B), C), P(A)=0.1, P(B)=0.2, P(C)=0.01. MCS: {A,B} 0.02, {C} 0.01.
fn tree() -> (Project, [ElementId; 4]) {
    let mut t = FaultTree::new(TreeId(1), "Outage");
    let a = t.add_basic("A", 0.1);
    let b = t.add_basic("B", 0.2);
    let c = t.add_basic("C", 0.01);
    let and = t.add_gate("G1", GateKind::And, vec![a, b]);
    let top = t.add_gate("TOP", GateKind::Or, vec![and, c]);
    t.top = Some(top);
    let mut p = Project::new("test");
    p.fault_trees.push(t);
    (p, [a, b, c, and])
}

fn ev(e: ElementId) -> EventRef {
    EventRef { tree: TreeId(1), element: e }
}

fn layer(id: u32, eff: f64, covers: &[ElementId]) -> Layer {
    Layer {
        id: LayerId(id),
        name: format!("L{id}"),
        kind: LayerKind::Detection,
        effectiveness: eff,
        covers: covers.iter().map(|&e| Covered::BasicEvent(ev(e))).collect(),
        description: String::new(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn layers_hand_computed() {
    let (p, [a, _b, c, _]) = tree();
    let la = p.analyze_layers(TreeId(1), &[layer(1, 0.9, &[a]), layer(2, 0.5, &[a, c])]).unwrap();
    assert_eq!(la.cut_sets.len(), 2);
    let ab = la.cut_sets.iter().find(|c| c.events == ["A", "B"]).unwrap();
    let cc = la.cut_sets.iter().find(|c| c.events == ["C"]).unwrap();
    assert_eq!((ab.depth, ab.flag), (2, None));
    assert_eq!(ab.layers, [LayerId(1), LayerId(2)]);
    assert!(close(ab.residual, 0.02 * 0.1 * 0.5));
    assert_eq!((cc.depth, cc.flag), (1, Some(DepthFlag::SingleLayer)));
    assert!(close(cc.residual, 0.01 * 0.5));
    assert!(close(la.rare_event, 0.03));
    assert!(close(la.residual_rare_event, 0.006));
    assert!(close(la.residual_mcub, 1.0 - 0.999 * 0.995));
    assert_eq!((la.aligned_holes, la.single_layer), (0, 1));
    assert_eq!(la.layers[0].cut_sets, 1);
    assert!(close(la.layers[0].probability, 0.02));
    assert!(close(la.layers[0].share, 0.02 / 0.03));
    assert_eq!(la.layers[1].cut_sets, 2);
    assert!(close(la.layers[1].share, 1.0));
}

#[test]
fn layers_aligned_holes_and_failure_modes() {
    let (mut p, [a, b, c, _]) = tree();
    // No layers: every cut set is aligned holes and the residual is the plain figure.
    let la = p.analyze_layers(TreeId(1), &[]).unwrap();
    assert_eq!(la.aligned_holes, 2);
    assert!(la.cut_sets.iter().all(|c| c.flag == Some(DepthFlag::AlignedHoles) && c.residual == c.probability));
    assert!(close(la.residual_mcub, la.mcub));
    // A layer covering a failure mode intercepts the cut sets of the events linked to it through a cause.
    let mut fb = Fishbone::new(FishboneId(1), "Outage", CategorySet::SixM);
    let cid = fb.add_cause(None, "Machine", "B wears out").unwrap();
    let fm = FmeaRef { sheet: 3, row: 7 };
    fb.cause_mut(cid).unwrap().links = vec![CauseLink::BasicEvent(ev(b)), CauseLink::FailureMode(fm)];
    p.fishbones.push(fb);
    let l = Layer { covers: vec![Covered::FailureMode(fm)], ..layer(1, 0.5, &[]) };
    let la = p.analyze_layers(TreeId(1), &[l]).unwrap();
    let ab = la.cut_sets.iter().find(|c| c.events == ["A", "B"]).unwrap();
    assert_eq!(ab.depth, 1);
    assert_eq!(la.cut_sets.iter().find(|c| c.events == ["C"]).unwrap().depth, 0);
    let _ = (a, c);
}

#[test]
fn layer_set_rejects_bad_effectiveness() {
    let (mut p, [a, ..]) = tree();
    p.layer_sets.push(LayerSet { id: LayerSetId(1), name: "Defences".into(), tree: TreeId(1), layers: vec![layer(1, 1.5, &[a]), layer(2, f64::NAN, &[a])] });
    let err = p.analyze_layer_set(LayerSetId(1)).unwrap_err().to_string();
    assert!(err.contains("layer \"L1\": effectiveness 1.5 is not in [0, 1]"), "{err}");
    assert!(err.contains("layer \"L2\": effectiveness NaN"), "{err}");
    assert_eq!(p.analyze_layer_set(LayerSetId(9)), Err(LayerError::NoLayerSet(9)));
}

/// Brute force: every joint outcome of the layers (each stops with probability e, independently); a cut set
/// gets through when no intercepting layer stops it.
fn oracle_residual(p_cs: f64, cs_events: u32, layers: &[(f64, u32)]) -> (usize, f64) {
    let depth = layers.iter().filter(|(_, cov)| cov & cs_events != 0).count();
    let mut through = 0.0;
    for outcome in 0u32..(1 << layers.len()) {
        let mut w = 1.0;
        let mut stopped = false;
        for (i, (e, cov)) in layers.iter().enumerate() {
            let stops = outcome >> i & 1 == 1;
            w *= if stops { *e } else { 1.0 - e };
            stopped |= stops && cov & cs_events != 0;
        }
        if !stopped {
            through += w;
        }
    }
    (depth, p_cs * through)
}

proptest! {
    #[test]
    fn layers_match_brute_force(
        cut_sets in prop::collection::vec((1u32..64, 0.0f64..1.0), 0..8),
        layers in prop::collection::vec((0.0f64..=1.0, 0u32..64), 0..6),
    ) {
        let inputs: Vec<CutSetInput> = cut_sets.iter().map(|&(mask, p)| CutSetInput {
            events: (0..6).filter(|i| mask >> i & 1 == 1).map(|i| format!("E{i}")).collect(),
            refs: (0..6).filter(|i| mask >> i & 1 == 1).map(|i| ev(ElementId(i))).collect(),
            probability: p,
        }).collect();
        let ls: Vec<Layer> = layers.iter().enumerate().map(|(i, &(e, cov))| {
            let covers: Vec<ElementId> = (0..6).filter(|j| cov >> j & 1 == 1).map(ElementId).collect();
            layer(i as u32 + 1, e, &covers)
        }).collect();
        let la = defend("TOP", &inputs, &ls, &|_| Vec::new());
        let mut rare = 0.0;
        let mut survive = 1.0;
        for (k, &(mask, p)) in cut_sets.iter().enumerate() {
            let (depth, residual) = oracle_residual(p, mask, &layers);
            prop_assert_eq!(la.cut_sets[k].depth, depth);
            prop_assert!(close(la.cut_sets[k].residual, residual), "{} vs {}", la.cut_sets[k].residual, residual);
            rare += residual;
            survive *= 1.0 - residual;
        }
        prop_assert!(close(la.residual_rare_event, rare));
        prop_assert!(close(la.residual_mcub, 1.0 - survive));
        for (i, &(_, cov)) in layers.iter().enumerate() {
            let n = cut_sets.iter().filter(|(m, _)| m & cov != 0).count();
            prop_assert_eq!(la.layers[i].cut_sets, n);
        }
        prop_assert_eq!(la.aligned_holes, la.cut_sets.iter().filter(|c| c.depth == 0).count());
    }
}

#[test]
fn promote_and_rename_are_one_identity() {
    let (mut p, [.., g1]) = tree();
    let mut fb = Fishbone::new(FishboneId(1), "Outage", CategorySet::default());
    let root = fb.add_cause(None, "Technology", "Disk full").unwrap();
    let sub = fb.add_cause(Some(root), "", "Log rotation off").unwrap();
    assert_eq!(fb.category_of(sub).as_deref(), Some("Technology"));
    assert_eq!(fb.walk().iter().map(|(d, c)| (*d, c.text.as_str())).collect::<Vec<_>>(), [(0, "Disk full"), (1, "Log rotation off")]);
    p.fishbones.push(fb);
    let cref = CauseRef { fishbone: FishboneId(1), cause: sub };
    let e = p.promote_cause(cref, TreeId(1), g1, 0.05).unwrap();
    let t = p.tree(TreeId(1)).unwrap();
    assert_eq!(t.element(e.element).unwrap().name, "Log rotation off");
    assert!(t.parents_of(e.element).any(|g| g.id == g1));
    assert_eq!(p.cause(cref).unwrap().links, [CauseLink::BasicEvent(e)]);
    // The new event is in the analysis: {A,B,Log rotation off} is now a cut set of order 3.
    let (_, a) = p.analyze_tree(TreeId(1), &Default::default()).unwrap();
    assert!(a.cut_sets.iter().any(|c| c.events.len() == 3));
    p.rename_cause(cref, "Log rotation disabled").unwrap();
    assert_eq!(p.tree(TreeId(1)).unwrap().element(e.element).unwrap().name, "Log rotation disabled");
    p.rename_event(e, "Rotation off").unwrap();
    assert_eq!(p.cause(cref).unwrap().text, "Rotation off");
    // Name clash: nothing changes.
    assert!(matches!(p.rename_cause(cref, "A"), Err(LinkError::NameTaken { .. })));
    assert_eq!(p.cause(cref).unwrap().text, "Rotation off");
    assert!(matches!(p.promote_cause(cref, TreeId(1), ElementId(1), 0.1), Err(LinkError::NoGate { .. })));
    assert!(p.promote_cause(CauseRef { fishbone: FishboneId(1), cause: root }, TreeId(1), g1, 0.1).is_ok());
}

#[test]
fn category_sets() {
    assert_eq!(CategorySet::FourP.names(), ["People", "Process", "Product", "Platform"]);
    assert_eq!(CategorySet::SixM.names().len(), 6);
    let mut fb = Fishbone::new(FishboneId(1), "x", CategorySet::Custom(vec!["Code".into()]));
    fb.add_cause(None, "Weather", "Storm").unwrap();
    assert_eq!(fb.problems().len(), 1);
    assert!(fb.problems()[0].contains("\"Weather\""));
}

/// A project with one postmortem, a fishbone and action items, used by the check tests.
fn incident() -> Project {
    let (mut p, [a, b, c, _]) = tree();
    let mut fb = Fishbone::new(FishboneId(1), "Outage", CategorySet::default());
    let c1 = fb.add_cause(None, "Technology", "Config push without validation").unwrap();
    let c2 = fb.add_cause(None, "Process", "No canary stage").unwrap();
    p.fishbones.push(fb);
    p.layer_sets.push(LayerSet { id: LayerSetId(1), name: "Defences".into(), tree: TreeId(1), layers: vec![layer(1, 0.5, &[c])] });
    p.postmortems.push(Postmortem {
        id: PostmortemId(1),
        title: "Checkout outage".into(),
        started: Some(datetime!(2026-10-03 14:00 UTC)),
        detected: Some(datetime!(2026-10-03 14:12 UTC)),
        mitigated: Some(datetime!(2026-10-03 14:40 UTC)),
        resolved: Some(datetime!(2026-10-03 15:05 UTC)),
        root_causes: vec![
            Finding { id: FindingId(1), text: "A config push skipped validation".into(), causes: vec![CauseRef { fishbone: FishboneId(1), cause: c1 }], events: vec![ev(a)] },
            Finding { id: FindingId(2), text: "No canary stage for config".into(), causes: vec![CauseRef { fishbone: FishboneId(1), cause: c2 }], events: vec![] },
        ],
        timeline: vec![TimelineEntry { at: datetime!(2026-10-03 14:12 UTC), text: "Alert fires".into(), marker: Some(Marker::Detection) }],
        ..Default::default()
    });
    p.action_items = vec![
        ActionItem {
            id: ActionId(1),
            title: "Validate configs before push".into(),
            owner: "Dana Reyes".into(),
            due: Some(date!(2026 - 11 - 15)),
            success_metric: "0 unvalidated pushes in 90 days".into(),
            created: Some(date!(2026 - 10 - 05)),
            postmortem: Some(PostmortemId(1)),
            links: ActionLinks { events: vec![ev(a)], ..Default::default() },
            effect: Some(Effect::EventProbability { event: ev(a), p: 0.01 }),
            ..Default::default()
        },
        ActionItem {
            id: ActionId(2),
            title: "Add a canary stage".into(),
            kind: ActionType::Mitigate,
            owner: "Sam Ito".into(),
            created: Some(date!(2026 - 10 - 05)),
            postmortem: Some(PostmortemId(1)),
            links: ActionLinks { findings: vec![FindingId(2)], ..Default::default() },
            effect: Some(Effect::NewLayer { set: LayerSetId(1), layer: layer(1, 0.95, &[b]) }),
            ..Default::default()
        },
    ];
    p
}

#[test]
fn durations() {
    let p = incident();
    let pm = &p.postmortems[0];
    assert_eq!(pm.time_to_detect().unwrap().whole_minutes(), 12);
    assert_eq!(pm.time_to_mitigate().unwrap().whole_minutes(), 40);
    assert_eq!(format_duration(pm.time_to_resolve().unwrap()), "1 h 05 min");
    assert!(pm.problems().is_empty());
    let mut bad = pm.clone();
    bad.detected = Some(datetime!(2026-10-03 13:00 UTC));
    assert_eq!(bad.problems(), ["postmortem 1 \"Checkout outage\": detected is before started"]);
}

#[test]
fn definition_of_done_passes_when_complete() {
    let p = incident();
    let f = definition_of_done(&p, &p.postmortems[0], date!(2026 - 10 - 20), DEFAULT_SLA_DAYS);
    assert_eq!(f, []);
}

#[test]
fn definition_of_done_failures() {
    let mut p = incident();
    // Overdue: item 1 past its due date; item 2 has no due date and is past created + SLA (30 days).
    let f = definition_of_done(&p, &p.postmortems[0], date!(2026 - 11 - 20), DEFAULT_SLA_DAYS);
    let rules: Vec<_> = f.iter().map(|f| f.rule).collect();
    assert_eq!(rules, [DodRule::Overdue, DodRule::Overdue]);
    assert!(f[0].message.contains("overdue by 5 days"), "{}", f[0].message);
    assert!(f[1].message.contains("overdue by 16 days"), "{}", f[1].message);
    // A configurable SLA: 60 days leaves item 2 on time.
    assert_eq!(definition_of_done(&p, &p.postmortems[0], date!(2026 - 11 - 20), 60).len(), 1);
    // No success metric, root cause 2 unaddressed, no timeline.
    p.action_items[0].success_metric.clear();
    p.action_items[1].status = ActionStatus::WontDo;
    p.postmortems[0].timeline.clear();
    let f = definition_of_done(&p, &p.postmortems[0], date!(2026 - 10 - 20), DEFAULT_SLA_DAYS);
    let rules: Vec<_> = f.iter().map(|f| f.rule).collect();
    assert_eq!(rules, [DodRule::NoPreventiveAction, DodRule::RootCauseUnaddressed, DodRule::NoTimeline]);
    assert!(f[1].message.contains("root cause 2"));
}

#[test]
fn blameless_hints_found_and_not() {
    let mut p = incident();
    assert_eq!(blameless_hints(&p, &p.postmortems[0], &[]), []);
    let pm = &mut p.postmortems[0];
    pm.summary = "Outage caused by human error.".into();
    pm.root_causes[0].text = "Dana pushed the config without checking".into();
    pm.went_poorly = vec!["The engineer should have waited".into()];
    pm.contributing_factors = vec![Finding { id: FindingId(3), text: "Careless review".into(), ..Default::default() }];
    let h = blameless_hints(&p, &p.postmortems[0], &[]);
    let got: Vec<_> = h.iter().map(|h| (h.field.as_str(), h.phrase.as_str())).collect();
    assert_eq!(got, [("summary", "human error"), ("root cause 1", "Dana"), ("contributing factor 3", "careless"), ("went poorly 1", "should have")]);
    assert!(h.iter().all(|h| !h.suggestion.is_empty()));
    // A name inside another word is not a person ("Sam" in "Samples").
    p.postmortems[0] = incident().postmortems.remove(0);
    p.postmortems[0].root_causes[0].text = "Samples were not checked".into();
    assert_eq!(blameless_hints(&p, &p.postmortems[0], &[]), []);
}

#[test]
fn statistics_across_postmortems() {
    let mut p = incident();
    let mut second = p.postmortems[0].clone();
    second.id = PostmortemId(2);
    second.started = Some(datetime!(2026-11-01 10:00 UTC));
    second.detected = Some(datetime!(2026-11-01 10:30 UTC));
    second.resolved = Some(datetime!(2026-11-01 12:00 UTC));
    second.root_causes.truncate(1);
    second.contributing_factors = vec![Finding { id: FindingId(5), text: "Unlinked".into(), ..Default::default() }];
    p.postmortems.push(second);
    let bars = cause_pareto(&p);
    let got: Vec<_> = bars.iter().map(|b| (b.category.as_str(), b.count)).collect();
    assert_eq!(got, [("Technology", 2), ("Process", 1), ("Uncategorised", 1)]);
    assert!(close(bars[0].cumulative, 0.5) && close(bars[2].cumulative, 1.0));
    let m = times_by_month(&p);
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].month.as_str(), m[0].mttd_minutes, m[0].mttr_minutes), ("2026-10", Some(12.0), Some(65.0)));
    assert_eq!((m[1].month.as_str(), m[1].mttd_minutes, m[1].mttr_minutes), ("2026-11", Some(30.0), Some(120.0)));
    // Completion: item 1 done in 20 days (within), item 2 open past its SLA window.
    p.action_items[0].status = ActionStatus::Done;
    p.action_items[0].completed = Some(date!(2026 - 10 - 25));
    let c = completion_within_sla(&p, date!(2026 - 11 - 20), DEFAULT_SLA_DAYS);
    assert_eq!((c.counted, c.within_sla, c.rate), (2, 1, Some(0.5)));
    // Before item 2's window closes, it is not counted.
    let c = completion_within_sla(&p, date!(2026 - 10 - 30), DEFAULT_SLA_DAYS);
    assert_eq!((c.counted, c.within_sla), (1, 1));
}

#[test]
fn risk_reduction_and_ranking() {
    let p = incident();
    // Item 1: P(A) 0.1 -> 0.01. Exact P(top) = 1 − (1 − P(A)P(B))(1 − P(C)).
    let r = p.risk_reduction(ActionId(1)).unwrap().unwrap();
    assert!(close(r.p_top_before, 1.0 - (1.0 - 0.02) * 0.99));
    assert!(close(r.p_top_after, 1.0 - (1.0 - 0.002) * 0.99));
    // Residual: layer 1 (0.5) covers C. Before 0.02 + 0.005; after 0.002 + 0.005.
    assert!(close(r.residual_before, 0.025) && close(r.residual_after, 0.007));
    assert!(close(r.reduction, 0.018));
    // Item 2: a new 0.95 layer on B: {A,B} residual 0.001; P(top) unchanged.
    let r2 = p.risk_reduction(ActionId(2)).unwrap().unwrap();
    assert!(close(r2.p_top_before, r2.p_top_after));
    assert!(close(r2.residual_after, 0.001 + 0.005));
    assert!(close(r2.reduction, 0.019));
    let (ranked, failed) = p.rank_actions();
    assert!(failed.is_empty());
    assert_eq!(ranked.iter().map(|r| r.action).collect::<Vec<_>>(), [ActionId(2), ActionId(1)]);
    // Bad effects are reported, not panics.
    let mut q = p.clone();
    q.action_items[0].effect = Some(Effect::EventProbability { event: ev(ElementId(99)), p: 0.1 });
    q.action_items[1].effect = Some(Effect::RevisedSod { row: FmeaRef { sheet: 1, row: 1 }, severity: 5, occurrence: 2, detection: 3 });
    let (ranked, failed) = q.rank_actions();
    assert!(ranked.is_empty());
    assert!(matches!(failed[0].1, ActionError::NoEvent { element: 99, .. }));
}

#[test]
fn revised_sod_changes_ap_counts() {
    use crate::fmea::{Rating, Row, Worksheet, WorksheetId};
    let mut p = incident();
    let mut w = Worksheet::new(WorksheetId(4), "Checkout");
    let r = Row::new("Config rejected late", Rating::severity(8).unwrap(), Rating::occurrence(7).unwrap(), Rating::detection(7).unwrap());
    let row = w.add_row(r);
    p.fmea.push(w);
    let before = p.ap_counts_now();
    assert_eq!((before.high, before.medium, before.low), (1, 0, 0));
    p.action_items[0].effect = Some(Effect::RevisedSod { row: FmeaRef { sheet: 4, row: row.0 }, severity: 8, occurrence: 2, detection: 2 });
    let r = p.risk_reduction(ActionId(1)).unwrap().unwrap();
    assert_eq!((r.ap_before.high, r.ap_after.high, r.ap_after.low), (1, 0, 1));
    assert!(close(r.p_top_before, r.p_top_after), "S/O/D alone does not move P(top)");
    // A failure-mode layer covers the basic event the FMEA row is linked to.
    p.fmea[0].rows[0].event = Some(crate::fmea::EventLink { tree: TreeId(1), element: ElementId(3) });
    let l = Layer { covers: vec![Covered::FailureMode(FmeaRef { sheet: 4, row: row.0 })], ..layer(7, 0.5, &[]) };
    let la = p.analyze_layers(TreeId(1), &[l]).unwrap();
    assert_eq!(la.cut_sets.iter().find(|c| c.events == ["C"]).unwrap().depth, 1);
    // Out-of-range ratings are an error naming the row.
    p.action_items[0].effect = Some(Effect::RevisedSod { row: FmeaRef { sheet: 4, row: row.0 }, severity: 11, occurrence: 2, detection: 2 });
    assert!(matches!(p.risk_reduction(ActionId(1)), Err(ActionError::BadRating { sheet: 4, .. })));
}

#[test]
fn title_hints() {
    assert_eq!(title_hint("Add a canary stage"), None);
    assert!(title_hint("Canary stage").unwrap().contains("start the title with a verb"));
}

#[test]
fn project_round_trips_through_json() {
    let p = incident();
    let json = serde_json::to_string_pretty(&p).unwrap();
    assert!(json.contains("\"started\": \"2026-10-03T14:00:00Z\""), "{json}");
    assert!(json.contains("\"due\": \"2026-11-15\""), "{json}");
    let back: Project = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    // Old files without the RCA keys still load.
    let old: Project = serde_json::from_str(r#"{"format":1,"name":"x","fault_trees":[]}"#).unwrap();
    assert!(old.postmortems.is_empty() && old.action_items.is_empty());
}
