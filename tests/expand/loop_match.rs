// A retry loop: `loop` with `match` on an awaited result, `continue` and
// `break value`.
use desugar_runtime::{desugar, yield_once};

async fn attempt(n: u32) -> Result<u32, String> {
    if n < 3 { Err(format!("attempt {n} failed")) } else { Ok(n) }
}

#[desugar]
async fn retry(max: u32) -> Result<u32, String> {
    let mut n = 0;
    loop {
        n += 1;
        match attempt(n).await {
            Ok(value) => break Ok(value),
            Err(e) if n < max => {
                yield_once(()).await;
                continue;
            }
            Err(e) => break Err(e),
        }
    }
}
