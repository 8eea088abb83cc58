use desugar_runtime::desugar;
/// # State machine
///
/// The states of `FetchData` and what moves it between them (Mermaid). A panic
/// in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.
///
/// ```text
/// flowchart TD
///     runtime(["runtime (executor)"])
///     Start["Start: created, not polled yet"]
///     WaitingForUrl["WaitingForUrl: waiting for build_url()"]
///     WaitingForResponse["WaitingForResponse: waiting for http_get(url)"]
///     Done(("Done: finished"))
///     runtime -->|"poll()"| Start
///     Start -->|"first poll"| WaitingForUrl
///     WaitingForUrl -->|"Pending"| runtime
///     WaitingForUrl -->|"build_url() Ready"| WaitingForResponse
///     WaitingForResponse -->|"Pending"| runtime
///     WaitingForResponse -->|"http_get(url) Ready, return"| Done
///     Done -->|"Ready(output)"| runtime
/// ```
fn fetch_data() -> impl ::core::future::Future<Output = String> {
    /// The states of `fetch_data`: `Start`, one state per `.await`, and `Done`.
    enum FetchData<BuildUrlFuture, HttpGetFuture> {
        /// Created, not polled yet.
        Start,
        /// Waiting for `build_url()`.
        WaitingForUrl { build_url_future: ::desugar_runtime::Awaitee<BuildUrlFuture> },
        /// Waiting for `http_get(url)`.
        WaitingForResponse {
            http_get_future: ::desugar_runtime::Awaitee<HttpGetFuture>,
        },
        /// Finished: polling again panics.
        Done,
        /// A poll panicked: polling again panics.
        Poisoned,
    }
    /// A panic during a poll drops what the state holds.
    impl<BuildUrlFuture, HttpGetFuture> ::desugar_runtime::Poison
    for FetchData<BuildUrlFuture, HttpGetFuture> {
        fn poison(&mut self) {
            *self = FetchData::Poisoned;
        }
    }
    /// `Send` when every value it holds is: the compiler's rule, written
    /// out so that an error names the value that is not.
    unsafe impl<BuildUrlFuture, HttpGetFuture> ::core::marker::Send
    for FetchData<BuildUrlFuture, HttpGetFuture>
    where
        BuildUrlFuture: ::core::marker::Send,
        HttpGetFuture: ::core::marker::Send,
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
        FetchData::Start,
        |mut pinned, cx| -> ::core::task::Poll<String> {
            loop {
                let state = unsafe {
                    ::core::pin::Pin::get_unchecked_mut(pinned.as_mut())
                };
                match state {
                    FetchData::Start => {
                        *state = FetchData::Poisoned;
                        *state = FetchData::WaitingForUrl {
                            build_url_future: ::desugar_runtime::Awaitee::new(
                                build_url(),
                            ),
                        };
                        continue;
                    }
                    FetchData::WaitingForUrl { build_url_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(build_url_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        *state = FetchData::Poisoned;
                        let url = output;
                        *state = FetchData::WaitingForResponse {
                            http_get_future: ::desugar_runtime::Awaitee::new(
                                http_get(url),
                            ),
                        };
                        continue;
                    }
                    FetchData::WaitingForResponse { http_get_future, .. } => {
                        let output = match unsafe {
                            ::core::pin::Pin::new_unchecked(http_get_future)
                        }
                            .poll(cx)
                        {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        *state = FetchData::Poisoned;
                        let response = output;
                        let output = response.body;
                        *state = FetchData::Done;
                        return ::core::task::Poll::Ready(output);
                    }
                    FetchData::Done => {
                        ::core::panic!("`async fn` resumed after completion")
                    }
                    FetchData::Poisoned => {
                        ::core::panic!("`async fn` resumed after panicking")
                    }
                }
            }
        },
    );
    machine
}
