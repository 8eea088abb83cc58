//! [`Captures`]: names lifetimes in a return type without constraining them.

/// Mentions lifetimes (and `Self`) in an `impl Trait` return type so that the
/// returned future captures them, the way a native `async fn` does.
///
/// A desugared method returns
/// `impl Future<Output = T> + Captures<(&'a (), PhantomData<Self>)>`.
/// The bound is always true (every type implements `Captures<X>` for every
/// `X`); it only tells the compiler that the hidden type may use `'a` and the
/// generics of `Self`. Precise capturing (`use<'a>`) cannot be used instead:
/// it must list every type parameter in scope, and the parameters of the
/// surrounding `impl` and of `impl Trait` arguments cannot be named.
pub trait Captures<T: ?Sized> {}

impl<T: ?Sized, U: ?Sized> Captures<T> for U {}
