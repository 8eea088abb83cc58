use desugar_runtime::{desugar, yield_once};
/// # State machine
///
/// The states of `AddSlowly` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForX["WaitingForX: waiting for yield_once(a)"]
///     WaitingForY["WaitingForY: waiting for yield_once(b)"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForX
///     WaitingForX -->|"Pending"| runtime
///     WaitingForX -->|"yield_once(a) Ready"| WaitingForY
///     WaitingForY -->|"Pending"| runtime
///     WaitingForY -->|"yield_once(b) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn add_slowly(a: u32, b: u32) -> impl ::core::future::Future<Output = u32> {
    /// The states of `add_slowly`: `Start`, one state per `.await`, and `Done`.
    enum AddSlowly<A, B, YieldOnceFuture, X, YieldOnceFuture2> {
        /// Created, not polled yet: holds the arguments.
        Start { a: A, b: B },
        /// Waiting for `yield_once(a)`; keeps `b` for later.
        WaitingForX {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            b: B,
        },
        /// Waiting for `yield_once(b)`; keeps `x` for later.
        WaitingForY {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture2>,
            x: X,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<A, B, YieldOnceFuture, X, YieldOnceFuture2> ::desugar_runtime::Poison
    for AddSlowly<A, B, YieldOnceFuture, X, YieldOnceFuture2> {
        fn poison(&mut self) {
            *self = AddSlowly::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<A, B, YieldOnceFuture, X, YieldOnceFuture2> ::core::marker::Send
    for AddSlowly<A, B, YieldOnceFuture, X, YieldOnceFuture2>
    where
        A: ::core::marker::Send,
        B: ::core::marker::Send,
        YieldOnceFuture: ::core::marker::Send,
        X: ::core::marker::Send,
        YieldOnceFuture2: ::core::marker::Send,
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
        AddSlowly::Start { a, b },
        |mut pinned, cx| -> ::core::task::Poll<u32> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    AddSlowly::Start { .. } => {
                        let AddSlowly::Start { a, b } = ::core::mem::replace(
                            state,
                            AddSlowly::Poisoned,
                        ) else { ::core::unreachable!() };
                        *state = AddSlowly::WaitingForX {
                            yield_once_future: ::desugar_runtime::Awaitee::new(
                                yield_once(a),
                            ),
                            b,
                        };
                        continue;
                    }
                    AddSlowly::WaitingForX { yield_once_future, .. } => {
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
                        let AddSlowly::WaitingForX { b, .. } = ::core::mem::replace(
                            state,
                            AddSlowly::Poisoned,
                        ) else { ::core::unreachable!() };
                        let x = output;
                        *state = AddSlowly::WaitingForY {
                            yield_once_future: ::desugar_runtime::Awaitee::new(
                                yield_once(b),
                            ),
                            x,
                        };
                        continue;
                    }
                    AddSlowly::WaitingForY { yield_once_future, .. } => {
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
                        let AddSlowly::WaitingForY { x, .. } = ::core::mem::replace(
                            state,
                            AddSlowly::Poisoned,
                        ) else { ::core::unreachable!() };
                        let y = output;
                        let output = x + y;
                        *state = AddSlowly::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    AddSlowly::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    AddSlowly::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
