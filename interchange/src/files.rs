//! One door for the desktop app's File menu: the bytes of every export, and the fault tree of MEF files.
//!
//! The shell asks for an [`Export`] of the open project and writes the bytes where the user chose; it never
//! needs to know which module writes which format.

use crate::tree_picture::{self, PictureOptions};
use crate::{json, mef, register};
use faultline_models::fault_tree::{ElementId, FaultTree, TreeId};
use faultline_models::layout::LayoutOptions;
use faultline_models::fmea;
use faultline_models::project::Project;
pub use faultline_models::view::Export;

/// The bytes of `what` for `project`; `today` dates the risk register's overdue column.
///
/// Errors name what is missing (a tree id the project does not have) or what failed (the XLSX writer).
/// Complexity: linear in the size of what is exported.
pub fn export(project: &Project, what: &Export, today: time::Date) -> Result<Vec<u8>, String> {
    match what {
        Export::Mef { tree } => mef::export_project_tree(project, *tree)
            .map(String::into_bytes)
            .ok_or_else(|| format!("the project has no fault tree with id {}", tree.0)),
        Export::ProjectJson => Ok(json::write_project(project).into_bytes()),
        Export::RiskRegisterCsv => Ok(register::to_csv(&fmea::risk_register(project, today)).into_bytes()),
        Export::RiskRegisterXlsx => register::to_xlsx(&fmea::risk_register(project, today)).map_err(|e| e.to_string()),
        Export::TreeSvg { tree, collapsed, highlight } => {
            let (t, options) = picture(project, *tree, collapsed, highlight)?;
            Ok(tree_picture::tree_svg(t, &options).into_bytes())
        }
        Export::TreePng { tree, collapsed, highlight } => {
            let (t, options) = picture(project, *tree, collapsed, highlight)?;
            tree_picture::tree_png(t, &options).map_err(|e| e.to_string())
        }
    }
}

/// The tree and the picture options for a tree export. A highlighted name the tree does not have is an error.
fn picture<'a>(
    project: &'a Project,
    tree: TreeId,
    collapsed: &[ElementId],
    highlight: &[String],
) -> Result<(&'a FaultTree, PictureOptions), String> {
    let t = project.tree(tree).ok_or_else(|| format!("the project has no fault tree with id {}", tree.0))?;
    let ids = highlight
        .iter()
        .map(|name| t.by_name(name).map(|e| e.id).ok_or_else(|| format!("fault tree {} has no event named {name:?}", t.name)))
        .collect::<Result<Vec<_>, _>>()?;
    let options = PictureOptions {
        layout: LayoutOptions { collapsed: collapsed.iter().copied().collect(), ..LayoutOptions::default() },
        highlight: (!ids.is_empty()).then_some(ids),
        tree_names: project.fault_trees.iter().map(|t| (t.id, t.name.clone())).collect(),
    };
    Ok((t, options))
}

/// Reads one fault tree from MEF files (several files make one model). The error lists every problem, one per
/// line, each naming the file and line.
pub fn import_mef(files: &[(String, String)]) -> Result<FaultTree, String> {
    let sources: Vec<mef::Source> = files.iter().map(|(name, text)| mef::Source::new(name.clone(), text.clone())).collect();
    mef::import(&sources).map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use faultline_models::samples;

    fn today() -> time::Date {
        time::macros::date!(2026 - 11 - 21)
    }

    #[test]
    fn every_export_of_the_default_project_is_readable() {
        let project = samples::default_project();
        let tree = project.fault_trees[0].id;
        let xml = String::from_utf8(export(&project, &Export::Mef { tree }, today()).unwrap()).unwrap();
        let back = import_mef(&[("x.xml".into(), xml)]).unwrap();
        assert_eq!(back.elements.len(), project.fault_trees[0].elements.len());
        let json = String::from_utf8(export(&project, &Export::ProjectJson, today()).unwrap()).unwrap();
        assert_eq!(json::read(&json).unwrap(), project);
        let csv = String::from_utf8(export(&project, &Export::RiskRegisterCsv, today()).unwrap()).unwrap();
        assert!(csv.lines().count() >= 1, "{csv}");
        let xlsx = export(&project, &Export::RiskRegisterXlsx, today()).unwrap();
        assert_eq!(&xlsx[..2], b"PK");
        assert!(csv.lines().count() > 10, "the samples carry FMEA rows: {csv}");
        let t = &project.fault_trees[0];
        let leaf = t.elements.iter().find(|e| !matches!(e.kind, faultline_models::fault_tree::ElementKind::Gate { .. })).unwrap();
        let svg = export(&project, &Export::TreeSvg { tree, collapsed: vec![], highlight: vec![leaf.name.clone()] }, today()).unwrap();
        let svg = String::from_utf8(svg).unwrap();
        assert!(svg.contains("<svg") && svg.contains(&t.elements[0].name));
        let collapsed = export(&project, &Export::TreeSvg { tree, collapsed: vec![t.top.unwrap()], highlight: vec![] }, today()).unwrap();
        assert!(collapsed.len() < svg.len(), "a collapsed top draws less");
        let png = export(&project, &Export::TreePng { tree, collapsed: vec![], highlight: vec![] }, today()).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(Export::RiskRegisterXlsx.extension(), "xlsx");
    }

    #[test]
    fn a_missing_tree_and_bad_mef_are_named() {
        let project = samples::default_project();
        let err = export(&project, &Export::Mef { tree: TreeId(4242) }, today()).unwrap_err();
        assert!(err.contains("4242"), "{err}");
        let tree = project.fault_trees[0].id;
        let err = export(&project, &Export::TreeSvg { tree, collapsed: vec![], highlight: vec!["NoSuchEvent".into()] }, today())
            .unwrap_err();
        assert!(err.contains("NoSuchEvent"), "{err}");
        let err = import_mef(&[("broken.xml".into(), "<opsa-mef><define-fault-tree name='T'>".into())]).unwrap_err();
        assert!(err.contains("broken.xml"), "{err}");
    }
}
