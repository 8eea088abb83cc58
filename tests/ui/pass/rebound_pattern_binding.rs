// Pattern bindings borrowed across an `.await`: the macro binds them again
// as plain locals (stage 2d, `desugar-core/src/rebind.rs`), kept in place.
// Writing `let v = v;` by hand works the same.
use desugar_runtime::{desugar, poll_to_completion, yield_once};

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

#[desugar]
async fn length_rebound_by_hand(opt: Option<String>) -> usize {
    match opt {
        Some(v) => {
            let v = v;
            let r = &v;
            yield_once(()).await;
            r.len()
        }
        None => 0,
    }
}

fn main() {
    assert_eq!(poll_to_completion(length(Some("abc".to_string()))), 3);
    assert_eq!(poll_to_completion(length(None)), 0);
    assert_eq!(poll_to_completion(length_rebound_by_hand(Some("ab".to_string()))), 2);
}
