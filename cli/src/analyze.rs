//! `faultline analyze`: minimal cut sets, top-event probability and importance of one top event.
//!
//! The JSON output (`--json`) is a contract that scripts depend on; see the README.

use faultline_interchange::detect::{detect, FileKind};
use faultline_interchange::mef;
use faultline_models::analysis::{analyze_staged, Algorithm, Analysis, Limits, Options, Stage, Stopped};
use faultline_models::fault_tree::validate::{validate, Severity, ValidateOptions};
use faultline_models::fault_tree::FaultTree;
use faultline_models::project::Project;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// MEF XML files (several make one model), a native JSON file, or a project file.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The top event: a gate name (MEF), or a fault tree's name or top-gate name (JSON, project file).
    #[arg(long)]
    top: Option<String>,
    /// How the minimal cut sets are found.
    #[arg(long, value_enum, default_value = "bdd")]
    algorithm: AlgorithmArg,
    /// Drop cut sets with more events than this.
    #[arg(long)]
    limit_order: Option<usize>,
    /// Drop cut sets less probable than this.
    #[arg(long)]
    cut_off: Option<f64>,
    /// Mission time in hours for events given by a failure rate (replaces the model's).
    #[arg(long)]
    mission_time: Option<f64>,
    /// List at most this many cut sets, the most probable (0 lists all).
    #[arg(long, default_value_t = 1000)]
    max_cut_sets: usize,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Give up the BDD when every variable order needs more nodes than this, instead of running until memory
    /// runs out (some 40 bytes per node). With --limit-order or --cut-off, the cut sets are then found
    /// without a BDD and P(top) is approximated from them ("exact" is null); without, it exits 1. 0 skips
    /// the BDD.
    #[arg(long)]
    max_bdd_nodes: Option<usize>,
    /// Stop an analysis by cut sets (past --max-bdd-nodes) whose ZBDD would need more nodes than this,
    /// instead of running until memory runs out (some 16 bytes per node): lower the limit order then.
    #[arg(long)]
    max_zbdd_nodes: Option<usize>,
    /// Stop --algorithm mocus once its rows would hold more entries (events and gates) than this, instead
    /// of exhausting memory (some 17 bytes per entry): lower the limit order, or use the BDD, then.
    #[arg(long, default_value_t = 100_000_000)]
    max_mocus_entries: usize,
    /// In an analysis by cut sets (past --max-bdd-nodes): how many Monte Carlo samples estimate P(top)
    /// besides, with a standard error and a 95% interval (only the approximated module is sampled when
    /// P(top) is exact but for it). Seeded: the same run gives the same figure. 0 for none.
    #[arg(long, default_value_t = faultline_models::analysis::DEFAULT_SAMPLES)]
    samples: u64,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AlgorithmArg {
    Bdd,
    Zbdd,
    Mocus,
}

#[derive(Serialize)]
struct Timings {
    parse_ms: f64,
    bdd_ms: f64,
    cut_sets_ms: f64,
    probability_ms: f64,
}

#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    analysis: &'a Analysis,
    algorithm: &'static str,
    gates: usize,
    basic_events: usize,
    /// `None` when the BDD did not fit under --max-bdd-nodes (an analysis by cut sets).
    bdd_nodes: Option<usize>,
    /// The variable-order heuristic the BDD was built with ([`faultline_models::analysis::pdag::Heuristic::name`]).
    bdd_order: Option<&'static str>,
    zbdd_nodes: Option<usize>,
    timings: Timings,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Loads the files named on the command line into one fault tree plus the project it belongs to.
pub fn load(files: &[PathBuf], top: Option<&str>) -> Result<(FaultTree, Project), String> {
    let mut mef_sources = Vec::new();
    let mut other: Option<Project> = None;
    for f in files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        match detect(f, &bytes) {
            FileKind::MefXml => {
                let text = String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", f.display()))?;
                mef_sources.push(mef::Source::new(f.display().to_string(), text));
            }
            FileKind::Json | FileKind::ProjectDb => {
                if files.len() > 1 {
                    return Err(format!("{}: only MEF XML files can be combined; give a JSON or project file alone", f.display()));
                }
                other = Some(crate::rca_input::load(f)?);
            }
            kind => return Err(format!("{}: not a fault-tree model (detected {kind:?}); expected MEF XML, JSON or a project file", f.display())),
        }
    }
    if !mef_sources.is_empty() {
        let mut tree = mef::import(&mef_sources).map_err(|errs| errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?;
        if let Some(name) = top {
            let el = tree.by_name(name).ok_or_else(|| format!("--top {name}: no gate or event of that name in the model"))?;
            tree.top = Some(el.id);
        } else if tree.top.is_none() {
            let roots = mef::roots(&tree);
            return Err(if roots.is_empty() {
                "the model has no top gate (every gate is an argument of another)".to_string()
            } else {
                format!("several top candidates: {}; choose one with --top", roots.join(", "))
            });
        }
        let mut project = Project::new(tree.name.clone());
        project.fault_trees.push(tree.clone());
        return Ok((tree, project));
    }
    let project = other.ok_or("no input file")?;
    let tree = match top {
        Some(name) => project
            .fault_trees
            .iter()
            .find(|t| t.name == name || t.top.and_then(|id| t.element(id)).is_some_and(|e| e.name == name))
            .ok_or_else(|| format!("--top {name}: no fault tree or top gate of that name; trees: {}", tree_names(&project)))?,
        None if project.fault_trees.len() == 1 => &project.fault_trees[0],
        None if project.fault_trees.is_empty() => return Err("the project has no fault tree".into()),
        None => return Err(format!("the project has {} fault trees; choose one with --top: {}", project.fault_trees.len(), tree_names(&project))),
    };
    Ok((tree.clone(), project.clone()))
}

fn tree_names(p: &Project) -> String {
    p.fault_trees.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
}

pub fn run(args: Args) -> Result<(), String> {
    // Deep trees recurse deeply in the diagram operations: give them a large stack.
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || run_inner(args))
        .map_err(|e| format!("cannot start the analysis thread: {e}"))?
        .join()
        .map_err(|_| "the analysis failed unexpectedly".to_string())?
}

fn run_inner(args: Args) -> Result<(), String> {
    let t = Instant::now();
    let (tree, project) = load(&args.files, args.top.as_deref())?;
    let v = validate(&tree, &project.fault_trees, ValidateOptions { mission_time: args.mission_time });
    for p in &v.problems {
        if p.severity == Severity::Warning && !args.json {
            eprintln!("{p}");
        }
    }
    let errors: Vec<String> = v.errors().map(|p| p.to_string()).collect();
    if !errors.is_empty() {
        return Err(format!("the model has {} error{}:\n{}", errors.len(), if errors.len() == 1 { "" } else { "s" }, errors.join("\n")));
    }
    let valid = v.valid.ok_or("the model did not validate")?;
    let parse_ms = ms(t);

    let options = Options {
        algorithm: match args.algorithm {
            AlgorithmArg::Bdd => Algorithm::Bdd,
            AlgorithmArg::Zbdd => Algorithm::Zbdd,
            AlgorithmArg::Mocus => Algorithm::Mocus,
        },
        limit_order: args.limit_order,
        cut_off: args.cut_off,
        max_cut_sets: args.max_cut_sets,
        samples: args.samples,
    };
    if let Some(c) = options.cut_off {
        if !(0.0..=1.0).contains(&c) {
            return Err(format!("--cut-off {c}: must be a probability in [0, 1]"));
        }
    }
    let limits = Limits { max_nodes: args.max_bdd_nodes, max_zbdd_nodes: args.max_zbdd_nodes, max_mocus_entries: Some(args.max_mocus_entries), ..Limits::default() };
    // Each stage's time is measured from the end of the one before; the diagram sizes are taken after the
    // clock stopped, so they are not timed.
    let (mut bdd_ms, mut probability_ms, mut cut_sets_ms) = (0.0, 0.0, 0.0);
    let (mut bdd_nodes, mut bdd_order, mut zbdd_nodes) = (None, None, None);
    let mut t = Instant::now();
    let staged = analyze_staged(&valid, &options, &limits, &mut |stage| {
        let elapsed = ms(t);
        match stage {
            Stage::Bdd(engine) => {
                bdd_ms = elapsed;
                bdd_nodes = engine.map(|e| e.bdd_size());
                bdd_order = engine.map(|e| e.heuristic().name());
            }
            Stage::Probability => probability_ms = elapsed,
            Stage::CutSets(cut_sets) => {
                cut_sets_ms = elapsed;
                zbdd_nodes = cut_sets.map(|c| c.zbdd_size());
            }
        }
        t = Instant::now();
    });
    let analysis = match staged {
        Ok((analysis, None)) => analysis,
        Ok((analysis, Some(stopped))) => {
            eprintln!("faultline: {}: {stopped} (--max-bdd-nodes); the cut sets were found without a BDD and P(top) is approximated from them", valid.top_name);
            analysis
        }
        Err(stopped) => {
            let top = &valid.top_name;
            return Err(match stopped {
                Stopped::TooLarge { .. } => format!("{top}: {stopped} (--max-bdd-nodes); add --limit-order or --cut-off for truncated cut sets and approximations"),
                Stopped::CutSetsTooLarge { .. } => format!("{top}: {stopped} (--max-zbdd-nodes)"),
                Stopped::RowsTooLarge { .. } => format!("{top}: {stopped} (--max-mocus-entries)"),
                Stopped::Cancelled => format!("{top}: {stopped}"),
            });
        }
    };

    if args.json {
        let out = Output {
            analysis: &analysis,
            algorithm: match options.algorithm {
                Algorithm::Bdd => "bdd",
                Algorithm::Zbdd => "zbdd",
                Algorithm::Mocus => "mocus",
            },
            gates: valid.gates.len(),
            basic_events: valid.events.len(),
            bdd_nodes,
            bdd_order,
            zbdd_nodes,
            timings: Timings { parse_ms, bdd_ms, cut_sets_ms, probability_ms },
        };
        println!("{}", serde_json::to_string(&out).map_err(|e| e.to_string())?);
        return Ok(());
    }
    print_report(&analysis, valid.gates.len(), valid.events.len(), parse_ms, bdd_ms + cut_sets_ms, probability_ms);
    Ok(())
}

fn print_report(a: &Analysis, gates: usize, events: usize, parse_ms: f64, cut_sets_ms: f64, probability_ms: f64) {
    println!("Top event        {}", a.top);
    println!("Model            {gates} gates, {events} basic events");
    match a.probability.exact {
        Some(p) => println!("P(top) exact     {p:.6e}"),
        None => println!("P(top) exact     not computed (the BDD is too large); approximations from the truncated cut sets:"),
    }
    println!("  rare-event     {:.6e}", a.probability.rare_event);
    println!("  MCUB           {:.6e}", a.probability.mcub);
    if let (Some(p), Some(m)) = (a.probability.partial, &a.approximated_module) {
        let within = m.limit_order.map(|k| format!(" to order {k}")).unwrap_or_default();
        println!(
            "  partly exact   {p:.6e}: exact but for module {} ({} events), whose P {:.6e} is the MCUB of its {} cut sets{within}",
            m.gate, m.events, m.probability, m.cut_set_count
        );
        println!("                 (P(top) = {:.6e} + P({}) · {:.6e})", m.if_working, m.gate, m.if_failed - m.if_working);
    }
    if let Some(lower) = a.probability.lower_bound {
        println!("  lower bound    {lower:.6e} (rigorous: P(top) when {} works)", a.approximated_module.as_ref().map_or("", |m| m.gate.as_str()));
    }
    if let Some(e) = a.probability.sampled {
        let what = a.approximated_module.as_ref().map_or_else(|| "the tree".to_string(), |m| format!("module {}", m.gate));
        println!(
            "  Monte Carlo    {:.6e} ± {:.2e} (95%: {:.6e} to {:.6e}; {} samples of {what}, {} hits)",
            e.probability, e.std_error, e.low_95, e.high_95, e.samples, e.hits
        );
    }
    println!("Minimal cut sets {}", a.cut_set_count);
    let dist: Vec<String> = a.order_distribution.iter().enumerate().filter(|(_, c)| **c > 0).map(|(k, c)| format!("order {k}: {c}")).collect();
    if !dist.is_empty() {
        println!("  by order       {}", dist.join(", "));
    }
    println!("Time             parse {parse_ms:.1} ms, cut sets {cut_sets_ms:.1} ms, probability {probability_ms:.1} ms");
    if a.cut_sets.is_empty() {
        println!("\nNo cut sets: the top event cannot occur.");
    } else {
        let shown = a.cut_sets.len();
        println!("\nCut sets ({shown} most probable of {}, by order then name)", a.cut_set_count);
        println!("{:>6}  {:>10}  {:>7}  events", "order", "P", "share");
        for cs in a.cut_sets.iter().take(50) {
            println!("{:>6}  {:>10.3e}  {:>6.2}%  {}", cs.order, cs.probability, cs.share * 100.0, cs.events.join(" · "));
        }
        if shown > 50 {
            println!("  … {} more (use --json for all)", shown - 50);
        }
    }
    let mut imp: Vec<_> = a.importance.iter().collect();
    imp.sort_by(|x, y| y.fussell_vesely.total_cmp(&x.fussell_vesely).then_with(|| x.event.cmp(&y.event)));
    println!("\nImportance (top 20 by Fussell-Vesely)");
    println!("{:<24} {:>10} {:>10} {:>10} {:>10} {:>10}", "event", "FV", "Birnbaum", "crit.", "RAW", "RRW");
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.3e}")).unwrap_or_else(|| "inf".into());
    for i in imp.iter().take(20) {
        println!("{:<24} {:>10.3e} {:>10.3e} {:>10.3e} {:>10} {:>10}", i.event, i.fussell_vesely, i.birnbaum, i.criticality, opt(i.raw), opt(i.rrw));
    }
}
