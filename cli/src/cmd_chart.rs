//! `faultline chart rpn-pareto|risk-matrix|ap INPUT -o OUT.svg|png`: FMEA charts of a project or an FMEA CSV.

use faultline_interchange::charts::{self, ChartFormat};
use faultline_models::fmea::Row;
use std::path::PathBuf;

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// RPN per failure mode, highest first, with the cumulative share.
    RpnPareto,
    /// The S×O heat map.
    RiskMatrix,
    /// Action Priority counts before and after the recommended actions.
    Ap,
}

/// Arguments of `faultline chart`.
#[derive(clap::Args)]
pub struct Args {
    /// The chart to draw.
    #[arg(value_enum)]
    kind: Kind,
    /// A project file, a native JSON project, or an FMEA worksheet as CSV (`.csv`).
    input: PathBuf,
    /// The image to write: `.svg` or `.png`.
    #[arg(short, long)]
    output: PathBuf,
    /// Only this worksheet (by name); default: the failure modes of every worksheet.
    #[arg(long)]
    sheet: Option<String>,
}

/// Draws the chart.
pub fn run(args: Args) -> Result<(), String> {
    let format = ChartFormat::from_path(&args.output)
        .ok_or_else(|| format!("{}: the output must end in .svg or .png", args.output.display()))?;
    let project = crate::cmd_register::load_input(&args.input)?;
    let rows: Vec<&Row> = match &args.sheet {
        None => project.fmea.iter().flat_map(|w| &w.rows).collect(),
        Some(name) => {
            let sheet = project.fmea.iter().find(|w| &w.name == name).ok_or_else(|| {
                let names: Vec<&str> = project.fmea.iter().map(|w| w.name.as_str()).collect();
                format!("{}: no FMEA worksheet named {name:?} (worksheets: {})", args.input.display(), names.join(", "))
            })?;
            sheet.rows.iter().collect()
        }
    };
    if rows.is_empty() {
        return Err(format!("{}: no FMEA failure modes to chart", args.input.display()));
    }
    let bytes = match args.kind {
        Kind::RpnPareto => charts::rpn_pareto(&rows, format),
        Kind::RiskMatrix => charts::risk_matrix(&rows, format),
        Kind::Ap => charts::ap_distribution(&rows, format),
    }
    .map_err(|e| e.to_string())?;
    std::fs::write(&args.output, bytes).map_err(|e| format!("{}: {e}", args.output.display()))
}
