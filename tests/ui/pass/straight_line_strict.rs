//! `#[desugar]` output is clean under the strictest crate-level lints: no
//! warnings and no `unsafe` in the user's crate.

#![deny(warnings)]
#![forbid(unsafe_code)]

use desugar_runtime::{count_polls, desugar, poll_to_completion, yield_once};

#[derive(Debug, PartialEq)]
struct Error(&'static str);

async fn fetch(url: &str) -> Result<Vec<u8>, Error> {
    if url.is_empty() {
        Err(Error("empty url"))
    } else {
        yield_once(url.as_bytes().to_vec()).await;
        Ok(url.as_bytes().to_vec())
    }
}

#[desugar]
async fn fetch_two(a: &str, b: &str) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let r1 = fetch(a).await?;
    let r2 = fetch(b).await?;
    Ok((r1, r2))
}

struct Counter {
    count: u32,
}

impl Counter {
    #[desugar]
    async fn add(&mut self, n: u32) -> u32 {
        let step = yield_once(n).await;
        self.count += step;
        self.count
    }
}

#[desugar]
async fn no_awaits() -> u32 {
    42
}

fn main() {
    let (result, polls) = poll_to_completion(count_polls(fetch_two("a", "bc")));
    assert_eq!(result, Ok((b"a".to_vec(), b"bc".to_vec())));
    assert_eq!(polls, 3);
    assert_eq!(
        poll_to_completion(fetch_two("", "b")),
        Err(Error("empty url"))
    );

    let mut counter = Counter { count: 1 };
    assert_eq!(poll_to_completion(counter.add(2)), 3);
    assert_eq!(poll_to_completion(no_awaits()), 42);
}
