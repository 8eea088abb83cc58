// Found by desugar-fuzz (seed 42000472), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0716]: temporary value dropped while borrowed
//   --> src/p0003.rs:25:5
//    |
// 25 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^-
//    |     |                         |
//    |     |                         temporary value is freed at the end of this statement
//    |     creates a temporary value which is freed while still in use
//    |     has type `Pin<&mut p0003::desugared::f::F<i64, String, Vec<i64>, i32, std::ops::Range<i64>, i64, impl Future<Output = i64>, i64, &'1 Vec<i64>, impl Future<Output = i64>>>`
//    |     argument requires that borrow lasts for `'1`
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 
// 
// error[E0505]: cannot move out of value because it is borrowed
//   --> src/p0003.rs:27:17
//    |
// 25 |     #[desugar_runtime::desugar]
//    |     ---------------------------
//    |     |
//    |     binding `v2` declared here
//    |     borrow later used here
// 26 |     pub async fn f(a: i64, s0: String) -> Result<i64, E> {
// 27 |         let mut v2: Vec<i64> = vec![];
//    |                 ^^ move out of value occurs here
// ...
// 38 |         let rf11 = &v2;
//    |                    --- borrow of value occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 38 |         let rf11 = &v2.clone();
//    |                       ++++++++
// 
// 
// error[E0505]: cannot move out of value because it is borrowed
//   --> src/p0003.rs:27:17
//    |
// 25 |     #[desugar_runtime::desugar]
//    |     ---------------------------
//    |     |
//    |     binding `v2` declared here
//    |     borrow later used here
// 26 |     pub async fn f(a: i64, s0: String) -> Result<i64, E> {
// 27 |         let mut v2: Vec<i64> = vec![];
//    |                 ^^ move out of value occurs here
// ...
// 38 |         let rf11 = &v2;
//    |                    --- borrow of value occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 38 |         let rf11 = &v2.clone();
//    |                       ++++++++
// 
// 
// error[E0505]: cannot move out of value because it is borrowed
//   --> src/p0003.rs:27:17
//    |
// 25 |     #[desugar_runtime::desugar]
//    |     ---------------------------
//    |     |
//    |     binding `v2` declared here
//    |     borrow later used here
// 26 |     pub async fn f(a: i64, s0: String) -> Result<i64, E> {
// 27 |         let mut v2: Vec<i64> = vec![];
//    |                 ^^ move out of value occurs here
// ...
// 38 |         let rf11 = &v2;
//    |                    --- borrow of value occurs here
//    |
// help: consider cloning the value if the performance cost is acceptable
//    |
// 38 |         let rf11 = &v2.clone();
//    |                       ++++++++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut v2: Vec<i64> = vec![];
        note(4, ({
            let mut c6 = 0;
            'l6: loop {
                c6 += 1;
                if c6 > 1 { break 'l6 0; }
                'l7: for v2 in 0..3i64 {
                    leaf(14, 0, 1).await;
                }
            }
        }));
        let rf11 = &v2;
        Ok(leaf(20, 0, 3).await)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut v2: Vec<i64> = vec![];
        note(4, ({
            let mut c6 = 0;
            'l6: loop {
                c6 += 1;
                if c6 > 1 { break 'l6 0; }
                'l7: for v2 in 0..3i64 {
                    leaf(14, 0, 1).await;
                }
            }
        }));
        let rf11 = &v2;
        Ok(leaf(20, 0, 3).await)
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
