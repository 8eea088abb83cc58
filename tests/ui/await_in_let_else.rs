use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn first(values: Vec<u32>) -> u32 {
    let Some(value) = yield_once(values.first().copied()).await else {
        return 0;
    };
    value
}

fn main() {
    let _ = first(vec![1]);
}
