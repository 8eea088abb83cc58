//! Support code of a generated batch crate (copied in as `src/support.rs`
//! by desugar-fuzz's driver): the log, `Noisy`, the leaf futures, the
//! executor that injects extra `Pending`s, and `compare`, which runs a
//! native future and its desugared twin the same way and returns what
//! differs.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

thread_local! {
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static SCHEDULE: Cell<u64> = const { Cell::new(0) };
    static WAKES: Cell<u64> = const { Cell::new(0) };
}

/// Appends one line to this thread's log.
pub fn log(line: String) {
    LOG.with(|l| l.borrow_mut().push(line));
}

fn take_log() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// Extra `Pending`s a leaf adds when first polled, drawn from the schedule.
fn extra_pendings() -> u32 {
    SCHEDULE.with(|s| {
        let mut x = s.get();
        if x == 0 {
            return 0;
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        (x % 3) as u32
    })
}

/// The error type of generated `Result`s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct E(pub i64);

/// A value that logs when it is dropped.
#[derive(Debug)]
pub struct Noisy(pub &'static str);

impl Noisy {
    /// Logs the creation too.
    pub fn new(name: &'static str) -> Noisy {
        log(format!("new {name}"));
        Noisy(name)
    }
    /// A number that depends on the name, for use in expressions.
    pub fn id(&self) -> i64 {
        self.0.len() as i64
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        log(format!("drop {}", self.0));
    }
}

/// A side effect in an expression: logs `id` and `v`, returns `v`.
pub fn note(id: u32, v: i64) -> i64 {
    log(format!("note {id} = {v}"));
    v
}

/// A side-effecting condition.
pub fn cond(id: u32, b: bool) -> bool {
    log(format!("cond {id} = {b}"));
    b
}

/// The future behind every leaf: `Pending` `pendings` (+ the schedule's
/// extra) times, waking itself, then `Ready(make())`.
pub struct Leaf<T, F: FnOnce() -> T> {
    id: u32,
    pendings: Option<u32>,
    base: u32,
    make: Option<F>,
}

impl<T, F: FnOnce() -> T + Unpin> Future for Leaf<T, F> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let left = match self.pendings {
            Some(n) => n,
            None => self.base + extra_pendings(),
        };
        log(format!("poll leaf {}", self.id));
        if left > 0 {
            self.pendings = Some(left - 1);
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let make = self.make.take().expect("leaf polled after Ready");
        log(format!("ready leaf {}", self.id));
        Poll::Ready(make())
    }
}

impl<T, F: FnOnce() -> T> Drop for Leaf<T, F> {
    fn drop(&mut self) {
        if self.make.is_some() {
            log(format!("cancel leaf {}", self.id));
        }
    }
}

fn mk<T, F: FnOnce() -> T + Unpin>(id: u32, pendings: u32, make: F) -> Leaf<T, F> {
    Leaf {
        id,
        pendings: None,
        base: pendings,
        make: Some(make),
    }
}

/// `Ready(v)` after `pendings` `Pending`s.
pub fn leaf(id: u32, v: i64, pendings: u32) -> impl Future<Output = i64> {
    mk(id, pendings, move || v)
}

/// A boolean leaf.
pub fn flag(id: u32, v: bool, pendings: u32) -> impl Future<Output = bool> {
    mk(id, pendings, move || v)
}

/// A leaf that borrows a string for as long as it lives.
pub fn leaf_ref<'a, S: AsRef<str> + ?Sized>(id: u32, s: &'a S, pendings: u32) -> impl Future<Output = i64> + 'a {
    mk(id, pendings, move || {
        let s = s.as_ref();
        log(format!("leaf_ref {id} saw {s:?}"));
        s.len() as i64
    })
}

/// A leaf that borrows a vector for as long as it lives.
pub fn leaf_vec<'a, V: AsRef<[i64]> + ?Sized>(id: u32, v: &'a V, pendings: u32) -> impl Future<Output = i64> + 'a {
    mk(id, pendings, move || {
        let v = v.as_ref();
        log(format!("leaf_vec {id} saw {v:?}"));
        v.iter().sum()
    })
}

/// A leaf that owns a `Noisy` (dropped when the leaf finishes or is cancelled).
pub fn consume(id: u32, n: Noisy, pendings: u32) -> impl Future<Output = i64> {
    mk(id, pendings, move || {
        let v = n.id();
        drop(n);
        v
    })
}

/// `Ok(v)` or `Err(E(v))`.
pub fn res_leaf(id: u32, v: i64, ok: bool, pendings: u32) -> impl Future<Output = Result<i64, E>> {
    mk(id, pendings, move || if ok { Ok(v) } else { Err(E(v)) })
}

/// `Some(v)` or `None`.
pub fn opt_leaf(id: u32, v: i64, some: bool, pendings: u32) -> impl Future<Output = Option<i64>> {
    mk(id, pendings, move || if some { Some(v) } else { None })
}

/// A leaf that panics when it would be ready.
pub fn boom(id: u32, pendings: u32) -> impl Future<Output = i64> {
    mk(id, pendings, move || -> i64 { panic!("boom {id}") })
}

/// What one run showed.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    /// `Ready(..)` as Debug, `panic: ..`, or `cancelled after k polls`.
    pub result: String,
    /// The log, in order.
    pub log: Vec<String>,
    /// Polls of the outer future.
    pub polls: u32,
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        format!("panic: {s}")
    } else if let Some(s) = p.downcast_ref::<String>() {
        format!("panic: {s}")
    } else {
        "panic: (non-string)".to_string()
    }
}

/// Builds the future with `make`, polls it at most `limit` times (or to
/// completion), drops it, all under `catch_unwind`; `schedule` seeds the
/// extra `Pending`s of leaves.
pub fn run<F: Future>(make: &dyn Fn() -> F, limit: Option<u32>, schedule: u64) -> Outcome
where
    F::Output: Debug,
{
    take_log();
    SCHEDULE.with(|s| s.set(schedule));
    let mut polls = 0u32;
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut fut = Box::pin(make());
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if limit == Some(polls) {
                drop(fut);
                return format!("cancelled after {polls} polls");
            }
            polls += 1;
            if polls > 100_000 {
                return "too many polls".to_string();
            }
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                drop(fut);
                return format!("Ready({v:?})");
            }
        }
    }))
    .unwrap_or_else(panic_text);
    Outcome {
        result,
        log: take_log(),
        polls,
    }
}

/// Runs native and desugared the same ways (to completion under a few
/// schedules, and cancelled after every k polls); the first difference,
/// as one line, or `None`.
pub fn compare<N: Future, D: Future>(native: &dyn Fn() -> N, desugared: &dyn Fn() -> D) -> Option<String>
where
    N::Output: Debug,
    D::Output: Debug,
{
    for schedule in [0u64, 0x9e37_79b9, 0x1234_5678_9abc] {
        let n = run(native, None, schedule);
        let d = run(desugared, None, schedule);
        if n != d {
            return Some(describe("run to completion", schedule, &n, &d));
        }
        for k in 0..n.polls {
            let nk = run(native, Some(k), schedule);
            let dk = run(desugared, Some(k), schedule);
            if nk != dk {
                return Some(describe(&format!("cancelled after {k} polls"), schedule, &nk, &dk));
            }
        }
    }
    None
}

fn describe(what: &str, schedule: u64, n: &Outcome, d: &Outcome) -> String {
    let kind = if n.result != d.result {
        "result"
    } else if n.log != d.log {
        "log"
    } else {
        "polls"
    };
    let first = n
        .log
        .iter()
        .zip(&d.log)
        .position(|(a, b)| a != b)
        .unwrap_or(n.log.len().min(d.log.len()));
    format!(
        "{kind} differs ({what}, schedule {schedule:#x}); first log difference at line {first}; native = {n:?}; desugared = {d:?}"
    )
}
