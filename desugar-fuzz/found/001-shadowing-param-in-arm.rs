// Found by desugar-fuzz (seed 11000035), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0007.rs:21:28
//    |
// 21 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            ^^ expected `String`, found `bool`
//    |
// help: try using a conversion method
//    |
// 21 |     pub async fn f(a: i64, s0: s0.to_string(): String) -> Option<i64> {
//    |                            +++   ++++++++++++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            6 | 3 => {
                let s0: bool = flag(5, true, 0).await;
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
            6 | 3 => {
                let s0: bool = flag(5, true, 0).await;
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
