use desugar_runtime::desugar;
use tokio::io::{AsyncRead, AsyncReadExt};
/// # State machine
///
/// The states of `ReadPrefix` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, holds the arguments"]
///     WaitingForN["WaitingForN: waiting for reader.read(&mut buf)"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForN
///     WaitingForN -->|"Pending"| runtime
///     WaitingForN -->|"reader.read(&mut buf) Ready, ? error"| Done
///     WaitingForN -->|"reader.read(&mut buf) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn read_prefix<'life0: 'future, 'future, R: AsyncRead + Unpin + 'future>(
    reader: &'life0 mut R,
) -> impl ::core::future::Future<
    Output = std::io::Result<Vec<u8>>,
> + ::desugar_runtime::Captures<(&'life0 (),)> + 'future {
    /// The states of `read_prefix`: `Start`, one state per `.await`, and `Done`.
    enum ReadPrefix<Reader, Buf, ReadFuture> {
        /// Created, not polled yet: holds the arguments.
        Start { reader: Reader },
        /// Waiting for `reader.read(&mut buf)`; keeps `reader`, `buf` for later.
        WaitingForN {
            read_future: ::desugar_runtime::Awaitee<ReadFuture>,
            buf: Buf,
            reader: Reader,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<Reader, Buf, ReadFuture> ::desugar_runtime::Poison
    for ReadPrefix<Reader, Buf, ReadFuture> {
        fn poison(&mut self) {
            *self = ReadPrefix::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<Reader, Buf, ReadFuture> ::core::marker::Send
    for ReadPrefix<Reader, Buf, ReadFuture>
    where
        Reader: ::core::marker::Send,
        Buf: ::core::marker::Send,
        ReadFuture: ::core::marker::Send,
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
        ReadPrefix::Start { reader },
        |mut pinned, cx| -> ::core::task::Poll<std::io::Result<Vec<u8>>> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    ReadPrefix::Start { .. } => {
                        let ReadPrefix::Start { reader } = ::core::mem::replace(
                            state,
                            ReadPrefix::Poisoned,
                        ) else { ::core::unreachable!() };
                        let mut buf = [0u8; 8];
                        *state = ReadPrefix::WaitingForN {
                            read_future: ::desugar_runtime::Awaitee::empty(),
                            buf,
                            reader,
                        };
                        let ReadPrefix::WaitingForN { reader, buf, .. } = &mut *state
                        else { ::core::unreachable!() };
                        let (reader, buf) = unsafe {
                            (
                                ::desugar_runtime::detach(reader),
                                ::desugar_runtime::detach(buf),
                            )
                        };
                        let future = (*reader).read(&mut (*buf));
                        let ReadPrefix::WaitingForN { read_future, .. } = &mut *state
                        else { ::core::unreachable!() };
                        unsafe { ::core::pin::Pin::new_unchecked(read_future) }
                            .set(future);
                        continue;
                    }
                    ReadPrefix::WaitingForN { read_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(read_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ReadPrefix::WaitingForN { reader, mut buf, .. } = ::core::mem::replace(
                            state,
                            ReadPrefix::Poisoned,
                        ) else { ::core::unreachable!() };
                        let n = match ::desugar_runtime::Try::branch(output) {
                            ::core::ops::ControlFlow::Continue(value) => value,
                            ::core::ops::ControlFlow::Break(residual) => {
                                *state = ReadPrefix::Done;
                                return ::core::task::Poll::Ready(
                                    ::desugar_runtime::FromResidual::from_residual(residual),
                                );
                            }
                        };
                        let output = Ok(buf[..n].to_vec());
                        *state = ReadPrefix::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    ReadPrefix::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    ReadPrefix::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    /// The body as written, never run: the compiler borrow-checks it, with the locals the state machine moves at each `.await` marked (`moved_by_await`).
    #[allow(warnings, clippy::all)]
    let as_written = |mut reader: &'life0 mut R| -> std::io::Result<Vec<u8>> {
        let mut buf = [0u8; 8];
        let mut n = ::desugar_runtime::moved_by_await(
            ::desugar_runtime::as_written_await(reader.read(&mut buf)),
            (&mut buf,),
        )?;
        Ok(buf[..n].to_vec())
    };
    machine
}
