//! Import and export of Faultline models.
