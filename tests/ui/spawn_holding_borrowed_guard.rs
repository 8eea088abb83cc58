// A guard that a value borrows across an `.await` lives in a slot next to
// the states (the field `guard` of `GuardedSumLocals`), not in a state. The
// slots' `Send` impl works like the states' one: the error's note underlines
// `guard` where it is declared. The fix is the same as for a guard kept in a
// state: copy what you need out of it and drop it before the `.await`, or
// use `tokio::sync::Mutex`.
use desugar_runtime::desugar;
use std::sync::Mutex;

static READINGS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

async fn log_readings(readings: &[u32]) {
    let _ = readings;
}

#[desugar]
async fn guarded_sum() -> u32 {
    let guard = READINGS.lock().unwrap();
    let readings: &[u32] = &guard;
    log_readings(readings).await;
    readings.iter().sum()
}

fn main() {
    let _ = tokio::spawn(guarded_sum());
}
