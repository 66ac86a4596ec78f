//! FMEA worksheets (AIAG & VDA 2019): failure modes rated by severity S, occurrence O and detection D, their
//! RPN and Action Priority (AP), MIL-STD-1629A mode criticality, and the risk register built from a project.
//!
//! - [`Rating`] can only hold 1..=10; out-of-range values are rejected with a message such as
//!   `severity must be 1..10, got 11`, also when deserialising.
//! - [`action_priority`] reads the handbook's AP table, kept once as data in [`AP_TABLE`].
//! - A [`Row`] may be linked to a fault-tree basic event ([`EventLink`]): the failure mode and the basic event are
//!   one identity shown in two views, and [`Project::rename_basic_event`] / [`Project::rename_failure_mode`]
//!   keep their names alike.
//! - [`rank`], [`pareto`], [`risk_matrix`] and [`ap_counts`] are the worksheet's summaries;
//!   [`risk_register`] turns a whole project into register rows (file writing lives in `faultline-interchange`).

use crate::analysis::Options;
use crate::fault_tree::{ElementId, ElementKind, TreeId};
use crate::project::Project;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::Date;

// ---------------------------------------------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------------------------------------------

/// Which rating a value was meant to be; names the rating in error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RatingKind {
    /// A rating of unknown role (plain [`TryFrom`]).
    Rating,
    Severity,
    Occurrence,
    Detection,
}

impl RatingKind {
    /// The glossary word: "severity", "occurrence", "detection" or "rating".
    pub fn name(self) -> &'static str {
        match self {
            RatingKind::Rating => "rating",
            RatingKind::Severity => "severity",
            RatingKind::Occurrence => "occurrence",
            RatingKind::Detection => "detection",
        }
    }
}

/// A value outside 1..=10 given as a rating.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} must be 1..10, got {value}", kind.name())]
pub struct RatingError {
    /// Which rating it was meant to be.
    pub kind: RatingKind,
    /// The rejected value.
    pub value: i64,
}

/// A severity, occurrence or detection rating: an integer in 1..=10 and nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rating(u8);

impl Rating {
    /// The lowest rating, 1.
    pub const MIN: Rating = Rating(1);
    /// The highest rating, 10.
    pub const MAX: Rating = Rating(10);

    /// Checks `value` as a rating of the given kind; the error names the kind
    /// (`severity must be 1..10, got 11`).
    pub fn new(kind: RatingKind, value: i64) -> Result<Rating, RatingError> {
        if (1..=10).contains(&value) {
            Ok(Rating(value as u8))
        } else {
            Err(RatingError { kind, value })
        }
    }

    /// A severity rating S.
    pub fn severity(value: i64) -> Result<Rating, RatingError> {
        Rating::new(RatingKind::Severity, value)
    }

    /// An occurrence rating O.
    pub fn occurrence(value: i64) -> Result<Rating, RatingError> {
        Rating::new(RatingKind::Occurrence, value)
    }

    /// A detection rating D.
    pub fn detection(value: i64) -> Result<Rating, RatingError> {
        Rating::new(RatingKind::Detection, value)
    }

    /// The rating as a number in 1..=10.
    pub fn get(self) -> u8 {
        self.0
    }

    /// All ten ratings, 1 first.
    pub fn all() -> impl Iterator<Item = Rating> {
        (1..=10).map(Rating)
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u8> for Rating {
    type Error = RatingError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Rating::new(RatingKind::Rating, value.into())
    }
}

impl TryFrom<u32> for Rating {
    type Error = RatingError;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Rating::new(RatingKind::Rating, value.into())
    }
}

impl TryFrom<i64> for Rating {
    type Error = RatingError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Rating::new(RatingKind::Rating, value)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

impl Serialize for Rating {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

fn de_rating<'de, D: Deserializer<'de>>(d: D, kind: RatingKind) -> Result<Rating, D::Error> {
    let v = i64::deserialize(d)?;
    Rating::new(kind, v).map_err(serde::de::Error::custom)
}

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_rating(d, RatingKind::Rating)
    }
}

fn de_severity<'de, D: Deserializer<'de>>(d: D) -> Result<Rating, D::Error> {
    de_rating(d, RatingKind::Severity)
}
fn de_occurrence<'de, D: Deserializer<'de>>(d: D) -> Result<Rating, D::Error> {
    de_rating(d, RatingKind::Occurrence)
}
fn de_detection<'de, D: Deserializer<'de>>(d: D) -> Result<Rating, D::Error> {
    de_rating(d, RatingKind::Detection)
}
fn de_opt<'de, D: Deserializer<'de>>(d: D, kind: RatingKind) -> Result<Option<Rating>, D::Error> {
    match Option::<i64>::deserialize(d)? {
        None => Ok(None),
        Some(v) => Rating::new(kind, v).map(Some).map_err(serde::de::Error::custom),
    }
}
fn de_opt_severity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rating>, D::Error> {
    de_opt(d, RatingKind::Severity)
}
fn de_opt_occurrence<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rating>, D::Error> {
    de_opt(d, RatingKind::Occurrence)
}
fn de_opt_detection<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rating>, D::Error> {
    de_opt(d, RatingKind::Detection)
}

// ---------------------------------------------------------------------------------------------------------------
// Action Priority
// ---------------------------------------------------------------------------------------------------------------

/// Action Priority, AIAG & VDA FMEA Handbook (2019). Orders High < Medium < Low, so sorting puts High first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Ap {
    #[serde(rename = "H")]
    High,
    #[serde(rename = "M")]
    Medium,
    #[serde(rename = "L")]
    Low,
}

impl Ap {
    /// The handbook letter: "H", "M" or "L".
    pub fn letter(self) -> &'static str {
        match self {
            Ap::High => "H",
            Ap::Medium => "M",
            Ap::Low => "L",
        }
    }

    /// The word: "High", "Medium" or "Low".
    pub fn word(self) -> &'static str {
        match self {
            Ap::High => "High",
            Ap::Medium => "Medium",
            Ap::Low => "Low",
        }
    }
}

impl fmt::Display for Ap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

/// The handbook's AP table, as data: `AP_TABLE[s_band][o_band]` is four letters, for D bands 7–10, 5–6, 2–4, 1.
///
/// S bands, in order: 9–10, 7–8, 4–6, 2–3, 1. O bands: 8–10, 6–7, 4–5, 2–3, 1. One table serves DFMEA and PFMEA.
pub const AP_TABLE: [[&[u8; 4]; 5]; 5] = [
    [b"HHHH", b"HHHH", b"HHHM", b"HMLL", b"LLLL"], // S 9–10
    [b"HHHH", b"HHHM", b"HMMM", b"MMLL", b"LLLL"], // S 7–8
    [b"HHMM", b"MMML", b"MLLL", b"LLLL", b"LLLL"], // S 4–6
    [b"MMLL", b"LLLL", b"LLLL", b"LLLL", b"LLLL"], // S 2–3
    [b"LLLL", b"LLLL", b"LLLL", b"LLLL", b"LLLL"], // S 1
];

fn s_band(s: Rating) -> usize {
    match s.get() {
        9..=10 => 0,
        7..=8 => 1,
        4..=6 => 2,
        2..=3 => 3,
        _ => 4,
    }
}

fn o_band(o: Rating) -> usize {
    match o.get() {
        8..=10 => 0,
        6..=7 => 1,
        4..=5 => 2,
        2..=3 => 3,
        _ => 4,
    }
}

fn d_band(d: Rating) -> usize {
    match d.get() {
        7..=10 => 0,
        5..=6 => 1,
        2..=4 => 2,
        _ => 3,
    }
}

/// The Action Priority of a severity, occurrence and detection, looked up in [`AP_TABLE`]. O(1).
pub fn action_priority(s: Rating, o: Rating, d: Rating) -> Ap {
    match AP_TABLE[s_band(s)][o_band(o)][d_band(d)] {
        b'H' => Ap::High,
        b'M' => Ap::Medium,
        _ => Ap::Low,
    }
}

/// The risk priority number S·O·D, in 1..=1000.
pub fn rpn(s: Rating, o: Rating, d: Rating) -> u16 {
    u16::from(s.get()) * u16::from(o.get()) * u16::from(d.get())
}

// ---------------------------------------------------------------------------------------------------------------
// Worksheets
// ---------------------------------------------------------------------------------------------------------------

/// Identifies a worksheet inside a project. Stable for the life of the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorksheetId(pub u32);

/// Identifies a row inside one worksheet. Never reused after a deletion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RowId(pub u32);

/// The state of a recommended action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    InProgress,
    Done,
    Cancelled,
}

impl ActionStatus {
    /// Every status, in workflow order.
    pub const ALL: [ActionStatus; 4] =
        [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done, ActionStatus::Cancelled];

    /// The word shown to users and written to files: "Open", "In progress", "Done", "Cancelled".
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "Open",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
            ActionStatus::Cancelled => "Cancelled",
        }
    }

    /// Parses a label, case-insensitively, ignoring spaces, `_` and `-` ("in progress", "IN_PROGRESS").
    pub fn parse(text: &str) -> Option<ActionStatus> {
        let key: String = text.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect::<String>().to_lowercase();
        ActionStatus::ALL.into_iter().find(|s| s.label().replace(' ', "").to_lowercase() == key)
    }

    /// Whether the action needs no more work (done or cancelled).
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Cancelled)
    }
}

impl fmt::Display for ActionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A recommended action of a worksheet row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub description: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(default)]
    pub status: ActionStatus,
}

/// A link from a failure mode to a basic event of a fault tree of the same project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventLink {
    pub tree: TreeId,
    pub element: ElementId,
}

/// One failure mode of a worksheet, with its ratings, controls and actions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: RowId,
    /// The item or system.
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub function: String,
    pub failure_mode: String,
    /// The effect(s) of the failure mode.
    #[serde(default)]
    pub effect: String,
    #[serde(deserialize_with = "de_severity")]
    pub severity: Rating,
    /// The cause(s).
    #[serde(default)]
    pub cause: String,
    #[serde(deserialize_with = "de_occurrence")]
    pub occurrence: Rating,
    #[serde(default)]
    pub prevention_controls: String,
    #[serde(default)]
    pub detection_controls: String,
    #[serde(deserialize_with = "de_detection")]
    pub detection: Rating,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Severity after the recommended actions.
    #[serde(default, deserialize_with = "de_opt_severity", skip_serializing_if = "Option::is_none")]
    pub revised_severity: Option<Rating>,
    #[serde(default, deserialize_with = "de_opt_occurrence", skip_serializing_if = "Option::is_none")]
    pub revised_occurrence: Option<Rating>,
    #[serde(default, deserialize_with = "de_opt_detection", skip_serializing_if = "Option::is_none")]
    pub revised_detection: Option<Rating>,
    /// Part failure rate λp, per hour (MIL-STD-1629A).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_rate: Option<f64>,
    /// Failure mode ratio α: the share of the part's failures that are this mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode_ratio: Option<f64>,
    /// Failure effect probability β.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect_probability: Option<f64>,
    /// Operating time t, in hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_time: Option<f64>,
    /// The basic event this failure mode is, in a fault tree of the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventLink>,
}

impl Row {
    /// A row with the given failure mode and ratings and everything else empty. The id is set by
    /// [`Worksheet::add_row`].
    pub fn new(failure_mode: impl Into<String>, severity: Rating, occurrence: Rating, detection: Rating) -> Row {
        Row {
            id: RowId(0),
            item: String::new(),
            function: String::new(),
            failure_mode: failure_mode.into(),
            effect: String::new(),
            severity,
            cause: String::new(),
            occurrence,
            prevention_controls: String::new(),
            detection_controls: String::new(),
            detection,
            actions: Vec::new(),
            revised_severity: None,
            revised_occurrence: None,
            revised_detection: None,
            failure_rate: None,
            mode_ratio: None,
            effect_probability: None,
            operating_time: None,
            event: None,
        }
    }

    /// RPN = S·O·D.
    pub fn rpn(&self) -> u16 {
        rpn(self.severity, self.occurrence, self.detection)
    }

    /// The Action Priority of S, O and D.
    pub fn ap(&self) -> Ap {
        action_priority(self.severity, self.occurrence, self.detection)
    }

    /// Whether any revised rating is given.
    pub fn is_revised(&self) -> bool {
        self.revised_severity.is_some() || self.revised_occurrence.is_some() || self.revised_detection.is_some()
    }

    /// The ratings after the actions: each revised rating where given, else the original one.
    pub fn revised_ratings(&self) -> (Rating, Rating, Rating) {
        (
            self.revised_severity.unwrap_or(self.severity),
            self.revised_occurrence.unwrap_or(self.occurrence),
            self.revised_detection.unwrap_or(self.detection),
        )
    }

    /// The revised RPN, `None` when no revised rating is given.
    pub fn revised_rpn(&self) -> Option<u16> {
        let (s, o, d) = self.revised_ratings();
        self.is_revised().then(|| rpn(s, o, d))
    }

    /// The revised AP, `None` when no revised rating is given.
    pub fn revised_ap(&self) -> Option<Ap> {
        let (s, o, d) = self.revised_ratings();
        self.is_revised().then(|| action_priority(s, o, d))
    }

    /// MIL-STD-1629A failure mode criticality Cm = β·α·λp·t, when all four are given.
    pub fn mode_criticality(&self) -> Option<f64> {
        Some(self.effect_probability? * self.mode_ratio? * self.failure_rate? * self.operating_time?)
    }
}

/// One FMEA worksheet: a list of failure modes of one scope (a design, a process, a service).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Worksheet {
    pub id: WorksheetId,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub rows: Vec<Row>,
    /// The next id [`Worksheet::add_row`] hands out, so that row ids are never reused.
    #[serde(default)]
    pub next_row_id: u32,
}

impl Worksheet {
    /// An empty worksheet.
    pub fn new(id: WorksheetId, name: impl Into<String>) -> Worksheet {
        Worksheet { id, name: name.into(), description: String::new(), rows: Vec::new(), next_row_id: 1 }
    }

    /// Adds a row with a fresh id (never one a past row had) and returns that id.
    pub fn add_row(&mut self, mut row: Row) -> RowId {
        let past = self.rows.iter().map(|r| r.id.0 + 1).max().unwrap_or(1);
        let id = RowId(past.max(self.next_row_id).max(1));
        self.next_row_id = id.0 + 1;
        row.id = id;
        self.rows.push(row);
        id
    }

    /// The row with this id. O(n).
    pub fn row(&self, id: RowId) -> Option<&Row> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// The row with this id, mutable. O(n).
    pub fn row_mut(&mut self, id: RowId) -> Option<&mut Row> {
        self.rows.iter_mut().find(|r| r.id == id)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------------------------

/// The rows ranked by AP (High first), then RPN (highest first), then S (highest first); ties keep their order.
/// O(n log n).
pub fn rank<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Vec<&'a Row> {
    let mut v: Vec<&Row> = rows.into_iter().collect();
    v.sort_by(|a, b| a.ap().cmp(&b.ap()).then(b.rpn().cmp(&a.rpn())).then(b.severity.cmp(&a.severity)));
    v
}

/// One bar of the RPN Pareto.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoBar {
    pub row: RowId,
    pub failure_mode: String,
    pub rpn: u16,
    /// The share of the total RPN of this bar and every bar before it, in percent (the last bar is 100).
    pub cumulative_percent: f64,
}

/// The RPN Pareto: rows sorted by RPN, highest first (ties by S, then in row order), with the cumulative share
/// of the total RPN. Empty for no rows. O(n log n).
pub fn pareto<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Vec<ParetoBar> {
    let mut v: Vec<&Row> = rows.into_iter().collect();
    v.sort_by(|a, b| b.rpn().cmp(&a.rpn()).then(b.severity.cmp(&a.severity)));
    let total: f64 = v.iter().map(|r| f64::from(r.rpn())).sum();
    let mut running = 0.0;
    v.into_iter()
        .map(|r| {
            running += f64::from(r.rpn());
            ParetoBar {
                row: r.id,
                failure_mode: r.failure_mode.clone(),
                rpn: r.rpn(),
                cumulative_percent: 100.0 * running / total,
            }
        })
        .collect()
}

/// The S×O risk matrix: `m[s - 1][o - 1]` counts the rows with severity s and occurrence o. O(n).
pub fn risk_matrix<'a>(rows: impl IntoIterator<Item = &'a Row>) -> [[u32; 10]; 10] {
    let mut m = [[0u32; 10]; 10];
    for r in rows {
        m[usize::from(r.severity.get() - 1)][usize::from(r.occurrence.get() - 1)] += 1;
    }
    m
}

/// How many rows have each Action Priority.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApCounts {
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl ApCounts {
    /// The count for one AP.
    pub fn get(&self, ap: Ap) -> u32 {
        match ap {
            Ap::High => self.high,
            Ap::Medium => self.medium,
            Ap::Low => self.low,
        }
    }

    fn add(&mut self, ap: Ap) {
        match ap {
            Ap::High => self.high += 1,
            Ap::Medium => self.medium += 1,
            Ap::Low => self.low += 1,
        }
    }
}

/// AP counts before and after the recommended actions. "After" uses [`Row::revised_ratings`]: a row with no
/// revised rating counts with its original AP. O(n).
pub fn ap_counts<'a>(rows: impl IntoIterator<Item = &'a Row>) -> (ApCounts, ApCounts) {
    let (mut before, mut after) = (ApCounts::default(), ApCounts::default());
    for r in rows {
        before.add(r.ap());
        let (s, o, d) = r.revised_ratings();
        after.add(action_priority(s, o, d));
    }
    (before, after)
}

// ---------------------------------------------------------------------------------------------------------------
// One identity across views
// ---------------------------------------------------------------------------------------------------------------

/// Why a rename was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("no fault tree with id {0}")]
    NoTree(u32),
    #[error("fault tree \"{tree}\" has no element {element}")]
    NoElement { tree: String, element: ElementId },
    #[error("\"{name}\" in fault tree \"{tree}\" is not a basic or undeveloped event")]
    NotAnEvent { tree: String, name: String },
    #[error("fault tree \"{tree}\" already has an element named \"{name}\"")]
    NameTaken { tree: String, name: String },
    #[error("the name must not be empty")]
    EmptyName,
    #[error("no FMEA worksheet with id {0}")]
    NoWorksheet(u32),
    #[error("worksheet \"{sheet}\" has no row {row}")]
    NoRow { sheet: String, row: u32 },
}

impl Project {
    /// The FMEA worksheet with this id.
    pub fn worksheet(&self, id: WorksheetId) -> Option<&Worksheet> {
        self.fmea.iter().find(|w| w.id == id)
    }

    /// Renames a basic (or undeveloped) event, and every failure mode linked to it, to `new_name`.
    /// Refused, changing nothing, when the name is empty or taken by another element of the tree.
    pub fn rename_basic_event(&mut self, tree: TreeId, element: ElementId, new_name: &str) -> Result<(), RenameError> {
        self.rename_event_only(tree, element, new_name)?;
        for row in self.fmea.iter_mut().flat_map(|w| w.rows.iter_mut()) {
            if row.event == Some(EventLink { tree, element }) {
                row.failure_mode = new_name.to_string();
            }
        }
        Ok(())
    }

    /// Renames a failure mode; when it is linked to a basic event, renames the event and every other failure mode
    /// linked to it too. Refused, changing nothing, when the name is empty, or the linked event's tree has another
    /// element by that name.
    pub fn rename_failure_mode(&mut self, sheet: WorksheetId, row: RowId, new_name: &str) -> Result<(), RenameError> {
        let ws = self.fmea.iter().find(|w| w.id == sheet).ok_or(RenameError::NoWorksheet(sheet.0))?;
        let r = ws.row(row).ok_or_else(|| RenameError::NoRow { sheet: ws.name.clone(), row: row.0 })?;
        match r.event {
            Some(link) => self.rename_basic_event(link.tree, link.element, new_name),
            None => {
                if new_name.trim().is_empty() {
                    return Err(RenameError::EmptyName);
                }
                let ws = self.fmea.iter_mut().find(|w| w.id == sheet).expect("found above");
                ws.row_mut(row).expect("found above").failure_mode = new_name.to_string();
                Ok(())
            }
        }
    }

    fn rename_event_only(&mut self, tree: TreeId, element: ElementId, new_name: &str) -> Result<(), RenameError> {
        if new_name.trim().is_empty() {
            return Err(RenameError::EmptyName);
        }
        let t = self.fault_trees.iter_mut().find(|t| t.id == tree).ok_or(RenameError::NoTree(tree.0))?;
        if t.elements.iter().any(|e| e.id != element && e.name == new_name) {
            return Err(RenameError::NameTaken { tree: t.name.clone(), name: new_name.to_string() });
        }
        let tree_name = t.name.clone();
        let e = t.element_mut(element).ok_or(RenameError::NoElement { tree: tree_name.clone(), element })?;
        if !matches!(e.kind, ElementKind::BasicEvent { .. } | ElementKind::UndevelopedEvent { .. }) {
            return Err(RenameError::NotAnEvent { tree: tree_name, name: e.name.clone() });
        }
        e.name = new_name.to_string();
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Risk register
// ---------------------------------------------------------------------------------------------------------------

/// The register's column headers, in order. [`RiskRow::cells`] gives one row's cells in the same order.
pub const RISK_REGISTER_COLUMNS: [&str; 23] = [
    "Risk ID",
    "Title",
    "Category",
    "Cause",
    "Consequence",
    "Severity",
    "Occurrence",
    "Detection",
    "RPN",
    "AP",
    "Owner",
    "Existing Controls",
    "Treatment",
    "Due",
    "Status",
    "Residual Severity",
    "Residual Occurrence",
    "Residual Detection",
    "Residual RPN",
    "Residual AP",
    "Linked Event",
    "Event Probability",
    "Last Review",
];

/// How many cut sets of a top event the register lists.
pub const REGISTER_CUT_SETS: usize = 5;

/// One cell of a register row, typed so that spreadsheets get numbers and dates, not text.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Float(f64),
    Date(Date),
    Ap(Ap),
    Empty,
}

/// One risk of the risk register: an FMEA failure mode or a fault-tree top event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskRow {
    /// Stable: `FMEA-<worksheet id>-<row id>` or `FT-<tree id>`.
    pub risk_id: String,
    pub title: String,
    /// `"FMEA: <worksheet>"` or "Fault tree".
    pub category: String,
    /// The cause; for a top event, its minimal cut set count and most probable cut sets,
    /// e.g. "3 minimal cut set(s); most probable: {A, B} 1.200e-3; {C} 1.000e-4".
    pub cause: String,
    pub consequence: String,
    pub severity: Option<u8>,
    pub occurrence: Option<u8>,
    pub detection: Option<u8>,
    pub rpn: Option<u16>,
    pub ap: Option<Ap>,
    /// The owners of the treatments, joined by "; ".
    pub owner: String,
    /// Prevention and detection controls already in place.
    pub existing_controls: String,
    /// The recommended actions, joined by "; ".
    pub treatment: String,
    /// The earliest due date of an open treatment (or of any, when all are closed).
    pub due: Option<Date>,
    /// "Open", "In treatment", "Treated", "Accepted" or, for a tree that does not validate, "Invalid model".
    pub status: String,
    pub residual_severity: Option<u8>,
    pub residual_occurrence: Option<u8>,
    pub residual_detection: Option<u8>,
    pub residual_rpn: Option<u16>,
    pub residual_ap: Option<Ap>,
    /// The linked basic event ("tree / event"), or for a top event its name.
    pub linked_event: String,
    /// The linked event's probability, or the top event's exact probability.
    pub event_probability: Option<f64>,
    pub last_review: Date,
}

impl RiskRow {
    /// The row's cells in the order of [`RISK_REGISTER_COLUMNS`].
    pub fn cells(&self) -> Vec<Cell> {
        fn text(s: &str) -> Cell {
            if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.to_string())
            }
        }
        fn int<T: Into<i64>>(v: Option<T>) -> Cell {
            v.map_or(Cell::Empty, |v| Cell::Int(v.into()))
        }
        vec![
            text(&self.risk_id),
            text(&self.title),
            text(&self.category),
            text(&self.cause),
            text(&self.consequence),
            int(self.severity),
            int(self.occurrence),
            int(self.detection),
            int(self.rpn),
            self.ap.map_or(Cell::Empty, Cell::Ap),
            text(&self.owner),
            text(&self.existing_controls),
            text(&self.treatment),
            self.due.map_or(Cell::Empty, Cell::Date),
            text(&self.status),
            int(self.residual_severity),
            int(self.residual_occurrence),
            int(self.residual_detection),
            int(self.residual_rpn),
            self.residual_ap.map_or(Cell::Empty, Cell::Ap),
            text(&self.linked_event),
            self.event_probability.map_or(Cell::Empty, Cell::Float),
            Cell::Date(self.last_review),
        ]
    }
}

fn join_nonempty<'a>(parts: impl IntoIterator<Item = &'a str>, sep: &str) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen.join(sep)
}

/// Postmortem action items that treat a risk, pending ones first.
fn linked_items(
    project: &Project,
    linked: impl Fn(&crate::rca::actions::ActionItem) -> bool,
) -> Vec<&crate::rca::actions::ActionItem> {
    let mut items: Vec<_> = project.action_items.iter().filter(|a| linked(a)).collect();
    items.sort_by_key(|a| !a.status.is_pending());
    items
}

/// Adds postmortem action items to a register row's treatment, owner, due date and status.
fn add_items(row: &mut RiskRow, items: &[&crate::rca::actions::ActionItem]) {
    if items.is_empty() {
        return;
    }
    let mut treatments: Vec<String> = if row.treatment.is_empty() { Vec::new() } else { vec![row.treatment.clone()] };
    treatments.extend(items.iter().map(|a| format!("{} ({})", a.title, a.status.name())));
    row.treatment = treatments.join("; ");
    let owners = [row.owner.clone()];
    row.owner = join_nonempty(owners.iter().map(String::as_str).chain(items.iter().map(|a| a.owner.as_str())), "; ");
    let pending_due = items.iter().filter(|a| a.status.is_pending()).filter_map(|a| a.due).min();
    row.due = match (row.due, pending_due) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let pending = items.iter().any(|a| a.status.is_pending());
    row.status = match (row.status.as_str(), pending) {
        (_, true) => "In treatment".to_string(),
        ("Open" | "Accepted", false) => "Treated".to_string(),
        (s, false) => s.to_string(),
    };
}

fn fmea_risk(project: &Project, sheet: &Worksheet, row: &Row, today: Date) -> RiskRow {
    let open: Vec<&Action> = row.actions.iter().filter(|a| !a.status.is_closed()).collect();
    let status = if row.actions.is_empty() {
        if row.ap() == Ap::Low {
            "Accepted"
        } else {
            "Open"
        }
    } else if open.is_empty() {
        "Treated"
    } else {
        "In treatment"
    };
    let due_pool: Vec<&Action> = if open.is_empty() { row.actions.iter().collect() } else { open };
    let (mut linked_event, mut event_probability) = (String::new(), None);
    if let Some(link) = row.event {
        if let Some(tree) = project.tree(link.tree) {
            if let Some(e) = tree.element(link.element) {
                linked_event = format!("{} / {}", tree.name, e.name);
                event_probability = match e.kind {
                    ElementKind::BasicEvent { probability } | ElementKind::UndevelopedEvent { probability } => {
                        probability.value(tree.mission_time)
                    }
                    _ => None,
                };
            }
        }
    }
    let revised = row.is_revised();
    let (rs, ro, rd) = row.revised_ratings();
    let here = crate::rca::FmeaRef { sheet: sheet.id.0, row: row.id.0 };
    let items = linked_items(project, |a| {
        a.links.fmea_rows.contains(&here)
            || row.event.is_some_and(|l| a.links.events.iter().any(|e| e.tree == l.tree && e.element == l.element))
    });
    let mut out = RiskRow {
        risk_id: format!("FMEA-{}-{}", sheet.id.0, row.id.0),
        title: if row.item.is_empty() {
            row.failure_mode.clone()
        } else {
            format!("{}: {}", row.item, row.failure_mode)
        },
        category: format!("FMEA: {}", sheet.name),
        cause: row.cause.clone(),
        consequence: row.effect.clone(),
        severity: Some(row.severity.get()),
        occurrence: Some(row.occurrence.get()),
        detection: Some(row.detection.get()),
        rpn: Some(row.rpn()),
        ap: Some(row.ap()),
        owner: join_nonempty(row.actions.iter().map(|a| a.owner.as_str()), "; "),
        existing_controls: join_nonempty([row.prevention_controls.as_str(), row.detection_controls.as_str()], "; "),
        treatment: join_nonempty(row.actions.iter().map(|a| a.description.as_str()), "; "),
        due: due_pool.iter().filter_map(|a| a.due).min(),
        status: status.to_string(),
        residual_severity: revised.then_some(rs.get()),
        residual_occurrence: revised.then_some(ro.get()),
        residual_detection: revised.then_some(rd.get()),
        residual_rpn: row.revised_rpn(),
        residual_ap: row.revised_ap(),
        linked_event,
        event_probability,
        last_review: today,
    };
    add_items(&mut out, &items);
    out
}

fn tree_risk(project: &Project, tree: &crate::fault_tree::FaultTree, today: Date) -> RiskRow {
    let top_name = tree.top.and_then(|t| tree.element(t)).map(|e| e.name.clone()).unwrap_or_default();
    let title = if !tree.label.is_empty() {
        tree.label.clone()
    } else if !top_name.is_empty() {
        top_name.clone()
    } else {
        tree.name.clone()
    };
    let mut row = RiskRow {
        risk_id: format!("FT-{}", tree.id.0),
        title,
        category: "Fault tree".to_string(),
        cause: String::new(),
        consequence: tree.description.clone(),
        severity: None,
        occurrence: None,
        detection: None,
        rpn: None,
        ap: None,
        owner: String::new(),
        existing_controls: String::new(),
        treatment: String::new(),
        due: None,
        status: "Open".to_string(),
        residual_severity: None,
        residual_occurrence: None,
        residual_detection: None,
        residual_rpn: None,
        residual_ap: None,
        linked_event: format!("{} / {}", tree.name, top_name),
        event_probability: None,
        last_review: today,
    };
    match project.analyze_tree(tree.id, &Options::default()) {
        Ok((_, a)) => {
            row.event_probability = Some(a.probability.best());
            let mut sets: Vec<&crate::analysis::CutSet> = a.cut_sets.iter().collect();
            sets.sort_by(|x, y| y.probability.total_cmp(&x.probability).then(x.order.cmp(&y.order)));
            let listed: Vec<String> = sets
                .iter()
                .take(REGISTER_CUT_SETS)
                .map(|c| format!("{{{}}} {:.3e}", c.events.join(", "), c.probability))
                .collect();
            row.cause = format!("{} minimal cut set(s); most probable: {}", a.cut_set_count, listed.join("; "));
        }
        Err(problems) => {
            row.status = "Invalid model".to_string();
            row.cause = format!("the fault tree does not validate ({} problem(s))", problems.len());
        }
    }
    let items = linked_items(project, |a| a.links.events.iter().any(|e| e.tree == tree.id));
    add_items(&mut row, &items);
    row
}

/// The project's risk register: one row per FMEA failure mode (worksheets in order, rows ranked by
/// [`rank`]), then one per fault tree with a top event. Postmortem action items are treatments: of a failure
/// mode when they link to its row or its basic event, of a top event when they link to an event of its tree. `today` is the "Last Review" date (the models have no
/// clock). Analyses each fault tree once.
pub fn risk_register(project: &Project, today: Date) -> Vec<RiskRow> {
    let mut out = Vec::new();
    for sheet in &project.fmea {
        for row in rank(&sheet.rows) {
            out.push(fmea_risk(project, sheet, row, today));
        }
    }
    for tree in project.fault_trees.iter().filter(|t| t.top.is_some()) {
        out.push(tree_risk(project, tree, today));
    }
    out
}

#[cfg(test)]
mod tests;
