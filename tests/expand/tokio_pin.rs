// `tokio::pin!` hides a local: #[desugar] writes it out (stage 2a) and keeps
// the pinned future in a slot (`pinned_sleep`), where it never moves and is
// dropped in place, while `sleep` is the `Pin<&mut Sleep>` to it.
use desugar_runtime::desugar;
use std::time::Duration;

#[desugar]
async fn ticks_until(deadline: Duration) -> u32 {
    let sleep = tokio::time::sleep(deadline);
    tokio::pin!(sleep);
    let mut ticks = 0;
    while futures::future::poll_immediate(sleep.as_mut()).await.is_none() {
        tokio::task::yield_now().await;
        ticks += 1;
    }
    ticks
}
