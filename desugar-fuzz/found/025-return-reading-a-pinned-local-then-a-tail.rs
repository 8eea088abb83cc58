// Found by desugar-fuzz (seed 11001119), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0000.rs:16:5
//    |
// 16 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^ expected `Option<i64>`, found `()`
//    |
//    = note:   expected enum `Option<i64>`
//            found unit type `()`
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let rf2 = &s0;
        leaf(6, 0, 0).await;
        return Some((s0.len() as i64));
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let rf2 = &s0;
        leaf(6, 0, 0).await;
        return Some((s0.len() as i64));
        Some(0)
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
