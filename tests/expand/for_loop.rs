// A `for` loop holding an `.await`: the loop becomes `loop` + `match next`,
// with a state for its head and one after it.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn sum(values: Vec<u32>) -> u32 {
    let mut total = 0;
    for value in values {
        total += yield_once(value).await;
    }
    total
}
