use desugar_runtime::{desugar, yield_once};
struct Message {
    text: String,
}
async fn send(message: Message) -> usize {
    yield_once(()).await;
    message.text.len()
}
/// # State machine
///
/// The states of `MaybeSend` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForSend["WaitingForSend: waiting for send(message)"]
///     AfterIf["AfterIf: after the if"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(())"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForSend
///     Start -->|"first poll, join"| AfterIf
///     WaitingForSend -->|"Pending"| runtime
///     WaitingForSend -->|"send(message) Ready, join"| AfterIf
///     AfterIf -->|"runs on"| WaitingForYieldOnce
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(()) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn maybe_send(
    urgent: bool,
    outbox: Vec<String>,
) -> impl ::core::future::Future<Output = usize> {
    /// The states of `maybe_send`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum MaybeSend<Urgent, Outbox, SendFuture, Message, Sent, YieldOnceFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { urgent: Urgent, outbox: Outbox },
        /// Waiting for `send(message)`; keeps `outbox` for later.
        WaitingForSend {
            send_future: ::desugar_runtime::Awaitee<SendFuture>,
            outbox: Outbox,
        },
        /// After the `if`; keeps `outbox`, `sent` for later. `message`: not read again, and moved out on some paths here (or to a later state), so kept behind a drop flag (`DropFlag`, empty where it was moved), as rustc does, so that it is still dropped where its scope ends.
        AfterIf {
            sent: Sent,
            message: ::desugar_runtime::DropFlag<Message>,
            outbox: Outbox,
        },
        /// Waiting for `yield_once(())`; keeps `outbox`, `sent` for later. `message`: not read again, and moved out on some paths here (or to a later state), so kept behind a drop flag (`DropFlag`, empty where it was moved), as rustc does, so that it is still dropped where its scope ends.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            sent: Sent,
            message: ::desugar_runtime::DropFlag<Message>,
            outbox: Outbox,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<
        Urgent,
        Outbox,
        SendFuture,
        Message,
        Sent,
        YieldOnceFuture,
    > ::desugar_runtime::Poison
    for MaybeSend<Urgent, Outbox, SendFuture, Message, Sent, YieldOnceFuture> {
        fn poison(&mut self) {
            *self = MaybeSend::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<
        Urgent,
        Outbox,
        SendFuture,
        Message,
        Sent,
        YieldOnceFuture,
    > ::core::marker::Send
    for MaybeSend<Urgent, Outbox, SendFuture, Message, Sent, YieldOnceFuture>
    where
        Urgent: ::core::marker::Send,
        Outbox: ::core::marker::Send,
        SendFuture: ::core::marker::Send,
        Message: ::core::marker::Send,
        Sent: ::core::marker::Send,
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
        MaybeSend::Start { urgent, outbox },
        |mut pinned, cx| -> ::core::task::Poll<usize> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    MaybeSend::Start { .. } => {
                        let MaybeSend::Start { urgent, mut outbox } = ::core::mem::replace(
                            state,
                            MaybeSend::Poisoned,
                        ) else { ::core::unreachable!() };
                        let message = Message { text: outbox.join(",") };
                        let mut message_dying = ::desugar_runtime::Dying::of(&message);
                        if urgent {
                            *state = MaybeSend::WaitingForSend {
                                send_future: ::desugar_runtime::Awaitee::new(send(message)),
                                outbox,
                            };
                            continue;
                        } else {
                            if ::desugar_runtime::needs_drop_of(&message) {
                                message_dying.keep(message);
                            }
                            outbox.clear();
                            let sent = 0;
                            *state = MaybeSend::AfterIf {
                                sent,
                                message: message_dying.into_flag(),
                                outbox,
                            };
                            continue;
                        }
                    }
                    MaybeSend::WaitingForSend { send_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(send_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let MaybeSend::WaitingForSend { mut outbox, .. } = ::core::mem::replace(
                            state,
                            MaybeSend::Poisoned,
                        ) else { ::core::unreachable!() };
                        let sent = output;
                        *state = MaybeSend::AfterIf {
                            sent,
                            message: ::desugar_runtime::DropFlag::moved(),
                            outbox,
                        };
                        continue;
                    }
                    MaybeSend::AfterIf { .. } => {
                        let MaybeSend::AfterIf { mut outbox, message, sent } = ::core::mem::replace(
                            state,
                            MaybeSend::Poisoned,
                        ) else { ::core::unreachable!() };
                        *state = MaybeSend::WaitingForYieldOnce {
                            yield_once_future: ::desugar_runtime::Awaitee::new(
                                yield_once(()),
                            ),
                            sent,
                            message,
                            outbox,
                        };
                        continue;
                    }
                    MaybeSend::WaitingForYieldOnce { yield_once_future, .. } => {
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
                        let MaybeSend::WaitingForYieldOnce {
                            mut outbox,
                            message,
                            sent,
                            ..
                        } = ::core::mem::replace(state, MaybeSend::Poisoned) else {
                            ::core::unreachable!()
                        };
                        output;
                        let output = sent + outbox.len();
                        *state = MaybeSend::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    MaybeSend::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    MaybeSend::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut urgent: bool, mut outbox: Vec<String>| -> usize {
        let mut message = Message { text: outbox.join(",") };
        let mut sent = if urgent {
            ::desugar_runtime::moved_by_await(
                ::desugar_runtime::as_written_await(send(message)),
                (&mut outbox,),
            )
        } else {
            outbox.clear();
            0
        };
        ::desugar_runtime::moved_by_await(
            ::desugar_runtime::as_written_await(yield_once(())),
            (&mut outbox,),
        );
        sent + outbox.len()
    };
    machine
}
