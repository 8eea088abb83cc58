// Found by desugar-fuzz (seed 42000188), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0382]: borrow of moved value: `s0`
//   --> src/p0008.rs:28:27
//    |
// 21 |     #[desugar_runtime::desugar]
//    |     --------------------------- inside of this loop
// 22 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            --
//    |                            |
//    |                            value moved here
//    |                            move occurs because `s0` has type `String`, which does not implement the `Copy` trait
// ...
// 28 |                 note(15, (s0.len() as i64));
//    |                           ^^ value borrowed here after move
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 22 |     pub async fn f(a: i64, s0.clone(): String) -> Option<i64> {
//    |                              ++++++++
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 22 |     pub async fn f(a: i64, ref s0: String) -> Option<i64> {
//    |                            +++
// 
// 
// error[E0382]: borrow of moved value: `s0`
//   --> src/p0008.rs:28:27
//    |
// 21 |     #[desugar_runtime::desugar]
//    |     --------------------------- inside of this loop
// 22 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            --
//    |                            |
//    |                            value moved here
//    |                            move occurs because `s0` has type `String`, which does not implement the `Copy` trait
// ...
// 28 |                 note(15, (s0.len() as i64));
//    |                           ^^ value borrowed here after move
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 22 |     pub async fn f(a: i64, s0.clone(): String) -> Option<i64> {
//    |                              ++++++++
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 22 |     pub async fn f(a: i64, ref s0: String) -> Option<i64> {
//    |                            +++
// 
// 
// error[E0382]: borrow of moved value: `s0`
//   --> src/p0008.rs:28:27
//    |
// 21 |     #[desugar_runtime::desugar]
//    |     --------------------------- inside of this loop
// 22 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            --
//    |                            |
//    |                            value moved here
//    |                            move occurs because `s0` has type `String`, which does not implement the `Copy` trait
// ...
// 28 |                 note(15, (s0.len() as i64));
//    |                           ^^ value borrowed here after move
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 22 |     pub async fn f(a: i64, s0.clone(): String) -> Option<i64> {
//    |                              ++++++++
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 22 |     pub async fn f(a: i64, ref s0: String) -> Option<i64> {
//    |                            +++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            s0 if cond(0, true) => {
                let mut x6: i64 = leaf(9, 0, 3).await;
            }
            _ => {
                note(15, (s0.len() as i64));
            }
        }
        Some(1)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match 0 {
            s0 if cond(0, true) => {
                let mut x6: i64 = leaf(9, 0, 3).await;
            }
            _ => {
                note(15, (s0.len() as i64));
            }
        }
        Some(1)
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
