use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn show(a: u32) {
    println!("{}", yield_once(a).await);
}

fn main() {
    let _ = show(1);
}
