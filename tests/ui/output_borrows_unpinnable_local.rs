// The result of `mutex.lock().await` borrows the local `mutex`, which the
// state machine would move when it resumes; with an `.await` inside macro
// arguments it cannot be kept in place, so the attribute refuses it.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn first(items: Vec<u32>) -> String {
    let mutex = tokio::sync::Mutex::new(items);
    let guard = mutex.lock().await;
    format!("{} {}", guard[0], yield_once(1).await)
}

fn main() {}
