//! `faultline`: the command-line tool. Each subcommand lives in its own module with a `run` function that
//! returns `Err(message)` on failure; `main` prints the message to stderr and exits with status 1 (never a panic).

use clap::{Parser, Subcommand};

mod diff;
mod export;
mod import;
mod new;
mod snapshot;

/// Faultline: fault trees, FMEA and root-cause analysis in one project file.
#[derive(Parser)]
#[command(name = "faultline", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new project file (empty, or seeded with the sample incidents).
    New(new::Args),
    /// Import a MEF XML, JSON or FMEA CSV file into a project (created if it does not exist).
    Import(import::Args),
    /// Export a project.
    Export(export::Args),
    /// Save the current state of a project as a named snapshot.
    Snapshot(snapshot::Args),
    /// Show what changed between two snapshots of a project.
    Diff(diff::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::New(args) => new::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::Snapshot(args) => snapshot::run(args),
        Command::Diff(args) => diff::run(args),
    };
    if let Err(message) = result {
        eprintln!("faultline: {message}");
        std::process::exit(1);
    }
}
