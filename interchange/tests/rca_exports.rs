//! Postmortem Markdown (snapshot), action-items CSV and the fishbone / Swiss-cheese pictures.

use faultline_interchange::{actions_csv, diagrams, postmortem_md};
use faultline_models::fault_tree::TreeId;
use faultline_models::project::Project;
use faultline_models::rca::fishbone::FishboneId;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn project() -> Project {
    let text = std::fs::read_to_string(fixture("rca_checkout.json")).unwrap();
    faultline_interchange::json::read(&text).unwrap()
}

/// The Markdown export matches the checked-in snapshot. Set UPDATE_SNAPSHOTS=1 to rewrite it after a deliberate
/// change (and review the diff).
#[test]
fn postmortem_markdown_snapshot() {
    let p = project();
    let pm = postmortem_md::pick(&p, Some(1)).unwrap();
    let md = postmortem_md::postmortem_markdown(&p, pm);
    let path = fixture("rca_checkout.md");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &md).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(md, expected, "the Markdown export changed; rerun with UPDATE_SNAPSHOTS=1 if that is intended");
}

#[test]
fn postmortem_markdown_content() {
    let p = project();
    let md = postmortem_md::postmortem_markdown(&p, &p.postmortems[0]);
    assert!(md.starts_with("# Postmortem: Checkout 500s after a config push\n"));
    assert!(md.contains("**Time to detect:** 12 min · **Time to mitigate:** 36 min · **Time to resolve:** 47 min"));
    // Linked evidence: the fishbone cause with its whys and evidence, and the basic event.
    assert!(md.contains("   - Fishbone \"Checkout returned HTTP 500 for 47 minutes\": Config push bypassed schema validation (Technology)"));
    assert!(md.contains("     - Evidence: deploy log 2026-11-02 14:03: --skip-validate"));
    assert!(md.contains("   - Basic event `ValidationSkipped` in fault tree \"CheckoutUnavailable\", p = 2.000e-1"));
    // The action-items table has the postmortem's three items, not the two unlinked ones.
    let rows = md.lines().filter(|l| l.starts_with("| ") && l.contains("| prevent |") || l.contains("| process |")).count();
    assert_eq!(rows, 3);
    assert!(!md.contains("connection-pool"));
    assert_eq!(postmortem_md::pick(&p, Some(9)), Err(postmortem_md::PostmortemExportError::NoPostmortem(9)));
    assert_eq!(postmortem_md::pick(&Project::default(), None), Err(postmortem_md::PostmortemExportError::NoPostmortems));
}

#[test]
fn actions_csv_reads_back() {
    let p = project();
    let text = actions_csv::write_actions(&p, None);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap(), vec!["Title", "Description", "Assignee", "Due Date", "Priority", "Status", "Labels"]);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[0][0], "Make schema validation mandatory in the deploy tool");
    assert_eq!(&rows[0][2], "Priya Nair");
    assert_eq!(&rows[0][3], "2026-11-30");
    assert_eq!(&rows[0][4], "High");
    assert_eq!(&rows[0][5], "In Progress");
    assert_eq!(&rows[0][6], "prevent postmortem-INC-2041");
    let desc = &rows[0][1];
    assert!(desc.contains("Success metric: 0 config pushes without validation over 90 days"), "{desc}");
    assert!(desc.contains("Basic events: ValidationSkipped"), "{desc}");
    assert!(desc.contains("Defence layers: Config schema validation"), "{desc}");
    assert!(desc.contains('\n'), "multi-line descriptions survive quoting");
    assert_eq!(&rows[4][1].lines().last().unwrap().to_string(), "Cut sets: {FailoverFails, PrimaryRegionDown}");
    assert_eq!(&rows[4][6], "mitigate");
}

#[test]
fn fishbone_pictures() {
    let p = project();
    let fb = p.fishbone(FishboneId(1)).unwrap();
    let svg = diagrams::fishbone_svg(fb).unwrap();
    assert!(svg.starts_with("<svg"));
    for text in ["Checkout returned HTTP 500", "Technology", "Process", "People", "Environment", "No canary stage for config changes"] {
        assert!(svg.contains(text), "missing {text}");
    }
    let png = diagrams::fishbone_png(fb).unwrap();
    let img = image::load_from_memory(&png).unwrap();
    assert!(img.width() >= 800 && img.height() >= 500);
    if let Some(dir) = std::env::var_os("RCA_PICTURES") {
        std::fs::write(PathBuf::from(&dir).join("fishbone.png"), &png).unwrap();
    }
}

#[test]
fn swiss_cheese_pictures() {
    let p = project();
    let la = p.analyze_layer_set(faultline_models::rca::layers::LayerSetId(1)).unwrap();
    assert_eq!(la.aligned_holes, 1);
    let svg = diagrams::swiss_cheese_svg(&la).unwrap();
    for text in ["Defence layers: CheckoutDown", "Error-rate alert", "Automated rollback", "aligned holes", "{FailoverFails, PrimaryRegionDown}"] {
        assert!(svg.contains(text), "missing {text}");
    }
    let png = diagrams::swiss_cheese_png(&la).unwrap();
    let img = image::load_from_memory(&png).unwrap();
    assert!(img.width() > 600);
    if let Some(dir) = std::env::var_os("RCA_PICTURES") {
        std::fs::write(PathBuf::from(&dir).join("swiss.png"), &png).unwrap();
    }
    let _ = TreeId(1);
}
