//! A `let` chain with an `.await` (edition 2024), written as nested `if`s in
//! a labeled block (stage 2c, `chains`), and a `match` on a `select` whose
//! arm awaits: the loser (`_`) is bound to a hidden name so that it lives
//! to the end of the `match` (stage 2c, `rests`).
use desugar_runtime::desugar;
use futures::future::{select, Either};
/// # State machine
///
/// The states of `Greet` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForFind["WaitingForFind: waiting for find(id_2)"]
///     AfterIf["AfterIf: after the if"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForFind
///     Start -->|"first poll, join"| AfterIf
///     WaitingForFind -->|"Pending"| runtime
///     WaitingForFind -->|"find(id_2) Ready, return"| Done
///     WaitingForFind -->|"find(id_2) Ready, join"| AfterIf
///     AfterIf -->|"return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn greet(id: Option<u32>) -> impl ::core::future::Future<Output = String> {
    /// The states of `greet`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum Greet<Id, FindFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { id: Id },
        /// Waiting for `find(id_2)`.
        WaitingForFind { find_future: ::desugar_runtime::Awaitee<FindFuture> },
        /// After the `if`.
        AfterIf,
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Id, FindFuture> ::desugar_runtime::Poison for Greet<Id, FindFuture> {
        fn poison(&mut self) {
            *self = Greet::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Id, FindFuture> ::core::marker::Send for Greet<Id, FindFuture>
    where
        Id: ::core::marker::Send,
        FindFuture: ::core::marker::Send,
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
        Greet::Start { id },
        |mut pinned, cx| -> ::core::task::Poll<String> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    Greet::Start { .. } => {
                        let Greet::Start { id } = ::core::mem::replace(
                            state,
                            Greet::Poisoned,
                        ) else { ::core::unreachable!() };
                        {
                            if let Some(id_2) = id {
                                *state = Greet::WaitingForFind {
                                    find_future: ::desugar_runtime::Awaitee::new(find(id_2)),
                                };
                                continue;
                            } else {
                                *state = Greet::AfterIf;
                                continue;
                            }
                        }
                    }
                    Greet::WaitingForFind { find_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(find_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        *state = Greet::Poisoned;
                        if let Some(name) = output {
                            {
                                let output = { format!("hello {name}") };
                                *state = Greet::Done;
                                return ::core::task::Poll::Ready(output);
                            };
                        }
                        *state = Greet::AfterIf;
                        continue;
                    }
                    Greet::AfterIf => {
                        *state = Greet::Poisoned;
                        let output = { String::from("who?") };
                        *state = Greet::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    Greet::Done => ::core::panic!("`async fn` resumed after completion"),
                    Greet::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
/// # State machine
///
/// The states of `FirstMessage` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForSelect["WaitingForSelect: waiting for select(rx.recv(), timer)"]
///     WaitingForLog["WaitingForLog: waiting for log(message)"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForSelect
///     WaitingForSelect -->|"Pending"| runtime
///     WaitingForSelect -->|"select(rx.recv(), timer) Ready"| WaitingForLog
///     WaitingForSelect -->|"select(rx.recv(), timer) Ready, return"| Done
///     WaitingForLog -->|"Pending"| runtime
///     WaitingForLog -->|"log(message) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn first_message(
    rx: Receiver,
    timer: Timer,
) -> impl ::core::future::Future<Output = Option<String>> {
    /// The states of `first_message`: `Start`, one state per `.await`, and `Done`.
    enum FirstMessage<Rx, Timer, SelectFuture, Rest, LogFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { rx: Rx, timer: Timer },
        /// Waiting for `select(rx.recv(), timer)`; keeps `rx` for later.
        WaitingForSelect {
            select_future: ::desugar_runtime::Awaitee<SelectFuture>,
            rx: Rx,
        },
        /// Waiting for `log(message)`. `rx`, `_rest`: not read again, kept only to be dropped where its scope ends, and only if its type has a drop (`DropOnly`), as rustc does.
        WaitingForLog {
            log_future: ::desugar_runtime::Awaitee<LogFuture>,
            _rest: ::desugar_runtime::DropOnly<Rest>,
            rx: ::desugar_runtime::DropOnly<Rx>,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Rx, Timer, SelectFuture, Rest, LogFuture> ::desugar_runtime::Poison
    for FirstMessage<Rx, Timer, SelectFuture, Rest, LogFuture> {
        fn poison(&mut self) {
            *self = FirstMessage::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Rx, Timer, SelectFuture, Rest, LogFuture> ::core::marker::Send
    for FirstMessage<Rx, Timer, SelectFuture, Rest, LogFuture>
    where
        Rx: ::core::marker::Send,
        Timer: ::core::marker::Send,
        SelectFuture: ::core::marker::Send,
        Rest: ::core::marker::Send,
        LogFuture: ::core::marker::Send,
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
        FirstMessage::Start { rx, timer },
        |mut pinned, cx| -> ::core::task::Poll<Option<String>> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    FirstMessage::Start { .. } => {
                        let FirstMessage::Start { rx, timer } = ::core::mem::replace(
                            state,
                            FirstMessage::Poisoned,
                        ) else { ::core::unreachable!() };
                        *state = FirstMessage::WaitingForSelect {
                            select_future: ::desugar_runtime::Awaitee::empty(),
                            rx,
                        };
                        let FirstMessage::WaitingForSelect { rx, .. } = &mut *state else {
                            ::core::unreachable!()
                        };
                        let (rx,) = unsafe { (::desugar_runtime::detach(rx),) };
                        let future = select((*rx).recv(), timer);
                        let FirstMessage::WaitingForSelect { select_future, .. } = &mut *state
                        else { ::core::unreachable!() };
                        unsafe { ::core::pin::Pin::new_unchecked(select_future) }
                            .set(future);
                        continue;
                    }
                    FirstMessage::WaitingForSelect { select_future, .. } => {
                        let output1 = match unsafe {
                            ::core::pin::Pin::new_unchecked(select_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output1) => output1,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let FirstMessage::WaitingForSelect { rx, .. } = ::core::mem::replace(
                            state,
                            FirstMessage::Poisoned,
                        ) else { ::core::unreachable!() };
                        match output1 {
                            Either::Left((message, _rest)) => {
                                let mut _rest_dying = ::desugar_runtime::Dying::of(&_rest);
                                if ::desugar_runtime::needs_drop_of(&_rest) {
                                    _rest_dying.keep(_rest);
                                }
                                *state = FirstMessage::WaitingForLog {
                                    log_future: ::desugar_runtime::Awaitee::new(log(message)),
                                    _rest: _rest_dying.into_drop_only(),
                                    rx: if ::desugar_runtime::needs_drop_of(&rx) {
                                        ::desugar_runtime::DropOnly::new(rx)
                                    } else {
                                        ::desugar_runtime::DropOnly::nothing(&rx)
                                    },
                                };
                                continue;
                            }
                            Either::Right(_) => {
                                let output = None;
                                *state = FirstMessage::Done;
                                return ::core::task::Poll::Ready(output);
                            }
                        }
                    }
                    FirstMessage::WaitingForLog { log_future, .. } => {
                        let output2 = match unsafe {
                            ::core::pin::Pin::new_unchecked(log_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output2) => output2,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let FirstMessage::WaitingForLog { rx, _rest, .. } = ::core::mem::replace(
                            state,
                            FirstMessage::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = Some(output2);
                        *state = FirstMessage::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    FirstMessage::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    FirstMessage::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut rx: Receiver, mut timer: Timer| -> Option<String> {
        match ::desugar_runtime::moved_by_await(
            ::desugar_runtime::as_written_await(select(rx.recv(), timer)),
            (&mut rx,),
        ) {
            Either::Left((message, _rest)) => {
                Some(
                    ::desugar_runtime::moved_by_await(
                        ::desugar_runtime::as_written_await(log(message)),
                        (&mut rx,),
                    ),
                )
            }
            Either::Right(_) => None,
        }
    };
    machine
}
