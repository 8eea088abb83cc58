use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn count_to(limit: u32) -> u32 {
    let mut n = 0;
    while n < limit {
        n = yield_once(n + 1).await;
    }
    n
}

fn main() {
    let _ = count_to(3);
}
