//! The seed-000 rules that are about running futures, as examples with
//! reviewed expected output (`examples/lessons/*.expected`). The rules about
//! compiling them are UI tests: `tests/ui/spawn_holding_std_mutex_guard.rs`
//! (`tokio::spawn` refuses a future holding a `std::sync::MutexGuard`),
//! `tests/ui/lesson_spawn_requires_send.rs` (nor one holding an `Rc`), and
//! `tests/ui/lesson_await_needs_async_context.rs`.
//!
//! After a deliberate change to a lesson's output, review the new text and
//! write it with `DESUGAR_BLESS=1 cargo test --test lessons`.

#[allow(dead_code)]
#[path = "../examples/lessons/cpu_bound.rs"]
mod cpu_bound;
#[allow(dead_code)]
#[path = "../examples/lessons/fire_and_forget.rs"]
mod fire_and_forget;

/// Compares a lesson's output with its reviewed `.expected` file.
fn check(name: &str, actual: String) {
    let path = format!(
        "{}/examples/lessons/{name}.expected",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("DESUGAR_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(actual, expected, "the output of lesson `{name}` changed");
}

#[test]
#[cfg_attr(miri, ignore = "real timers and threads")]
fn fire_and_forget_loses_errors() {
    check("fire_and_forget", fire_and_forget::report());
}

#[test]
#[cfg_attr(miri, ignore = "real timers and threads")]
fn cpu_bound_work_blocks_the_executor() {
    check("cpu_bound", cpu_bound::report());
}
