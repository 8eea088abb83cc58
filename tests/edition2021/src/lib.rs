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

/// Control flow holding `.await`s: every construct, on edition 2021, under
/// `#![deny(warnings)]` (and `cargo clippy -- -D clippy::all` in CI).
pub mod control_flow {
    use desugar_runtime::{desugar, yield_once};

    /// `if`/`else if`/`else` as a value, `match` with a guard, `while`,
    /// `for`, `loop` with `break value`, labels, `&&`, `||`, blocks,
    /// `let ... else`, `?` and macros with awaits in their arguments.
    #[desugar]
    pub async fn everything(values: Vec<u32>, limit: u32) -> Result<String, String> {
        let mut total = 0;
        'outer: for value in values {
            let kind = if value == 0 {
                yield_once("zero").await
            } else if value % 2 == 0 {
                "even"
            } else {
                yield_once("odd").await
            };
            match kind {
                "zero" => continue,
                k if k.len() > 3 => total += yield_once(value).await,
                _ => {
                    let mut n = 0;
                    while n < value {
                        n += yield_once(1).await;
                        if total + n > limit {
                            break 'outer;
                        }
                    }
                    total += n;
                }
            }
        }
        let big = total > 10 && yield_once(true).await;
        let small = total < 3 || yield_once(false).await;
        let doubled = {
            let t = yield_once(total).await;
            t * 2
        };
        let Some(half) = yield_once(doubled.checked_div(2)).await else {
            return Err("no half".to_string());
        };
        let mut tries = 0;
        let found = loop {
            tries += 1;
            if yield_once(tries).await >= 2 {
                break Some(half + tries);
            }
        };
        let checked: u32 = yield_once(Ok::<u32, String>(half)).await?;
        assert_eq!(yield_once(checked).await, checked);
        Ok(format!(
            "{} {} {} {:?} {}",
            yield_once(total).await,
            big,
            small,
            found,
            checked
        ))
    }

    /// The same, native.
    pub async fn everything_native(values: Vec<u32>, limit: u32) -> Result<String, String> {
        let mut total = 0;
        'outer: for value in values {
            let kind = if value == 0 {
                yield_once("zero").await
            } else if value % 2 == 0 {
                "even"
            } else {
                yield_once("odd").await
            };
            match kind {
                "zero" => continue,
                k if k.len() > 3 => total += yield_once(value).await,
                _ => {
                    let mut n = 0;
                    while n < value {
                        n += yield_once(1).await;
                        if total + n > limit {
                            break 'outer;
                        }
                    }
                    total += n;
                }
            }
        }
        let big = total > 10 && yield_once(true).await;
        let small = total < 3 || yield_once(false).await;
        let doubled = {
            let t = yield_once(total).await;
            t * 2
        };
        let Some(half) = yield_once(doubled.checked_div(2)).await else {
            return Err("no half".to_string());
        };
        let mut tries = 0;
        let found = loop {
            tries += 1;
            if yield_once(tries).await >= 2 {
                break Some(half + tries);
            }
        };
        let checked: u32 = yield_once(Ok::<u32, String>(half)).await?;
        assert_eq!(yield_once(checked).await, checked);
        Ok(format!(
            "{} {} {} {:?} {}",
            yield_once(total).await,
            big,
            small,
            found,
            checked
        ))
    }
}

#[cfg(test)]
mod control_flow_tests {
    use super::control_flow::{everything, everything_native};
    use desugar_runtime::{count_polls, poll_to_completion};

    #[test]
    fn every_construct_matches_native() {
        for (values, limit) in [
            (vec![], 10),
            (vec![0, 1, 2, 3], 100),
            (vec![5, 4, 0, 7], 8),
            (vec![2, 2, 2, 2, 2, 2], 100),
        ] {
            assert_eq!(
                poll_to_completion(count_polls(everything(values.clone(), limit))),
                poll_to_completion(count_polls(everything_native(values, limit)))
            );
        }
    }

    #[test]
    fn never_larger_than_native() {
        let desugared = everything(vec![1], 1);
        let native = everything_native(vec![1], 1);
        assert!(
            std::mem::size_of_val(&desugared) <= std::mem::size_of_val(&native),
            "desugared {} bytes, native {} bytes",
            std::mem::size_of_val(&desugared),
            std::mem::size_of_val(&native)
        );
    }
}

/// A local borrowed across `.await`s (kept in a slot), on edition 2021.
pub mod borrows {
    use desugar_runtime::{desugar, yield_once};

    /// Iterates over a borrowed vector with awaits in the body.
    #[desugar]
    pub async fn longest(words: Vec<String>) -> usize {
        let mut best = 0;
        for word in &words {
            best = best.max(yield_once(word.len()).await);
        }
        let first = words.first().map(|w| w.as_str());
        yield_once(()).await;
        best + first.map_or(0, str::len)
    }

    /// The same, native.
    pub async fn longest_native(words: Vec<String>) -> usize {
        let mut best = 0;
        for word in &words {
            best = best.max(yield_once(word.len()).await);
        }
        let first = words.first().map(|w| w.as_str());
        yield_once(()).await;
        best + first.map_or(0, str::len)
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use desugar_runtime::{count_polls, poll_to_completion};

        #[test]
        fn matches_native() {
            let words = vec!["a".to_string(), "abc".to_string(), "ab".to_string()];
            assert_eq!(
                poll_to_completion(count_polls(longest(words.clone()))),
                poll_to_completion(count_polls(longest_native(words)))
            );
        }
    }
}

/// `continue 'rows` inside the argument of an awaited call.
#[desugar]
pub async fn first_small(rows: Vec<Vec<u32>>) -> Option<u32> {
    let mut found = None;
    'rows: for row in rows {
        for x in row {
            let y = yield_once({
                if x > 9 {
                    continue 'rows;
                }
                x
            })
            .await;
            found = Some(y);
            break 'rows;
        }
    }
    found
}

/// Dead code after a `return`, with an `.await` in it.
#[desugar]
#[allow(unreachable_code)]
pub async fn leaves_early(n: u32) -> u32 {
    let m = yield_once(n).await;
    let _x: u32 = {
        return m + 1;
        yield_once(m).await
    };
    0
}

#[cfg(test)]
mod dead_code_tests {
    use super::{first_small, leaves_early};
    use desugar_runtime::{count_polls, poll_to_completion};

    #[test]
    fn jumps_in_arguments_and_dead_code() {
        assert_eq!(
            poll_to_completion(first_small(vec![vec![10, 3], vec![4]])),
            Some(4)
        );
        assert_eq!(poll_to_completion(first_small(vec![vec![10]])), None);
        assert_eq!(poll_to_completion(count_polls(leaves_early(2))), (3, 2));
    }
}

/// `std::pin::pin!` in a `let`: the pinned value is kept in a slot.
#[desugar]
pub async fn pinned_then_awaited(n: u32) -> u32 {
    let fut = core::pin::pin!(yield_once(n));
    let first = fut.await;
    first + yield_once(1).await
}

/// A buffer whose methods borrow `self` and an argument in one sub-future.
pub struct Buffer {
    data: Vec<u8>,
}

impl Buffer {
    /// One lifetime for both borrows, as `write_all` has.
    async fn extend<'a>(&'a mut self, more: &'a [u8]) -> usize {
        yield_once(()).await;
        self.data.extend_from_slice(more);
        self.data.len()
    }

    /// A `pub` method: it gets a common `'future` lifetime.
    #[desugar]
    pub async fn append(&mut self, more: &[u8]) -> usize {
        self.extend(more).await
    }

    /// A private method (it could be in a trait impl) awaiting a call that
    /// ties `self` and `more` to one lifetime: `tied_lifetimes` says so, and
    /// the sub-future is built from a reborrow of `self` with an inferred
    /// lifetime.
    #[desugar(tied_lifetimes)]
    async fn append_twice(&mut self, more: &[u8]) -> usize {
        self.extend(more).await;
        self.extend(more).await
    }
}

/// A generic wrapper whose private method awaits an `async fn` borrowing
/// `self` and an argument (each for its own lifetime).
pub struct Counted<T> {
    inner: T,
    calls: u32,
}

impl<T: AsRef<[u8]>> Counted<T> {
    async fn count(&self, byte: &u8) -> usize {
        yield_once(()).await;
        self.inner.as_ref().iter().filter(|b| *b == byte).count()
    }

    #[desugar]
    async fn count_twice(&mut self, byte: &u8) -> usize {
        self.calls += 1;
        self.count(byte).await + self.count(byte).await
    }

    /// Runs `count_twice` to completion.
    pub fn count_twice_now(&mut self, byte: u8) -> (usize, u32) {
        let n = desugar_runtime::poll_to_completion(self.count_twice(&byte));
        (n, self.calls)
    }
}

#[cfg(test)]
mod pinning_and_method_tests {
    use super::{pinned_then_awaited, Buffer, Counted};
    use desugar_runtime::{count_polls, poll_to_completion};

    #[test]
    fn pin_in_a_let_and_methods_borrowing_self_and_an_argument() {
        assert_eq!(
            poll_to_completion(count_polls(pinned_then_awaited(4))),
            (5, 3)
        );
        let mut buffer = Buffer { data: Vec::new() };
        assert_eq!(poll_to_completion(buffer.append(b"ab")), 2);
        assert_eq!(poll_to_completion(buffer.append_twice(b"c")), 4);
        assert_eq!(buffer.data, b"abcc");
        let mut counted = Counted {
            inner: b"abca".to_vec(),
            calls: 0,
        };
        assert_eq!(poll_to_completion(counted.count_twice(&b'a')), 4);
        assert_eq!(counted.count_twice_now(b'b'), (2, 2));
    }
}

/// The body's tail after an `.await`, with locals still owned (dropped
/// before the tail's temporaries on this edition) and one whose type the
/// macro cannot see (a reference here: dropping it must not warn).
#[desugar]
pub async fn tail_after_locals(words: Vec<String>) -> usize {
    let joined = words.join(" ");
    let n = yield_once(joined.len()).await;
    let longest = pick(&words);
    n + longest.len() + format!("{joined}!").len()
}

fn pick(words: &[String]) -> &String {
    words.iter().max_by_key(|w| w.len()).unwrap()
}

#[cfg(test)]
mod tail_tests {
    #[test]
    fn tail_after_locals_runs() {
        let words = vec!["ab".to_string(), "c".to_string()];
        assert_eq!(
            desugar_runtime::poll_to_completion(super::tail_after_locals(words)),
            4 + 2 + 5
        );
    }
}
