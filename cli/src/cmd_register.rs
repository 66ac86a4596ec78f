//! `faultline export risk-register INPUT --format csv|xlsx -o OUT`: the risk register of a project (every FMEA
//! failure mode and every fault-tree top event, one row per risk), as CSV or XLSX.

use faultline_interchange::{fmea_csv, register};
use faultline_models::fmea::{self, WorksheetId};
use faultline_models::project::Project;
use std::path::{Path, PathBuf};
use time::Date;

/// The register's file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

/// Arguments of `faultline export risk-register`.
#[derive(clap::Args)]
pub struct Args {
    /// A project file, a native JSON project, or an FMEA worksheet as CSV (`.csv`).
    input: PathBuf,
    /// The file format to write.
    #[arg(long, value_enum)]
    format: Format,
    /// Where to write the register (`-` for standard output).
    #[arg(short, long)]
    output: PathBuf,
    /// The "Last Review" date, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
}

/// Parses a `YYYY-MM-DD` date argument.
pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("expected a date YYYY-MM-DD, got {text:?}"))
}

/// Loads INPUT: an FMEA CSV (by its `.csv` extension) becomes a project with that one worksheet, named after
/// the file; anything else is read as a native JSON project or a project file.
pub fn load_input(path: &Path) -> Result<Project, String> {
    let is_csv = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        return crate::rca_input::load(path);
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let sheet = fmea_csv::read(&text, WorksheetId(1), &name).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut project = Project::new(name);
    project.fmea.push(sheet);
    Ok(project)
}

/// Today's date (UTC), the default review date.
pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// Writes the register.
pub fn run(args: Args) -> Result<(), String> {
    let project = load_input(&args.input)?;
    let rows = fmea::risk_register(&project, args.today.unwrap_or_else(today));
    let bytes = match args.format {
        Format::Csv => register::to_csv(&rows).into_bytes(),
        Format::Xlsx => {
            if args.output.as_os_str() == "-" {
                return Err("an XLSX register cannot go to standard output; give a file with -o".to_string());
            }
            register::to_xlsx(&rows).map_err(|e| e.to_string())?
        }
    };
    crate::rca_input::write_out(&args.output, &bytes)
}
