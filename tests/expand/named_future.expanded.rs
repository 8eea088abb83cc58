use desugar_runtime::{desugar, yield_once};
use tokio::sync::Notify;
/// # State machine
///
/// The states of `WaitFor` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(())"]
///     WaitingForNotified["WaitingForNotified: waiting for notified"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForYieldOnce
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(()) Ready"| WaitingForNotified
///     WaitingForNotified -->|"Pending"| runtime
///     WaitingForNotified -->|"notified Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn wait_for(notify: Notify) -> impl ::core::future::Future<Output = u32> {
    /// The states of `wait_for`: `Start`, one state per `.await`, and `Done`.
    enum WaitFor<Notify, Notified, YieldOnceFuture, NotifiedFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { notify: Notify },
        /// Waiting for `yield_once(())`; keeps `notified` for later.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            notified: Notified,
        },
        /// Waiting for `notified`.
        WaitingForNotified {
            notified_future: ::desugar_runtime::Awaitee<NotifiedFuture>,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Notify, Notified, YieldOnceFuture, NotifiedFuture> ::desugar_runtime::Poison
    for WaitFor<Notify, Notified, YieldOnceFuture, NotifiedFuture> {
        fn poison(&mut self) {
            *self = WaitFor::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Notify, Notified, YieldOnceFuture, NotifiedFuture> ::core::marker::Send
    for WaitFor<Notify, Notified, YieldOnceFuture, NotifiedFuture>
    where
        Notify: ::core::marker::Send,
        Notified: ::core::marker::Send,
        YieldOnceFuture: ::core::marker::Send,
        NotifiedFuture: ::core::marker::Send,
    {}
    /// The locals of `wait_for` that other values borrow across an `.await`: they stay in one place while the states change around them.
    struct WaitForLocals<Notify> {
        notify: ::desugar_runtime::Slot<Notify>,
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Notify> ::core::marker::Send for WaitForLocals<Notify>
    where
        Notify: ::core::marker::Send,
    {}
    #[allow(
        unreachable_code,
        unused_mut,
        unused_variables,
        unused_unsafe,
        unused_labels,
        dropping_copy_types,
        irrefutable_let_patterns,
        unknown_lints,
        dangerous_implicit_autorefs,
        clippy::all
    )]
    let machine = ::desugar_runtime::StateMachine::new(
        (
            WaitFor::Start { notify },
            WaitForLocals {
                notify: ::desugar_runtime::Slot::empty(),
            },
        ),
        |mut pinned, cx| -> ::core::task::Poll<u32> {
            'poll: loop {
                let (state, locals) = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    WaitFor::Start { .. } => {
                        let WaitFor::Start { notify } = ::core::mem::replace(
                            state,
                            WaitFor::Poisoned,
                        ) else { ::core::unreachable!() };
                        let notify = locals.notify.put(notify);
                        let notified = unsafe { (*notify).notified() };
                        *state = WaitFor::WaitingForYieldOnce {
                            yield_once_future: ::desugar_runtime::Awaitee::new(
                                yield_once(()),
                            ),
                            notified,
                        };
                        continue 'poll;
                    }
                    WaitFor::WaitingForYieldOnce { yield_once_future, .. } => {
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
                        let WaitFor::WaitingForYieldOnce { notified, .. } = ::core::mem::replace(
                            state,
                            WaitFor::Poisoned,
                        ) else { ::core::unreachable!() };
                        let notify_scope = locals.notify.scope();
                        let notified = notified;
                        output;
                        notify_scope.keep();
                        *state = WaitFor::WaitingForNotified {
                            notified_future: ::desugar_runtime::Awaitee::new(notified),
                        };
                        continue 'poll;
                    }
                    WaitFor::WaitingForNotified { notified_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(notified_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        *state = WaitFor::Poisoned;
                        let output = 'finish: {
                            let notify_scope = locals.notify.scope();
                            output;
                            let output = 1;
                            break 'finish output;
                        };
                        locals.notify.clear();
                        *state = WaitFor::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    WaitFor::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    WaitFor::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut notify: Notify| -> u32 {
        let mut notified = notify.notified();
        ::desugar_runtime::as_written_await(yield_once(()));
        ::desugar_runtime::as_written_await(notified);
        1
    };
    machine
}
