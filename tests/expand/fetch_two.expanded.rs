use desugar_runtime::desugar;
/// # State machine
///
/// The states of `FetchTwo` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForR1["WaitingForR1: waiting for fetch(a)"]
///     WaitingForR2["WaitingForR2: waiting for fetch(b)"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForR1
///     WaitingForR1 -->|"Pending"| runtime
///     WaitingForR1 -->|"fetch(a) Ready, ? error"| Done
///     WaitingForR1 -->|"fetch(a) Ready"| WaitingForR2
///     WaitingForR2 -->|"Pending"| runtime
///     WaitingForR2 -->|"fetch(b) Ready, ? error"| Done
///     WaitingForR2 -->|"fetch(b) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn fetch_two<'life0, 'life1>(
    a: &'life0 str,
    b: &'life1 str,
) -> impl ::core::future::Future<
    Output = Result<(Bytes, Bytes), Error>,
> + ::desugar_runtime::Captures<(&'life0 (), &'life1 ())> {
    /// The states of `fetch_two`: `Start`, one state per `.await`, and `Done`.
    enum FetchTwo<A, B, FetchFuture, R1, FetchFuture2> {
        /// Created, not polled yet: holds the arguments.
        Start { a: A, b: B },
        /// Waiting for `fetch(a)`; keeps `b` for later.
        WaitingForR1 { fetch_future: ::desugar_runtime::Awaitee<FetchFuture>, b: B },
        /// Waiting for `fetch(b)`; keeps `r1` for later.
        WaitingForR2 { fetch_future: ::desugar_runtime::Awaitee<FetchFuture2>, r1: R1 },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<A, B, FetchFuture, R1, FetchFuture2> ::desugar_runtime::Poison
    for FetchTwo<A, B, FetchFuture, R1, FetchFuture2> {
        fn poison(&mut self) {
            *self = FetchTwo::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<A, B, FetchFuture, R1, FetchFuture2> ::core::marker::Send
    for FetchTwo<A, B, FetchFuture, R1, FetchFuture2>
    where
        A: ::core::marker::Send,
        B: ::core::marker::Send,
        FetchFuture: ::core::marker::Send,
        R1: ::core::marker::Send,
        FetchFuture2: ::core::marker::Send,
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
        FetchTwo::Start { a, b },
        |mut pinned, cx| -> ::core::task::Poll<Result<(Bytes, Bytes), Error>> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    FetchTwo::Start { .. } => {
                        let FetchTwo::Start { a, b } = ::core::mem::replace(
                            state,
                            FetchTwo::Poisoned,
                        ) else { ::core::unreachable!() };
                        *state = FetchTwo::WaitingForR1 {
                            fetch_future: ::desugar_runtime::Awaitee::new(fetch(a)),
                            b,
                        };
                        continue;
                    }
                    FetchTwo::WaitingForR1 { fetch_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(fetch_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let FetchTwo::WaitingForR1 { b, .. } = ::core::mem::replace(
                            state,
                            FetchTwo::Poisoned,
                        ) else { ::core::unreachable!() };
                        let r1 = match ::desugar_runtime::Try::branch(output) {
                            ::core::ops::ControlFlow::Continue(value) => value,
                            ::core::ops::ControlFlow::Break(residual) => {
                                *state = FetchTwo::Done;
                                return ::core::task::Poll::Ready(
                                    ::desugar_runtime::FromResidual::from_residual(residual),
                                );
                            }
                        };
                        *state = FetchTwo::WaitingForR2 {
                            fetch_future: ::desugar_runtime::Awaitee::new(fetch(b)),
                            r1,
                        };
                        continue;
                    }
                    FetchTwo::WaitingForR2 { fetch_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(fetch_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let FetchTwo::WaitingForR2 { r1, .. } = ::core::mem::replace(
                            state,
                            FetchTwo::Poisoned,
                        ) else { ::core::unreachable!() };
                        let r2 = match ::desugar_runtime::Try::branch(output) {
                            ::core::ops::ControlFlow::Continue(value) => value,
                            ::core::ops::ControlFlow::Break(residual) => {
                                *state = FetchTwo::Done;
                                return ::core::task::Poll::Ready(
                                    ::desugar_runtime::FromResidual::from_residual(residual),
                                );
                            }
                        };
                        let output = Ok((r1, r2));
                        *state = FetchTwo::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    FetchTwo::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    FetchTwo::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
