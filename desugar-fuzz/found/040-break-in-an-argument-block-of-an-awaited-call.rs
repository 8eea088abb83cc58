// Found by desugar-fuzz (seed 11002935), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0426]: use of undeclared label `'l2`
//   --> src/p0007.rs:27:23
//    |
// 27 |                 break 'l2;
//    |                       ^^^ undeclared label `'l2`
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut c2 = 0;
        'l2: while c2 < 1 {
            c2 += 1;
            let mut x3: i64 = res_leaf(5, ({
                break 'l2;
                0
            }), true, 1).await?;
        }
        Ok(4)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut c2 = 0;
        'l2: while c2 < 1 {
            c2 += 1;
            let mut x3: i64 = res_leaf(5, ({
                break 'l2;
                0
            }), true, 1).await?;
        }
        Ok(4)
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
