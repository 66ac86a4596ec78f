//! The project file.
