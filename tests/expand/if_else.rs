// An `if` whose branch awaits, used as a value: the branches meet again in
// a join state that receives the value.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn pick(first: bool, a: u32, b: u32) -> u32 {
    let value = if first { yield_once(a).await } else { b };
    value + 1
}
