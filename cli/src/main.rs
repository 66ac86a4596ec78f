//! `faultline`: the command-line tool. Each subcommand lives in its own module with a `run` function that
//! returns `Err(message)` on failure; `main` prints the message to stderr and exits with status 1 (never a panic).

use clap::{Parser, Subcommand};

mod analyze;
mod bench;
mod bench_editor;
mod check;
mod cmd_chart;
mod cmd_register;
mod diff;
mod export;
mod export_actions;
mod export_fishbone;
mod export_postmortem;
mod export_tree;
mod import;
mod layers;
mod new;
mod rca_input;
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
    /// Minimal cut sets, top-event probability (exact, rare-event, MCUB) and importance of a fault tree.
    Analyze(analyze::Args),
    /// Run every benchmark model, check #MCS and P(top) against expected.json, and time it against SCRAM.
    Bench(bench::Args),
    /// Time the editor's work on generated trees (layout, SVG rendering, validation + analysis) and print a table.
    BenchEditor(bench_editor::Args),
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
    /// Check postmortems: the RCA definition of done (non-zero exit on failures) and blameless-language hints.
    Check(check::Args),
    /// Defence-layer (Swiss-cheese) analysis over the minimal cut sets of a top event.
    Layers(layers::Args),
    /// Draw an FMEA chart (RPN Pareto, S×O risk matrix, AP before/after) as SVG or PNG.
    Chart(cmd_chart::Args),
}

/// Makes glibc's malloc cheaper for the diagram packages, whose tables double as they grow. Measured on
/// edf9202 (an analysis of about 3 ms after parsing, `faultline bench`): 1,370 page faults and 2.8 ms
/// (median of 25 runs) by default, 1.9 to 2.2 ms with this.
/// - Freed blocks stay in the process for reuse (glibc gives every freed block above 128 KiB back to the
///   kernel at once, and trims the heap above 128 KiB free, so each larger table was mapped and faulted
///   in afresh). Blocks above 32 MiB, the largest threshold glibc takes, are still mapped on their own.
/// - One arena: the analysis runs on a thread of its own (for its stack), whose arena would otherwise be
///   a separate mapping that the next point does not reach.
/// - The heap grows 64 MiB at a time, and the first 80 MiB are advised for transparent huge pages: a
///   fault then brings in 2 MiB instead of 4 KiB. Address space only: memory costs only when touched.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: called once at start-up, before any other thread exists. mallopt takes parameters and
    // values that mallopt(3) documents; the block is freed at once and never read; madvise only advises
    // on pages of our own heap (between two values of the program break), and changes no contents.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
        let before = libc::sbrk(0) as usize;
        // Grows the heap by the block and the pad (black_box: a malloc freed unused may be elided).
        let block = std::hint::black_box(libc::malloc(16 << 20));
        libc::free(block);
        let after = libc::sbrk(0) as usize;
        const HUGE: usize = 2 << 20;
        let start = before.div_ceil(HUGE) * HUGE;
        if after > start + HUGE {
            libc::madvise(start as *mut libc::c_void, (after - start) / HUGE * HUGE, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() {
    // Rust ignores SIGPIPE, so a write to a closed pipe (`faultline analyze ... | head`) becomes an error
    // that println! turns into a panic. Restore the default action: the process ends quietly, as cat does.
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread exists; SIG_DFL is a valid action for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    tune_allocator();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Bench(args) => bench::run(args),
        Command::BenchEditor(args) => bench_editor::run(args),
        Command::New(args) => new::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::Snapshot(args) => snapshot::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Check(args) => check::run(args),
        Command::Layers(args) => layers::run(args),
        Command::Chart(args) => cmd_chart::run(args),
    };
    if let Err(message) = result {
        eprintln!("faultline: {message}");
        std::process::exit(1);
    }
}
