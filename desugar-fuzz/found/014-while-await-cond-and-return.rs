// Found by desugar-fuzz (seed 1000726), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0597]: `a` does not live long enough
//   --> src/p0017.rs:22:20
//    |
// 21 |     #[desugar_runtime::desugar]
//    |     ---------------------------- `a` dropped here while still borrowed
//    |     |
//    |     value captured here
//    |     assignment requires that `a` is borrowed for `'static`
// 22 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
//    |                    ^
//    |                    |
//    |                    borrowed value does not live long enough
//    |                    binding `a` declared here
// 
// 
// error[E0597]: `a` does not live long enough
//   --> src/p0017.rs:22:20
//    |
// 21 |     #[desugar_runtime::desugar]
//    |     ---------------------------- `a` dropped here while still borrowed
//    |     |
//    |     value captured here
//    |     assignment requires that `a` is borrowed for `'static`
// 22 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
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
        if (leaf(2, a, 2).await == 0) {
        } else {
            let mut c8 = 0;
            'l8: while c8 < 2 && (flag(9, false, 1).await && (6 < a)) {
                c8 += 1;
                return Some(0);
            }
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        if (leaf(2, a, 2).await == 0) {
        } else {
            let mut c8 = 0;
            'l8: while c8 < 2 && (flag(9, false, 1).await && (6 < a)) {
                c8 += 1;
                return Some(0);
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
