// Found by desugar-fuzz (seed 5000044), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0597]: `a` does not live long enough
//   --> src/p0007.rs:21:20
//    |
// 20 |     #[desugar_runtime::desugar]
//    |     ---------------------------- `a` dropped here while still borrowed
//    |     |
//    |     value captured here
//    |     assignment requires that `a` is borrowed for `'static`
// 21 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                    ^
//    |                    |
//    |                    borrowed value does not live long enough
//    |                    binding `a` declared here
// 
// 
// error[E0597]: `a` does not live long enough
//   --> src/p0007.rs:21:20
//    |
// 20 |     #[desugar_runtime::desugar]
//    |     ---------------------------- `a` dropped here while still borrowed
//    |     |
//    |     value captured here
//    |     assignment requires that `a` is borrowed for `'static`
// 21 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                    ^
//    |                    |
//    |                    borrowed value does not live long enough
//    |                    binding `a` declared here
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        if cond(2, false) {
            let a = &s0;
            leaf(6, 0, 1).await;
        }
        let mut x10: i64 = a;
        leaf(24, 0, 0).await;
        let a = Noisy::new("a_25");
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        if cond(2, false) {
            let a = &s0;
            leaf(6, 0, 1).await;
        }
        let mut x10: i64 = a;
        leaf(24, 0, 0).await;
        let a = Noisy::new("a_25");
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
