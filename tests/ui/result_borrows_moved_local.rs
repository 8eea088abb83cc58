// `first` returns a reference into its argument, so `r` points into the
// local array `items`. The native future never moves `items`; the state
// machine moves it into its next state when the first `.await` finishes,
// and `r` would dangle. The borrow-checking copy of the body marks that
// move, so the compiler rejects it (instead of undefined behaviour).
use desugar_runtime::{desugar, yield_once};

async fn first(items: &[u32; 4]) -> &u32 {
    yield_once(()).await;
    &items[0]
}

#[desugar]
async fn first_of_array(items: [u32; 4]) -> u32 {
    let r = first(&items).await;
    yield_once(()).await;
    *r
}

// The same with a plain function: `r` borrows `items` across the
// `.await`, through a call the attribute cannot see into.
fn pick(items: &[u32; 4]) -> &u32 {
    &items[1]
}

#[desugar]
async fn held_through_a_call(items: [u32; 4]) -> u32 {
    let r = pick(&items);
    yield_once(()).await;
    *r
}

fn main() {}
