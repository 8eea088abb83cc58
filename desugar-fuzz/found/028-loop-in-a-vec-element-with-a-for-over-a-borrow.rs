// Found by desugar-fuzz (seed 11000194), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0425]: cannot find value `c7` in this scope
//   --> src/p0013.rs:36:21
//    |
// 36 |             let mut c7 = 0;
//    |                     ^^ not found in this scope
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut v3: Vec<i64> = vec![];
        let mut v4: Vec<i64> = vec![({
            let mut c7 = 0;
            'l7: loop {
                c7 += 1;
                if c7 > 3 { break 'l7 0; }
                match 0 {
                    5 | 5 => {
                    }
                    _ => {
                        leaf(13, 0, 0).await;
                        return Ok((v3.len() as i64));
                    }
                }
                'l14: for i7 in &v3 {
                    note(15, leaf_vec(17, &v3, 0).await);
                }
            }
        })];
        Ok(0)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Result<i64, E> {
        let mut v3: Vec<i64> = vec![];
        let mut v4: Vec<i64> = vec![({
            let mut c7 = 0;
            'l7: loop {
                c7 += 1;
                if c7 > 3 { break 'l7 0; }
                match 0 {
                    5 | 5 => {
                    }
                    _ => {
                        leaf(13, 0, 0).await;
                        return Ok((v3.len() as i64));
                    }
                }
                'l14: for i7 in &v3 {
                    note(15, leaf_vec(17, &v3, 0).await);
                }
            }
        })];
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
