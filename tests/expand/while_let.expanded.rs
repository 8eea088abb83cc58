use desugar_runtime::desugar;
struct Lines {
    left: Vec<String>,
}
impl Lines {
    async fn next_line(&mut self) -> Option<String> {
        self.left.pop()
    }
}
fn count_lines(lines: Lines) -> impl ::core::future::Future<Output = usize> {
    /// The states of `count_lines`: `Start`, one state per `.await`, the loop heads and join points its control flow needs, and `Done`.
    enum CountLines<Lines, Count, NextLineFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { lines: Lines },
        /// At the top of the `while` loop; keeps `lines`, `count` for later.
        WhileLoop { count: Count, lines: Lines },
        /// Waiting for `lines.next_line()`; keeps `lines`, `count` for later.
        WaitingForNextLine {
            next_line_future: ::desugar_runtime::Awaitee<NextLineFuture>,
            count: Count,
            lines: Lines,
        },
        /// After the `while` loop; keeps `lines`, `count` for later.
        AfterWhileLoop { count: Count, lines: Lines },
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
    #[allow(
        unreachable_code,
        unused_mut,
        unused_variables,
        dropping_copy_types,
        irrefutable_let_patterns,
        clippy::all
    )]
    let machine = ::desugar_runtime::StateMachine::new(
        CountLines::Start { lines },
        |mut pinned, cx| -> ::core::task::Poll<usize> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    CountLines::Start { .. } => {
                        let CountLines::Start { mut lines } = ::core::mem::replace(
                            state,
                            CountLines::Poisoned,
                        ) else { ::core::unreachable!() };
                        let mut count = 0;
                        *state = CountLines::WhileLoop {
                            count,
                            lines,
                        };
                        continue;
                    }
                    CountLines::WhileLoop { .. } => {
                        let CountLines::WhileLoop { mut lines, mut count } = ::core::mem::replace(
                            state,
                            CountLines::Poisoned,
                        ) else { ::core::unreachable!() };
                        *state = CountLines::WaitingForNextLine {
                            next_line_future: ::desugar_runtime::Awaitee::empty(),
                            count,
                            lines,
                        };
                        let CountLines::WaitingForNextLine { lines, .. } = &mut *state
                        else { ::core::unreachable!() };
                        let (lines,) = unsafe { (::desugar_runtime::detach(lines),) };
                        let future = (*lines).next_line();
                        let CountLines::WaitingForNextLine { next_line_future, .. } = &mut *state
                        else { ::core::unreachable!() };
                        unsafe { ::core::pin::Pin::new_unchecked(next_line_future) }
                            .set(future);
                        continue;
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
                        let CountLines::WaitingForNextLine {
                            mut lines,
                            mut count,
                            ..
                        } = ::core::mem::replace(state, CountLines::Poisoned) else {
                            ::core::unreachable!()
                        };
                        match output {
                            Some(line) => {
                                if !line.is_empty() {
                                    count += 1;
                                }
                            }
                            _ => {
                                *state = CountLines::AfterWhileLoop {
                                    count,
                                    lines,
                                };
                                continue;
                            }
                        };
                        *state = CountLines::WhileLoop {
                            count,
                            lines,
                        };
                        continue;
                    }
                    CountLines::AfterWhileLoop { .. } => {
                        let CountLines::AfterWhileLoop { mut lines, mut count } = ::core::mem::replace(
                            state,
                            CountLines::Poisoned,
                        ) else { ::core::unreachable!() };
                        let output = count;
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
    machine
}
