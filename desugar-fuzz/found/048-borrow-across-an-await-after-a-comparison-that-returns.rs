// Found by desugar-fuzz (seed 12003127), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0282]: type annotations needed
//   --> src/p0009.rs:19:5
//    |
// 19 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^ cannot infer type
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let b2: bool = (({
            return Some(0);
            0
        }) == 0);
        let mut v4: Vec<i64> = vec![];
        let v4 = &v4;
        Some(leaf(7, 0, 1).await)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let b2: bool = (({
            return Some(0);
            0
        }) == 0);
        let mut v4: Vec<i64> = vec![];
        let v4 = &v4;
        Some(leaf(7, 0, 1).await)
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
