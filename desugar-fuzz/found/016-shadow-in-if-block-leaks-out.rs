// Found by desugar-fuzz (seed 42000147), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the twins differ: log differs (run to completion, schedule 0x0); first log difference at line 6; native = Outcome { result: "Ready(Some(0))", log: ["cond 0 = false", "poll leaf 9", "poll leaf 9", "poll leaf 9", "poll leaf 9", "ready leaf 9", "note 21 = 3"], polls: 4 }; desugared = Outcome { result: "Ready(Some(0))", log: ["cond 0 = false", "poll leaf 9", "poll leaf 9", "poll leaf 9", "poll leaf 9", "ready leaf 9", "note 21 = 5"], polls: 4 }

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let b2: bool = (0 == (if cond(0, false) {
            0
        } else {
            let mut a: i64 = leaf(9, 5, 3).await;
            0
        }));
        note(21, a);
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let b2: bool = (0 == (if cond(0, false) {
            0
        } else {
            let mut a: i64 = leaf(9, 5, 3).await;
            0
        }));
        note(21, a);
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
