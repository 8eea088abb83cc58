// Rust has no `const async fn`: the attribute leaves the item as written,
// so the compiler's own error says so (rather than an error about the
// generated code).
use desugar_runtime::{desugar, yield_once};

#[desugar]
const async fn add_slowly(a: u32, b: u32) -> u32 {
    yield_once(a).await + yield_once(b).await
}

fn main() {}
