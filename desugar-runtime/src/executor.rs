//! A minimal executor ([`poll_to_completion`]) and a poll counter ([`count_polls`]).

use core::future::{Future, IntoFuture};
use core::pin::{pin, Pin};
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll};
use std::sync::Arc;
use std::task::Wake;
use std::thread::{self, Thread};

/// Polls `future` on the current thread until it is ready and returns its
/// output.
///
/// Between polls the thread parks until the future's waker is called, from
/// this thread or any other (the waker unparks this thread). This is the
/// helper from Lesson 1: the smallest thing that can run a future.
///
/// ```
/// use desugar_runtime::{poll_to_completion, yield_once};
/// assert_eq!(poll_to_completion(yield_once(7)), 7);
/// ```
pub fn poll_to_completion<F: IntoFuture>(future: F) -> F::Output {
    let mut future = pin!(future.into_future());
    let waker = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let task_waker = Arc::clone(&waker).into();
    let mut cx = Context::from_waker(&task_waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // Sleep until a wake-up arrives; `swap` consumes it. A wake-up sent
        // before we got here is not lost: the flag is already set.
        while !waker.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}

struct ThreadWaker {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// Wraps `future` so that it also reports how many times it was polled:
/// the output becomes `(output, polls)`. Works under any executor.
///
/// ```
/// use desugar_runtime::{count_polls, poll_to_completion, yield_once};
/// let (value, polls) = poll_to_completion(count_polls(yield_once('x')));
/// assert_eq!((value, polls), ('x', 2));
/// ```
pub fn count_polls<F: IntoFuture>(future: F) -> CountPolls<F::IntoFuture> {
    CountPolls {
        future: future.into_future(),
        polls: 0,
    }
}

/// The future returned by [`count_polls`].
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct CountPolls<F> {
    future: F,
    polls: usize,
}

impl<F> CountPolls<F> {
    /// How many times the wrapped future has been polled so far.
    pub fn polls(&self) -> usize {
        self.polls
    }
}

impl<F: Future> Future for CountPolls<F> {
    type Output = (F::Output, usize);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned (only reached through this
        // `Pin::new_unchecked`, never moved); `polls` is a plain counter that
        // is never pinned.
        let this = unsafe { self.get_unchecked_mut() };
        this.polls += 1;
        // SAFETY: see above.
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        future.poll(cx).map(|output| (output, this.polls))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    struct WokenFromAnotherThread {
        started: bool,
        done: Arc<AtomicBool>,
    }

    impl Future for WokenFromAnotherThread {
        type Output = &'static str;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
            if self.done.load(Ordering::Acquire) {
                return Poll::Ready("woken");
            }
            if !self.started {
                self.started = true;
                let waker = cx.waker().clone();
                let done = Arc::clone(&self.done);
                thread::spawn(move || {
                    thread::sleep(Duration::from_millis(20));
                    done.store(true, Ordering::Release);
                    waker.wake();
                });
            }
            Poll::Pending
        }
    }

    #[test]
    fn wakes_from_another_thread() {
        let future = WokenFromAnotherThread {
            started: false,
            done: Arc::new(AtomicBool::new(false)),
        };
        let (out, polls) = poll_to_completion(count_polls(future));
        assert_eq!(out, "woken");
        assert!(polls >= 2, "polled {polls} times");
    }

    #[test]
    fn counts_polls_of_yield_once() {
        assert_eq!(
            poll_to_completion(count_polls(crate::yield_once(1))),
            (1, 2)
        );
    }
}
