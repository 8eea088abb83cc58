use desugar_runtime::{desugar, yield_once};

#[desugar(foo)]
async fn add_slowly(a: u32, b: u32) -> u32 {
    let x = yield_once(a).await;
    let y = yield_once(b).await;
    x + y
}

fn main() {
    let _ = add_slowly(1, 2);
}
