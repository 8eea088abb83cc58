use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn describe(n: Option<u32>) -> u32 {
    match n {
        Some(n) => yield_once(n).await,
        None => 0,
    }
}

fn main() {
    let _ = describe(Some(1));
}
