//! `cargo desugar FILE`: the state machines `#[desugar]` builds, from the
//! command line.
//!
//! In: a Rust source file and options. Out, on stdout: every `#[desugar]`
//! function of the file (or the one `--fn NAME` names) desugared by the same
//! transform the macro uses and pretty-printed (coloured on a terminal);
//! with `--diagram` its state diagram, with `--sizes` what each state holds
//! and how big the future is next to the native one; `--html FILE` writes an
//! illustrated page. Errors go to stderr as `FILE:LINE:COLUMN: error: ...`,
//! with a non-zero exit code.

mod highlight;
mod html;
mod report;
mod scratch;
mod sizes;
mod source;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use report::Diag;
use source::Found;

/// Show the explicit state machine `#[desugar]` builds for each `async fn`.
#[derive(Parser)]
#[command(name = "cargo-desugar", bin_name = "cargo desugar", version)]
struct Cli {
    /// The Rust source file to read.
    file: PathBuf,
    /// Only the function with this name.
    #[arg(long = "fn", value_name = "NAME")]
    function: Option<String>,
    /// Print the state diagram instead of the code.
    #[arg(long, value_enum, value_name = "FORMAT")]
    diagram: Option<DiagramFormat>,
    /// Write the diagram to this file instead of stdout.
    #[arg(short, long, value_name = "FILE", requires = "diagram")]
    output: Option<PathBuf>,
    /// Print what each state holds and, measured by the compiler, the
    /// future's size next to the native `async fn`'s.
    #[arg(long)]
    sizes: bool,
    /// Write an illustrated HTML page (source, state machine, diagram, poll
    /// trace); with several functions, one page each, named FILE-NAME.html.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// When to colour the code.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// The edition of the crate the file is from: it decides when some
    /// temporaries are dropped (2015, 2018, 2021 or 2024).
    #[arg(long, default_value = "2024", value_parser = ["2015", "2018", "2021", "2024"])]
    edition: String,
}

impl Cli {
    fn edition(&self) -> desugar_core::edition::Edition {
        match self.edition.as_str() {
            "2024" => desugar_core::edition::Edition::Rust2024,
            _ => desugar_core::edition::Edition::Before2024,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum DiagramFormat {
    Mermaid,
    Dot,
    Svg,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    // As `cargo desugar FILE`, cargo runs `cargo-desugar desugar FILE`.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "desugar") {
        args.remove(1);
    }
    let cli = Cli::parse_from(args);
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => {
            let mut stderr = std::io::stderr();
            for d in diags {
                let _ = write!(stderr, "{d}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<(), Vec<Diag>> {
    let mut found = source::find(&cli.file).map_err(|d| vec![d])?;
    if let Some(name) = &cli.function {
        found.retain(|f| &f.name == name || &f.path() == name);
        if found.is_empty() {
            return Err(vec![Diag::plain(format!(
                "no #[desugar] function named `{name}` in {}",
                cli.file.display()
            ))]);
        }
    }
    if found.is_empty() {
        return Err(vec![Diag::plain(format!(
            "no #[desugar] function in {} (nor in the module files it declares)",
            cli.file.display()
        ))]);
    }
    let mut out = anstream::stdout();
    let mut errors = Vec::new();
    let special = cli.diagram.is_some() || cli.sizes || cli.html.is_some();

    if let Some(format) = cli.diagram {
        let mut text = String::new();
        for f in &found {
            match desugar_core::diagram(f.args.clone(), f.item.clone()) {
                Ok(graph) => text.push_str(&match format {
                    DiagramFormat::Mermaid => graph.mermaid(),
                    DiagramFormat::Dot => graph.dot(),
                    DiagramFormat::Svg => graph.svg(),
                }),
                Err(e) => errors.push(Diag::syn(f.file.clone(), e)),
            }
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
        match &cli.output {
            Some(path) => std::fs::write(path, &text)
                .map_err(|e| vec![Diag::plain(format!("cannot write {}: {e}", path.display()))])?,
            None => {
                let _ = write!(out, "{text}");
            }
        }
    }

    if cli.sizes {
        let _ = write!(out, "{}", sizes::report(&cli.file, &found));
    }

    if let Some(html_path) = &cli.html {
        let traces = html::record_traces(&cli.file);
        for f in &found {
            let Some((generated, states)) = generate(f, cli.edition(), &mut errors) else {
                continue;
            };
            let trace = match &traces {
                Ok(map) => Ok(map
                    .get(&f.name)
                    .or_else(|| map.get(&f.path()))
                    .cloned()
                    .unwrap_or_default()),
                Err(why) => Err(why.clone()),
            };
            let svg = desugar_core::diagram(f.args.clone(), f.item.clone())
                .map(|g| g.svg())
                .map_err(|e| e.to_string());
            let page = html::page(&html::Page {
                found: f,
                generated: &generated,
                states: &states,
                svg,
                trace,
            });
            let path = page_path(html_path, f, found.len());
            match std::fs::write(&path, page) {
                Ok(()) => {
                    let _ = writeln!(out, "wrote {} ({})", path.display(), f.path());
                }
                Err(e) => errors.push(Diag::plain(format!("cannot write {}: {e}", path.display()))),
            }
        }
    }

    if !special {
        for f in &found {
            let Some((generated, states)) = generate(f, cli.edition(), &mut errors) else {
                continue;
            };
            let header = format!(
                "// ==== #[desugar] {} ({}:{}) ====",
                f.path(),
                f.file.path.display(),
                f.lines.0
            );
            let _ = writeln!(out, "{}", highlight::ansi(&header, &states));
            let _ = writeln!(out, "{}", highlight::ansi(&generated, &states));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The page for `f`: `FILE` itself for one function, else `FILE-NAME.html`.
fn page_path(path: &Path, f: &Found, count: usize) -> PathBuf {
    if count == 1 {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("desugar");
    let name = f.path().replace("::", "-");
    path.with_file_name(format!("{stem}-{name}.html"))
}

/// The generated code of `f`, pretty-printed, and the names to highlight.
fn generate(
    f: &Found,
    edition: desugar_core::edition::Edition,
    errors: &mut Vec<Diag>,
) -> Option<(String, HashSet<String>)> {
    let tokens = match desugar_core::try_expand_in(edition, f.args.clone(), f.item.clone()) {
        Ok(tokens) => tokens,
        Err(e) => {
            errors.push(Diag::syn(f.file.clone(), e));
            return None;
        }
    };
    let text = desugar_core::pretty(tokens.clone()).unwrap_or_else(|| tokens.to_string());
    let mut states: HashSet<String> = ["Start", "Done", "Poisoned"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Ok(layout) = desugar_core::layout_of(f.args.clone(), f.item.clone()) {
        states.insert(layout.enum_name.to_string());
        states.extend(
            layout
                .states
                .iter()
                .filter(|s| s.reachable)
                .map(|s| s.name.to_string()),
        );
    }
    Some((text, states))
}
