// Found by desugar-fuzz (seed 14004433), shrunk by hand. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0308]: mismatched types
//   --> src/p0191.rs:53:5
//    |
// 53 |     #[desugar_runtime::desugar]
//    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^ expected `Result<i64, _>`, found `()`

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let v2: Vec<i64> = vec![res_leaf(2, a, true, 2).await?];
        'l7: for i4 in &v2 {
            let n5 = Noisy::new("n5_8");
            match ({
                return Ok(n5.id());
                (s0.len() as i64)
            }) {
                m6 if (m6 < 3) => {
                    leaf(10, a, 1).await;
                }
                4 => {
                    'l14: for i7 in &v2 {
                        return Ok(note(15, 1));
                    }
                }
                _ => {
                }
            }
        }
        leaf(17, 0, 0).await;
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let v2: Vec<i64> = vec![res_leaf(2, a, true, 2).await?];
        'l7: for i4 in &v2 {
            let n5 = Noisy::new("n5_8");
            match ({
                return Ok(n5.id());
                (s0.len() as i64)
            }) {
                m6 if (m6 < 3) => {
                    leaf(10, a, 1).await;
                }
                4 => {
                    'l14: for i7 in &v2 {
                        return Ok(note(15, 1));
                    }
                }
                _ => {
                }
            }
        }
        leaf(17, 0, 0).await;
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
