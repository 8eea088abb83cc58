//! [`DropOnly`]: a dead value that a state keeps only so that it is
//! dropped where its scope ends.

use core::mem::{self, MaybeUninit};

/// A value no code reads any more, kept by a state only to be dropped where
/// its scope ends, and only if its type has something to drop.
///
/// The compiler keeps a local that is dead at an `.await` (never read
/// again, but still in scope) only when dropping it does something; a
/// value with nothing to drop (`&u32`, `u64`, a `Copy` struct) is simply
/// gone after its last use. That matters for a value that holds a borrow:
///
/// ```ignore
/// let r = holder.peek();   // r: &u32, into holder.v
/// let a = *r;              // r's last use
/// holder.v.push(2);        // may move holder.v's buffer: r now dangles
/// tick().await;            // r is still in scope here
/// ```
///
/// Moving `r` into the next state would copy a dangling reference, which is
/// undefined behaviour. `#[desugar]` cannot see `r`'s type, so it writes
/// the choice out and lets the type decide:
///
/// ```ignore
/// r: if needs_drop_of(&r) { DropOnly::new(r) } else { DropOnly::nothing(&r) },
/// ```
///
/// A `DropOnly<T>` holds its value exactly when `T` needs a drop
/// ([`mem::needs_drop`]), and drops it when it is dropped. It is as large as
/// `T` and needs no flag: whether it holds a value is a fact of its type.
pub struct DropOnly<T> {
    value: MaybeUninit<T>,
}

impl<T> DropOnly<T> {
    /// Keeps `value` to drop it later. Call it only when
    /// [`needs_drop_of`] is `true` for the value: otherwise the value is
    /// forgotten.
    pub fn new(value: T) -> Self {
        DropOnly {
            value: match mem::needs_drop::<T>() {
                true => MaybeUninit::new(value),
                false => {
                    mem::forget(value);
                    MaybeUninit::uninit()
                }
            },
        }
    }

    /// Keeps nothing for a value whose type has nothing to drop (the value
    /// itself is left where it is, untouched). Panics if its type needs a
    /// drop: such a value must be kept with [`DropOnly::new`].
    pub fn nothing(_value: &T) -> Self {
        assert!(
            !mem::needs_drop::<T>(),
            "a value whose type needs a drop must be kept"
        );
        DropOnly {
            value: MaybeUninit::uninit(),
        }
    }
}

impl<T> Drop for DropOnly<T> {
    fn drop(&mut self) {
        if mem::needs_drop::<T>() {
            // SAFETY: `new` initialised `value` when `T` needs a drop
            // (`nothing` refuses such a `T`), and it is dropped only here.
            unsafe { self.value.assume_init_drop() }
        }
    }
}

/// A local whose last use is past, held on the way to the state that keeps
/// it as a [`DropOnly`]: it takes the value right after its last use, while
/// every borrow in it is still valid, and hands it over at the `.await`
/// without reading it as a `T` again.
///
/// Moving a `T` that holds a borrow checks that borrow (a reference must
/// point to live memory). The compiler never moves a dead local: it stays
/// where it is until its drop, and its drop may not read a borrow that
/// went stale in between (`Vec<&str>`, or a tuple of a `String` and a
/// `&str`: their drops read no `&str`). So the machine moves such a value
/// while it is still valid, next to where it was declared:
///
/// ```ignore
/// let request = parse(&buf);                    // holds `&str`s into `buf`
/// let mut request_dying = Dying::of(&request);  // (next to it: same drop order)
/// let reply = handle(&request);                 // its last use
/// if needs_drop_of(&request) { request_dying.keep(request); }
/// buf.clear();                                  // the `&str`s are stale now
/// *state = WaitingForWrite { request: request_dying.into_drop_only(), .. };
/// ```
pub struct Dying<T> {
    /// `None` until the value is kept; as bytes, never read as a `T`.
    value: MaybeUninit<Option<T>>,
}

impl<T> Dying<T> {
    /// An empty holder for a value like `value` (only its type is used).
    pub fn of(_value: &T) -> Self {
        Dying {
            value: MaybeUninit::new(None),
        }
    }

    /// Takes `value` to drop it later. Call it only when
    /// [`needs_drop_of`] is `true` for the value.
    pub fn keep(&mut self, value: T) {
        // SAFETY: `value` is initialised from `of` on.
        let slot = unsafe { self.value.assume_init_mut() };
        assert!(slot.is_none(), "a `Dying` keeps one value");
        *slot = Some(value);
    }

    /// Whether it holds a value, read without reading the value itself.
    fn kept(&self) -> bool {
        // SAFETY: `value` is initialised from `of` on; only the reference
        // to it is made and its variant read (what a borrow in the value
        // points to is not).
        unsafe { self.value.assume_init_ref() }.is_some()
    }

    /// The value as a state keeps it. Panics if it was not kept while its
    /// type needs a drop.
    pub fn into_drop_only(self) -> DropOnly<T> {
        assert_eq!(
            self.kept(),
            mem::needs_drop::<T>(),
            "a dying value was not kept"
        );
        let this = mem::ManuallyDrop::new(self);
        // SAFETY: `value` is initialised from `of` on, and `this` is never
        // dropped, so a kept value is read out once, as bytes
        // (`MaybeUninit`, not a `T`: a borrow in it may be stale by now).
        let value = match unsafe { this.value.assume_init_ref() } {
            Some(value) => unsafe { core::ptr::read((value as *const T).cast::<MaybeUninit<T>>()) },
            None => MaybeUninit::uninit(),
        };
        DropOnly { value }
    }

    /// The value behind a drop flag: [`DropFlag`] holds it if it was kept
    /// (its bytes move, as they are).
    pub fn into_flag(self) -> DropFlag<T> {
        let this = mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is read out once,
        // as bytes.
        DropFlag {
            value: unsafe { core::ptr::read(&this.value) },
        }
    }
}

impl<T> Drop for Dying<T> {
    fn drop(&mut self) {
        // SAFETY: `value` is initialised from `of` on; it is dropped only
        // here (`Option`'s drop drops a kept value in place).
        unsafe { self.value.assume_init_drop() }
    }
}

/// A dead value kept behind a drop flag: a local that a state keeps only
/// for its drop while it was moved out on another path to that state
/// (`if c { drop(guard); tick().await }` then `.await` again). The
/// compiler keeps a flag next to such a local, and drops it where its
/// scope ends only if the flag says it is still owned.
///
/// It is an `Option<T>` (`None` where the value was moved, or has nothing
/// to drop) kept as bytes: it is as large as `Option<T>`, and moving it
/// never reads the value as a `T`, whose borrows may be stale by then (see
/// [`DropOnly`]). The machine writes, where the value is still owned:
///
/// ```ignore
/// guard: if needs_drop_of(&guard) { DropFlag::new(guard) } else { DropFlag::moved() },
/// ```
///
/// and `DropFlag::moved()` on the paths that moved it.
pub struct DropFlag<T> {
    value: MaybeUninit<Option<T>>,
}

impl<T> DropFlag<T> {
    /// Keeps `value` to drop it later. Call it only when [`needs_drop_of`]
    /// is `true` for the value: otherwise the value is forgotten.
    pub fn new(value: T) -> Self {
        let value = match mem::needs_drop::<T>() {
            true => Some(value),
            false => {
                mem::forget(value);
                None
            }
        };
        DropFlag {
            value: MaybeUninit::new(value),
        }
    }

    /// Nothing to drop: the value was moved out on this path.
    pub fn moved() -> Self {
        DropFlag {
            value: MaybeUninit::new(None),
        }
    }

    /// Whether it holds a value (the drop flag is set).
    pub fn is_set(&self) -> bool {
        // SAFETY: `value` is always initialised; only its variant is read.
        unsafe { self.value.assume_init_ref() }.is_some()
    }
}

impl<T> Drop for DropFlag<T> {
    fn drop(&mut self) {
        // SAFETY: `value` is always initialised, and dropped only here.
        unsafe { self.value.assume_init_drop() }
    }
}

/// Whether a value of `value`'s type needs a drop ([`mem::needs_drop`]),
/// asked through a reference so that the value is not moved or copied:
/// see [`DropOnly`].
pub fn needs_drop_of<T>(_value: &T) -> bool {
    mem::needs_drop::<T>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn keeps_a_value_with_a_drop_until_it_is_dropped() {
        let rc = Rc::new(Cell::new(0));
        let kept = DropOnly::new(rc.clone());
        assert!(needs_drop_of(&rc));
        assert_eq!(Rc::strong_count(&rc), 2);
        drop(kept);
        assert_eq!(Rc::strong_count(&rc), 1);
    }

    #[test]
    fn keeps_nothing_of_a_value_without_a_drop() {
        let n = 5u64;
        let r = &n;
        assert!(!needs_drop_of(&r));
        let kept = DropOnly::nothing(&r);
        assert_eq!(mem::size_of_val(&kept), mem::size_of::<&u64>());
        drop(kept);
    }

    #[test]
    fn a_drop_flag_drops_only_what_it_holds() {
        let rc = Rc::new(());
        let flag = DropFlag::new(rc.clone());
        assert!(flag.is_set());
        assert_eq!(Rc::strong_count(&rc), 2);
        drop(flag);
        assert_eq!(Rc::strong_count(&rc), 1);
        assert!(!DropFlag::<Rc<()>>::moved().is_set());
        assert!(!DropFlag::new(&rc).is_set());
        assert_eq!(mem::size_of::<DropFlag<Rc<()>>>(), mem::size_of::<Rc<()>>());
    }

    #[test]
    fn dying_hands_over_what_it_kept() {
        let rc = Rc::new(());
        let mut dying = Dying::of(&rc);
        dying.keep(rc.clone());
        let kept = dying.into_drop_only();
        assert_eq!(Rc::strong_count(&rc), 2);
        drop(kept);
        assert_eq!(Rc::strong_count(&rc), 1);
        let mut dying = Dying::of(&rc);
        dying.keep(rc.clone());
        drop(dying);
        assert_eq!(Rc::strong_count(&rc), 1);
        let n = 3u8;
        let r = &n;
        let _ = Dying::of(&r).into_drop_only();
        assert!(!Dying::of(&r).into_flag().is_set());
        let mut dying = Dying::of(&rc);
        dying.keep(rc.clone());
        let flag = dying.into_flag();
        assert_eq!(Rc::strong_count(&rc), 2);
        drop(flag);
        assert_eq!(Rc::strong_count(&rc), 1);
    }

    // What the machine does with a dead value whose borrow went stale:
    // only its bytes move after that (Miri checks that no dangling
    // reference is moved as one).
    #[test]
    fn a_stale_borrow_in_a_held_value_is_never_moved_as_itself() {
        for flag in [false, true] {
            let place = std::boxed::Box::into_raw(std::boxed::Box::new(5u32));
            // SAFETY: `place` is live until the `Box::from_raw` below.
            let pair = (std::string::String::from("x"), unsafe { &*place });
            let mut dying = Dying::of(&pair);
            assert_eq!(*pair.1, 5);
            dying.keep(pair);
            // SAFETY: made by `Box::into_raw` above, freed once; `pair`'s
            // reference dangles from here, as after `h.v.push(..)`.
            drop(unsafe { std::boxed::Box::from_raw(place) });
            if flag {
                let flag = dying.into_flag();
                assert!(flag.is_set());
                let moved = [flag];
                drop(moved);
            } else {
                let kept = dying.into_drop_only();
                let moved = [kept];
                drop(moved);
            }
        }
    }

    #[test]
    #[should_panic(expected = "must be kept")]
    fn nothing_refuses_a_value_with_a_drop() {
        let _ = DropOnly::nothing(&Rc::new(()));
    }
}
