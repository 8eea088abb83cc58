// The rewrite the error for a borrowed pattern binding asks for: bound to a
// local of its own first, `v` is kept in place while `r` borrows it.
use desugar_runtime::{desugar, poll_to_completion, yield_once};

#[desugar]
async fn length(opt: Option<String>) -> usize {
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
}
