//! `faultline import (mef|json|fmea) FILE --into PROJECT`: imports a file into a project, as one undoable edit.
//! The project file is created when it does not exist (for JSON, with exactly the imported project: a
//! lossless round trip of `faultline export json`).

use faultline_interchange::{json, mef};
use faultline_models::edit::Transaction;
use faultline_models::fault_tree::{FaultTree, TreeId};
use faultline_models::fmea::WorksheetId;
use faultline_models::project::Project;
use faultline_store::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The formats `faultline import` reads.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Open-PSA Model Exchange Format XML (one fault tree).
    Mef,
    /// Faultline's project (or single fault tree) JSON.
    Json,
    /// An FMEA worksheet as CSV.
    Fmea,
}

/// Arguments of `faultline import`.
#[derive(clap::Args)]
pub struct Args {
    /// The format of FILE.
    format: Format,
    /// The file to import.
    file: PathBuf,
    /// The project file to import into (created when it does not exist).
    #[arg(long)]
    into: PathBuf,
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Reads FILE as a project of its own (documents keep their ids where possible).
fn read(format: Format, file: &Path) -> Result<Project, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    match format {
        Format::Json => json::read(&text).map_err(|e| format!("{}: {e}", file.display())),
        Format::Mef => {
            let tree = mef::import(&[mef::Source::new(file.display().to_string(), text)])
                .map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?;
            Ok(Project { fault_trees: vec![tree], ..Project::new(stem(file)) })
        }
        Format::Fmea => {
            // The id is provisional: merge() gives the worksheet a fresh id in the target project.
            let sheet = faultline_interchange::fmea_csv::read(&text, WorksheetId(1), &stem(file))
                .map_err(|e| format!("{}: {e}", file.display()))?;
            Ok(Project { fmea: vec![sheet], ..Project::new(stem(file)) })
        }
    }
}

/// Adds every document of `incoming` to `target`. Fault trees whose id is taken get a fresh id (trees are
/// only referenced by id from transfers inside the incoming project, which are renumbered with them);
/// with `fresh_ids` every incoming tree gets a fresh id (for formats without ids). Any other document whose id is taken, or a fault tree whose name is taken, is refused with its name.
fn merge(target: &Project, mut incoming: Project, file: &Path, fresh_ids: bool) -> Result<Project, String> {
    let mut next = target.fault_trees.iter().map(|t| t.id.0).max().unwrap_or(0) + 1;
    let mut renumber = std::collections::HashMap::new();
    for t in &incoming.fault_trees {
        if target.tree_by_name(&t.name).is_some() {
            return Err(format!(
                "{}: the project already has a fault tree named {:?}; rename it before importing",
                file.display(),
                t.name
            ));
        }
        if fresh_ids || target.tree(t.id).is_some() || renumber.values().any(|v: &TreeId| *v == t.id) {
            renumber.insert(t.id, TreeId(next));
            next += 1;
        }
    }
    for t in &mut incoming.fault_trees {
        renumber_tree(t, &renumber);
    }
    if fresh_ids {
        let first = target.fmea.iter().map(|w| w.id.0).max().unwrap_or(0) + 1;
        for (id, w) in (first..).zip(incoming.fmea.iter_mut()) {
            w.id = WorksheetId(id);
        }
    }
    let mut out = serde_json::to_value(target).map_err(|e| e.to_string())?;
    let inc = serde_json::to_value(&incoming).map_err(|e| e.to_string())?;
    let (Value::Object(out_map), Value::Object(inc_map)) = (&mut out, inc) else {
        return Err("internal: a project is not a JSON object".into());
    };
    for (key, value) in inc_map {
        let Value::Array(items) = value else { continue };
        let slot = out_map.entry(key.clone()).or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(existing) = slot else { continue };
        for item in items {
            let id = item.get("id").cloned();
            if id.is_some() && existing.iter().any(|e| e.get("id") == id.as_ref()) {
                let name = item.get("name").or_else(|| item.get("title")).and_then(Value::as_str).unwrap_or("?");
                return Err(format!(
                    "{}: {key} {name:?} has id {} which the project already uses; import into a new project",
                    file.display(),
                    id.unwrap_or(Value::Null)
                ));
            }
            existing.push(item);
        }
    }
    serde_json::from_value(out).map_err(|e| format!("{}: {e}", file.display()))
}

fn renumber_tree(t: &mut FaultTree, map: &std::collections::HashMap<TreeId, TreeId>) {
    if let Some(new) = map.get(&t.id) {
        t.id = *new;
    }
    for e in &mut t.elements {
        if let faultline_models::fault_tree::ElementKind::Transfer { tree, .. } = &mut e.kind {
            if let Some(new) = map.get(tree) {
                *tree = *new;
            }
        }
    }
}

/// Imports FILE into PROJECT.
pub fn run(args: Args) -> Result<(), String> {
    let incoming = read(args.format, &args.file)?;
    let trees = incoming.fault_trees.len();
    if !args.into.exists() {
        let project = match args.format {
            Format::Json => incoming,
            _ => Project { name: stem(&args.into), ..incoming },
        };
        Store::create(&args.into, &project).map_err(|e| e.to_string())?;
        println!("Created {} from {} ({trees} fault trees)", args.into.display(), args.file.display());
        return Ok(());
    }
    let mut store = Store::open(&args.into).map_err(|e| e.to_string())?;
    let merged = merge(store.project(), incoming, &args.file, matches!(args.format, Format::Mef | Format::Fmea))?;
    let label = format!("Import {}", args.file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let tx = Transaction::between(label, store.project(), &merged).map_err(|e| e.to_string())?;
    store.apply(tx).map_err(|e| e.to_string())?;
    println!("Imported {} into {} ({trees} fault trees)", args.file.display(), args.into.display());
    Ok(())
}
