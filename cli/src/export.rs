//! `faultline export json PROJECT -o OUT`: exports a project.

use faultline_interchange::json;
use faultline_store::Store;
use std::path::PathBuf;

/// Arguments of `faultline export`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

/// The export formats.
#[derive(clap::Subcommand)]
enum Format {
    /// The whole project as versioned JSON (lossless: `faultline import json` reads it back).
    Json {
        /// The project file.
        project: PathBuf,
        /// Where to write the JSON (`-` for standard output).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// One postmortem as SRE-style Markdown.
    Postmortem(crate::export_postmortem::Args),
    /// Action items as CSV for issue trackers (Title, Description, Assignee, Due Date, Priority, Status, Labels).
    Actions(crate::export_actions::Args),
    /// A fishbone picture as SVG or PNG.
    Fishbone(crate::export_fishbone::Args),
    /// A fault-tree picture as SVG or PNG, optionally with a cut set highlighted.
    Tree(crate::export_tree::Args),
    /// The risk register (FMEA failure modes and fault-tree top events) as CSV or XLSX.
    RiskRegister(crate::cmd_register::Args),
}

/// Writes the export.
pub fn run(args: Args) -> Result<(), String> {
    match args.format {
        Format::Json { project, output } => {
            let store = Store::open(&project).map_err(|e| e.to_string())?;
            let text = json::write_project(store.project()) + "\n";
            if output.as_os_str() == "-" {
                print!("{text}");
            } else {
                std::fs::write(&output, text).map_err(|e| format!("{}: {e}", output.display()))?;
            }
            Ok(())
        }
        Format::Postmortem(args) => crate::export_postmortem::run(args),
        Format::Actions(args) => crate::export_actions::run(args),
        Format::Fishbone(args) => crate::export_fishbone::run(args),
        Format::RiskRegister(args) => crate::cmd_register::run(args),
        Format::Tree(args) => crate::export_tree::run(args),
    }
}
