//! The shell's one error type. It reaches the UI as `{kind, message}`, so the UI can match on `kind`.

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
}

impl Error {
    /// The stable, machine-readable kind the UI matches on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::DataDir(_) => "data_dir",
            Error::Io(_) => "io",
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
    fn io_errors_keep_their_message() {
        let e = Error::from(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "read-only disk"));
        assert_eq!(serde_json::to_value(&e).unwrap(), json!({"kind": "io", "message": "read-only disk"}));
    }
}
