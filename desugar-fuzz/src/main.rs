//! The long mode: `cargo run -p desugar-fuzz --release -- --count 5000 --seed S`
//! generates and checks `count` programs, prints how many were checked and
//! how many diverged, and writes shrunk reproducers to `--found DIR`.

use clap::{value_parser, Arg, ArgAction, Command};
use desugar_fuzz::driver::Options;
use desugar_fuzz::gen::Config;
use std::time::Instant;

fn main() {
    let m = Command::new("desugar-fuzz")
        .about("Differential fuzzing: native async fn vs #[desugar], same body")
        .arg(
            Arg::new("count")
                .long("count")
                .default_value("200")
                .value_parser(value_parser!(usize)),
        )
        .arg(
            Arg::new("seed")
                .long("seed")
                .default_value("1")
                .value_parser(value_parser!(u64)),
        )
        .arg(
            Arg::new("batch")
                .long("batch")
                .default_value("200")
                .value_parser(value_parser!(usize)),
        )
        .arg(
            Arg::new("size")
                .long("size")
                .default_value("14")
                .value_parser(value_parser!(u32)),
        )
        .arg(Arg::new("edition").long("edition").default_value("2021"))
        .arg(
            Arg::new("no-panics")
                .long("no-panics")
                .action(ArgAction::SetTrue),
        )
        .arg(
            Arg::new("no-shadowing")
                .long("no-shadowing")
                .action(ArgAction::SetTrue),
        )
        .arg(
            Arg::new("enable")
                .long("enable")
                .help("with --known-good: turn these back on (comma-separated: shadowing, try_in_macros, diverge_in_exprs, await_guards, dead_code, await_in_push)"),
        )
        .arg(
            Arg::new("seeds")
                .long("seeds")
                .help("check (and shrink) only these program seeds, comma-separated, instead of --count/--seed"),
        )
        .arg(
            Arg::new("known-good")
                .long("known-good")
                .action(ArgAction::SetTrue)
                .help("leave out the shapes of the open bugs in desugar-fuzz/open (as the fixed test does)"),
        )
        .arg(
            Arg::new("shrink")
                .long("shrink")
                .default_value("4")
                .value_parser(value_parser!(usize)),
        )
        .arg(
            Arg::new("found")
                .long("found")
                .help("directory for shrunk reproducers (default: none written)"),
        )
        .arg(
            Arg::new("show")
                .long("show")
                .value_parser(value_parser!(u64))
                .help("print the program of this seed and exit"),
        )
        .get_matches();
    let base = if m.get_flag("known-good") {
        Config::known_good()
    } else {
        Config::default()
    };
    let cfg = Config {
        panics: base.panics && !m.get_flag("no-panics"),
        size: *m.get_one("size").unwrap(),
        shadowing: base.shadowing && !m.get_flag("no-shadowing"),
        ..base
    };
    let mut cfg = cfg;
    // `let` chains are edition 2024's
    cfg.let_chains = m
        .get_one::<String>("edition")
        .is_some_and(|e| e.as_str() >= "2024");
    for name in m
        .get_one::<String>("enable")
        .map(|s| s.split(',').collect::<Vec<_>>())
        .unwrap_or_default()
    {
        match name {
            "shadowing" => cfg.shadowing = true,
            "try_in_macros" => cfg.try_in_macros = true,
            "diverge_in_exprs" => cfg.diverge_in_exprs = true,
            "await_guards" => cfg.await_guards = true,
            "dead_code" => cfg.dead_code = true,
            "await_in_push" => cfg.await_in_push = true,
            other => {
                eprintln!("unknown construct for --enable: {other}");
                std::process::exit(2);
            }
        }
    }
    if let Some(&s) = m.get_one::<u64>("show") {
        print!(
            "{}",
            desugar_fuzz::render::module(&desugar_fuzz::gen::generate(s, &cfg)).text
        );
        return;
    }
    let seed: u64 = *m.get_one("seed").unwrap();
    let count: usize = *m.get_one("count").unwrap();
    let opts = Options {
        tag: format!("run-{seed}"),
        edition: m.get_one::<String>("edition").unwrap().clone(),
        verbose: false,
        tweak_desugared: false,
    };
    let start = Instant::now();
    let seeds: Vec<u64> = match m.get_one::<String>("seeds") {
        Some(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .expect("--seeds: numbers separated by commas")
            })
            .collect(),
        None => (0..count)
            .map(|j| desugar_fuzz::program_seed(seed, j as u64))
            .collect(),
    };
    let result = desugar_fuzz::run_seeds(
        &seeds,
        *m.get_one("batch").unwrap(),
        &cfg,
        &opts,
        *m.get_one("shrink").unwrap(),
        &mut |s| {
            eprintln!(
                "[{:.0?}] checked {} discarded {} diverged {}",
                start.elapsed(),
                s.checked,
                s.discarded,
                s.failures.len()
            )
        },
    );
    let sum = match result {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    for (s, v) in &sum.failures {
        let text = format!("{v:?}");
        println!("seed {s}: {}", text.chars().take(300).collect::<String>());
    }
    if let Some(dir) = m.get_one::<String>("found") {
        std::fs::create_dir_all(dir).expect("found dir");
        for (i, f) in sum.findings.iter().enumerate() {
            let path = format!("{dir}/fuzz-{seed}-{i}-{}.rs", f.verdict.kind());
            std::fs::write(&path, desugar_fuzz::reproducer(f)).expect("write reproducer");
            println!("reproducer: {path}");
        }
    } else {
        for f in &sum.findings {
            println!(
                "---- shrunk reproducer (seed {}) ----\n{}",
                f.seed,
                desugar_fuzz::reproducer(f)
            );
        }
    }
    println!(
        "checked {} programs, {} diverged, {} discarded (native compile failed), in {:.1?}",
        sum.checked,
        sum.failures.len(),
        sum.discarded,
        start.elapsed()
    );
    if !sum.failures.is_empty() {
        std::process::exit(1);
    }
}
