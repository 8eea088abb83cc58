// Found by desugar-fuzz (seed 12003312), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0381]: used binding is possibly-uninitialized
//   --> src/p0014.rs:44:45
//    |
// 29 |     #[desugar_runtime::desugar]
//    |     ---------------------------
//    |     |
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     binding declared here but left uninitialized
// ...
// 44 |                 let mut v9: Vec<i64> = vec![x2];
//    |                                             ^^ value used here but it is possibly-uninitialized
// 
// 
// error[E0381]: used binding is possibly-uninitialized
//   --> src/p0014.rs:44:45
//    |
// 29 |     #[desugar_runtime::desugar]
//    |     ---------------------------
//    |     |
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     if this pattern is matched, the variable is not initialized
//    |     binding declared here but left uninitialized
// ...
// 44 |                 let mut v9: Vec<i64> = vec![x2];
//    |                                             ^^ value used here but it is possibly-uninitialized
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut x2: i64 = 0;
        'l8: for i5 in 0..1i64 {
            if (({
                let mut c10 = 0;
                'l10: loop {
                    c10 += 1;
                    if c10 > 3 { break 'l10 0; }
                    x2 = 0;
                }
            }) == 0) {
                let n7 = Noisy::new("n7_12");
                let mut x8: i64 = consume(13, n7, 3).await;
            } else {
                let mut v9: Vec<i64> = vec![x2];
            }
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut x2: i64 = 0;
        'l8: for i5 in 0..1i64 {
            if (({
                let mut c10 = 0;
                'l10: loop {
                    c10 += 1;
                    if c10 > 3 { break 'l10 0; }
                    x2 = 0;
                }
            }) == 0) {
                let n7 = Noisy::new("n7_12");
                let mut x8: i64 = consume(13, n7, 3).await;
            } else {
                let mut v9: Vec<i64> = vec![x2];
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
