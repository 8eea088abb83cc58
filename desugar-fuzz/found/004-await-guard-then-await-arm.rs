// Found by desugar-fuzz (seed 2000045), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the twins differ: result differs (run to completion, schedule 0x0); first log difference at line 7; native = Outcome { result: "Ready(Some(5))", log: ["poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 13", "poll leaf 13", "ready leaf 13"], polls: 4 }; desugared = Outcome { result: "panic: desugar: a local was used outside its scope", log: ["poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 13", "poll leaf 13", "ready leaf 13"], polls: 4 }

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            m7 if flag(10, true, 2).await => {
                leaf(13, 0, 1).await;
            }
            _ => {
            }
        }
        Some(5)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            m7 if flag(10, true, 2).await => {
                leaf(13, 0, 1).await;
            }
            _ => {
            }
        }
        Some(5)
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
