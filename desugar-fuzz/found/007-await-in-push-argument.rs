// Found by desugar-fuzz (seed 7000033), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0499]: cannot borrow `v2` as mutable more than once at a time
//   --> src/p0009.rs:27:32
//    |
// 26 |             v2.push(({
//    |             -- ---- first borrow later used by call
//    |             |
//    |             first mutable borrow occurs here
// 27 |                 leaf(13, 0, 3).await;
//    |                                ^^^^^ second mutable borrow occurs here
// 
// 
// error[E0499]: cannot borrow `v2` as mutable more than once at a time
//   --> src/p0009.rs:27:32
//    |
// 26 |             v2.push(({
//    |             -- ---- first borrow later used by call
//    |             |
//    |             first mutable borrow occurs here
// 27 |                 leaf(13, 0, 3).await;
//    |                                ^^^^^ second mutable borrow occurs here
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut v2: Vec<i64> = vec![];
        if (({
            v2.push(({
                leaf(13, 0, 3).await;
                0
            }));
            0
        }) < 0) {
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut v2: Vec<i64> = vec![];
        if (({
            v2.push(({
                leaf(13, 0, 3).await;
                0
            }));
            0
        }) < 0) {
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
