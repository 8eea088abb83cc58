//! Expansion snapshots through the compiler: `cargo expand` on small binaries
//! that use the real attribute (`desugar_runtime::desugar`), compared with the
//! checked-in `tests/expand/macrotest/<name>.expanded.rs` (macrotest).
//!
//! Where `tests/expand.rs` runs the transform as a library, this test sees what
//! rustc sees: name resolution of `desugar_runtime::desugar`, the re-export
//! from `desugar-macro`, and the expansion inside a real crate of this
//! workspace. Each case must compile (it is built as a `[[bin]]`).
//!
//! Needs `cargo-expand` (`cargo install cargo-expand --locked`). Without it the
//! test says so on stderr and passes, so that machines without it still run
//! the rest of the suite.
//!
//! After a deliberate change to the output, rewrite the snapshots with
//!
//! ```text
//! MACROTEST=overwrite cargo test --test expandtest
//! ```
//!
//! (a missing `.expanded.rs` is also written on the next run) and review the
//! diff by eye.

use std::io::Write as _;
use std::process::{Command, Stdio};

#[test]
fn macrotest_expansions() {
    if let Err(reason) = cargo_expand_available() {
        // Written to the stderr handle rather than with `eprintln!`, which the
        // test harness would capture and hide for a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "\nwarning: SKIPPED the macrotest expansion tests (tests/expand/macrotest/*.rs): \
             cargo-expand is missing ({reason}).\n\
             Install it with `cargo install cargo-expand --locked` to run them.\n"
        );
        return;
    }
    macrotest::expand("tests/expand/macrotest/*.rs");
}

/// Whether `cargo expand` runs, with the cargo that macrotest will use.
fn cargo_expand_available() -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args(["expand", "--version"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{} expand`: {e}", cargo.to_string_lossy()))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!(
            "`cargo expand --version` failed: {}",
            stderr.lines().next().unwrap_or("no output").trim()
        ))
    }
}
