// Found by desugar-fuzz (seed 1001201), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `output1` in this scope
//   --> src/p0013.rs:20:5
//    |
// 20 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: a local variable with a similar name exists
//    |
// 20 -     #[desugar_runtime::desugar]
// 20 +     output2
//    |
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        if (res_leaf(7, 3, false, 1).await? == ({
            let s5 = format!("{}-{}", 0, leaf_ref(8, &s0, 1).await);
            5
        })) {
        } else {
            leaf(9, 0, 1).await;
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        if (res_leaf(7, 3, false, 1).await? == ({
            let s5 = format!("{}-{}", 0, leaf_ref(8, &s0, 1).await);
            5
        })) {
        } else {
            leaf(9, 0, 1).await;
        }
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
