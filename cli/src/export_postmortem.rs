//! `faultline export postmortem INPUT [--id ID] --format md -o OUT`: one postmortem as SRE-style Markdown.

use crate::rca_input;
use faultline_interchange::postmortem_md;
use std::path::PathBuf;

/// The postmortem export formats.
#[derive(Clone, Copy, Default, clap::ValueEnum)]
pub enum PostmortemFormat {
    /// Markdown (the SRE-style template).
    #[default]
    Md,
}

/// Arguments of `faultline export postmortem`.
#[derive(clap::Args)]
pub struct Args {
    /// The project (native JSON or a project file).
    input: PathBuf,
    /// The postmortem's id (default: the first postmortem).
    #[arg(long)]
    id: Option<u32>,
    #[arg(long, value_enum, default_value = "md")]
    format: PostmortemFormat,
    /// Where to write (`-` for standard output).
    #[arg(short, long)]
    output: PathBuf,
}

/// Writes the export.
pub fn run(args: Args) -> Result<(), String> {
    let project = rca_input::load(&args.input)?;
    let pm = postmortem_md::pick(&project, args.id).map_err(|e| format!("{}: {e}", args.input.display()))?;
    let text = match args.format {
        PostmortemFormat::Md => postmortem_md::postmortem_markdown(&project, pm),
    };
    rca_input::write_out(&args.output, text.as_bytes())
}
