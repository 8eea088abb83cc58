// Seed lesson "why you can't hold a std Mutex guard across .await": the
// guard is saved in the state that waits for the sleep (the field `guard` of
// `IncrementSlowly::WaitingForSleep`, see the expansion), so the future is
// not `Send`, and `tokio::spawn` refuses it. The machine's `Send` impl
// requires each field's type to be `Send`, and each bound points at the
// user's tokens the field comes from: the error's note underlines `guard` in
// `let mut guard = ..` as the "unsatisfied trait bound". (rustc's last
// "consider borrowing here" is its generic advice for a type that is `Sync`
// but not `Send`; a borrowed future cannot be spawned.)
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
