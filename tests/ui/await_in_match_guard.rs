use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn f(n: Option<u32>) -> u32 {
    match n { Some(x) if yield_once(x > 1).await => x, _ => 0 }
}

fn main() {
    let _ = f(Some(1));
}
