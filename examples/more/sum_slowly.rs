// Beyond the seeds: control flow. The `for` loop becomes `loop` + `match
// Iterator::next`, its head is a state of its own (`ForLoop`), and the code
// after it is one more (`AfterForLoop`).
use desugar_runtime::{desugar, yield_once};

#[desugar]
pub async fn sum_slowly(values: Vec<u32>) -> u32 {
    let mut total = 0;
    for value in values {
        if value == 0 {
            continue;
        }
        total += yield_once(value).await; // yields once per non-zero value
    }
    total
}
