// Locals that are not read again but stay in scope across an `.await`:
// `tag` (dead after `println!`) and the argument `items` (dead after
// `len`). The compiler keeps such a local only if dropping it does
// something, and never moves it. The state keeps them in `DropOnly` fields,
// which hold the value only if its type needs a drop (both do here). `tag`,
// whose last use comes before the first `.await` of its block, goes into a
// `Dying` holder right after that use, so it is moved while everything it
// might borrow is still valid; `items` is moved at the `.await`, which the
// borrow-checking copy marks.
use desugar_runtime::{desugar, yield_once};

fn label(n: usize) -> String {
    format!("#{n}")
}

#[desugar]
async fn numbered(items: Vec<u32>) -> usize {
    let tag = label(items.len());
    println!("{tag}");
    let count = items.len();
    yield_once(()).await;
    count
}
