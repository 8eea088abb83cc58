//! Seed "Async, illustrated": `fetch_two` fetches a, then b, and returns both;
//! each `.await` is a state of the machine, each `?` an early exit.
//!
//! `cargo run --example fetch_two` runs the `#[desugar]` version (from
//! `seeds/fetch_two.rs`) next to the native `async fn`, poll by poll, on a
//! fake network whose futures say when they are polled, and checks that the
//! two behave the same: same output, same polls, same trace.

#[path = "seeds/fetch_two.rs"]
mod desugared;
#[path = "support/mod.rs"]
mod support;

use desugar_runtime::{count_polls, poll_to_completion};
use support::{Bytes, Error, fetch, quiet, step_by_step, take_trace};

/// The seed's code as written: the compiler builds the state machine.
async fn fetch_two(a: &str, b: &str) -> Result<(Bytes, Bytes), Error> {
    let r1 = fetch(a).await?;
    let r2 = fetch(b).await?;
    Ok((r1, r2))
}

fn main() {
    println!("fetch_two (seed \"Async, illustrated\"), #[desugar] next to the native async fn.");
    println!("The fake network: fetch(\"a.example\") is Pending once, fetch(\"b.example\")");
    println!("twice; any other host is Pending once, then Err(NotFound).");
    println!("Calling fetch_two runs nothing: its first line runs in poll #1.");

    case(
        "a.example",
        "b.example",
        Ok((bytes("alpha"), bytes("bravo"))),
        4,
        "Start → WaitingForR1 (1 Pending) → WaitingForR2 (2 Pendings) → Done",
    );
    case(
        "a.example",
        "nowhere.example",
        Err(Error::NotFound("nowhere.example".into())),
        3,
        "the second `?` returns the error: the machine goes to Done",
    );
    case(
        "nowhere.example",
        "b.example",
        Err(Error::NotFound("nowhere.example".into())),
        2,
        "the first `?` returns the error: fetch(\"b.example\") never starts",
    );

    println!();
    println!("OK: the desugared and the native fetch_two agree on every case.");
}

/// Runs both versions of `fetch_two(a, b)`, checks that they agree with each
/// other and with what the seed says, and prints the desugared run.
fn case(
    a: &str,
    b: &str,
    expected: Result<(Bytes, Bytes), Error>,
    expected_polls: usize,
    story: &str,
) {
    println!();
    println!("════ fetch_two({a:?}, {b:?}) ════");
    println!("#[desugar] version, poll by poll:");
    let desugared = step_by_step(desugared::fetch_two(a, b));
    let desugared_trace = take_trace();
    let native = quiet(|| step_by_step(fetch_two(a, b)));
    let native_trace = take_trace();
    println!("native async fn: {}", same(&native_trace, &desugared_trace));
    assert_eq!(native_trace, desugared_trace);
    assert_eq!(native, desugared);
    assert_eq!(desugared, (expected, expected_polls));

    // The same under the runtime's executor, counting polls from outside.
    let counted = quiet(|| poll_to_completion(count_polls(desugared::fetch_two(a, b))));
    take_trace();
    assert_eq!(counted, desugared);

    let (result, polls) = desugared;
    println!("result: {result:?}");
    println!("polls:  {polls}  ({story})");
}

fn same(native: &[String], desugared: &[String]) -> &'static str {
    if native == desugared {
        "the same trace, line for line"
    } else {
        "A DIFFERENT TRACE"
    }
}

fn bytes(s: &str) -> Bytes {
    Bytes(s.as_bytes().to_vec())
}
