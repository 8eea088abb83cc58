//! Support shared by the seed examples and the test suites of `desugar`.
//!
//! The examples live in `examples/`, the behaviour, expansion and UI tests in
//! `tests/`. This library only holds what several of them need.
//!
//! # The behaviour harness
//!
//! Every behaviour test runs a desugared `async fn` next to its native twin,
//! both written from one copy of the source with [`twins!`], and compares
//! everything a program could observe ([`check`]):
//!
//! - the output, and whether (and with which message) a poll panics;
//! - the [`Log`] of side effects: values created, used and dropped
//!   ([`Noisy`]), leaf futures polled, finished and dropped ([`leaf`],
//!   [`tick`]), in order;
//! - the number of polls, under [`poll_to_completion`] with [`count_polls`];
//! - what happens when the future is polled again after it finished or
//!   panicked;
//! - cancellation: for every `n` below the number of polls, the log of a
//!   future polled `n` times and then dropped;
//! - `Send` and `Unpin`, and that the desugared future is not larger than
//!   the native one, at the call site ([`compare!`], [`is_send!`]).
//!
//! Compiled with `--cfg desugar_as_native`, [`twins!`] writes the
//! "desugared" twin without `#[desugar]`, as a second native copy: that runs
//! a suite for constructs the macro does not support yet, to check that the
//! suite itself is meaningful before the macro catches up
//! (`RUSTFLAGS='--cfg desugar_as_native' CARGO_TARGET_DIR=target/asnative
//! cargo test --test control_flow`).
//!
//! ```
//! use desugar_lessons::{Log, Noisy, check_twins, leaf, twins};
//!
//! twins! {
//!     async fn add_slowly(log: Log, a: u32, b: u32) -> u32 {
//!         let _guard = Noisy::new(&log, "guard");
//!         let x = leaf(&log, "x", 1, a).await;
//!         let y = leaf(&log, "y", 2, b).await;
//!         x + y
//!     }
//! }
//!
//! fn main() {
//!     let outcome = check_twins!(|log| add_slowly(log, 2, 3));
//!     assert_eq!(outcome.output, "5");
//!     assert_eq!(outcome.polls, 4);
//! }
//! ```

use std::any::Any;
use std::fmt::{self, Debug};
use std::future::Future;
use std::marker::{PhantomData, PhantomPinned};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

pub use desugar_runtime::{count_polls, desugar, poll_to_completion};

/// A shared, thread-safe record of events, in the order they happened.
///
/// Clones share the same record. Each twin of a pair gets its own `Log`, and
/// the two records are compared line by line.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<String>> {
        // A test that panicked while holding the lock must not hide what
        // was logged so far.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends an event.
    pub fn push(&self, event: impl Into<String>) {
        self.lock().push(event.into());
    }

    /// A copy of the events so far.
    pub fn events(&self) -> Vec<String> {
        self.lock().clone()
    }

    /// How many events were logged so far.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing was logged yet.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Whether some event is exactly `event`.
    pub fn contains(&self, event: &str) -> bool {
        self.lock().iter().any(|e| e == event)
    }
}

impl Debug for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.lock().iter()).finish()
    }
}

/// Logs `"{name}: eval"` and returns `value`: an operand whose evaluation
/// is visible (`f(eval(&log, "a", 1), g().await)`).
pub fn eval<T>(log: &Log, name: &str, value: T) -> T {
    log.push(format!("{name}: eval"));
    value
}

/// A value that logs its creation (`"{name}: new"`), every use
/// (`"{name}: use"`) and its drop (`"{name}: drop"`).
///
/// Two `Noisy` are equal when their names and values are; that is what lets
/// outputs holding them be compared across the two twins.
pub struct Noisy {
    name: String,
    value: u32,
    log: Log,
}

impl Noisy {
    /// A value named `name`, holding 0.
    pub fn new(log: &Log, name: &str) -> Self {
        Self::with(log, name, 0)
    }

    /// A value named `name`, holding `value`.
    pub fn with(log: &Log, name: &str, value: u32) -> Self {
        log.push(format!("{name}: new"));
        Noisy {
            name: name.to_owned(),
            value,
            log: log.clone(),
        }
    }

    /// Logs a use and returns the value held.
    pub fn touch(&self) -> u32 {
        self.log.push(format!("{}: use", self.name));
        self.value
    }

    /// Logs a use and adds `by` to the value held.
    pub fn bump(&mut self, by: u32) -> &mut Self {
        self.log.push(format!("{}: bump {by}", self.name));
        self.value += by;
        self
    }

    /// Logs a use and returns the value held, consuming (and so dropping)
    /// `self`.
    pub fn into_value(self) -> u32 {
        self.touch()
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value held, without logging.
    pub fn value(&self) -> u32 {
        self.value
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        self.log.push(format!("{}: drop", self.name));
    }
}

impl PartialEq for Noisy {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.value == other.value
    }
}

impl Debug for Noisy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Noisy({}={})", self.name, self.value)
    }
}

/// A leaf future that returns `Pending` `pendings` times (waking its task
/// each time, so any executor polls it again at once), then `Ready(value)`.
///
/// It logs every poll (`"{name}: poll"`), its completion (`"{name}: ready"`)
/// and its drop (`"{name}: drop future"`), so the log shows which sub-future
/// was alive when. Like most real futures it is `!Unpin`, and it holds
/// `Pin`'s promise to account: once polled, it must stay at that address
/// until it is dropped, or it logs `"{name}: moved after pinning"` (as a
/// timer or a lock waiter registered by address would break).
pub struct Leaf<T> {
    log: Log,
    name: String,
    pendings: usize,
    value: Option<T>,
    panics: bool,
    /// Where it was first polled (0 before that).
    pinned_at: usize,
    _pinned: PhantomPinned,
}

impl<T> Leaf<T> {
    /// Logs a move, if it was polled at another address than `self`'s.
    fn check_address(&mut self) {
        let here = self as *const Self as usize;
        if self.pinned_at == 0 {
            self.pinned_at = here;
        } else if self.pinned_at != here {
            self.log.push(format!("{}: moved after pinning", self.name));
            self.pinned_at = here;
        }
    }
}

/// A [`Leaf`] that yields `pendings` times, then produces `value`.
pub fn leaf<T>(log: &Log, name: &str, pendings: usize, value: T) -> Leaf<T> {
    Leaf {
        log: log.clone(),
        name: name.to_owned(),
        pendings,
        value: Some(value),
        panics: false,
        pinned_at: 0,
        _pinned: PhantomPinned,
    }
}

/// A [`Leaf`] that yields `pendings` times, then produces `()`.
pub fn tick(log: &Log, name: &str, pendings: usize) -> Leaf<()> {
    leaf(log, name, pendings, ())
}

/// A [`Leaf`] that yields `pendings` times, then panics with
/// `"{name} exploded"` instead of finishing.
pub fn boom(log: &Log, name: &str, pendings: usize) -> Leaf<()> {
    let mut future = leaf(log, name, pendings, ());
    future.panics = true;
    future
}

impl<T> Future for Leaf<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: no field is structurally pinned; `Leaf` is only `!Unpin`
        // to behave like the futures it stands for, and nothing is moved out
        // of it but `value` (an `Option` that is never pinned).
        let this = unsafe { self.get_unchecked_mut() };
        this.check_address();
        this.log.push(format!("{}: poll", this.name));
        if this.pendings > 0 {
            this.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if this.panics {
            panic!("{} exploded", this.name);
        }
        this.log.push(format!("{}: ready", this.name));
        Poll::Ready(
            this.value
                .take()
                .expect("a `Leaf` was polled after it finished"),
        )
    }
}

impl<T> Drop for Leaf<T> {
    fn drop(&mut self) {
        if self.pinned_at != 0 {
            self.check_address();
        }
        self.log.push(format!("{}: drop future", self.name));
    }
}

/// Marks the native twin of a method pair: `impl Counter<Native>`.
#[derive(Debug)]
pub enum Native {}

/// Marks the desugared twin of a method pair: `impl Counter<Desugared>`.
#[derive(Debug)]
pub enum Desugared {}

/// Writes one `async fn` twice from one copy of its source: as a native
/// `async fn` and with `#[desugar]`.
///
/// ```text
/// twins! { async fn name<G>(params) -> T { body } }
/// ```
///
/// defines `mod name { pub async fn native<G>(params) -> T { body }
/// #[desugar] pub async fn desugared<G>(params) -> T { body } }`; the module
/// sees its parent's items (`use super::*`). A first attribute
/// `#[desugar(args)]` goes to the desugared twin only:
/// `twins! { #[desugar(pin(items))] async fn name() { .. } }`.
///
/// For methods, make the type generic over a marker (`struct Counter<M>`,
/// with [`Native`] and [`Desugared`]) and write
///
/// ```text
/// twins! { impl Counter { async fn bump(&mut self) -> u32 { body } } }
/// ```
///
/// (one method per invocation) which defines the method on `Counter<Native>`
/// as written and on `Counter<Desugared>` with `#[desugar]`.
///
/// # `--cfg desugar_as_native`
///
/// Compiled with `--cfg desugar_as_native`, the "desugared" twin is written
/// *without* `#[desugar]`: it is a second native copy. A suite for a construct
/// the macro does not support yet can then be run, to check that it is
/// meaningful (it compiles, its own assertions hold for native code, the
/// harness finds both copies alike) before the macro supports it:
///
/// ```sh
/// RUSTFLAGS='--cfg desugar_as_native' CARGO_TARGET_DIR=target/asnative \
///     cargo test --test control_flow
/// ```
///
/// (The cfg is read when this library is compiled, so it must reach it, as
/// `RUSTFLAGS` does; use another target directory so that the normal build
/// is not thrown away.)
#[macro_export]
macro_rules! twins {
    (
        #[desugar($($args:tt)*)]
        $(#[$attr:meta])*
        async fn $name:ident $($rest:tt)*
    ) => {
        #[allow(dead_code, unused_imports, clippy::all)]
        mod $name {
            use super::*;

            $(#[$attr])*
            pub async fn native $($rest)*

            $crate::__desugared_twin! {
                @args($($args)*)
                $(#[$attr])*
                pub async fn desugared $($rest)*
            }
        }
    };
    (
        $(#[$attr:meta])*
        async fn $name:ident $($rest:tt)*
    ) => {
        $crate::twins! {
            #[desugar()]
            $(#[$attr])*
            async fn $name $($rest)*
        }
    };
    (
        impl $ty:ident {
            $(#[$attr:meta])*
            async fn $method:ident $($rest:tt)*
        }
    ) => {
        #[allow(dead_code, clippy::all)]
        impl $ty<$crate::Native> {
            $(#[$attr])*
            pub async fn $method $($rest)*
        }

        #[allow(dead_code, clippy::all)]
        impl $ty<$crate::Desugared> {
            $crate::__desugared_twin! {
                $(#[$attr])*
                pub async fn $method $($rest)*
            }
        }
    };
}

/// The desugared twin of [`twins!`], in a module only so that the cfg can
/// be allowed (it is set by hand, not by a Cargo feature).
#[allow(unexpected_cfgs)]
mod desugared_twin {
    /// The item with `#[desugar]` ...
    #[cfg(not(desugar_as_native))]
    #[doc(hidden)]
    #[macro_export]
    macro_rules! __desugared_twin {
        (@args($($args:tt)*) $($item:tt)*) => {
            #[$crate::desugar($($args)*)]
            $($item)*
        };
        ($($item:tt)*) => {
            #[$crate::desugar]
            $($item)*
        };
    }

    /// ... or, under `--cfg desugar_as_native`, the item as written (a
    /// second native copy).
    #[cfg(desugar_as_native)]
    #[doc(hidden)]
    #[macro_export]
    macro_rules! __desugared_twin {
        (@args($($args:tt)*) $($item:tt)*) => {
            $($item)*
        };
        ($($item:tt)*) => {
            $($item)*
        };
    }
}

/// What one pair did, as the native twin did it (the desugared twin did the
/// same, or [`check`] panicked).
#[derive(Debug)]
pub struct Outcome {
    /// The output, formatted with `{:?}`, or `panicked: {message}`.
    pub output: String,
    /// How many times the future was polled until it finished (or panicked).
    pub polls: usize,
    /// The log of the run under [`poll_to_completion`], output dropped.
    pub log: Vec<String>,
}

impl Outcome {
    /// Whether the log has exactly this event.
    pub fn logged(&self, event: &str) -> bool {
        self.log.iter().any(|e| e == event)
    }

    /// The position of `event` in the log; panics if it is not there.
    pub fn position(&self, event: &str) -> usize {
        self.log
            .iter()
            .position(|e| e == event)
            .unwrap_or_else(|| panic!("{event:?} not in the log {:#?}", self.log))
    }

    /// Asserts that `first` was logged before `second`.
    pub fn assert_before(&self, first: &str, second: &str) {
        assert!(
            self.position(first) < self.position(second),
            "expected {first:?} before {second:?} in {:#?}",
            self.log
        );
    }
}

/// The message of a panic payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic payload>".to_owned()
    }
}

/// Most polls a future gets in the step-by-step run before the harness
/// decides it never finishes.
const MAX_POLLS: usize = 10_000;

/// Runs `make(log)` under [`poll_to_completion`] and [`count_polls`];
/// returns the output (or panic message), the poll count, and the log with
/// the output dropped.
fn run<F>(make: &impl Fn(Log) -> F) -> (Result<F::Output, String>, Option<usize>, Log)
where
    F: Future,
{
    let log = Log::new();
    let future = make(log.clone());
    log.push("-- created");
    let result = catch_unwind(AssertUnwindSafe(|| poll_to_completion(count_polls(future))));
    match result {
        Ok((output, polls)) => {
            log.push("-- finished");
            (Ok(output), Some(polls), log)
        }
        Err(payload) => {
            let message = panic_message(&*payload);
            log.push(format!("-- panicked: {message}"));
            (Err(message), None, log)
        }
    }
}

/// Polls `make(log)` by hand with a no-op waker until it finishes or
/// panics, logging every result, then polls it once more (which must panic),
/// then drops it. Returns the log and the number of polls that returned
/// `Pending`.
fn step<F>(make: &impl Fn(Log) -> F) -> (Vec<String>, usize)
where
    F: Future,
    F::Output: Debug,
{
    let log = Log::new();
    let mut future = Box::pin(make(log.clone()));
    log.push("-- created");
    let mut cx = Context::from_waker(Waker::noop());
    let mut pendings = 0;
    let mut output = None;
    loop {
        assert!(pendings < MAX_POLLS, "the future never finishes");
        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
            Ok(Poll::Pending) => {
                pendings += 1;
                log.push("-- pending");
            }
            Ok(Poll::Ready(value)) => {
                log.push(format!("-- ready: {value:?}"));
                output = Some(value);
                break;
            }
            Err(payload) => {
                log.push(format!("-- panicked: {}", panic_message(&*payload)));
                break;
            }
        }
    }
    // Polling a finished or poisoned `async fn` again must panic.
    match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
        Ok(Poll::Pending) => log.push("-- polled again: pending"),
        Ok(Poll::Ready(value)) => log.push(format!("-- polled again: ready: {value:?}")),
        Err(payload) => log.push(format!(
            "-- polled again: panicked: {}",
            panic_message(&*payload)
        )),
    }
    drop(future);
    log.push("-- future dropped");
    drop(output);
    log.push("-- output dropped");
    (log.events(), pendings)
}

/// Polls `make(log)` `polls` times with a no-op waker, then drops it;
/// returns the log.
fn cancel<F>(make: &impl Fn(Log) -> F, polls: usize) -> Vec<String>
where
    F: Future,
    F::Output: Debug,
{
    let log = Log::new();
    let mut future = Box::pin(make(log.clone()));
    log.push("-- created");
    let mut cx = Context::from_waker(Waker::noop());
    let mut output = None;
    for _ in 0..polls {
        match future.as_mut().poll(&mut cx) {
            Poll::Pending => log.push("-- pending"),
            Poll::Ready(value) => {
                log.push(format!("-- ready: {value:?}"));
                output = Some(value);
                break;
            }
        }
    }
    drop(future);
    log.push("-- future dropped");
    drop(output);
    log.events()
}

/// Compares two logs and says which phase differed.
#[track_caller]
fn same_log(phase: &str, native: &[String], desugared: &[String]) {
    if native != desugared {
        let first = native
            .iter()
            .zip(desugared)
            .position(|(n, d)| n != d)
            .unwrap_or(native.len().min(desugared.len()));
        panic!(
            "{phase}: the logs differ from event #{first} on\n\
             native:    {native:#?}\n\
             desugared: {desugared:#?}"
        );
    }
}

/// Runs a native future and its desugared twin side by side and panics if
/// anything observable differs; returns what the native one did.
///
/// `native` and `desugared` build the two futures; each is called with a
/// fresh [`Log`] for every run. The phases, each compared separately:
///
/// 1. run: under [`poll_to_completion`] + [`count_polls`] (catching a
///    panic): output or panic message, poll count, log (with the output
///    dropped at the end);
/// 2. step: polled by hand with a no-op waker, every `Pending`/`Ready`/
///    panic logged, then polled once more after it finished or panicked
///    (both must panic the same way), then dropped;
/// 3. cancel: for every `n` below the number of `Pending` polls, polled `n`
///    times and dropped.
///
/// `Send`/`Unpin` cannot be checked here (the types are generic): use
/// [`compare!`] or [`check_twins!`], which also do that.
#[track_caller]
pub fn check<T, FN, FD>(native: impl Fn(Log) -> FN, desugared: impl Fn(Log) -> FD) -> Outcome
where
    FN: Future<Output = T>,
    FD: Future<Output = T>,
    T: PartialEq + Debug,
{
    // 1. run
    let (n_out, n_polls, n_log) = run(&native);
    let (d_out, d_polls, d_log) = run(&desugared);
    assert_eq!(n_out, d_out, "run: the outputs differ (native, desugared)");
    assert_eq!(
        n_polls, d_polls,
        "run: the poll counts differ (native, desugared)"
    );
    let output = match &n_out {
        Ok(value) => format!("{value:?}"),
        Err(message) => format!("panicked: {message}"),
    };
    drop(n_out);
    n_log.push("-- output dropped");
    drop(d_out);
    d_log.push("-- output dropped");
    same_log("run", &n_log.events(), &d_log.events());

    // 2. step
    let (n_steps, n_pendings) = step(&native);
    let (d_steps, d_pendings) = step(&desugared);
    same_log("step", &n_steps, &d_steps);
    assert_eq!(n_pendings, d_pendings, "step: the number of `Pending`s");
    if let Some(polls) = n_polls {
        assert_eq!(
            polls,
            n_pendings + 1,
            "a no-op waker and a real one should see the same number of polls"
        );
    }

    // 3. cancel
    for n in 0..=n_pendings {
        same_log(
            &format!("cancel after {n} polls"),
            &cancel(&native, n),
            &cancel(&desugared, n),
        );
    }

    Outcome {
        output,
        polls: n_pendings + 1,
        log: n_log.events(),
    }
}

/// The `Send`/`Unpin` probe behind [`is_send!`] and [`is_unpin!`].
///
/// Autoref specialisation: in `(&probe).method()` the receiver `&Probe<T>`
/// first matches `&self` methods of traits implemented for `Probe<T>`; the
/// `...Yes` impls only exist when `T` has the auto trait. Otherwise method
/// lookup autorefs once more and finds the `...No` impls for `&Probe<T>`.
/// It only works where `T` is a concrete type, hence the macros.
pub struct Probe<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> Probe<T> {
    /// A probe for the type of `value`.
    pub fn of(_: &T) -> Self {
        Probe(PhantomData)
    }

    /// A probe for the type the factory `make` returns.
    pub fn returned<A, F: Fn(A) -> T>(_: &F) -> Self
    where
        T: Sized,
    {
        Probe(PhantomData)
    }
}

#[doc(hidden)]
pub trait SendYes {
    fn is_send(&self) -> bool {
        true
    }
}
impl<T: ?Sized + Send> SendYes for Probe<T> {}

#[doc(hidden)]
pub trait SendNo {
    fn is_send(&self) -> bool {
        false
    }
}
impl<T: ?Sized> SendNo for &Probe<T> {}

#[doc(hidden)]
pub trait UnpinYes {
    fn is_unpin(&self) -> bool {
        true
    }
}
impl<T: ?Sized + Unpin> UnpinYes for Probe<T> {}

#[doc(hidden)]
pub trait UnpinNo {
    fn is_unpin(&self) -> bool {
        false
    }
}
impl<T: ?Sized> UnpinNo for &Probe<T> {}

/// Whether the type of the expression is `Send` (the expression is only
/// borrowed, never evaluated twice). Works on concrete types only.
#[macro_export]
macro_rules! is_send {
    ($value:expr) => {{
        #[allow(unused_imports)]
        use $crate::{SendNo as _, SendYes as _};
        (&$crate::Probe::of(&$value)).is_send()
    }};
}

/// Whether the type of the expression is `Unpin`. Works on concrete types
/// only.
#[macro_export]
macro_rules! is_unpin {
    ($value:expr) => {{
        #[allow(unused_imports)]
        use $crate::{UnpinNo as _, UnpinYes as _};
        (&$crate::Probe::of(&$value)).is_unpin()
    }};
}

/// Asserts at compile time that the value's type is `Send`.
pub fn assert_send<T: Send>(_: &T) {}

/// Like [`check`], and also checks that both futures have the same
/// `Send`-ness and are both `!Unpin`, like every native `async fn` future,
/// and that the desugared future is never larger than the native one
/// (`size_of_val` of one unpolled future of each).
///
/// ```text
/// compare!(|log| native_expr, |log| desugared_expr)
/// ```
#[macro_export]
macro_rules! compare {
    (|$log:ident| $native:expr, |$log2:ident| $desugared:expr $(,)?) => {{
        let native = move |$log: $crate::Log| $native;
        let desugared = move |$log2: $crate::Log| $desugared;
        {
            #[allow(unused_imports)]
            use $crate::{SendNo as _, SendYes as _, UnpinNo as _, UnpinYes as _};
            let n = $crate::Probe::returned(&native);
            let d = $crate::Probe::returned(&desugared);
            assert_eq!(
                (&n).is_send(),
                (&d).is_send(),
                "`Send`-ness differs (native, desugared)"
            );
            assert!(!(&n).is_unpin(), "the native future is `Unpin`?");
            assert!(!(&d).is_unpin(), "the desugared future is `Unpin`");
        }
        {
            // Created and dropped unpolled, each with a fresh `Log` that is
            // thrown away.
            let n = native($crate::Log::new());
            let d = desugared($crate::Log::new());
            let (n_size, d_size) = (::std::mem::size_of_val(&n), ::std::mem::size_of_val(&d));
            assert!(
                d_size <= n_size,
                "the desugared future is larger than the native one: {d_size} bytes, native {n_size} bytes"
            );
        }
        $crate::check(native, desugared)
    }};
}

/// [`compare!`] for a pair defined with [`twins!`]:
/// `check_twins!(|log| name(args))` compares `name::native(args)` with
/// `name::desugared(args)`; `args` may use `log`.
#[macro_export]
macro_rules! check_twins {
    (|$log:ident| $name:ident ( $($args:tt)* )) => {
        $crate::compare!(
            |$log| $name::native($($args)*),
            |$log| $name::desugared($($args)*)
        )
    };
}

/// [`compare!`] for a method pair defined with [`twins!`] on a type
/// generic over a marker: `check_methods!(|log, M| expr)` compares `expr`
/// with `M` = [`Native`] and with `M` = [`Desugared`].
#[macro_export]
macro_rules! check_methods {
    (|$log:ident, $m:ident| $e:expr) => {
        $crate::compare!(
            |$log| {
                #[allow(dead_code)]
                type $m = $crate::Native;
                $e
            },
            |$log| {
                #[allow(dead_code)]
                type $m = $crate::Desugared;
                $e
            }
        )
    };
}
