use desugar_runtime::{desugar, yield_once};
use std::sync::Mutex;
static TOTAL: Mutex<u32> = Mutex::new(0);
/// # State machine
///
/// The states of `ReadTotal` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, not polled yet"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(total)"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForYieldOnce
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(total) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn read_total() -> impl ::core::future::Future<Output = u32> {
    /// The states of `read_total`: `Start`, one state per `.await`, and `Done`.
    enum ReadTotal<GuardStorage, YieldOnceFuture> {
        /// Created, not polled yet.
        Start,
        /// Waiting for `yield_once(total)`. `guard_storage`: zero-sized, the type of a local that was borrowed and then moved; rustc keeps such a local's storage until its scope ends, so its type still counts for `Send`.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            guard_storage: GuardStorage,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<GuardStorage, YieldOnceFuture> ::desugar_runtime::Poison
    for ReadTotal<GuardStorage, YieldOnceFuture> {
        fn poison(&mut self) {
            *self = ReadTotal::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<GuardStorage, YieldOnceFuture> ::core::marker::Send
    for ReadTotal<GuardStorage, YieldOnceFuture>
    where
        GuardStorage: ::core::marker::Send,
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
        ReadTotal::Start,
        |mut pinned, cx| -> ::core::task::Poll<u32> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    ReadTotal::Start => {
                        *state = ReadTotal::Poisoned;
                        let guard = TOTAL.lock().unwrap();
                        let guard_storage = ::desugar_runtime::storage_of(&guard);
                        let total = *guard;
                        drop(guard);
                        *state = ReadTotal::WaitingForYieldOnce {
                            yield_once_future: ::desugar_runtime::Awaitee::new(
                                yield_once(total),
                            ),
                            guard_storage,
                        };
                        continue;
                    }
                    ReadTotal::WaitingForYieldOnce { yield_once_future, .. } => {
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
                        let ReadTotal::WaitingForYieldOnce { guard_storage, .. } = ::core::mem::replace(
                            state,
                            ReadTotal::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = output;
                        *state = ReadTotal::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    ReadTotal::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    ReadTotal::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
