// Found by desugar-fuzz (seed 12000166), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0282]: type annotations needed
//   --> src/p0007.rs:31:13
//    |
// 31 |         let s0 = opt_leaf(2, 0, true, 0).await;
//    |             ^^
//    |
// help: consider giving `s0_2` an explicit type
//    |
// 31 |         let s0: /* Type */ = opt_leaf(2, 0, true, 0).await;
//    |               ++++++++++++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let s0 = opt_leaf(2, 0, true, 0).await;
        let a = res_leaf(6, s0.unwrap_or(6), false, 0).await;
        match ({
            let mut c10 = 0;
            'l10: loop {
                c10 += 1;
                if c10 > 3 { break 'l10 0; }
                break 'l10 ({
                    return Ok(0);
                    s0.unwrap_or(2)
                });
            }
        }) {
            _ => {
            }
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let s0 = opt_leaf(2, 0, true, 0).await;
        let a = res_leaf(6, s0.unwrap_or(6), false, 0).await;
        match ({
            let mut c10 = 0;
            'l10: loop {
                c10 += 1;
                if c10 > 3 { break 'l10 0; }
                break 'l10 ({
                    return Ok(0);
                    s0.unwrap_or(2)
                });
            }
        }) {
            _ => {
            }
        }
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
