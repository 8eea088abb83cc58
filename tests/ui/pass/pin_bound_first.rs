// The rewrite the error for `pin!(..).await` suggests: bind it first. The
// written-out `pin!` holds an `unsafe` block of the macro's, which a crate
// that forbids `unsafe_code` accepts.
#![deny(warnings)]
#![forbid(unsafe_code)]

use desugar_runtime::{desugar, poll_to_completion, yield_once};

#[desugar]
async fn f(n: u32) -> u32 {
    let fut = std::pin::pin!(yield_once(n));
    fut.await
}

fn main() {
    assert_eq!(poll_to_completion(f(1)), 1);
}
