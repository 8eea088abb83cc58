// Found by desugar-fuzz (seed 11000631), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0507]: cannot move out of value, a captured variable in an `FnMut` closure
//   --> src/p0009.rs:25:28
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     --------------------------- captured by this `FnMut` closure
// 25 |     pub async fn f(a: i64, s0: String) -> Result<i64, E> {
//    |                            ^^  ------ move occurs because value has type `String`, which does not implement the `Copy` trait
//    |                            |
//    |                            captured outer variable
//    |                            value is moved here
//    |
// help: `Fn` and `FnMut` closures require captured values to be able to be consumed multiple times, but `FnOnce` closures may consume them only once
//   --> /work/main/desugar-runtime/src/machine.rs:56:12
//    |
// 56 |         F: FnMut(Pin<&mut S>, &mut Context<'_>) -> Poll<T>,
//    |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
// help: consider cloning the value if the performance cost is acceptable
//    |
// 25 |     pub async fn f(a: i64, s0: s0.clone(): String) -> Result<i64, E> {
//    |                              ++++++++++++
// 
// 
// error[E0507]: cannot move out of value, a captured variable in an `FnMut` closure
//   --> src/p0009.rs:25:28
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     --------------------------- captured by this `FnMut` closure
// 25 |     pub async fn f(a: i64, s0: String) -> Result<i64, E> {
//    |                            ^^  ------ move occurs because value has type `String`, which does not implement the `Copy` trait
//    |                            |
//    |                            captured outer variable
//    |                            value is moved here
//    |
// help: `Fn` and `FnMut` closures require captured values to be able to be consumed multiple times, but `FnOnce` closures may consume them only once
//   --> /work/main/desugar-runtime/src/machine.rs:56:12
//    |
// 56 |         F: FnMut(Pin<&mut S>, &mut Context<'_>) -> Poll<T>,
//    |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
// help: consider cloning the value if the performance cost is acceptable
//    |
// 25 |     pub async fn f(a: i64, s0: s0.clone(): String) -> Result<i64, E> {
//    |                              ++++++++++++
// 
// 
// error[E0382]: use of moved value: `s0`
//   --> src/p0009.rs:24:5
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |     |
//    |     inside of this loop
//    |     value used here after move
// 25 |     pub async fn f(a: i64, s0: String) -> Result<i64, E> {
//    |                            --
//    |                            |
//    |                            value moved here
//    |                            use occurs due to use in closure
//    |                            move occurs because `s0` has type `String`, which does not implement the `Copy` trait
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider cloning the value if the performance cost is acceptable
//    |
// 25 |     pub async fn f(a: i64, s0: s0.clone(): String) -> Result<i64, E> {
//    |                              ++++++++++++
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 25 |     pub async fn f(a: i64, ref s0: String) -> Result<i64, E> {
//    |                            +++
// 
// 
// error[E0382]: use of moved value: `s0`
//   --> src/p0009.rs:24:5
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    |     |
//    |     inside of this loop
//    |     value used here after move
// 25 |     pub async fn f(a: i64, s0: String) -> Result<i64, E> {
//    |                            --
//    |                            |
//    |                            value moved here
//    |                            use occurs due to use in closure
//    |                            move occurs because `s0` has type `String`, which does not implement the `Copy` trait
//    |
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider cloning the value if the performance cost is acceptable
//    |
// 25 |     pub async fn f(a: i64, s0: s0.clone(): String) -> Result<i64, E> {
//    |                              ++++++++++++
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 25 |     pub async fn f(a: i64, ref s0: String) -> Result<i64, E> {
//    |                            +++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        if cond(0, true) {
        } else {
            match ({
                return Ok(0);
                0
            }) {
                _ => {
                    leaf(13, 0, 0).await;
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
        if cond(0, true) {
        } else {
            match ({
                return Ok(0);
                0
            }) {
                _ => {
                    leaf(13, 0, 0).await;
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
