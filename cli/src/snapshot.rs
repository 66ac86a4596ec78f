//! `faultline snapshot PROJECT --name NAME`: saves the current state of a project as a named snapshot.

use faultline_store::Store;
use std::path::PathBuf;

/// Arguments of `faultline snapshot`.
#[derive(clap::Args)]
pub struct Args {
    /// The project file.
    project: PathBuf,
    /// The snapshot's name (unique within the project).
    #[arg(long)]
    name: Option<String>,
    /// List the project's snapshots instead of taking one.
    #[arg(long, conflicts_with = "name")]
    list: bool,
}

/// Takes (or lists) snapshots.
pub fn run(args: Args) -> Result<(), String> {
    let mut store = Store::open(&args.project).map_err(|e| e.to_string())?;
    if args.list {
        for s in store.snapshots().map_err(|e| e.to_string())? {
            let at = s.taken_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
            println!("{at}  {}", s.name);
        }
        return Ok(());
    }
    let Some(name) = args.name else {
        return Err("snapshot needs --name NAME (or --list)".into());
    };
    if name.trim().is_empty() {
        return Err("the snapshot name must not be empty".into());
    }
    store.snapshot(&name, time::OffsetDateTime::now_utc()).map_err(|e| e.to_string())?;
    println!("Saved snapshot {name:?} of {}", store.path().display());
    Ok(())
}
