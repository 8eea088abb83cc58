// Found by desugar-fuzz (seed 42000416), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0009.rs:22:20
//    |
// 22 |     pub async fn f(a: i64, s0: String) -> Result<i64, E> {
//    |                    ^ expected `i64`, found `&String`
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        match 0 {
            5 | 5 => {
                let mut v7: Vec<i64> = vec![leaf(9, 0, 2).await];
                let a = &s0;
            }
            _ => {
            }
        }
        Ok(4)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        match 0 {
            5 | 5 => {
                let mut v7: Vec<i64> = vec![leaf(9, 0, 2).await];
                let a = &s0;
            }
            _ => {
            }
        }
        Ok(4)
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
