// Found by desugar-fuzz (seed 11004367), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0597]: `a` does not live long enough
//   --> src/p0004.rs:23:13
//    |
// 18 |     #[desugar_runtime::desugar]
//    |     ---------------------------- `a` dropped here while still borrowed
//    |     |
//    |     value captured here
//    |     assignment requires that `a` is borrowed for `'static`
// 19 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                    - binding `a` declared here
// ...
// 23 |             a
//    |             ^ borrowed value does not live long enough
// 
// 
// error[E0597]: `a` does not live long enough
//   --> src/p0004.rs:23:13
//    |
// 18 |     #[desugar_runtime::desugar]
//    |     ---------------------------- `a` dropped here while still borrowed
//    |     |
//    |     value captured here
//    |     assignment requires that `a` is borrowed for `'static`
// 19 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                    - binding `a` declared here
// ...
// 23 |             a
//    |             ^ borrowed value does not live long enough
// 
// 
// error[E0597]: `a` does not live long enough
//   --> src/p0004.rs:23:13
//    |
// 18 |     #[desugar_runtime::desugar]
//    |     ---------------------------- `a` dropped here while still borrowed
//    |     |
//    |     value captured here
//    |     assignment requires that `a` is borrowed for `'static`
// 19 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                    - binding `a` declared here
// ...
// 23 |             a
//    |             ^ borrowed value does not live long enough
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        leaf(7, 0, 3).await;
        let x5: i64 = ({
            return None;
            a
        });
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        leaf(7, 0, 3).await;
        let x5: i64 = ({
            return None;
            a
        });
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
