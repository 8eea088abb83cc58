use desugar_runtime::desugar;
/// # State machine
///
/// The states of `NoAwaits` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, not polled yet"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn no_awaits() -> impl ::core::future::Future<Output = u32> {
    /// The states of `no_awaits`: `Start`, one state per `.await`, and `Done`.
    enum NoAwaits {
        /// Created, not polled yet.
        Start,
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl ::desugar_runtime::Poison for NoAwaits {
        fn poison(&mut self) {
            *self = NoAwaits::Poisoned;
        }
    }
    #[allow(
        unreachable_code,
        unused_mut,
        unused_variables,
        dropping_copy_types,
        irrefutable_let_patterns,
        clippy::all
    )]
    let machine = ::desugar_runtime::StateMachine::new(
        NoAwaits::Start,
        |mut pinned, cx| -> ::core::task::Poll<u32> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    NoAwaits::Start => {
                        *state = NoAwaits::Poisoned;
                        let output = 42;
                        *state = NoAwaits::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    NoAwaits::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    NoAwaits::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
