// Found by desugar-fuzz (seed 11000162), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.
// the desugared twin does not compile:
// error[E0381]: used binding is possibly-uninitialized
//   --> src/p0007.rs:35:14
//    |
// 23 |     #[desugar_runtime::desugar]
//    |     --------------------------- binding declared here but left uninitialized
// ...
// 32 |                 x2 = 0;
//    |                 ------ binding initialized here in some conditions
// ...
// 35 |         Some(x2)
//    |              ^^ value used here but it is possibly-uninitialized
// 
// 
// error[E0381]: used binding is possibly-uninitialized
//   --> src/p0007.rs:35:14
//    |
// 23 |     #[desugar_runtime::desugar]
//    |     --------------------------- binding declared here but left uninitialized
// ...
// 32 |                 x2 = 0;
//    |                 ------ binding initialized here in some conditions
// ...
// 35 |         Some(x2)
//    |              ^^ value used here but it is possibly-uninitialized
// 
// 
// error[E0381]: used binding is possibly-uninitialized
//   --> src/p0007.rs:35:14
//    |
// 23 |     #[desugar_runtime::desugar]
//    |     --------------------------- binding declared here but left uninitialized
// ...
// 32 |                 x2 = 0;
//    |                 ------ binding initialized here in some conditions
// ...
// 35 |         Some(x2)
//    |              ^^ value used here but it is possibly-uninitialized
// 

#![allow(warnings)]
use crate::support::*;

pub mod native {
    use crate::support::*;
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut x2: i64 = 0;
        leaf(6, 0, 1).await;
        let mut x5: i64 = note(7, ({
            let mut c8 = 0;
            'l8: loop {
                c8 += 1;
                if c8 > 1 { break 'l8 0; }
                x2 = 0;
            }
        }));
        Some(x2)
    }
}

pub mod desugared {
    use crate::support::*;
    #[desugar_runtime::desugar]
    pub async fn f(a: i64, s0: String) -> Option<i64> {
        let mut x2: i64 = 0;
        leaf(6, 0, 1).await;
        let mut x5: i64 = note(7, ({
            let mut c8 = 0;
            'l8: loop {
                c8 += 1;
                if c8 > 1 { break 'l8 0; }
                x2 = 0;
            }
        }));
        Some(x2)
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
