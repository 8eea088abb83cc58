// Found by desugar-fuzz (seed 5000496), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0505]: cannot move out of `s0` because it is borrowed
//   --> src/p0003.rs:16:28
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     --------------------------- borrow later used here
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            ^^
//    |                            |
//    |                            move out of `s0` occurs here
//    |                            binding `s0` declared here
// 17 |         let s0 = &s0;
//    |                  --- borrow of `s0` occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 17 |         let s0 = &s0.clone();
//    |                     ++++++++
// 
// 
// error[E0505]: cannot move out of `s0` because it is borrowed
//   --> src/p0003.rs:16:28
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     --------------------------- borrow later used here
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            ^^
//    |                            |
//    |                            move out of `s0` occurs here
//    |                            binding `s0` declared here
// 17 |         let s0 = &s0;
//    |                  --- borrow of `s0` occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 17 |         let s0 = &s0.clone();
//    |                     ++++++++
// 
// 
// error[E0505]: cannot move out of `s0` because it is borrowed
//   --> src/p0003.rs:16:28
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     --------------------------- borrow later used here
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            ^^
//    |                            |
//    |                            move out of `s0` occurs here
//    |                            binding `s0` declared here
// 17 |         let s0 = &s0;
//    |                  --- borrow of `s0` occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 17 |         let s0 = &s0.clone();
//    |                     ++++++++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let s0 = &s0;
        let x8: i64 = leaf(15, 3, 1).await;
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let s0 = &s0;
        let x8: i64 = leaf(15, 3, 1).await;
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
