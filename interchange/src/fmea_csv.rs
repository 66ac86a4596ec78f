//! FMEA worksheets as CSV: import with every problem reported by row and column, and export back to the same
//! form.
//!
//! The header row names the columns, matched case-insensitively (and ignoring surrounding spaces) in any order:
//! Item, Function, Failure Mode, Effect, Severity, Cause, Occurrence, Prevention Controls, Detection Controls,
//! Detection, and optionally Recommended Action, Owner, Due, Status, Revised Severity, Revised Occurrence and
//! Revised Detection. Rows are numbered like a spreadsheet: the header is row 1.
//!
//! A row may hold several recommended actions, one per line inside the cells of Recommended Action, Owner, Due
//! and Status (an Owner/Due/Status cell is then either empty or has one line per action). [`write`] writes
//! actions the same way, so CSV → worksheet → CSV gives back the same file.
//!
//! A file with any bad cell is rejected whole and [`FmeaCsvError`] lists every problem; a good file never loses
//! a row.

use faultline_models::fmea::{Action, ActionStatus, Rating, RatingKind, Row, Worksheet, WorksheetId};
use std::fmt;
use time::macros::format_description;
use time::Date;

/// The columns, in the order [`write`] writes them.
pub const COLUMNS: [&str; 17] = [
    "Item",
    "Function",
    "Failure Mode",
    "Effect",
    "Severity",
    "Cause",
    "Occurrence",
    "Prevention Controls",
    "Detection Controls",
    "Detection",
    "Recommended Action",
    "Owner",
    "Due",
    "Status",
    "Revised Severity",
    "Revised Occurrence",
    "Revised Detection",
];

/// How many of [`COLUMNS`] (the first ones) a file must have.
pub const REQUIRED_COLUMNS: usize = 10;

const ITEM: usize = 0;
const FUNCTION: usize = 1;
const FAILURE_MODE: usize = 2;
const EFFECT: usize = 3;
const SEVERITY: usize = 4;
const CAUSE: usize = 5;
const OCCURRENCE: usize = 6;
const PREVENTION: usize = 7;
const DETECTION_CONTROLS: usize = 8;
const DETECTION: usize = 9;
const ACTION: usize = 10;
const OWNER: usize = 11;
const DUE: usize = 12;
const STATUS: usize = 13;
const REVISED_S: usize = 14;
const REVISED_O: usize = 15;
const REVISED_D: usize = 16;

/// One problem of an FMEA CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The spreadsheet row (the header is row 1); `None` for problems of the whole file.
    pub row: Option<u64>,
    /// The column's name as in [`COLUMNS`] (or as written, for an unknown column).
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.row, &self.column) {
            (Some(r), Some(c)) => write!(f, "row {r}, column {c}: {}", self.message),
            (Some(r), None) => write!(f, "row {r}: {}", self.message),
            (None, Some(c)) => write!(f, "column {c}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// An FMEA CSV file that was rejected, with every problem found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FmeaCsvError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for FmeaCsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the FMEA CSV has {} problem(s):", self.problems.len())?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FmeaCsvError {}

fn problem(row: Option<u64>, column: Option<&str>, message: impl Into<String>) -> Problem {
    Problem { row, column: column.map(str::to_string), message: message.into() }
}

fn normalise(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Reads an FMEA worksheet from CSV text (a leading UTF-8 byte-order mark is ignored). The worksheet gets `id`
/// and `name`; rows get ids 1, 2, ... in file order. O(size of the file).
///
/// Returns every problem at once when any cell is bad: missing, duplicated or unknown columns, rows with the
/// wrong number of cells, ratings that are not whole numbers in 1..=10, an empty failure mode, dates that are not
/// `YYYY-MM-DD`, unknown statuses, and action cells whose line counts disagree.
pub fn read(text: &str, id: WorksheetId, name: &str) -> Result<Worksheet, FmeaCsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            return Err(FmeaCsvError {
                problems: vec![problem(None, None, "the file is empty (expected a header row)")],
            })
        }
        Some(Err(e)) => return Err(FmeaCsvError { problems: vec![problem(Some(1), None, e.to_string())] }),
        Some(Ok(h)) => h,
    };
    // where[c] = the file's cell index of column c.
    let mut place: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
    for (i, cell) in header.iter().enumerate() {
        let key = normalise(cell);
        match COLUMNS.iter().position(|c| c.to_lowercase() == key) {
            Some(c) if place[c].is_some() => {
                problems.push(problem(Some(1), Some(COLUMNS[c]), "the column appears more than once"))
            }
            Some(c) => place[c] = Some(i),
            None if key.is_empty() => {
                problems.push(problem(Some(1), None, format!("cell {} of the header is empty", i + 1)))
            }
            None => problems.push(problem(
                Some(1),
                Some(cell.trim()),
                format!("unknown column (known columns: {})", COLUMNS.join(", ")),
            )),
        }
    }
    for c in &COLUMNS[..REQUIRED_COLUMNS] {
        let i = COLUMNS.iter().position(|x| x == c).expect("listed");
        if place[i].is_none() {
            problems.push(problem(Some(1), Some(c), "missing column"));
        }
    }
    if !problems.is_empty() {
        return Err(FmeaCsvError { problems });
    }
    let width = header.len();
    let mut sheet = Worksheet::new(id, name);
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map(|p| p.line());
                problems.push(problem(row, None, e.to_string()));
                continue;
            }
        };
        let row_no = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // a blank line of separators, not data
        }
        if record.len() != width {
            problems.push(problem(Some(row_no), None, format!("has {} cells, the header has {width}", record.len())));
            continue;
        }
        let cell = |c: usize| place[c].map_or("", |i| record.get(i).unwrap_or(""));
        if let Some(row) = read_row(&cell, row_no, &mut problems) {
            sheet.add_row(row);
        }
    }
    if problems.is_empty() {
        Ok(sheet)
    } else {
        Err(FmeaCsvError { problems })
    }
}

fn rating(text: &str, kind: RatingKind) -> Result<Rating, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("missing value (expected a whole number 1..10)".to_string());
    }
    let v: i64 = t.parse().map_err(|_| format!("expected a whole number 1..10, got \"{t}\""))?;
    Rating::new(kind, v).map_err(|e| e.to_string())
}

fn lines(text: &str) -> Vec<&str> {
    if text.trim().is_empty() {
        Vec::new()
    } else {
        text.split('\n').map(|l| l.trim_end_matches('\r').trim()).collect()
    }
}

fn read_row<'a>(cell: &dyn Fn(usize) -> &'a str, row_no: u64, problems: &mut Vec<Problem>) -> Option<Row> {
    let before = problems.len();
    let mut bad = |c: usize, m: String| problems.push(problem(Some(row_no), Some(COLUMNS[c]), m));
    let req = |c: usize, kind: RatingKind, bad: &mut dyn FnMut(usize, String)| match rating(cell(c), kind) {
        Ok(r) => Some(r),
        Err(m) => {
            bad(c, m);
            None
        }
    };
    let s = req(SEVERITY, RatingKind::Severity, &mut bad);
    let o = req(OCCURRENCE, RatingKind::Occurrence, &mut bad);
    let d = req(DETECTION, RatingKind::Detection, &mut bad);
    let opt = |c: usize, kind: RatingKind, bad: &mut dyn FnMut(usize, String)| {
        if cell(c).trim().is_empty() {
            None
        } else {
            req(c, kind, bad)
        }
    };
    let rs = opt(REVISED_S, RatingKind::Severity, &mut bad);
    let ro = opt(REVISED_O, RatingKind::Occurrence, &mut bad);
    let rd = opt(REVISED_D, RatingKind::Detection, &mut bad);
    let failure_mode = cell(FAILURE_MODE).trim();
    if failure_mode.is_empty() {
        bad(FAILURE_MODE, "missing value (every row needs a failure mode)".to_string());
    }
    // Actions: one per line of Recommended Action; Owner, Due and Status have as many lines, or none.
    let descriptions = lines(cell(ACTION));
    let n = descriptions.len();
    let column_lines = |c: usize, bad: &mut dyn FnMut(usize, String)| -> Vec<String> {
        let l = lines(cell(c));
        if n == 0 && !l.is_empty() {
            bad(c, format!("{} given without a recommended action", COLUMNS[c].to_lowercase()));
            Vec::new()
        } else if !l.is_empty() && l.len() != n {
            bad(c, format!("has {} line(s), Recommended Action has {n}", l.len()));
            Vec::new()
        } else {
            l.into_iter().map(str::to_string).collect()
        }
    };
    let owners = column_lines(OWNER, &mut bad);
    let dues = column_lines(DUE, &mut bad);
    let statuses = column_lines(STATUS, &mut bad);
    let mut actions = Vec::with_capacity(n);
    for (i, description) in descriptions.iter().enumerate() {
        if description.is_empty() {
            bad(ACTION, format!("line {} is empty", i + 1));
            continue;
        }
        let due = match dues.get(i).map(|s| s.as_str()).filter(|s| !s.is_empty()) {
            None => None,
            Some(t) => match Date::parse(t, format_description!("[year]-[month]-[day]")) {
                Ok(d) => Some(d),
                Err(_) => {
                    bad(DUE, format!("expected a date YYYY-MM-DD, got \"{t}\""));
                    None
                }
            },
        };
        let status = match statuses.get(i).map(|s| s.as_str()).filter(|s| !s.is_empty()) {
            None => ActionStatus::Open,
            Some(t) => ActionStatus::parse(t).unwrap_or_else(|| {
                bad(STATUS, format!("unknown status \"{t}\" (expected Open, In progress, Done or Cancelled)"));
                ActionStatus::Open
            }),
        };
        actions.push(Action {
            description: description.to_string(),
            owner: owners.get(i).cloned().unwrap_or_default(),
            due,
            status,
        });
    }
    if problems.len() != before {
        return None;
    }
    let mut row = Row::new(failure_mode, s?, o?, d?);
    row.item = cell(ITEM).trim().to_string();
    row.function = cell(FUNCTION).trim().to_string();
    row.effect = cell(EFFECT).trim().to_string();
    row.cause = cell(CAUSE).trim().to_string();
    row.prevention_controls = cell(PREVENTION).trim().to_string();
    row.detection_controls = cell(DETECTION_CONTROLS).trim().to_string();
    row.actions = actions;
    row.revised_severity = rs;
    row.revised_occurrence = ro;
    row.revised_detection = rd;
    Some(row)
}

/// Writes a worksheet as CSV with the header [`COLUMNS`] (the three Revised columns only when some row has a
/// revised rating), one line per row in worksheet order, actions one per line inside their cells. `\n` line
/// ends. O(size of the worksheet).
pub fn write(sheet: &Worksheet) -> String {
    let revised = sheet.rows.iter().any(|r| r.is_revised());
    let width = if revised { COLUMNS.len() } else { REVISED_S };
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let io = "writing CSV to memory cannot fail";
    w.write_record(&COLUMNS[..width]).expect(io);
    let opt = |r: Option<Rating>| r.map_or(String::new(), |r| r.to_string());
    for row in &sheet.rows {
        let joined = |f: &dyn Fn(&Action) -> String| -> String {
            if row.actions.iter().all(|a| f(a).is_empty()) {
                String::new()
            } else {
                row.actions.iter().map(f).collect::<Vec<_>>().join("\n")
            }
        };
        let mut cells = vec![
            row.item.clone(),
            row.function.clone(),
            row.failure_mode.clone(),
            row.effect.clone(),
            row.severity.to_string(),
            row.cause.clone(),
            row.occurrence.to_string(),
            row.prevention_controls.clone(),
            row.detection_controls.clone(),
            row.detection.to_string(),
            joined(&|a| a.description.clone()),
            joined(&|a| a.owner.clone()),
            joined(&|a| a.due.map_or(String::new(), format_date)),
            joined(&|a| a.status.label().to_string()),
        ];
        if revised {
            cells.extend([opt(row.revised_severity), opt(row.revised_occurrence), opt(row.revised_detection)]);
        }
        w.write_record(&cells).expect(io);
    }
    String::from_utf8(w.into_inner().expect(io)).expect("CSV of UTF-8 strings is UTF-8")
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
Item,Function,Failure Mode,Effect,Severity,Cause,Occurrence,Prevention Controls,Detection Controls,Detection,Recommended Action,Owner,Due,Status
Pump,Move coolant,Seal leaks,\"Loss of coolant, overheating\",8,Seal wear,4,Seal spec,Leak sensor,3,Upgrade seal,Ana,2026-12-01,In progress
Valve,Isolate,Fails closed,No flow,9,\"Debris\"\"s in line\",2,Strainer,Flow alarm,6,\"Flush line
Add second strainer\",\"Bo
Cy\",\"2026-12-15
\",\"Open
Done\"
Sensor,Measure,Drifts,Wrong reading,4,Ageing,3,Calibration,,5,,,,
";

    fn read_good() -> Worksheet {
        read(GOOD, WorksheetId(1), "Cooling").unwrap()
    }

    #[test]
    fn reads_every_row_and_column() {
        let ws = read_good();
        assert_eq!(ws.rows.len(), 3);
        let r = &ws.rows[0];
        assert_eq!(
            (r.item.as_str(), r.function.as_str(), r.failure_mode.as_str()),
            ("Pump", "Move coolant", "Seal leaks")
        );
        assert_eq!(r.effect, "Loss of coolant, overheating");
        assert_eq!((r.severity.get(), r.occurrence.get(), r.detection.get()), (8, 4, 3));
        assert_eq!(r.prevention_controls, "Seal spec");
        assert_eq!(r.detection_controls, "Leak sensor");
        assert_eq!(r.actions.len(), 1);
        assert_eq!(r.actions[0].owner, "Ana");
        assert_eq!(r.actions[0].status, ActionStatus::InProgress);
        assert_eq!(format_date(r.actions[0].due.unwrap()), "2026-12-01");
        let v = &ws.rows[1];
        assert_eq!(v.cause, "Debris\"s in line");
        assert_eq!(v.actions.len(), 2);
        assert_eq!(v.actions[1].description, "Add second strainer");
        assert_eq!(v.actions[1].owner, "Cy");
        assert_eq!(v.actions[1].due, None);
        assert_eq!(v.actions[1].status, ActionStatus::Done);
        assert!(ws.rows[2].actions.is_empty());
        assert_eq!(ws.rows.iter().map(|r| r.id.0).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn round_trip_csv_model_csv() {
        let ws = read_good();
        let out = write(&ws);
        let again = read(&out, WorksheetId(1), "Cooling").unwrap();
        assert_eq!(again, ws);
        assert_eq!(write(&again), out);
        // The fixture is already in the canonical form, so the text comes back byte for byte.
        assert_eq!(out, GOOD);
    }

    #[test]
    fn round_trip_of_revised_ratings() {
        let text = "Item,Function,Failure Mode,Effect,Severity,Cause,Occurrence,Prevention Controls,Detection Controls,Detection,Recommended Action,Owner,Due,Status,Revised Severity,Revised Occurrence,Revised Detection\n\
                    P,F,M,E,9,C,6,PC,DC,5,Act,Ann,2027-01-31,Done,,2,\n";
        let ws = read(text, WorksheetId(4), "x").unwrap();
        assert_eq!(ws.rows[0].revised_occurrence.map(Rating::get), Some(2));
        assert_eq!(ws.rows[0].revised_severity, None);
        assert_eq!(write(&ws), text);
    }

    #[test]
    fn headers_match_case_insensitively_in_any_order_and_last_four_are_optional() {
        let text = "detection, SEVERITY ,failure mode,occurrence,ITEM,Function,effect,cause,Prevention  Controls,detection controls\n\
                    2,7,Cracks,3,Housing,Contain,Leak,Fatigue,FEA,Inspection\n";
        let ws = read(text, WorksheetId(1), "x").unwrap();
        let r = &ws.rows[0];
        assert_eq!((r.severity.get(), r.occurrence.get(), r.detection.get()), (7, 3, 2));
        assert_eq!((r.item.as_str(), r.prevention_controls.as_str()), ("Housing", "FEA"));
    }

    fn messages(text: &str) -> Vec<String> {
        read(text, WorksheetId(1), "x").unwrap_err().problems.iter().map(|p| p.to_string()).collect()
    }

    const HEADER: &str = "Item,Function,Failure Mode,Effect,Severity,Cause,Occurrence,Prevention Controls,Detection Controls,Detection,Recommended Action,Owner,Due,Status\n";

    #[test]
    fn bad_cells_are_all_reported_by_row_and_column_and_the_file_rejected() {
        let text = format!(
            "{HEADER}\
             P,F,Good row,E,5,C,5,PC,DC,5,,,,\n\
             P,F,M1,E,11,C,0,PC,DC,high,,,,\n\
             P,F,,E,5,C,5,PC,DC,5,Fix,Ann,31/12/2026,finished\n\
             P,F,M3,E,5,C,5,PC,DC\n\
             P,F,M4,E,5,C,5,PC,DC,5,,Ann,,\n\
             P,F,M5,E,5,C,5,PC,DC,5,\"A\nB\",\"Ann\nBo\nCy\",,\n"
        );
        assert_eq!(
            messages(&text),
            vec![
                "row 3, column Severity: severity must be 1..10, got 11",
                "row 3, column Occurrence: occurrence must be 1..10, got 0",
                "row 3, column Detection: expected a whole number 1..10, got \"high\"",
                "row 4, column Failure Mode: missing value (every row needs a failure mode)",
                "row 4, column Due: expected a date YYYY-MM-DD, got \"31/12/2026\"",
                "row 4, column Status: unknown status \"finished\" (expected Open, In progress, Done or Cancelled)",
                "row 5: has 9 cells, the header has 14",
                "row 6, column Owner: owner given without a recommended action",
                "row 7, column Owner: has 3 line(s), Recommended Action has 2",
            ]
        );
        let err = read(&text, WorksheetId(1), "x").unwrap_err();
        assert!(err.to_string().starts_with("the FMEA CSV has 9 problem(s):\n  row 3, column Severity: "));
    }

    #[test]
    fn header_problems() {
        assert_eq!(messages(""), vec!["the file is empty (expected a header row)"]);
        assert_eq!(
            messages("Item,Function,Failure Mode,Effect,severity,Cause,Occurrence,Prevention Controls,Detection Controls,Notes,Severity\n"),
            vec![
                format!("row 1, column Notes: unknown column (known columns: {})", COLUMNS.join(", ")),
                "row 1, column Severity: the column appears more than once".to_string(),
                "row 1, column Detection: missing column".to_string(),
            ]
        );
    }

    #[test]
    fn empty_ratings_and_blank_lines() {
        let text = format!("{HEADER}P,F,M,E,,C,5,PC,DC,5,,,,\n,,,,,,,,,,,,,\n");
        assert_eq!(messages(&text), vec!["row 2, column Severity: missing value (expected a whole number 1..10)"]);
        let ok = format!("{HEADER}P,F,M,E,5,C,5,PC,DC,5,,,,\n,,,,,,,,,,,,,\n\nP,F,N,E,5,C,5,PC,DC,5,,,,\n");
        let ws = read(&ok, WorksheetId(1), "x").unwrap();
        assert_eq!(ws.rows.iter().map(|r| r.failure_mode.as_str()).collect::<Vec<_>>(), vec!["M", "N"]);
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        let text = format!("\u{feff}{HEADER}P,F,M,E,5,C,5,PC,DC,5,,,,\n");
        assert_eq!(read(&text, WorksheetId(1), "x").unwrap().rows.len(), 1);
    }
}
