use desugar_runtime::{desugar, yield_once};
struct Counter {
    count: u32,
}
impl Counter {
    /// # State machine
    ///
    /// The states of `Add` and what moves it between them (Mermaid). A panic
    /// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
    ///
    /// ```text
    /// flowchart TD
    ///     runtime(["runtime (executor)"])
    ///     Start["Start: created, holds the arguments"]
    ///     WaitingForStep["WaitingForStep: waiting for yield_once(n)"]
    ///     Done(("Done: finished"))
    ///     runtime -->|"poll()"| Start
    ///     Start -->|"first poll"| WaitingForStep
    ///     WaitingForStep -->|"Pending"| runtime
    ///     WaitingForStep -->|"yield_once(n) Ready, return"| Done
    ///     Done -->|"Ready(output)"| runtime
    /// ```
    fn add<'life_self>(
        &'life_self mut self,
        n: u32,
    ) -> impl ::core::future::Future<
        Output = u32,
    > + ::desugar_runtime::Captures<
        (&'life_self (), ::core::marker::PhantomData<Self>),
    > {
        /// The states of `add`: `Start`, one state per `.await`, and `Done`.
        enum Add<This, N, YieldOnceFuture> {
            /// Created, not polled yet: holds the arguments.
            Start { __self: This, n: N },
            /// Waiting for `yield_once(n)`; keeps `__self` for later.
            WaitingForStep {
                yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
                __self: This,
            },
            /// Finished: polling again panics.
            Done,
            /// A poll panicked: polling again panics.
            Poisoned,
        }
        /// A panic during a poll drops what the state holds.
        impl<This, N, YieldOnceFuture> ::desugar_runtime::Poison
        for Add<This, N, YieldOnceFuture> {
            fn poison(&mut self) {
                *self = Add::Poisoned;
            }
        }
        /// `Send` when every value it holds is: the compiler's rule, written
        /// out so that an error names the value that is not.
        unsafe impl<This, N, YieldOnceFuture> ::core::marker::Send
        for Add<This, N, YieldOnceFuture>
        where
            This: ::core::marker::Send,
            N: ::core::marker::Send,
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
            Add::Start { __self: self, n },
            |mut pinned, cx| -> ::core::task::Poll<u32> {
                loop {
                    let state = unsafe {
                        ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                    };
                    match state {
                        Add::Start { .. } => {
                            let Add::Start { __self, n } = ::core::mem::replace(
                                state,
                                Add::Poisoned,
                            ) else { ::core::unreachable!() };
                            *state = Add::WaitingForStep {
                                yield_once_future: ::desugar_runtime::Awaitee::new(
                                    yield_once(n),
                                ),
                                __self,
                            };
                            continue;
                        }
                        Add::WaitingForStep { yield_once_future, .. } => {
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
                            let Add::WaitingForStep { __self, .. } = ::core::mem::replace(
                                state,
                                Add::Poisoned,
                            ) else { ::core::unreachable!() };
                            let step = output;
                            __self.count += step;
                            let output = __self.count;
                            *state = Add::Done;
                            return ::core::task::Poll::Ready(output);
                        }
                        Add::Done => {
                            ::core::panic!("`async fn` resumed after completion")
                        }
                        Add::Poisoned => {
                            ::core::panic!("`async fn` resumed after panicking")
                        }
                    }
                }
            },
        );
        machine
    }
}
