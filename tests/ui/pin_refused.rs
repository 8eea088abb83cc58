// `#[desugar(pin(..))]` names locals to keep in place; one it cannot keep
// is an error on its name.
use desugar_runtime::{desugar, yield_once};

// No local of that name.
#[desugar(pin(itmes))]
async fn misspelled(items: Vec<u32>) -> usize {
    yield_once(()).await;
    items.len()
}

// Two locals of that name, both alive across an `.await`.
#[desugar(pin(n))]
async fn shadowed(n: u32) -> u32 {
    yield_once(()).await;
    let n = n + 1;
    yield_once(()).await;
    n
}

// Bound by a pattern: only a plain `let name` can be kept in place.
#[desugar(pin(items))]
async fn pattern(pair: (Vec<u32>, u32)) -> usize {
    let (items, _n) = pair;
    yield_once(()).await;
    items.len()
}

fn main() {}
