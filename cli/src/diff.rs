//! `faultline diff PROJECT SNAPSHOT_A SNAPSHOT_B`: what changed between two snapshots (or the current state,
//! named `@current`): documents added, removed and changed, per fault tree the minimal cut set count and
//! P(top), per FMEA worksheet the Action Priority counts.

use faultline_models::analysis::Options;
use faultline_models::diff::diff;
use faultline_models::project::Project;
use faultline_store::Store;
use std::path::PathBuf;

/// The name that stands for the project's current state instead of a snapshot.
const CURRENT: &str = "@current";

/// Arguments of `faultline diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The project file.
    project: PathBuf,
    /// The earlier snapshot (or @current).
    snapshot_a: String,
    /// The later snapshot (or @current).
    snapshot_b: String,
    /// Print the difference as JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn load(store: &Store, name: &str) -> Result<Project, String> {
    if name == CURRENT {
        Ok(store.project().clone())
    } else {
        store.snapshot_project(name).map_err(|e| e.to_string())
    }
}

/// Prints the difference.
pub fn run(args: Args) -> Result<(), String> {
    let store = Store::open(&args.project).map_err(|e| e.to_string())?;
    let a = load(&store, &args.snapshot_a)?;
    let b = load(&store, &args.snapshot_b)?;
    let d = diff(&a, &b, &Options::default()).map_err(|e| format!("{}: {e}", args.project.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&d).map_err(|e| e.to_string())?);
    } else {
        print!("{d}");
    }
    Ok(())
}
