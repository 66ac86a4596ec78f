//! `faultline new PROJECT [--samples] [--name NAME]`: creates a project file.

use faultline_models::project::Project;
use faultline_models::samples;
use faultline_store::Store;
use std::path::PathBuf;

/// Arguments of `faultline new`.
#[derive(clap::Args)]
pub struct Args {
    /// The project file to create (by convention with the extension .faultline); must not exist.
    project: PathBuf,
    /// Seed the project with the ten sample incidents instead of starting empty.
    #[arg(long)]
    samples: bool,
    /// The project's name (default: the file name without its extension).
    #[arg(long)]
    name: Option<String>,
}

/// Creates the file and prints its path.
pub fn run(args: Args) -> Result<(), String> {
    let name = args
        .name
        .unwrap_or_else(|| args.project.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
    let project = if args.samples {
        Project { name, ..samples::default_project() }
    } else {
        Project::new(name)
    };
    let store = Store::create(&args.project, &project).map_err(|e| e.to_string())?;
    println!(
        "Created {} ({} fault trees)",
        store.path().display(),
        store.project().fault_trees.len()
    );
    Ok(())
}
