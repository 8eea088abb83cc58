use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn both(a: bool, b: bool) -> bool {
    let ok = a && yield_once(b).await;
    ok
}

fn main() {
    let _ = both(true, false);
}
