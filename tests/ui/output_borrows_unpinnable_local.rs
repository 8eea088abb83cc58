// The result of `mutex.lock().await` borrows `mutex`, which the state
// machine would move when it resumes. Bound by a parameter's pattern,
// `mutex` cannot be kept in place (a pattern binding in the body is bound
// again as a plain local by the macro; a parameter's is not), so the
// attribute refuses it.
use desugar_runtime::desugar;

#[desugar]
async fn first((mutex, offset): (tokio::sync::Mutex<Vec<u32>>, u32)) -> u32 {
    let guard = mutex.lock().await;
    guard[0] + offset
}

fn main() {}
