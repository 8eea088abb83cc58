// The result of `mutex.lock().await` borrows the local `mutex`, which the
// state machine would move when it resumes; with `impl Trait` in the
// return type it cannot be kept in place, so the attribute refuses it.
use desugar_runtime::desugar;

#[desugar]
async fn first(items: Vec<u32>) -> impl std::fmt::Display {
    let mutex = tokio::sync::Mutex::new(items);
    let guard = mutex.lock().await;
    guard[0]
}

fn main() {}
