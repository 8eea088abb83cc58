//! Every bug the fuzzer found stays fixed: the shrunk reproducers in
//! `desugar-fuzz/found/*.rs` are built into one crate (next to the batch
//! crates, with the batch support module) and their `check()`s run, each
//! comparing its native and `#[desugar]` twins. A reproducer that no longer
//! compiles, or whose twins differ, fails this test.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The reproducers, in name order.
fn reproducers() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("found");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("desugar-fuzz/found")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

#[test]
fn found_bugs_stay_fixed() {
    let files = reproducers();
    assert!(files.len() >= 19, "the reproducers are missing");
    let dir = desugar_fuzz::driver::work_dir().join("found-regressions");
    let src = dir.join("src");
    let _ = fs::remove_dir_all(&src);
    fs::create_dir_all(&src).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = root.join("desugar-runtime").canonicalize().unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fuzz-found-regressions\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\ndesugar-runtime = {{ path = {:?} }}\n\n\
             [profile.dev]\ndebug = 0\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    let _ = fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    fs::write(src.join("support.rs"), include_str!("../batch/support.rs")).unwrap();
    // main.rs: each reproducer as a module, and a main that runs them all.
    let mut main = String::from("#![allow(warnings)]\nmod support;\n");
    let mut calls = String::new();
    for (i, file) in files.iter().enumerate() {
        let path = file.canonicalize().unwrap();
        main += &format!("#[path = {:?}]\nmod r{i};\n", path.display().to_string());
        let name = file.file_stem().unwrap().to_string_lossy();
        calls += &format!(
            "    if let Some(d) = r{i}::check() {{ failed += 1; println!(\"{name}: {{d}}\"); }}\n"
        );
    }
    main += "fn main() {\n    let mut failed = 0;\n";
    main += &calls;
    main += "    println!(\"{failed} failed\");\n    std::process::exit(if failed == 0 { 0 } else { 1 });\n}\n";
    fs::write(src.join("main.rs"), main).unwrap();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--offline", "--quiet"])
        .env(
            "CARGO_TARGET_DIR",
            desugar_fuzz::driver::work_dir().join("target"),
        )
        .current_dir(&dir)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "a reproducer in desugar-fuzz/found/ fails again:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
