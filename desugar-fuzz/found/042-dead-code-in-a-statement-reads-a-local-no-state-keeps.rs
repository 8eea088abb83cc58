// Found by desugar-fuzz (seed 11000385), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `a_2` in this scope
//   --> src/p0011.rs:24:13
//    |
// 24 |         let a: i64 = 0;
//    |             ^ not found in this scope
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let a: i64 = 0;
        let mut v7: Vec<i64> = vec![leaf(11, 6, 1).await];
        if cond(12, true) {
            note(13, ({
                return Ok(5);
                0
            }));
            let mut a: i64 = a;
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let a: i64 = 0;
        let mut v7: Vec<i64> = vec![leaf(11, 6, 1).await];
        if cond(12, true) {
            note(13, ({
                return Ok(5);
                0
            }));
            let mut a: i64 = a;
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
