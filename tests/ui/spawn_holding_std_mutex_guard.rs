// Seed lesson "why you can't hold a std Mutex guard across .await": the
// guard is saved in the state that waits for the sleep, so the future is not
// `Send`, and `tokio::spawn` refuses it. The error names the state machine,
// `IncrementSlowly<MutexGuard<'static, u32>, Sleep>`: its first type
// parameter is `Guard`, the type of the field `guard` of the state
// `WaitingForSleep` (see the expansion), so the guard is that field.
use desugar_runtime::desugar;
use std::sync::Mutex;
use std::time::Duration;

static COUNTER: Mutex<u32> = Mutex::new(0);

#[desugar]
async fn increment_slowly() -> u32 {
    let mut guard = COUNTER.lock().unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;
    *guard += 1;
    *guard
}

fn main() {
    let _ = tokio::spawn(increment_slowly());
}
