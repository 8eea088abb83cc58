//! The poll trace (issue 5): `cargo run --example trace`.
//!
//! Runs the seed's `fetch_data` and `add_slowly` with `#[desugar(trace)]`
//! under `desugar_runtime::trace::trace_to_completion` and prints what each
//! poll did, in the format of the seed's "Visualizing the state
//! transitions" (see the `desugar_runtime::trace` docs). Then the same
//! under tokio, and a traced function awaiting another one. With
//! `DESUGAR_TRACE_FILE=path` set, a last run without a recorder appends its
//! polls to that file, one `<fn name>\t<poll line>` line each.

#[path = "support/mod.rs"]
mod support;

use desugar_runtime::trace::{trace_to_completion, traced};
use desugar_runtime::{desugar, yield_once};
use support::{build_url, http_get, quiet, take_trace};

/// Seed "Lesson 2: State Machines": `build_url()` and `http_get(url)` are
/// each `Pending` once, then `Ready`.
#[desugar(trace)]
async fn fetch_data() -> String {
    let url = build_url().await; // await #1
    let response = http_get(url).await; // await #2
    response.body
}

/// Seed "Lesson 2": "A simpler example".
#[desugar(trace)]
async fn add_slowly(a: u32, b: u32) -> u32 {
    let x = yield_once(a).await; // yields once, returns a
    let y = yield_once(b).await; // yields once, returns b
    x + y
}

/// A traced function awaiting another one.
#[desugar(trace)]
async fn add_twice(a: u32) -> u32 {
    let total = add_slowly(a, a).await;
    total + 1
}

fn main() {
    // The leaf futures of the support module print their own polls: not here.
    let (body, trace) = quiet(|| trace_to_completion(fetch_data()));
    take_trace();
    println!("fetch_data() = {body:?}:");
    print!("{trace}");
    assert_eq!(trace.polls().len(), 3);

    println!();
    let (sum, trace) = trace_to_completion(add_slowly(2, 3));
    println!("add_slowly(2, 3) = {sum}:");
    print!("{trace}");

    println!();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let (sum, trace) = runtime
        .block_on(runtime.spawn(traced(add_twice(2))))
        .unwrap();
    println!("add_twice(2) = {sum}, spawned on a tokio multi_thread runtime:");
    print!("{trace}");

    // With no recorder installed, a traced function reports to the file
    // named by DESUGAR_TRACE_FILE, if it is set (one line per poll).
    let sum = desugar_runtime::poll_to_completion(add_twice(1));
    assert_eq!(sum, 3);
    if let Some(file) = std::env::var_os("DESUGAR_TRACE_FILE") {
        println!();
        println!("add_twice(1), run without a recorder: its polls went to {file:?}");
    }
}
