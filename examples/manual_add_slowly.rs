//! Seed "Lesson 2", exercises 2 and 3: `AddSlowly` written by hand as an enum
//! with a `Future` impl, next to the `#[desugar]` version (from
//! `seeds/add_slowly.rs`) and the native `async fn`.
//!
//! `cargo run --example manual_add_slowly` runs all three, poll by poll and
//! under `poll_to_completion`, and checks that they agree on every result and
//! every poll.

#[path = "seeds/add_slowly.rs"]
mod desugared;

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use desugar_runtime::{YieldOnce, count_polls, poll_to_completion, yield_once};

// ------------------------------------------------ exercise 2: by hand

/// The states from the seed's diagram. Each state holds only what is needed
/// from there on: `YieldingB` keeps `x` for the addition, but not `a`.
enum AddSlowly {
    /// holds: a, b
    Start { a: u32, b: u32 },
    /// holds: b, yield_future_a
    YieldingA {
        b: u32,
        yield_future_a: YieldOnce<u32>,
    },
    /// holds: x, yield_future_b
    YieldingB {
        x: u32,
        yield_future_b: YieldOnce<u32>,
    },
    /// returned Ready(x + y)
    Done,
}

fn add_slowly_by_hand(a: u32, b: u32) -> AddSlowly {
    AddSlowly::Start { a, b }
}

// `YieldOnce<u32>` is `Unpin` (it never relies on staying in place), so
// `AddSlowly` is `Unpin` too, like the seed's `FetchData`. That is what makes
// `self.as_mut().get_mut()` and `Pin::new(yield_future_a)` below legal
// without `unsafe`. With a sub-future that is `!Unpin` (an `async fn`'s
// future, for one), `AddSlowly` would be `!Unpin`, `get_mut` would not
// compile, and polling the sub-future in place would need `unsafe` pin
// projection: that is the job of `Awaitee` in the code `#[desugar]`
// generates (see `cargo run --example tour`).
const _: () = {
    const fn assert_unpin<T: Unpin>() {}
    assert_unpin::<AddSlowly>();
};

impl Future for AddSlowly {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        loop {
            match self.as_mut().get_mut() {
                AddSlowly::Start { a, b } => {
                    // Create YieldOnce(a); the loop polls it right away.
                    *self = AddSlowly::YieldingA {
                        b: *b,
                        yield_future_a: yield_once(*a),
                    };
                }
                AddSlowly::YieldingA { b, yield_future_a } => {
                    match Pin::new(yield_future_a).poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(x) => {
                            // `a` is gone: it was moved into yield_future_a.
                            *self = AddSlowly::YieldingB {
                                x,
                                yield_future_b: yield_once(*b),
                            };
                        }
                    }
                }
                AddSlowly::YieldingB { x, yield_future_b } => {
                    match Pin::new(yield_future_b).poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(y) => {
                            let sum = *x + y;
                            *self = AddSlowly::Done;
                            return Poll::Ready(sum);
                        }
                    }
                }
                AddSlowly::Done => panic!("`AddSlowly` polled after completion"),
            }
        }
    }
}

// --------------------------------------------- exercise 3: async/.await

/// The seed's `async fn`, as written: the compiler builds the state machine.
async fn add_slowly_native(a: u32, b: u32) -> u32 {
    let x = yield_once(a).await;
    let y = yield_once(b).await;
    x + y
}

// ------------------------------------------------------------- run them

/// Polls by hand until `Ready`; returns what each poll gave.
fn polls(future: impl Future<Output = u32>) -> Vec<Poll<u32>> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = Vec::new();
    loop {
        let poll = future.as_mut().poll(&mut cx);
        polls.push(poll);
        if poll.is_ready() {
            return polls;
        }
    }
}

fn main() {
    println!("Exercises 2-3: add_slowly three ways.");
    println!("  by hand:    enum AddSlowly + impl Future (this file)");
    println!("  #[desugar]: the enum state machine the macro generates");
    println!("  native:     async fn, the compiler's state machine");
    println!();

    println!("add_slowly(2, 3), poll by poll:");
    let by_hand = polls(add_slowly_by_hand(2, 3));
    let desugared = polls(desugared::add_slowly(2, 3));
    let native = polls(add_slowly_native(2, 3));
    println!("  by hand:    {by_hand:?}");
    println!("  #[desugar]: {desugared:?}");
    println!("  native:     {native:?}");
    assert_eq!(by_hand, [Poll::Pending, Poll::Pending, Poll::Ready(5)]);
    assert_eq!(desugared, by_hand);
    assert_eq!(native, by_hand);

    println!();
    println!("Under poll_to_completion (Lesson 1's executor), with count_polls:");
    println!(
        "  {:<10} {:>14} {:>14} {:>14}",
        "(a, b)", "by hand", "#[desugar]", "native"
    );
    for (a, b) in [(2, 3), (0, 0), (40, 2), (100, 23)] {
        let by_hand = poll_to_completion(count_polls(add_slowly_by_hand(a, b)));
        let desugared = poll_to_completion(count_polls(desugared::add_slowly(a, b)));
        let native = poll_to_completion(count_polls(add_slowly_native(a, b)));
        assert_eq!(by_hand, (a + b, 3), "by hand: (sum, polls)");
        assert_eq!(desugared, by_hand, "#[desugar] vs by hand: (sum, polls)");
        assert_eq!(native, by_hand, "native vs by hand: (sum, polls)");
        let show = |(sum, polls): (u32, usize)| format!("{sum} ({polls} polls)");
        println!(
            "  {:<10} {:>14} {:>14} {:>14}",
            format!("({a}, {b})"),
            show(by_hand),
            show(desugared),
            show(native)
        );
    }
    println!();
    println!("All three agree: same sums, 3 polls each (Pending, Pending, Ready).");
}
