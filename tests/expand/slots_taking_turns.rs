// Two locals borrowed across `.await`s in blocks side by side are never in
// scope together: their slots take turns in one place (`a_or_b`, an enum of
// the two slots), as the compiler overlaps such locals in its coroutine.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn two_lists(first: usize, second: usize) -> usize {
    let mut total = 0;
    {
        let a: Vec<usize> = (0..first).collect();
        for x in &a {
            total += yield_once(*x).await;
        }
    }
    {
        let b: Vec<usize> = (0..second).collect();
        for x in &b {
            total += yield_once(*x * 10).await;
        }
    }
    total
}
