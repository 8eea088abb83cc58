// Found by desugar-fuzz (seed 11004367), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `c5` in this scope
//   --> src/p0006.rs:24:17
//    |
// 24 |         let mut c5 = 0;
//    |                 ^^
//    |
// help: a local variable with a similar name exists
//    |
// 24 -         let mut c5 = 0;
// 24 +         let mut x5 = 0;
//    |
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut c5 = 0;
        'l5: while c5 < 1 {
            c5 += 1;
            leaf(7, 0, 3).await;
            let x5: i64 = ({
                return None;
                0
            });
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut c5 = 0;
        'l5: while c5 < 1 {
            c5 += 1;
            leaf(7, 0, 3).await;
            let x5: i64 = ({
                return None;
                0
            });
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
