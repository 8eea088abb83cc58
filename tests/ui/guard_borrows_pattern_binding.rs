// An `.await` in a `match` guard sees the scrutinee by reference across
// the `.await`. Here the scrutinee `n` is bound by a pattern (an arm of the
// outer `match`), which the state machine cannot keep in place, so the
// attribute refuses it and says how to write it.
use desugar_runtime::desugar;

async fn check(n: u32) -> bool {
    n > 1
}

#[desugar]
async fn classify(value: Option<u32>) -> u32 {
    match value {
        Some(n) => match n {
            m if check(m).await => m * 2,
            _ => 0,
        },
        None => 1,
    }
}

fn main() {}
