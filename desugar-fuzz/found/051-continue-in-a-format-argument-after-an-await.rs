// Found by desugar-fuzz (seed 14002949), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `c11` in this scope
//   --> src/p0007.rs:25:17
//    |
// 25 |         let mut c11 = 0;
//    |                 ^^^ not found in this scope
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut c11 = 0;
        'l11: while c11 < 2 {
            c11 += 1;
            leaf(14, 0, 0).await;
            let s6 = format!("{}-{}", 0, ({
                continue 'l11;
                0
            }));
            return Ok(0);
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut c11 = 0;
        'l11: while c11 < 2 {
            c11 += 1;
            leaf(14, 0, 0).await;
            let s6 = format!("{}-{}", 0, ({
                continue 'l11;
                0
            }));
            return Ok(0);
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
