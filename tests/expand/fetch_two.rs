// Seed: "Async, illustrated" (two fetches, each followed by `?`).
use desugar_runtime::desugar;

#[desugar]
async fn fetch_two(a: &str, b: &str) -> Result<(Bytes, Bytes), Error> {
    let r1 = fetch(a).await?;
    let r2 = fetch(b).await?;
    Ok((r1, r2))
}
