// `pair` holds a `String` (so it has a drop: the state keeps it to the end
// of its scope) and a reference into `holder.items`. Natively it stays in
// place; its drop reads no `&u32`, so `holder.items` may change after its
// last use. It lived across the first `.await`, so the machine moves it at
// the second (as bytes, from its `Dying` holder), and the borrow-checking
// copy marks that move, since something from an earlier step could point
// into it: the mark also sees the stale `&u32`, and the compiler refuses.
// Scoping `pair` in a block that ends before the `.await` works.
use desugar_runtime::{desugar, yield_once};

struct Holder {
    items: Vec<u32>,
}

impl Holder {
    fn first(&self) -> &u32 {
        &self.items[0]
    }
}

#[desugar]
async fn stale_after_an_await() -> u32 {
    let mut holder = Holder { items: vec![1] };
    let pair = (String::from("first"), holder.first());
    yield_once(()).await;
    let a = *pair.1;
    holder.items.push(2);
    yield_once(()).await;
    a
}

fn main() {}
