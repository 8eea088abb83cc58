// Found by desugar-fuzz (seed 15000812), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0282]: type annotations needed
//   --> src/p0002.rs:18:9
//    |
// 18 |         Ok(({
//    |         ^^ cannot infer type of the type parameter `E` declared on the enum `Result`
//    |
// help: consider specifying the generic arguments
//    |
// 18 |         Ok::<i32, E>(({
//    |           ++++++++++
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        Ok(({
            return Err(E(2));
            0
        }))
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        Ok(({
            return Err(E(2));
            0
        }))
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
