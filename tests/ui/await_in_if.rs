use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn pick(first: bool, a: u32, b: u32) -> u32 {
    let value = if first { yield_once(a).await } else { b };
    value + 1
}

fn main() {
    let _ = pick(true, 1, 2);
}
