// Found by desugar-fuzz (seed 3000062), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `x2` in this scope
//   --> src/p0007.rs:23:13
//    |
// 23 |         let x2: i64 = 0;
//    |             ^^ not found in this scope
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let x2: i64 = 0;
        'l8: for i4 in 0..0i64 {
            return Ok(0);
            match leaf(13, 0, 0).await {
                _ => {
                }
            }
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let x2: i64 = 0;
        'l8: for i4 in 0..0i64 {
            return Ok(0);
            match leaf(13, 0, 0).await {
                _ => {
                }
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
