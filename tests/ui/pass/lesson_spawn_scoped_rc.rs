// The fix for tests/ui/lesson_spawn_requires_send.rs: the `Rc` is dropped at
// the end of its block, before the `.await`, so no state holds it and the
// future is `Send`: `tokio::spawn` takes it.
use desugar_runtime::desugar;
use std::rc::Rc;
use std::time::Duration;

#[desugar]
async fn greet_later() -> usize {
    let count = {
        let names = Rc::new(vec!["ada", "grace"]);
        names.len()
    };
    tokio::time::sleep(Duration::from_millis(1)).await;
    count
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let count = runtime.block_on(async { tokio::spawn(greet_later()).await.unwrap() });
    assert_eq!(count, 2);
}
