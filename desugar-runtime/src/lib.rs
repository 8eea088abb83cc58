//! Runtime support for [`#[desugar]`](desugar).
//!
//! `#[desugar]` rewrites an `async fn` into the explicit enum state machine the
//! compiler would build for it. This crate holds the few pieces that code needs
//! at run time, and the helpers a learner uses to run it:
//!
//! | item | what it is |
//! |---|---|
//! | [`desugar`] | the attribute itself (re-exported from `desugar-macro`) |
//! | [`StateMachine`] | turns a state enum and its step closure into a [`Future`](core::future::Future) |
//! | [`Awaitee`] | the slot that holds the sub-future an `.await` is waiting on |
//! | [`Slot`] | a local that others borrow across an `.await`, kept at one address |
//! | [`DropOnly`] | a dead local a state keeps only for its drop, and only if it has one |
//! | [`Dying`] | holds a dead local from its last use to the state that keeps it |
//! | [`DropFlag`] | a dead local a state keeps behind a drop flag (moved out on another path) |
//! | [`Try`] / [`FromResidual`] | what the `?` operator does, on stable Rust |
//! | [`poll_to_completion`] | a tiny executor: polls a future on this thread until it is ready |
//! | [`count_polls`] | wraps a future and counts how often it is polled |
//! | [`yield_once`] | a future that is `Pending` once, then `Ready(value)` |
//! | [`trace`] | the poll trace of `#[desugar(trace)]` functions: [`trace::trace_to_completion`], [`trace::traced`] |
//!
//! # Before and after
//!
//! ```
//! use desugar_runtime::{desugar, poll_to_completion, count_polls, yield_once};
//!
//! #[desugar]
//! async fn add_slowly(a: u32, b: u32) -> u32 {
//!     let x = yield_once(a).await;
//!     let y = yield_once(b).await;
//!     x + y
//! }
//!
//! // `add_slowly` is now a plain `fn` returning an explicit state machine:
//! //
//! // enum AddSlowly<A, B, X, YieldOnceFuture, YieldOnceFuture2> {
//! //     Start { a: A, b: B },
//! //     WaitingForX { yield_once_future: Awaitee<YieldOnceFuture>, b: B },
//! //     WaitingForY { yield_once_future: Awaitee<YieldOnceFuture2>, x: X },
//! //     Done,
//! //     Poisoned,
//! // }
//! let (sum, polls) = poll_to_completion(count_polls(add_slowly(2, 3)));
//! assert_eq!((sum, polls), (5, 3));
//! ```

#![no_std]
#![warn(missing_docs)]

extern crate std;

mod captures;
mod drop_only;
mod executor;
mod machine;
mod slot;
pub mod trace;
mod try_op;
mod yield_once;

pub use captures::Captures;
pub use desugar_macro::desugar;
pub use drop_only::{needs_drop_of, DropFlag, DropOnly, Dying};
pub use executor::{count_polls, poll_to_completion, CountPolls};
pub use machine::{detach, detach_shared, Awaitee, DropInOrder, InOrder, Poison, StateMachine};
pub use slot::{CopySlot, ScopeEnd, Slot};

/// Stands for `future.await` in the borrow-checking copy of a function's
/// body that `#[desugar]` emits next to its state machine (see [`Slot`]
/// and [`moved_by_await`]). That copy is never run.
#[doc(hidden)]
pub fn as_written_await<F: core::future::IntoFuture>(_future: F) -> F::Output {
    unreachable!("the borrow-checking copy of a desugared body is never run")
}
/// Marks, in the borrow-checking copy, the locals the state machine moves
/// when an `.await` finishes: `moved_by_await(value, (&mut items,))` is
/// `value`, and borrows `items` mutably for a moment. A borrow of `items`
/// still in use there (`let r = first(&items).await; tick().await; *r`)
/// would point to the old place once the machine has moved `items` into
/// its next state; the compiler rejects it here instead. That copy is never
/// run.
#[doc(hidden)]
pub fn moved_by_await<T, Moved>(value: T, _moved: Moved) -> T {
    value
}
/// Marks, in the borrow-checking copy, a dead local the state machine
/// moves as bytes (or forgets) when an `.await` finishes: `pair =
/// dead_value()` there. Like a move, the assignment is refused while a
/// borrow of `pair` is still in use; unlike `&mut pair`, it does not need
/// the borrows inside `pair` to be valid there, as the machine never reads
/// them (natively, `pair` stays in place and may hold a stale `&u32` until
/// its scope ends). That copy is never run.
#[doc(hidden)]
pub fn dead_value<T>() -> T {
    unreachable!("the borrow-checking copy of a desugared body is never run")
}
/// Type-checks the borrow-checking copy of a function whose parameters
/// include an `impl Trait` (a closure parameter cannot be written with
/// one): `params` is `(storage_of(&a), storage_of(&b))`, and `body` is a
/// closure over the tuple `(a, b)` of the values' types. Never calls it.
#[doc(hidden)]
pub fn as_written_check<P: AsWrittenParams, R>(_params: P, _body: impl FnOnce(P::Values) -> R) {}

/// `(PhantomData<A>, PhantomData<B>)` → `(A, B)`: see [`as_written_check`].
#[doc(hidden)]
pub trait AsWrittenParams {
    /// The tuple of the parameters' types.
    type Values;
}

macro_rules! as_written_params {
    ($($name:ident)*) => {
        impl<$($name),*> AsWrittenParams for ($(core::marker::PhantomData<$name>,)*) {
            type Values = ($($name,)*);
        }
    };
}
as_written_params!();
as_written_params!(A);
as_written_params!(A B);
as_written_params!(A B C);
as_written_params!(A B C D);
as_written_params!(A B C D E);
as_written_params!(A B C D E F);
as_written_params!(A B C D E F G);
as_written_params!(A B C D E F G H);
as_written_params!(A B C D E F G H I);
as_written_params!(A B C D E F G H I J);
as_written_params!(A B C D E F G H I J K);
as_written_params!(A B C D E F G H I J K L);

/// The storage of a local that was borrowed, as a zero-sized value: what a
/// state keeps for such a local after it was moved out.
///
/// The compiler keeps the storage of a local that was ever borrowed until
/// its scope ends (a borrow might still point there), even once its value
/// has been moved out, so the local's type stays part of the future: after
/// `let v = *guard; drop(guard);` a `std::sync::MutexGuard` still makes the
/// future `!Send` across a later `.await` in the same scope. `#[desugar]`
/// makes the same visible: right after such a local is declared it writes
/// `let guard_storage = storage_of(&guard);` and keeps `guard_storage` in
/// every state of the local's scope.
///
/// ```
/// use std::rc::Rc;
/// let rc = Rc::new(5);
/// let storage = desugar_runtime::storage_of(&rc);
/// drop(rc);
/// assert_eq!(core::mem::size_of_val(&storage), 0);
/// ```
pub fn storage_of<T: ?Sized>(_local: &T) -> core::marker::PhantomData<T> {
    core::marker::PhantomData
}
pub use try_op::{FromResidual, Try};
pub use yield_once::{yield_once, YieldOnce};
