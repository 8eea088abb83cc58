// The rewrite the error for an awaited guard on a pattern binding asks
// for: bound to a local of its own first, `n` is kept in place.
use desugar_runtime::desugar;

async fn check(n: u32) -> bool {
    n > 1
}

#[desugar]
async fn classify(value: Option<u32>) -> u32 {
    match value {
        Some(n) => {
            let n = n;
            match n {
                m if check(m).await => m * 2,
                _ => 0,
            }
        }
        None => 1,
    }
}

fn main() {
    assert_eq!(desugar_runtime::poll_to_completion(classify(Some(3))), 6);
    assert_eq!(desugar_runtime::poll_to_completion(classify(Some(1))), 0);
    assert_eq!(desugar_runtime::poll_to_completion(classify(None)), 1);
}
