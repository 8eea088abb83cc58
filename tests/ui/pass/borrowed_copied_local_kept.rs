// The rewrite the error for `tests/ui/borrowed_copied_local.rs` asks for:
// the borrow is of a local of its own, which is kept in place.
use desugar_runtime::{desugar, poll_to_completion, yield_once};

fn start() -> u64 {
    7
}

#[desugar]
async fn twice() -> u64 {
    let n = start();
    let m = n;
    let n_kept = n;
    let r = &n_kept;
    yield_once(()).await;
    *r + m + n
}

fn main() {
    assert_eq!(poll_to_completion(twice()), 21);
}
