//! The main demo: `cargo run --example tour` (add `-- --full` for the
//! generated code exactly as `#[desugar]` emits it, with full paths).
//!
//! For each seed example (`fetch_two`, `fetch_data`, `add_slowly`), and one
//! loop beyond the seeds (`sum_slowly`), it prints
//! the source, the state machine `#[desugar]` turns it into, and what running
//! it gives. There is one copy of each function: the file in `seeds/` is
//! compiled into this program as a module (so the macro expands it) and also
//! included as text (so the tour can print it and expand it again with
//! `desugar_core`, the library behind the macro).

#[path = "seeds/add_slowly.rs"]
mod add_slowly;
#[path = "seeds/fetch_data.rs"]
mod fetch_data;
#[path = "seeds/fetch_two.rs"]
mod fetch_two;
#[path = "more/sum_slowly.rs"]
mod sum_slowly;
#[path = "support/mod.rs"]
mod support;

use desugar_runtime::{count_polls, poll_to_completion};
use support::{Bytes, Error, quiet, step_by_step, take_trace};

fn main() {
    let full = std::env::args().any(|arg| arg == "--full");
    println!("A tour of #[desugar]: every async fn is a state machine. For each seed");
    println!("example: its source, the enum state machine #[desugar] generates, a run.");
    if !full {
        println!("Paths are shortened for reading (`::core::task::Poll` is shown as `Poll`);");
        println!("`cargo run --example tour -- --full` prints the generated code verbatim.");
    }

    // ------------------------------------------------------------------
    header("1. fetch_two", "seed \"Async, illustrated\"");
    show(
        "examples/seeds/fetch_two.rs",
        include_str!("seeds/fetch_two.rs"),
        &[
            "enum FetchTwo",
            "Start",
            "WaitingForR1",
            "WaitingForR2",
            "Done",
        ],
        full,
    );
    section("run it (fake fetch: a.example is Pending once, b.example twice)");
    let ok = run(|| fetch_two::fetch_two("a.example", "b.example"));
    assert_eq!(ok, (Ok((bytes("alpha"), bytes("bravo"))), 4));
    println!("fetch_two(\"a.example\", \"b.example\") = {:?}", ok.0);
    println!(
        "  {} polls: 1 to start, +1 for a's Pending, +2 for b's",
        ok.1
    );
    let err = run(|| fetch_two::fetch_two("a.example", "nowhere.example"));
    assert_eq!(err, (Err(Error::NotFound("nowhere.example".into())), 3));
    println!(
        "fetch_two(\"a.example\", \"nowhere.example\") = {:?}",
        err.0
    );
    println!(
        "  {} polls: the second `?` returns early (state Done)",
        err.1
    );
    let early = run(|| fetch_two::fetch_two("nowhere.example", "b.example"));
    assert_eq!(early, (Err(Error::NotFound("nowhere.example".into())), 2));
    println!(
        "fetch_two(\"nowhere.example\", \"b.example\") = {:?}",
        early.0
    );
    println!(
        "  {} polls: the first `?` returns, fetch(b) never starts",
        early.1
    );

    // ------------------------------------------------------------------
    header("2. fetch_data", "seed \"Lesson 2: State Machines\"");
    show(
        "examples/seeds/fetch_data.rs",
        include_str!("seeds/fetch_data.rs"),
        &[
            "enum FetchData",
            "Start",
            "WaitingForUrl",
            "WaitingForResponse",
            "Done",
        ],
        full,
    );
    section("run it, poll by poll (the seed's \"Visualizing the state transitions\")");
    let (body, polls) = step_by_step(fetch_data::fetch_data());
    take_trace();
    assert_eq!((body.as_str(), polls), ("the data", 3));
    println!("fetch_data() = {body:?}, polls: {polls}");

    // ------------------------------------------------------------------
    header("3. add_slowly", "seed \"Lesson 2: State Machines\"");
    show(
        "examples/seeds/add_slowly.rs",
        include_str!("seeds/add_slowly.rs"),
        &[
            "enum AddSlowly",
            "Start",
            "WaitingForX",
            "WaitingForY",
            "Done",
        ],
        full,
    );
    section("run it");
    let (sum, polls) = poll_to_completion(count_polls(add_slowly::add_slowly(2, 3)));
    assert_eq!((sum, polls), (5, 3));
    println!("add_slowly(2, 3) = {sum}, polls: {polls}  (Pending, Pending, Ready)");

    // ------------------------------------------------------------------
    header("4. sum_slowly", "beyond the seeds: a loop");
    show(
        "examples/more/sum_slowly.rs",
        include_str!("more/sum_slowly.rs"),
        &[
            "enum SumSlowly",
            "Start",
            "ForLoop",
            "WaitingForYieldOnce",
            "AfterForLoop",
            "Done",
        ],
        full,
    );
    section("run it");
    let (sum, polls) = poll_to_completion(count_polls(sum_slowly::sum_slowly(vec![1, 0, 2, 3])));
    assert_eq!((sum, polls), (6, 4));
    println!(
        "sum_slowly(vec![1, 0, 2, 3]) = {sum}, polls: {polls}  (one Pending per non-zero value)"
    );

    println!();
    println!("More: cargo run --example NAME, for NAME in fetch_two, fetch_data,");
    println!("add_slowly, yield_once, manual_add_slowly, future_sizes, and trace: each poll");
    println!("of fetch_data and add_slowly, step by step, with #[desugar(trace)].");
}

/// Runs a future to completion with the runtime's executor, counting polls,
/// without printing the leaf futures' trace.
fn run<F: Future>(make: impl FnOnce() -> F) -> (F::Output, usize) {
    let result = quiet(|| poll_to_completion(count_polls(make())));
    take_trace();
    result
}

fn bytes(s: &str) -> Bytes {
    Bytes(s.as_bytes().to_vec())
}

/// Prints a seed's source file and the state machine `desugar_core` makes of
/// its `#[desugar]` function; checks that the machine has the `states`.
fn show(path: &str, source: &str, states: &[&str], full: bool) {
    section(&format!("the source ({path}, from #[desugar] on)"));
    print!("{}", &source[attribute(source)..]);
    section("the state machine #[desugar] generates");
    let code = expand(source);
    for state in states {
        assert!(
            code.contains(state),
            "no `{state}` in the expansion:\n{code}"
        );
    }
    print!("{}", if full { code } else { shorten(&code) });
}

/// Runs the transform on the item after the `#[desugar]` line of `source`,
/// as the attribute does at compile time, and pretty-prints the result.
fn expand(source: &str) -> String {
    let item = &source[attribute(source) + "#[desugar]".len()..];
    let item = syn::parse_str(item).expect("the seed tokenizes");
    let tokens = desugar_core::try_expand(Default::default(), item)
        .unwrap_or_else(|error| panic!("#[desugar] rejects the seed: {error}"));
    desugar_core::pretty(tokens).expect("the expansion parses as a Rust file")
}

/// Where the `#[desugar]` attribute starts in `source`.
fn attribute(source: &str) -> usize {
    source
        .find("#[desugar]")
        .expect("the seed has a #[desugar] item")
}

/// Drops the absolute paths the generated code uses (so that it works
/// whatever the caller imported), and formats the shorter code again.
fn shorten(code: &str) -> String {
    const PATHS: &[(&str, &str)] = &[
        ("::core::future::Future", "Future"),
        ("::core::task::Poll", "Poll"),
        ("::core::pin::Pin", "Pin"),
        ("::core::mem::replace", "mem::replace"),
        ("::core::ops::ControlFlow", "ControlFlow"),
        (
            "::core::iter::IntoIterator::into_iter",
            "IntoIterator::into_iter",
        ),
        ("::core::iter::Iterator::next", "Iterator::next"),
        ("::core::option::Option::Some", "Some"),
        ("::core::option::Option::None", "None"),
        ("::core::unreachable!", "unreachable!"),
        ("::core::panic!", "panic!"),
        ("::desugar_runtime::", ""),
    ];
    let mut short = code.to_string();
    for (long, name) in PATHS {
        short = short.replace(long, name);
    }
    let file = syn::parse_file(&short).expect("the shortened code still parses");
    prettyplease::unparse(&file)
}

fn header(title: &str, seed: &str) {
    let title = format!("{title}  ({seed})");
    println!();
    println!(
        "═══ {title} {}",
        "═".repeat(74usize.saturating_sub(title.chars().count()))
    );
}

fn section(title: &str) {
    println!(
        "── {title} {}",
        "─".repeat(74usize.saturating_sub(title.chars().count()))
    );
}
