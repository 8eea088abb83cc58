//! Scratch crates: the user's file compiled on its own.
//!
//! In: a package name, a Rust file (as a [`syn::File`]) and whether it is a
//! library or a program. Out: a package under the workspace's target
//! directory (`target/desugar-cli/<name>/`) with a path dependency on
//! `desugar-runtime`, built by `cargo` with one target directory shared by
//! all scratch packages (`target/desugar-cli/target/`), so that the
//! dependencies are compiled once. Errors: the runtime cannot be found, or
//! the build fails (with the compiler's first errors).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace this tool was built in (`desugar-cli/..`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("desugar-cli sits in the workspace")
        .to_path_buf()
}

/// Where the scratch packages go: `$DESUGAR_CLI_SCRATCH`, else
/// `$CARGO_TARGET_DIR/desugar-cli`, else `<workspace>/target/desugar-cli`.
pub fn scratch_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("DESUGAR_CLI_SCRATCH") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    target.join("desugar-cli")
}

/// The `desugar-runtime` crate the scratch packages depend on.
fn runtime_dir() -> Result<PathBuf, String> {
    let dir = workspace_root().join("desugar-runtime");
    if dir.join("Cargo.toml").exists() {
        Ok(dir)
    } else {
        Err(format!(
            "desugar-runtime not found at {} (the tool looks for it next to the \
             desugar-cli sources it was built from)",
            dir.display()
        ))
    }
}

/// What a scratch package is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `src/lib.rs`, for `--sizes`.
    Lib,
    /// `src/main.rs`, for running the file's `main`.
    Bin,
}

/// A written scratch package.
pub struct Package {
    /// Its directory.
    pub dir: PathBuf,
    /// Its name.
    pub name: String,
}

/// Writes the package `name` with `code` as its only source file.
pub fn write(name: &str, kind: Kind, code: &syn::File) -> Result<Package, String> {
    let runtime = runtime_dir()?;
    let dir = scratch_root().join(name);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ndesugar-runtime = {{ path = {runtime:?} }}\n\n\
         # Not part of any workspace above.\n[workspace]\n"
    );
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), &manifest)?;
    // The workspace's lock file: the same versions, no registry look-up.
    if let Ok(lock) = std::fs::read_to_string(workspace_root().join("Cargo.lock")) {
        write(dir.join("Cargo.lock"), &lock)?;
    }
    let file = match kind {
        Kind::Lib => "lib.rs",
        Kind::Bin => "main.rs",
    };
    let mut code = code.clone();
    // The user's warnings are not ours to show.
    code.attrs.insert(0, syn::parse_quote!(#![allow(warnings)]));
    // Written only when it changed: cargo then knows the crate is fresh
    // (see [`Package::rustc`] for its output).
    let source = dir.join("src").join(file);
    let text = prettyplease::unparse(&code);
    if std::fs::read_to_string(&source).ok().as_deref() != Some(text.as_str()) {
        write(source, &text)?;
    }
    Ok(Package {
        dir,
        name: name.to_string(),
    })
}

impl Package {
    /// `cargo rustc` on the package with `rustc_args` for its own crate;
    /// returns the compiler's standard output.
    pub fn rustc(&self, kind: Kind, rustc_args: &[&str]) -> Result<String, String> {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.arg("rustc")
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .arg(match kind {
                Kind::Lib => "--lib",
                Kind::Bin => "--bins",
            })
            .arg("--")
            .args(rustc_args)
            .env("CARGO_TARGET_DIR", scratch_root().join("target"))
            // `-Zprint-type-sizes` on stable; set for every scratch build
            // so that they all share their dependencies.
            .env("RUSTC_BOOTSTRAP", "1")
            // Incremental builds reuse the layouts and print no sizes.
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS")
            .stdin(Stdio::null());
        let output = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
        if output.status.success() {
            // A fresh crate is not compiled again and prints nothing: its
            // last output is kept next to it.
            let saved = self.dir.join(format!(
                "rustc-output-{}.txt",
                rustc_args.join("_").replace(['-', '/'], "")
            ));
            let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
            if stdout.is_empty() {
                Ok(std::fs::read_to_string(&saved).unwrap_or_default())
            } else {
                let _ = std::fs::write(&saved, &stdout);
                Ok(stdout)
            }
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first: Vec<&str> = stderr
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(12)
                .collect();
            Err(format!(
                "the scratch crate {} did not compile:\n{}",
                self.dir.display(),
                first.join("\n")
            ))
        }
    }

    /// The built program of a [`Kind::Bin`] package.
    pub fn binary(&self) -> PathBuf {
        scratch_root().join("target").join("debug").join(format!(
            "{}{}",
            self.name,
            std::env::consts::EXE_SUFFIX
        ))
    }
}
