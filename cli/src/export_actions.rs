//! `faultline export actions INPUT [--postmortem ID] -o OUT.csv`: action items as tracker-importable CSV.

use crate::rca_input;
use faultline_interchange::actions_csv;
use faultline_models::rca::actions::ActionItem;
use faultline_models::rca::postmortem::PostmortemId;
use std::path::PathBuf;

/// Arguments of `faultline export actions`.
#[derive(clap::Args)]
pub struct Args {
    /// The project (native JSON or a project file).
    input: PathBuf,
    /// Only the action items of this postmortem.
    #[arg(long)]
    postmortem: Option<u32>,
    /// Where to write the CSV (`-` for standard output).
    #[arg(short, long)]
    output: PathBuf,
}

/// Writes the export.
pub fn run(args: Args) -> Result<(), String> {
    let project = rca_input::load(&args.input)?;
    let text = match args.postmortem {
        Some(id) => {
            project.postmortem(PostmortemId(id)).ok_or_else(|| format!("{}: no postmortem with id {id}", args.input.display()))?;
            let items: Vec<&ActionItem> = project.action_items.iter().filter(|a| a.postmortem == Some(PostmortemId(id))).collect();
            actions_csv::write_actions(&project, Some(&items))
        }
        None => actions_csv::write_actions(&project, None),
    };
    rca_input::write_out(&args.output, text.as_bytes())
}
