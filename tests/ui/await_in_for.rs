use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn sum(values: Vec<u32>) -> u32 {
    let mut total = 0;
    for value in values {
        total += yield_once(value).await;
    }
    total
}

fn main() {
    let _ = sum(vec![1, 2, 3]);
}
