// A `std::sync::MutexGuard` read, then dropped before an `.await`: rustc
// still keeps the guard's storage (it was borrowed by `*guard`) until the
// end of its scope, so the future is `!Send`. The state shows that as a
// zero-sized `guard_storage` field.
use desugar_runtime::{desugar, yield_once};
use std::sync::Mutex;

static TOTAL: Mutex<u32> = Mutex::new(0);

#[desugar]
async fn read_total() -> u32 {
    let guard = TOTAL.lock().unwrap();
    let total = *guard;
    drop(guard);
    yield_once(total).await
}
