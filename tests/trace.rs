//! The poll trace (`#[desugar(trace)]`, `desugar_runtime::trace`).
//!
//! In: traced functions (the seed's `fetch_data`, a loop with `?`, nested
//! traced functions, a panic) run under `trace_to_completion`, the `traced`
//! wrapper (also under tokio), or with `DESUGAR_TRACE_FILE` set. Out: their
//! traces, checked line by line against the seed's pictures and the
//! documented format; and that tracing changes nothing else (output, polls,
//! log) compared with the untraced and the native twins.

use desugar_lessons::{Leaf, Log, check_twins, leaf, panic_message, tick, twins};
use desugar_runtime::desugar;
use desugar_runtime::trace::{Step, trace_to_completion, traced};
use std::panic::{AssertUnwindSafe, catch_unwind};

// ------------------------------------------------------------ fetch_data

struct Response {
    body: String,
}

/// Seed "Lesson 2": `build_url()` and `http_get(url)` are each `Pending`
/// once, then ready (as in examples/fetch_data.rs).
fn build_url() -> Leaf<String> {
    leaf(
        &Log::new(),
        "build_url",
        1,
        "https://example.com/data".into(),
    )
}

fn http_get(url: String) -> Leaf<Response> {
    let body = format!("the data from {url}");
    leaf(&Log::new(), "http_get", 1, Response { body })
}

#[desugar(trace)]
async fn fetch_data() -> String {
    let url = build_url().await; // await #1
    let response = http_get(url).await; // await #2
    response.body
}

/// The seed's "Visualizing the state transitions", one line per poll, in
/// the documented format ("transition to X" is written `X`).
const SEED_FETCH_DATA: [&str; 3] = [
    "poll #1: Start → WaitingForUrl → poll build_url → Pending",
    "poll #2: WaitingForUrl → poll build_url → Ready(url) → WaitingForResponse → poll http_get → Pending",
    "poll #3: WaitingForResponse → poll http_get → Ready(response) → Done → return Ready(response.body)",
];

#[test]
fn fetch_data_gives_the_seeds_picture() {
    let (body, trace) = trace_to_completion(fetch_data());
    assert_eq!(body, "the data from https://example.com/data");
    assert_eq!(trace.lines(), SEED_FETCH_DATA);
    assert_eq!(trace.polls().len(), 3);
    let numbers: Vec<usize> = trace.polls().iter().map(|p| p.number()).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert!(trace.polls().iter().all(|p| p.function() == "fetch_data"));
    assert!(trace.polls()[2].is_ready() && !trace.polls()[1].is_ready());
    assert_eq!(
        trace.polls()[0].steps(),
        [
            Step::Enter("Start"),
            Step::Enter("WaitingForUrl"),
            Step::Poll("build_url"),
            Step::Pending
        ]
    );
}

/// Run twice in one thread: each run has its own trace, numbered from 1.
#[test]
fn each_run_has_its_own_trace() {
    let (_, first) = trace_to_completion(fetch_data());
    let (_, second) = trace_to_completion(fetch_data());
    assert_eq!(first, second);
    assert_eq!(first.lines(), SEED_FETCH_DATA);
}

// ------------------------------------------------------- loop and `?`

fn parse(log: &Log, line: &'static str) -> Leaf<Result<u32, String>> {
    leaf(
        log,
        line,
        1,
        line.parse().map_err(|_| format!("bad {line:?}")),
    )
}

twins! {
    #[desugar(trace)]
    async fn sum_lines(log: Log, lines: &'static [&'static str]) -> Result<u32, String> {
        let mut total = 0;
        for &line in lines {
            let n = parse(&log, line).await?;
            total += n;
        }
        Ok(total)
    }
}

twins! {
    async fn sum_lines_untraced(log: Log, lines: &'static [&'static str]) -> Result<u32, String> {
        let mut total = 0;
        for &line in lines {
            let n = parse(&log, line).await?;
            total += n;
        }
        Ok(total)
    }
}

#[test]
fn a_loop_with_question_mark() {
    let (sum, trace) = trace_to_completion(sum_lines::desugared(Log::new(), &["1", "2"]));
    assert_eq!(sum, Ok(3));
    assert_eq!(
        trace.lines(),
        [
            "poll #1: Start → ForLoop → WaitingForN → poll parse → Pending",
            "poll #2: WaitingForN → poll parse → Ready(n) → ForLoop → WaitingForN → poll parse → Pending",
            "poll #3: WaitingForN → poll parse → Ready(n) → ForLoop → AfterForLoop → Done → return Ready(Ok(total))",
        ]
    );

    let (sum, trace) = trace_to_completion(sum_lines::desugared(Log::new(), &["1", "x", "3"]));
    assert_eq!(sum, Err("bad \"x\"".to_string()));
    assert_eq!(
        trace.lines(),
        [
            "poll #1: Start → ForLoop → WaitingForN → poll parse → Pending",
            "poll #2: WaitingForN → poll parse → Ready(n) → ForLoop → WaitingForN → poll parse → Pending",
            "poll #3: WaitingForN → poll parse → Ready(n) → parse(&log, line).await? → Done → return Ready(residual)",
        ]
    );
    assert!(matches!(
        trace.polls()[2].steps().last(),
        Some(Step::Residual(_))
    ));
}

/// Tracing changes nothing else: the traced machine and the native twin
/// agree (output, poll count, log, also with a panic, under the harness),
/// and so do the untraced machine and its twin, with the same outcome.
#[test]
fn traced_behaves_like_untraced_and_native() {
    let cases: [&[&str]; 3] = [&[], &["1", "2", "3"], &["4", "no", "5"]];
    for lines in cases {
        let traced = check_twins!(|log| sum_lines(log, lines));
        let untraced = check_twins!(|log| sum_lines_untraced(log, lines));
        assert_eq!(traced.output, untraced.output);
        assert_eq!(traced.polls, untraced.polls);
        assert_eq!(traced.log, untraced.log);
        // Under a recorder too.
        let (output, trace) = trace_to_completion(sum_lines::desugared(Log::new(), lines));
        assert_eq!(format!("{output:?}"), traced.output);
        assert_eq!(trace.polls().len(), traced.polls);
    }
}

// --------------------------------------------------------------- nesting

#[desugar(trace)]
async fn add_slowly(a: u32, b: u32) -> u32 {
    let x = desugar_runtime::yield_once(a).await;
    let y = desugar_runtime::yield_once(b).await;
    x + y
}

#[desugar(trace)]
async fn add_twice(a: u32) -> u32 {
    let total = add_slowly(a, a).await;
    total + 1
}

#[test]
fn nested_traced_functions_get_their_own_indented_lines() {
    let (sum, trace) = trace_to_completion(add_twice(2));
    assert_eq!(sum, 5);
    assert_eq!(
        trace.lines(),
        [
            "poll #1: Start → WaitingForTotal → poll add_slowly → Pending",
            "  add_slowly poll #1: Start → WaitingForX → poll yield_once → Pending",
            "poll #2: WaitingForTotal → poll add_slowly → Pending",
            "  add_slowly poll #2: WaitingForX → poll yield_once → Ready(x) → WaitingForY → poll yield_once → Pending",
            "poll #3: WaitingForTotal → poll add_slowly → Ready(total) → Done → return Ready(total + 1)",
            "  add_slowly poll #3: WaitingForY → poll yield_once → Ready(y) → Done → return Ready(x + y)",
        ]
    );
    // Top level: only `add_twice`'s polls; each holds one of `add_slowly`.
    assert_eq!(trace.polls().len(), 3);
    for poll in trace.polls() {
        let nested: Vec<_> = poll.nested().collect();
        assert_eq!(nested.len(), 1);
        assert_eq!(nested[0].function(), "add_slowly");
        assert_eq!(nested[0].number(), poll.number());
    }
}

/// A plain `async` block around two traced functions: their polls are the
/// top-level ones, named.
#[test]
fn top_level_polls_of_several_functions_are_named() {
    let (sum, trace) = trace_to_completion(async { add_slowly(1, 2).await + add_twice(0).await });
    assert_eq!(sum, 4);
    let lines = trace.lines();
    assert_eq!(lines.len(), 3 + 3 * 2);
    assert!(lines[0].starts_with("add_slowly poll #1: Start → WaitingForX"));
    assert!(lines[3].starts_with("add_twice poll #1: Start → WaitingForTotal"));
    assert!(lines[4].starts_with("  add_slowly poll #1: Start"));
}

/// Untraced machines report nothing, even under a recorder.
#[test]
fn untraced_functions_leave_no_trace() {
    let (output, trace) = trace_to_completion(sum_lines_untraced::desugared(Log::new(), &["7"]));
    assert_eq!(output, Ok(7));
    assert!(trace.is_empty());
    assert_eq!(trace.to_string(), "");
}

// ----------------------------------------------------------------- panics

#[desugar(trace)]
async fn explodes(log: Log) -> u32 {
    tick(&log, "tick", 1).await;
    desugar_lessons::boom(&log, "boom", 0).await;
    1
}

#[test]
fn a_panic_ends_the_last_poll() {
    let payload = catch_unwind(|| trace_to_completion(explodes(Log::new()))).unwrap_err();
    assert_eq!(panic_message(&*payload), "boom exploded");

    // The partial trace, read from the wrapper.
    let mut future = Box::pin(traced(explodes(Log::new())));
    let result = catch_unwind(AssertUnwindSafe(|| {
        desugar_runtime::poll_to_completion(future.as_mut())
    }));
    assert!(result.is_err());
    assert_eq!(
        future.trace().lines(),
        [
            "poll #1: Start → WaitingForTick → poll tick → Pending",
            "poll #2: WaitingForTick → poll tick → Ready → WaitingForBoom → poll boom → panicked",
        ]
    );
    // Polled again, the poisoned machine panics, and says where.
    let again = catch_unwind(AssertUnwindSafe(|| {
        desugar_runtime::poll_to_completion(future.as_mut())
    }))
    .unwrap_err();
    assert_eq!(panic_message(&*again), "`async fn` resumed after panicking");
    assert_eq!(
        future.trace().lines().last().unwrap(),
        "poll #3: Poisoned → panicked"
    );
}

// ------------------------------------------------------------------ tokio

fn runtimes() -> [tokio::runtime::Runtime; 2] {
    [
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    ]
}

#[test]
fn under_tokio_block_on_and_spawn() {
    for runtime in runtimes() {
        let (body, trace) = runtime.block_on(traced(fetch_data()));
        assert_eq!(body, "the data from https://example.com/data");
        assert_eq!(trace.lines(), SEED_FETCH_DATA);
        let (sum, trace) = runtime
            .block_on(runtime.spawn(traced(add_twice(2))))
            .unwrap();
        assert_eq!(sum, 5);
        assert_eq!(trace.lines().len(), 6);
    }
}

#[desugar(trace)]
async fn sleepy(n: u64) -> u64 {
    tokio::time::sleep(std::time::Duration::from_millis(n)).await;
    let m = tokio::task::yield_now().await;
    let () = m;
    n
}

#[test]
#[cfg_attr(miri, ignore)]
fn under_tokio_with_timers_on_any_worker() {
    for runtime in runtimes() {
        let handles: Vec<_> = (1..=4)
            .map(|n| runtime.spawn(traced(sleepy(n * 5))))
            .collect();
        for (n, handle) in (1..=4).zip(handles) {
            let (value, trace) = runtime.block_on(handle).unwrap();
            assert_eq!(value, n * 5);
            let lines = trace.lines();
            assert_eq!(
                lines.first().unwrap(),
                "poll #1: Start → WaitingForSleep → poll sleep → Pending"
            );
            assert_eq!(
                lines.last().unwrap(),
                &format!(
                    "poll #{}: WaitingForM → poll yield_now → Ready(m) → Done → return Ready(n)",
                    lines.len()
                )
            );
            // Only the sleep may take extra polls (spurious wake-ups).
            assert!(lines.len() >= 3, "{lines:#?}");
        }
    }
}

// ---------------------------------------------------- DESUGAR_TRACE_FILE

/// The contract another tool relies on: with `DESUGAR_TRACE_FILE` set and
/// no recorder installed, each finished poll is one line
/// `<fn name>\t<the poll line>`. Runs this test binary again as the child
/// (the variable is read once per process).
#[test]
#[cfg_attr(miri, ignore)]
fn trace_file_contract() {
    if let Some(path) = std::env::var_os("DESUGAR_TRACE_FILE") {
        if std::env::var_os("DESUGAR_TRACE_CHILD").is_some() {
            // The child: run without a recorder.
            assert_eq!(
                desugar_runtime::poll_to_completion(add_twice(2)),
                5,
                "{path:?}"
            );
            // Under a recorder nothing goes to the file.
            let (_, trace) = trace_to_completion(fetch_data());
            assert_eq!(trace.lines(), SEED_FETCH_DATA);
        }
        return;
    }
    let dir = std::env::temp_dir().join(format!("desugar-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("trace.tsv");
    let _ = std::fs::remove_file(&file);
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "trace_file_contract", "--test-threads=1"])
        .env("DESUGAR_TRACE_FILE", &file)
        .env("DESUGAR_TRACE_CHILD", "1")
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let written = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(
        lines,
        [
            "add_slowly\tpoll #1: Start → WaitingForX → poll yield_once → Pending",
            "add_twice\tpoll #1: Start → WaitingForTotal → poll add_slowly → Pending",
            "add_slowly\tpoll #2: WaitingForX → poll yield_once → Ready(x) → WaitingForY → poll yield_once → Pending",
            "add_twice\tpoll #2: WaitingForTotal → poll add_slowly → Pending",
            "add_slowly\tpoll #3: WaitingForY → poll yield_once → Ready(y) → Done → return Ready(x + y)",
            "add_twice\tpoll #3: WaitingForTotal → poll add_slowly → Ready(total) → Done → return Ready(total + 1)",
        ]
    );
    assert!(written.ends_with('\n'));
}

// ------------------------------------------------- with pinned locals

async fn first_of<'a>(log: &Log, items: &'a [u32; 2]) -> &'a u32 {
    tick(log, "first_of", 1).await;
    &items[0]
}

twins! {
    // `trace` with `pin(..)`: the arms end in a `'finish` block and jump
    // with `continue 'poll`; an early `return` reports itself too.
    #[desugar(pin(items), trace)]
    async fn pinned_and_traced(log: Log, stop_early: bool) -> u32 {
        let items = [1, 2];
        let r = first_of(&log, &items).await;
        if stop_early {
            return *r + 100;
        }
        tick(&log, "between", 1).await;
        *r + items[1]
    }
}

#[test]
fn trace_with_pinned_locals() {
    for stop_early in [false, true] {
        // `check`, not `check_twins!`: tracing makes the future larger
        // than the native one (see `what_trace_costs`).
        let o = desugar_lessons::check(
            |log| pinned_and_traced::native(log, stop_early),
            |log| pinned_and_traced::desugared(log, stop_early),
        );
        let (value, trace) =
            trace_to_completion(pinned_and_traced::desugared(Log::new(), stop_early));
        assert_eq!(value.to_string(), o.output);
        assert_eq!(trace.polls().len(), o.polls);
        let last = trace.lines().pop().unwrap();
        if stop_early {
            assert_eq!(
                last,
                "poll #2: WaitingForR → poll first_of → Ready(r) → Done → return Ready(*r + 100)"
            );
        } else {
            assert_eq!(
                last,
                "poll #3: WaitingForTick → poll tick → Ready → Done → return Ready(*r + items[1])"
            );
        }
    }
}

twins! {
    #[desugar(pin(items))]
    async fn pinned_untraced(log: Log, stop_early: bool) -> u32 {
        let items = [1, 2];
        let r = first_of(&log, &items).await;
        if stop_early {
            return *r + 100;
        }
        tick(&log, "between", 1).await;
        *r + items[1]
    }
}

/// `trace` adds the function's name and a poll counter to the future,
/// nothing else; without it, nothing.
#[test]
fn what_trace_costs() {
    let log = Log::new();
    let traced = std::mem::size_of_val(&pinned_and_traced::desugared(log.clone(), true));
    let untraced = std::mem::size_of_val(&pinned_untraced::desugared(log.clone(), true));
    let native = std::mem::size_of_val(&pinned_untraced::native(log, true));
    assert!(untraced <= native, "{untraced} > {native}");
    let added = std::mem::size_of::<&str>() + std::mem::size_of::<usize>();
    assert_eq!(traced, untraced + added);
}

// ------------------------------------------- methods, generics, no awaits

struct Counter {
    count: u32,
}

impl Counter {
    #[desugar(trace)]
    async fn bump_by<T: Into<u32>>(&mut self, by: T) -> u32 {
        self.count += desugar_runtime::yield_once(by.into()).await;
        self.count
    }
}

#[desugar(trace)]
async fn no_awaits(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    n + 1
}

#[test]
fn methods_generics_and_functions_without_awaits() {
    let mut counter = Counter { count: 1 };
    let (count, trace) = trace_to_completion(counter.bump_by(2u8));
    assert_eq!(count, 3);
    assert_eq!(
        trace.lines(),
        [
            "poll #1: Start → WaitingForYieldOnce → poll yield_once → Pending",
            "poll #2: WaitingForYieldOnce → poll yield_once → Ready → Done → return Ready(self.count)",
        ]
    );
    let (value, trace) = trace_to_completion(no_awaits(0));
    assert_eq!(value, 0);
    assert_eq!(trace.lines(), ["poll #1: Start → Done → return Ready(0)"]);
    let (value, trace) = trace_to_completion(no_awaits(4));
    assert_eq!(value, 5);
    assert_eq!(
        trace.lines(),
        ["poll #1: Start → Done → return Ready(n + 1)"]
    );
}
