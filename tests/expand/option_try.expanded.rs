use desugar_runtime::{desugar, yield_once};
/// # State machine
///
/// The states of `FirstLen` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForWord["WaitingForWord: waiting for yield_once(words.into_iter().next())"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForWord
///     WaitingForWord -->|"Pending"| runtime
///     WaitingForWord -->|"yield_once(words.into_iter().next()) Ready, ? error"| Done
///     WaitingForWord -->|"yield_once(words.into_iter().next()) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn first_len(words: Vec<String>) -> impl ::core::future::Future<Output = Option<usize>> {
    /// The states of `first_len`: `Start`, one state per `.await`, and `Done`.
    enum FirstLen<Words, YieldOnceFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { words: Words },
        /// Waiting for `yield_once(words.into_iter().next())`.
        WaitingForWord {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Words, YieldOnceFuture> ::desugar_runtime::Poison
    for FirstLen<Words, YieldOnceFuture> {
        fn poison(&mut self) {
            *self = FirstLen::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Words, YieldOnceFuture> ::core::marker::Send
    for FirstLen<Words, YieldOnceFuture>
    where
        Words: ::core::marker::Send,
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
        FirstLen::Start { words },
        |mut pinned, cx| -> ::core::task::Poll<Option<usize>> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    FirstLen::Start { .. } => {
                        let FirstLen::Start { words } = ::core::mem::replace(
                            state,
                            FirstLen::Poisoned,
                        ) else { ::core::unreachable!() };
                        *state = FirstLen::WaitingForWord {
                            yield_once_future: ::desugar_runtime::Awaitee::new(
                                yield_once(words.into_iter().next()),
                            ),
                        };
                        continue;
                    }
                    FirstLen::WaitingForWord { yield_once_future, .. } => {
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
                        *state = FirstLen::Poisoned;
                        let word = match ::desugar_runtime::Try::branch(output) {
                            ::core::ops::ControlFlow::Continue(value) => value,
                            ::core::ops::ControlFlow::Break(residual) => {
                                *state = FirstLen::Done;
                                return ::core::task::Poll::Ready(
                                    ::desugar_runtime::FromResidual::from_residual(residual),
                                );
                            }
                        };
                        let output = Some(word.len());
                        *state = FirstLen::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    FirstLen::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    FirstLen::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
