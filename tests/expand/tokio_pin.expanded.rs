use desugar_runtime::desugar;
use std::time::Duration;
/// # State machine
///
/// The states of `TicksUntil` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WhileLoop["WhileLoop: top of the while loop"]
///     WaitingForPollImmediate["WaitingForPollImmediate: waiting for futures::future::poll_immediate(sleep_2…"]
///     WaitingForYieldNow["WaitingForYieldNow: waiting for tokio::task::yield_now()"]
///     AfterWhileLoop["AfterWhileLoop: after the while loop"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WhileLoop
///     WhileLoop -->|"runs on"| WaitingForPollImmediate
///     WaitingForPollImmediate -->|"Pending"| runtime
///     WaitingForPollImmediate -->|"futures::future::poll_immediate(sleep_2… Ready"| WaitingForYieldNow
///     WaitingForPollImmediate -->|"futures::future::poll_immediate(sleep_2… Ready, break"| AfterWhileLoop
///     WaitingForYieldNow -->|"Pending"| runtime
///     WaitingForYieldNow -->|"tokio::task::yield_now() Ready, loop back"| WhileLoop
///     AfterWhileLoop -->|"return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn ticks_until(deadline: Duration) -> impl ::core::future::Future<Output = u32> {
    /// The states of `ticks_until`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum TicksUntil<Deadline, Sleep2, Ticks, PollImmediateFuture, YieldNowFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { deadline: Deadline },
        /// At the top of the `while` loop; keeps `sleep_2`, `ticks` for later.
        WhileLoop { ticks: Ticks, sleep_2: Sleep2 },
        /// Waiting for `futures::future::poll_immediate(sleep_2.as_mut())`; keeps `sleep_2`, `ticks` for later.
        WaitingForPollImmediate {
            poll_immediate_future: ::desugar_runtime::Awaitee<PollImmediateFuture>,
            ticks: Ticks,
            sleep_2: Sleep2,
        },
        /// Waiting for `tokio::task::yield_now()`; keeps `sleep_2`, `ticks` for later.
        WaitingForYieldNow {
            yield_now_future: ::desugar_runtime::Awaitee<YieldNowFuture>,
            ticks: Ticks,
            sleep_2: Sleep2,
        },
        /// After the `while` loop; keeps `ticks` for later. `sleep_2`: not read again, kept only to be dropped where its scope ends, and only if its type has a drop (`DropOnly`), as rustc does.
        AfterWhileLoop { ticks: Ticks, sleep_2: ::desugar_runtime::DropOnly<Sleep2> },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<
        Deadline,
        Sleep2,
        Ticks,
        PollImmediateFuture,
        YieldNowFuture,
    > ::desugar_runtime::Poison
    for TicksUntil<Deadline, Sleep2, Ticks, PollImmediateFuture, YieldNowFuture> {
        fn poison(&mut self) {
            *self = TicksUntil::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<
        Deadline,
        Sleep2,
        Ticks,
        PollImmediateFuture,
        YieldNowFuture,
    > ::core::marker::Send
    for TicksUntil<Deadline, Sleep2, Ticks, PollImmediateFuture, YieldNowFuture>
    where
        Deadline: ::core::marker::Send,
        Sleep2: ::core::marker::Send,
        Ticks: ::core::marker::Send,
        PollImmediateFuture: ::core::marker::Send,
        YieldNowFuture: ::core::marker::Send,
    {}
    /// The locals of `ticks_until` that other values borrow across an `.await`: they stay in one place while the states change around them.
    struct TicksUntilLocals<PinnedSleep> {
        pinned_sleep: ::desugar_runtime::Slot<PinnedSleep>,
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<PinnedSleep> ::core::marker::Send for TicksUntilLocals<PinnedSleep>
    where
        PinnedSleep: ::core::marker::Send,
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
            TicksUntil::Start { deadline },
            TicksUntilLocals {
                pinned_sleep: ::desugar_runtime::Slot::empty(),
            },
        ),
        |mut pinned, cx| -> ::core::task::Poll<u32> {
            'poll: loop {
                let (state, locals) = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    TicksUntil::Start { .. } => {
                        let TicksUntil::Start { deadline } = ::core::mem::replace(
                            state,
                            TicksUntil::Poisoned,
                        ) else { ::core::unreachable!() };
                        let sleep = tokio::time::sleep(deadline);
                        let pinned_sleep = locals.pinned_sleep.put(sleep);
                        let pinned_sleep_scope = locals.pinned_sleep.scope();
                        let mut sleep_2 = unsafe {
                            ::core::pin::Pin::new_unchecked(&mut (*pinned_sleep))
                        };
                        let mut ticks = 0;
                        pinned_sleep_scope.keep();
                        *state = TicksUntil::WhileLoop {
                            ticks,
                            sleep_2,
                        };
                        continue 'poll;
                    }
                    TicksUntil::WhileLoop { .. } => {
                        let TicksUntil::WhileLoop { mut sleep_2, mut ticks } = ::core::mem::replace(
                            state,
                            TicksUntil::Poisoned,
                        ) else { ::core::unreachable!() };
                        let pinned_sleep_scope = locals.pinned_sleep.scope();
                        let mut sleep_2 = sleep_2;
                        pinned_sleep_scope.keep();
                        *state = TicksUntil::WaitingForPollImmediate {
                            poll_immediate_future: ::desugar_runtime::Awaitee::empty(),
                            ticks,
                            sleep_2,
                        };
                        let TicksUntil::WaitingForPollImmediate { sleep_2, .. } = &mut *state
                        else { ::core::unreachable!() };
                        let (sleep_2,) = unsafe {
                            (::desugar_runtime::detach(sleep_2),)
                        };
                        let future = futures::future::poll_immediate(
                            (*sleep_2).as_mut(),
                        );
                        let TicksUntil::WaitingForPollImmediate {
                            poll_immediate_future,
                            ..
                        } = &mut *state else { ::core::unreachable!() };
                        unsafe { ::core::pin::Pin::new_unchecked(poll_immediate_future) }
                            .set(future);
                        continue 'poll;
                    }
                    TicksUntil::WaitingForPollImmediate {
                        poll_immediate_future,
                        ..
                    } => {
                        let mut output1 = match unsafe {
                            ::core::pin::Pin::new_unchecked(poll_immediate_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output1) => output1,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let TicksUntil::WaitingForPollImmediate {
                            mut sleep_2,
                            mut ticks,
                            ..
                        } = ::core::mem::replace(state, TicksUntil::Poisoned) else {
                            ::core::unreachable!()
                        };
                        let pinned_sleep_scope = locals.pinned_sleep.scope();
                        let mut sleep_2 = sleep_2;
                        let mut sleep_2_dying = ::desugar_runtime::Dying::of(&sleep_2);
                        if {
                            let mut output1 = output1;
                            let value = output1.is_none();
                            value
                        } {
                            pinned_sleep_scope.keep();
                            *state = TicksUntil::WaitingForYieldNow {
                                yield_now_future: ::desugar_runtime::Awaitee::new(
                                    tokio::task::yield_now(),
                                ),
                                ticks,
                                sleep_2,
                            };
                            continue 'poll;
                        } else {
                            if ::desugar_runtime::needs_drop_of(&sleep_2) {
                                sleep_2_dying.keep(sleep_2);
                            }
                            pinned_sleep_scope.keep();
                            *state = TicksUntil::AfterWhileLoop {
                                ticks,
                                sleep_2: sleep_2_dying.into_drop_only(),
                            };
                            continue 'poll;
                        }
                    }
                    TicksUntil::WaitingForYieldNow { yield_now_future, .. } => {
                        let output2 = match unsafe {
                            ::core::pin::Pin::new_unchecked(yield_now_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output2) => output2,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let TicksUntil::WaitingForYieldNow {
                            mut sleep_2,
                            mut ticks,
                            ..
                        } = ::core::mem::replace(state, TicksUntil::Poisoned) else {
                            ::core::unreachable!()
                        };
                        let pinned_sleep_scope = locals.pinned_sleep.scope();
                        let mut sleep_2 = sleep_2;
                        output2;
                        ticks += 1;
                        pinned_sleep_scope.keep();
                        *state = TicksUntil::WhileLoop {
                            ticks,
                            sleep_2,
                        };
                        continue 'poll;
                    }
                    TicksUntil::AfterWhileLoop { .. } => {
                        let TicksUntil::AfterWhileLoop { mut sleep_2, mut ticks } = ::core::mem::replace(
                            state,
                            TicksUntil::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = 'finish: {
                            let pinned_sleep_scope = locals.pinned_sleep.scope();
                            let mut sleep_2 = sleep_2;
                            let output = ticks;
                            break 'finish output;
                        };
                        locals.pinned_sleep.clear();
                        *state = TicksUntil::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    TicksUntil::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    TicksUntil::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut deadline: Duration| -> u32 {
        let mut sleep = tokio::time::sleep(deadline);
        let mut pinned_sleep = sleep;
        let mut sleep_2 = unsafe { ::core::pin::Pin::new_unchecked(&mut pinned_sleep) };
        let mut ticks = 0;
        while ::desugar_runtime::moved_by_await(
                ::desugar_runtime::as_written_await(
                    futures::future::poll_immediate(sleep_2.as_mut()),
                ),
                (&mut sleep_2,),
            )
            .is_none()
        {
            ::desugar_runtime::moved_by_await(
                ::desugar_runtime::as_written_await(tokio::task::yield_now()),
                (&mut sleep_2,),
            );
            ticks += 1;
        }
        ticks
    };
    machine
}
