//! `faultline export tree FILE [--tree NAME] [--highlight EVENT,...] [--collapse GATE,...] -o OUT.svg|OUT.png`:
//! a fault-tree picture, drawn from the same layout as the desktop editor.

use faultline_interchange::tree_picture::{self, PictureOptions};
use faultline_models::fault_tree::{ElementId, FaultTree};
use std::path::PathBuf;

/// Arguments of `faultline export tree`.
#[derive(clap::Args)]
pub struct Args {
    /// A project file, a native JSON project, or MEF XML.
    file: PathBuf,
    /// The fault tree: its name or its top gate's name (MEF: the top gate); needed when there are several.
    #[arg(long)]
    tree: Option<String>,
    /// A cut set to highlight, as comma-separated event names: drawn with the paths to the top in the accent
    /// colour, everything else dimmed.
    #[arg(long, value_delimiter = ',')]
    highlight: Vec<String>,
    /// Gates to draw without their arguments, comma-separated.
    #[arg(long, value_delimiter = ',')]
    collapse: Vec<String>,
    /// Where to write: `.svg` or `.png` (`-` writes SVG to standard output).
    #[arg(short, long)]
    output: PathBuf,
}

/// The ids of the named elements of `tree`, or an error naming the option and the unknown name.
fn ids(tree: &FaultTree, names: &[String], option: &str) -> Result<Vec<ElementId>, String> {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(|n| tree.by_name(n).map(|e| e.id).ok_or_else(|| format!("{option} {n}: no event or gate of that name in fault tree '{}'", tree.name)))
        .collect()
}

/// Writes the picture.
pub fn run(args: Args) -> Result<(), String> {
    let png = match args.output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png") => true,
        Some("svg") => false,
        _ if args.output.as_os_str() == "-" => false,
        _ => return Err(format!("{}: the output must end in .svg or .png", args.output.display())),
    };
    let (tree, project) = crate::analyze::load(std::slice::from_ref(&args.file), args.tree.as_deref()).map_err(|e| e.replace("--top", "--tree"))?;
    let mut options = PictureOptions {
        tree_names: project.fault_trees.iter().map(|t| (t.id, t.name.clone())).collect(),
        ..Default::default()
    };
    if !args.highlight.is_empty() {
        options.highlight = Some(ids(&tree, &args.highlight, "--highlight")?);
    }
    options.layout.collapsed = ids(&tree, &args.collapse, "--collapse")?.into_iter().collect();
    let bytes = if png {
        tree_picture::tree_png(&tree, &options).map_err(|e| e.to_string())?
    } else {
        tree_picture::tree_svg(&tree, &options).into_bytes()
    };
    crate::rca_input::write_out(&args.output, &bytes)
}
