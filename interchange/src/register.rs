//! The risk register as CSV and as a real XLSX workbook.
//!
//! The rows come from [`faultline_models::fmea::risk_register`]; this module only writes them. Columns are
//! [`RISK_REGISTER_COLUMNS`], one row per risk.
//!
//! The XLSX has one sheet, "Risk register": a bold, filled, frozen header row with an autofilter over every
//! column, numbers as numbers, dates as dates (`yyyy-mm-dd`), probabilities in scientific notation, and the AP
//! cells holding their letter (H, M, L) on a red, amber or green fill.

use faultline_models::fmea::{Ap, Cell, RiskRow, RISK_REGISTER_COLUMNS};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// The name of the register's worksheet in the XLSX.
pub const SHEET_NAME: &str = "Risk register";

/// Fill and font colours of AP cells (the spreadsheet "bad / neutral / good" palette).
pub fn ap_colors(ap: Ap) -> (u32, u32) {
    match ap {
        Ap::High => (0xFFC7CE, 0x9C0006),
        Ap::Medium => (0xFFEB9C, 0x9C5700),
        Ap::Low => (0xC6EFCE, 0x006100),
    }
}

/// Why the XLSX could not be written.
#[derive(Debug, thiserror::Error)]
#[error("could not write the risk register XLSX: {0}")]
pub struct RegisterError(#[from] XlsxError);

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Int(v) => v.to_string(),
        Cell::Float(v) => format!("{v:e}"),
        Cell::Date(d) => crate::fmea_csv::format_date(*d),
        Cell::Ap(ap) => ap.letter().to_string(),
        Cell::Empty => String::new(),
    }
}

/// The register as CSV: the header [`RISK_REGISTER_COLUMNS`], then one line per risk. Dates are `YYYY-MM-DD`,
/// AP is its letter, probabilities are in Rust's shortest round-tripping scientific form (`2.98e-2`).
pub fn to_csv(rows: &[RiskRow]) -> String {
    let io = "writing CSV to memory cannot fail";
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(RISK_REGISTER_COLUMNS).expect(io);
    for r in rows {
        w.write_record(r.cells().iter().map(cell_text)).expect(io);
    }
    String::from_utf8(w.into_inner().expect(io)).expect("CSV of UTF-8 strings is UTF-8")
}

/// Column widths, in characters, by header.
fn width(column: &str) -> f64 {
    match column {
        "Title" | "Cause" | "Consequence" | "Existing Controls" | "Treatment" | "Linked Event" => 36.0,
        "Category" => 22.0,
        "Risk ID" | "Due" | "Last Review" | "Status" | "Owner" | "Event Probability" => 14.0,
        _ => 11.0,
    }
}

/// The register as the bytes of an XLSX workbook (see the module docs for its formatting).
pub fn to_xlsx(rows: &[RiskRow]) -> Result<Vec<u8>, RegisterError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1F4E78))
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let number = Format::new().set_align(FormatAlign::Top);
    let prob = Format::new().set_num_format("0.00E+00").set_align(FormatAlign::Top);
    let date = Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top);
    let ap_format = |ap: Ap| {
        let (fill, font) = ap_colors(ap);
        Format::new()
            .set_bold()
            .set_background_color(Color::RGB(fill))
            .set_font_color(Color::RGB(font))
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::Top)
    };
    let ap_formats = [ap_format(Ap::High), ap_format(Ap::Medium), ap_format(Ap::Low)];
    for (c, name) in RISK_REGISTER_COLUMNS.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *name, &header)?;
        sheet.set_column_width(c, width(name))?;
    }
    sheet.set_row_height(0, 30)?;
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, cell) in r.cells().iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string_with_format(row, c, s, &text)?;
                }
                Cell::Int(v) => {
                    sheet.write_number_with_format(row, c, *v as f64, &number)?;
                }
                Cell::Float(v) => {
                    sheet.write_number_with_format(row, c, *v, &prob)?;
                }
                Cell::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(d.year() as u16, u8::from(d.month()), d.day())?;
                    sheet.write_datetime_with_format(row, c, &dt, &date)?;
                }
                Cell::Ap(ap) => {
                    let f = &ap_formats[*ap as usize];
                    sheet.write_string_with_format(row, c, ap.letter(), f)?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = RISK_REGISTER_COLUMNS.len() as u16 - 1;
    sheet.autofilter(0, 0, rows.len() as u32, last_col)?;
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use faultline_models::fault_tree::{FaultTree, TreeId};
    use faultline_models::fmea::{self, Action, ActionStatus, EventLink, Rating, Row, Worksheet, WorksheetId};
    use faultline_models::project::Project;
    use std::io::Cursor;
    use time::macros::date;

    fn project() -> Project {
        let mut p = Project::new("plant");
        let mut t = FaultTree::new(TreeId(3), "cooling");
        let pump = t.add_basic("PUMP", 0.01);
        let v1 = t.add_basic("V1", 0.1);
        let top = t.add_gate("TOP", faultline_models::fault_tree::GateKind::Or, vec![pump, v1]);
        t.top = Some(top);
        p.fault_trees.push(t);
        let mut ws = Worksheet::new(WorksheetId(1), "Pump DFMEA");
        let r = |v| Rating::new(fmea::RatingKind::Rating, v).unwrap();
        let mut a = Row::new("PUMP", r(9), r(7), r(5));
        a.item = "Pump".into();
        a.cause = "Bearing wear, \"old\"".into();
        a.effect = "No flow".into();
        a.prevention_controls = "Greasing".into();
        a.event = Some(EventLink { tree: TreeId(3), element: pump });
        a.actions.push(Action {
            description: "Standby pump".into(),
            owner: "Ana".into(),
            due: Some(date!(2026 - 12 - 01)),
            status: ActionStatus::Open,
        });
        a.revised_occurrence = Some(r(2));
        ws.add_row(a);
        ws.add_row(Row::new("Seal weeps", r(5), r(6), r(4))); // M
        ws.add_row(Row::new("Paint chips", r(2), r(2), r(2))); // L
        p.fmea.push(ws);
        p
    }

    #[test]
    fn csv_has_the_header_and_one_line_per_risk() {
        let rows = fmea::risk_register(&project(), date!(2026 - 11 - 21));
        let text = to_csv(&rows);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, RISK_REGISTER_COLUMNS);
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 4);
        let first = &records[0];
        assert_eq!(&first[0], "FMEA-1-1");
        assert_eq!(&first[3], "Bearing wear, \"old\"");
        assert_eq!((&first[5], &first[6], &first[7], &first[8], &first[9]), ("9", "7", "5", "315", "H"));
        assert_eq!(&first[13], "2026-12-01");
        assert_eq!((&first[16], &first[18], &first[19]), ("2", "90", "M"));
        assert_eq!(&first[20], "cooling / PUMP");
        assert_eq!(&first[21], "1e-2");
        assert_eq!(&first[22], "2026-11-21");
        assert_eq!(&records[3][0], "FT-3");
        let p: f64 = records[3][21].parse().unwrap();
        assert!((p - (1.0 - 0.99 * 0.9)).abs() < 1e-12, "{p}");
        assert_eq!(&records[3][3], "2 minimal cut set(s); most probable: {V1} 1.000e-1; {PUMP} 1.000e-2");
    }

    #[test]
    fn xlsx_reads_back_with_its_cells() {
        let rows = fmea::risk_register(&project(), date!(2026 - 11 - 21));
        let bytes = to_xlsx(&rows).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(book.sheet_names(), vec![SHEET_NAME.to_string()]);
        let range = book.worksheet_range(SHEET_NAME).unwrap();
        assert_eq!(range.get_size(), (5, RISK_REGISTER_COLUMNS.len()));
        for (c, name) in RISK_REGISTER_COLUMNS.iter().enumerate() {
            assert_eq!(range.get((0, c)), Some(&Data::String(name.to_string())));
        }
        assert_eq!(range.get((1, 0)), Some(&Data::String("FMEA-1-1".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::String("Pump: PUMP".into())));
        assert_eq!(range.get((1, 5)), Some(&Data::Float(9.0)));
        assert_eq!(range.get((1, 8)), Some(&Data::Float(315.0)));
        assert_eq!(range.get((1, 9)), Some(&Data::String("H".into())));
        assert_eq!(range.get((2, 9)), Some(&Data::String("M".into())));
        assert_eq!(range.get((3, 9)), Some(&Data::String("L".into())));
        assert_eq!(range.get((1, 19)), Some(&Data::String("M".into())));
        assert_eq!(range.get((1, 21)), Some(&Data::Float(0.01)));
        match range.get((1, 13)) {
            // 2026-12-01 is serial day 46357 in the 1900 date system.
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 46357.0),
            other => panic!("Due is not a date: {other:?}"),
        }
        assert_eq!(range.get((4, 0)), Some(&Data::String("FT-3".into())));
        assert_eq!(range.get((4, 5)), Some(&Data::Empty));
        match range.get((4, 21)) {
            Some(Data::Float(p)) => assert!((p - (1.0 - 0.99 * 0.9)).abs() < 1e-12),
            other => panic!("no top-event probability: {other:?}"),
        }
    }

    /// The parts of the XLSX that calamine does not expose: frozen pane, autofilter, AP fills.
    #[test]
    fn xlsx_has_frozen_header_autofilter_and_coloured_ap_cells() {
        let rows = fmea::risk_register(&project(), date!(2026 - 11 - 21));
        let bytes = to_xlsx(&rows).unwrap();
        let mut zip = zip_entries(&bytes);
        let sheet = zip.remove("xl/worksheets/sheet1.xml").expect("sheet1");
        assert!(
            sheet.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#),
            "{sheet}"
        );
        assert!(sheet.contains(r#"<autoFilter ref="A1:W5"/>"#), "{sheet}");
        let styles = zip.remove("xl/styles.xml").expect("styles");
        for ap in [Ap::High, Ap::Medium, Ap::Low] {
            let (fill, font) = ap_colors(ap);
            assert!(styles.contains(&format!("<fgColor rgb=\"FF{fill:06X}\"/>")), "fill of {ap}: {styles}");
            assert!(styles.contains(&format!("<color rgb=\"FF{font:06X}\"/>")), "font of {ap}");
        }
    }

    /// Unzips the text entries of an XLSX with calamine's own zip dependency.
    fn zip_entries(bytes: &[u8]) -> std::collections::HashMap<String, String> {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = std::collections::HashMap::new();
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).unwrap();
            let mut s = String::new();
            if f.read_to_string(&mut s).is_ok() {
                out.insert(f.name().expect("entry name").to_string(), s);
            }
        }
        out
    }
}
