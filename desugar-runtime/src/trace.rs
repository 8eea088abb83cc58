//! The poll trace: watch a desugared future run, poll by poll.
//!
//! In: the events a `#[desugar(trace)]` machine reports while it is polled
//! (the state it enters, the sub-future it polls, `Ready`, `Pending`, its
//! return). Out: a [`Trace`], one [`Poll`] per call of `poll`, printed in
//! the seed's format, from [`trace_to_completion`] or from the [`traced`]
//! wrapper under any executor; or, with no wrapper around, one line per poll
//! in the file named by `DESUGAR_TRACE_FILE`.
//!
//! # Before and after
//!
//! ```
//! use desugar_runtime::{desugar, trace::trace_to_completion, yield_once};
//!
//! #[desugar(trace)]
//! async fn add_slowly(a: u32, b: u32) -> u32 {
//!     let x = yield_once(a).await;
//!     let y = yield_once(b).await;
//!     x + y
//! }
//!
//! // Without `trace` the machine is the same, minus the trace calls: each
//! // arm of its `match` now starts with `trace::enter("WaitingForX")`, polls
//! // its sub-future after `trace::poll("yield_once")`, and so on.
//! let (sum, trace) = trace_to_completion(add_slowly(2, 3));
//! assert_eq!(sum, 5);
//! assert_eq!(
//!     trace.to_string(),
//!     "poll #1: Start → WaitingForX → poll yield_once → Pending\n\
//!      poll #2: WaitingForX → poll yield_once → Ready(x) → WaitingForY → poll yield_once → Pending\n\
//!      poll #3: WaitingForY → poll yield_once → Ready(y) → Done → return Ready(x + y)\n"
//! );
//! ```
//!
//! # The format
//!
//! One line per poll: `poll #N: ` and the steps of that poll, joined by
//! ` → `:
//!
//! | step | written | when |
//! |---|---|---|
//! | [`Step::Enter`] | `WaitingForUrl` | the machine is in (or goes to) that state: the first step of each poll names the state it resumes in |
//! | [`Step::Poll`] | `poll build_url` | it polls the sub-future of an `.await` (named by the callee, or short source text) |
//! | [`Step::Ready`] | `Ready(url)` / `Ready` | that sub-future was ready; its output is bound to `url` (or to no single name) |
//! | [`Step::Pending`] | `Pending` | the poll returns `Pending` |
//! | [`Step::Return`] | `Done → return Ready(response.body)` | the function returns (its end, or `return`) |
//! | [`Step::Residual`] | `parse(line)? → Done → return Ready(residual)` | a `?` returns early |
//! | [`Step::Panicked`] | `panicked` | the poll panicked |
//!
//! A desugared `#[desugar(trace)]` function polled *during* a poll of
//! another one (it awaits it) gets its own lines, right below the line of
//! the poll they happened in, indented by two spaces per level and
//! prefixed with the function's name:
//!
//! ```text
//! poll #1: Start → WaitingForTotal → poll add_slowly → Pending
//!   add_slowly poll #1: Start → WaitingForX → poll yield_once → Pending
//! ```
//!
//! The top-level lines are prefixed with the function's name too when they
//! come from more than one function (a plain `async` block awaiting two
//! traced functions).
//!
//! # How it works, and what it costs
//!
//! [`traced`] wraps a future; each time it is polled, it installs a
//! recorder in a thread-local for the length of that one call of `poll`,
//! then takes what was recorded. So it works on whatever thread polls it:
//! under tokio's `current_thread` and `multi_thread` runtimes alike. A
//! `#[desugar(trace)]` machine reports its events to the recorder of the
//! thread that polls it, if there is one. Work polled elsewhere (a task it
//! spawns) is not in the trace.
//!
//! Without `trace` in the attribute the generated code has no trace calls
//! at all: nothing here costs anything. With `trace`, and no recorder
//! installed, each event is one thread-local read and nothing else, unless
//! `DESUGAR_TRACE_FILE` is set.
//!
//! # `DESUGAR_TRACE_FILE`
//!
//! When the environment variable `DESUGAR_TRACE_FILE` is set (when the
//! program starts: it is read once) and a `#[desugar(trace)]` machine is
//! polled with no recorder installed, each poll, once it is finished, is
//! appended to that file (created if needed) as one line:
//!
//! ```text
//! <fn name>\t<the poll line>\n
//! ```
//!
//! for example `fetch_data\tpoll #1: Start → WaitingForUrl → poll build_url
//! → Pending` (one line, a tab after the name). Polls of functions awaited
//! by others are lines of their own, written when they finish (so before
//! the line of the poll they happened in). Each line is written with one
//! `write` call in append mode. This lets a tool record the trace of a
//! whole program by running it; errors writing the file are reported once
//! on stderr and otherwise ignored.

use core::fmt;
use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll as TaskPoll};
use std::cell::RefCell;
use std::string::String;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::vec::Vec;

/// What happened during one poll of a traced function, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The machine is in, or goes to, this state (`WaitingForUrl`).
    Enter(&'static str),
    /// It polls the sub-future of an `.await`, named by its callee or short
    /// source text (`build_url`).
    Poll(&'static str),
    /// That sub-future was ready, and its output is bound to this name
    /// (`Some("url")`), or to no single name.
    Ready(Option<&'static str>),
    /// The poll returns `Pending`.
    Pending,
    /// The function returns this expression (as written, shortened): it is
    /// `Done` and the poll returns `Ready`.
    Return(&'static str),
    /// A `?` on this expression returns early with its residual (an `Err`,
    /// a `None`).
    Residual(&'static str),
    /// The poll panicked.
    Panicked,
    /// A traced function polled during this poll, with what it did.
    Nested(Poll),
}

impl fmt::Display for Step {
    /// The step as it appears in a poll line; a [`Step::Nested`] poll shows
    /// as its own line (`add_slowly poll #1: ...`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Enter(state) => f.write_str(state),
            Step::Poll(future) => write!(f, "poll {future}"),
            Step::Ready(Some(binding)) => write!(f, "Ready({binding})"),
            Step::Ready(None) => f.write_str("Ready"),
            Step::Pending => f.write_str("Pending"),
            Step::Return(value) => write!(f, "Done → return Ready({value})"),
            Step::Residual(expr) => write!(f, "{expr}? → Done → return Ready(residual)"),
            Step::Panicked => f.write_str("panicked"),
            Step::Nested(poll) => write!(f, "{} {poll}", poll.function),
        }
    }
}

/// One call of `poll` on a traced function's machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    function: &'static str,
    number: usize,
    steps: Vec<Step>,
}

impl Poll {
    /// The name of the function (`fetch_data`).
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// Which poll of this machine it was, from 1.
    pub fn number(&self) -> usize {
        self.number
    }

    /// Its steps, in order, nested polls included.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The polls of other traced functions made during this one.
    pub fn nested(&self) -> impl Iterator<Item = &Poll> {
        self.steps.iter().filter_map(|step| match step {
            Step::Nested(poll) => Some(poll),
            _ => None,
        })
    }

    /// Whether this poll returned `Ready`.
    pub fn is_ready(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s, Step::Return(_) | Step::Residual(_)))
    }

    fn write_lines(&self, f: &mut fmt::Formatter<'_>, depth: usize, named: bool) -> fmt::Result {
        for _ in 0..depth {
            f.write_str("  ")?;
        }
        if named {
            write!(f, "{} ", self.function)?;
        }
        writeln!(f, "{self}")?;
        for nested in self.nested() {
            nested.write_lines(f, depth + 1, true)?;
        }
        Ok(())
    }
}

impl fmt::Display for Poll {
    /// The poll line: `poll #2: WaitingForUrl → poll build_url → Ready(url)
    /// → WaitingForResponse → poll http_get → Pending` (nested polls are
    /// left out: [`Trace`]'s `Display` shows them on lines of their own).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "poll #{}:", self.number)?;
        let mut first = true;
        for step in &self.steps {
            if matches!(step, Step::Nested(_)) {
                continue;
            }
            f.write_str(if first { " " } else { " → " })?;
            first = false;
            write!(f, "{step}")?;
        }
        Ok(())
    }
}

/// The polls of a traced run, in the order they finished (see the
/// [module docs](self) for the format).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    polls: Vec<Poll>,
}

impl Trace {
    /// The top-level polls: those of the traced functions polled directly
    /// by the wrapped future (most often, the wrapped future itself).
    pub fn polls(&self) -> &[Poll] {
        &self.polls
    }

    /// Whether nothing was recorded (no `#[desugar(trace)]` function ran).
    pub fn is_empty(&self) -> bool {
        self.polls.is_empty()
    }

    /// The lines of [`Display`](fmt::Display), without their newlines.
    pub fn lines(&self) -> Vec<String> {
        std::string::ToString::to_string(self)
            .lines()
            .map(String::from)
            .collect()
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = self
            .polls
            .iter()
            .any(|p| p.function != self.polls[0].function);
        for poll in &self.polls {
            poll.write_lines(f, 0, named)?;
        }
        Ok(())
    }
}

/// Runs `future` on this thread (like
/// [`poll_to_completion`](crate::poll_to_completion)) and returns its output
/// with the trace of its polls.
///
/// # Panics
///
/// If the future panics: the trace up to the panic (its last poll ends in
/// `panicked`) is printed to stderr first, then the panic goes on with its
/// own payload. To look at that trace in code, poll a [`traced`] future
/// inside `catch_unwind` and read [`Traced::trace`].
pub fn trace_to_completion<F: IntoFuture>(future: F) -> (F::Output, Trace) {
    let mut future = core::pin::pin!(traced(future));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::poll_to_completion(future.as_mut())
    }));
    match result {
        Ok(done) => done,
        Err(payload) => {
            std::eprint!("the trace up to the panic:\n{}", future.trace());
            std::panic::resume_unwind(payload)
        }
    }
}

/// Wraps `future` so that its output comes with the [`Trace`] of the
/// `#[desugar(trace)]` functions it polls: `(output, trace)`. Works under
/// any executor, on any thread.
///
/// ```
/// use desugar_runtime::{desugar, poll_to_completion, trace::traced, yield_once};
///
/// #[desugar(trace)]
/// async fn double(n: u32) -> u32 {
///     let m = yield_once(n).await;
///     m * 2
/// }
/// let (value, trace) = poll_to_completion(traced(double(4)));
/// assert_eq!(value, 8);
/// assert_eq!(trace.polls().len(), 2);
/// assert_eq!(
///     trace.polls()[1].to_string(),
///     "poll #2: WaitingForM → poll yield_once → Ready(m) → Done → return Ready(m * 2)"
/// );
/// ```
pub fn traced<F: IntoFuture>(future: F) -> Traced<F::IntoFuture> {
    Traced {
        future: future.into_future(),
        trace: Trace::default(),
    }
}

/// The future returned by [`traced`].
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Traced<F> {
    future: F,
    trace: Trace,
}

impl<F> Traced<F> {
    /// What has been recorded so far (also after a poll panicked: its last
    /// poll then ends in [`Step::Panicked`]). Empty once the output (which
    /// carries the trace) has been returned.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }
}

impl<F: Future> Future for Traced<F> {
    type Output = (F::Output, Trace);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> TaskPoll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is only reached
        // through the `Pin::new_unchecked` below and never moved; `trace`
        // is not pinned (it is moved out with `mem::take`).
        let this = unsafe { self.get_unchecked_mut() };
        let poll = {
            // Installed for this one call; put back (and what was recorded
            // kept) when the guard drops, also if the poll panics.
            let _recorder = Recorder::install(&mut this.trace);
            // SAFETY: see above.
            unsafe { Pin::new_unchecked(&mut this.future) }.poll(cx)
        };
        poll.map(|output| (output, core::mem::take(&mut this.trace)))
    }
}

/// What the thread-local holds.
struct Recording {
    /// `Some` while a [`Traced`] is polling on this thread: the finished
    /// top-level polls.
    polls: Option<Vec<Poll>>,
    /// The polls in progress, innermost last.
    frames: Vec<Poll>,
}

std::thread_local! {
    static RECORDING: RefCell<Recording> = const {
        RefCell::new(Recording { polls: None, frames: Vec::new() })
    };
}

/// A recorder installed for one poll of a [`Traced`]: restores the one it
/// replaced when dropped, after moving the recorded polls to the trace.
struct Recorder<'a> {
    previous: Option<Recording>,
    trace: &'a mut Trace,
}

impl<'a> Recorder<'a> {
    fn install(trace: &'a mut Trace) -> Self {
        let fresh = Recording {
            polls: Some(Vec::new()),
            frames: Vec::new(),
        };
        let previous = RECORDING.with(|r| r.replace(fresh));
        Recorder {
            previous: Some(previous),
            trace,
        }
    }
}

impl Drop for Recorder<'_> {
    fn drop(&mut self) {
        let previous = self.previous.take().expect("restored once");
        // `try_with`: nothing to restore while the thread is being torn down.
        if let Ok(recorded) = RECORDING.try_with(|r| r.replace(previous)) {
            self.trace.polls.extend(recorded.polls.unwrap_or_default());
        }
    }
}

/// The file named by `DESUGAR_TRACE_FILE`, read once.
fn trace_file() -> Option<&'static std::path::Path> {
    static FILE: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    FILE.get_or_init(|| std::env::var_os("DESUGAR_TRACE_FILE").map(Into::into))
        .as_deref()
}

fn write_line(path: &std::path::Path, poll: &Poll) {
    use std::io::Write;
    static REPORTED: AtomicBool = AtomicBool::new(false);
    let line = std::format!("{}\t{poll}\n", poll.function);
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(line.as_bytes()));
    if let Err(error) = written {
        if !REPORTED.swap(true, Ordering::Relaxed) {
            std::eprintln!(
                "desugar_runtime::trace: cannot write DESUGAR_TRACE_FILE={}: {error}",
                path.display()
            );
        }
    }
}

/// Records `step` in the poll in progress on this thread, if any.
fn record(step: Step) {
    let _ = RECORDING.try_with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            if let Some(frame) = r.frames.last_mut() {
                frame.steps.push(step);
            }
        }
    });
}

/// One poll of a traced machine in progress: ends it when dropped.
struct Frame {
    active: bool,
}

impl Frame {
    fn begin(function: &'static str, number: usize) -> Frame {
        let active = RECORDING
            .try_with(|r| {
                let mut r = r.borrow_mut();
                let active = r.polls.is_some() || trace_file().is_some();
                if active {
                    r.frames.push(Poll {
                        function,
                        number,
                        steps: Vec::new(),
                    });
                }
                active
            })
            .unwrap_or(false);
        Frame { active }
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        if !self.active {
            return;
        }
        if std::thread::panicking() {
            record(Step::Panicked);
        }
        let _ = RECORDING.try_with(|r| {
            let mut r = r.borrow_mut();
            let r = &mut *r;
            let Some(poll) = r.frames.pop() else { return };
            match (&mut r.polls, r.frames.last_mut()) {
                (None, _) => {
                    if let Some(path) = trace_file() {
                        write_line(path, &poll);
                    }
                }
                (Some(_), Some(parent)) => parent.steps.push(Step::Nested(poll)),
                (Some(polls), None) => polls.push(poll),
            }
        });
    }
}

/// The machine of a `#[desugar(trace)]` function: like
/// [`StateMachine::new`](crate::StateMachine::new), with `step` wrapped so
/// that each poll is reported (numbered from 1, ending in `Pending` or with
/// the function's return, or `panicked`). `function` is the function's
/// name. Generated code calls it; the steps are reported by [`enter`],
/// [`poll`], [`ready_as`], [`ready`], [`done`] and [`residual`].
pub fn machine<S, T>(
    function: &'static str,
    initial: S,
    mut step: impl FnMut(Pin<&mut S>, &mut Context<'_>) -> TaskPoll<T>,
) -> crate::StateMachine<S, impl FnMut(Pin<&mut S>, &mut Context<'_>) -> TaskPoll<T>> {
    let mut polls = 0;
    crate::StateMachine::new(initial, move |state: Pin<&mut S>, cx: &mut Context<'_>| {
        polls += 1;
        let _frame = Frame::begin(function, polls);
        let poll = step(state, cx);
        if poll.is_pending() {
            record(Step::Pending);
        }
        poll
    })
}

/// Reports that the machine is in, or goes to, `state`.
pub fn enter(state: &'static str) {
    record(Step::Enter(state));
}

/// Reports that the machine polls the sub-future `future` (its callee, or
/// short source text).
pub fn poll(future: &'static str) {
    record(Step::Poll(future));
}

/// Reports that the sub-future was ready and its output goes to `binding`.
pub fn ready_as(binding: &'static str) {
    record(Step::Ready(Some(binding)));
}

/// Reports that the sub-future was ready (its output has no single name).
pub fn ready() {
    record(Step::Ready(None));
}

/// Reports that the function returns `value` (as written, shortened).
pub fn done(value: &'static str) {
    record(Step::Return(value));
}

/// Reports that `expr?` returns early.
pub fn residual(expr: &'static str) {
    record(Step::Residual(expr));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poll_to_completion;
    use std::string::ToString;

    /// A hand-written traced machine: `Pending` `n` times, then `Ready(n)`.
    fn countdown(function: &'static str, n: u32) -> impl Future<Output = u32> {
        struct State(u32, u32);
        impl crate::Poison for State {
            fn poison(&mut self) {}
        }
        machine(function, State(n, n), |state: Pin<&mut State>, cx| {
            // SAFETY: `State` holds no pinned data; it is only mutated in place.
            let state = unsafe { state.get_unchecked_mut() };
            enter(if state.0 == state.1 {
                "Start"
            } else {
                "Waiting"
            });
            poll("tick");
            if state.0 == 0 {
                ready();
                done("n");
                return TaskPoll::Ready(state.1);
            }
            state.0 -= 1;
            cx.waker().wake_by_ref();
            TaskPoll::Pending
        })
    }

    #[test]
    fn a_hand_written_machine_is_traced() {
        let (n, trace) = trace_to_completion(countdown("countdown", 1));
        assert_eq!(n, 1);
        assert_eq!(
            trace.to_string(),
            "poll #1: Start → poll tick → Pending\n\
             poll #2: Waiting → poll tick → Ready → Done → return Ready(n)\n"
        );
    }

    #[test]
    fn nothing_is_recorded_without_a_recorder() {
        // (DESUGAR_TRACE_FILE is not set for the unit tests.)
        assert_eq!(poll_to_completion(countdown("countdown", 2)), 2);
        RECORDING.with(|r| {
            let r = r.borrow();
            assert!(r.polls.is_none() && r.frames.is_empty());
        });
    }

    #[test]
    fn a_traced_future_without_traced_machines_has_an_empty_trace() {
        let (value, trace) = poll_to_completion(traced(crate::yield_once(3)));
        assert_eq!(value, 3);
        assert!(trace.is_empty());
        assert_eq!(trace.lines(), std::vec::Vec::<String>::new());
    }

    #[test]
    fn nested_traced_wrappers_keep_their_own_polls() {
        let outer = async {
            let (inner, inner_trace) = traced(countdown("inner", 1)).await;
            let mine = countdown("mine", 0).await;
            (inner + mine, inner_trace)
        };
        let ((sum, inner_trace), outer_trace) = poll_to_completion(traced(outer));
        assert_eq!(sum, 1);
        assert_eq!(inner_trace.polls().len(), 2);
        assert!(inner_trace.polls().iter().all(|p| p.function() == "inner"));
        assert_eq!(outer_trace.polls().len(), 1);
        assert_eq!(outer_trace.polls()[0].function(), "mine");
    }

    #[test]
    fn the_file_line_format() {
        let poll = Poll {
            function: "f",
            number: 2,
            steps: std::vec![
                Step::Enter("WaitingForX"),
                Step::Poll("g"),
                Step::Ready(Some("x")),
                Step::Nested(Poll {
                    function: "g",
                    number: 1,
                    steps: std::vec![Step::Pending],
                }),
                Step::Residual("h(x)"),
            ],
        };
        assert_eq!(
            poll.to_string(),
            "poll #2: WaitingForX → poll g → Ready(x) → h(x)? → Done → return Ready(residual)"
        );
        let trace = Trace {
            polls: std::vec![poll],
        };
        assert_eq!(
            trace.lines(),
            [
                "poll #2: WaitingForX → poll g → Ready(x) → h(x)? → Done → return Ready(residual)",
                "  g poll #1: Pending",
            ]
        );
    }
}
