// Found by desugar-fuzz (seed 21000138), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `m3_shadowed3` in this scope
//   --> src/p0007.rs:22:5
//    |
// 22 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^ not found in this scope
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            m3 if cond(0, true) => {
                leaf(7, 0, 1).await;
            }
            m5 if flag(8, true, 2).await => {
            }
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
        match 0 {
            m3 if cond(0, true) => {
                leaf(7, 0, 1).await;
            }
            m5 if flag(8, true, 2).await => {
            }
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
