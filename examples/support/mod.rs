//! Shared by the examples (not an example itself: cargo only discovers
//! `examples/*.rs` and `examples/*/main.rs`).
//!
//! - a fake network whose leaf futures say when they are polled: [`fetch`]
//!   (seed "Async, illustrated"), [`build_url`] and [`http_get`] (seed
//!   "Lesson 2: State Machines");
//! - a trace of what happened, printed as it happens and kept so that a
//!   native `async fn` and its desugared twin can be compared line by line;
//! - [`step_by_step`]: an executor that numbers its polls.
#![allow(dead_code)] // each example uses a different part of this module

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

// ---------------------------------------------------------------- the trace

thread_local! {
    static TRACE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static ECHO: Cell<bool> = const { Cell::new(true) };
}

/// Records one line of the trace, and prints it unless [`quiet`] is on.
pub fn note(line: impl Into<String>) {
    let line = line.into();
    if ECHO.get() {
        println!("{line}");
    }
    TRACE.with_borrow_mut(|trace| trace.push(line));
}

/// Returns the trace recorded so far and starts a new one.
pub fn take_trace() -> Vec<String> {
    TRACE.take()
}

/// Runs `f` without printing the trace (it is still recorded).
pub fn quiet<R>(f: impl FnOnce() -> R) -> R {
    let was = ECHO.replace(false);
    let result = f();
    ECHO.set(was);
    result
}

// ------------------------------------------------------- the leaf future

/// A leaf future, the kind a real runtime provides (a socket read, a timer):
/// `Pending` `pendings` times, waking its task each time so that the executor
/// polls again, then `Ready(value)`. It notes every poll in the trace:
///
/// ```text
///       build_url(): poll #1 → Pending
/// ```
pub struct Leaf<T> {
    name: String,
    pendings: u32,
    polls: u32,
    value: Option<T>,
}

/// Nothing in a `Leaf` is ever pinned, so it can be `Unpin` (like
/// `YieldOnce`): `Pin::new(&mut leaf)` is all it takes to poll it.
impl<T> Unpin for Leaf<T> {}

impl<T> Leaf<T> {
    pub fn new(name: impl Into<String>, pendings: u32, value: T) -> Self {
        Leaf {
            name: name.into(),
            pendings,
            polls: 0,
            value: Some(value),
        }
    }
}

impl<T: fmt::Debug> Future for Leaf<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = &mut *self;
        this.polls += 1;
        if this.polls <= this.pendings {
            note(format!(
                "      {}: poll #{} → Pending",
                this.name, this.polls
            ));
            cx.waker().wake_by_ref();
            Poll::Pending
        } else {
            let value = this.value.take().expect("`Leaf` polled after completion");
            note(format!(
                "      {}: poll #{} → Ready({value:?})",
                this.name, this.polls
            ));
            Poll::Ready(value)
        }
    }
}

// ------------------------------------- seed "Async, illustrated": fetch

/// The body of a response, like `bytes::Bytes`.
#[derive(Clone, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b{:?}", String::from_utf8_lossy(&self.0))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    NotFound(String),
}

/// What the fake network knows: `a.example` answers after one `Pending`,
/// `b.example` after two; any other host is not found (after one `Pending`).
pub async fn fetch(url: &str) -> Result<Bytes, Error> {
    let (pendings, answer) = match url {
        "a.example" => (1, Ok(Bytes(b"alpha".to_vec()))),
        "b.example" => (2, Ok(Bytes(b"bravo".to_vec()))),
        _ => (1, Err(Error::NotFound(url.to_string()))),
    };
    Leaf::new(format!("fetch({url:?})"), pendings, answer).await
}

// ------------------------- seed "Lesson 2": build_url, http_get, Response

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// Ready after one `Pending`, like `yield_once`.
pub fn build_url() -> Leaf<String> {
    Leaf::new("build_url()", 1, "https://example.com/data".to_string())
}

/// Ready after one `Pending`. (Any url works: the answer is always the same.)
pub fn http_get(url: String) -> Leaf<Response> {
    let _ = url;
    let response = Response {
        status: 200,
        body: "the data".to_string(),
    };
    Leaf::new("http_get(url)", 1, response)
}

// ------------------------------------------------------- the executor

/// A waker that only counts how often it was woken.
#[derive(Default)]
pub struct CountingWaker(AtomicUsize);

impl CountingWaker {
    pub fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Polls `future` by hand until it is ready, noting each poll and what it
/// returned; returns the output and the number of polls.
///
/// Every leaf future here wakes its task before it returns `Pending`, so
/// polling again at once is what any executor would do. This one checks that
/// the wake-up really happened: without it a real executor would never poll
/// the future again.
pub fn step_by_step<F>(future: F) -> (F::Output, usize)
where
    F: Future,
    F::Output: fmt::Debug,
{
    let mut future = pin!(future);
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&counter));
    let mut cx = Context::from_waker(&waker);
    let mut polls = 0;
    loop {
        polls += 1;
        let wakes_before = counter.wakes();
        note(format!("  poll #{polls}"));
        match future.as_mut().poll(&mut cx) {
            Poll::Pending => {
                assert!(
                    counter.wakes() > wakes_before,
                    "Pending without a wake-up: nobody would poll again"
                );
                note("  ← Pending");
            }
            Poll::Ready(output) => {
                note(format!("  ← Ready({output:?})"));
                return (output, polls);
            }
        }
    }
}
