use desugar_runtime::{desugar, yield_once};
/// # State machine
///
/// The states of `TotalLen` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     ForLoop["ForLoop: top of the for loop"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(item.len())"]
///     AfterForLoop["AfterForLoop: after the for loop"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| ForLoop
///     ForLoop -->|"runs on"| WaitingForYieldOnce
///     ForLoop -->|"break"| AfterForLoop
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(item.len()) Ready, loop back"| ForLoop
///     AfterForLoop -->|"return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn total_len(items: Vec<String>) -> impl ::core::future::Future<Output = usize> {
    /// The states of `total_len`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum TotalLen<Items, Total, Iter, Item, YieldOnceFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { items: Items },
        /// At the top of the `for` loop; keeps `total`, `iter` for later.
        ForLoop { iter: Iter, total: Total },
        /// Waiting for `yield_once(item.len())`; keeps `total`, `iter`, `item` for later.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            item: Item,
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
    impl<Items, Total, Iter, Item, YieldOnceFuture> ::desugar_runtime::Poison
    for TotalLen<Items, Total, Iter, Item, YieldOnceFuture> {
        fn poison(&mut self) {
            *self = TotalLen::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Items, Total, Iter, Item, YieldOnceFuture> ::core::marker::Send
    for TotalLen<Items, Total, Iter, Item, YieldOnceFuture>
    where
        Items: ::core::marker::Send,
        Total: ::core::marker::Send,
        Iter: ::core::marker::Send,
        Item: ::core::marker::Send,
        YieldOnceFuture: ::core::marker::Send,
    {}
    /// The locals of `total_len` that other values borrow across an `.await`: they stay in one place while the states change around them.
    struct TotalLenLocals<Items> {
        items: ::desugar_runtime::Slot<Items>,
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Items> ::core::marker::Send for TotalLenLocals<Items>
    where
        Items: ::core::marker::Send,
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
            TotalLen::Start { items },
            TotalLenLocals {
                items: ::desugar_runtime::Slot::empty(),
            },
        ),
        |mut pinned, cx| -> ::core::task::Poll<usize> {
            'poll: loop {
                let (state, locals) = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    TotalLen::Start { .. } => {
                        let TotalLen::Start { items } = ::core::mem::replace(
                            state,
                            TotalLen::Poisoned,
                        ) else { ::core::unreachable!() };
                        let items = locals.items.put(items);
                        let mut total = 0;
                        {
                            let mut iter = unsafe {
                                ::core::iter::IntoIterator::into_iter(&(*items))
                            };
                            *state = TotalLen::ForLoop { iter, total };
                            continue 'poll;
                        }
                    }
                    TotalLen::ForLoop { .. } => {
                        let TotalLen::ForLoop { mut total, mut iter } = ::core::mem::replace(
                            state,
                            TotalLen::Poisoned,
                        ) else { ::core::unreachable!() };
                        let items_scope = locals.items.scope();
                        let mut iter = iter;
                        match ::core::iter::Iterator::next(&mut iter) {
                            ::core::option::Option::Some(item) => {
                                items_scope.keep();
                                *state = TotalLen::WaitingForYieldOnce {
                                    yield_once_future: ::desugar_runtime::Awaitee::empty(),
                                    item,
                                    iter,
                                    total,
                                };
                                let TotalLen::WaitingForYieldOnce { item, .. } = &mut *state
                                else { ::core::unreachable!() };
                                let (item,) = unsafe { (::desugar_runtime::detach(item),) };
                                let future = yield_once((*item).len());
                                let TotalLen::WaitingForYieldOnce {
                                    yield_once_future,
                                    ..
                                } = &mut *state else { ::core::unreachable!() };
                                unsafe {
                                    ::core::pin::Pin::new_unchecked(yield_once_future)
                                }
                                    .set(future);
                                continue 'poll;
                            }
                            ::core::option::Option::None => {
                                items_scope.keep();
                                *state = TotalLen::AfterForLoop { total };
                                continue 'poll;
                            }
                        }
                    }
                    TotalLen::WaitingForYieldOnce { yield_once_future, .. } => {
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
                        let TotalLen::WaitingForYieldOnce {
                            mut total,
                            mut iter,
                            item,
                            ..
                        } = ::core::mem::replace(state, TotalLen::Poisoned) else {
                            ::core::unreachable!()
                        };
                        let items_scope = locals.items.scope();
                        let mut iter = iter;
                        total += output;
                        items_scope.keep();
                        *state = TotalLen::ForLoop { iter, total };
                        continue 'poll;
                    }
                    TotalLen::AfterForLoop { .. } => {
                        let TotalLen::AfterForLoop { mut total } = ::core::mem::replace(
                            state,
                            TotalLen::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = 'finish: {
                            let items_scope = locals.items.scope();
                            let output = total;
                            break 'finish output;
                        };
                        locals.items.clear();
                        *state = TotalLen::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    TotalLen::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    TotalLen::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut items: Vec<String>| -> usize {
        let mut total = 0;
        for mut item in &items {
            total += ::desugar_runtime::as_written_await(yield_once(item.len()));
        }
        total
    };
    machine
}
