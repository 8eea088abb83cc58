// Found by desugar-fuzz (seed 11000033), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0505]: cannot move out of `s0` because it is borrowed
//   --> src/p0002.rs:16:28
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     --------------------------- borrow later used here
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            ^^
//    |                            |
//    |                            move out of `s0` occurs here
//    |                            binding `s0` declared here
// 17 |         let rf3 = &s0;
//    |                   --- borrow of `s0` occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 17 |         let rf3 = &s0.clone();
//    |                      ++++++++
// 
// 
// error[E0505]: cannot move out of `s0` because it is borrowed
//   --> src/p0002.rs:16:28
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     --------------------------- borrow later used here
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            ^^
//    |                            |
//    |                            move out of `s0` occurs here
//    |                            binding `s0` declared here
// 17 |         let rf3 = &s0;
//    |                   --- borrow of `s0` occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 17 |         let rf3 = &s0.clone();
//    |                      ++++++++
// 
// 
// error[E0505]: cannot move out of `s0` because it is borrowed
//   --> src/p0002.rs:16:28
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     --------------------------- borrow later used here
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            ^^
//    |                            |
//    |                            move out of `s0` occurs here
//    |                            binding `s0` declared here
// 17 |         let rf3 = &s0;
//    |                   --- borrow of `s0` occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 17 |         let rf3 = &s0.clone();
//    |                      ++++++++
// 
// 
// error[E0597]: `s0` does not live long enough
//   --> src/p0002.rs:17:19
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     ---------------------------
//    |     |                         |
//    |     |                         `s0` dropped here while still borrowed
//    |     has type `Pin<&mut p0002::desugared::f::F<i64, String, &'1 String, impl Future<Output = Option<i64>>>>`
//    |     argument requires that `s0` is borrowed for `'1`
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            -- binding `s0` declared here
// 17 |         let rf3 = &s0;
//    |                   ^^^ borrowed value does not live long enough
// 
// 
// error[E0597]: `s0` does not live long enough
//   --> src/p0002.rs:17:19
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     ---------------------------
//    |     |                         |
//    |     |                         `s0` dropped here while still borrowed
//    |     has type `Pin<&mut p0002::desugared::f::F<i64, String, &'1 String, impl Future<Output = Option<i64>>>>`
//    |     argument requires that `s0` is borrowed for `'1`
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            -- binding `s0` declared here
// 17 |         let rf3 = &s0;
//    |                   ^^^ borrowed value does not live long enough
// 
// 
// error[E0597]: `s0` does not live long enough
//   --> src/p0002.rs:17:19
//    |
// 15 |     #[desugar_runtime::desugar]
//    |     ---------------------------
//    |     |                         |
//    |     |                         `s0` dropped here while still borrowed
//    |     has type `Pin<&mut p0002::desugared::f::F<i64, String, &'1 String, impl Future<Output = Option<i64>>>>`
//    |     argument requires that `s0` is borrowed for `'1`
// 16 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                            -- binding `s0` declared here
// 17 |         let rf3 = &s0;
//    |                   ^^^ borrowed value does not live long enough
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let rf3 = &s0;
        let s0 = opt_leaf(17, 3, true, 0).await;
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let rf3 = &s0;
        let s0 = opt_leaf(17, 3, true, 0).await;
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
