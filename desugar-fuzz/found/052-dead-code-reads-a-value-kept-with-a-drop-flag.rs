// Found by desugar-fuzz (seed 14000223), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0010.rs:28:18
//    |
// 28 |         'l2: for a in 0..0i64 {
//    |                  ^ expected `i64`, found `Option<i64>`
// ...
// 37 |                     let mut s0: i64 = a;
//    |                                 --- expected due to this
//    |
//    = note: expected type `i64`
//               found enum `Option<i64>`
// help: consider using `Option::expect` to unwrap the `Option<i64>` value, panicking if the value is an `Option::None`
//    |
// 28 |         'l2: for a.expect("REASON") in 0..0i64 {
//    |                   +++++++++++++++++
// 
// 
// error[E0308]: mismatched types
//   --> src/p0010.rs:28:18
//    |
// 28 |         'l2: for a in 0..0i64 {
//    |                  ^ expected `i64`, found `Option<i64>`
// ...
// 37 |                     let mut s0: i64 = a;
//    |                                 --- expected due to this
//    |
//    = note: expected type `i64`
//               found enum `Option<i64>`
// help: consider using `Option::expect` to unwrap the `Option<i64>` value, panicking if the value is an `Option::None`
//    |
// 28 |         'l2: for a.expect("REASON") in 0..0i64 {
//    |                   +++++++++++++++++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        'l2: for a in 0..0i64 {
            match (if cond(0, true) {
                a
            } else {
                leaf(3, 0, 0).await;
                3
            }) {
                _ => {
                    break 'l2;
                    let mut s0: i64 = a;
                }
            }
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        'l2: for a in 0..0i64 {
            match (if cond(0, true) {
                a
            } else {
                leaf(3, 0, 0).await;
                3
            }) {
                _ => {
                    break 'l2;
                    let mut s0: i64 = a;
                }
            }
        }
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
