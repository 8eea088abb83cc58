// `r` borrows `n` across the `.await`, and `n` is copied out before that
// (`let m = n;`): without types the macro cannot tell a copy from a move,
// and keeps a borrowed local in place only if it is not moved and then used
// again. The attribute refuses it on the borrow and says how to write it.
use desugar_runtime::{desugar, yield_once};

fn start() -> u64 {
    7
}

#[desugar]
async fn twice() -> u64 {
    let n = start();
    let m = n;
    let r = &n;
    yield_once(()).await;
    *r + m + n
}

fn main() {}
