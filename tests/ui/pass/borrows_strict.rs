//! The code `#[desugar]` writes for borrows (locals kept in place, the
//! borrow-checked copy of the body, `pin(..)`) is clean under the strictest
//! crate-level lints too.

#![deny(warnings)]
#![forbid(unsafe_code)]

use desugar_runtime::{desugar, poll_to_completion, yield_once};

async fn first(items: &[u32; 3]) -> &u32 {
    yield_once(()).await;
    &items[0]
}

/// A local mutex that a closure borrows across an `.await`, with an `impl
/// Trait` parameter, named in a format string.
#[desugar]
async fn guarded(items: impl Into<Vec<u32>>) -> String {
    let mutex = std::sync::Mutex::new(items.into());
    let count = || mutex.lock().map(|g| g.len()).unwrap_or(0) + 1;
    yield_once(()).await;
    format!("{mutex:?} {}", count())
}

/// A result that borrows a local through a call: `pin(items)`.
#[desugar(pin(items))]
async fn pinned(items: [u32; 3]) -> u32 {
    let r = first(&items).await;
    yield_once(()).await;
    *r + items[2]
}

/// A sub-future that borrows a local, the copy marking the moves.
#[desugar]
async fn read_into(data: Vec<u8>) -> usize {
    let mut buf = [0u8; 4];
    let n = copy_into(&data, &mut buf).await;
    yield_once(()).await;
    n + buf[0] as usize
}

async fn copy_into(from: &[u8], to: &mut [u8; 4]) -> usize {
    yield_once(()).await;
    let n = from.len().min(4);
    to[..n].copy_from_slice(&from[..n]);
    n
}

fn main() {
    assert_eq!(poll_to_completion(guarded([1, 2])), "Mutex { data: [1, 2], poisoned: false, .. } 3");
    assert_eq!(poll_to_completion(pinned([4, 5, 6])), 10);
    assert_eq!(poll_to_completion(read_into(vec![7, 8])), 9);
}
