//! Sample models: ten incident scenarios from site-reliability practice, each a project-shaped JSON file in
//! `models/samples/<slug>.json` (embedded at compile time, so this stays free of IO).
//!
//! Each file tells one incident through every kind of document, all linked to each other:
//! - one **fault tree** of the failure (10-30 elements, shared events, a vote or inhibit gate somewhere, some
//!   events given by a failure rate);
//! - one **FMEA worksheet** of 5-8 failure modes, each linked to a basic event of the tree and named after it
//!   (one identity), with S/O/D ratings, controls, recommended actions and, where an action is done, revised
//!   ratings; across the ten, every Action Priority (H, M, L) occurs;
//! - one **fishbone** with 5 Whys chains, whose causes link to basic events (named after them) and FMEA rows;
//! - one **defence-layer set** of 3-5 layers in front of the tree, covering some events and failure modes so
//!   that, in most samples, some cut sets slip through every layer (aligned holes);
//! - one **blameless postmortem** (summary, impact, timeline, root causes and contributing factors linked to
//!   fishbone causes and basic events, lessons, 5 Whys) naming its fishbone;
//! - 3-6 **action items** of that postmortem, linked to the events, cut sets, FMEA rows, causes, layers and
//!   findings they address, each with an effect (lower event probability, new or stronger layer, revised
//!   S/O/D) so that its risk reduction is computable; some are done and some are overdue (against
//!   2026-11-21, the date the samples were written for).
//!
//! Ids are distinct across the files, so [`default_project`] can merge them without renumbering and every
//! cross-reference stays valid: sample *i* uses tree, worksheet, fishbone, layer set and postmortem id *i*,
//! and ids `100·i + 1 ..` for its FMEA rows, causes, layers, findings and action items.
//! [`crate::project::Project::dangling_references`] checks the links; the tests check all of the above.

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

/// One project holding every sample: the documents of every kind (fault trees, FMEA worksheets, fishbones,
/// layer sets, postmortems, action items) are concatenated in sample order. Ids are distinct across the files,
/// so nothing is renumbered. O(total size of the samples).
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
mod tests;
