//! The fixed batch of the normal test suite: 60 programs from seed 7 with
//! the shapes of the open bugs left out (`Config::known_good`, each flag
//! naming its reproducers in `desugar-fuzz/open/`; none are open now, so
//! every construct is generated), built and compared
//! native vs `#[desugar]`. Fails on any divergence or desugared-only
//! compile error, printing the programs that failed.

use desugar_fuzz::driver::{Options, Verdict};
use desugar_fuzz::gen::Config;

#[test]
fn fixed_batch_twins_agree() {
    let opts = Options {
        tag: "fixed-test".into(),
        edition: "2021".into(),
        verbose: false,
        tweak_desugared: false,
    };
    let sum = desugar_fuzz::run(7, 60, 60, &Config::known_good(), &opts, 0, &mut |_| {})
        .expect("the batch crate builds and runs");
    let failures: Vec<String> = sum
        .failures
        .iter()
        .map(|(seed, v)| format!("seed {seed}: {v:?}"))
        .collect();
    assert!(
        failures.is_empty(),
        "twins differ:\n{}",
        failures.join("\n")
    );
    // Generator bugs are rare; most programs must really be compared.
    assert!(
        sum.checked >= 57,
        "only {} of 60 programs compiled natively",
        sum.checked
    );
}

/// The check can fail: the same batch with an extra `.await` in every
/// desugared twin must diverge for every program that compiled.
#[test]
fn a_difference_is_caught() {
    let opts = Options {
        tag: "fixed-test-tweak".into(),
        edition: "2021".into(),
        verbose: false,
        tweak_desugared: true,
    };
    let programs: Vec<_> = (0..5)
        .map(|i| {
            desugar_fuzz::gen::generate(desugar_fuzz::program_seed(7, i), &Config::known_good())
        })
        .collect();
    let verdicts =
        desugar_fuzz::driver::check(&programs, &opts).expect("the batch crate builds and runs");
    for v in &verdicts {
        assert!(matches!(v, Verdict::Diverged(_)), "not caught: {v:?}");
    }
}
