// `r` borrows `v` across the `.await`, and `v` is bound by a pattern (a
// `match` arm), which the state machine cannot keep in place yet: the
// attribute refuses it on the borrow and says how to write it.
use desugar_runtime::{desugar, yield_once};

#[desugar]
async fn length(opt: Option<String>) -> usize {
    match opt {
        Some(v) => {
            let r = &v;
            yield_once(()).await;
            r.len()
        }
        None => 0,
    }
}

fn main() {}
