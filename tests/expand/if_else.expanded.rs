use desugar_runtime::{desugar, yield_once};
/// # State machine
///
/// The states of `Pick` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(a)"]
///     AfterIf["AfterIf: after the if"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForYieldOnce
///     Start -->|"first poll, join"| AfterIf
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(a) Ready, join"| AfterIf
///     AfterIf -->|"return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn pick(first: bool, a: u32, b: u32) -> impl ::core::future::Future<Output = u32> {
    /// The states of `pick`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum Pick<First, A, B, YieldOnceFuture, Value> {
        /// Created, not polled yet: holds the arguments.
        Start { first: First, a: A, b: B },
        /// Waiting for `yield_once(a)`.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
        },
        /// After the `if`; keeps `value` for later.
        AfterIf { value: Value },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<First, A, B, YieldOnceFuture, Value> ::desugar_runtime::Poison
    for Pick<First, A, B, YieldOnceFuture, Value> {
        fn poison(&mut self) {
            *self = Pick::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<First, A, B, YieldOnceFuture, Value> ::core::marker::Send
    for Pick<First, A, B, YieldOnceFuture, Value>
    where
        First: ::core::marker::Send,
        A: ::core::marker::Send,
        B: ::core::marker::Send,
        YieldOnceFuture: ::core::marker::Send,
        Value: ::core::marker::Send,
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
        Pick::Start { first, a, b },
        |mut pinned, cx| -> ::core::task::Poll<u32> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    Pick::Start { .. } => {
                        let Pick::Start { first, a, b } = ::core::mem::replace(
                            state,
                            Pick::Poisoned,
                        ) else { ::core::unreachable!() };
                        if first {
                            *state = Pick::WaitingForYieldOnce {
                                yield_once_future: ::desugar_runtime::Awaitee::new(
                                    yield_once(a),
                                ),
                            };
                            continue;
                        } else {
                            let value = b;
                            *state = Pick::AfterIf { value };
                            continue;
                        }
                    }
                    Pick::WaitingForYieldOnce { yield_once_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(yield_once_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        *state = Pick::Poisoned;
                        let value = output;
                        *state = Pick::AfterIf { value };
                        continue;
                    }
                    Pick::AfterIf { .. } => {
                        let Pick::AfterIf { value } = ::core::mem::replace(
                            state,
                            Pick::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = value + 1;
                        *state = Pick::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    Pick::Done => ::core::panic!("`async fn` resumed after completion"),
                    Pick::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
