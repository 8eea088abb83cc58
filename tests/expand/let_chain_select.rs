//! A `let` chain with an `.await` (edition 2024), written as nested `if`s in
//! a labeled block (stage 2c, `chains`), and a `match` on a `select` whose
//! arm awaits: the loser (`_`) is bound to a hidden name so that it lives
//! to the end of the `match` (stage 2c, `rests`).
use desugar_runtime::desugar;
use futures::future::{select, Either};

#[desugar]
async fn greet(id: Option<u32>) -> String {
    if let Some(id) = id
        && let Some(name) = find(id).await
    {
        format!("hello {name}")
    } else {
        String::from("who?")
    }
}

#[desugar]
async fn first_message(rx: Receiver, timer: Timer) -> Option<String> {
    match select(rx.recv(), timer).await {
        Either::Left((message, _)) => Some(log(message).await),
        Either::Right(_) => None,
    }
}
