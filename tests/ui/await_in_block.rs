use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn doubled(a: u32) -> u32 {
    let twice = {
        let x = yield_once(a).await;
        x * 2
    };
    twice
}

fn main() {
    let _ = doubled(2);
}
