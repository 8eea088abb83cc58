// Seed "Lesson 2: State Machines": "A simpler example: add_slowly".
use desugar_runtime::{desugar, yield_once};

#[desugar]
pub async fn add_slowly(a: u32, b: u32) -> u32 {
    let x = yield_once(a).await; // yields once, returns a
    let y = yield_once(b).await; // yields once, returns b
    x + y
}
