//! `faultline layers INPUT --top NAME [--set ID] [--json] [--picture OUT.svg|OUT.png]`: the defence-layer
//! (Swiss-cheese) analysis over the minimal cut sets of a top event.

use crate::rca_input;
use faultline_interchange::diagrams;
use faultline_models::rca::layers::{DepthFlag, LayerSetId};
use std::path::PathBuf;

/// Arguments of `faultline layers`.
#[derive(clap::Args)]
pub struct Args {
    /// The project (native JSON or a project file).
    input: PathBuf,
    /// The top event: a fault tree's name or label, or its top gate's name.
    #[arg(long)]
    top: String,
    /// Only this layer set (default: every layer set in front of the tree, together).
    #[arg(long)]
    set: Option<u32>,
    /// Print the analysis as JSON.
    #[arg(long)]
    json: bool,
    /// Also draw the Swiss-cheese picture (`.png` gives PNG, anything else SVG).
    #[arg(long)]
    picture: Option<PathBuf>,
}

/// Prints the analysis.
pub fn run(args: Args) -> Result<(), String> {
    let project = rca_input::load(&args.input)?;
    let tree = project
        .fault_trees
        .iter()
        .find(|t| t.name == args.top || t.label == args.top || t.top.and_then(|g| t.element(g)).is_some_and(|g| g.name == args.top))
        .ok_or_else(|| {
            let names: Vec<&str> = project.fault_trees.iter().map(|t| t.name.as_str()).collect();
            format!("{}: no top event named \"{}\" (fault trees: {})", args.input.display(), args.top, names.join(", "))
        })?;
    let layers = match args.set {
        Some(id) => {
            let set = project
                .layer_set(LayerSetId(id))
                .filter(|s| s.tree == tree.id)
                .ok_or_else(|| format!("{}: no layer set {id} in front of \"{}\"", args.input.display(), tree.name))?;
            set.layers.clone()
        }
        None => project.layers_of_tree(tree.id),
    };
    let problems: Vec<String> = project.layer_sets.iter().filter(|s| s.tree == tree.id).flat_map(|s| s.problems()).collect();
    if !problems.is_empty() {
        return Err(format!("{}: {}", args.input.display(), problems.join("; ")));
    }
    let la = project.analyze_layers(tree.id, &layers).map_err(|e| format!("{}: {e}", args.input.display()))?;
    if let Some(out) = &args.picture {
        let bytes = if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("png")) {
            diagrams::swiss_cheese_png(&la).map_err(|e| e.to_string())?
        } else {
            diagrams::swiss_cheese_svg(&la).map_err(|e| e.to_string())?.into_bytes()
        };
        rca_input::write_out(out, &bytes)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&la).map_err(|e| e.to_string())?);
        return Ok(());
    }
    println!("Top event: {} ({} minimal cut sets, {} layers)", la.top, la.cut_sets.len(), la.layers.len());
    println!("Rare-event {:.4e}, MCUB {:.4e}", la.rare_event, la.mcub);
    println!("Residual rare-event {:.4e}, residual MCUB {:.4e} (layers assumed independent)", la.residual_rare_event, la.residual_mcub);
    println!("Aligned holes (depth 0): {}, single layer (depth 1): {}", la.aligned_holes, la.single_layer);
    println!("\nLayers:");
    for l in &la.layers {
        println!("  {:<32} {:<10} eff {:>5.1}%  covers {:>3} cut sets, {:.4e} ({:.1}%)", l.name, l.kind.name(), l.effectiveness * 100.0, l.cut_sets, l.probability, l.share * 100.0);
    }
    println!("\nCut sets:");
    for c in &la.cut_sets {
        let flag = match c.flag {
            Some(DepthFlag::AlignedHoles) => "  ALIGNED HOLES",
            Some(DepthFlag::SingleLayer) => "  single layer",
            None => "",
        };
        println!("  {{{}}}  P {:.4e}  depth {}  residual {:.4e}{flag}", c.events.join(", "), c.probability, c.depth, c.residual);
    }
    Ok(())
}
