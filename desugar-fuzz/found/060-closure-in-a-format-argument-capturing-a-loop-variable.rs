// Found by desugar-fuzz (seed 661002206), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// (A closure in a `format!` argument that awaits, capturing a `Copy` loop variable by value: stage 2c `captures` did not look into macro arguments, so the closure, kept across the `.await`, borrowed `i2` (E0373); it now makes closures in the arguments of a macro with `.await`s `move` too.)
// the desugared twin does not compile:
// error[E0373]: closure may outlive the current function, but it borrows `i2_3`, which is owned by the current function
//   --> src/p0008.rs:32:30
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     --------------------------- lifetime `'1` appears in the type Pin<&mut p0008::desugared::f::F<i64, String, std::ops::Range<i64>, i64, i32, {closure@src/p0008.rs:32:30: 32:38}, impl Future<Output = Option<i64>>, i32>>
// 25 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
// 26 |         'l3: for i2 in 0..3i64 {
//    |                  -- `i2_3` is borrowed here
// ...
// 32 |                     let i2 = |q: i64| q + i2;
//    |                              ^^^^^^^^ may outlive borrowed value `i2_3`
//    |
// note: function requires argument type to outlive `'1`
//   --> src/p0008.rs:24:5
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: to force the closure to take ownership of `i2_3` (and any other referenced variables), use the `move` keyword
//    |
// 32 |                     let i2 = move |q: i64| q + i2;
//    |                              ++++
// 
// 
// error[E0373]: closure may outlive the current function, but it borrows `i2_3`, which is owned by the current function
//   --> src/p0008.rs:32:30
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     --------------------------- lifetime `'1` appears in the type Pin<&mut p0008::desugared::f::F<i64, String, std::ops::Range<i64>, i64, i32, {closure@src/p0008.rs:32:30: 32:38}, impl Future<Output = Option<i64>>, i32>>
// 25 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
// 26 |         'l3: for i2 in 0..3i64 {
//    |                  -- `i2_3` is borrowed here
// ...
// 32 |                     let i2 = |q: i64| q + i2;
//    |                              ^^^^^^^^ may outlive borrowed value `i2_3`
//    |
// note: function requires argument type to outlive `'1`
//   --> src/p0008.rs:24:5
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: to force the closure to take ownership of `i2_3` (and any other referenced variables), use the `move` keyword
//    |
// 32 |                     let i2 = move |q: i64| q + i2;
//    |                              ++++
// 
// 
// error[E0373]: closure may outlive the current function, but it borrows `i2_3`, which is owned by the current function
//   --> src/p0008.rs:32:30
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     --------------------------- lifetime `'1` appears in the type Pin<&mut p0008::desugared::f::F<i64, String, std::ops::Range<i64>, i64, i32, {closure@src/p0008.rs:32:30: 32:38}, impl Future<Output = Option<i64>>, i32>>
// 25 |     pub async fn f(a: i64, s0: String) -> Option<i64> {
// 26 |         'l3: for i2 in 0..3i64 {
//    |                  -- `i2_3` is borrowed here
// ...
// 32 |                     let i2 = |q: i64| q + i2;
//    |                              ^^^^^^^^ may outlive borrowed value `i2_3`
//    |
// note: function requires argument type to outlive `'1`
//   --> src/p0008.rs:24:5
//    |
// 24 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    = note: this error originates in the attribute macro `desugar_runtime::desugar` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: to force the closure to take ownership of `i2_3` (and any other referenced variables), use the `move` keyword
//    |
// 32 |                     let i2 = move |q: i64| q + i2;
//    |                              ++++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        'l3: for i2 in 0..3i64 {
            let s3 = format!("{}-{}", 0, ({
                let mut c5 = 0;
                'l5: loop {
                    c5 += 1;
                    if c5 > 1 { break 'l5 0; }
                    let i2 = |q: i64| q + i2;
                    let x4: i64 = opt_leaf(8, 0, true, 2).await?;
                }
            }));
        }
        Some(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        'l3: for i2 in 0..3i64 {
            let s3 = format!("{}-{}", 0, ({
                let mut c5 = 0;
                'l5: loop {
                    c5 += 1;
                    if c5 > 1 { break 'l5 0; }
                    let i2 = |q: i64| q + i2;
                    let x4: i64 = opt_leaf(8, 0, true, 2).await?;
                }
            }));
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
