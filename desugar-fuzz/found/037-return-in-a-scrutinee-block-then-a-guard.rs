// Found by desugar-fuzz (seed 11002881), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0282]: type annotations needed
//   --> src/p0012.rs:38:17
//    |
// 38 |                 m5 if cond(0, true) => {
//    |                 ^^ cannot infer type
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut c10 = 0;
        'l10: loop {
            c10 += 1;
            if c10 > 1 { break; }
            match ({
                return Ok(0);
                leaf(11, 0, 3).await
            }) {
                m5 if cond(0, true) => {
                    note(12, leaf_ref(13, &s0, 1).await);
                }
                _ => {
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
        let mut c10 = 0;
        'l10: loop {
            c10 += 1;
            if c10 > 1 { break; }
            match ({
                return Ok(0);
                leaf(11, 0, 3).await
            }) {
                m5 if cond(0, true) => {
                    note(12, leaf_ref(13, &s0, 1).await);
                }
                _ => {
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
