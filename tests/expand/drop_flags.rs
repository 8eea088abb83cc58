// A value moved out on some paths only gets a drop flag, as rustc gives it
// one: `message` is sent on one path and dropped at the end of the body on
// the other. The states keep it as a `DropFlag` (an `Option` kept as
// bytes, empty where it was moved). On the path that does not send it,
// `message` dies as the `else` branch begins: it goes into its `Dying`
// holder there, before `outbox.clear()` could leave a borrow in it stale,
// and the state takes it from the holder as bytes.
use desugar_runtime::{desugar, yield_once};

struct Message {
    text: String,
}

async fn send(message: Message) -> usize {
    yield_once(()).await;
    message.text.len()
}

#[desugar]
async fn maybe_send(urgent: bool, mut outbox: Vec<String>) -> usize {
    let message = Message {
        text: outbox.join(","),
    };
    let sent = if urgent {
        send(message).await
    } else {
        outbox.clear();
        0
    };
    yield_once(()).await;
    sent + outbox.len()
}
