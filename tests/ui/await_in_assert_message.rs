use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn f(n: u32) -> u32 {
    { assert!(n > 0, "{}", yield_once(n).await); n }
}

fn main() {
    let _ = f(1);
}
