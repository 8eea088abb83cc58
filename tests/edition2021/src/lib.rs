//! `#[desugar]` in an edition-2021 crate.
//!
//! Edition 2021 differs from 2024 in what `impl Trait` return types capture
//! (lifetimes only when named) and in when temporaries of a tail expression
//! are dropped. The generated code must compile and behave like the native
//! `async fn` on both.
#![deny(warnings)]

use desugar_runtime::{desugar, yield_once};

/// A borrowed argument and an elided lifetime in the output.
#[desugar]
pub async fn first_word(text: &str) -> &str {
    let text = yield_once(text).await;
    text.split(' ').next().unwrap_or("")
}

/// Same, native.
pub async fn first_word_native(text: &str) -> &str {
    let text = yield_once(text).await;
    text.split(' ').next().unwrap_or("")
}

/// A type with a lifetime, whose methods capture it (through `Self`).
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Creates a reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    /// A method borrowing `self` and returning data borrowed from `'a`.
    #[desugar]
    pub async fn take(&mut self, n: usize) -> &'a [u8] {
        let n = yield_once(n.min(self.data.len())).await;
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        head
    }

    /// A generic method with an `impl Trait` argument.
    #[desugar]
    pub async fn sum_with<T: Into<u64>>(&self, extra: T, f: impl Fn(u8) -> u64) -> u64 {
        let base: u64 = self.data.iter().map(|b| f(*b)).sum();
        base + yield_once(extra.into()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use desugar_runtime::{count_polls, poll_to_completion};

    #[test]
    fn borrowed_output_matches_native() {
        let text = String::from("hello world");
        assert_eq!(
            poll_to_completion(count_polls(first_word(&text))),
            poll_to_completion(count_polls(first_word_native(&text)))
        );
    }

    #[test]
    fn methods_capture_the_impl_lifetime() {
        let data = [1u8, 2, 3, 4];
        let mut reader = Reader::new(&data);
        let head = poll_to_completion(reader.take(3));
        assert_eq!(head, &[1, 2, 3]);
        assert_eq!(poll_to_completion(reader.sum_with(10u8, u64::from)), 14);
    }
}
