// Seed lesson "why .await requires an async context": `.await` is a state of
// the machine of the function around it, and a plain `fn` has no machine and
// no runtime polling it. Drive the future instead: `poll_to_completion(..)`,
// `#[tokio::main]`, `Runtime::block_on`, or await it from another async fn.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn add_slowly(a: u32, b: u32) -> u32 {
    let x = yield_once(a).await;
    let y = yield_once(b).await;
    x + y
}

fn main() {
    let sum = add_slowly(2, 3).await;
    println!("{sum}");
}
