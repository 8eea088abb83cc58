//! The adapter the generated code uses to become a [`Future`].
//!
//! In: a state enum written by `#[desugar]` and a step closure that advances
//! it. Out: a `!Unpin` future whose `poll` calls the closure with the pinned
//! state. Plus [`Awaitee`], the in-place slot for an awaited sub-future.

use core::fmt;
use core::future::{Future, IntoFuture};
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::task::{Context, Poll};

/// A state enum plus the closure that advances it: the future a desugared
/// `async fn` returns.
///
/// The enum that `#[desugar]` writes is generic over the type of every value
/// it stores, because the types of sub-futures cannot be named on stable Rust.
/// The step closure is type-checked together with the function it lives in,
/// so the compiler infers all those type parameters from the assignments in
/// the closure. `StateMachine` only has to call that closure from
/// [`Future::poll`]:
///
/// ```
/// use core::pin::Pin;
/// use core::task::Poll;
/// use desugar_runtime::{poll_to_completion, Poison, StateMachine};
///
/// enum Countdown { Start { n: u32 }, Done }
/// impl Poison for Countdown {
///     fn poison(&mut self) { *self = Countdown::Done; }
/// }
/// let future = StateMachine::new(Countdown::Start { n: 3 }, |mut state: Pin<&mut Countdown>, cx| {
///     match *state {
///         Countdown::Start { n: 0 } => { state.set(Countdown::Done); Poll::Ready("lift-off") }
///         Countdown::Start { ref mut n } => { *n -= 1; cx.waker().wake_by_ref(); Poll::Pending }
///         Countdown::Done => panic!("polled after completion"),
///     }
/// });
/// assert_eq!(poll_to_completion(future), "lift-off");
/// ```
///
/// Like the compiler's own futures, a `StateMachine` is `!Unpin`: a sub-future
/// stored in the state may point into the state, so the state must never move
/// once it has been polled.
pub struct StateMachine<S, F> {
    state: S,
    step: F,
    _pinned: PhantomPinned,
}

impl<S, F> StateMachine<S, F> {
    /// Wraps the initial state (`Start`, holding the arguments) and the step
    /// closure. Nothing runs until the first poll.
    pub fn new<T>(initial: S, step: F) -> Self
    where
        F: FnMut(Pin<&mut S>, &mut Context<'_>) -> Poll<T>,
    {
        StateMachine {
            state: initial,
            step,
            _pinned: PhantomPinned,
        }
    }
}

impl<S, F, T> Future for StateMachine<S, F>
where
    S: Poison,
    F: FnMut(Pin<&mut S>, &mut Context<'_>) -> Poll<T>,
{
    type Output = T;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: `state` is structurally pinned: it is only ever reached as
        // `Pin<&mut S>` (below), never moved out, and dropped in place with
        // `self`. `step` is not pinned: we only call it through `&mut F`,
        // which cannot move the `StateMachine`.
        let this = unsafe { self.get_unchecked_mut() };
        let state: *mut S = &mut this.state;
        let guard = PoisonOnUnwind { state };
        // SAFETY: see above; `this` came from a `Pin<&mut Self>`, and the
        // guard only uses its pointer after this borrow has ended.
        let poll = (this.step)(unsafe { Pin::new_unchecked(&mut *state) }, cx);
        core::mem::forget(guard);
        poll
    }
}

/// A state enum that can be put in its poisoned state: what
/// [`StateMachine`] does when a poll panics, so that the values the state
/// held are dropped while the panic unwinds, as the compiler drops the
/// locals of an `async fn` that panics. `#[desugar]` implements it for the
/// enums it writes (`*self = Name::Poisoned`).
pub trait Poison {
    /// Drops what the state holds, in place, leaving the poisoned state.
    fn poison(&mut self);
}

/// A state and the locals kept next to it (see [`Slot`](crate::Slot)).
impl<E: Poison, L> Poison for (E, L) {
    fn poison(&mut self) {
        self.0.poison();
    }
}

/// The locals struct kept next to a state enum (see [`Slot`](crate::Slot))
/// when the compiler's drop order interleaves them: a local kept in a slot
/// that is declared after values a state holds (`for item in items` with
/// `item` borrowed across an `.await`: `item` is dropped before the
/// iterator). `#[desugar]` implements it for such a `…Locals` struct.
pub trait DropInOrder<E> {
    /// Drops what `state` holds and the slots in scope there in the
    /// compiler's order (the awaited sub-future first, then the newest
    /// value first), leaving `state` poisoned. `state` is pinned: the
    /// implementation drops its sub-future in place before moving the rest.
    fn drop_in_order(&mut self, state: &mut E);
}

/// A state enum and its locals whose drops interleave (see
/// [`DropInOrder`]): dropping it, or a panic in a poll, drops both in the
/// compiler's order. Without this wrapper the pair is a tuple, and the
/// state's values are dropped first.
pub struct InOrder<E: Poison, L: DropInOrder<E>> {
    /// The state enum.
    pub state: E,
    /// The locals kept in slots.
    pub locals: L,
}

impl<E: Poison, L: DropInOrder<E>> Poison for InOrder<E, L> {
    fn poison(&mut self) {
        self.locals.drop_in_order(&mut self.state);
        self.state.poison();
    }
}

impl<E: Poison, L: DropInOrder<E>> Drop for InOrder<E, L> {
    fn drop(&mut self) {
        self.poison();
    }
}

/// Poisons the state if dropped during a panic; forgotten otherwise.
struct PoisonOnUnwind<S: Poison> {
    state: *mut S,
}

impl<S: Poison> Drop for PoisonOnUnwind<S> {
    fn drop(&mut self) {
        // SAFETY: the pointer came from the pinned state, which is still
        // there (it is dropped only with the `StateMachine`), and the
        // step closure's borrow of it ended with the unwinding. Poisoning
        // drops the state's fields in place; nothing is moved.
        unsafe { (*self.state).poison() };
    }
}

impl<S, F> fmt::Debug for StateMachine<S, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StateMachine")
            .field("state", &core::any::type_name::<S>())
            .finish_non_exhaustive()
    }
}

/// The sub-future an `.await` is waiting on, kept in place inside a state.
///
/// A state such as `WaitingForUrl { build_url_future: Awaitee<BuildUrlFuture> }`
/// holds it. It is created with the future ([`Awaitee::new`]) or empty, to be
/// filled in place once the state's other fields are in their final place and
/// can be borrowed by the future ([`Awaitee::empty`], [`Awaitee::set`]).
/// [`Awaitee::poll`] polls the future where it lies and, when it is ready,
/// drops it right there, before anything else in the state moves. That is the
/// order the compiler uses: the awaited future is dropped as soon as the
/// `.await` finishes.
///
/// An `Awaitee` is `!Unpin` whatever the future is, so the state enum holding
/// it is `!Unpin` too: references into the state stay valid between polls.
pub struct Awaitee<F> {
    future: Option<F>,
    _pinned: PhantomPinned,
}

impl<F: Future> Awaitee<F> {
    /// A slot holding `future`, not yet polled. Like `.await`, it takes
    /// anything that turns into a future ([`IntoFuture`]).
    pub fn new(future: impl IntoFuture<IntoFuture = F>) -> Self {
        Awaitee {
            future: Some(future.into_future()),
            _pinned: PhantomPinned,
        }
    }

    /// An empty slot, to be filled in place with [`Awaitee::set`].
    pub const fn empty() -> Self {
        Awaitee {
            future: None,
            _pinned: PhantomPinned,
        }
    }

    /// Puts `future` into the slot, dropping in place whatever was there.
    pub fn set(self: Pin<&mut Self>, future: impl IntoFuture<IntoFuture = F>) {
        self.project().set(Some(future.into_future()));
    }

    /// Whether the slot holds no future (it was never filled, or the future
    /// finished and was dropped).
    pub fn is_empty(&self) -> bool {
        self.future.is_none()
    }

    /// Polls the future in place. On `Ready` the future is dropped in place
    /// and the slot becomes empty. If the future panics, it is dropped in
    /// place while the panic unwinds, as the compiler drops the locals of an
    /// `async fn` that panics.
    ///
    /// # Panics
    ///
    /// If the slot is empty: in generated code that only happens when an
    /// earlier poll panicked, so the message is the one a native `async fn`
    /// gives when it is polled again after a panic.
    #[inline]
    pub fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // Only reached through `as_pin_mut`: reading the slot as a whole
        // (`is_none`) would read a self-referential future through a shared
        // reference while it holds pointers into itself.
        let mut guard = EmptyOnUnwind {
            slot: self.project(),
            armed: true,
        };
        let Some(future) = guard.slot.as_mut().as_pin_mut() else {
            guard.armed = false;
            panic!("`async fn` resumed after panicking");
        };
        let poll = future.poll(cx);
        guard.armed = false;
        if poll.is_ready() {
            guard.slot.set(None);
        }
        poll
    }
}

impl<F> Awaitee<F> {
    /// Drops the future in place, if there is one: the machine is dropped
    /// while waiting on it (see [`DropInOrder`]).
    pub fn clear(self: Pin<&mut Self>) {
        self.project().set(None);
    }

    fn project(self: Pin<&mut Self>) -> Pin<&mut Option<F>> {
        // SAFETY: `future` is structurally pinned: this is the only place
        // that reaches it mutably, always as `Pin<&mut Option<F>>`, so it is
        // never moved out; `Option::set` drops it in place.
        unsafe { self.map_unchecked_mut(|this| &mut this.future) }
    }
}

/// Empties an `Awaitee` slot (dropping its future in place) if dropped
/// during a panic; forgotten on the normal path.
struct EmptyOnUnwind<'a, F> {
    slot: Pin<&'a mut Option<F>>,
    armed: bool,
}

impl<F> Drop for EmptyOnUnwind<'_, F> {
    fn drop(&mut self) {
        if self.armed {
            self.slot.set(None);
        }
    }
}

impl<F> fmt::Debug for Awaitee<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.future.is_some() {
            "Awaitee(polling)"
        } else {
            "Awaitee(empty)"
        })
    }
}

/// Forgets how long a borrow of a value inside a pinned state lasts.
///
/// A sub-future that borrows values saved next to it in the same state
/// (`reader.read(&mut buf).await`, with `reader` and `buf` in the state)
/// cannot be described with lifetimes: the state would borrow itself. The
/// generated code builds such a sub-future from `detach`ed references.
///
/// # Safety
///
/// The caller must make sure that, for as long as the returned reference or
/// anything derived from it is used, the value stays where it is, is not
/// dropped, and is not accessed in any other way. The generated code
/// guarantees this by building the sub-future only after the state is in its
/// pinned place, and by dropping the sub-future (in place) before any field
/// of that state moves or is dropped.
pub unsafe fn detach<'a, T: ?Sized>(value: &mut T) -> &'a mut T {
    // SAFETY: the pointer comes from a valid `&mut T`; the caller upholds
    // the aliasing and lifetime requirements (see above).
    unsafe { &mut *(value as *mut T) }
}

/// [`detach`] for a shared borrow: forgets how long it lasts.
///
/// The generated code uses it on `&self` where a sub-future borrows from
/// `self` and from another argument at once, in a method whose signature
/// cannot name a lifetime both outlive (a method that may be in a trait
/// impl): the sub-future's type then holds the other argument's lifetime
/// only.
///
/// # Safety
///
/// The caller must make sure that the returned reference, and anything
/// derived from it, is not used after `value`'s lifetime ends. The generated
/// code stores it only inside the state machine, which captures that
/// lifetime and so cannot outlive it; the borrow-checked copy of the body
/// checks the same expression with the real lifetimes.
pub unsafe fn detach_shared<'a, T: ?Sized>(value: &T) -> &'a T {
    // SAFETY: the pointer comes from a valid `&T`; the caller upholds the
    // lifetime requirement (see above).
    unsafe { &*(value as *const T) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::pin::pin;
    use core::task::Waker;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::string::String;

    struct Boom;
    impl Future for Boom {
        type Output = ();
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
            panic!("boom")
        }
    }

    fn message(payload: std::boxed::Box<dyn core::any::Any + Send>) -> String {
        match payload.downcast::<&str>() {
            Ok(s) => String::from(*s),
            Err(payload) => *payload.downcast::<String>().expect("string payload"),
        }
    }

    #[test]
    fn a_panicking_sub_future_poisons_the_slot() {
        let mut cx = Context::from_waker(Waker::noop());
        let mut slot = pin!(Awaitee::new(Boom));
        let first = catch_unwind(AssertUnwindSafe(|| slot.as_mut().poll(&mut cx)));
        assert_eq!(message(first.unwrap_err()), "boom");
        assert!(slot.is_empty(), "the future was dropped while unwinding");
        let again = catch_unwind(AssertUnwindSafe(|| slot.as_mut().poll(&mut cx)));
        assert_eq!(
            message(again.unwrap_err()),
            "`async fn` resumed after panicking"
        );
    }

    #[test]
    fn a_ready_sub_future_is_dropped_in_place() {
        let mut cx = Context::from_waker(Waker::noop());
        let mut slot = pin!(Awaitee::new(core::future::ready(5)));
        assert_eq!(slot.as_mut().poll(&mut cx), Poll::Ready(5));
        assert!(slot.is_empty());
    }
}
