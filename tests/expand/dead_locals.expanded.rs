use desugar_runtime::{desugar, yield_once};
fn label(n: usize) -> String {
    format!("#{n}")
}
/// # State machine
///
/// The states of `Numbered` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(())"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForYieldOnce
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(()) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn numbered(items: Vec<u32>) -> impl ::core::future::Future<Output = usize> {
    /// The states of `numbered`: `Start`, one state per `.await`, and `Done`.
    enum Numbered<Items, Tag, Count, YieldOnceFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { items: Items },
        /// Waiting for `yield_once(())`; keeps `count` for later. `items`, `tag`: not read again, kept only to be dropped where its scope ends, and only if its type has a drop (`DropOnly`), as rustc does.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            count: Count,
            tag: ::desugar_runtime::DropOnly<Tag>,
            items: ::desugar_runtime::DropOnly<Items>,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Items, Tag, Count, YieldOnceFuture> ::desugar_runtime::Poison
    for Numbered<Items, Tag, Count, YieldOnceFuture> {
        fn poison(&mut self) {
            *self = Numbered::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Items, Tag, Count, YieldOnceFuture> ::core::marker::Send
    for Numbered<Items, Tag, Count, YieldOnceFuture>
    where
        Items: ::core::marker::Send,
        Tag: ::core::marker::Send,
        Count: ::core::marker::Send,
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
        Numbered::Start { items },
        |mut pinned, cx| -> ::core::task::Poll<usize> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    Numbered::Start { .. } => {
                        let Numbered::Start { items } = ::core::mem::replace(
                            state,
                            Numbered::Poisoned,
                        ) else { ::core::unreachable!() };
                        let tag = label(items.len());
                        let mut tag_dying = ::desugar_runtime::Dying::of(&tag);
                        println!("{tag}");
                        if ::desugar_runtime::needs_drop_of(&tag) {
                            tag_dying.keep(tag);
                        }
                        let count = items.len();
                        *state = Numbered::WaitingForYieldOnce {
                            yield_once_future: ::desugar_runtime::Awaitee::new(
                                yield_once(()),
                            ),
                            count,
                            tag: tag_dying.into_drop_only(),
                            items: if ::desugar_runtime::needs_drop_of(&items) {
                                ::desugar_runtime::DropOnly::new(items)
                            } else {
                                ::desugar_runtime::DropOnly::nothing(&items)
                            },
                        };
                        continue;
                    }
                    Numbered::WaitingForYieldOnce { yield_once_future, .. } => {
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
                        let Numbered::WaitingForYieldOnce { items, tag, count, .. } = ::core::mem::replace(
                            state,
                            Numbered::Poisoned,
                        ) else { ::core::unreachable!() };
                        output;
                        let output = count;
                        *state = Numbered::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    Numbered::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    Numbered::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut items: Vec<u32>| -> usize {
        let mut tag = label(items.len());
        println!("{tag}");
        let mut count = items.len();
        ::desugar_runtime::moved_by_await(
            ::desugar_runtime::as_written_await(yield_once(())),
            (&mut items,),
        );
        count
    };
    machine
}
