macro_rules! my_macro { ($e:expr) => { $e }; }

use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn f(n: u32) -> u32 {
    my_macro!(yield_once(n).await)
}

fn main() {
    let _ = f(1);
}
