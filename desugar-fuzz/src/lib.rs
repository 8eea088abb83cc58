//! Differential fuzzing of `#[desugar]` (issue 6): a seed goes in, random
//! `async fn` bodies are generated ([`gen`]), rendered twice, native and
//! `#[desugar]` ([`render`]), built and run in one batch crate
//! ([`driver`]); what comes out is a [`Summary`] of how many programs were
//! checked, discarded and diverged, with a shrunk reproducer ([`shrink`])
//! for each failure.
//!
//! | module | in → out |
//! |---|---|
//! | [`gen`] | seed → [`gen::Program`] (own AST) |
//! | [`render`] | program → source of its twins |
//! | [`driver`] | programs → one [`driver::Verdict`] each |
//! | [`shrink`] | failing program → smallest one failing the same way |

pub mod driver;
pub mod gen;
pub mod render;
pub mod shrink;

use driver::{Options, Verdict};
use gen::{Config, Program};

/// A failure, shrunk.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The seed of the original program.
    pub seed: u64,
    /// The shrunk program.
    pub program: Program,
    /// Its verdict.
    pub verdict: Verdict,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Summary {
    /// Programs whose native twin compiled and that were compared.
    pub checked: usize,
    /// Programs whose native twin did not compile (generator bugs).
    pub discarded: usize,
    /// Desugared-only compile failures or behaviour differences.
    pub failures: Vec<(u64, Verdict)>,
    /// Shrunk reproducers of (some of) the failures.
    pub findings: Vec<Finding>,
}

/// The seed of program `i` of a run with seed `seed`.
pub fn program_seed(seed: u64, i: u64) -> u64 {
    seed.wrapping_mul(1_000_003).wrapping_add(i)
}

/// Generates `count` programs from `seed`, checks them in batches of
/// `batch`, shrinks up to `max_shrink` failures (one per kind).
pub fn run(
    seed: u64,
    count: usize,
    batch: usize,
    cfg: &Config,
    opts: &Options,
    max_shrink: usize,
    progress: &mut dyn FnMut(&Summary),
) -> Result<Summary, String> {
    let seeds: Vec<u64> = (0..count).map(|j| program_seed(seed, j as u64)).collect();
    run_seeds(&seeds, batch, cfg, opts, max_shrink, progress)
}

/// As [`run`], for the programs of the given program seeds (as printed in
/// a report: `seed 42000147: ...`).
pub fn run_seeds(
    all: &[u64],
    batch: usize,
    cfg: &Config,
    opts: &Options,
    max_shrink: usize,
    progress: &mut dyn FnMut(&Summary),
) -> Result<Summary, String> {
    let mut sum = Summary::default();
    let count = all.len();
    let mut i = 0;
    while i < count {
        let n = batch.min(count - i);
        let seeds: Vec<u64> = all[i..i + n].to_vec();
        let programs: Vec<Program> = seeds.iter().map(|&s| gen::generate(s, cfg)).collect();
        let verdicts = driver::check(&programs, opts)?;
        for ((s, p), v) in seeds.iter().zip(&programs).zip(verdicts) {
            match v {
                Verdict::Same => sum.checked += 1,
                Verdict::NativeCompileError(_) => sum.discarded += 1,
                v => {
                    sum.checked += 1;
                    let kind = v.kind();
                    let new_kind = !sum.findings.iter().any(|f| f.verdict.kind() == kind);
                    if new_kind && sum.findings.len() < max_shrink {
                        let mut o = opts.clone();
                        o.tag = format!("{}-shrink", opts.tag);
                        let mut check = |ps: &[Program]| driver::check(ps, &o);
                        let (program, verdict) = shrink::shrink(p, &kind, 30, &mut check)?;
                        sum.findings.push(Finding {
                            seed: *s,
                            program,
                            verdict,
                        });
                    }
                    sum.failures.push((*s, v));
                }
            }
        }
        i += n;
        progress(&sum);
    }
    Ok(sum)
}

/// A reproducer to paste into a test: the twins (needing the batch
/// crate's `support` module, `desugar-fuzz/batch/support.rs`), what
/// differs, and a test that checks it.
pub fn reproducer(f: &Finding) -> String {
    let m = render::module(&f.program);
    let what = match &f.verdict {
        Verdict::DesugaredCompileError(e) => format!("the desugared twin does not compile:\n{e}"),
        Verdict::Diverged(d) => format!("the twins differ: {d}"),
        v => format!("{v:?}"),
    };
    let mut out = format!(
        "// Found by desugar-fuzz (seed {}), shrunk. Needs desugar-fuzz/batch/support.rs as `crate::support`.\n",
        f.seed
    );
    for l in what.lines() {
        out.push_str(&format!("// {l}\n"));
    }
    out.push('\n');
    out.push_str(&m.text);
    out.push_str("\n#[test]\nfn twins_agree() {\n    assert_eq!(check(), None);\n}\n");
    out
}
