use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn f(n: u32) -> u32 {
    tokio::select! { x = yield_once(n) => x }
}

fn main() {
    let _ = f(1);
}
