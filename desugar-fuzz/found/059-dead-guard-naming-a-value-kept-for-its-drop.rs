// Found by desugar-fuzz (seed 642002259), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// (A guard naming a value kept for its drop only, in the arms of a `match` whose scrutinee leaves: the dead guard was emitted as written and read the `DropOnly` field.)
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0012.rs:41:32
//    |
// 41 |                     m9 if (a < m8) => {
//    |                            -   ^^ expected `i64`, found `DropOnly<{integer}>`
//    |                            |
//    |                            expected because this is `i64`
//    |
//    = note: expected type `i64`
//             found struct `DropOnly<{integer}>`
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let s0: bool = cond(0, true);
        match 0 {
            m8 if s0 => {
                match (leaf(22, 0, 1).await + ({
                    return Ok(4);
                    0
                })) {
                    m9 if (a < m8) => {
                    }
                    6 | 2 => {
                        note(25, res_leaf(26, 0, true, 3).await?);
                    }
                    _ => {
                    }
                }
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
        let s0: bool = cond(0, true);
        match 0 {
            m8 if s0 => {
                match (leaf(22, 0, 1).await + ({
                    return Ok(4);
                    0
                })) {
                    m9 if (a < m8) => {
                    }
                    6 | 2 => {
                        note(25, res_leaf(26, 0, true, 3).await?);
                    }
                    _ => {
                    }
                }
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
