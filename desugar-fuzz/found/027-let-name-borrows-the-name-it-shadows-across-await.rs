// Found by desugar-fuzz (seed 5000043), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0505]: cannot move out of value because it is borrowed
//   --> src/p0009.rs:18:5
//    |
// 18 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |     |
//    |     move out of value occurs here
//    |     borrow of value occurs here
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let s0 = &s0;
        match (opt_leaf(4, 0, true, 1).await? + (s0.len() as i64)) {
            _ => {
            }
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let s0 = &s0;
        match (opt_leaf(4, 0, true, 1).await? + (s0.len() as i64)) {
            _ => {
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
