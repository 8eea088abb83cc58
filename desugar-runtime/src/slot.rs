//! [`Slot`]: a local of the `async fn` that other values borrow across an
//! `.await`, kept at one address.

use core::fmt;
use core::marker::PhantomPinned;
use core::mem::MaybeUninit;

/// A local that something else borrows across an `.await`
/// (`for x in &items { send(x).await }`): it never moves.
///
/// The states of a desugared `async fn` hold their values by value and move
/// them from one state to the next. A value that is borrowed while that
/// happens cannot move, so `#[desugar]` keeps it in a `Slot` next to the
/// state enum instead (the compiler does the same: such locals sit in a
/// part of its coroutine that all states share). The generated code reaches
/// it through the raw pointer [`Slot::put`] and [`Slot::as_ptr`] return,
/// never through a `&mut` to the value, so the borrows made from it stay
/// valid between polls.
///
/// A `Slot` is `!Unpin`, like everything else inside the pinned state.
pub struct Slot<T> {
    value: MaybeUninit<T>,
    full: bool,
    _pinned: PhantomPinned,
}

impl<T> Slot<T> {
    /// An empty slot.
    pub const fn empty() -> Self {
        Slot {
            value: MaybeUninit::uninit(),
            full: false,
            _pinned: PhantomPinned,
        }
    }

    /// Stores `value` (dropping in place what the slot held) and returns a
    /// pointer to it.
    pub fn put(&mut self, value: T) -> *mut T {
        self.clear();
        let ptr = self.value_ptr();
        // SAFETY: the slot is empty (just cleared), so nothing is
        // overwritten without being dropped; `ptr` points into `self`.
        unsafe { ptr.write(value) };
        self.full = true;
        ptr
    }

    /// A pointer to the value's place, made without a reference to it: a
    /// `&mut` would assert that nothing else points into the value, and
    /// the borrows made earlier through the pointer do.
    fn value_ptr(&mut self) -> *mut T {
        core::ptr::addr_of_mut!(self.value).cast::<T>()
    }

    /// A pointer to the value. It is valid to read and write through while
    /// the slot is full and has not moved; the generated code only uses it
    /// while the local is in scope, and the state machine is pinned.
    ///
    /// # Panics
    ///
    /// If the slot is empty.
    pub fn as_ptr(&mut self) -> *mut T {
        assert!(self.full, "desugar: a local was used outside its scope");
        self.value_ptr()
    }

    /// Moves the value out: the local is moved (`return items`) and not
    /// used again.
    ///
    /// # Panics
    ///
    /// If the slot is empty.
    pub fn take(&mut self) -> T {
        assert!(self.full, "desugar: a local was used outside its scope");
        self.full = false;
        // SAFETY: the slot was full, so the value is initialised; it is
        // marked empty, so it is neither read nor dropped again.
        unsafe { self.value_ptr().read() }
    }

    /// Drops the value in place, if there is one: the local's scope ended.
    pub fn clear(&mut self) {
        if self.full {
            self.full = false;
            // SAFETY: the slot was full, so `value` is initialised, and it is
            // marked empty first, so it is dropped once even if `drop`
            // panics.
            unsafe { self.value_ptr().drop_in_place() };
        }
    }

    /// Whether the slot holds a value.
    pub fn is_full(&self) -> bool {
        self.full
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        self.clear();
    }
}

impl<T> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.full {
            "Slot(full)"
        } else {
            "Slot(empty)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    struct Counted<'a>(&'a Cell<u32>);
    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn put_clear_and_drop_each_drop_once() {
        let drops = Cell::new(0);
        let mut slot = Slot::empty();
        slot.put(Counted(&drops));
        assert!(slot.is_full());
        slot.put(Counted(&drops));
        assert_eq!(drops.get(), 1, "put drops the old value");
        slot.clear();
        assert_eq!(drops.get(), 2);
        slot.clear();
        assert_eq!(drops.get(), 2, "clear on an empty slot does nothing");
        slot.put(Counted(&drops));
        drop(slot);
        assert_eq!(drops.get(), 3, "dropping the slot drops its value");
    }

    #[test]
    fn borrows_through_the_pointer_survive_later_accesses() {
        let mut slot = Slot::empty();
        let v = slot.put(std::vec![1, 2, 3]);
        // SAFETY: the slot is full and does not move.
        let first: &u32 = unsafe { &(&*v)[0] };
        let again = slot.as_ptr();
        // SAFETY: as above; only reads.
        let len = unsafe { (&*again).len() };
        assert_eq!((*first, len), (1, 3));
    }
}
