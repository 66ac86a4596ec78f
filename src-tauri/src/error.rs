//! The shell's one error type. It reaches the UI as `{kind, message}`, so the UI can match on `kind`.

use faultline_store::session::SessionError;
use faultline_store::StoreError;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The platform's app data folder could not be determined (no home folder, no XDG dirs).
    #[error("could not find the app data folder: {0}")]
    DataDir(String),
    /// A file-system operation failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The project file or an edit of it failed (the message names the file or the element).
    #[error("{0}")]
    Session(#[from] faultline_store::session::SessionError),
    /// Reading or writing a file the user chose failed.
    #[error("{path}: {message}")]
    File { path: String, message: String },
    /// An imported file is not valid (every problem, with file and line).
    #[error("{0}")]
    Import(String),
    /// An export could not be produced.
    #[error("{0}")]
    Export(String),
    /// A newer analysis request replaced this one before it started (the UI ignores it).
    #[error("a newer analysis was requested")]
    Superseded,
    /// A bug or an impossible state, described.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// The stable, machine-readable kind the UI matches on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::DataDir(_) => "data_dir",
            Error::Io(_) => "io",
            Error::Session(SessionError::Op(_)) => "op",
            Error::Session(SessionError::NoProject) => "no_project",
            Error::Session(SessionError::Store(StoreError::ReadOnly { .. })) => "read_only",
            Error::Session(SessionError::Store(_)) => "store",
            Error::File { .. } => "file",
            Error::Import(_) => "import",
            Error::Export(_) => "export",
            Error::Superseded => "superseded",
            Error::Internal(_) => "internal",
        }
    }
}

impl Serialize for Error {
    /// Serializes as `{"kind": ..., "message": ...}` (the UI's `ApiError`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_as_kind_and_message() {
        let e = Error::DataDir("no home folder".into());
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind": "data_dir", "message": "could not find the app data folder: no home folder"})
        );
    }

    #[test]
    fn refused_edits_and_read_only_files_have_their_own_kinds() {
        let e = Error::from(SessionError::Op(faultline_models::ops::OpError::EmptyName));
        assert_eq!(serde_json::to_value(&e).unwrap(), json!({"kind": "op", "message": "the name must not be empty"}));
        let e = Error::from(SessionError::Store(StoreError::ReadOnly { path: "/p.faultline".into(), reason: "another window".into() }));
        assert_eq!(e.kind(), "read_only");
        assert!(e.to_string().contains("/p.faultline"));
    }

    #[test]
    fn io_errors_keep_their_message() {
        let e = Error::from(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "read-only disk"));
        assert_eq!(serde_json::to_value(&e).unwrap(), json!({"kind": "io", "message": "read-only disk"}));
    }
}
