//! Loading the INPUT of the RCA commands: a native JSON project, or a project file (SQLite).

use faultline_models::project::Project;
use std::path::Path;

/// Reads a project: JSON when the file starts with `{` (after whitespace), else a project file opened read-only.
pub fn load(path: &Path) -> Result<Project, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        let text = String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", path.display()))?;
        faultline_interchange::json::read(&text).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        let store = faultline_store::Store::open_read_only(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(store.project().clone())
    }
}

/// Writes `bytes` to `out`, or to standard output when `out` is `-`.
pub fn write_out(out: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    if out.as_os_str() == "-" {
        std::io::stdout().write_all(bytes).map_err(|e| format!("standard output: {e}"))
    } else {
        std::fs::write(out, bytes).map_err(|e| format!("{}: {e}", out.display()))
    }
}
