//! Seed lesson "CPU-bound work blocks the executor": while one task's `poll`
//! runs a long computation, no other task on that executor thread can make
//! progress. `tokio::task::spawn_blocking` moves the work to another thread,
//! and the executor stays free.
//!
//! A ticker task wakes every 2 ms on a `current_thread` runtime and records
//! the longest gap between its ticks, while a `#[desugar]` task does 150 ms
//! of work, first inside its own poll, then through `spawn_blocking`.
//!
//! `cargo run --example cpu_bound` prints the measured gaps;
//! `tests/lessons.rs` checks that [`report`] (the verdicts, without the
//! timings) prints exactly `examples/lessons/cpu_bound.expected`.

use desugar_runtime::desugar;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long the work takes: long next to the ticker's 2 ms period.
pub const WORK: Duration = Duration::from_millis(150);

/// CPU-bound work: spins for [`WORK`], never yielding.
fn crunch() -> u64 {
    let start = Instant::now();
    let mut sum = 0u64;
    while start.elapsed() < WORK {
        sum = std::hint::black_box(sum.wrapping_add(1));
    }
    sum
}

/// The work done inside the task's own `poll`: the executor thread is busy.
#[desugar]
async fn crunch_in_poll() -> u64 {
    tokio::task::yield_now().await;
    let sum = crunch();
    tokio::task::yield_now().await;
    sum
}

/// The work handed to tokio's blocking pool: this task waits for it.
#[desugar]
async fn crunch_on_blocking_pool() -> u64 {
    tokio::task::yield_now().await;
    let sum = tokio::task::spawn_blocking(crunch)
        .await
        .expect("crunch ran");
    sum
}

/// Runs `work` on a one-thread executor next to a ticker; returns the
/// ticker's longest gap between two ticks while `work` ran.
fn longest_tick_gap<F>(work: F) -> Duration
where
    F: std::future::Future<Output = u64> + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let done = Arc::new(AtomicBool::new(false));
        let ticker = tokio::spawn({
            let done = done.clone();
            async move {
                let mut longest = Duration::ZERO;
                let mut last = Instant::now();
                while !done.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    longest = longest.max(last.elapsed());
                    last = Instant::now();
                }
                longest
            }
        });
        // Let the ticker start ticking first.
        tokio::time::sleep(Duration::from_millis(10)).await;
        std::hint::black_box(work.await);
        done.store(true, Ordering::SeqCst);
        ticker.await.expect("the ticker ran")
    })
}

/// The two measurements: (work inside poll, work on the blocking pool).
pub fn measure() -> (Duration, Duration) {
    (
        longest_tick_gap(crunch_in_poll()),
        longest_tick_gap(crunch_on_blocking_pool()),
    )
}

/// What the measurements mean, without the timings (they vary by machine).
pub fn verdicts(in_poll: Duration, on_pool: Duration) -> String {
    let mut out = String::new();
    out += "work inside poll: the ticker was stopped for the whole work: ";
    out += if in_poll >= WORK { "yes\n" } else { "no\n" };
    out += "work on the blocking pool: the ticker kept ticking (gaps under half the work): ";
    out += if on_pool < WORK / 2 { "yes\n" } else { "no\n" };
    out
}

/// The verdicts of a measurement. A loaded machine may delay the ticker
/// now and then, so the blocking-pool run gets up to three tries; the
/// in-poll run cannot pass by luck: the ticker cannot run during the spin.
pub fn report() -> String {
    let mut tries = 0;
    loop {
        let (in_poll, on_pool) = measure();
        tries += 1;
        if on_pool < WORK / 2 || tries == 3 {
            return verdicts(in_poll, on_pool);
        }
    }
}

fn main() {
    let (in_poll, on_pool) = measure();
    println!("A ticker task wants to run every 2 ms; another task does {WORK:?} of CPU work.");
    println!("longest gap between ticks, work inside poll:          {in_poll:?}");
    println!("longest gap between ticks, work on spawn_blocking:    {on_pool:?}");
    print!("{}", verdicts(in_poll, on_pool));
}
