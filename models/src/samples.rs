//! Sample models: ten incident scenarios from site-reliability practice, each a project-shaped JSON file in
//! `models/samples/<slug>.json` (embedded at compile time, so this stays free of IO).
//!
//! Each file holds one fault tree (plus, as they are added, the FMEA rows, fishbone, defence layers and
//! postmortem of the same incident). Document ids are distinct across the files, so [`default_project`] can
//! merge them without renumbering and every cross-reference stays valid.

use crate::project::Project;
use serde_json::{Map, Value};

/// `(slug, JSON text)` of every sample, in a stable order.
pub const SOURCES: [(&str, &str); 10] = [
    ("api-503-db-pool-exhaustion", include_str!("../samples/api-503-db-pool-exhaustion.json")),
    ("checkout-latency-normal-resources", include_str!("../samples/checkout-latency-normal-resources.json")),
    ("db-disk-space-alerts", include_str!("../samples/db-disk-space-alerts.json")),
    ("pod-crash-memory-leak", include_str!("../samples/pod-crash-memory-leak.json")),
    ("multi-region-ecommerce", include_str!("../samples/multi-region-ecommerce.json")),
    ("card-authorisation-latency", include_str!("../samples/card-authorisation-latency.json")),
    ("primary-region-loss", include_str!("../samples/primary-region-loss.json")),
    ("recommender-silent-degradation", include_str!("../samples/recommender-silent-degradation.json")),
    ("login-lock-contention", include_str!("../samples/login-lock-contention.json")),
    ("certificate-expiry", include_str!("../samples/certificate-expiry.json")),
];

/// Parses one embedded sample. The samples are part of the build and tested, so a failure here is a bug in
/// a sample file; it is reported with the file's slug.
fn parse(slug: &str, text: &str) -> Project {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("models/samples/{slug}.json is not a valid project: {e}"))
}

/// Every sample as `(slug, project)`, in a stable order. O(total size of the samples).
pub fn all() -> Vec<(&'static str, Project)> {
    SOURCES.iter().map(|&(slug, text)| (slug, parse(slug, text))).collect()
}

/// One project holding every sample: the documents of every kind (fault trees, and whatever other kinds the
/// sample files carry) are concatenated in sample order. Ids are distinct across the files, so nothing is
/// renumbered.
pub fn default_project() -> Project {
    let mut merged = Map::new();
    for &(slug, text) in SOURCES.iter() {
        let value: Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("models/samples/{slug}.json is not JSON: {e}"));
        let Value::Object(fields) = value else { panic!("models/samples/{slug}.json is not a JSON object") };
        for (key, v) in fields {
            match (merged.get_mut(&key), v) {
                (Some(Value::Array(items)), Value::Array(more)) => items.extend(more),
                (Some(_), _) => {}
                (None, v) => {
                    merged.insert(key, v);
                }
            }
        }
    }
    merged.insert("name".into(), Value::String("Samples".into()));
    parse("(merged)", &Value::Object(merged).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Options;
    use crate::fault_tree::validate::Severity;
    use crate::fault_tree::{ElementKind, GateKind, Probability};
    use std::collections::HashSet;

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
            let p = analysis.probability.exact;
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

    #[test]
    fn default_project_merges_every_sample_with_distinct_ids() {
        let p = default_project();
        assert_eq!(p.fault_trees.len(), SOURCES.len());
        let ids: HashSet<_> = p.fault_trees.iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), SOURCES.len());
        let names: HashSet<_> = p.fault_trees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names.len(), SOURCES.len());
        for t in &p.fault_trees {
            assert!(p.analyze_tree(t.id, &Options::default()).is_ok(), "{} in the merged project", t.name);
        }
    }
}
