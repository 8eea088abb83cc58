use desugar_runtime::{desugar, yield_once};
/// # State machine
///
/// The states of `TwoLists` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     ForLoop["ForLoop: top of the for loop"]
///     WaitingForYieldOnce["WaitingForYieldOnce: waiting for yield_once(* x)"]
///     AfterForLoop["AfterForLoop: after the for loop"]
///     ForLoop2["ForLoop2: top of the for loop"]
///     WaitingForYieldOnce2["WaitingForYieldOnce2: waiting for yield_once(* x * 10)"]
///     AfterForLoop2["AfterForLoop2: after the for loop"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| ForLoop
///     ForLoop -->|"runs on"| WaitingForYieldOnce
///     ForLoop -->|"break"| AfterForLoop
///     WaitingForYieldOnce -->|"Pending"| runtime
///     WaitingForYieldOnce -->|"yield_once(* x) Ready, loop back"| ForLoop
///     AfterForLoop -->|"runs on"| ForLoop2
///     ForLoop2 -->|"runs on"| WaitingForYieldOnce2
///     ForLoop2 -->|"break"| AfterForLoop2
///     WaitingForYieldOnce2 -->|"Pending"| runtime
///     WaitingForYieldOnce2 -->|"yield_once(* x * 10) Ready, loop back"| ForLoop2
///     AfterForLoop2 -->|"return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn two_lists(
    first: usize,
    second: usize,
) -> impl ::core::future::Future<Output = usize> {
    /// The states of `two_lists`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum TwoLists<
        First,
        Second,
        Total,
        Iter,
        YieldOnceFuture,
        Value,
        Iter2,
        YieldOnceFuture2,
        Value3,
    > {
        /// Created, not polled yet: holds the arguments.
        Start { first: First, second: Second },
        /// At the top of the `for` loop; keeps `second`, `total`, `iter` for later.
        ForLoop { iter: Iter, total: Total, second: Second },
        /// Waiting for `yield_once(* x)`; keeps `second`, `total`, `iter` for later.
        WaitingForYieldOnce {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture>,
            iter: Iter,
            total: Total,
            second: Second,
        },
        /// After the `for` loop; keeps `second`, `total`, `value` for later.
        AfterForLoop { value: Value, total: Total, second: Second },
        /// At the top of the `for` loop; keeps `total`, `iter2` for later.
        ForLoop2 { iter2: Iter2, total: Total },
        /// Waiting for `yield_once(* x * 10)`; keeps `total`, `iter2` for later.
        WaitingForYieldOnce2 {
            yield_once_future: ::desugar_runtime::Awaitee<YieldOnceFuture2>,
            iter2: Iter2,
            total: Total,
        },
        /// After the `for` loop; keeps `total`, `value3` for later.
        AfterForLoop2 { value3: Value3, total: Total },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<
        First,
        Second,
        Total,
        Iter,
        YieldOnceFuture,
        Value,
        Iter2,
        YieldOnceFuture2,
        Value3,
    > ::desugar_runtime::Poison
    for TwoLists<
        First,
        Second,
        Total,
        Iter,
        YieldOnceFuture,
        Value,
        Iter2,
        YieldOnceFuture2,
        Value3,
    > {
        fn poison(&mut self) {
            *self = TwoLists::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<
        First,
        Second,
        Total,
        Iter,
        YieldOnceFuture,
        Value,
        Iter2,
        YieldOnceFuture2,
        Value3,
    > ::core::marker::Send
    for TwoLists<
        First,
        Second,
        Total,
        Iter,
        YieldOnceFuture,
        Value,
        Iter2,
        YieldOnceFuture2,
        Value3,
    >
    where
        First: ::core::marker::Send,
        Second: ::core::marker::Send,
        Total: ::core::marker::Send,
        Iter: ::core::marker::Send,
        YieldOnceFuture: ::core::marker::Send,
        Value: ::core::marker::Send,
        Iter2: ::core::marker::Send,
        YieldOnceFuture2: ::core::marker::Send,
        Value3: ::core::marker::Send,
    {}
    /// The locals of `two_lists` that other values borrow across an `.await`: they stay in one place while the states change around them.
    struct TwoListsLocals<A, B> {
        a_or_b: TwoListsAOrB<A, B>,
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<A, B> ::core::marker::Send for TwoListsLocals<A, B>
    where
        A: ::core::marker::Send,
        B: ::core::marker::Send,
    {}
    /// The slots of `a`, `b`: never in scope at the same time, they take turns in one place, as the compiler overlaps such locals. The tag is apart from the values (`repr(u8)`): reading it reads nothing a borrow points to.
    #[repr(u8)]
    enum TwoListsAOrB<A, B> {
        A(::desugar_runtime::Slot<A>),
        B(::desugar_runtime::Slot<B>),
    }
    #[allow(dead_code, non_snake_case)]
    impl<A, B> TwoListsAOrB<A, B> {
        /// The slot of `a`, made the one held (the others are empty then: their scopes have ended).
        fn a(&mut self) -> &mut ::desugar_runtime::Slot<A> {
            if !::core::matches!(self, Self::A(_)) {
                *self = Self::A(::desugar_runtime::Slot::empty());
            }
            match self {
                Self::A(slot) => slot,
                _ => ::core::unreachable!(),
            }
        }
        /// Empties the slot of `a`, if it is the one held.
        fn clear_a(&mut self) {
            if let Self::A(slot) = self {
                slot.clear();
            }
        }
        /// The slot of `b`, made the one held (the others are empty then: their scopes have ended).
        fn b(&mut self) -> &mut ::desugar_runtime::Slot<B> {
            if !::core::matches!(self, Self::B(_)) {
                *self = Self::B(::desugar_runtime::Slot::empty());
            }
            match self {
                Self::B(slot) => slot,
                _ => ::core::unreachable!(),
            }
        }
        /// Empties the slot of `b`, if it is the one held.
        fn clear_b(&mut self) {
            if let Self::B(slot) = self {
                slot.clear();
            }
        }
        /// Empties the slot held.
        fn clear_current(&mut self) {
            match self {
                Self::A(slot) => slot.clear(),
                Self::B(slot) => slot.clear(),
            }
        }
    }
    /// Dropping the machine (or a panic in a poll) drops the values
    /// of these states and the locals in slots newest first, as
    /// the compiler does.
    #[allow(unused_unsafe, dropping_copy_types, dropping_references, clippy::all)]
    impl<
        First,
        Second,
        Total,
        Iter,
        YieldOnceFuture,
        Value,
        Iter2,
        YieldOnceFuture2,
        Value3,
        A,
        B,
    > ::desugar_runtime::DropInOrder<
        TwoLists<
            First,
            Second,
            Total,
            Iter,
            YieldOnceFuture,
            Value,
            Iter2,
            YieldOnceFuture2,
            Value3,
        >,
    > for TwoListsLocals<A, B> {
        fn drop_in_order(
            &mut self,
            state: &mut TwoLists<
                First,
                Second,
                Total,
                Iter,
                YieldOnceFuture,
                Value,
                Iter2,
                YieldOnceFuture2,
                Value3,
            >,
        ) {
            match state {
                TwoLists::WaitingForYieldOnce { yield_once_future, .. } => {
                    unsafe { ::core::pin::Pin::new_unchecked(yield_once_future) }
                        .clear();
                    let TwoLists::WaitingForYieldOnce { second, total, iter, .. } = ::core::mem::replace(
                        state,
                        TwoLists::Poisoned,
                    ) else { ::core::unreachable!() };
                    ::core::mem::drop(iter);
                    self.a_or_b.clear_a();
                    ::core::mem::drop(total);
                    ::core::mem::drop(second);
                }
                TwoLists::WaitingForYieldOnce2 { yield_once_future, .. } => {
                    unsafe { ::core::pin::Pin::new_unchecked(yield_once_future) }
                        .clear();
                    let TwoLists::WaitingForYieldOnce2 { total, iter2, .. } = ::core::mem::replace(
                        state,
                        TwoLists::Poisoned,
                    ) else { ::core::unreachable!() };
                    ::core::mem::drop(iter2);
                    self.a_or_b.clear_b();
                    ::core::mem::drop(total);
                }
                _ => {}
            }
        }
    }
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
        ::desugar_runtime::InOrder {
            state: TwoLists::Start { first, second },
            locals: TwoListsLocals {
                a_or_b: TwoListsAOrB::A(::desugar_runtime::Slot::empty()),
            },
        },
        |mut pinned, cx| -> ::core::task::Poll<usize> {
            'poll: loop {
                let ::desugar_runtime::InOrder { state: state, locals: locals } = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    TwoLists::Start { .. } => {
                        let TwoLists::Start { first, second } = ::core::mem::replace(
                            state,
                            TwoLists::Poisoned,
                        ) else { ::core::unreachable!() };
                        let mut total = 0;
                        {
                            let a = locals
                                .a_or_b
                                .a()
                                .put({
                                    let value: Vec<usize> = (0..first).collect();
                                    value
                                });
                            let a_scope = ::desugar_runtime::ScopeEnd::of(
                                &mut locals.a_or_b,
                                TwoListsAOrB::clear_a,
                            );
                            {
                                let mut iter = unsafe {
                                    ::core::iter::IntoIterator::into_iter(&(*a))
                                };
                                a_scope.keep();
                                *state = TwoLists::ForLoop {
                                    iter,
                                    total,
                                    second,
                                };
                                continue 'poll;
                            }
                        }
                    }
                    TwoLists::ForLoop { .. } => {
                        let TwoLists::ForLoop { second, mut total, mut iter } = ::core::mem::replace(
                            state,
                            TwoLists::Poisoned,
                        ) else { ::core::unreachable!() };
                        let a_scope = ::desugar_runtime::ScopeEnd::of(
                            &mut locals.a_or_b,
                            TwoListsAOrB::clear_a,
                        );
                        let mut iter = iter;
                        match ::core::iter::Iterator::next(&mut iter) {
                            ::core::option::Option::Some(x) => {
                                a_scope.keep();
                                *state = TwoLists::WaitingForYieldOnce {
                                    yield_once_future: ::desugar_runtime::Awaitee::new(
                                        yield_once(*x),
                                    ),
                                    iter,
                                    total,
                                    second,
                                };
                                continue 'poll;
                            }
                            ::core::option::Option::None => {
                                let value = ();
                                a_scope.keep();
                                *state = TwoLists::AfterForLoop {
                                    value,
                                    total,
                                    second,
                                };
                                continue 'poll;
                            }
                        }
                    }
                    TwoLists::WaitingForYieldOnce { yield_once_future, .. } => {
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
                        let TwoLists::WaitingForYieldOnce {
                            second,
                            mut total,
                            mut iter,
                            ..
                        } = ::core::mem::replace(state, TwoLists::Poisoned) else {
                            ::core::unreachable!()
                        };
                        let a_scope = ::desugar_runtime::ScopeEnd::of(
                            &mut locals.a_or_b,
                            TwoListsAOrB::clear_a,
                        );
                        let mut iter = iter;
                        total += output;
                        a_scope.keep();
                        *state = TwoLists::ForLoop {
                            iter,
                            total,
                            second,
                        };
                        continue 'poll;
                    }
                    TwoLists::AfterForLoop { .. } => {
                        let TwoLists::AfterForLoop { second, mut total, value } = ::core::mem::replace(
                            state,
                            TwoLists::Poisoned,
                        ) else { ::core::unreachable!() };
                        let a_scope = ::desugar_runtime::ScopeEnd::of(
                            &mut locals.a_or_b,
                            TwoListsAOrB::clear_a,
                        );
                        let value = value;
                        { value };
                        locals.a_or_b.clear_a();
                        {
                            let b = locals
                                .a_or_b
                                .b()
                                .put({
                                    let value: Vec<usize> = (0..second).collect();
                                    value
                                });
                            let b_scope = ::desugar_runtime::ScopeEnd::of(
                                &mut locals.a_or_b,
                                TwoListsAOrB::clear_b,
                            );
                            {
                                let mut iter2 = unsafe {
                                    ::core::iter::IntoIterator::into_iter(&(*b))
                                };
                                b_scope.keep();
                                *state = TwoLists::ForLoop2 { iter2, total };
                                continue 'poll;
                            }
                        }
                    }
                    TwoLists::ForLoop2 { .. } => {
                        let TwoLists::ForLoop2 { mut total, mut iter2 } = ::core::mem::replace(
                            state,
                            TwoLists::Poisoned,
                        ) else { ::core::unreachable!() };
                        let b_scope = ::desugar_runtime::ScopeEnd::of(
                            &mut locals.a_or_b,
                            TwoListsAOrB::clear_b,
                        );
                        let mut iter2 = iter2;
                        match ::core::iter::Iterator::next(&mut iter2) {
                            ::core::option::Option::Some(x) => {
                                b_scope.keep();
                                *state = TwoLists::WaitingForYieldOnce2 {
                                    yield_once_future: ::desugar_runtime::Awaitee::new(
                                        yield_once(*x * 10),
                                    ),
                                    iter2,
                                    total,
                                };
                                continue 'poll;
                            }
                            ::core::option::Option::None => {
                                let value3 = ();
                                b_scope.keep();
                                *state = TwoLists::AfterForLoop2 {
                                    value3,
                                    total,
                                };
                                continue 'poll;
                            }
                        }
                    }
                    TwoLists::WaitingForYieldOnce2 { yield_once_future, .. } => {
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
                        let TwoLists::WaitingForYieldOnce2 {
                            mut total,
                            mut iter2,
                            ..
                        } = ::core::mem::replace(state, TwoLists::Poisoned) else {
                            ::core::unreachable!()
                        };
                        let b_scope = ::desugar_runtime::ScopeEnd::of(
                            &mut locals.a_or_b,
                            TwoListsAOrB::clear_b,
                        );
                        let mut iter2 = iter2;
                        total += output;
                        b_scope.keep();
                        *state = TwoLists::ForLoop2 { iter2, total };
                        continue 'poll;
                    }
                    TwoLists::AfterForLoop2 { .. } => {
                        let TwoLists::AfterForLoop2 { mut total, value3 } = ::core::mem::replace(
                            state,
                            TwoLists::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = 'finish: {
                            let b_scope = ::desugar_runtime::ScopeEnd::of(
                                &mut locals.a_or_b,
                                TwoListsAOrB::clear_b,
                            );
                            let value3 = value3;
                            { value3 };
                            locals.a_or_b.clear_b();
                            let output = total;
                            break 'finish output;
                        };
                        locals.a_or_b.clear_current();
                        *state = TwoLists::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    TwoLists::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    TwoLists::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut first: usize, mut second: usize| -> usize {
        let mut total = 0;
        {
            let mut a: Vec<usize> = (0..first).collect();
            for mut x in &a {
                total += ::desugar_runtime::as_written_await(yield_once(*x));
            }
        }
        {
            let mut b: Vec<usize> = (0..second).collect();
            for mut x in &b {
                total += ::desugar_runtime::as_written_await(yield_once(*x * 10));
            }
        }
        total
    };
    machine
}
