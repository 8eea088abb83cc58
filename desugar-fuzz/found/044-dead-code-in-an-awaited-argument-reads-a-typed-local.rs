// Found by desugar-fuzz (seed 11002418), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0282]: type annotations needed
//   --> src/p0004.rs:21:13
//    |
// 21 |         let x2: i64 = 0;
//    |             ^^
//    |
// help: consider giving `x2` an explicit type
//    |
// 21 |         let x2: /* Type */: i64 = 0;
//    |               ++++++++++++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let x2: i64 = 0;
        note(5, leaf(6, 0, 3).await);
        let o3 = res_leaf(9, ({
            return Some(0);
            x2
        }), true, 3).await;
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let x2: i64 = 0;
        note(5, leaf(6, 0, 3).await);
        let o3 = res_leaf(9, ({
            return Some(0);
            x2
        }), true, 3).await;
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
