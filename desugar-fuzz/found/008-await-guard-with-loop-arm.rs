// Found by desugar-fuzz (seed 2000073), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0597]: `a` does not live long enough
//   --> src/p0011.rs:29:5
//    |
// 29 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^-
//    |     |                         |
//    |     |                         `a` dropped here while still borrowed
//    |     borrowed value does not live long enough
//    |     has type `Pin<&mut p0011::desugared::f::F<i64, String, &'1 i64, impl Future<Output = bool>, ()>>`
//    |     argument requires that `a` is borrowed for `'1`
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match a {
            6 => {
                let x2: i64 = ({
                    let mut c2 = 0;
                    'l2: loop {
                        c2 += 1;
                        if c2 > 1 { break 'l2 0; }
                        let x5: i64 = a;
                    }
                });
            }
            m8 if flag(5, false, 1).await => {
            }
            _ => {
            }
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        match a {
            6 => {
                let x2: i64 = ({
                    let mut c2 = 0;
                    'l2: loop {
                        c2 += 1;
                        if c2 > 1 { break 'l2 0; }
                        let x5: i64 = a;
                    }
                });
            }
            m8 if flag(5, false, 1).await => {
            }
            _ => {
            }
        }
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
