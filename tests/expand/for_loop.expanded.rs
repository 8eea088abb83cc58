use desugar_runtime::{desugar, yield_once};
/// # State machine
///
/// The states of `Sum` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     ForLoop["ForLoop: top of the for loop"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(value)"]
///     AfterForLoop["AfterForLoop: after the for loop"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| ForLoop
///     ForLoop -->|"runs on"| WaitingForYieldOnce
///     ForLoop -->|"break"| AfterForLoop
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(value) Ready, loop back"| ForLoop
///     AfterForLoop -->|"return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn sum(values: Vec<u32>) -> impl ::core::future::Future<Output = u32> {
    /// The states of `sum`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum Sum<Values, Total, Iter, YieldOnceFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { values: Values },
        /// At the top of the `for` loop; keeps `total`, `iter` for later.
        ForLoop { iter: Iter, total: Total },
        /// Waiting for `yield_once(value)`; keeps `total`, `iter` for later.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            iter: Iter,
            total: Total,
        },
        /// After the `for` loop; keeps `total` for later.
        AfterForLoop { total: Total },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Values, Total, Iter, YieldOnceFuture> ::desugar_runtime::Poison
    for Sum<Values, Total, Iter, YieldOnceFuture> {
        fn poison(&mut self) {
            *self = Sum::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Values, Total, Iter, YieldOnceFuture> ::core::marker::Send
    for Sum<Values, Total, Iter, YieldOnceFuture>
    where
        Values: ::core::marker::Send,
        Total: ::core::marker::Send,
        Iter: ::core::marker::Send,
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
        Sum::Start { values },
        |mut pinned, cx| -> ::core::task::Poll<u32> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    Sum::Start { .. } => {
                        let Sum::Start { values } = ::core::mem::replace(
                            state,
                            Sum::Poisoned,
                        ) else { ::core::unreachable!() };
                        let mut total = 0;
                        {
                            let mut iter = ::core::iter::IntoIterator::into_iter(values);
                            *state = Sum::ForLoop { iter, total };
                            continue;
                        }
                    }
                    Sum::ForLoop { .. } => {
                        let Sum::ForLoop { mut total, mut iter } = ::core::mem::replace(
                            state,
                            Sum::Poisoned,
                        ) else { ::core::unreachable!() };
                        match ::core::iter::Iterator::next(&mut iter) {
                            ::core::option::Option::Some(value) => {
                                *state = Sum::WaitingForYieldOnce {
                                    yield_once_future: ::desugar_runtime::Awaitee::new(
                                        yield_once(value),
                                    ),
                                    iter,
                                    total,
                                };
                                continue;
                            }
                            ::core::option::Option::None => {
                                *state = Sum::AfterForLoop { total };
                                continue;
                            }
                        }
                    }
                    Sum::WaitingForYieldOnce { yield_once_future, .. } => {
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
                        let Sum::WaitingForYieldOnce { mut total, mut iter, .. } = ::core::mem::replace(
                            state,
                            Sum::Poisoned,
                        ) else { ::core::unreachable!() };
                        total += output;
                        *state = Sum::ForLoop { iter, total };
                        continue;
                    }
                    Sum::AfterForLoop { .. } => {
                        let Sum::AfterForLoop { mut total } = ::core::mem::replace(
                            state,
                            Sum::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = total;
                        *state = Sum::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    Sum::Done => ::core::panic!("`async fn` resumed after completion"),
                    Sum::Poisoned => ::core::panic!("`async fn` resumed after panicking"),
                }
            }
        },
    );
    machine
}
