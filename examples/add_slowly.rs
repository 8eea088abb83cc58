//! Seed "Lesson 2: State Machines": "A simpler example: add_slowly".
//!
//! `cargo run --example add_slowly` runs the `#[desugar]` version (from
//! `seeds/add_slowly.rs`) next to the native `async fn`: results and poll
//! counts, one run polled by hand, and what happens when a finished future is
//! polled again. Every line is checked against the native version.

#[path = "seeds/add_slowly.rs"]
mod desugared;

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use desugar_runtime::{count_polls, poll_to_completion, yield_once};

/// The seed's code as written: the compiler builds the state machine.
async fn add_slowly(a: u32, b: u32) -> u32 {
    let x = yield_once(a).await; // yields once, returns a
    let y = yield_once(b).await; // yields once, returns b
    x + y
}

fn main() {
    println!("add_slowly (seed \"Lesson 2: State Machines\"), #[desugar] next to native.");
    println!("yield_once(v) is Pending once, then Ready(v): so 2 Pendings, then Ready.");
    println!();
    println!(
        "{:<22} {:>10} {:>6} {:>8} {:>6}",
        "", "desugared", "polls", "native", "polls"
    );
    for (a, b) in [(2, 3), (0, 0), (40, 2), (1000, 337)] {
        let desugared = poll_to_completion(count_polls(desugared::add_slowly(a, b)));
        let native = poll_to_completion(count_polls(add_slowly(a, b)));
        assert_eq!(desugared, native);
        assert_eq!(desugared, (a + b, 3));
        let call = format!("add_slowly({a}, {b})");
        println!(
            "{call:<22} {:>10} {:>6} {:>8} {:>6}",
            desugared.0, desugared.1, native.0, native.1
        );
    }

    println!();
    println!("Polled by hand (the waker does nothing here; each poll is explicit):");
    let desugared = by_hand(desugared::add_slowly(2, 3));
    let native = by_hand(add_slowly(2, 3));
    for (n, (poll, after)) in desugared.iter().enumerate() {
        println!("  poll #{} → {poll:<9} {after}", n + 1);
    }
    assert_eq!(desugared, native);
    assert_eq!(
        desugared
            .iter()
            .map(|(poll, _)| poll.as_str())
            .collect::<Vec<_>>(),
        ["Pending", "Pending", "Ready(5)", "panics"]
    );
    println!("The native async fn gives the same polls and the same panic message.");
}

/// Polls `future` until it is ready, then once more. For each poll: what it
/// returned, and the state the seed's diagram says the machine is in after it.
fn by_hand(future: impl Future<Output = u32>) -> Vec<(String, String)> {
    const AFTER: [&str; 4] = [
        "now in WaitingForX (the seed's YieldingA): holds b, yield_once(a)",
        "now in WaitingForY (the seed's YieldingB): holds x, yield_once(b)",
        "now in Done",
        "",
    ];
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = Vec::new();
    loop {
        let after = AFTER[polls.len()].to_string();
        let poll = silently(|| future.as_mut().poll(&mut cx));
        match poll {
            Ok(Poll::Pending) => polls.push(("Pending".to_string(), after)),
            Ok(Poll::Ready(sum)) => polls.push((format!("Ready({sum})"), after)),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let after = format!("polled after Ready: {message:?}");
                polls.push(("panics".to_string(), after));
                return polls;
            }
        }
    }
}

/// Runs `f`, catching a panic without printing it (the default hook would).
fn silently<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(hook);
    result
}
