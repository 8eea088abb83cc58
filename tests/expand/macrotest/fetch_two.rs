// The seed's `fetch_two`, through the real attribute and `cargo expand`.
use desugar_runtime::{desugar, poll_to_completion, yield_once};

struct Error;

async fn fetch(url: &str) -> Result<Vec<u8>, Error> {
    yield_once(Ok(url.as_bytes().to_vec())).await
}

#[desugar]
async fn fetch_two(a: &str, b: &str) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let r1 = fetch(a).await?;
    let r2 = fetch(b).await?;
    Ok((r1, r2))
}

fn main() {
    let _ = poll_to_completion(fetch_two("a", "b"));
}
