// `finish` takes `self`, but without types the macro takes `msg.finish()`
// for a borrow (most methods take `&self`): it keeps `msg` across the
// `.await` for its drop, and the compiler says the value was moved before
// that `.await`. Move it whole into a `let` first (`let msg = msg;` in the
// branch, then `msg.finish()`): a local moved on some paths of a statement
// stays in a slot that the move empties, and it is dropped where native
// drops it.
use desugar_runtime::{desugar, yield_once};

struct Msg(u32);

impl Msg {
    fn finish(self) -> u32 {
        self.0
    }
}

#[desugar]
async fn finish_on_some_paths(give: bool) -> u32 {
    let msg = Msg(7);
    let mut total = 0;
    if give {
        total += msg.finish();
    }
    yield_once(()).await;
    total
}

fn main() {}
