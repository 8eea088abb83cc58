// Found by desugar-fuzz (seed 662002294), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// (`drop(n2)` in an `if` whose condition awaits and calls `n2.id()`: moved on some paths, `n2` was left out of the slot because the check for what a slot can take refused a method the macro does not know; it was dropped at the next `.await` instead of at the end of its scope.)
// the twins differ: log differs (run to completion, schedule 0x0); first log difference at line 6; native = Outcome { result: "Ready(Some(0))", log: ["new n2_2", "poll leaf 4", "poll leaf 4", "poll leaf 4", "poll leaf 4", "ready leaf 4", "poll leaf 8", "ready leaf 8", "drop n2_2"], polls: 4 }; desugared = Outcome { result: "Ready(Some(0))", log: ["new n2_2", "poll leaf 4", "poll leaf 4", "poll leaf 4", "poll leaf 4", "ready leaf 4", "drop n2_2", "poll leaf 8", "ready leaf 8"], polls: 4 }

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let n2 = Noisy::new("n2_2");
        if (opt_leaf(4, n2.id(), true, 3).await? < 0) {
            drop(n2);
        }
        leaf(8, 0, 0).await;
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let n2 = Noisy::new("n2_2");
        if (opt_leaf(4, n2.id(), true, 3).await? < 0) {
            drop(n2);
        }
        leaf(8, 0, 0).await;
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
