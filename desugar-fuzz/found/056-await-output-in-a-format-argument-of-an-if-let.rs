// Found by desugar-fuzz (seed 16000097), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `output1` in this scope
//   --> src/p0005.rs:16:5
//    |
// 16 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: a local variable with a similar name exists
//    |
// 16 -     #[desugar_runtime::desugar]
// 16 +     output2
//    |
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        if let Some(t2) = Some(format!("t{}", leaf(4, leaf(5, (s0.len() as i64), 2).await, 1).await)) {
            let mut x3: i64 = leaf(6, 0, 2).await;
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        if let Some(t2) = Some(format!("t{}", leaf(4, leaf(5, (s0.len() as i64), 2).await, 1).await)) {
            let mut x3: i64 = leaf(6, 0, 2).await;
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
