//! [`YieldOnce`]: the smallest interesting future (seed exercise 1).

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// A future that returns `Pending` on its first poll (after waking its task,
/// so the executor polls again at once), then `Ready(value)`. It simulates one
/// asynchronous operation that completes immediately.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct YieldOnce<T> {
    value: Option<T>,
    yielded: bool,
}

/// Returns a [`YieldOnce`] that yields once, then produces `value`.
///
/// ```
/// use desugar_runtime::{count_polls, poll_to_completion, yield_once};
/// assert_eq!(poll_to_completion(count_polls(yield_once("hi"))), ("hi", 2));
/// ```
pub fn yield_once<T>(value: T) -> YieldOnce<T> {
    YieldOnce {
        value: Some(value),
        yielded: false,
    }
}

// `value` is never pinned: it is only moved out, so `YieldOnce` is `Unpin`
// whatever `T` is.
impl<T> Unpin for YieldOnce<T> {}

impl<T> Future for YieldOnce<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.yielded {
            Poll::Ready(
                self.value
                    .take()
                    .expect("`YieldOnce` polled after completion"),
            )
        } else {
            self.yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}
