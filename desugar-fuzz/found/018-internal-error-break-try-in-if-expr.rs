// Found by desugar-fuzz (seed 42000192), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error: internal error in #[desugar] (expected loop or block expression); this is a bug in desugar: please report it with this function
//   --> src/p0012.rs:27:5
//    |
// 27 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let s0: i64 = ({
            let mut c2 = 0;
            'l2: loop {
                c2 += 1;
                if c2 > 3 { break 'l2 0; }
                let o2 = res_leaf(3, (if cond(0, true) {
                    let s3 = format!("{}-{}", 0, (s0.len() as i64));
                    0
                } else {
                    break 'l2 opt_leaf(5, 2, false, 1).await?;
                    0
                }), true, 1).await;
            }
        });
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let s0: i64 = ({
            let mut c2 = 0;
            'l2: loop {
                c2 += 1;
                if c2 > 3 { break 'l2 0; }
                let o2 = res_leaf(3, (if cond(0, true) {
                    let s3 = format!("{}-{}", 0, (s0.len() as i64));
                    0
                } else {
                    break 'l2 opt_leaf(5, 2, false, 1).await?;
                    0
                }), true, 1).await;
            }
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
