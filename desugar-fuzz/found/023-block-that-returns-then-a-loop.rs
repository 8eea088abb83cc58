// Found by desugar-fuzz (seed 11000071), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0283]: type annotations needed
//   --> src/p0003.rs:27:23
//    |
// 27 |         'l3: while c3 < 3 {
//    |                       ^ cannot infer type
//    |
//    = note: cannot satisfy `_: PartialOrd<i32>`
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        {
            return Err(E(0));
        }
        let mut c3 = 0;
        'l3: while c3 < 3 {
            c3 += 1;
            leaf(8, 0, 3).await;
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        {
            return Err(E(0));
        }
        let mut c3 = 0;
        'l3: while c3 < 3 {
            c3 += 1;
            leaf(8, 0, 3).await;
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
