//! Checks on postmortems: the RCA definition of done, blameless-language hints, and statistics across
//! postmortems (recurring causes as a Pareto, action-item completion within the SLA, MTTD/MTTR by month).
//!
//! "Today" is always a parameter.

use super::actions::{ActionItem, ActionStatus, ActionType};
use super::postmortem::{Postmortem, PostmortemId};
use crate::project::Project;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Duration};

/// The default action-item SLA, in days.
pub const DEFAULT_SLA_DAYS: i64 = 30;

/// Which rule of the definition of done failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DodRule {
    /// No preventive action with an owner, a due date and a success metric.
    NoPreventiveAction,
    /// A root cause no action item addresses.
    RootCauseUnaddressed,
    /// The timeline is empty.
    NoTimeline,
    /// A pending action item past its due date, or past the SLA when it has none.
    Overdue,
}

/// One failed rule of the definition of done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DodFinding {
    pub postmortem: PostmortemId,
    pub rule: DodRule,
    pub message: String,
}

/// The action items of one postmortem.
pub fn actions_of(project: &Project, pm: PostmortemId) -> Vec<&ActionItem> {
    project.action_items.iter().filter(|a| a.postmortem == Some(pm)).collect()
}

/// Checks the RCA definition of done of one postmortem:
/// - at least one preventive action (type prevent, not "won't do") with an owner, a due date and a
///   success metric;
/// - every root cause addressed by some action item of the postmortem: one that links the root cause itself,
///   or one of its fishbone causes, or one of its basic events;
/// - a timeline present;
/// - no pending action item overdue: past its due date, or, without one, more than `sla_days` after it was
///   created.
///
/// Returns the failed rules (empty when the postmortem is done). Cost: O(A · R) for A items and R root causes.
pub fn definition_of_done(project: &Project, pm: &Postmortem, today: Date, sla_days: i64) -> Vec<DodFinding> {
    let actions = actions_of(project, pm.id);
    let mut out = Vec::new();
    let mut push = |rule, message: String| out.push(DodFinding { postmortem: pm.id, rule, message });
    let preventive = actions.iter().any(|a| {
        a.kind == ActionType::Prevent
            && a.status != ActionStatus::WontDo
            && !a.owner.trim().is_empty()
            && a.due.is_some()
            && !a.success_metric.trim().is_empty()
    });
    if !preventive {
        push(
            DodRule::NoPreventiveAction,
            format!("\"{}\": no preventive action item with an owner, a due date and a success metric", pm.title),
        );
    }
    for rc in &pm.root_causes {
        let addressed = actions.iter().any(|a| {
            a.status != ActionStatus::WontDo
                && (a.links.findings.contains(&rc.id)
                    || rc.causes.iter().any(|c| a.links.causes.contains(c))
                    || rc.events.iter().any(|e| a.links.events.contains(e)))
        });
        if !addressed {
            push(DodRule::RootCauseUnaddressed, format!("\"{}\": root cause {} \"{}\" is addressed by no action item", pm.title, rc.id.0, rc.text));
        }
    }
    if pm.timeline.is_empty() {
        push(DodRule::NoTimeline, format!("\"{}\": the timeline is empty", pm.title));
    }
    for a in &actions {
        if let Some(late) = overdue_by(a, today, sla_days) {
            push(DodRule::Overdue, format!("\"{}\": action item {} \"{}\" is overdue by {} days", pm.title, a.id.0, a.title, late));
        }
    }
    out
}

/// How many days a pending action item is overdue: past its due date, or past `created + sla_days` when it has
/// no due date. `None` when it is not overdue (or done, or won't do).
pub fn overdue_by(a: &ActionItem, today: Date, sla_days: i64) -> Option<i64> {
    if !a.status.is_pending() {
        return None;
    }
    let deadline = a.due.or_else(|| a.created.map(|c| c + Duration::days(sla_days)))?;
    let late = (today - deadline).whole_days();
    (late > 0).then_some(late)
}

/// A blameless-language hint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlamelessHint {
    pub postmortem: PostmortemId,
    /// Where the phrase is: "summary", "root cause 2", "timeline 14:05", ...
    pub field: String,
    /// The phrase found.
    pub phrase: String,
    /// The suggested rewording.
    pub suggestion: String,
}

/// Blaming phrases and how to reword them.
const PHRASES: &[(&str, &str)] = &[
    ("human error", "Describe the system condition that let the action cause harm (e.g. \"the deploy tool accepted a config without validation\")."),
    ("should have", "State what happened and what made the right action hard (e.g. \"the runbook did not mention the flag\")."),
    ("careless", "Describe the conditions (time pressure, missing guard-rails, unclear UI) rather than a trait of a person."),
    ("fault of", "Name the gap in the process or tooling, not the person whose action exposed it."),
    ("negligen", "Describe the missing safeguard; postmortems judge systems, not people."),
    ("blame", "Focus on contributing conditions; a blameless review asks what, not who."),
];

/// Person-as-cause verbs: "<name> broke", "<name> forgot", ...
const BLAME_VERBS: &[&str] = &["broke", "forgot", "caused", "missed", "deleted", "failed", "ignored", "did not", "didn't", "pushed", "mistakenly"];

/// Blameless-language hints for one postmortem: blaming phrases anywhere in its text, and a person named as
/// the cause in a root cause, contributing factor or trigger. The people known are the action-item owners of
/// the project plus `people`. Each hint carries a suggested rewording. These are hints, not errors.
pub fn blameless_hints(project: &Project, pm: &Postmortem, people: &[String]) -> Vec<BlamelessHint> {
    let mut texts: Vec<(String, &str, bool)> = vec![
        ("title".into(), pm.title.as_str(), false),
        ("summary".into(), &pm.summary, false),
        ("impact".into(), &pm.impact.text, false),
        ("trigger".into(), &pm.trigger, true),
        ("detection".into(), &pm.detection, false),
        ("resolution".into(), &pm.resolution, false),
    ];
    for f in &pm.root_causes {
        texts.push((format!("root cause {}", f.id.0), &f.text, true));
    }
    for f in &pm.contributing_factors {
        texts.push((format!("contributing factor {}", f.id.0), &f.text, true));
    }
    for (label, list) in [("went well", &pm.went_well), ("went poorly", &pm.went_poorly), ("got lucky", &pm.got_lucky), ("why", &pm.whys)] {
        for (i, t) in list.iter().enumerate() {
            texts.push((format!("{label} {}", i + 1), t, label == "why"));
        }
    }
    for e in &pm.timeline {
        texts.push((format!("timeline {}", e.at.time()), &e.text, false));
    }
    let mut names: Vec<String> = project.action_items.iter().map(|a| a.owner.trim().to_string()).chain(people.iter().cloned()).filter(|n| !n.is_empty()).collect();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for (field, text, causal) in texts {
        let lower = text.to_lowercase();
        for (phrase, suggestion) in PHRASES {
            if lower.contains(phrase) {
                out.push(BlamelessHint { postmortem: pm.id, field: field.clone(), phrase: phrase.to_string(), suggestion: suggestion.to_string() });
            }
        }
        for name in &names {
            // Any part of the name ("Alice" of "Alice Smith") followed by a blaming verb, or the whole name
            // as the subject of a causal statement.
            let parts: Vec<String> = std::iter::once(name.to_lowercase()).chain(name.split_whitespace().map(str::to_lowercase)).collect();
            let named = parts.iter().find(|p| {
                let subject = causal && starts_with_word(&lower, p);
                subject || BLAME_VERBS.iter().any(|v| contains_word(&lower, &format!("{p} {v}")))
            });
            if let Some(p) = named {
                out.push(BlamelessHint {
                    postmortem: pm.id,
                    field: field.clone(),
                    phrase: text[..].chars().skip(lower.find(p.as_str()).map(|i| lower[..i].chars().count()).unwrap_or(0)).take(p.chars().count()).collect(),
                    suggestion: "Name the role and the system condition instead of a person (e.g. \"the on-call engineer ran the script; the script had no dry-run mode\").".into(),
                });
            }
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.trim_start().strip_prefix(word).is_some_and(|rest| !rest.starts_with(is_word_char))
}

fn contains_word(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

/// One bar of a Pareto chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoBar {
    pub category: String,
    pub count: usize,
    /// The cumulative share of all counts up to and including this bar, in [0, 1].
    pub cumulative: f64,
}

/// Recurring causes by category across postmortems, as a Pareto (largest first, ties by name). Each root cause
/// and contributing factor counts once per distinct fishbone category of its linked causes; one without a
/// linked cause counts as "Uncategorised".
pub fn cause_pareto(project: &Project) -> Vec<ParetoBar> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for pm in &project.postmortems {
        for f in pm.root_causes.iter().chain(&pm.contributing_factors) {
            let mut cats: Vec<String> = f
                .causes
                .iter()
                .filter_map(|c| project.fishbone(c.fishbone)?.category_of(c.cause))
                .map(|c| if c.is_empty() { "Uncategorised".to_string() } else { c })
                .collect();
            cats.sort();
            cats.dedup();
            if cats.is_empty() {
                cats.push("Uncategorised".into());
            }
            for c in cats {
                *counts.entry(c).or_default() += 1;
            }
        }
    }
    let total: usize = counts.values().sum();
    let mut bars: Vec<(String, usize)> = counts.into_iter().collect();
    bars.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut acc = 0;
    bars.into_iter()
        .map(|(category, count)| {
            acc += count;
            ParetoBar { category, count, cumulative: acc as f64 / total as f64 }
        })
        .collect()
}

/// Action-item completion within the SLA.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompletionStats {
    /// Items whose SLA window has closed (created more than `sla_days` ago) or that are done; won't-do items
    /// are left out.
    pub counted: usize,
    /// Of those, done within `sla_days` of their creation.
    pub within_sla: usize,
    /// `within_sla / counted`, `None` when nothing is counted.
    pub rate: Option<f64>,
}

/// The action-item completion rate within the SLA, across the project. Items without a created date are left
/// out (their SLA cannot be measured).
pub fn completion_within_sla(project: &Project, today: Date, sla_days: i64) -> CompletionStats {
    let (mut counted, mut within) = (0, 0);
    for a in &project.action_items {
        let Some(created) = a.created else { continue };
        let deadline = created + Duration::days(sla_days);
        match (a.status, a.completed) {
            (ActionStatus::WontDo, _) => {}
            (ActionStatus::Done, Some(done)) => {
                counted += 1;
                if done <= deadline {
                    within += 1;
                }
            }
            _ if today > deadline => counted += 1,
            _ => {}
        }
    }
    CompletionStats { counted, within_sla: within, rate: (counted > 0).then(|| within as f64 / counted as f64) }
}

/// Mean time to detect and to resolve of the postmortems that started in one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthlyTimes {
    /// "YYYY-MM", of the incident start (UTC offset as recorded).
    pub month: String,
    pub incidents: usize,
    /// Mean time to detect in minutes, over the incidents that have both timestamps.
    pub mttd_minutes: Option<f64>,
    /// Mean time to resolve in minutes.
    pub mttr_minutes: Option<f64>,
}

/// MTTD and MTTR by month of incident start, oldest month first. Postmortems without a start are left out.
pub fn times_by_month(project: &Project) -> Vec<MonthlyTimes> {
    let mut months: BTreeMap<String, Vec<&Postmortem>> = BTreeMap::new();
    for pm in &project.postmortems {
        if let Some(s) = pm.started {
            months.entry(format!("{:04}-{:02}", s.year(), u8::from(s.month()))).or_default().push(pm);
        }
    }
    let mean = |xs: Vec<f64>| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
    months
        .into_iter()
        .map(|(month, pms)| MonthlyTimes {
            month,
            incidents: pms.len(),
            mttd_minutes: mean(pms.iter().filter_map(|p| p.time_to_detect()).map(|d| d.as_seconds_f64() / 60.0).collect()),
            mttr_minutes: mean(pms.iter().filter_map(|p| p.time_to_resolve()).map(|d| d.as_seconds_f64() / 60.0).collect()),
        })
        .collect()
}
