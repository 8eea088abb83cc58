// A pinned local (`items`, borrowed across awaits by the loop) and a
// `return` as the last statement after an `.await`.
use desugar_runtime::{desugar, poll_to_completion, yield_once};

#[desugar]
async fn total(items: Vec<u32>) -> u32 {
    let mut t = 0;
    for x in &items {
        t += yield_once(*x).await;
    }
    let last = yield_once(1).await;
    return t + last;
}

fn main() {
    assert_eq!(poll_to_completion(total(vec![1, 2])), 4);
}
