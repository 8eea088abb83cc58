// Found by desugar-fuzz (seed 2000017), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0426]: use of undeclared label `'l11`
//   --> src/p0004.rs:23:23
//    |
// 23 |                 break 'l11;
//    |                       ^^^^ undeclared label `'l11`
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        'l11: for i9 in 0..0i64 {
            let mut v10: Vec<i64> = vec![leaf(12, 0, 1).await, ({
                break 'l11;
                6
            })];
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        'l11: for i9 in 0..0i64 {
            let mut v10: Vec<i64> = vec![leaf(12, 0, 1).await, ({
                break 'l11;
                6
            })];
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
