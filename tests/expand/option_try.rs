// `?` on an `Option` right after an `.await`.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn first_len(words: Vec<String>) -> Option<usize> {
    let word = yield_once(words.into_iter().next()).await?;
    Some(word.len())
}
