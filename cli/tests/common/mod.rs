//! Helpers shared by the CLI tests: run the built `faultline` binary and check how it ended.
#![allow(dead_code)] // each test binary uses its own subset

use std::process::{Command, Output};

/// Runs the built binary with `args`.
pub fn faultline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faultline")).args(args).output().expect("the faultline binary runs")
}

/// Runs a command that must succeed; returns its standard output.
pub fn ok(args: &[&str]) -> String {
    let out = faultline(args);
    assert!(out.status.success(), "faultline {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must fail cleanly: non-zero status, a message on stderr, no panic. Returns stderr.
pub fn fails(args: &[&str]) -> String {
    let out = faultline(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "faultline {args:?} should fail: {stderr}");
    assert!(stderr.starts_with("faultline: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}
