// The result of `mutex.lock().await` borrows the local `mutex`, which the
// state machine would move when it resumes. Bound by a pattern, `mutex`
// cannot be kept in place, so the attribute refuses it.
use desugar_runtime::desugar;

#[desugar]
async fn first(items: Vec<u32>) -> u32 {
    let (mutex, offset) = (tokio::sync::Mutex::new(items), 1);
    let guard = mutex.lock().await;
    guard[0] + offset
}

fn main() {}
