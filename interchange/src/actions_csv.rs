//! Action items to CSV that common issue trackers import (Jira, GitHub/GitLab importers, Linear, Azure Boards).
//!
//! Columns: `Title, Description, Assignee, Due Date, Priority, Status, Labels`. Dates are ISO 8601
//! (`YYYY-MM-DD`); priorities are `Highest/High/Medium/Low`; statuses `To Do/In Progress/Done/Won't Do`; labels
//! are space-separated words without spaces (`prevent postmortem-INC-1234`), the form Jira's importer expects.
//! Quoting follows RFC 4180.

use faultline_models::project::Project;
use faultline_models::rca::actions::{ActionItem, ActionStatus};

/// The header row.
pub const HEADER: [&str; 7] = ["Title", "Description", "Assignee", "Due Date", "Priority", "Status", "Labels"];

/// The tracker's word for a status.
pub fn tracker_status(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Open => "To Do",
        ActionStatus::InProgress => "In Progress",
        ActionStatus::Done => "Done",
        ActionStatus::WontDo => "Won't Do",
    }
}

fn label(s: &str) -> String {
    s.trim().chars().map(|c| if c.is_whitespace() || c == ',' { '-' } else { c }).collect()
}

/// The description cell: the item's description, then its success metric, tracking link and what it links to
/// (named, not by id, so the tracker's reader can follow).
fn description(project: &Project, a: &ActionItem) -> String {
    let mut parts = Vec::new();
    if !a.description.trim().is_empty() {
        parts.push(a.description.trim().to_string());
    }
    if !a.success_metric.trim().is_empty() {
        parts.push(format!("Success metric: {}", a.success_metric.trim()));
    }
    if !a.tracking_link.trim().is_empty() {
        parts.push(format!("Tracking: {}", a.tracking_link.trim()));
    }
    let events: Vec<String> = a
        .links
        .events
        .iter()
        .filter_map(|e| Some(project.tree(e.tree)?.element(e.element)?.name.clone()))
        .collect();
    if !events.is_empty() {
        parts.push(format!("Basic events: {}", events.join(", ")));
    }
    if !a.links.cut_sets.is_empty() {
        let cs: Vec<String> = a.links.cut_sets.iter().map(|c| format!("{{{}}}", c.join(", "))).collect();
        parts.push(format!("Cut sets: {}", cs.join(", ")));
    }
    let causes: Vec<String> = a.links.causes.iter().filter_map(|c| Some(project.cause(*c)?.text.clone())).collect();
    if !causes.is_empty() {
        parts.push(format!("Fishbone causes: {}", causes.join("; ")));
    }
    let layers: Vec<String> =
        a.links.layers.iter().filter_map(|(s, l)| Some(project.layer_set(*s)?.layer(*l)?.name.clone())).collect();
    if !layers.is_empty() {
        parts.push(format!("Defence layers: {}", layers.join(", ")));
    }
    if !a.links.fmea_rows.is_empty() {
        let rows: Vec<String> = a.links.fmea_rows.iter().map(|r| format!("sheet {} row {}", r.sheet, r.row)).collect();
        parts.push(format!("FMEA rows: {}", rows.join(", ")));
    }
    parts.join("\n")
}

/// Writes the given action items (all of the project's when `items` is `None`) as CSV.
pub fn write_actions(project: &Project, items: Option<&[&ActionItem]>) -> String {
    let all: Vec<&ActionItem> = match items {
        Some(i) => i.to_vec(),
        None => project.action_items.iter().collect(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).expect("writing to memory cannot fail");
    for a in all {
        let mut labels = vec![a.kind.name().to_string()];
        if let Some(pm) = a.postmortem.and_then(|id| project.postmortem(id)) {
            let tag = if pm.incident_id.trim().is_empty() { format!("{}", pm.id.0) } else { pm.incident_id.clone() };
            labels.push(label(&format!("postmortem-{tag}")));
        }
        let due = a.due.map(|d| d.to_string()).unwrap_or_default();
        w.write_record([
            a.title.as_str(),
            &description(project, a),
            a.owner.as_str(),
            &due,
            a.priority.name(),
            tracker_status(a.status),
            &labels.join(" "),
        ])
        .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("flushing memory cannot fail")).expect("CSV of UTF-8 strings is UTF-8")
}
