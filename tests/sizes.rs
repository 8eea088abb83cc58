//! Sizes of futures (issue 7): `size_of_val` of native `async fn` futures next
//! to their `#[desugar]` twins, for the seed examples and for the cases where
//! the compiler is known to waste space (rust-lang/rust #62958 and #59087: an
//! argument stored twice, once more for every wrapper around it).
//!
//! `cargo test --test sizes -- --nocapture` prints the table that the README's
//! "Performance" section shows. Every row asserts that the desugared future is
//! not larger than the native one; native sizes are not asserted (they depend
//! on the compiler), only what the desugared layout guarantees.

use std::future::Future;
use std::mem::size_of_val;

use desugar_runtime::{count_polls, poll_to_completion};

/// The functions, written once: `mod native` has them as written, `mod
/// desugared` with `#[desugar]`. Inside each module they call each other by
/// their plain names, so a desugared wrapper awaits a desugared future.
macro_rules! twins {
    ($($item:item)*) => {
        #[allow(dead_code)]
        mod native {
            use super::leaf::*;
            $($item)*
        }

        #[allow(dead_code)]
        mod desugared {
            use super::leaf::*;
            $(
                #[desugar_runtime::desugar]
                $item
            )*
        }
    };
}

/// Small stand-ins for the leaf futures of the seed examples (a fake network,
/// as in `examples/support`): each is `Pending` once, then ready.
mod leaf {
    pub use desugar_runtime::{YieldOnce, yield_once};

    /// Seed "Async, illustrated": what `fetch` returns.
    pub type Bytes = Vec<u8>;
    /// Seed "Async, illustrated": why a `fetch` fails.
    #[derive(Debug, PartialEq)]
    pub struct Error;

    pub fn fetch(url: &str) -> YieldOnce<Result<Bytes, Error>> {
        yield_once(if url.is_empty() {
            Err(Error)
        } else {
            Ok(url.as_bytes().to_vec())
        })
    }

    /// Seed "Lesson 2": an HTTP response.
    pub struct Response {
        pub body: String,
    }

    pub fn build_url() -> YieldOnce<String> {
        yield_once("https://example.invalid/data".to_string())
    }

    pub fn http_get(url: String) -> YieldOnce<Response> {
        yield_once(Response { body: url })
    }

    /// A leaf future of 1 byte (DESIGN.md §5's "1-byte leaf"): `Pending`
    /// once (after waking its task), then `Ready(())`.
    pub struct Tick {
        yielded: bool,
    }

    pub fn tick() -> Tick {
        Tick { yielded: false }
    }

    impl std::future::Future for Tick {
        type Output = ();

        fn poll(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<()> {
            if self.yielded {
                std::task::Poll::Ready(())
            } else {
                self.yielded = true;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        }
    }
}

twins! {
    // --- the seed examples -------------------------------------------------

    pub async fn add_slowly(a: u32, b: u32) -> u32 {
        let x = yield_once(a).await;
        let y = yield_once(b).await;
        x + y
    }

    pub async fn fetch_data() -> String {
        let url = build_url().await;
        let response = http_get(url).await;
        response.body
    }

    pub async fn fetch_two(a: &str, b: &str) -> Result<(Bytes, Bytes), Error> {
        let r1 = fetch(a).await?;
        let r2 = fetch(b).await?;
        Ok((r1, r2))
    }

    pub async fn no_awaits() -> u32 {
        42
    }

    pub async fn one_await() -> u32 {
        yield_once(42).await
    }

    pub async fn holds_big_data() -> u32 {
        let buf = [0u8; 1024];
        yield_once(0).await;
        buf[0] as u32
    }

    // --- the compiler's known cases (DESIGN.md §5) ---------------------------

    /// A 1 KiB argument used after two awaits: the compiler keeps it twice
    /// (as the captured argument and as the body's local).
    pub async fn big_arg(buf: [u8; 1024]) -> u32 {
        tick().await;
        tick().await;
        buf.iter().map(|&b| b as u32).sum()
    }

    /// Awaits `f`: each wrapper adds another copy of `f` to the native future.
    pub async fn wrap<F: std::future::Future>(f: F) -> F::Output {
        f.await
    }

    pub async fn wrapped1(buf: [u8; 1024]) -> u32 {
        wrap(big_arg(buf)).await
    }

    pub async fn wrapped2(buf: [u8; 1024]) -> u32 {
        wrap(wrap(big_arg(buf))).await
    }

    pub async fn wrapped3(buf: [u8; 1024]) -> u32 {
        wrap(wrap(wrap(big_arg(buf)))).await
    }

    pub async fn for_loop(n: u32) -> u32 {
        let mut count = 0;
        for _ in 0..n {
            tick().await;
            count += 1;
        }
        count
    }

    pub async fn tiny() {
        tick().await
    }

    /// Two locals borrowed across awaits in blocks side by side: their
    /// slots take turns in one place, as the compiler overlaps them.
    pub async fn two_lists(n: u32) -> u32 {
        let mut total = 0;
        {
            let a: Vec<u32> = (0..n).collect();
            for x in &a {
                total += yield_once(*x).await;
            }
        }
        {
            let b: Vec<u32> = (0..n).map(|x| x * 10).collect();
            for x in &b {
                total += yield_once(*x).await;
            }
        }
        total
    }
}

/// One row of the table: the future's name, native and desugared sizes.
struct Row {
    name: &'static str,
    native: usize,
    desugared: usize,
}

fn row<N: Future, D: Future>(name: &'static str, native: N, desugared: D) -> Row {
    Row {
        name,
        native: size_of_val(&native),
        desugared: size_of_val(&desugared),
    }
}

fn bytes(seed: u8) -> [u8; 1024] {
    let mut buf = [0u8; 1024];
    for (i, b) in buf.iter_mut().enumerate() {
        *b = seed.wrapping_add(i as u8);
    }
    buf
}

#[test]
fn desugared_futures_are_never_larger_than_native_ones() {
    let buf = bytes(1);
    let rows = [
        row(
            "add_slowly(2, 3)",
            native::add_slowly(2, 3),
            desugared::add_slowly(2, 3),
        ),
        row(
            "fetch_data()",
            native::fetch_data(),
            desugared::fetch_data(),
        ),
        row(
            "fetch_two(a, b)",
            native::fetch_two("a", "b"),
            desugared::fetch_two("a", "b"),
        ),
        row("no_awaits()", native::no_awaits(), desugared::no_awaits()),
        row("one_await()", native::one_await(), desugared::one_await()),
        row(
            "holds_big_data()",
            native::holds_big_data(),
            desugared::holds_big_data(),
        ),
        row(
            "big_arg([u8; 1024])",
            native::big_arg(buf),
            desugared::big_arg(buf),
        ),
        row(
            "wrap(big_arg(..))",
            native::wrap(native::big_arg(buf)),
            desugared::wrap(desugared::big_arg(buf)),
        ),
        row(
            "wrap(wrap(big_arg(..)))",
            native::wrap(native::wrap(native::big_arg(buf))),
            desugared::wrap(desugared::wrap(desugared::big_arg(buf))),
        ),
        row(
            "wrap(wrap(wrap(big_arg(..))))",
            native::wrap(native::wrap(native::wrap(native::big_arg(buf)))),
            desugared::wrap(desugared::wrap(desugared::wrap(desugared::big_arg(buf)))),
        ),
        row(
            "wrapped1(buf)",
            native::wrapped1(buf),
            desugared::wrapped1(buf),
        ),
        row(
            "wrapped2(buf)",
            native::wrapped2(buf),
            desugared::wrapped2(buf),
        ),
        row(
            "wrapped3(buf)",
            native::wrapped3(buf),
            desugared::wrapped3(buf),
        ),
        row("for_loop(n)", native::for_loop(3), desugared::for_loop(3)),
        row("tiny()", native::tiny(), desugared::tiny()),
        row(
            "two_lists(n)",
            native::two_lists(3),
            desugared::two_lists(3),
        ),
    ];

    println!();
    println!(
        "{:<32} {:>8} {:>10} {:>7}",
        "future (size_of_val, bytes)", "native", "desugared", "ratio"
    );
    for Row {
        name,
        native,
        desugared,
    } in &rows
    {
        let ratio = *desugared as f64 / *native as f64;
        println!("{name:<32} {native:>8} {desugared:>10} {ratio:>7.2}");
    }
    println!();

    let larger: Vec<_> = rows
        .iter()
        .filter(|row| row.desugared > row.native)
        .map(|row| format!("{}: {} > {}", row.name, row.desugared, row.native))
        .collect();
    assert!(
        larger.is_empty(),
        "desugared futures larger than native: {larger:?}"
    );
}

#[test]
fn a_kilobyte_argument_is_stored_once() {
    // The native future keeps the argument twice (about 2051 bytes); the
    // desugared one keeps it in one state at a time, wrappers or not.
    let buf = bytes(2);
    let sizes = [
        size_of_val(&desugared::big_arg(buf)),
        size_of_val(&desugared::wrap(desugared::big_arg(buf))),
        size_of_val(&desugared::wrap(desugared::wrap(desugared::big_arg(buf)))),
        size_of_val(&desugared::wrap(desugared::wrap(desugared::wrap(
            desugared::big_arg(buf),
        )))),
        size_of_val(&desugared::wrapped1(buf)),
        size_of_val(&desugared::wrapped2(buf)),
        size_of_val(&desugared::wrapped3(buf)),
    ];
    for size in sizes {
        assert!(
            (1024..=1100).contains(&size),
            "a desugared future holding one [u8; 1024] is {size} bytes (expected 1024..=1100): {sizes:?}"
        );
    }
}

#[test]
fn the_measured_futures_compute_the_same() {
    // The sizes above are of futures that work: each pair gives the same
    // output in the same number of polls.
    let buf = bytes(3);
    macro_rules! same {
        ($($call:tt)*) => {
            assert_eq!(
                poll_to_completion(count_polls(native::$($call)*)),
                poll_to_completion(count_polls(desugared::$($call)*)),
                stringify!($($call)*)
            );
        };
    }
    same!(add_slowly(2, 3));
    same!(fetch_data());
    same!(fetch_two("a", "b"));
    same!(fetch_two("a", ""));
    same!(no_awaits());
    same!(one_await());
    same!(holds_big_data());
    same!(big_arg(buf));
    same!(wrapped1(buf));
    same!(wrapped2(buf));
    same!(wrapped3(buf));
    same!(for_loop(0));
    same!(for_loop(5));
    same!(tiny());
    same!(two_lists(3));
    assert_eq!(
        poll_to_completion(native::big_arg(buf)),
        buf.iter().map(|&b| b as u32).sum::<u32>()
    );
}
