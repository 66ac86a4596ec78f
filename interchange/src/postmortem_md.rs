//! A postmortem to Markdown, in the SRE-style template: header, impact, summary, trigger, detection,
//! resolution, root causes and contributing factors with their linked evidence (fishbone causes with their
//! 5 Whys and evidence notes, basic events with their probability), the 5 Whys, lessons, the timeline and
//! the action-items table.

use faultline_models::fault_tree::ElementKind;
use faultline_models::project::Project;
use faultline_models::rca::actions::ActionItem;
use faultline_models::rca::postmortem::{format_duration, Finding, Postmortem, PostmortemId};
use std::fmt::Write;
use time::OffsetDateTime;

/// Why the export failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PostmortemExportError {
    #[error("no postmortem with id {0}")]
    NoPostmortem(u32),
    #[error("the project has no postmortem")]
    NoPostmortems,
}

/// Escapes text for a Markdown table cell (pipes, line breaks).
fn cell(s: &str) -> String {
    s.trim().replace('|', "\\|").replace("\r\n", "<br>").replace('\n', "<br>")
}

fn stamp(t: Option<OffsetDateTime>) -> String {
    match t {
        Some(t) => {
            let off = t.offset();
            let zone = if off.is_utc() { "UTC".to_string() } else { format!("UTC{off}") };
            format!("{:04}-{:02}-{:02} {:02}:{:02} {zone}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
        }
        None => "—".into(),
    }
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() {
        "_Not recorded._"
    } else {
        s.trim()
    }
}

fn evidence(project: &Project, f: &Finding, out: &mut String) {
    for c in &f.causes {
        let Some(fb) = project.fishbone(c.fishbone) else { continue };
        let Some(cause) = fb.cause(c.cause) else { continue };
        let cat = fb.category_of(c.cause).unwrap_or_default();
        let cat = if cat.is_empty() { String::new() } else { format!(" ({cat})") };
        let _ = writeln!(out, "   - Fishbone \"{}\": {}{}", fb.effect, cause.text, cat);
        for (i, w) in cause.whys.iter().enumerate() {
            let _ = writeln!(out, "     - Why {}: {}", i + 1, w.trim());
        }
        for e in &cause.evidence {
            let _ = writeln!(out, "     - Evidence: {}", e.trim());
        }
    }
    for e in &f.events {
        let Some(tree) = project.tree(e.tree) else { continue };
        let Some(el) = tree.element(e.element) else { continue };
        let p = match &el.kind {
            ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => {
                probability.value(tree.mission_time).map(|p| format!(", p = {p:.3e}")).unwrap_or_default()
            }
            _ => String::new(),
        };
        let _ = writeln!(out, "   - Basic event `{}` in fault tree \"{}\"{p}", el.name, tree.name);
    }
}

fn findings(project: &Project, title: &str, list: &[Finding], out: &mut String) {
    let _ = writeln!(out, "## {title}\n");
    if list.is_empty() {
        let _ = writeln!(out, "_None recorded._\n");
        return;
    }
    for (i, f) in list.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, f.text.trim());
        evidence(project, f, out);
    }
    out.push('\n');
}

fn bullets(title: &str, list: &[String], out: &mut String) {
    let _ = writeln!(out, "### {title}\n");
    if list.is_empty() {
        let _ = writeln!(out, "_Nothing recorded._\n");
        return;
    }
    for s in list {
        let _ = writeln!(out, "- {}", s.trim());
    }
    out.push('\n');
}

/// Picks the postmortem: the one with `id`, or the only/first one when `id` is `None`.
pub fn pick(project: &Project, id: Option<u32>) -> Result<&Postmortem, PostmortemExportError> {
    match id {
        Some(id) => project.postmortem(PostmortemId(id)).ok_or(PostmortemExportError::NoPostmortem(id)),
        None => project.postmortems.first().ok_or(PostmortemExportError::NoPostmortems),
    }
}

/// Renders one postmortem (and the project's action items that point at it) as Markdown.
pub fn postmortem_markdown(project: &Project, pm: &Postmortem) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Postmortem: {}\n", pm.title.trim());
    let _ = writeln!(o, "| Incident | Severity | Status |\n|---|---|---|");
    let _ = writeln!(o, "| {} | {} | {} |\n", cell(or_dash(&pm.incident_id)), cell(or_dash(&pm.severity)), pm.status.name());
    let _ = writeln!(o, "| Started | Detected | Mitigated | Resolved |\n|---|---|---|---|");
    let _ = writeln!(o, "| {} | {} | {} | {} |\n", stamp(pm.started), stamp(pm.detected), stamp(pm.mitigated), stamp(pm.resolved));
    let d = |x: Option<time::Duration>| x.map(format_duration).unwrap_or_else(|| "—".into());
    let _ = writeln!(
        o,
        "**Time to detect:** {} · **Time to mitigate:** {} · **Time to resolve:** {}\n",
        d(pm.time_to_detect()),
        d(pm.time_to_mitigate()),
        d(pm.time_to_resolve())
    );
    let _ = writeln!(o, "This is a blameless postmortem: it looks at how the system and its processes let this happen, not at who.\n");
    let _ = writeln!(o, "## Summary\n\n{}\n", or_dash(&pm.summary));
    let _ = writeln!(o, "## Impact\n");
    let i = &pm.impact;
    if let Some(u) = i.users_affected {
        let _ = writeln!(o, "- Users affected: {u}");
    }
    if let Some(m) = i.duration_minutes {
        let _ = writeln!(o, "- Duration: {}", format_duration(time::Duration::minutes(m as i64)));
    }
    if let Some(r) = i.revenue {
        let _ = writeln!(o, "- Revenue impact: {r:.2}");
    }
    let _ = writeln!(o, "\n{}\n", or_dash(&i.text));
    let _ = writeln!(o, "## Trigger\n\n{}\n", or_dash(&pm.trigger));
    let _ = writeln!(o, "## Detection\n\n{}\n", or_dash(&pm.detection));
    let _ = writeln!(o, "## Resolution\n\n{}\n", or_dash(&pm.resolution));
    findings(project, "Root causes", &pm.root_causes, &mut o);
    findings(project, "Contributing factors", &pm.contributing_factors, &mut o);
    let _ = writeln!(o, "## 5 Whys\n");
    if pm.whys.is_empty() {
        let _ = writeln!(o, "_None recorded._\n");
    } else {
        for (k, w) in pm.whys.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", k + 1, w.trim());
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Lessons learned\n");
    bullets("What went well", &pm.went_well, &mut o);
    bullets("What went poorly", &pm.went_poorly, &mut o);
    bullets("Where we got lucky", &pm.got_lucky, &mut o);
    let _ = writeln!(o, "## Timeline\n");
    if pm.timeline.is_empty() {
        let _ = writeln!(o, "_No timeline recorded._\n");
    } else {
        let _ = writeln!(o, "| Time | Marker | Event |\n|---|---|---|");
        let mut entries: Vec<_> = pm.timeline.iter().collect();
        entries.sort_by_key(|e| e.at);
        for e in entries {
            let _ = writeln!(o, "| {} | {} | {} |", stamp(Some(e.at)), e.marker.map(|m| m.name()).unwrap_or(""), cell(&e.text));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Action items\n");
    let items: Vec<&ActionItem> = project.action_items.iter().filter(|a| a.postmortem == Some(pm.id)).collect();
    if items.is_empty() {
        let _ = writeln!(o, "_No action items._");
    } else {
        let _ = writeln!(o, "| # | Action | Type | Owner | Due | Priority | Status | Success metric | Tracking |\n|---|---|---|---|---|---|---|---|---|");
        for a in items {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                a.id.0,
                cell(&a.title),
                a.kind.name(),
                cell(&a.owner),
                a.due.map(|d| d.to_string()).unwrap_or_default(),
                a.priority.name(),
                a.status.name(),
                cell(&a.success_metric),
                cell(&a.tracking_link)
            );
        }
    }
    o
}
