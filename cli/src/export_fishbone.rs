//! `faultline export fishbone INPUT [--id ID] -o OUT.svg|OUT.png`: a fishbone picture.

use crate::rca_input;
use faultline_interchange::diagrams;
use faultline_models::rca::fishbone::FishboneId;
use std::path::PathBuf;

/// Arguments of `faultline export fishbone`.
#[derive(clap::Args)]
pub struct Args {
    /// The project (native JSON or a project file).
    input: PathBuf,
    /// The fishbone's id (default: the first fishbone).
    #[arg(long)]
    id: Option<u32>,
    /// Where to write: `.png` gives PNG, anything else SVG.
    #[arg(short, long)]
    output: PathBuf,
}

/// Writes the picture.
pub fn run(args: Args) -> Result<(), String> {
    let project = rca_input::load(&args.input)?;
    let fb = match args.id {
        Some(id) => project.fishbone(FishboneId(id)).ok_or_else(|| format!("{}: no fishbone with id {id}", args.input.display()))?,
        None => project.fishbones.first().ok_or_else(|| format!("{}: the project has no fishbone", args.input.display()))?,
    };
    let bytes = if args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("png")) {
        diagrams::fishbone_png(fb).map_err(|e| e.to_string())?
    } else {
        diagrams::fishbone_svg(fb).map_err(|e| e.to_string())?.into_bytes()
    };
    rca_input::write_out(&args.output, &bytes)
}
