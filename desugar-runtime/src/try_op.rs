//! What `?` does, on stable Rust.
//!
//! In: the operand of a `?` inside a desugared body. Out: either the value to
//! continue with, or the early return value (with the error converted by
//! `From`). The standard library's `Try` trait is unstable, so these two
//! small traits stand in for it; `#[desugar]` writes `expr?` as
//!
//! ```text
//! match Try::branch(expr) {
//!     ControlFlow::Continue(value) => value,
//!     ControlFlow::Break(residual) => return FromResidual::from_residual(residual),
//! }
//! ```

use core::convert::Infallible;
use core::ops::ControlFlow;

/// A type that `?` can be applied to: `Result` and `Option`.
pub trait Try {
    /// The value `?` produces when it does not return early.
    type Output;
    /// What is left on the early-return path (`Result<Infallible, E>`, `Option<Infallible>`).
    type Residual;
    /// `Continue(value)` to go on, `Break(residual)` to return early.
    fn branch(self) -> ControlFlow<Self::Residual, Self::Output>;
}

/// A return type that an early `?` return can build from a residual.
pub trait FromResidual<R> {
    /// Builds the early return value, converting the error with `From`.
    fn from_residual(residual: R) -> Self;
}

impl<T, E> Try for Result<T, E> {
    type Output = T;
    type Residual = Result<Infallible, E>;
    fn branch(self) -> ControlFlow<Self::Residual, T> {
        match self {
            Ok(value) => ControlFlow::Continue(value),
            Err(error) => ControlFlow::Break(Err(error)),
        }
    }
}

impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Result<T, F> {
    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Err(From::from(error)),
            Ok(never) => match never {},
        }
    }
}

impl<T> Try for Option<T> {
    type Output = T;
    type Residual = Option<Infallible>;
    fn branch(self) -> ControlFlow<Self::Residual, T> {
        match self {
            Some(value) => ControlFlow::Continue(value),
            None => ControlFlow::Break(None),
        }
    }
}

impl<T> FromResidual<Option<Infallible>> for Option<T> {
    fn from_residual(_: Option<Infallible>) -> Self {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;

    fn question<T: Try, R: FromResidual<T::Residual>>(value: T) -> Result<T::Output, R> {
        match value.branch() {
            ControlFlow::Continue(v) => Ok(v),
            ControlFlow::Break(r) => Err(R::from_residual(r)),
        }
    }

    #[test]
    fn result_converts_the_error() {
        let r: Result<u8, Result<(), u64>> = question(Err::<u8, u32>(7));
        assert_eq!(r, Err(Err(7u64)));
        let ok: Result<u8, Result<(), u64>> = question(Ok::<u8, u32>(1));
        assert_eq!(ok, Ok(1));
    }

    #[test]
    fn option_returns_none() {
        let r: Result<u8, Option<String>> = question(None::<u8>);
        assert_eq!(r, Err(None));
        let s: Result<u8, Option<String>> = question(Some(3u8));
        assert_eq!(s, Ok(3));
    }
}
