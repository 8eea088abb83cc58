// Found by desugar-fuzz (seed 12000654), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0001.rs:18:9
//    |
// 18 | /         Some(({
// 19 | |             return Some(0);
// 20 | |             0
// 21 | |         }))
//    | |___________^ expected `()`, found `Option<{integer}>`
//    |
//    = note: expected unit type `()`
//                    found enum `Option<{integer}>`
// help: consider using a semicolon here
//    |
// 21 |         }));
//    |            +
// help: you might have meant to break the loop with this value
//    |
// 18 ~         break Some(({
// 19 |             return Some(0);
// 20 |             0
// 21 ~         }));
//    |
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        Some(({
            return Some(0);
            0
        }))
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        Some(({
            return Some(0);
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
