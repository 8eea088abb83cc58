use desugar_runtime::desugar;
struct Lines {
    left: Vec<String>,
}
impl Lines {
    async fn next_line(&mut self) -> Option<String> {
        self.left.pop()
    }
}
/// # State machine
///
/// The states of `CountLines` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WhileLoop["WhileLoop: top of the while loop"]
///     WaitingForNextLine["WaitingForNextLine: waiting for lines.next_line()"]
///     AfterWhileLoop["AfterWhileLoop: after the while loop"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WhileLoop
///     WhileLoop -->|"runs on"| WaitingForNextLine
///     WaitingForNextLine -->|"Pending"| runtime
///     WaitingForNextLine -->|"lines.next_line() Ready, break"| AfterWhileLoop
///     WaitingForNextLine -->|"lines.next_line() Ready, loop back"| WhileLoop
///     AfterWhileLoop -->|"return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn count_lines(lines: Lines) -> impl ::core::future::Future<Output = usize> {
    /// The states of `count_lines`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum CountLines<Lines, Count, NextLineFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { lines: Lines },
        /// At the top of the `while` loop; keeps `count` for later.
        WhileLoop { count: Count },
        /// Waiting for `lines.next_line()`; keeps `count` for later.
        WaitingForNextLine {
            next_line_future: ::desugar_runtime::Awaitee<NextLineFuture>,
            count: Count,
        },
        /// After the `while` loop; keeps `count` for later.
        AfterWhileLoop { count: Count },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Lines, Count, NextLineFuture> ::desugar_runtime::Poison
    for CountLines<Lines, Count, NextLineFuture> {
        fn poison(&mut self) {
            *self = CountLines::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Lines, Count, NextLineFuture> ::core::marker::Send
    for CountLines<Lines, Count, NextLineFuture>
    where
        Lines: ::core::marker::Send,
        Count: ::core::marker::Send,
        NextLineFuture: ::core::marker::Send,
    {}
    /// The locals of `count_lines` that other values borrow across an `.await`: they stay in one place while the states change around them.
    struct CountLinesLocals<Lines> {
        lines: ::desugar_runtime::Slot<Lines>,
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Lines> ::core::marker::Send for CountLinesLocals<Lines>
    where
        Lines: ::core::marker::Send,
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
            CountLines::Start { lines },
            CountLinesLocals {
                lines: ::desugar_runtime::Slot::empty(),
            },
        ),
        |mut pinned, cx| -> ::core::task::Poll<usize> {
            'poll: loop {
                let (state, locals) = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    CountLines::Start { .. } => {
                        let CountLines::Start { mut lines } = ::core::mem::replace(
                            state,
                            CountLines::Poisoned,
                        ) else { ::core::unreachable!() };
                        let lines = locals.lines.put(lines);
                        let mut count = 0;
                        *state = CountLines::WhileLoop { count };
                        continue 'poll;
                    }
                    CountLines::WhileLoop { .. } => {
                        let CountLines::WhileLoop { mut count } = ::core::mem::replace(
                            state,
                            CountLines::Poisoned,
                        ) else { ::core::unreachable!() };
                        let lines_scope = locals.lines.scope();
                        let lines = locals.lines.as_ptr();
                        lines_scope.keep();
                        *state = CountLines::WaitingForNextLine {
                            next_line_future: ::desugar_runtime::Awaitee::new(unsafe {
                                (*lines).next_line()
                            }),
                            count,
                        };
                        continue 'poll;
                    }
                    CountLines::WaitingForNextLine { next_line_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(next_line_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let CountLines::WaitingForNextLine { mut count, .. } = ::core::mem::replace(
                            state,
                            CountLines::Poisoned,
                        ) else { ::core::unreachable!() };
                        let lines_scope = locals.lines.scope();
                        match output {
                            Some(line) => {
                                if !line.is_empty() {
                                    count += 1;
                                }
                            }
                            _ => {
                                lines_scope.keep();
                                *state = CountLines::AfterWhileLoop {
                                    count,
                                };
                                continue 'poll;
                            }
                        };
                        lines_scope.keep();
                        *state = CountLines::WhileLoop { count };
                        continue 'poll;
                    }
                    CountLines::AfterWhileLoop { .. } => {
                        let CountLines::AfterWhileLoop { mut count } = ::core::mem::replace(
                            state,
                            CountLines::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = 'finish: {
                            let lines_scope = locals.lines.scope();
                            let output = count;
                            break 'finish output;
                        };
                        locals.lines.clear();
                        *state = CountLines::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    CountLines::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    CountLines::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut lines: Lines| -> usize {
        let mut count = 0;
        while let Some(line) = ::desugar_runtime::as_written_await(lines.next_line()) {
            if !line.is_empty() {
                count += 1;
            }
        }
        count
    };
    machine
}
