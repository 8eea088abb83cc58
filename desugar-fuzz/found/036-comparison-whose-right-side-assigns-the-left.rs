// Found by desugar-fuzz (seed 11003422), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the twins differ: log differs (run to completion, schedule 0x0); first log difference at line 15; native = Outcome { result: "Ready(Ok(0))", log: ["poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "note 13 = 0", "note 5 = 0"], polls: 10 }; desugared = Outcome { result: "Ready(Ok(0))", log: ["poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "note 5 = 0"], polls: 10 }

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut a: i64 = (s0.len() as i64);
        note(5, (if (a == ({
            let mut c6 = 0;
            'l6: loop {
                c6 += 1;
                if c6 > 3 { break 'l6 0; }
                a = ({
                    let mut c8 = 0;
                    'l8: loop {
                        c8 += 1;
                        if c8 > 1 { break 'l8 0; }
                        leaf(10, 0, 3).await;
                    }
                });
            }
        })) {
            0
        } else {
            note(13, 0)
        }));
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut a: i64 = (s0.len() as i64);
        note(5, (if (a == ({
            let mut c6 = 0;
            'l6: loop {
                c6 += 1;
                if c6 > 3 { break 'l6 0; }
                a = ({
                    let mut c8 = 0;
                    'l8: loop {
                        c8 += 1;
                        if c8 > 1 { break 'l8 0; }
                        leaf(10, 0, 3).await;
                    }
                });
            }
        })) {
            0
        } else {
            note(13, 0)
        }));
        Ok(0)
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
