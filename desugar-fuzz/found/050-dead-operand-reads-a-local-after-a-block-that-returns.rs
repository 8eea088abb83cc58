// Found by desugar-fuzz (seed 21001354), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0277]: the trait bound `Result<i64, support::E>: desugar_runtime::FromResidual<Option<Infallible>>` is not satisfied
//   --> src/p0011.rs:24:5
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |     |
//    |     the trait `desugar_runtime::FromResidual<Option<Infallible>>` is not implemented for `Result<i64, support::E>`
//    |     required by a bound introduced by this call
//    |
// help: the trait `FromResidual<Option<Infallible>>` is not implemented for `Result<i64, support::E>`
//       but trait `FromResidual<Result<Infallible, support::E>>` is implemented for it
//   --> /tmp/fz/desugar-runtime/src/try_op.rs:45:1
//    |
// 45 | impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Result<T, F> {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    = help: for that trait implementation, expected `Result<Infallible, support::E>`, found `Option<Infallible>`
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// 
// 
// error[E0277]: cannot add `Result<i64, support::E>` to `{integer}`
//   --> src/p0011.rs:35:16
//    |
// 35 |             }) + o3?);
//    |                ^ no implementation for `{integer} + Result<i64, support::E>`
//    |
//    = help: the trait `Add<Result<i64, support::E>>` is not implemented for `{integer}`
//    = help: the following other types implement trait `Add<Rhs>`:
//              `&f128` implements `Add<f128>`
//              `&f128` implements `Add`
//              `&f16` implements `Add<f16>`
//              `&f16` implements `Add`
//              `&f32` implements `Add<f32>`
//              `&f32` implements `Add`
//              `&f64` implements `Add<f64>`
//              `&f64` implements `Add`
//            and 56 others
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let o3 = res_leaf(4, 0, true, 3).await;
        let mut c6 = 0;
        'l6: loop {
            c6 += 1;
            if c6 > 2 { break; }
            leaf(7, 0, 1).await;
            let x5: i64 = (({
                return Err(E(3));
                0
            }) + o3?);
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let o3 = res_leaf(4, 0, true, 3).await;
        let mut c6 = 0;
        'l6: loop {
            c6 += 1;
            if c6 > 2 { break; }
            leaf(7, 0, 1).await;
            let x5: i64 = (({
                return Err(E(3));
                0
            }) + o3?);
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
