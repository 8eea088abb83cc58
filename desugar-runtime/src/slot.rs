//! [`Slot`]: a local of the `async fn` that other values borrow across an
//! `.await`, kept at one address.

use core::fmt;
use core::marker::PhantomPinned;
use core::mem::{size_of, MaybeUninit};

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
/// A `Slot` is an `Option` of the value, so it costs nothing more than the
/// value itself when the value has a niche (`Vec`, `String`, `Box`, `Arc`,
/// references, most futures), and a tag otherwise. It is `!Unpin`, like
/// everything else inside the pinned state.
pub struct Slot<T> {
    value: Option<Kept<T>>,
}

/// The value of a full [`Slot`]: `!Unpin`, so that a `&mut` to the slot or
/// its `Option` asserts nothing about the borrows made through the
/// pointer (Miri's aliasing models treat such a `&mut` like a raw pointer).
#[repr(transparent)]
struct Kept<T> {
    value: T,
    _pinned: PhantomPinned,
}

impl<T> Slot<T> {
    /// Whether `Option<Kept<T>>` keeps its tag in a niche of the value:
    /// then it is as large as `T`, so the value lies at offset 0, and
    /// reading the tag would read the value's own bytes.
    const NICHE: bool = size_of::<Option<Kept<T>>>() == size_of::<T>();

    /// An empty slot.
    pub const fn empty() -> Self {
        Slot { value: None }
    }

    /// Stores `value` (dropping in place what the slot held) and returns a
    /// pointer to it.
    pub fn put(&mut self, value: T) -> *mut T {
        self.value = Some(Kept {
            value,
            _pinned: PhantomPinned,
        });
        self.value_ptr()
    }

    /// A pointer to the value's place, made without reading the value's
    /// bytes: the borrows made earlier through the pointer may cover them
    /// (a `&mut` held across an `.await`), and a read through the slot
    /// would end those borrows. With a niche the value is at offset 0; with
    /// a tag, the tag lies outside the value and is checked.
    fn value_ptr(&mut self) -> *mut T {
        if Self::NICHE {
            core::ptr::addr_of_mut!(self.value).cast::<T>()
        } else {
            match &mut self.value {
                Some(kept) => core::ptr::addr_of_mut!(kept.value),
                None => outside_scope(),
            }
        }
    }

    /// A pointer to the value. It is valid to read and write through while
    /// the slot is full and has not moved; the generated code only uses it
    /// while the local is in scope, and the state machine is pinned.
    ///
    /// # Panics
    ///
    /// If the slot is empty and its emptiness can be seen without reading
    /// the value's bytes (the value has no niche). The generated code only
    /// asks a full slot.
    pub fn as_ptr(&mut self) -> *mut T {
        self.value_ptr()
    }

    /// Moves the value out: the local is moved (`return items`) and not
    /// used again, so nothing borrows it any more.
    ///
    /// # Panics
    ///
    /// If the slot is empty.
    pub fn take(&mut self) -> T {
        match self.value.take() {
            Some(kept) => kept.value,
            None => outside_scope(),
        }
    }

    /// Drops the value in place, if there is one: the local's scope ended,
    /// and nothing borrows it any more. A panicking `drop` still leaves the
    /// slot empty.
    pub fn clear(&mut self) {
        self.value = None;
    }

    /// Whether the slot holds a value. Like [`Slot::clear`], only for a
    /// local that nothing borrows at the time: it reads the tag.
    pub fn is_full(&self) -> bool {
        self.value.is_some()
    }

    /// The end of the local's scope, as a value of the poll that filled the
    /// slot: declared right after [`Slot::put`], it is dropped where a
    /// local declared there would be (when its block ends, on a `return`,
    /// or while a panic unwinds), and empties the slot then, in order with
    /// the poll's other locals. When the local lives on in the next state,
    /// the generated code calls [`ScopeEnd::keep`] instead.
    ///
    /// ```text
    /// let c = locals.c.put(make());
    /// let c_scope = locals.c.scope();
    /// if done { return 0; }      // drops `c_scope` (empties `c`), then older locals
    /// c_scope.keep();            // `c` is borrowed across the `.await`
    /// *state = Waiting { .. };
    /// ```
    pub fn scope(&mut self) -> ScopeEnd<Self> {
        ScopeEnd::of(self, Slot::clear)
    }
}

/// Empties the slot of a local when dropped: see [`Slot::scope`]. `P` is
/// the place the slot is in: the [`Slot`] itself, or the enum in which
/// the slots of locals never in scope together take turns (then `clear`
/// empties the local's slot only if it is the one the place holds:
/// another local's may be there by the time this value is dropped).
#[must_use = "dropped at once, it empties the slot at once"]
pub struct ScopeEnd<P> {
    place: *mut P,
    clear: fn(&mut P),
}

impl<P> ScopeEnd<P> {
    /// The end of a local's scope, which `clear` empties the local's slot
    /// in `place` at. For the generated code: `place` is part of the
    /// pinned state machine, and the value is a local of the poll that
    /// made it, never stored.
    pub fn of(place: &mut P, clear: fn(&mut P)) -> Self {
        ScopeEnd { place, clear }
    }

    /// The local outlives this poll: leaves the slot as it is.
    pub fn keep(self) {
        core::mem::forget(self);
    }
}

impl<P> Drop for ScopeEnd<P> {
    fn drop(&mut self) {
        // SAFETY: `place` came from a `&mut` into the pinned state
        // machine, which outlives the poll this value belongs to (it is a
        // local of that poll, never stored), and nothing else uses that
        // `&mut` now; the borrows of the local end within its scope, which
        // ends here, so emptying its slot invalidates nothing still in use.
        unsafe { (self.clear)(&mut *self.place) }
    }
}

impl<P> fmt::Debug for ScopeEnd<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScopeEnd")
    }
}

/// A [`Slot`] for a local whose type is surely `Copy` (`n: u32`, `r: &T`):
/// it has nothing to drop, so the slot needs no tag saying whether it is
/// full, and it costs exactly the value's size.
///
/// `#[desugar]` uses it only where the written type shows the value is
/// `Copy`; [`CopySlot::put`] asks for `T: Copy`, so a wrong guess would be
/// a type error. A use by value copies the value out through the pointer:
/// there is no `take`.
pub struct CopySlot<T> {
    value: MaybeUninit<T>,
    _pinned: PhantomPinned,
}

impl<T> CopySlot<T> {
    /// An empty slot.
    pub const fn empty() -> Self {
        CopySlot {
            value: MaybeUninit::uninit(),
            _pinned: PhantomPinned,
        }
    }

    /// Stores `value` and returns a pointer to it. Only for a `Copy` value:
    /// the slot never drops what it holds.
    pub fn put(&mut self, value: T) -> *mut T
    where
        T: Copy,
    {
        let ptr = self.as_ptr();
        // SAFETY: `ptr` points into `self`, valid for writes; what it held
        // (if anything) is `Copy`, so nothing is overwritten that had to be
        // dropped.
        unsafe { ptr.write(value) };
        ptr
    }

    /// A pointer to the value, made without reading it (see [`Slot`]). It
    /// is valid to read and write through once the slot was filled, while
    /// the state machine is pinned; the generated code only uses it while
    /// the local is in scope.
    pub fn as_ptr(&mut self) -> *mut T {
        core::ptr::addr_of_mut!(self.value).cast::<T>()
    }

    /// Nothing to do: the local's scope ended, and a `Copy` value has
    /// nothing to drop.
    pub fn clear(&mut self) {}
}

impl<T> fmt::Debug for CopySlot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CopySlot")
    }
}

#[cold]
#[track_caller]
fn outside_scope() -> ! {
    panic!("desugar: a local was used outside its scope")
}

impl<T> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_full() {
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

    #[test]
    fn a_mutable_borrow_survives_as_ptr() {
        // A `&mut` into the value held across an `.await` (`let r = &mut v;
        // tick().await; r.push(3)`): `as_ptr` at the next poll must not
        // read the bytes it covers, niche or not (Miri checks this).
        let mut slot = Slot::empty();
        let v = slot.put(std::vec![1u32, 2]);
        // SAFETY: the slot is full and does not move; `r` is the only
        // reference used until the end.
        let r: &mut std::vec::Vec<u32> = unsafe { &mut *v };
        let _again = slot.as_ptr();
        r.push(3);
        let mut tagged = Slot::empty();
        let n = tagged.put(7u32);
        // SAFETY: as above.
        let r: &mut u32 = unsafe { &mut *n };
        let _again = tagged.as_ptr();
        *r += 1;
        assert_eq!((slot.take(), tagged.take()), (std::vec![1, 2, 3], 8));
    }

    #[test]
    fn a_slot_is_as_large_as_its_value_when_the_value_has_a_niche() {
        assert_eq!(
            size_of::<Slot<std::vec::Vec<u8>>>(),
            size_of::<std::vec::Vec<u8>>()
        );
        assert_eq!(size_of::<Slot<&u8>>(), size_of::<&u8>());
        assert!(size_of::<Slot<u64>>() > size_of::<u64>());
    }

    #[test]
    fn a_copy_slot_is_as_large_as_its_value() {
        let mut slot = CopySlot::empty();
        let n = slot.put(7u32);
        // SAFETY: the slot was filled and does not move.
        let r: &mut u32 = unsafe { &mut *n };
        let again = slot.as_ptr();
        *r += 1;
        // SAFETY: as above; `r` is not used again.
        assert_eq!(unsafe { *again }, 8);
        slot.clear();
        assert_eq!(size_of::<CopySlot<u32>>(), size_of::<u32>());
    }

    #[test]
    #[should_panic(expected = "a local was used outside its scope")]
    fn an_empty_slot_without_a_niche_is_caught() {
        Slot::<u32>::empty().as_ptr();
    }
}
