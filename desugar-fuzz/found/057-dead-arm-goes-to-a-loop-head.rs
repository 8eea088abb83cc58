// Found by desugar-fuzz (seed 18000904), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `c10` in this scope
//   --> src/p0010.rs:40:25
//    |
// 40 |                 let mut c10 = 0;
//    |                         ^^^ not found in this scope
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut a: Vec<i64> = vec![];
        let rf3 = &a;
        Some(({
            note(8, ({
                let mut c10 = 0;
                'l10: loop {
                    c10 += 1;
                    if c10 > 3 { break 'l10 0; }
                    match (leaf_vec(11, &rf3, 1).await + ({
                        return None;
                        0
                    })) {
                        0 | 2 => {
                            leaf(13, 0, 0).await;
                        }
                        _ => {
                        }
                    }
                }
            }));
            0
        }))
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut a: Vec<i64> = vec![];
        let rf3 = &a;
        Some(({
            note(8, ({
                let mut c10 = 0;
                'l10: loop {
                    c10 += 1;
                    if c10 > 3 { break 'l10 0; }
                    match (leaf_vec(11, &rf3, 1).await + ({
                        return None;
                        0
                    })) {
                        0 | 2 => {
                            leaf(13, 0, 0).await;
                        }
                        _ => {
                        }
                    }
                }
            }));
            0
        }))
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
