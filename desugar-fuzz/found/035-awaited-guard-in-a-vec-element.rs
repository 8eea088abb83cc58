// Found by desugar-fuzz (seed 11000170), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error: #[desugar] does not support `.await` inside a `match` guard; await before the `match` into a `let` and test the binding in the guard, or move the test into the arm with an `if`
//   --> src/p0009.rs:26:41
//    |
// 26 |                 m8 if flag(11, false, 1).await => {
//    |                                         ^^^^^^
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut v7: Vec<i64> = vec![({
            match 0 {
                m8 if flag(11, false, 1).await => {
                }
                _ => {
                }
            }
            0
        })];
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut v7: Vec<i64> = vec![({
            match 0 {
                m8 if flag(11, false, 1).await => {
                }
                _ => {
                }
            }
            0
        })];
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
