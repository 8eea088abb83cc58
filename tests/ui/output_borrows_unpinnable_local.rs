// The result of `mutex.lock().await` borrows the local `mutex`, which the
// state machine would move when it resumes; with `impl Trait` in the
// signature it cannot be kept in place, so the attribute refuses it.
use desugar_runtime::desugar;

#[desugar]
async fn first(items: impl Into<Vec<u32>>) -> u32 {
    let mutex = tokio::sync::Mutex::new(items.into());
    let guard = mutex.lock().await;
    guard[0]
}

fn main() {}
