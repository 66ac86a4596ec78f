//! One door for the desktop app's File menu: the bytes of every export, and the fault tree of MEF files.
//!
//! The shell asks for an [`Export`] of the open project and writes the bytes where the user chose; it never
//! needs to know which module writes which format.

use crate::{json, mef, register};
use faultline_models::fault_tree::{FaultTree, TreeId};
use faultline_models::fmea;
use faultline_models::project::Project;
use serde::{Deserialize, Serialize};

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Export {
    /// One fault tree (and the trees its transfers reach) as Open-PSA MEF XML.
    Mef { tree: TreeId },
    /// The whole project as native JSON (lossless).
    ProjectJson,
    /// The risk register of every FMEA worksheet, as CSV.
    RiskRegisterCsv,
    /// The risk register as an Excel workbook.
    RiskRegisterXlsx,
}

impl Export {
    /// The usual file extension, without the dot (for save dialogs).
    pub fn extension(self) -> &'static str {
        match self {
            Export::Mef { .. } => "xml",
            Export::ProjectJson => "json",
            Export::RiskRegisterCsv => "csv",
            Export::RiskRegisterXlsx => "xlsx",
        }
    }
}

/// The bytes of `what` for `project`; `today` dates the risk register's overdue column.
///
/// Errors name what is missing (a tree id the project does not have) or what failed (the XLSX writer).
/// Complexity: linear in the size of what is exported.
pub fn export(project: &Project, what: Export, today: time::Date) -> Result<Vec<u8>, String> {
    match what {
        Export::Mef { tree } => mef::export_project_tree(project, tree)
            .map(String::into_bytes)
            .ok_or_else(|| format!("the project has no fault tree with id {}", tree.0)),
        Export::ProjectJson => Ok(json::write_project(project).into_bytes()),
        Export::RiskRegisterCsv => Ok(register::to_csv(&fmea::risk_register(project, today)).into_bytes()),
        Export::RiskRegisterXlsx => register::to_xlsx(&fmea::risk_register(project, today)).map_err(|e| e.to_string()),
    }
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
        let xml = String::from_utf8(export(&project, Export::Mef { tree }, today()).unwrap()).unwrap();
        let back = import_mef(&[("x.xml".into(), xml)]).unwrap();
        assert_eq!(back.elements.len(), project.fault_trees[0].elements.len());
        let json = String::from_utf8(export(&project, Export::ProjectJson, today()).unwrap()).unwrap();
        assert_eq!(json::read(&json).unwrap(), project);
        let csv = String::from_utf8(export(&project, Export::RiskRegisterCsv, today()).unwrap()).unwrap();
        assert!(csv.lines().count() >= 1, "{csv}");
        let xlsx = export(&project, Export::RiskRegisterXlsx, today()).unwrap();
        assert_eq!(&xlsx[..2], b"PK");
        assert_eq!(Export::RiskRegisterXlsx.extension(), "xlsx");
    }

    #[test]
    fn a_missing_tree_and_bad_mef_are_named() {
        let project = samples::default_project();
        let err = export(&project, Export::Mef { tree: TreeId(4242) }, today()).unwrap_err();
        assert!(err.contains("4242"), "{err}");
        let err = import_mef(&[("broken.xml".into(), "<opsa-mef><define-fault-tree name='T'>".into())]).unwrap_err();
        assert!(err.contains("broken.xml"), "{err}");
    }
}
