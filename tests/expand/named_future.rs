// A future named before it is awaited, made by a method of a local
// (`notify.notified()` borrows `notify`): it lives across another `.await`,
// so `notify` stays in place in a slot while the future points into it.
use desugar_runtime::{desugar, yield_once};
use tokio::sync::Notify;

#[desugar]
async fn wait_for(notify: Notify) -> u32 {
    let notified = notify.notified();
    yield_once(()).await;
    notified.await;
    1
}
