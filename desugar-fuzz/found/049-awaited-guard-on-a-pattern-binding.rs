// Found by desugar-fuzz (seed 13000694), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin did not compile:
// error[E0597]: `m4` does not live long enough
//   --> src/p0017.rs:25:5
//    |
// 25 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^-
//    |     |                         |
//    |     |                         `m4` dropped here while still borrowed
//    |     borrowed value does not live long enough
//    |     has type `Pin<&mut p0017::desugared::f::F<i64, String, i32, &'1 i32, impl Future<Output = bool>, ()>>`
//    |     argument requires that `m4` is borrowed for `'1`
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        match 0 {
            m4 if cond(8, false) => {
                match m4 {
                    m5 if (flag(9, true, 1).await || (m5 < 0)) => {
                    }
                    _ => {
                    }
                }
            }
            _ => {
            }
        }
        Ok(6)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        match 0 {
            m4 if cond(8, false) => {
                match m4 {
                    m5 if (flag(9, true, 1).await || (m5 < 0)) => {
                    }
                    _ => {
                    }
                }
            }
            _ => {
            }
        }
        Ok(6)
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
