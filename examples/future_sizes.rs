//! Seed "Lesson 2", exercise 4: the size of futures.
//!
//! `cargo run --example future_sizes` prints `size_of_val` of the futures of
//! `no_awaits`, `one_await` and `holds_big_data`, native and `#[desugar]`ed.
//! A future is an enum of its states, so its size is that of its largest
//! state; a `[u8; 1024]` held across an `.await` is a field of that state.

use std::mem::size_of_val;

use desugar_runtime::{YieldOnce, count_polls, poll_to_completion};

/// The seed's three functions, as written.
mod native {
    use desugar_runtime::yield_once;

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
}

/// The same three, turned into explicit state machines by `#[desugar]`.
mod desugared {
    use desugar_runtime::{desugar, yield_once};

    #[desugar]
    pub async fn no_awaits() -> u32 {
        42
    }

    #[desugar]
    pub async fn one_await() -> u32 {
        yield_once(42).await
    }

    #[desugar]
    pub async fn holds_big_data() -> u32 {
        let buf = [0u8; 1024];
        yield_once(0).await;
        buf[0] as u32
    }
}

fn main() {
    println!("Exercise 4: std::mem::size_of_val(&future), in bytes.");
    println!();
    let rows = [
        (
            "no_awaits()",
            size_of_val(&native::no_awaits()),
            size_of_val(&desugared::no_awaits()),
        ),
        (
            "one_await()",
            size_of_val(&native::one_await()),
            size_of_val(&desugared::one_await()),
        ),
        (
            "holds_big_data()",
            size_of_val(&native::holds_big_data()),
            size_of_val(&desugared::holds_big_data()),
        ),
    ];
    println!(
        "{:<18} {:>8} {:>11} {:>12}",
        "async fn", "native", "#[desugar]", "difference"
    );
    for (name, native, desugared) in rows {
        let difference = desugared as isize - native as isize;
        println!("{name:<18} {native:>8} {desugared:>11} {difference:>+12}");
    }

    // What the seed says, checked for both kinds of future.
    let [(_, no_n, no_d), (_, one_n, one_d), (_, big_n, big_d)] = rows;
    for (kind, no, one, big) in [
        ("native", no_n, one_n, big_n),
        ("#[desugar]", no_d, one_d, big_d),
    ] {
        assert!(no < 64 && one < 64, "{kind}: small futures are small");
        assert!(big >= 1024, "{kind}: the buffer lives in the future");
        assert!(big - one >= 1000, "{kind}: ~1 KB more than one_await");
    }
    println!();
    println!("holds_big_data's future is ~1 KB larger than one_await's: `buf` is used");
    println!("after the .await, so it is a field of the state waiting on yield_once(0).");
    println!("no_awaits has no state to keep across a poll: only the state tag.");

    println!();
    println!("The two columns need not agree to the byte. Both are enums of the same");
    println!("states holding the same values, laid out by different rules. The compiler");
    println!("gives an async fn's future a state tag of its own (padded to alignment).");
    println!("#[desugar]'s state enum is an ordinary enum, and an ordinary enum can");
    println!("hide its tag in bit patterns that a field never uses (a \"niche\").");
    let yield_once = size_of::<YieldOnce<u32>>();
    let optional = size_of::<Option<YieldOnce<u32>>>();
    println!("For scale: YieldOnce<u32> is {yield_once} bytes, Option<YieldOnce<u32>> {optional}.");
    if optional == yield_once {
        println!("YieldOnce has a niche (its `bool`), so an enum holding it needs no extra tag.");
    }

    // And they all still compute the same thing.
    assert_eq!(
        poll_to_completion(count_polls(native::no_awaits())),
        (42, 1)
    );
    assert_eq!(
        poll_to_completion(count_polls(desugared::no_awaits())),
        (42, 1)
    );
    assert_eq!(
        poll_to_completion(count_polls(native::one_await())),
        (42, 2)
    );
    assert_eq!(
        poll_to_completion(count_polls(desugared::one_await())),
        (42, 2)
    );
    assert_eq!(
        poll_to_completion(count_polls(native::holds_big_data())),
        (0, 2)
    );
    assert_eq!(
        poll_to_completion(count_polls(desugared::holds_big_data())),
        (0, 2)
    );
}
