//! Behaviour twins under tokio: the current-thread runtime and a
//! multi-thread runtime with two workers, both with timers and I/O enabled.
//!
//! Each pair runs with `Runtime::block_on` and as a spawned task
//! (`tokio::spawn`, so the desugared future must be `Send + 'static`), with
//! real `tokio::time::sleep`s, channels, `tokio::io::duplex` streams and TCP
//! sockets inside the bodies; outputs and logs are compared. Poll counts are
//! compared only where they are deterministic (no real timers or I/O).
//! Cancellation is exercised the tokio way: `timeout`, `select!`, `abort`.
//!
//! Tests that need real timers or sockets are skipped under Miri.

#![allow(unexpected_cfgs)]

use desugar_lessons::{Log, Noisy, count_polls, leaf, panic_message, tick, twins};
use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::runtime::{Builder, Runtime};

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

fn runtimes() -> [(&'static str, Runtime); 2] {
    [
        (
            "current_thread",
            Builder::new_current_thread().enable_all().build().unwrap(),
        ),
        (
            "multi_thread(2)",
            Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
        ),
    ]
}

/// How one twin ran: output (or panic message), poll count, log.
type Run<T> = (Result<T, String>, usize, Vec<String>);

fn block_on<F: Future>(rt: &Runtime, make: &impl Fn(Log) -> F) -> Run<F::Output> {
    let log = Log::new();
    let future = count_polls(make(log.clone()));
    log.push("-- created");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.block_on(future)));
    let (output, polls) = match result {
        Ok((output, polls)) => (Ok(output), polls),
        Err(payload) => (Err(panic_message(&*payload)), 0),
    };
    log.push("-- finished");
    (output, polls, log.events())
}

fn spawned<F>(rt: &Runtime, make: &impl Fn(Log) -> F) -> Run<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let log = Log::new();
    let future = count_polls(make(log.clone()));
    log.push("-- created");
    let joined = rt.block_on(async move { tokio::spawn(future).await });
    let (output, polls) = match joined {
        Ok((output, polls)) => (Ok(output), polls),
        Err(error) => (Err(panic_message(&*error.into_panic())), 0),
    };
    log.push("-- finished");
    (output, polls, log.events())
}

#[track_caller]
fn same<T: PartialEq + Debug>(
    what: &str,
    native: Run<T>,
    desugared: Run<T>,
    polls: bool,
) -> Run<T> {
    assert_eq!(native.0, desugared.0, "{what}: outputs (native, desugared)");
    assert_eq!(native.2, desugared.2, "{what}: logs (native, desugared)");
    if polls {
        assert_eq!(
            native.1, desugared.1,
            "{what}: poll counts (native, desugared)"
        );
    }
    native
}

/// Runs both twins under both runtimes, with `block_on` and spawned, and
/// compares outputs and logs (and poll counts if `polls`). Returns the
/// native output of the last run, formatted with `{:?}` (or
/// `panicked: ...`).
#[track_caller]
fn check_tokio<T, FN, FD>(
    native: impl Fn(Log) -> FN,
    desugared: impl Fn(Log) -> FD,
    polls: bool,
) -> String
where
    FN: Future<Output = T> + Send + 'static,
    FD: Future<Output = T> + Send + 'static,
    T: PartialEq + Debug + Send + 'static,
{
    let mut last = String::new();
    for (name, rt) in runtimes() {
        let _ = same(
            &format!("{name} block_on"),
            block_on(&rt, &native),
            block_on(&rt, &desugared),
            polls,
        );
        let (output, _, _) = same(
            &format!("{name} spawned"),
            spawned(&rt, &native),
            spawned(&rt, &desugared),
            polls,
        );
        last = match output {
            Ok(value) => format!("{value:?}"),
            Err(message) => format!("panicked: {message}"),
        };
    }
    last
}

/// `check_tokio` for a `twins!` pair: `tokio_twins!(|log| name(args))`,
/// `tokio_twins!(|log| name(args), polls)` to compare poll counts too.
macro_rules! tokio_twins {
    (|$log:ident| $name:ident ( $($args:tt)* ) $(, $polls:ident)?) => {
        check_tokio(
            |$log: Log| $name::native($($args)*),
            |$log: Log| $name::desugared($($args)*),
            tokio_twins!(@polls $($polls)?),
        )
    };
    (@polls polls) => { true };
    (@polls) => { false };
}

/// Logs the start and the end of a real sleep.
async fn nap(log: &Log, name: &str, ms: u64) {
    log.push(format!("{name}: sleep {ms}ms"));
    tokio::time::sleep(Duration::from_millis(ms)).await;
    log.push(format!("{name}: woke"));
}

// ---------------------------------------------------------------------------
// Deterministic bodies (no timers): poll counts compared
// ---------------------------------------------------------------------------

twins! {
    async fn yields(log: Log, a: u32, b: u32) -> u32 {
        let _g = Noisy::new(&log, "g");
        let x = leaf(&log, "x", 1, a).await;
        tokio::task::yield_now().await;
        let y = leaf(&log, "y", 2, b).await;
        x + y
    }
}

// No timers: this one runs under Miri too (stacked and tree borrows), with
// tokio's self-referential `yield_now` future polled in place.
#[test]
fn yields_and_leaf_futures_with_exact_poll_counts() {
    let out = tokio_twins!(|log| yields(log, 2, 3), polls);
    assert_eq!(out, "5");
}

#[derive(Debug, PartialEq)]
struct FetchError(String);

#[derive(Debug, PartialEq)]
enum AppError {
    Fetch(FetchError),
}

impl From<FetchError> for AppError {
    fn from(e: FetchError) -> Self {
        AppError::Fetch(e)
    }
}

async fn fetch(log: &Log, url: &str, ms: u64) -> Result<String, FetchError> {
    nap(log, url, ms).await;
    if url.is_empty() {
        Err(FetchError("empty url".into()))
    } else {
        Ok(url.to_uppercase())
    }
}

twins! {
    async fn fetch_two(log: Log, a: &'static str, b: &'static str) -> Result<(String, String), AppError> {
        let _span = Noisy::new(&log, "span");
        let r1 = fetch(&log, a, 2).await?;
        let r2 = fetch(&log, b, 3).await?;
        Ok((r1, r2))
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn fetch_two_with_real_sleeps() {
    assert_eq!(
        tokio_twins!(|log| fetch_two(log, "a", "b")),
        r#"Ok(("A", "B"))"#
    );
    assert!(tokio_twins!(|log| fetch_two(log, "", "b")).starts_with("Err"));
    assert!(tokio_twins!(|log| fetch_two(log, "a", "")).starts_with("Err"));
}

twins! {
    async fn sleeps_with_values_alive(log: Log, n: Noisy) -> u32 {
        let guard = Noisy::with(&log, "guard", 1);
        nap(&log, "first", 1).await;
        let moved = Noisy::with(&log, "moved", 2);
        tokio::time::sleep(Duration::from_millis(2)).await;
        let v = eval_after(moved, &log).await + guard.touch();
        nap(&log, "last", 5).await;
        v + n.touch()
    }
}

async fn eval_after(n: Noisy, log: &Log) -> u32 {
    nap(log, "eval_after", 1).await;
    n.touch()
}

#[test]
#[cfg_attr(miri, ignore)]
fn real_sleeps_with_values_alive_and_moved() {
    let out = tokio_twins!(|log| sleeps_with_values_alive(log.clone(), Noisy::with(&log, "n", 10)));
    assert_eq!(out, "13");
}

twins! {
    async fn timer_and_yield_mix(log: Log) -> Vec<u32> {
        let mut out = Vec::new();
        out.push(leaf(&log, "a", 1, 1).await);
        tokio::time::sleep(Duration::from_millis(1)).await;
        out.push(leaf(&log, "b", 0, 2).await);
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(4)).await;
        out.push(leaf(&log, "c", 3, 3).await);
        out
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn timers_yields_and_leaves_in_sequence() {
    assert_eq!(tokio_twins!(|log| timer_and_yield_mix(log)), "[1, 2, 3]");
}

twins! {
    async fn lock_owned_on_a_clone(log: Log, shared: Arc<tokio::sync::Mutex<Vec<u32>>>) -> usize {
        let mut guard = shared.clone().lock_owned().await;
        guard.push(1);
        log.push("locked");
        guard.len()
    }
}

#[test]
fn by_value_method_on_a_temporary_receiver() {
    let out = tokio_twins!(
        |log| lock_owned_on_a_clone(log, Arc::new(tokio::sync::Mutex::new(Vec::new()))),
        polls
    );
    assert_eq!(out, "1");
}

// ---------------------------------------------------------------------------
// Sync primitives, channels, tasks
// ---------------------------------------------------------------------------

twins! {
    async fn locked_increment(log: Log, shared: Arc<tokio::sync::Mutex<Vec<u32>>>, id: u32) -> usize {
        // an owned tokio guard is `Send`: it may be held across awaits
        let mut guard = tokio::sync::Mutex::lock_owned(shared.clone()).await;
        log.push(format!("{id}: locked"));
        tokio::time::sleep(Duration::from_millis(1)).await;
        guard.push(id);
        let len = guard.len();
        drop(guard);
        log.push(format!("{id}: unlocked"));
        len
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn tokio_mutex_guard_across_await_in_spawned_tasks() {
    for (name, rt) in runtimes() {
        for desugared in [false, true] {
            let shared = Arc::new(tokio::sync::Mutex::new(Vec::new()));
            let log = Log::new();
            let lens = rt.block_on(async {
                let mut handles = Vec::new();
                for id in 0..4 {
                    let future: std::pin::Pin<Box<dyn Future<Output = usize> + Send>> = if desugared
                    {
                        Box::pin(locked_increment::desugared(log.clone(), shared.clone(), id))
                    } else {
                        Box::pin(locked_increment::native(log.clone(), shared.clone(), id))
                    };
                    handles.push(tokio::spawn(future));
                }
                let mut lens = Vec::new();
                for h in handles {
                    lens.push(h.await.unwrap());
                }
                lens
            });
            let mut sorted = lens.clone();
            sorted.sort();
            assert_eq!(sorted, vec![1, 2, 3, 4], "{name}, desugared: {desugared}");
            let mut held = shared.try_lock().unwrap().clone();
            held.sort();
            assert_eq!(held, vec![0, 1, 2, 3]);
            // mutual exclusion: every "locked" is followed by its own "unlocked"
            let events = log.events();
            for pair in events.chunks(2) {
                let id = pair[0].split(':').next().unwrap();
                assert_eq!(pair[1], format!("{id}: unlocked"), "{name}: {events:?}");
            }
        }
    }
}

twins! {
    async fn channel_consumer(log: Log, count: u32) -> u32 {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(1);
        let producer = tokio::spawn(async move {
            for i in 1..=count {
                tokio::time::sleep(Duration::from_millis(1)).await;
                if tx.send(i).await.is_err() {
                    break;
                }
            }
        });
        let mut sum = 0;
        // awaiting a future that borrows the local receiver, three times
        let a = rx.recv().await.unwrap_or(0);
        sum += a;
        log.push(format!("got {a}"));
        let b = rx.recv().await.unwrap_or(0);
        sum += b;
        let rest = drain(&mut rx).await;
        log.push(format!("rest {rest}"));
        producer.await.unwrap();
        sum + rest
    }
}

async fn drain(rx: &mut tokio::sync::mpsc::Receiver<u32>) -> u32 {
    let mut sum = 0;
    while let Some(v) = rx.recv().await {
        sum += v;
    }
    sum
}

#[test]
#[cfg_attr(miri, ignore)]
fn channels_and_join_handles() {
    assert_eq!(tokio_twins!(|log| channel_consumer(log, 4)), "10");
}

twins! {
    async fn oneshot_and_spawned_desugared(log: Log) -> (u32, u32) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let inner_log = Log::new();
        // a desugared future spawned from a desugared future
        let handle = tokio::spawn(yields::desugared(inner_log, 4, 5));
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(2)).await;
            let _ = tx.send(7u32);
        });
        let got = rx.await.unwrap();
        log.push(format!("oneshot {got}"));
        (got, handle.await.unwrap())
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn oneshot_and_nested_spawn() {
    assert_eq!(
        tokio_twins!(|log| oneshot_and_spawned_desugared(log)),
        "(7, 9)"
    );
}

// ---------------------------------------------------------------------------
// I/O: futures borrowing locals
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum ServeError {
    Io(std::io::ErrorKind),
    Closed,
}

impl From<std::io::Error> for ServeError {
    fn from(e: std::io::Error) -> Self {
        ServeError::Io(e.kind())
    }
}

impl PartialEq for ServeError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ServeError::Io(a), ServeError::Io(b)) => a == b,
            (ServeError::Closed, ServeError::Closed) => true,
            _ => false,
        }
    }
}

twins! {
    async fn read_duplex(log: Log, chunks: Vec<&'static str>) -> Result<(usize, Vec<u8>), ServeError> {
        let (mut reader, mut writer) = tokio::io::duplex(64);
        let writer_task = tokio::spawn(async move {
            for chunk in chunks {
                tokio::time::sleep(Duration::from_millis(1)).await;
                writer.write_all(chunk.as_bytes()).await?;
            }
            writer.shutdown().await
        });
        let mut buf = Vec::new();
        let mut chunk = [0u8; 3];
        // `reader.read(&mut chunk)` borrows two locals
        let n = reader.read_exact(&mut chunk).await?;
        buf.extend_from_slice(&chunk[..n]);
        log.push(format!("read {n}"));
        let m = reader.read_to_end(&mut buf).await?;
        writer_task.await.unwrap()?;
        Ok((n + m, buf))
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn duplex_stream_read_into_local_buffers() {
    let out = tokio_twins!(|log| read_duplex(log, vec!["hel", "lo ", "world"]));
    assert!(out.starts_with("Ok((11,"), "{out}");
}

twins! {
    async fn tcp_echo_lines(log: Log, lines: Vec<&'static str>) -> Result<Vec<String>, ServeError> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let client = tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(addr).await?;
            for line in lines {
                tokio::time::sleep(Duration::from_millis(1)).await;
                stream.write_all(format!("{line}\n").as_bytes()).await?;
            }
            stream.shutdown().await
        });
        let (stream, _) = listener.accept().await?;
        log.push("accepted");
        let mut conn = BufReader::new(stream).lines();
        let first = conn.next_line().await?.ok_or(ServeError::Closed)?;
        log.push(format!("first line: {first}"));
        let second = conn.next_line().await?.ok_or(ServeError::Closed)?;
        let third = conn.next_line().await?;
        client.await.unwrap()?;
        let mut out = vec![first, second];
        out.extend(third);
        Ok(out)
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn tcp_accept_and_next_line_on_locals() {
    let out = tokio_twins!(|log| tcp_echo_lines(log, vec!["one", "two"]));
    assert_eq!(out, r#"Ok(["one", "two"])"#);
    let closed = tokio_twins!(|log| tcp_echo_lines(log, vec!["only"]));
    assert_eq!(closed, "Err(Closed)");
}

// ---------------------------------------------------------------------------
// Cancellation the tokio way
// ---------------------------------------------------------------------------

twins! {
    async fn slow_with_guards(log: Log) -> u32 {
        let _outer = Noisy::new(&log, "outer");
        let v = leaf(&log, "quick", 1, 1).await;
        let _inner = Noisy::new(&log, "inner");
        // the timeout fires during this sleep
        nap(&log, "long", 2_000).await;
        v
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn timeout_drops_the_future_mid_sleep() {
    for (name, rt) in runtimes() {
        let run = |desugared: bool| {
            let log = Log::new();
            let result = rt.block_on(async {
                let limit = Duration::from_millis(30);
                if desugared {
                    tokio::time::timeout(limit, slow_with_guards::desugared(log.clone())).await
                } else {
                    tokio::time::timeout(limit, slow_with_guards::native(log.clone())).await
                }
            });
            log.push(format!("-- timed out: {}", result.is_err()));
            log.events()
        };
        let native = run(false);
        assert_eq!(native, run(true), "{name}");
        assert!(
            native.contains(&"-- timed out: true".to_owned()),
            "{native:?}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn select_drops_the_losing_branch() {
    for (name, rt) in runtimes() {
        let run = |desugared: bool| {
            let log = Log::new();
            rt.block_on(async {
                let slow = slow_with_guards::native(log.clone());
                let slow_d = slow_with_guards::desugared(log.clone());
                if desugared {
                    drop(slow);
                    tokio::select! {
                        v = slow_d => log.push(format!("slow won {v}")),
                        _ = tokio::time::sleep(Duration::from_millis(20)) => log.push("timer won"),
                    }
                } else {
                    drop(slow_d);
                    tokio::select! {
                        v = slow => log.push(format!("slow won {v}")),
                        _ = tokio::time::sleep(Duration::from_millis(20)) => log.push("timer won"),
                    }
                }
            });
            log.events()
        };
        let native = run(false);
        assert_eq!(native, run(true), "{name}");
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn abort_a_spawned_task_mid_sleep() {
    for (name, rt) in runtimes() {
        let run = |desugared: bool| {
            let log = Log::new();
            rt.block_on(async {
                let handle = if desugared {
                    tokio::spawn(slow_with_guards::desugared(log.clone()))
                } else {
                    tokio::spawn(slow_with_guards::native(log.clone()))
                };
                // wait until the task is in its long sleep
                while !log.contains("long: sleep 2000ms") {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                handle.abort();
                let error = handle.await.unwrap_err();
                log.push(format!("-- cancelled: {}", error.is_cancelled()));
            });
            log.events()
        };
        let native = run(false);
        assert_eq!(native, run(true), "{name}");
        assert!(native.contains(&"inner: drop".to_owned()));
    }
}

// ---------------------------------------------------------------------------
// Panics in spawned tasks
// ---------------------------------------------------------------------------

twins! {
    async fn panics_after_sleep(log: Log) -> u32 {
        let _g = Noisy::new(&log, "g");
        nap(&log, "nap", 2).await;
        let v: Option<u32> = None;
        v.expect("nothing after the nap")
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn panic_in_a_spawned_task_after_a_sleep() {
    let out = tokio_twins!(|log| panics_after_sleep(log));
    assert_eq!(out, "panicked: nothing after the nap");
}

twins! {
    async fn tick_panics(log: Log) -> u32 {
        let _g = Noisy::new(&log, "g");
        tick(&log, "t", 2).await;
        panic!("explicit panic after ticks")
    }
}

#[test]
fn panic_after_yields_with_exact_poll_counts() {
    let out = tokio_twins!(|log| tick_panics(log), polls);
    assert_eq!(out, "panicked: explicit panic after ticks");
}
