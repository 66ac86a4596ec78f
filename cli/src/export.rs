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
    }
}
