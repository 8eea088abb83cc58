// Found by desugar-fuzz (seed 5000119), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the twins differ: result differs (run to completion, schedule 0x0); first log difference at line 1; native = Outcome { result: "Ready(Ok(0))", log: ["cond 9 = false", "poll leaf 18", "poll leaf 18", "poll leaf 18", "poll leaf 18", "ready leaf 18", "poll leaf 6", "poll leaf 6", "poll leaf 6", "poll leaf 6", "ready leaf 6"], polls: 7 }; desugared = Outcome { result: "panic: desugar: a local was used outside its scope", log: ["cond 9 = false"], polls: 1 }

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let a = res_leaf(6, ({
            match 0 {
                a if cond(9, false) => {
                    let x2: i64 = leaf(11, 0, 0).await;
                }
                m6 if flag(18, false, 3).await => {
                }
                _ => {
                }
            }
            0
        }), true, 3).await;
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let a = res_leaf(6, ({
            match 0 {
                a if cond(9, false) => {
                    let x2: i64 = leaf(11, 0, 0).await;
                }
                m6 if flag(18, false, 3).await => {
                }
                _ => {
                }
            }
            0
        }), true, 3).await;
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
