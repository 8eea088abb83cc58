// Found by desugar-fuzz (seed 3000091), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0283]: type annotations needed
//   --> src/p0004.rs:21:14
//    |
// 21 |         Some(o2?)
//    |              ^^- required by a bound introduced by this call
//    |              |
//    |              cannot infer type
//    |
//    = note: cannot satisfy `_: desugar_runtime::Try`
// help: the following types implement trait `desugar_runtime::Try`
//   --> /tmp/fuzz-work/desugar-runtime/src/try_op.rs:34:1
//    |
// 34 | impl<T, E> Try for Result<T, E> {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Result<T, E>`
// ...
// 54 | impl<T> Try for Option<T> {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^ `Option<T>`
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let o2 = opt_leaf(2, 0, true, 3).await;
        return Some(0);
        leaf(4, 0, 0).await;
        Some(o2?)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let o2 = opt_leaf(2, 0, true, 3).await;
        return Some(0);
        leaf(4, 0, 0).await;
        Some(o2?)
    }
}

pub fn check() -> Option<String> {
    compare(
        &|| native::f(3, String::from("arg")),
        &|| desugared::f(3, String::from("arg")),
    )
}

#[test]
fn twins_agree() {
    assert_eq!(check(), None);
}
