//! Seed "Lesson 2", exercise 1: `YieldOnce<T>`, a future that returns
//! `Pending` on its first poll (and wakes its task), then `Ready(value)`.
//!
//! `cargo run --example yield_once` polls it by hand with a waker that counts
//! wake-ups, so both polls are visible. It does this twice: for the solution
//! written out below (the seed's struct), and for `desugar_runtime::YieldOnce`
//! that the other examples use; both must behave the same.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use desugar_runtime::{count_polls, poll_to_completion, yield_once};

/// Exercise 1, the seed's struct.
struct YieldOnce<T> {
    value: Option<T>,
    yielded: bool,
}

fn my_yield_once<T>(value: T) -> YieldOnce<T> {
    YieldOnce {
        value: Some(value),
        yielded: false,
    }
}

/// No field is ever pinned (`value` is only moved out), so `YieldOnce` can be
/// `Unpin` whatever `T` is, and `Pin::new(&mut it)` is enough to poll it.
impl<T> Unpin for YieldOnce<T> {}

impl<T> Future for YieldOnce<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.yielded {
            Poll::Ready(self.value.take().expect("polled after completion"))
        } else {
            self.yielded = true;
            // Without this, nobody would ever poll us again: an executor
            // only polls a Pending future after its waker is called.
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// A waker that only counts how often it is woken.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Polls `future` by hand until it is ready, printing each poll and the
/// number of wake-ups so far. Returns what each poll gave and the wake-ups.
fn poll_by_hand<F>(mut future: F) -> (Vec<String>, usize)
where
    F: Future + Unpin,
    F::Output: std::fmt::Debug,
{
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&counter));
    let mut cx = Context::from_waker(&waker);
    let mut polls = Vec::new();
    loop {
        // `F: Unpin`, so the future can be pinned where it lies, for free.
        let poll = Pin::new(&mut future).poll(&mut cx);
        let wakes = counter.0.load(Ordering::SeqCst);
        let shown = format!("{poll:?}");
        println!(
            "  poll #{} → {shown:<12} wake-ups so far: {wakes}",
            polls.len() + 1
        );
        polls.push(shown);
        if poll.is_ready() {
            return (polls, wakes);
        }
    }
}

fn main() {
    println!("Exercise 1: YieldOnce<T> is Pending once (and wakes), then Ready(value).");
    println!();
    println!("The solution in this file, my_yield_once(\"hi\"), polled by hand:");
    let mine = poll_by_hand(my_yield_once("hi"));
    println!("desugar_runtime::yield_once(\"hi\"), polled by hand:");
    let runtime = poll_by_hand(yield_once("hi"));

    assert_eq!(mine, runtime);
    assert_eq!(mine.0, ["Pending", "Ready(\"hi\")"]);
    assert_eq!(mine.1, 1, "one wake-up, before the Pending");

    // What an executor sees: `poll_to_completion` polls until Ready, parking
    // the thread between polls until the waker is called.
    let (value, polls) = poll_to_completion(count_polls(my_yield_once(7)));
    assert_eq!((value, polls), (7, 2));
    assert_eq!(poll_to_completion(count_polls(yield_once(7))), (7, 2));
    println!();
    println!("poll_to_completion(count_polls(my_yield_once(7))) = ({value}, {polls})");
    println!("Two polls: one Pending, one Ready. Each .await on a YieldOnce costs one");
    println!("extra poll, which is why add_slowly (two of them) takes 3 polls.");
}
