// Found by desugar-fuzz (seed 2000076), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0283]: type annotations needed
//   --> src/p0008.rs:29:23
//    |
// 29 |         'l9: while c9 < 1 {
//    |                       ^ cannot infer type
//    |
//    = note: cannot satisfy `_: PartialOrd<i32>`
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        note(4, ({
            return Ok(leaf(5, 0, 0).await);
            0
        }));
        let mut c9 = 0;
        'l9: while c9 < 1 {
            c9 += 1;
            leaf(13, 0, 1).await;
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        note(4, ({
            return Ok(leaf(5, 0, 0).await);
            0
        }));
        let mut c9 = 0;
        'l9: while c9 < 1 {
            c9 += 1;
            leaf(13, 0, 1).await;
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
