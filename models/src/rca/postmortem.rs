//! Blameless postmortems (Google SRE / PagerDuty practice).
//!
//! A [`Postmortem`] has a header (title, incident id, severity, status and the four timestamps that give the
//! time to detect, mitigate and resolve), the impact, the account (summary, trigger, detection, resolution,
//! root causes and contributing factors linked to fishbone causes and basic events, and the lessons), a
//! timeline and a 5 Whys chain. Its action items live in [`crate::rca::actions`], pointing back at it.

use super::fishbone::{CauseRef, FishboneId};
use super::EventRef;
use crate::project::Project;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// Identifies a postmortem inside a project.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PostmortemId(pub u32);

/// Identifies a root cause or contributing factor inside one postmortem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FindingId(pub u32);

/// Where a postmortem is in its review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostmortemStatus {
    #[default]
    Draft,
    InReview,
    Reviewed,
    Closed,
}

impl PostmortemStatus {
    /// The display word.
    pub fn name(self) -> &'static str {
        match self {
            PostmortemStatus::Draft => "draft",
            PostmortemStatus::InReview => "in review",
            PostmortemStatus::Reviewed => "reviewed",
            PostmortemStatus::Closed => "closed",
        }
    }
}

/// The impact of the incident.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users_affected: Option<u64>,
    /// How long users were affected, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u64>,
    /// Revenue lost, in the project's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue: Option<f64>,
    #[serde(default)]
    pub text: String,
}

/// A root cause or contributing factor, with the evidence it rests on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    pub text: String,
    /// The fishbone causes it corresponds to.
    #[serde(default)]
    pub causes: Vec<CauseRef>,
    /// The basic events it corresponds to.
    #[serde(default)]
    pub events: Vec<EventRef>,
}

/// What a timeline entry marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    Detection,
    Diagnosis,
    Repair,
    KeyMoment,
}

impl Marker {
    /// The display words.
    pub fn name(self) -> &'static str {
        match self {
            Marker::Detection => "detection",
            Marker::Diagnosis => "diagnosis",
            Marker::Repair => "repair",
            Marker::KeyMoment => "key moment",
        }
    }
}

/// One entry of the incident timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<Marker>,
}

/// A blameless postmortem.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Postmortem {
    pub id: PostmortemId,
    pub title: String,
    #[serde(default)]
    pub incident_id: String,
    /// The severity as the organisation names it ("SEV-1", "P2", ...).
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub status: PostmortemStatus,
    /// When the incident started.
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub started: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub detected: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub mitigated: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub resolved: Option<OffsetDateTime>,
    #[serde(default)]
    pub impact: Impact,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub trigger: String,
    #[serde(default)]
    pub detection: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub root_causes: Vec<Finding>,
    #[serde(default)]
    pub contributing_factors: Vec<Finding>,
    #[serde(default)]
    pub went_well: Vec<String>,
    #[serde(default)]
    pub went_poorly: Vec<String>,
    #[serde(default)]
    pub got_lucky: Vec<String>,
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// The 5 Whys chain, from the symptom to a systemic cause.
    #[serde(default)]
    pub whys: Vec<String>,
    /// The fishbone drawn for this incident, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fishbone: Option<FishboneId>,
}

impl Postmortem {
    /// Detection minus start: the time to detect.
    pub fn time_to_detect(&self) -> Option<Duration> {
        Some(self.detected? - self.started?)
    }

    /// Mitigation minus start: the time to mitigate.
    pub fn time_to_mitigate(&self) -> Option<Duration> {
        Some(self.mitigated? - self.started?)
    }

    /// Resolution minus start: the time to resolve.
    pub fn time_to_resolve(&self) -> Option<Duration> {
        Some(self.resolved? - self.started?)
    }

    /// The root cause or contributing factor with this id.
    pub fn finding(&self, id: FindingId) -> Option<&Finding> {
        self.root_causes.iter().chain(&self.contributing_factors).find(|f| f.id == id)
    }

    /// Problems with the timestamps: out of order (detected before started, ...), naming the fields.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let seq = [("started", self.started), ("detected", self.detected), ("mitigated", self.mitigated), ("resolved", self.resolved)];
        for (i, (a, ta)) in seq.iter().enumerate() {
            for (b, tb) in &seq[i + 1..] {
                if let (Some(ta), Some(tb)) = (ta, tb) {
                    if tb < ta {
                        out.push(format!("postmortem {} \"{}\": {b} is before {a}", self.id.0, self.title));
                    }
                }
            }
        }
        out
    }
}

impl Project {
    /// The postmortem with this id.
    pub fn postmortem(&self, id: PostmortemId) -> Option<&Postmortem> {
        self.postmortems.iter().find(|p| p.id == id)
    }
}

/// Formats a duration as "1 h 05 min" or "12 min" (whole minutes, rounded down).
pub fn format_duration(d: Duration) -> String {
    let m = d.whole_minutes();
    if m.abs() >= 60 {
        format!("{} h {:02} min", m / 60, (m % 60).abs())
    } else {
        format!("{m} min")
    }
}
