// Found by desugar-fuzz (seed 21000455), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// (A `(x? + y)` operand whose `?` became a `match`, with a kept local in it: the parentheses around it were dropped inside `unsafe { .. }`.)
// the desugared twin does not compile:
// error: internal error in #[desugar] (expected an expression); this is a bug in desugar: please report it with this function
//   --> src/p0008.rs:16:5
//    |
// 16 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let x3: i64 = (res_leaf(9, 0, true, 1).await? + (s0.len() as i64));
        let rf4 = &s0;
        leaf(10, 0, 0).await;
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let x3: i64 = (res_leaf(9, 0, true, 1).await? + (s0.len() as i64));
        let rf4 = &s0;
        leaf(10, 0, 0).await;
        Ok(0)
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
