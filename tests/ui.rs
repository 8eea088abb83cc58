//! Compile-time tests of `#[desugar]`'s error messages (trybuild).
//!
//! `tests/ui/*.rs` must fail to compile with exactly the `.stderr` next to
//! them; `tests/ui/pass/*.rs` must compile and run. After a deliberate change
//! to a message, regenerate the snapshots and review every diff by eye:
//!
//! ```text
//! TRYBUILD=overwrite cargo test --test ui
//! ```

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
