//! What kind of file a caller was given: by its content first, by its extension second. No IO: callers pass the
//! bytes (the first few kilobytes are enough).

use std::path::Path;

/// A kind of file Faultline can open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// Open-PSA MEF XML (`<opsa-mef>`).
    MefXml,
    /// Faultline's native JSON (a project or a fault tree).
    Json,
    /// A Faultline project file (SQLite).
    ProjectDb,
    /// Comma-, semicolon- or tab-separated values.
    Csv,
    /// An Excel workbook (a ZIP holding `xl/`).
    Xlsx,
    /// None of the above.
    Unknown,
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// How far into the file content sniffing looks.
const WINDOW: usize = 64 * 1024;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Detects the kind of a file from its name and bytes.
///
/// Content wins: the SQLite header means a project file; a ZIP holding `xl/` (or a ZIP named `.xlsx`) a
/// workbook; text starting with `<` that mentions `opsa-mef` MEF XML; text starting with `{` JSON; text whose
/// first lines split into the same number (at least two) of fields on `,`, `;` or tab, CSV. When the content is
/// not conclusive the extension decides (`.xml`, `.json`, `.faultline`/`.db`/`.sqlite`, `.csv`/`.tsv`,
/// `.xlsx`). Complexity: O(min(n, 64 KiB)).
pub fn detect(name: impl AsRef<Path>, bytes: &[u8]) -> FileKind {
    let ext = name
        .as_ref()
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(WINDOW)];
    if head.starts_with(SQLITE_MAGIC) {
        return FileKind::ProjectDb;
    }
    if head.starts_with(ZIP_MAGIC) {
        return if contains(head, b"xl/") || ext == "xlsx" { FileKind::Xlsx } else { FileKind::Unknown };
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).map_or(&text[..0], |i| &text[i..]);
    match start.first() {
        Some(b'<') if contains(start, b"<opsa-mef") => return FileKind::MefXml,
        Some(b'{') => return FileKind::Json,
        _ => {}
    }
    if looks_like_csv(start) {
        return FileKind::Csv;
    }
    match ext.as_str() {
        "xml" | "mef" | "opsa" => FileKind::MefXml,
        "json" => FileKind::Json,
        "faultline" | "db" | "sqlite" | "sqlite3" => FileKind::ProjectDb,
        "csv" | "tsv" => FileKind::Csv,
        "xlsx" => FileKind::Xlsx,
        _ => FileKind::Unknown,
    }
}

/// Whether the first (up to five) complete lines have the same number (at least two) of fields on one
/// delimiter, ignoring delimiters inside double quotes.
fn looks_like_csv(text: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(text).or_else(|e| std::str::from_utf8(&text[..e.valid_up_to()])) else {
        return false;
    };
    if s.starts_with('<') || s.starts_with('[') || s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return false;
    }
    let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).take(5).collect();
    if lines.is_empty() {
        return false;
    }
    [b',', b';', b'\t'].iter().any(|&d| {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| {
                let mut quoted = false;
                1 + l.bytes().filter(|&b| {
                    if b == b'"' {
                        quoted = !quoted;
                    }
                    b == d && !quoted
                })
                .count()
            })
            .collect();
        // The last line may be cut by the window.
        let full = if lines.len() > 1 && text.len() >= WINDOW { &counts[..counts.len() - 1] } else { &counts[..] };
        full[0] >= 2 && full.iter().all(|&c| c == full[0])
    })
}

#[cfg(test)]
mod tests {
    use super::{detect, FileKind};

    #[test]
    fn content_wins_over_the_extension() {
        assert_eq!(detect("model.json", b"<?xml version=\"1.0\"?>\n<opsa-mef>\n</opsa-mef>"), FileKind::MefXml);
        assert_eq!(detect("model.xml", b"  {\"format\": 1}"), FileKind::Json);
        assert_eq!(detect("notes.txt", b"SQLite format 3\0rest"), FileKind::ProjectDb);
        assert_eq!(detect("book.bin", b"PK\x03\x04....xl/workbook.xml"), FileKind::Xlsx);
        assert_eq!(detect("archive.zip", b"PK\x03\x04....word/document.xml"), FileKind::Unknown);
        assert_eq!(detect("data", b"name,severity,occurrence\nleak,8,3\nburst,9,2\n"), FileKind::Csv);
        assert_eq!(detect("data", b"\xEF\xBB\xBFname;s;o\n\"a;b\";1;2\n"), FileKind::Csv);
        assert_eq!(detect("x.xml", b"\xEF\xBB\xBF<opsa-mef/>"), FileKind::MefXml);
    }

    #[test]
    fn the_extension_decides_when_the_content_does_not() {
        assert_eq!(detect("a.XML", b"<other/>"), FileKind::MefXml);
        assert_eq!(detect("a.csv", b"one column\nonly\n"), FileKind::Csv);
        assert_eq!(detect("p.faultline", b""), FileKind::ProjectDb);
        assert_eq!(detect("b.xlsx", b"PK\x03\x04"), FileKind::Xlsx);
        assert_eq!(detect("a.json", b"[1]"), FileKind::Json);
        assert_eq!(detect("readme", b"just some words\n"), FileKind::Unknown);
        assert_eq!(detect("r.txt", b"a,b\nc\n"), FileKind::Unknown);
    }
}
