//! Seed lesson "fire-and-forget loses errors": a task spawned with
//! `tokio::spawn` whose `JoinHandle` is never awaited still runs, but its
//! `Err` (or its panic) goes nowhere. Awaiting the handle is what brings the
//! result back.
//!
//! `cargo run --example fire_and_forget`; `tests/lessons.rs` checks that
//! [`report`] prints exactly `examples/lessons/fire_and_forget.expected`.

use desugar_runtime::desugar;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// How many times [`save`] ran, whoever looked at its result.
static ATTEMPTS: AtomicU32 = AtomicU32::new(0);

/// Saves a record after a short wait; odd records are rejected.
#[desugar]
async fn save(record: u32) -> Result<(), String> {
    tokio::time::sleep(Duration::from_millis(5)).await;
    ATTEMPTS.fetch_add(1, Ordering::SeqCst);
    if record % 2 == 1 {
        return Err(format!("record {record} rejected"));
    }
    Ok(())
}

/// Runs both ways of spawning `save(1)` and says what each one saw.
pub fn report() -> String {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .expect("a tokio runtime");
    let mut out = String::new();
    runtime.block_on(async {
        // 1. Fire and forget: the handle is dropped at once. Dropping a
        //    `JoinHandle` detaches the task; it is not cancelled.
        let before = ATTEMPTS.load(Ordering::SeqCst);
        drop(tokio::spawn(save(1)));
        tokio::time::sleep(Duration::from_millis(100)).await;
        let ran = ATTEMPTS.load(Ordering::SeqCst) - before;
        out += "fire and forget: drop(tokio::spawn(save(1)))\n";
        out += &format!("  the task ran: {} time(s)\n", ran);
        out += "  its Err(\"record 1 rejected\"): dropped with the task, nobody saw it\n";

        // 2. Await the handle: the result comes back to the caller.
        let handle = tokio::spawn(save(1));
        out += "awaited: tokio::spawn(save(1)).await\n";
        match handle.await {
            Ok(Err(error)) => out += &format!("  the caller sees: Err({error:?})\n"),
            Ok(Ok(())) => out += "  the caller sees: Ok(())\n",
            Err(join_error) => out += &format!("  the task failed: {join_error}\n"),
        }
    });
    out
}

fn main() {
    print!("{}", report());
}
