//! The driver: programs go in, a verdict per program comes out. It writes
//! one batch crate (one file `src/pNNNN.rs` per program, holding its native
//! and desugared twins), builds it with cargo (dropping programs whose
//! compile fails and telling native failures from desugared-only ones by
//! the line of each error), runs it, and parses the `RESULT` lines.

use crate::gen::Program;
use crate::render;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What happened to one program.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Both twins behaved the same.
    Same,
    /// The native twin does not compile: a generator bug, discarded.
    NativeCompileError(String),
    /// Only the desugared twin fails to compile: a macro bug.
    DesugaredCompileError(String),
    /// The twins behaved differently (what differs, as one line).
    Diverged(String),
}

impl Verdict {
    /// Short name of the kind, to tell whether a shrunk program still
    /// fails the same way.
    pub fn kind(&self) -> String {
        match self {
            Verdict::Same => "same".into(),
            Verdict::NativeCompileError(_) => "native-compile".into(),
            Verdict::DesugaredCompileError(m) => {
                let code = m
                    .split_once("error[")
                    .map(|(_, r)| r.split(']').next().unwrap_or(""));
                format!("desugared-compile-{}", code.unwrap_or("other"))
            }
            Verdict::Diverged(m) => format!("diverged-{}", m.split(' ').next().unwrap_or("")),
        }
    }
}

/// Where batch crates and their shared target dir live.
pub fn work_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let target = if target.is_absolute() {
        target
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(target)
    };
    target.join("desugar-fuzz")
}

/// Options of a batch build.
#[derive(Clone, Debug)]
pub struct Options {
    /// Name of the batch crate's directory under [`work_dir`].
    pub tag: String,
    /// The batch crate's edition.
    pub edition: String,
    /// Print cargo's progress.
    pub verbose: bool,
    /// Give the desugared twins an extra `.await` (to test the checker).
    pub tweak_desugared: bool,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("workspace root")
}

/// Checks every program; one verdict each, in order.
pub fn check(programs: &[Program], opts: &Options) -> Result<Vec<Verdict>, String> {
    let root = workspace_root();
    let dir = work_dir().join(&opts.tag);
    let src = dir.join("src");
    let _ = fs::remove_dir_all(&src);
    fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let runtime = root.join("desugar-runtime");
    // One package name per tag: batches share the target dir (and so the
    // built dependencies) but not their binary.
    let name: String = format!("fuzz-batch-{}", opts.tag)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"{}\"\npublish = false\n\n\
         [dependencies]\ndesugar-runtime = {{ path = {:?} }}\n\n[profile.dev]\ndebug = 0\n\n[workspace]\n",
        opts.edition,
        runtime.display().to_string()
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    let _ = fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    write(&src.join("support.rs"), include_str!("../batch/support.rs"))?;
    let mut native_lines = Vec::new();
    for (i, p) in programs.iter().enumerate() {
        let m = render::module_with(p, opts.tweak_desugared);
        write(&src.join(format!("p{i:04}.rs")), &m.text)?;
        native_lines.push(m.native_lines);
    }
    let mut verdicts: Vec<Option<Verdict>> = vec![None; programs.len()];
    let target = work_dir().join("target");
    // Build; drop failing programs until the rest compiles.
    loop {
        let live: Vec<usize> = (0..programs.len())
            .filter(|&i| verdicts[i].is_none())
            .collect();
        write(&src.join("main.rs"), &main_rs(&live))?;
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--offline", "--message-format=json"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&dir)
            .stderr(if opts.verbose {
                std::process::Stdio::inherit()
            } else {
                std::process::Stdio::piped()
            })
            .output()
            .map_err(|e| format!("cargo build: {e}"))?;
        if out.status.success() {
            break;
        }
        let errors = parse_errors(&String::from_utf8_lossy(&out.stdout));
        if errors.is_empty() {
            return Err(format!(
                "batch build failed without a program to blame:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        for (i, errs) in errors {
            if i >= programs.len() || verdicts[i].is_some() {
                continue;
            }
            let (a, b) = native_lines[i];
            let native = errs.iter().any(|(line, _)| (a..=b).contains(line));
            let text: String = errs
                .iter()
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            verdicts[i] = Some(if native {
                Verdict::NativeCompileError(text)
            } else {
                Verdict::DesugaredCompileError(text)
            });
        }
    }
    // Run; a program that kills the runner is a divergence of its own.
    let exe = target.join("debug").join(&name);
    loop {
        let live: Vec<usize> = (0..programs.len())
            .filter(|&i| verdicts[i].is_none())
            .collect();
        if live.is_empty() {
            break;
        }
        let out = Command::new(&exe)
            .args(live.iter().map(|i| i.to_string()))
            .output()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        for line in stdout.lines() {
            let Some(rest) = line.strip_prefix("RESULT ") else {
                continue;
            };
            let (i, what) = rest.split_once(' ').unwrap_or((rest, ""));
            let Ok(i) = i.parse::<usize>() else { continue };
            verdicts[i] = Some(match what.strip_prefix("diff ") {
                Some(d) => Verdict::Diverged(d.to_string()),
                None => Verdict::Same,
            });
        }
        if !out.status.success() {
            if let Some(&first) = live.iter().find(|&&i| verdicts[i].is_none()) {
                let err = String::from_utf8_lossy(&out.stderr);
                let tail: String = err.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
                verdicts[first] = Some(Verdict::Diverged(format!("crash of the runner: {tail}")));
            }
        } else {
            for i in live {
                verdicts[i].get_or_insert(Verdict::Diverged("no result printed".into()));
            }
        }
    }
    Ok(verdicts
        .into_iter()
        .map(|v| v.unwrap_or(Verdict::Same))
        .collect())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(()); // keep the mtime: no needless rebuild
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn main_rs(live: &[usize]) -> String {
    let mut s = String::from("#![allow(warnings)]\nmod support;\n");
    for i in live {
        s.push_str(&format!("mod p{i:04};\n"));
    }
    s.push_str("\nfn main() {\n    let want: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().unwrap()).collect();\n");
    s.push_str("    std::panic::set_hook(Box::new(|_| {}));\n");
    s.push_str("    let all: &[(usize, fn() -> Option<String>)] = &[\n");
    for i in live {
        s.push_str(&format!("        ({i}, p{i:04}::check),\n"));
    }
    s.push_str("    ];\n    for &(i, check) in all {\n        if !want.is_empty() && !want.contains(&i) { continue; }\n");
    s.push_str("        match check() {\n            None => println!(\"RESULT {i} same\"),\n            Some(d) => println!(\"RESULT {i} diff {}\", d.replace('\\n', \" \")),\n        }\n    }\n}\n");
    s
}

/// Errors per program index: (line, rendered message).
fn parse_errors(json: &str) -> BTreeMap<usize, Vec<(usize, String)>> {
    let mut out: BTreeMap<usize, Vec<(usize, String)>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for line in json.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["reason"] != "compiler-message" || v["message"]["level"] != "error" {
            continue;
        }
        let rendered = v["message"]["rendered"].as_str().unwrap_or("").to_string();
        let Some(spans) = v["message"]["spans"].as_array() else {
            continue;
        };
        for span in spans {
            let file = span["file_name"].as_str().unwrap_or("");
            let Some(n) = file
                .strip_prefix("src/p")
                .and_then(|f| f.strip_suffix(".rs"))
            else {
                continue;
            };
            let Ok(i) = n.parse::<usize>() else { continue };
            let line = span["line_start"].as_u64().unwrap_or(0) as usize;
            if seen.insert((i, line, rendered.clone())) {
                out.entry(i).or_default().push((line, rendered.clone()));
            }
        }
    }
    out
}
