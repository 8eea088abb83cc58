// Not a #[desugar] error: the generated code has `unsafe` blocks of its own,
// but none of them may cover the user's expressions. Calling an `unsafe fn`
// in a desugared body still needs the user's own `unsafe` block.
use desugar_runtime::{YieldOnce, desugar, yield_once};

/// # Safety
/// None needed; it is `unsafe` for the test.
unsafe fn danger(x: u32) -> YieldOnce<u32> {
    yield_once(x)
}

#[desugar]
async fn add(a: u32) -> u32 {
    let x = danger(a).await;
    let y = yield_once(unsafe { danger(x) }).await.await;
    x + y
}

fn main() {
    let _ = add(1);
}
