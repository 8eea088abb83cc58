use desugar_runtime::desugar;
/// # State machine
///
/// The states of `CountWords` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WhileLoop["WhileLoop: top of the while loop"]
///     WaitingForNextLine["WaitingForNextLine: waiting for lines.next_line()"]
///     WaitingForReply["WaitingForReply: waiting for reply(parts[0])"]
///     AfterWhileLoop["AfterWhileLoop: after the while loop"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WhileLoop
///     WhileLoop -->|"runs on"| WaitingForNextLine
///     WaitingForNextLine -->|"Pending"| runtime
///     WaitingForNextLine -->|"lines.next_line() Ready"| WaitingForReply
///     WaitingForNextLine -->|"lines.next_line() Ready, break"| AfterWhileLoop
///     WaitingForReply -->|"Pending"| runtime
///     WaitingForReply -->|"reply(parts[0]) Ready, loop back"| WhileLoop
///     AfterWhileLoop -->|"return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn count_words(lines: Lines) -> impl ::core::future::Future<Output = usize> {
    /// The states of `count_words`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum CountWords<Lines, Words, NextLineFuture, Parts, ReplyFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { lines: Lines },
        /// At the top of the `while` loop; keeps `words` for later.
        WhileLoop { words: Words },
        /// Waiting for `lines.next_line()`; keeps `words` for later.
        WaitingForNextLine {
            next_line_future: ::desugar_runtime::Awaitee<NextLineFuture>,
            words: Words,
        },
        /// Waiting for `reply(parts[0])`; keeps `words`, `parts` for later.
        WaitingForReply {
            reply_future: ::desugar_runtime::Awaitee<ReplyFuture>,
            parts: Parts,
            words: Words,
        },
        /// After the `while` loop; keeps `words` for later.
        AfterWhileLoop { words: Words },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Lines, Words, NextLineFuture, Parts, ReplyFuture> ::desugar_runtime::Poison
    for CountWords<Lines, Words, NextLineFuture, Parts, ReplyFuture> {
        fn poison(&mut self) {
            *self = CountWords::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Lines, Words, NextLineFuture, Parts, ReplyFuture> ::core::marker::Send
    for CountWords<Lines, Words, NextLineFuture, Parts, ReplyFuture>
    where
        Lines: ::core::marker::Send,
        Words: ::core::marker::Send,
        NextLineFuture: ::core::marker::Send,
        Parts: ::core::marker::Send,
        ReplyFuture: ::core::marker::Send,
    {}
    /// The locals of `count_words` that other values borrow across an `.await`: they stay in one place while the states change around them.
    struct CountWordsLocals<Lines, Line2> {
        line_2: ::desugar_runtime::Slot<Line2>,
        lines: ::desugar_runtime::Slot<Lines>,
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Lines, Line2> ::core::marker::Send for CountWordsLocals<Lines, Line2>
    where
        Lines: ::core::marker::Send,
        Line2: ::core::marker::Send,
    {}
    /// Dropping the machine (or a panic in a poll) drops the values
    /// of these states and the locals in slots newest first, as
    /// the compiler does.
    #[allow(unused_unsafe, dropping_copy_types, dropping_references, clippy::all)]
    impl<
        Lines,
        Words,
        NextLineFuture,
        Parts,
        ReplyFuture,
        Line2,
    > ::desugar_runtime::DropInOrder<
        CountWords<Lines, Words, NextLineFuture, Parts, ReplyFuture>,
    > for CountWordsLocals<Lines, Line2> {
        fn drop_in_order(
            &mut self,
            state: &mut CountWords<Lines, Words, NextLineFuture, Parts, ReplyFuture>,
        ) {
            match state {
                CountWords::WaitingForReply { reply_future, .. } => {
                    unsafe { ::core::pin::Pin::new_unchecked(reply_future) }.clear();
                    let CountWords::WaitingForReply { words, parts, .. } = ::core::mem::replace(
                        state,
                        CountWords::Poisoned,
                    ) else { ::core::unreachable!() };
                    ::core::mem::drop(parts);
                    self.line_2.clear();
                    ::core::mem::drop(words);
                    self.lines.clear();
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
            state: CountWords::Start { lines },
            locals: CountWordsLocals {
                line_2: ::desugar_runtime::Slot::empty(),
                lines: ::desugar_runtime::Slot::empty(),
            },
        },
        |mut pinned, cx| -> ::core::task::Poll<usize> {
            'poll: loop {
                let ::desugar_runtime::InOrder { state: state, locals: locals } = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    CountWords::Start { .. } => {
                        let CountWords::Start { mut lines } = ::core::mem::replace(
                            state,
                            CountWords::Poisoned,
                        ) else { ::core::unreachable!() };
                        let lines = locals.lines.put(lines);
                        let mut words = 0;
                        *state = CountWords::WhileLoop { words };
                        continue 'poll;
                    }
                    CountWords::WhileLoop { .. } => {
                        let CountWords::WhileLoop { mut words } = ::core::mem::replace(
                            state,
                            CountWords::Poisoned,
                        ) else { ::core::unreachable!() };
                        let lines_scope = locals.lines.scope();
                        locals.line_2.clear();
                        let lines = locals.lines.as_ptr();
                        lines_scope.keep();
                        *state = CountWords::WaitingForNextLine {
                            next_line_future: ::desugar_runtime::Awaitee::new(unsafe {
                                (*lines).next_line()
                            }),
                            words,
                        };
                        continue 'poll;
                    }
                    CountWords::WaitingForNextLine { next_line_future, .. } => {
                        let output1 = match unsafe {
                            ::core::pin::Pin::new_unchecked(next_line_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output1) => output1,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let CountWords::WaitingForNextLine { mut words, .. } = ::core::mem::replace(
                            state,
                            CountWords::Poisoned,
                        ) else { ::core::unreachable!() };
                        let lines_scope = locals.lines.scope();
                        locals.line_2.clear();
                        match output1 {
                            Some(line) => {
                                let line_2 = locals.line_2.put(line);
                                let line_2_scope = locals.line_2.scope();
                                {
                                    let parts: Vec<&str> = unsafe {
                                        (*line_2).split(' ').collect()
                                    };
                                    lines_scope.keep();
                                    line_2_scope.keep();
                                    *state = CountWords::WaitingForReply {
                                        reply_future: ::desugar_runtime::Awaitee::new(
                                            reply(parts[0]),
                                        ),
                                        parts,
                                        words,
                                    };
                                    continue 'poll;
                                }
                            }
                            _ => {
                                lines_scope.keep();
                                *state = CountWords::AfterWhileLoop {
                                    words,
                                };
                                continue 'poll;
                            }
                        }
                    }
                    CountWords::WaitingForReply { reply_future, .. } => {
                        let output2 = match unsafe {
                            ::core::pin::Pin::new_unchecked(reply_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output2) => output2,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let CountWords::WaitingForReply { mut words, parts, .. } = ::core::mem::replace(
                            state,
                            CountWords::Poisoned,
                        ) else { ::core::unreachable!() };
                        let lines_scope = locals.lines.scope();
                        let line_2_scope = locals.line_2.scope();
                        let parts = parts;
                        {
                            let parts = parts;
                            let output2 = output2;
                            output2;
                            words += parts.len();
                        };
                        lines_scope.keep();
                        *state = CountWords::WhileLoop { words };
                        continue 'poll;
                    }
                    CountWords::AfterWhileLoop { .. } => {
                        let CountWords::AfterWhileLoop { mut words } = ::core::mem::replace(
                            state,
                            CountWords::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = 'finish: {
                            let lines_scope = locals.lines.scope();
                            locals.line_2.clear();
                            let output = words;
                            break 'finish output;
                        };
                        locals.line_2.clear();
                        locals.lines.clear();
                        *state = CountWords::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    CountWords::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    CountWords::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut lines: Lines| -> usize {
        let mut words = 0;
        while let Some(line) = ::desugar_runtime::as_written_await(lines.next_line()) {
            let mut line_2 = line;
            {
                let mut parts: Vec<&str> = line_2.split(' ').collect();
                ::desugar_runtime::moved_by_await(
                    ::desugar_runtime::as_written_await(reply(parts[0])),
                    (&mut parts,),
                );
                words += parts.len();
            };
        }
        words
    };
    machine
}
