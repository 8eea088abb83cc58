// Found by desugar-fuzz (seed 14004335), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0024.rs:29:55
//    |
// 29 |             let s5 = format!("{}-{}", 0, o3.unwrap_or(2));
//    |                                             --------- ^ expected `Option<i64>`, found integer
//    |                                             |
//    |                                             arguments to this method are incorrect
//    |
//    = note: expected enum `Option<i64>`
//               found type `{integer}`
// help: the return type of this call is `{integer}` due to the type of the argument passed
//   --> src/p0024.rs:29:42
//    |
// 29 |             let s5 = format!("{}-{}", 0, o3.unwrap_or(2));
//    |                                          ^^^^^^^^^^^^^-^
//    |                                                       |
//    |                                                       this argument influences the return type of `unwrap_or`
// note: method defined here
//   --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/option.rs:1038:17
// help: try wrapping the expression in `Some`
//    |
// 29 |             let s5 = format!("{}-{}", 0, o3.unwrap_or(Some(2)));
//    |                                                       +++++ +
// 
// 
// error[E0277]: `Option<i64>` doesn't implement `std::fmt::Display`
//   --> src/p0024.rs:29:42
//    |
// 29 |             let s5 = format!("{}-{}", 0, o3.unwrap_or(2));
//    |                                  --      ^^^^^^^^^^^^^^^ `Option<i64>` cannot be formatted with the default formatter
//    |                                  |
//    |                                  required by this formatting parameter
//    |
//    = help: the trait `std::fmt::Display` is not implemented for `Option<i64>`
//    = note: in format strings you may be able to use `{:?}` (or {:#?} for pretty-print) instead
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let o3 = opt_leaf(5, 0, false, 0).await;
        if (cond(0, true) || ((o3.unwrap_or(1) == 1) && flag(8, true, 0).await)) {
            let b4: bool = (({
                return Ok(0);
                0
            }) == 0);
            let s5 = format!("{}-{}", 0, o3.unwrap_or(2));
        }
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let o3 = opt_leaf(5, 0, false, 0).await;
        if (cond(0, true) || ((o3.unwrap_or(1) == 1) && flag(8, true, 0).await)) {
            let b4: bool = (({
                return Ok(0);
                0
            }) == 0);
            let s5 = format!("{}-{}", 0, o3.unwrap_or(2));
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
