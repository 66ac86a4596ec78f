//! The exports work on every sample model: postmortem Markdown, the risk register as CSV and XLSX, the
//! action-items CSV and the fishbone and Swiss-cheese pictures.

use faultline_interchange::{actions_csv, diagrams, postmortem_md, register};
use faultline_models::fmea::{risk_register, RISK_REGISTER_COLUMNS};
use faultline_models::samples;
use time::macros::date;

fn records(text: &str) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes()).records().map(|r| r.unwrap()).collect()
}

#[test]
fn postmortem_markdown_of_every_sample() {
    for (slug, p) in samples::all() {
        let pm = postmortem_md::pick(&p, None).unwrap();
        let md = postmortem_md::postmortem_markdown(&p, pm);
        assert!(md.starts_with(&format!("# Postmortem: {}\n", pm.title)), "{slug}");
        for text in pm.root_causes.iter().map(|f| &f.text).chain(p.action_items.iter().map(|a| &a.title)) {
            assert!(md.contains(text.as_str()), "{slug}: the Markdown lacks \"{text}\"");
        }
        // The root causes link to fishbone causes, which the export resolves to the fishbone's effect.
        let fishbone = &p.fishbones[0];
        assert!(md.contains(&format!("Fishbone \"{}\"", fishbone.effect)), "{slug}");
    }
}

#[test]
fn risk_register_of_every_sample() {
    for (slug, p) in samples::all() {
        let rows = risk_register(&p, date!(2026 - 11 - 21));
        assert_eq!(rows.len(), p.fmea[0].rows.len() + 1, "{slug}: one risk per failure mode and one for the top event");
        let text = register::to_csv(&rows);
        let recs = records(&text);
        assert_eq!(recs[0].iter().collect::<Vec<_>>(), RISK_REGISTER_COLUMNS, "{slug}");
        assert_eq!(recs.len(), rows.len() + 1, "{slug}");
        assert!(recs[1..].iter().all(|r| r.len() == RISK_REGISTER_COLUMNS.len()), "{slug}");
        // Postmortem action items are treatments of the risks they link to.
        assert!(rows.iter().any(|r| r.status == "In treatment"), "{slug}");
        let top = rows.last().unwrap();
        assert!(top.risk_id.starts_with("FT-") && top.event_probability.is_some(), "{slug}: {top:?}");
        assert!(!register::to_xlsx(&rows).unwrap().is_empty(), "{slug}");
    }
}

#[test]
fn action_items_and_pictures_of_every_sample() {
    for (slug, p) in samples::all() {
        let text = actions_csv::write_actions(&p, None);
        assert_eq!(records(&text).len(), p.action_items.len() + 1, "{slug}");
        let svg = diagrams::fishbone_svg(&p.fishbones[0]).unwrap();
        assert!(svg.contains("<svg"), "{slug}");
        let la = p.analyze_layer_set(p.layer_sets[0].id).unwrap();
        assert!(diagrams::swiss_cheese_svg(&la).unwrap().contains("<svg"), "{slug}");
    }
}
