// Found by desugar-fuzz (seed 21000066), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0502]: cannot borrow `a` as mutable because it is also borrowed as immutable
//   --> src/p0007.rs:24:39
//    |
// 24 |             m10 if flag(22, false, 1).await => {
//    |             ---                       ^^^^-
//    |             |                         |   |
//    |             |                         |   immutable borrow later used here
//    |             |                         mutable borrow occurs here
//    |             immutable borrow occurs here
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut v2: Vec<i64> = vec![a];
        match a {
            m10 if flag(22, false, 1).await => {
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
        let mut v2: Vec<i64> = vec![a];
        match a {
            m10 if flag(22, false, 1).await => {
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
