//! The `cargo-desugar` binary, run on the seed examples and on fixtures.
//!
//! Text output, `--fn`, errors with file:line:column, `--diagram`, colour;
//! `--sizes` and `--html` build scratch crates (one test each, sharing the
//! scratch target directory); the HTML page is opened in headless Chromium
//! when it is installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-desugar"))
        .args(args)
        .current_dir(root())
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("cargo-desugar runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs and expects success.
fn ok(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "cargo-desugar {args:?} failed:\n{}",
        stderr(&output)
    );
    stdout(&output)
}

#[test]
fn seed_examples_print_their_state_machines() {
    // Each seed example holds its #[desugar] function in a `#[path]` module.
    for (file, path, enum_decl, states) in [
        (
            "examples/fetch_data.rs",
            "desugared::fetch_data",
            "enum FetchData<",
            &["WaitingForUrl", "WaitingForResponse"][..],
        ),
        (
            "examples/fetch_two.rs",
            "desugared::fetch_two",
            "enum FetchTwo<",
            &["WaitingForR1", "WaitingForR2"][..],
        ),
        (
            "examples/add_slowly.rs",
            "desugared::add_slowly",
            "enum AddSlowly<",
            &["WaitingForX", "WaitingForY"][..],
        ),
    ] {
        let out = ok(&[file]);
        let header = out.lines().next().unwrap();
        assert!(
            header.starts_with("// ==== #[desugar] ") && header.contains(path),
            "{header}"
        );
        assert!(
            header.contains(&format!("examples/seeds/{}:", &file["examples/".len()..])),
            "{header}"
        );
        assert!(out.contains(enum_decl), "{file}: {out}");
        for state in states {
            assert!(
                out.contains(&format!("{state} {{")),
                "{file}: no state {state}:\n{out}"
            );
        }
        // Piped: no colour.
        assert!(!out.contains('\x1b'), "colour on a pipe");
        // The output is Rust.
        syn::parse_file(&out).expect("the output parses as Rust");
    }
}

#[test]
fn loops_question_marks_methods_and_modules() {
    let out = ok(&["desugar-cli/tests/fixtures/loops.rs"]);
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("// ====")).collect();
    assert_eq!(headers.len(), 3, "{headers:?}");
    assert!(headers[0].contains(" sum_until_error "));
    assert!(headers[1].contains(" Counter::count "));
    assert!(headers[2].contains(" inner::twice "));
    assert!(
        out.contains("ForLoop") && out.contains("WhileLoop"),
        "{out}"
    );
    // The `?` became an early return of the error from the step.
    assert!(out.contains("enum SumUntilError<"));
}

#[test]
fn fn_picks_one_function() {
    let out = ok(&["desugar-cli/tests/fixtures/loops.rs", "--fn", "twice"]);
    assert_eq!(out.matches("// ====").count(), 1);
    assert!(out.contains("enum Twice<") && !out.contains("enum Count<"));
    let missing = run(&["desugar-cli/tests/fixtures/loops.rs", "--fn", "nope"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("no #[desugar] function named `nope`"));
}

#[test]
fn as_cargo_subcommand_the_first_argument_is_skipped() {
    let out = ok(&["desugar", "examples/add_slowly.rs"]);
    assert!(out.contains("enum AddSlowly<"));
}

#[test]
fn colour_when_asked() {
    let out = ok(&["examples/add_slowly.rs", "--color", "always"]);
    assert!(out.contains("\x1b["), "no colour with --color always");
    // Keywords and state names are styled.
    assert!(out.contains("WaitingForX\x1b[0m"), "{out}");
}

#[test]
fn transform_errors_have_file_line_column() {
    let output = run(&["desugar-cli/tests/fixtures/not_async.rs"]);
    assert!(!output.status.success());
    let err = stderr(&output);
    let first = err.lines().next().unwrap();
    assert_eq!(
        first,
        "desugar-cli/tests/fixtures/not_async.rs:4:5: error: #[desugar] expects an `async fn`: \
         this function is not async; write `async fn` or remove the attribute"
    );
    assert!(err.contains("4 | pub fn not_async() -> u32 {"), "{err}");
    assert!(err.contains("  |     ^^\n"), "caret under `fn`:\n{err}");
}

#[test]
fn parse_errors_have_file_line_column() {
    let output = run(&["desugar-cli/tests/fixtures/parse_error.rs"]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.starts_with("desugar-cli/tests/fixtures/parse_error.rs:1:"),
        "{err}"
    );
    assert!(
        err.contains("error: cannot parse this file as Rust"),
        "{err}"
    );
    let missing = run(&["no/such/file.rs"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).starts_with("error: cannot read no/such/file.rs"));
}

#[test]
fn diagrams_in_three_formats() {
    let mermaid = ok(&["examples/fetch_data.rs", "--diagram", "mermaid"]);
    assert!(mermaid.starts_with("flowchart"), "{mermaid}");
    assert!(mermaid.contains("WaitingForUrl") && mermaid.contains("WaitingForResponse"));
    let dot = ok(&["examples/fetch_data.rs", "--diagram", "dot"]);
    assert!(dot.trim_start().starts_with("digraph"), "{dot}");
    assert!(dot.contains("WaitingForResponse"));
    let dir = std::env::temp_dir().join(format!("desugar-cli-svg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("fetch_data.svg");
    let printed = ok(&[
        "examples/fetch_data.rs",
        "--diagram",
        "svg",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(printed.is_empty(), "{printed}");
    let svg = std::fs::read_to_string(&file).unwrap();
    assert!(svg.contains("<svg") && svg.contains("WaitingForUrl"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The numbers in a `future size:` line: ours, native.
fn future_sizes(out: &str, function: &str) -> (u64, u64) {
    let section = out
        .split("== ")
        .find(|s| s.starts_with(function))
        .unwrap_or_else(|| panic!("no section for {function}:\n{out}"));
    let line = section
        .lines()
        .find(|l| l.starts_with("future size:"))
        .unwrap_or_else(|| panic!("no sizes for {function}:\n{section}"));
    let numbers: Vec<u64> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    (numbers[0], numbers[1])
}

#[test]
fn sizes_of_the_seed_futures() {
    // Both files in one test: they share the scratch crates.
    let out = ok(&["examples/future_sizes.rs", "--sizes"]);
    // Exercise 4: the 1024-byte buffer held across the `.await` is a field
    // of that state, in both futures.
    let (ours, native) = future_sizes(&out, "desugared::holds_big_data");
    assert!(ours >= 1024 && native >= 1024, "{out}");
    let (ours_small, native_small) = future_sizes(&out, "desugared::one_await");
    assert!(ours_small < 100 && native_small < 100, "{out}");
    assert!(
        out.contains("    .buf                                1024 B |"),
        "{out}"
    );
    assert!(
        out.contains("Suspend0"),
        "the native layout is shown:\n{out}"
    );

    let out = ok(&["examples/fetch_data.rs", "--sizes"]);
    let section = out.split("== ").nth(1).unwrap();
    assert!(
        section.contains("WaitingForUrl            build_url_future (the future being awaited)"),
        "{section}"
    );
    let (ours, native) = future_sizes(&out, "desugared::fetch_data");
    assert!(ours > 0 && native > 0);

    // A file the scratch crate cannot compile alone: the fields, and why
    // there are no sizes.
    let out = ok(&["examples/seeds/fetch_data.rs", "--sizes"]);
    assert!(out.contains("WaitingForUrl"), "{out}");
    assert!(
        out.contains("sizes not measured: the scratch crate"),
        "{out}"
    );
}

#[test]
fn html_page_in_headless_chromium() {
    let dir = std::env::temp_dir().join(format!("desugar-cli-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("fetch_data.html");
    let printed = ok(&["examples/fetch_data.rs", "--html", page.to_str().unwrap()]);
    assert!(printed.contains("wrote "), "{printed}");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing fetched.
    assert!(!html.contains(" src=") && !html.contains("<link") && !html.contains("url(http"));
    assert!(html.contains("<style>") && html.contains("<svg"));

    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(chromium) = chromium else {
        eprintln!("SKIPPED: chromium is not installed; the page was written but not opened");
        return;
    };
    let url = format!("file://{}", page.display());
    let browse = |extra: &[String]| {
        let profile = dir.join(format!("profile-{}", extra.len()));
        std::fs::create_dir_all(&profile).unwrap();
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .expect("chromium runs")
    };
    let dom = browse(&["--dump-dom".to_string()]);
    assert!(dom.status.success(), "chromium failed: {}", stderr(&dom));
    let dom = stdout(&dom);
    // The diagram: an inline <svg> with the state names.
    let svg_start = dom.find("<svg").expect("an <svg> in the DOM");
    let svg = &dom[svg_start..dom[svg_start..].find("</svg>").unwrap() + svg_start];
    for state in ["Start", "WaitingForUrl", "WaitingForResponse", "Done"] {
        assert!(svg.contains(state), "the diagram lacks {state}");
    }
    // The generated code, the source, and the recorded trace.
    let text = dom
        .replace("<span class=\"kw\">", "")
        .replace("<span class=\"state\">", "")
        .replace("</span>", "");
    assert!(text.contains("enum FetchData&lt;"), "no generated enum");
    assert!(
        text.contains("async fn fetch_data() -&gt; String"),
        "no source"
    );
    assert!(
        text.contains("<li>poll #1: Start → WaitingForUrl → poll build_url → Pending</li>"),
        "no trace:\n{text}"
    );

    let shot = dir.join("fetch_data.png");
    let out = browse(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1400,1000".to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn edition_decides_where_the_body_tail_drops_its_locals() {
    let file = "desugar-cli/tests/fixtures/tail_temporary.rs";
    let on_2021 = ok(&[file, "--edition", "2021", "--color", "never"]);
    assert!(on_2021.contains("::core::mem::drop(local);"), "{on_2021}");
    let on_2024 = ok(&[file, "--color", "never"]);
    assert!(!on_2024.contains("::core::mem::drop(local);"), "{on_2024}");
    let bad = run(&[file, "--edition", "2023"]);
    assert!(!bad.status.success());
}
