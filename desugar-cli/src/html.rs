//! `--html`: one self-contained page per function, for a learner.
//!
//! In: a [`Found`] function, its generated code, its diagram (SVG) and the
//! poll trace recorded for it (or why there is none). Out: an HTML page with
//! inline CSS and the inline SVG, nothing fetched from the network: the
//! source and the generated state machine side by side, the diagram and the
//! trace below. [`record_traces`] runs the file's `main` in a scratch crate,
//! with `trace` added to every `#[desugar]` attribute and
//! `DESUGAR_TRACE_FILE` set, and returns the lines recorded per function.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::highlight::{escape, html};
use crate::scratch::{self, Kind};
use crate::source::{self, Found};

/// The recorded trace lines, by function name; or why there are none.
pub type Traces = Result<HashMap<String, Vec<String>>, String>;

/// How long the file's program may run.
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// Adds `trace` to a `#[desugar]` attribute's arguments.
fn add_trace(attrs: &mut [syn::Attribute]) {
    for attr in attrs.iter_mut().filter(|a| source::is_desugar(a)) {
        let path = attr.path().clone();
        let args = match &attr.meta {
            syn::Meta::List(list) if !list.tokens.is_empty() => {
                let tokens = &list.tokens;
                quote::quote!(#tokens, trace)
            }
            _ => quote::quote!(trace),
        };
        *attr = syn::parse_quote!(#[#path(#args)]);
    }
}

/// Builds and runs the file's `main` with every machine traced.
pub fn record_traces(path: &Path) -> Traces {
    let code =
        source::inline_modules(path, &|attrs| add_trace(attrs)).map_err(|e| e.to_string())?;
    if !source::has_main(&code) {
        return Err(format!(
            "{} has no `fn main`, so no trace was recorded here. To record one, \
             write `#[desugar(trace)]`, run a program that polls the function with \
             DESUGAR_TRACE_FILE=trace.txt set, and read trace.txt \
             (one line per poll: the function's name, a tab, the poll).",
            path.display()
        ));
    }
    let package = scratch::write("trace_run", Kind::Bin, &code)?;
    package.rustc(Kind::Bin, &[])?;
    let trace_file = package.dir.join("trace.txt");
    let _ = std::fs::remove_file(&trace_file);
    let mut child = std::process::Command::new(package.binary())
        .env("DESUGAR_TRACE_FILE", &trace_file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", package.binary().display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = std::fs::read_to_string(&trace_file).unwrap_or_default();
    let mut traces: HashMap<String, Vec<String>> = HashMap::new();
    for line in text.lines() {
        if let Some((name, poll)) = line.split_once('\t') {
            traces
                .entry(name.to_string())
                .or_default()
                .push(poll.to_string());
        }
    }
    match status {
        None if traces.is_empty() => Err(format!(
            "the program did not finish within {}s and recorded nothing",
            RUN_LIMIT.as_secs()
        )),
        Some(status) if !status.success() && traces.is_empty() => Err(format!(
            "the program failed ({status}) and recorded nothing"
        )),
        _ => Ok(traces),
    }
}

/// Everything one page shows.
pub struct Page<'a> {
    /// The function.
    pub found: &'a Found,
    /// The generated code, pretty-printed.
    pub generated: &'a str,
    /// The state names, to highlight.
    pub states: &'a HashSet<String>,
    /// The diagram as SVG, or why there is none.
    pub svg: Result<String, String>,
    /// The trace lines, or why there are none.
    pub trace: Result<Vec<String>, String>,
}

const STYLE: &str = r#"
:root { --bg:#fbfaf7; --fg:#1f2328; --muted:#5f6b7a; --card:#ffffff; --line:#e3e0d8;
        --kw:#8844aa; --com:#6a737d; --str:#2f7d32; --state:#005f99; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { padding: 18px 28px 8px; }
h1 { margin:0 0 4px; font-size: 24px; }
h1 code { font-size: 24px; }
h2 { font-size: 16px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.lead { margin: 0; color: var(--muted); max-width: 70em; }
main { padding: 8px 28px 28px; display:grid; gap:18px; grid-template-columns: minmax(0,1fr) minmax(0,1.4fr); }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; min-width:0; }
section.wide { grid-column: 1 / -1; }
pre { margin:0; font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; overflow:auto; white-space: pre; }
pre.generated { max-height: 640px; }
pre.source { white-space: pre-wrap; overflow-wrap: anywhere; }
.kw { color:var(--kw); font-weight:600; } .com { color:var(--com); font-style: italic; }
.str { color:var(--str); } .state { color:var(--state); font-weight:700; }
.diagram { overflow:auto; text-align:center; }
.diagram svg { max-width:100%; height:auto; }
ol.trace { margin:0; padding-left: 1.6em; font: 13px/1.6 ui-monospace, "DejaVu Sans Mono", monospace; }
ol.trace li { white-space: pre-wrap; }
.note { color: var(--muted); }
footer { padding: 0 28px 20px; color: var(--muted); font-size: 13px; }
"#;

/// The generated code without the Mermaid text the transform puts in the
/// function's docs (`/// # State machine` ... `/// ````): the page draws it.
fn without_doc_diagram(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let Some(start) = lines.iter().position(|l| l.trim() == "/// # State machine") else {
        return code.to_string();
    };
    let fence = lines[start..]
        .iter()
        .enumerate()
        .find(|(_, l)| l.trim() == "/// ```")
        .map(|(i, _)| start + i);
    let Some(end) = fence else {
        return code.to_string();
    };
    // The empty `///` line before the heading goes too.
    let start = if start > 0 && lines[start - 1].trim() == "///" {
        start - 1
    } else {
        start
    };
    let mut kept: Vec<&str> = lines[..start].to_vec();
    kept.extend(&lines[end + 1..]);
    let mut out = kept.join("\n");
    out.push('\n');
    out
}

/// The page.
pub fn page(p: &Page) -> String {
    let f = p.found;
    let name = escape(&f.path());
    let source = html(&f.source(), p.states);
    let generated = html(&without_doc_diagram(p.generated), p.states);
    let diagram = match &p.svg {
        Ok(svg) => {
            // The SVG document, without its XML prolog, inline.
            let start = svg.find("<svg").unwrap_or(0);
            svg[start..].to_string()
        }
        Err(why) => format!("<p class=\"note\">No diagram: {}</p>", escape(why)),
    };
    let trace = match &p.trace {
        Ok(lines) if !lines.is_empty() => {
            let items: String = lines
                .iter()
                .map(|l| format!("<li>{}</li>", html(l, p.states)))
                .collect();
            format!(
                "<p class=\"note\">Recorded by running the file's <code>main</code> with \
                 <code>#[desugar(trace)]</code>: one line per poll, in the order the polls finished.</p>\
                 <ol class=\"trace\">{items}</ol>"
            )
        }
        Ok(_) => {
            "<p class=\"note\">The program ran, but never polled this function.</p>".to_string()
        }
        Err(why) => format!("<p class=\"note\">No trace: {}</p>", escape(why)),
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{name}: the state machine behind async fn</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1><code>{name}</code> as a state machine</h1>
<p class="lead">On the left, the <code>async fn</code> as written in <code>{file}</code>. On the right,
the explicit state machine <code>#[desugar]</code> turns it into: an enum with one state per
<code>.await</code>, and a poll function that matches on the state. Below, the states as a diagram,
and what happened at each poll when the program ran.</p>
</header>
<main>
<section id="source"><h2>Source</h2><pre class="source">{source}</pre></section>
<section id="generated"><h2>Generated state machine</h2><pre class="generated">{generated}</pre></section>
<section id="diagram" class="diagram wide"><h2>States and transitions</h2>{diagram}</section>
<section id="trace" class="wide"><h2>Poll trace</h2>{trace}</section>
</main>
<footer>Written by <code>cargo desugar --html</code>.</footer>
</body>
</html>
"#,
        file = escape(&f.file.path.display().to_string()),
    )
}
