// Seed lesson "tokio::spawn requires Send": a multi-thread runtime may move
// a task to another thread between polls, so everything its state machine
// holds across an `.await` must be `Send`. Here an `Rc` lives across the
// sleep: it is the field `names` of the state `WaitingForSleep`, and the
// error's note underlines `names` where it is declared (the bound of the
// machine's `Send` impl that fails). Keep the `Rc` in a block that ends
// before the `.await` (tests/ui/pass/lesson_spawn_scoped_rc.rs), or use
// `Arc`.
use desugar_runtime::desugar;
use std::rc::Rc;
use std::time::Duration;

#[desugar]
async fn greet_later() -> usize {
    let names = Rc::new(vec!["ada", "grace"]);
    tokio::time::sleep(Duration::from_millis(10)).await;
    names.len()
}

fn main() {
    let _ = tokio::spawn(greet_later());
}
