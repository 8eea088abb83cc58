//! Expansion snapshots: what `#[desugar]` turns each example into.
//!
//! Every `tests/expand/<name>.rs` is an example source with one or more
//! `#[desugar]` functions (free functions or methods in an `impl` block).
//! This test runs the transform on each of them with
//! [`desugar_core::expand`], pretty-prints the file with
//! [`desugar_core::pretty`] and compares the result with the checked-in
//! `tests/expand/<name>.expanded.rs`. No compiler is involved (see
//! `tests/expandtest.rs` for the same through `cargo expand`), so the
//! examples do not need to compile on their own.
//!
//! After a deliberate change to the output, rewrite the snapshots and review
//! the diff by eye before committing:
//!
//! ```text
//! DESUGAR_BLESS=1 cargo test --test expand
//! git diff tests/expand
//! ```
//!
//! The files under `tests/expand/` are not test targets themselves: cargo only
//! builds `tests/*.rs` (and `tests/<dir>/main.rs`, which must not exist here).

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

const SNAPSHOT_SUFFIX: &str = ".expanded.rs";
const BLESS_COMMAND: &str = "DESUGAR_BLESS=1 cargo test --test expand";

#[test]
fn expansions_match_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let bless = std::env::var_os("DESUGAR_BLESS").is_some_and(|v| v == "1");

    let mut sources = Vec::new();
    let mut snapshots = Vec::new();
    for entry in fs::read_dir(&dir).expect("read tests/expand") {
        let path = entry.expect("read tests/expand").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !path.is_file() || !name.ends_with(".rs") {
            continue;
        }
        if name.ends_with(SNAPSHOT_SUFFIX) {
            snapshots.push(path);
        } else {
            sources.push(path);
        }
    }
    sources.sort();
    assert!(!sources.is_empty(), "no cases in {}", dir.display());

    let mut failures = Vec::new();

    // A snapshot whose source was deleted or renamed is stale.
    for snapshot in &snapshots {
        let source = source_of(snapshot);
        if !source.exists() {
            if bless {
                fs::remove_file(snapshot).expect("remove stale snapshot");
                note(&format!("removed stale {}", shown(snapshot)));
            } else {
                failures.push(format!(
                    "{} has no source {}: delete it, or run `{BLESS_COMMAND}`",
                    shown(snapshot),
                    shown(source)
                ));
            }
        }
    }

    for source in &sources {
        let snapshot = snapshot_of(source);
        let actual = match expand_file(source) {
            Ok(actual) => actual,
            Err(message) => {
                failures.push(format!("{}: {message}", shown(source)));
                continue;
            }
        };
        if bless {
            if fs::read_to_string(&snapshot).ok().as_deref() != Some(actual.as_str()) {
                fs::write(&snapshot, &actual).expect("write snapshot");
                note(&format!("blessed {}", shown(&snapshot)));
            }
            continue;
        }
        match fs::read_to_string(&snapshot) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{} is out of date; the expansion of {} changed \
                 (- snapshot, + current expansion):\n{}",
                shown(snapshot),
                shown(source),
                line_diff(&expected, &actual),
            )),
            Err(_) => failures.push(format!(
                "{} is missing: run `{BLESS_COMMAND}` to create it",
                shown(snapshot)
            )),
        }
    }

    if !failures.is_empty() {
        panic!(
            "{} expansion snapshot(s) failed:\n\n{}\n\nIf the new output is \
             intended, run `{BLESS_COMMAND}` and review `git diff tests/expand`.",
            failures.len(),
            failures.join("\n\n"),
        );
    }
}

/// Prints to the real stderr: `eprintln!` would be captured by the test
/// harness and hidden for a passing test.
fn note(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// The path relative to the package root, for messages.
fn shown(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `tests/expand/x.rs` -> `tests/expand/x.expanded.rs`.
fn snapshot_of(source: &Path) -> PathBuf {
    source.with_extension("expanded.rs")
}

/// `tests/expand/x.expanded.rs` -> `tests/expand/x.rs`.
fn source_of(snapshot: &Path) -> PathBuf {
    let name = snapshot.file_name().unwrap().to_str().unwrap();
    snapshot.with_file_name(format!("{}.rs", name.trim_end_matches(SNAPSHOT_SUFFIX)))
}

/// The file with every `#[desugar]` function replaced by its expansion,
/// pretty-printed.
fn expand_file(path: &Path) -> Result<String, String> {
    let source = fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut file = syn::parse_file(&source).map_err(|e| format!("does not parse: {e}"))?;
    let mut expanded = 0;
    let mut items = Vec::new();
    for item in std::mem::take(&mut file.items) {
        match item {
            syn::Item::Fn(mut function) => match take_desugar_attr(&mut function.attrs) {
                Some(args) => {
                    let output = desugar_core::expand(args.tokens, syn::parse_quote!(#function));
                    let output: syn::File = syn::parse2(output)
                        .map_err(|e| format!("expansion does not parse as items: {e}"))?;
                    items.extend(output.items);
                    expanded += 1;
                }
                None => items.push(syn::Item::Fn(function)),
            },
            syn::Item::Impl(mut block) => {
                for member in &mut block.items {
                    let syn::ImplItem::Fn(method) = member else {
                        continue;
                    };
                    let Some(args) = take_desugar_attr(&mut method.attrs) else {
                        continue;
                    };
                    let output = desugar_core::expand(args.tokens, syn::parse_quote!(#method));
                    *member = syn::parse2(output)
                        .map_err(|e| format!("expansion does not parse as a method: {e}"))?;
                    expanded += 1;
                }
                items.push(syn::Item::Impl(block));
            }
            other => items.push(other),
        }
    }
    if expanded == 0 {
        return Err("no `#[desugar]` function in this file".into());
    }
    file.items = items;
    desugar_core::pretty(syn::parse_quote!(#file))
        .ok_or_else(|| "desugar_core::pretty could not print the expansion".into())
}

/// Removes `#[desugar]` / `#[desugar(...)]` (or a path ending in `desugar`)
/// and returns it as a list, `#[desugar]` with no arguments as `desugar()`:
/// `.tokens` is what the compiler hands the attribute macro as `args`.
fn take_desugar_attr(attrs: &mut Vec<syn::Attribute>) -> Option<syn::MetaList> {
    let index = attrs.iter().position(|attr| {
        attr.path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "desugar")
    })?;
    Some(match attrs.remove(index).meta {
        syn::Meta::List(list) => list,
        syn::Meta::Path(path) => syn::MetaList {
            path,
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: Default::default(),
        },
        syn::Meta::NameValue(_) => {
            panic!("`#[desugar = ...]` cannot be an attribute macro; write `#[desugar(...)]`")
        }
    })
}

/// A line diff (longest common subsequence) showing changed lines with two
/// lines of context; the two columns are line numbers in the snapshot (`-`)
/// and in the current expansion (`+`).
fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: length of the longest common subsequence of old[i..], new[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    enum Line<'a> {
        Same(usize, usize, &'a str),
        Removed(usize, &'a str),
        Added(usize, &'a str),
    }
    let mut lines = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            lines.push(Line::Same(i, j, old[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(Line::Removed(i, old[i]));
            i += 1;
        } else {
            lines.push(Line::Added(j, new[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&k| !matches!(lines[k], Line::Same(..)))
        .collect();
    let mut out = String::new();
    let mut last_printed: Option<usize> = None;
    for (k, line) in lines.iter().enumerate() {
        let near = changed.iter().any(|&c| c.abs_diff(k) <= CONTEXT);
        if !near {
            continue;
        }
        if last_printed.is_some_and(|p| p + 1 != k) || (last_printed.is_none() && k > 0) {
            out.push_str("          ...\n");
        }
        last_printed = Some(k);
        let _ = match line {
            Line::Same(a, b, text) => writeln!(out, "{:>4} {:>4}   {text}", a + 1, b + 1),
            Line::Removed(a, text) => writeln!(out, "{:>4}      - {text}", a + 1),
            Line::Added(b, text) => writeln!(out, "     {:>4} + {text}", b + 1),
        };
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("          (the files differ in the final newline)\n");
    }
    out
}
