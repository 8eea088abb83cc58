use desugar_runtime::{desugar, yield_once};
async fn attempt(n: u32) -> Result<u32, String> {
    if n < 3 { Err(format!("attempt {n} failed")) } else { Ok(n) }
}
/// # State machine
///
/// The states of `Retry` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     Loop["Loop: top of the loop"]
///     WaitingForAttempt["WaitingForAttempt: waiting for attempt(n)"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(())"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| Loop
///     Loop -->|"runs on"| WaitingForAttempt
///     WaitingForAttempt -->|"Pending"| runtime
///     WaitingForAttempt -->|"attempt(n) Ready, return"| Done
///     WaitingForAttempt -->|"attempt(n) Ready"| WaitingForYieldOnce
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(()) Ready, loop back"| Loop
///     Done -->|"Ready(output)"| runtime
/// ```
fn retry(max: u32) -> impl ::core::future::Future<Output = Result<u32, String>> {
    /// The states of `retry`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum Retry<Max, N, AttemptFuture, E, YieldOnceFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { max: Max },
        /// At the top of the `loop`; keeps `max`, `n` for later.
        Loop { n: N, max: Max },
        /// Waiting for `attempt(n)`; keeps `max`, `n` for later.
        WaitingForAttempt {
            attempt_future: ::desugar_runtime::Awaitee<AttemptFuture>,
            n: N,
            max: Max,
        },
        /// Waiting for `yield_once(())`; keeps `max`, `n` for later. `e`: not read again, kept only to be dropped where its scope ends, and only if its type has a drop (`DropOnly`), as rustc does.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            e: ::desugar_runtime::DropOnly<E>,
            n: N,
            max: Max,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Max, N, AttemptFuture, E, YieldOnceFuture> ::desugar_runtime::Poison
    for Retry<Max, N, AttemptFuture, E, YieldOnceFuture> {
        fn poison(&mut self) {
            *self = Retry::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Max, N, AttemptFuture, E, YieldOnceFuture> ::core::marker::Send
    for Retry<Max, N, AttemptFuture, E, YieldOnceFuture>
    where
        Max: ::core::marker::Send,
        N: ::core::marker::Send,
        AttemptFuture: ::core::marker::Send,
        E: ::core::marker::Send,
        YieldOnceFuture: ::core::marker::Send,
    {}
    #[allow(
        unreachable_code,
        unused_mut,
        unused_variables,
        dropping_copy_types,
        irrefutable_let_patterns,
        clippy::all
    )]
    let machine = ::desugar_runtime::StateMachine::new(
        Retry::Start { max },
        |mut pinned, cx| -> ::core::task::Poll<Result<u32, String>> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    Retry::Start { .. } => {
                        let Retry::Start { max } = ::core::mem::replace(
                            state,
                            Retry::Poisoned,
                        ) else { ::core::unreachable!() };
                        let mut n = 0;
                        *state = Retry::Loop { n, max };
                        continue;
                    }
                    Retry::Loop { .. } => {
                        let Retry::Loop { max, mut n } = ::core::mem::replace(
                            state,
                            Retry::Poisoned,
                        ) else { ::core::unreachable!() };
                        n += 1;
                        *state = Retry::WaitingForAttempt {
                            attempt_future: ::desugar_runtime::Awaitee::new(attempt(n)),
                            n,
                            max,
                        };
                        continue;
                    }
                    Retry::WaitingForAttempt { attempt_future, .. } => {
                        let output1 = match unsafe {
                            ::core::pin::Pin::new_unchecked(attempt_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output1) => output1,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let Retry::WaitingForAttempt { max, mut n, .. } = ::core::mem::replace(
                            state,
                            Retry::Poisoned,
                        ) else { ::core::unreachable!() };
                        match output1 {
                            Ok(value) => {
                                let output = Ok(value);
                                *state = Retry::Done;
                                return ::core::task::Poll::Ready(output);
                            }
                            Err(e) if n < max => {
                                let mut e_dying = ::desugar_runtime::Dying::of(&e);
                                if ::desugar_runtime::needs_drop_of(&e) {
                                    e_dying.keep(e);
                                }
                                *state = Retry::WaitingForYieldOnce {
                                    yield_once_future: ::desugar_runtime::Awaitee::new(
                                        yield_once(()),
                                    ),
                                    e: e_dying.into_drop_only(),
                                    n,
                                    max,
                                };
                                continue;
                            }
                            Err(e) => {
                                let output = Err(e);
                                *state = Retry::Done;
                                return ::core::task::Poll::Ready(output);
                            }
                        }
                    }
                    Retry::WaitingForYieldOnce { yield_once_future, .. } => {
                        let output2 = match unsafe {
                            ::core::pin::Pin::new_unchecked(yield_once_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output2) => output2,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let Retry::WaitingForYieldOnce { max, mut n, e, .. } = ::core::mem::replace(
                            state,
                            Retry::Poisoned,
                        ) else { ::core::unreachable!() };
                        output2;
                        *state = Retry::Loop { n, max };
                        continue;
                    }
                    Retry::Done => ::core::panic!("`async fn` resumed after completion"),
                    Retry::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
