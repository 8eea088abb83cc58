//! Control flow holding `.await`s (branches, loops, blocks, `let ... else`,
//! `&&`, macro arguments) compiles without a warning under the strictest
//! crate-level lints, and gives the native results.

#![deny(warnings)]
#![forbid(unsafe_code)]

use desugar_runtime::{count_polls, desugar, poll_to_completion, yield_once};

#[desugar]
async fn both(a: bool, b: bool) -> bool {
    let ok = a && yield_once(b).await;
    ok
}

#[desugar]
async fn pick(first: bool, a: u32, b: u32) -> u32 {
    let value = if first { yield_once(a).await } else { b };
    value + 1
}

#[desugar]
async fn doubled(a: u32) -> u32 {
    let twice = {
        let x = yield_once(a).await;
        x * 2
    };
    twice
}

#[desugar]
async fn sum(values: Vec<u32>) -> u32 {
    let mut total = 0;
    for value in values {
        total += yield_once(value).await;
    }
    total
}

#[desugar]
async fn first(values: Vec<u32>) -> u32 {
    let Some(value) = yield_once(values.first().copied()).await else {
        return 0;
    };
    value
}

#[desugar]
async fn count_to(limit: u32) -> u32 {
    let mut n = 0;
    loop {
        n = yield_once(n + 1).await;
        if n == limit {
            break n;
        }
    }
}

#[desugar]
async fn describe(n: Option<u32>) -> u32 {
    match n {
        Some(n) => yield_once(n).await,
        None => 0,
    }
}

#[desugar]
async fn count_while(limit: u32) -> u32 {
    let mut n = 0;
    while n < limit {
        n = yield_once(n + 1).await;
    }
    n
}

#[desugar]
async fn show(a: u32) -> String {
    format!("{}", yield_once(a).await)
}

#[desugar]
async fn sum_borrowed(values: Vec<u32>) -> u32 {
    let mut total = 0;
    for value in &values {
        total += yield_once(*value).await;
    }
    let first = values.first();
    yield_once(()).await;
    total + first.copied().unwrap_or(0)
}

#[desugar]
async fn classify(n: Option<u32>) -> u32 {
    match n {
        Some(x) if yield_once(x > 10).await => 2,
        Some(_) => 1,
        None => 0,
    }
}

#[desugar]
async fn first_small(rows: Vec<Vec<u32>>) -> Option<u32> {
    let mut found = None;
    'rows: for row in rows {
        for x in row {
            // `continue 'rows` inside the argument of an awaited call
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

#[desugar]
#[allow(unreachable_code)]
async fn leaves_early(n: u32) -> u32 {
    let m = yield_once(n).await;
    // dead code after `return`, with an `.await` in it
    let _x: u32 = {
        return m + 1;
        yield_once(m).await
    };
    0
}

fn main() {
    assert_eq!(poll_to_completion(first_small(vec![vec![10, 3], vec![4]])), Some(4));
    assert_eq!(poll_to_completion(first_small(vec![vec![10]])), None);
    assert_eq!(poll_to_completion(count_polls(leaves_early(2))), (3, 2));
    assert_eq!(poll_to_completion(classify(Some(11))), 2);
    assert_eq!(poll_to_completion(classify(Some(1))), 1);
    assert_eq!(poll_to_completion(classify(None)), 0);
    assert_eq!(poll_to_completion(count_polls(sum_borrowed(vec![1, 2]))), (4, 4));
    assert!(!poll_to_completion(both(true, false)));
    assert!(!poll_to_completion(both(false, true)));
    assert_eq!(poll_to_completion(count_polls(both(true, true))), (true, 2));
    assert_eq!(poll_to_completion(pick(true, 1, 2)), 2);
    assert_eq!(poll_to_completion(pick(false, 1, 2)), 3);
    assert_eq!(poll_to_completion(doubled(4)), 8);
    assert_eq!(poll_to_completion(count_polls(sum(vec![1, 2, 3]))), (6, 4));
    assert_eq!(poll_to_completion(first(vec![7, 8])), 7);
    assert_eq!(poll_to_completion(first(Vec::new())), 0);
    assert_eq!(poll_to_completion(count_polls(count_to(3))), (3, 4));
    assert_eq!(poll_to_completion(describe(Some(5))), 5);
    assert_eq!(poll_to_completion(describe(None)), 0);
    assert_eq!(poll_to_completion(count_while(2)), 2);
    assert_eq!(poll_to_completion(show(9)), "9");
}
