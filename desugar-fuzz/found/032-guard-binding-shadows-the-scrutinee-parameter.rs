// Found by desugar-fuzz (seed 21000341), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the twins differ: result differs (run to completion, schedule 0x0); first log difference at line 7; native = Outcome { result: "Ready(Some(3))", log: ["poll leaf 13", "poll leaf 13", "ready leaf 13", "poll leaf 13", "poll leaf 13", "ready leaf 13", "note 9 = 0"], polls: 3 }; desugared = Outcome { result: "panic: desugar: a local was used outside its scope", log: ["poll leaf 13", "poll leaf 13", "ready leaf 13", "poll leaf 13", "poll leaf 13", "ready leaf 13", "note 9 = 0"], polls: 3 }

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match a {
            a if (0 < a) => {
                note(9, ({
                    let mut c10 = 0;
                    'l10: loop {
                        c10 += 1;
                        if c10 > 2 { break 'l10 0; }
                        let o9 = opt_leaf(13, 0, false, 1).await;
                    }
                }));
            }
            m10 if flag(15, true, 3).await => {
            }
            _ => {
            }
        }
        Some(a)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match a {
            a if (0 < a) => {
                note(9, ({
                    let mut c10 = 0;
                    'l10: loop {
                        c10 += 1;
                        if c10 > 2 { break 'l10 0; }
                        let o9 = opt_leaf(13, 0, false, 1).await;
                    }
                }));
            }
            m10 if flag(15, true, 3).await => {
            }
            _ => {
            }
        }
        Some(a)
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
