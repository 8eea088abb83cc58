// Found by desugar-fuzz (seed 21000340), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0716]: temporary value dropped while borrowed
//   --> src/p0014.rs:22:5
//    |
// 22 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^-
//    |     |                         |
//    |     |                         temporary value is freed at the end of this statement
//    |     creates a temporary value which is freed while still in use
//    |     has type `Pin<&mut p0014::desugared::f::F<i64, String, &'1 i32, i32, impl Future<Output = i64>, (), i32, impl Future<Output = bool>, ()>>`
//    |     argument requires that borrow lasts for `'1`
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        match 0 {
            m2 if (0 < m2) => {
                let x3: i64 = leaf(4, 0, 1).await;
            }
            m4 if flag(5, true, 2).await => {
            }
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
        match 0 {
            m2 if (0 < m2) => {
                let x3: i64 = leaf(4, 0, 1).await;
            }
            m4 if flag(5, true, 2).await => {
            }
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
