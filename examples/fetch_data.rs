//! Seed "Lesson 2: State Machines": `fetch_data`, poll by poll.
//!
//! `cargo run --example fetch_data` polls the `#[desugar]` version (from
//! `seeds/fetch_data.rs`) by hand and prints each poll next to the seed's
//! picture; the leaf futures `build_url()` and `http_get(url)` print their
//! own polls. The native `async fn` is run the same way and must leave the
//! same trace.

#[path = "seeds/fetch_data.rs"]
mod desugared;
#[path = "support/mod.rs"]
mod support;

use desugar_runtime::{count_polls, poll_to_completion};
use support::{build_url, http_get, quiet, step_by_step, take_trace};

/// The seed's code as written: the compiler builds the state machine.
async fn fetch_data() -> String {
    let url = build_url().await; // await #1
    let response = http_get(url).await; // await #2
    response.body
}

/// The seed's "Visualizing the state transitions", one entry per poll.
const SEED_PICTURE: [&str; 3] = [
    "poll #1: Start → WaitingForUrl → poll build_url → Pending",
    "poll #2: WaitingForUrl → poll build_url → Ready(url)\n\
     \x20        → transition to WaitingForResponse → poll http_get → Pending",
    "poll #3: WaitingForResponse → poll http_get → Ready(response)\n\
     \x20        → transition to Done → return Ready(response.body)",
];

fn main() {
    println!("fetch_data (seed \"Lesson 2: State Machines\"): build_url() and http_get(url)");
    println!("are each Pending once (and wake the task), then Ready.");
    println!();
    println!("The seed's picture:");
    for line in SEED_PICTURE {
        println!("  {line}");
    }
    println!();
    println!("What the #[desugar] version does, polled by hand:");
    let desugared = step_by_step(desugared::fetch_data());
    let desugared_trace = take_trace();

    let native = quiet(|| step_by_step(fetch_data()));
    let native_trace = take_trace();
    assert_eq!(native_trace, desugared_trace, "the traces differ");
    assert_eq!(native, desugared);
    println!("The native async fn leaves the same trace, line for line.");

    // One poll per entry of the seed's picture.
    let (body, polls) = desugared;
    assert_eq!(body, "the data");
    assert_eq!(polls, SEED_PICTURE.len());
    let polls_lines = desugared_trace
        .iter()
        .filter(|line| line.trim_start().starts_with("poll #"))
        .count();
    assert_eq!(polls_lines, polls);

    // The same under the runtime's executor, counting polls from outside.
    let counted = quiet(|| poll_to_completion(count_polls(desugared::fetch_data())));
    take_trace();
    assert_eq!(counted, ("the data".to_string(), 3));

    println!();
    println!("fetch_data() = {body:?} after {polls} polls, as in the seed.");
    println!("(The state machine itself: cargo run --example tour)");
}
