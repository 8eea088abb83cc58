// `std::pin::pin!` makes a temporary that would have to live across the
// `.await` of the statement it is in: bind it with `let` first.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn f(n: u32) -> u32 {
    std::pin::pin!(yield_once(n)).await
}

fn main() {
    let _ = f(1);
}
