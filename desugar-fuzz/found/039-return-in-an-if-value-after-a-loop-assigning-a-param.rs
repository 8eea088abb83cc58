// Found by desugar-fuzz (seed 11003422), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the twins differ: result differs (run to completion, schedule 0x0); first log difference at line 16; native = Outcome { result: "Ready(Ok(4))", log: ["new n2_2", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "note 5 = 0", "poll leaf 18", "poll leaf 18", "ready leaf 18", "drop n2_2"], polls: 11 }; desugared = Outcome { result: "Ready(Ok(0))", log: ["new n2_2", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "poll leaf 10", "ready leaf 10", "drop n2_2"], polls: 10 }

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let n2 = Noisy::new("n2_2");
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
            ({
                return Ok(0);
                0
            })
        } else {
            0
        }));
        let a: i64 = consume(18, n2, 1).await;
        Ok(a)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let n2 = Noisy::new("n2_2");
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
            ({
                return Ok(0);
                0
            })
        } else {
            0
        }));
        let a: i64 = consume(18, n2, 1).await;
        Ok(a)
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
