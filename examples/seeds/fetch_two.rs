// Seed "Async, illustrated": fetch a, fetch b, return both.
use crate::support::{Bytes, Error, fetch};
use desugar_runtime::desugar;

#[desugar]
pub async fn fetch_two(a: &str, b: &str) -> Result<(Bytes, Bytes), Error> {
    let r1 = fetch(a).await?;
    let r2 = fetch(b).await?;
    Ok((r1, r2))
}
