// `tied_lifetimes` is a flag, like `trace`: it takes no value, and is
// given once.
use desugar_runtime::{desugar, yield_once};

#[desugar(tied_lifetimes = true)]
async fn add_slowly(a: u32, b: u32) -> u32 {
    let x = yield_once(a).await;
    let y = yield_once(b).await;
    x + y
}

#[desugar(tied_lifetimes, trace, tied_lifetimes)]
async fn double(a: u32) -> u32 {
    yield_once(a).await * 2
}

fn main() {
    let _ = add_slowly(1, 2);
    let _ = double(1);
}
