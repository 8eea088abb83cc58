// A local borrowed across `.await`s: `items` lives in a slot next to the
// states (the `…Locals` struct), reached through a raw pointer, and the body
// is also kept as written in a never-called closure for the borrow checker.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn total_len(items: Vec<String>) -> usize {
    let mut total = 0;
    for item in &items {
        total += yield_once(item.len()).await;
    }
    total
}
