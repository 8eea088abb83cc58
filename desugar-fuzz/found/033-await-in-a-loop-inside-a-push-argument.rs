// Found by desugar-fuzz (seed 7000056), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0499]: cannot borrow `v3` as mutable more than once at a time
//   --> src/p0003.rs:30:32
//    |
// 25 |         v3.push(({
//    |         -- ---- first borrow later used by call
//    |         |
//    |         first mutable borrow occurs here
// ...
// 30 |                 leaf(10, 0, 1).await;
//    |                                ^^^^^ second mutable borrow occurs here
// 
// 
// error[E0499]: cannot borrow `v3` as mutable more than once at a time
//   --> src/p0003.rs:30:32
//    |
// 25 |         v3.push(({
//    |         -- ---- first borrow later used by call
//    |         |
//    |         first mutable borrow occurs here
// ...
// 30 |                 leaf(10, 0, 1).await;
//    |                                ^^^^^ second mutable borrow occurs here
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut v3: Vec<i64> = vec![];
        v3.push(({
            let mut c9 = 0;
            'l9: loop {
                c9 += 1;
                if c9 > 1 { break 'l9 0; }
                leaf(10, 0, 1).await;
            }
        }));
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut v3: Vec<i64> = vec![];
        v3.push(({
            let mut c9 = 0;
            'l9: loop {
                c9 += 1;
                if c9 > 1 { break 'l9 0; }
                leaf(10, 0, 1).await;
            }
        }));
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
