//! `Send` of desugared futures with control flow, next to their native
//! twins: a value that is not `Send` (an `Rc`, a `std::sync::MutexGuard`)
//! alive across an `.await` inside a loop, an `if` branch or a `match` arm
//! makes the whole future `!Send`; the same value gone before the `.await`
//! (dropped, scoped in a block, moved away, or alive only on a path without
//! an `.await`) does not.
//!
//! Every case asserts the expected answer for both twins (`is_send!`), then
//! `assert_send_twins!` compares them with `check_twins!` (same `Send`-ness,
//! both `!Unpin`, desugared not larger, same behaviour, drops and polls,
//! cancellation after every poll). The expected answer is what rustc says
//! about the native `async fn`, which is not always what one would guess
//! (see the notes on `drop(guard)` and on temporaries in scrutinees).
//!
//! Each function locks its own static mutex, so that tests running in
//! parallel never wait for each other, and never locks it twice.

#![allow(unexpected_cfgs)]

use desugar_lessons::{Log, Noisy, check_twins, is_send, leaf, tick, twins};
use std::rc::Rc;
use std::sync::{Mutex, MutexGuard};

/// Asserts that both twins of the pair are `Send` exactly when `$send`,
/// then compares them with `check_twins!`.
macro_rules! assert_send_twins {
    (|$log:ident| $name:ident ( $($args:tt)* ), $send:expr) => {{
        assert_eq!(
            {
                let $log = Log::new();
                is_send!($name::native($($args)*))
            },
            $send,
            "native `{}`: Send",
            stringify!($name)
        );
        assert_eq!(
            {
                let $log = Log::new();
                is_send!($name::desugared($($args)*))
            },
            $send,
            "desugared `{}`: Send",
            stringify!($name)
        );
        check_twins!(|$log| $name($($args)*))
    }};
}

/// Takes the guard by value: the lock is released inside.
fn release(guard: MutexGuard<'_, u32>) -> u32 {
    *guard
}

// ---------------------------------------------------------------------------
// Loops
// ---------------------------------------------------------------------------

twins! {
    async fn rc_across_await_in_for(log: Log, n: u32) -> u32 {
        let mut sum = 0;
        for i in 0..n {
            let rc = Rc::new(i);
            tick(&log, "t", 1).await;
            sum += *rc;
        }
        sum
    }
}

twins! {
    async fn rc_scoped_before_await_in_for(log: Log, n: u32) -> u32 {
        let mut sum = 0;
        for i in 0..n {
            {
                let rc = Rc::new(i);
                sum += *rc;
            }
            tick(&log, "t", 1).await;
        }
        sum
    }
}

twins! {
    async fn rc_moved_before_await_in_for(log: Log, n: u32) -> u32 {
        let mut count = 0;
        for i in 0..n {
            let rc = Rc::new(i);
            drop(rc);
            tick(&log, "t", 1).await;
            count += 1;
        }
        count
    }
}

#[test]
fn rc_in_a_for_loop() {
    let o = assert_send_twins!(|log| rc_across_await_in_for(log, 3), false);
    assert_eq!(o.output, "3");
    assert_send_twins!(|log| rc_across_await_in_for(log, 0), false);
    let o = assert_send_twins!(|log| rc_scoped_before_await_in_for(log, 3), true);
    assert_eq!(o.output, "3");
    let o = assert_send_twins!(|log| rc_moved_before_await_in_for(log, 2), true);
    assert_eq!(o.output, "2");
}

static LOOP_HELD: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_across_await_in_loop(log: Log, n: u32) -> u32 {
        *LOOP_HELD.lock().unwrap() = 0;
        loop {
            let mut guard = LOOP_HELD.lock().unwrap();
            *guard += 1;
            tick(&log, "t", 1).await;
            if *guard >= n {
                break *guard;
            }
        }
    }
}

static WHILE_HELD: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_across_await_in_while(log: Log, n: u32) -> u32 {
        let mut i = 0;
        while i < n {
            let guard = WHILE_HELD.lock().unwrap();
            i += leaf(&log, "step", 1, 1).await;
            log.push(format!("held {}", *guard));
        }
        i
    }
}

static LOOP_SCOPED: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_scoped_before_await_in_loop(log: Log, n: u32) -> u32 {
        *LOOP_SCOPED.lock().unwrap() = 0;
        for i in 0..n {
            {
                let mut guard = LOOP_SCOPED.lock().unwrap();
                *guard += i;
            }
            tick(&log, "t", 1).await;
        }
        *LOOP_SCOPED.lock().unwrap()
    }
}

static LOOP_RELEASED: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_released_before_await_in_loop(log: Log, n: u32) -> u32 {
        let mut seen = 0;
        for _ in 0..n {
            let guard = LOOP_RELEASED.lock().unwrap();
            seen += release(guard);
            tick(&log, "t", 1).await;
        }
        seen
    }
}

static LOOP_TEMPORARY: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_temporary_in_loop_statement(log: Log, n: u32) -> u32 {
        *LOOP_TEMPORARY.lock().unwrap() = 0;
        for _ in 0..n {
            *LOOP_TEMPORARY.lock().unwrap() += 2;
            tick(&log, "t", 1).await;
        }
        let total = *LOOP_TEMPORARY.lock().unwrap();
        total
    }
}

#[test]
fn std_mutex_guard_in_loops() {
    let o = assert_send_twins!(|log| guard_across_await_in_loop(log, 3), false);
    assert_eq!(o.output, "3");
    let o = assert_send_twins!(|log| guard_across_await_in_while(log, 2), false);
    assert_eq!(o.output, "2");
    let o = assert_send_twins!(|log| guard_scoped_before_await_in_loop(log, 4), true);
    assert_eq!(o.output, "6");
    assert_send_twins!(|log| guard_released_before_await_in_loop(log, 2), true);
    let o = assert_send_twins!(|log| guard_temporary_in_loop_statement(log, 3), true);
    assert_eq!(o.output, "6");
}

static DROPPED_IN_LOOP: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_dropped_before_await_in_loop(log: Log, n: u32) -> u32 {
        let mut seen = 0;
        for _ in 0..n {
            let guard = DROPPED_IN_LOOP.lock().unwrap();
            seen += *guard;
            drop(guard);
            tick(&log, "t", 1).await;
        }
        seen
    }
}

static DROPPED_UNUSED_IN_LOOP: Mutex<u32> = Mutex::new(0);

twins! {
    async fn unused_guard_dropped_before_await_in_loop(log: Log, n: u32) -> u32 {
        for _ in 0..n {
            let guard = DROPPED_UNUSED_IN_LOOP.lock().unwrap();
            drop(guard);
            tick(&log, "t", 1).await;
        }
        n
    }
}

#[test]
fn std_mutex_guard_dropped_with_drop_in_a_loop() {
    // Never read: `drop(guard)` ends it, both are `Send`.
    assert_send_twins!(
        |log| unused_guard_dropped_before_await_in_loop(log, 2),
        true
    );
    // Read through `Deref` first: rustc keeps a local that was ever
    // borrowed in the future until its scope ends, even after `drop`, so
    // the native future is `!Send`.
    assert!(!is_send!(guard_dropped_before_await_in_loop::native(
        Log::new(),
        1
    )));
}

#[test]
fn std_mutex_guard_read_then_dropped_in_a_loop() {
    assert_send_twins!(|log| guard_dropped_before_await_in_loop(log, 2), false);
}

static WHILE_COND: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_temporary_in_while_condition(log: Log, n: u32) -> u32 {
        *WHILE_COND.lock().unwrap() = 0;
        // the condition's temporary guard is dropped before the body runs
        while *WHILE_COND.lock().unwrap() < n {
            tick(&log, "t", 1).await;
            *WHILE_COND.lock().unwrap() += 1;
        }
        n
    }
}

static WHILE_LET_QUEUE: Mutex<Vec<u32>> = Mutex::new(Vec::new());

twins! {
    async fn guard_temporary_in_while_let_scrutinee(log: Log, n: u32) -> u32 {
        WHILE_LET_QUEUE.lock().unwrap().extend(1..=n);
        let mut sum = 0;
        // the scrutinee's temporary guard lives to the end of the body
        while let Some(v) = WHILE_LET_QUEUE.lock().unwrap().pop() {
            tick(&log, "t", 1).await;
            sum += v;
        }
        sum
    }
}

static FOR_QUEUE: Mutex<Vec<u32>> = Mutex::new(Vec::new());

twins! {
    async fn guard_temporary_in_for_iterator(log: Log, n: u32) -> u32 {
        *FOR_QUEUE.lock().unwrap() = (1..=n).collect();
        let mut sum = 0;
        // the iterator expression's temporaries live to the end of the loop
        for v in FOR_QUEUE.lock().unwrap().clone() {
            tick(&log, "t", 1).await;
            sum += v;
        }
        sum
    }
}

#[test]
fn std_mutex_guard_temporary_in_a_while_condition() {
    let o = assert_send_twins!(|log| guard_temporary_in_while_condition(log, 2), true);
    assert_eq!(o.output, "2");
}

twins! {
    async fn noisy_temporary_in_while_let_scrutinee(log: Log) -> u32 {
        let mut n = 0;
        while let Some(v) = Noisy::with(&log, "temp", n).value().checked_add(1) {
            tick(&log, "t", 1).await;
            n = v;
            if n == 2 {
                break;
            }
        }
        n
    }
}

#[test]
fn std_mutex_guard_temporary_in_a_while_let_scrutinee() {
    let o = assert_send_twins!(|log| guard_temporary_in_while_let_scrutinee(log, 3), false);
    assert_eq!(o.output, "6");
    let o = check_twins!(|log| noisy_temporary_in_while_let_scrutinee(log));
    o.assert_before("t: ready", "temp: drop");
}

twins! {
    async fn noisy_temporary_in_for_iterator(log: Log) -> u32 {
        let mut sum = 0;
        for v in Noisy::with(&log, "temp", 1).value()..3 {
            tick(&log, "t", 1).await;
            sum += v;
        }
        log.push("after for");
        sum
    }
}

#[test]
fn std_mutex_guard_temporary_in_a_for_iterator() {
    let o = assert_send_twins!(|log| guard_temporary_in_for_iterator(log, 3), false);
    assert_eq!(o.output, "6");
    let o = check_twins!(|log| noisy_temporary_in_for_iterator(log));
    o.assert_before("t: ready", "temp: drop");
    o.assert_before("temp: drop", "after for");
}

// ---------------------------------------------------------------------------
// if / else
// ---------------------------------------------------------------------------

static IF_HELD: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_across_await_in_if_branch(log: Log, flag: bool) -> u32 {
        if flag {
            let guard = IF_HELD.lock().unwrap();
            tick(&log, "t", 1).await;
            *guard + 1
        } else {
            0
        }
    }
}

static IF_BEFORE: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_before_if_used_after_await(log: Log, flag: bool) -> u32 {
        let guard = IF_BEFORE.lock().unwrap();
        if flag {
            tick(&log, "t", 1).await;
        }
        *guard + 1
    }
}

twins! {
    async fn rc_across_await_in_else(log: Log, flag: bool) -> u32 {
        if flag {
            1
        } else {
            let rc = Rc::new(2);
            tick(&log, "t", 1).await;
            *rc
        }
    }
}

static IF_QUIET: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_only_in_branch_without_await(log: Log, flag: bool) -> u32 {
        *IF_QUIET.lock().unwrap() = 0;
        if flag {
            let mut guard = IF_QUIET.lock().unwrap();
            *guard += 5;
        } else {
            tick(&log, "t", 1).await;
        }
        tick(&log, "after", 1).await;
        *IF_QUIET.lock().unwrap()
    }
}

static IF_SCOPED: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_scoped_before_await_in_if_branch(log: Log, flag: bool) -> u32 {
        if flag {
            let v = {
                let guard = IF_SCOPED.lock().unwrap();
                *guard + 3
            };
            tick(&log, "t", 1).await;
            v
        } else {
            0
        }
    }
}

static IF_COND: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_temporary_in_if_condition(log: Log) -> u32 {
        // the condition's temporary guard is dropped before the branch
        if *IF_COND.lock().unwrap() == 0 {
            tick(&log, "t", 1).await;
            1
        } else {
            2
        }
    }
}

static IF_LET: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_temporary_in_if_let_scrutinee(log: Log) -> u32 {
        // edition 2024: the scrutinee's temporary guard lives through the
        // `then` block, and is dropped before `else`
        if let Some(v) = IF_LET.lock().unwrap().checked_add(1) {
            tick(&log, "t", 1).await;
            v
        } else {
            0
        }
    }
}

static IF_LET_ELSE: Mutex<u32> = Mutex::new(u32::MAX);

twins! {
    async fn guard_temporary_in_if_let_scrutinee_await_in_else(log: Log) -> u32 {
        // edition 2024: the temporary guard is gone before `else` runs
        if let Some(v) = IF_LET_ELSE.lock().unwrap().checked_add(1) {
            v
        } else {
            tick(&log, "t", 1).await;
            0
        }
    }
}

#[test]
fn not_send_values_in_if_branches() {
    let o = assert_send_twins!(|log| guard_across_await_in_if_branch(log, true), false);
    assert_eq!(o.output, "1");
    assert_send_twins!(|log| guard_across_await_in_if_branch(log, false), false);
    assert_send_twins!(|log| guard_before_if_used_after_await(log, true), false);
    assert_send_twins!(|log| guard_before_if_used_after_await(log, false), false);
    let o = assert_send_twins!(|log| rc_across_await_in_else(log, false), false);
    assert_eq!(o.output, "2");
}

#[test]
fn not_send_values_gone_before_the_await_in_if_branches() {
    let o = assert_send_twins!(|log| guard_only_in_branch_without_await(log, true), true);
    assert_eq!(o.output, "5");
    let o = assert_send_twins!(|log| guard_only_in_branch_without_await(log, false), true);
    assert_eq!(o.output, "0");
    let o = assert_send_twins!(
        |log| guard_scoped_before_await_in_if_branch(log, true),
        true
    );
    assert_eq!(o.output, "3");
    let o = assert_send_twins!(|log| guard_temporary_in_if_condition(log), true);
    assert_eq!(o.output, "1");
}

#[test]
fn std_mutex_guard_temporary_in_an_if_let_scrutinee_await_in_else() {
    let o = assert_send_twins!(
        |log| guard_temporary_in_if_let_scrutinee_await_in_else(log),
        true
    );
    assert_eq!(o.output, "0");
}

twins! {
    async fn noisy_temporary_in_if_let_scrutinee(log: Log) -> u32 {
        let r = if let Some(v) = Noisy::with(&log, "temp", 0).value().checked_add(1) {
            tick(&log, "t", 1).await;
            v
        } else {
            0
        };
        log.push("after if let");
        r
    }
}

#[test]
fn std_mutex_guard_temporary_in_an_if_let_scrutinee() {
    let o = assert_send_twins!(|log| guard_temporary_in_if_let_scrutinee(log), false);
    assert_eq!(o.output, "1");
    let o = check_twins!(|log| noisy_temporary_in_if_let_scrutinee(log));
    o.assert_before("t: ready", "temp: drop");
    o.assert_before("temp: drop", "after if let");
}

// ---------------------------------------------------------------------------
// match
// ---------------------------------------------------------------------------

static ARM_HELD: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_across_await_in_match_arm(log: Log, n: u32) -> u32 {
        match n {
            0 => 0,
            1 => {
                let guard = ARM_HELD.lock().unwrap();
                tick(&log, "t", 1).await;
                *guard + 10
            }
            _ => leaf(&log, "other", 1, n).await,
        }
    }
}

twins! {
    async fn rc_bound_by_the_pattern_across_await(log: Log, n: u32) -> u32 {
        let value = maybe_rc(n);
        match value {
            Some(rc) => {
                tick(&log, "t", 1).await;
                *rc
            }
            None => 0,
        }
    }
}

static ARM_QUIET: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_only_in_arm_without_await(log: Log, n: u32) -> u32 {
        *ARM_QUIET.lock().unwrap() = 0;
        match n {
            0 => {
                let mut guard = ARM_QUIET.lock().unwrap();
                *guard += 7;
            }
            _ => tick(&log, "t", 1).await,
        }
        tick(&log, "after", 1).await;
        *ARM_QUIET.lock().unwrap()
    }
}

fn maybe_rc(n: u32) -> Option<Rc<u32>> {
    if n > 0 { Some(Rc::new(n)) } else { None }
}

twins! {
    async fn rc_moved_out_of_a_temporary_by_the_pattern(log: Log, n: u32) -> u32 {
        // the scrutinee is a temporary, gone at the end of the `let`
        let v = match maybe_rc(n) {
            Some(rc) => *rc,
            None => 0,
        };
        tick(&log, "t", 1).await;
        v
    }
}

static MATCH_SCRUTINEE: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_temporary_in_match_scrutinee(log: Log) -> u32 {
        // the scrutinee's temporary guard lives to the end of the `match`
        match *MATCH_SCRUTINEE.lock().unwrap() {
            0 => {
                tick(&log, "t", 1).await;
                1
            }
            _ => 2,
        }
    }
}

static MATCH_SCRUTINEE_LET: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_temporary_in_scrutinee_dropped_by_let(log: Log) -> u32 {
        // ... but not beyond the `let` statement holding the `match`
        let v = match *MATCH_SCRUTINEE_LET.lock().unwrap() {
            0 => 1,
            _ => 2,
        };
        tick(&log, "t", 1).await;
        v
    }
}

#[test]
fn not_send_values_in_match_arms() {
    let o = assert_send_twins!(|log| guard_across_await_in_match_arm(log, 1), false);
    assert_eq!(o.output, "10");
    assert_send_twins!(|log| guard_across_await_in_match_arm(log, 5), false);
    let o = assert_send_twins!(|log| rc_bound_by_the_pattern_across_await(log, 4), false);
    assert_eq!(o.output, "4");
}

twins! {
    async fn noisy_temporary_in_match_scrutinee(log: Log) -> u32 {
        let r = match Noisy::with(&log, "temp", 0).value() {
            0 => {
                tick(&log, "t", 1).await;
                1
            }
            _ => 2,
        };
        log.push("after match");
        r
    }
}

#[test]
fn std_mutex_guard_temporary_in_a_match_scrutinee() {
    let o = assert_send_twins!(|log| guard_temporary_in_match_scrutinee(log), false);
    assert_eq!(o.output, "1");
    let o = check_twins!(|log| noisy_temporary_in_match_scrutinee(log));
    o.assert_before("t: ready", "temp: drop");
    o.assert_before("temp: drop", "after match");
}

#[test]
fn not_send_values_gone_before_the_await_in_match_arms() {
    let o = assert_send_twins!(|log| guard_only_in_arm_without_await(log, 0), true);
    assert_eq!(o.output, "7");
    let o = assert_send_twins!(|log| guard_only_in_arm_without_await(log, 3), true);
    assert_eq!(o.output, "0");
    let o = assert_send_twins!(
        |log| rc_moved_out_of_a_temporary_by_the_pattern(log, 4),
        true
    );
    assert_eq!(o.output, "4");
    let o = assert_send_twins!(|log| guard_temporary_in_scrutinee_dropped_by_let(log), true);
    assert_eq!(o.output, "1");
}

twins! {
    async fn rc_not_moved_on_the_awaiting_arm(log: Log, n: u32) -> u32 {
        let value = maybe_rc(n);
        // `value` is moved on the `Some` arm only: on the `None` arm it is
        // still alive (holding `None`) across the await
        match value {
            Some(rc) => *rc,
            None => {
                tick(&log, "t", 1).await;
                0
            }
        }
    }
}

twins! {
    async fn rc_moved_on_one_arm_then_await(log: Log, n: u32) -> u32 {
        let value = maybe_rc(n);
        // `value` is moved on the `Some` arm only: it may still be alive
        // (holding `None`) at the await after the `match`
        let v = match value {
            Some(rc) => *rc,
            None => 0,
        };
        tick(&log, "t", 1).await;
        v
    }
}

#[test]
fn rc_scrutinee_moved_on_one_arm_only() {
    let o = assert_send_twins!(|log| rc_not_moved_on_the_awaiting_arm(log, 0), false);
    assert_eq!(o.output, "0");
    let o = assert_send_twins!(|log| rc_moved_on_one_arm_then_await(log, 4), false);
    assert_eq!(o.output, "4");
}

// ---------------------------------------------------------------------------
// Values alive across a loop, and `Send` values next to them
// ---------------------------------------------------------------------------

static AROUND_LOOP: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_before_a_loop_that_awaits(log: Log, n: u32) -> u32 {
        let guard = AROUND_LOOP.lock().unwrap();
        let mut i = 0;
        while i < n {
            i += leaf(&log, "step", 1, 1).await;
        }
        *guard + i
    }
}

static LOOP_BREAK: Mutex<u32> = Mutex::new(0);

twins! {
    async fn guard_released_by_break_before_await(log: Log, n: u32) -> u32 {
        let mut i = 0;
        let seen = loop {
            let guard = LOOP_BREAK.lock().unwrap();
            if i == n {
                break *guard;
            }
            i += 1;
            drop(guard);
            log.push(format!("round {i}"));
        };
        tick(&log, "t", 1).await;
        seen + i
    }
}

twins! {
    async fn noisy_values_in_branches(log: Log, n: u32) -> u32 {
        let kept = Noisy::with(&log, "kept", 1);
        let mut sum = 0;
        for i in 0..n {
            let item = Noisy::with(&log, "item", i);
            if i % 2 == 0 {
                sum += leaf(&log, "even", 1, item.touch()).await;
            } else {
                match i {
                    1 => tick(&log, "one", 1).await,
                    _ => sum += item.touch(),
                }
            }
        }
        sum + kept.touch()
    }
}

#[test]
fn values_around_loops() {
    let o = assert_send_twins!(|log| guard_before_a_loop_that_awaits(log, 2), false);
    assert_eq!(o.output, "2");
    // no await in the loop: the guard is gone before the await after it
    let o = assert_send_twins!(|log| guard_released_by_break_before_await(log, 2), true);
    assert_eq!(o.output, "2");
    let o = assert_send_twins!(|log| noisy_values_in_branches(log, 4), true);
    assert_eq!(o.output, "6");
}

/// What rustc says about the native twins of the ignored cases above, so
/// that the expected answer is checked while the desugared twins differ.
#[test]
fn native_futures_keep_these_values_across_the_await() {
    let log = Log::new();
    assert!(!is_send!(guard_temporary_in_while_let_scrutinee::native(
        log.clone(),
        1
    )));
    assert!(!is_send!(guard_temporary_in_for_iterator::native(
        log.clone(),
        1
    )));
    assert!(!is_send!(guard_temporary_in_if_let_scrutinee::native(
        log.clone()
    )));
    assert!(!is_send!(guard_temporary_in_match_scrutinee::native(
        log.clone()
    )));
    assert!(!is_send!(rc_not_moved_on_the_awaiting_arm::native(
        log.clone(),
        0
    )));
    assert!(!is_send!(rc_moved_on_one_arm_then_await::native(
        log.clone(),
        0
    )));
}
