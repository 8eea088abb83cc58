// Found by desugar-fuzz (seed 11001925), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0002.rs:18:5
//    |
// 18 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |     |
//    |     expected `Option<i64>`, found `()`
//    |     arguments to this enum variant are incorrect
//    |
//    = note:   expected enum `Option<i64>`
//            found unit type `()`
// help: the type constructed contains `()` due to the type of the argument passed
//   --> src/p0002.rs:18:5
//    |
// 18 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^ this argument influences the type of `Ready`
// note: tuple variant defined here
//   --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/task/poll.rs:18:4
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            _ => {
                return None;
            }
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            _ => {
                return None;
            }
        }
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
