// Found by desugar-fuzz (seed 2000007), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0277]: the `?` operator can only be used in a closure that returns `Result` or `Option` (or another type that implements `std::ops::FromResidual`)
//   --> src/p0004.rs:14:31
//    |
// 14 |     #[desugar_runtime::desugar]
//    |     --------------------------^
//    |     |                         |
//    |     |                         cannot use the `?` operator in a closure that returns `Poll<Option<i64>>`
//    |     this function should return `Result` or `Option` to accept `?`
//    |
// help: the following other types implement trait `std::ops::FromResidual<R>`
//   --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/task/poll.rs:254:0
//    |
//    = note: `Poll<Result<T, F>>`
//   ::: /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/task/poll.rs:286:34
//    |
//    = note: `Poll<Option<Result<T, F>>>`
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let s5 = format!("{}-{}", 0, opt_leaf(5, 0, true, 1).await?);
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let s5 = format!("{}-{}", 0, opt_leaf(5, 0, true, 1).await?);
        Some(0)
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
