// Found by desugar-fuzz (seed 1000369), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0282]: type annotations needed
//   --> src/p0009.rs:24:5
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^ cannot infer type
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            m2 if cond(0, true) => {
                if cond(4, true) {
                    note(5, m2);
                    leaf(8, 0, 2).await;
                }
                let mut v3: Vec<i64> = vec![];
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
            m2 if cond(0, true) => {
                if cond(4, true) {
                    note(5, m2);
                    leaf(8, 0, 2).await;
                }
                let mut v3: Vec<i64> = vec![];
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
