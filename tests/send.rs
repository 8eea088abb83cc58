//! `Send` (and `Unpin`) of desugared futures next to their native twins.
//!
//! What a state saves decides whether the future is `Send`: saving too much
//! (an `Rc` the compiler would have dropped) makes it `!Send`, saving too
//! little (a guard dropped early) makes it `Send` where the native one is
//! not. Each pair here is compared with `compare!`/`check_twins!` (same
//! `Send`-ness, both `!Unpin`, same behaviour), and the `Send` ones are also
//! checked at compile time with `assert_send`.

#![allow(unexpected_cfgs)]

use desugar_lessons::{Log, Noisy, assert_send, check_twins, is_send, leaf, tick, twins};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Mutex;

async fn consume_rc(log: &Log, rc: Rc<u32>) -> u32 {
    tick(log, "consume_rc", 1).await;
    *rc
}

twins! {
    async fn noisy_across_awaits(log: Log, n: Noisy) -> u32 {
        let m = Noisy::with(&log, "m", 2);
        let x = leaf(&log, "x", 1, 3).await;
        tick(&log, "t", 1).await;
        n.touch() + m.touch() + x
    }
}

struct Reader {
    data: Vec<u8>,
}

impl Reader {
    async fn read(&mut self, log: &Log, buf: &mut Vec<u8>) -> usize {
        tick(log, "read", 1).await;
        buf.extend_from_slice(&self.data);
        self.data.len()
    }
}

twins! {
    async fn borrowing_locals(log: Log) -> (usize, Vec<u8>) {
        let mut reader = Reader { data: vec![1, 2] };
        let mut buf = Vec::new();
        let n = reader.read(&log, &mut buf).await;
        let m = reader.read(&log, &mut buf).await;
        (n + m, buf)
    }
}

twins! {
    async fn generic_send<T: Send + Clone + std::fmt::Debug>(log: Log, t: T) -> (T, T) {
        let u = leaf(&log, "t", 1, t.clone()).await;
        (t, u)
    }
}

#[test]
fn send_futures_stay_send() {
    let log = Log::new();
    assert_send(&noisy_across_awaits::desugared(
        log.clone(),
        Noisy::new(&log, "n"),
    ));
    assert_send(&borrowing_locals::desugared(log.clone()));
    assert_send(&generic_send::desugared(log.clone(), String::new()));
    check_twins!(|log| noisy_across_awaits(log.clone(), Noisy::new(&log, "n")));
    check_twins!(|log| borrowing_locals(log));
    check_twins!(|log| generic_send(log, vec![1u8]));
}

twins! {
    async fn generic_any<T: Clone + std::fmt::Debug>(log: Log, t: T) -> (T, T) {
        let u = leaf(&log, "t", 1, t.clone()).await;
        (t, u)
    }
}

#[test]
fn generic_future_is_send_exactly_when_its_parameter_is() {
    let log = Log::new();
    assert!(is_send!(generic_any::native(log.clone(), 1u8)));
    assert!(is_send!(generic_any::desugared(log.clone(), 1u8)));
    assert!(!is_send!(generic_any::native(log.clone(), Rc::new(1))));
    assert!(!is_send!(generic_any::desugared(log.clone(), Rc::new(1))));
    check_twins!(|log| generic_any(log, Rc::new(1)));
    check_twins!(|log| generic_any(log, 1u8));
}

twins! {
    async fn rc_dropped_before_await(log: Log) -> u32 {
        let rc = Rc::new(5);
        let v = *rc;
        drop(rc);
        tick(&log, "t", 1).await;
        v
    }
}

twins! {
    async fn rc_temporary_before_await(log: Log) -> u32 {
        let v = *Rc::new(5);
        let _ = Rc::new(6);
        tick(&log, "t", 1).await;
        v
    }
}

twins! {
    async fn rc_in_await_free_block(log: Log) -> u32 {
        let v = {
            let rc = Rc::new(5);
            *rc + 1
        };
        tick(&log, "t", 1).await;
        v
    }
}

twins! {
    async fn rc_moved_into_earlier_future(log: Log) -> u32 {
        let rc = Rc::new(5);
        let v = consume_rc(&log, rc).await;
        tick(&log, "t", 1).await;
        v
    }
}

#[test]
fn rc_gone_before_the_await_keeps_the_future_send() {
    let log = Log::new();
    assert_send(&rc_temporary_before_await::native(log.clone()));
    assert_send(&rc_temporary_before_await::desugared(log.clone()));
    assert_send(&rc_in_await_free_block::native(log.clone()));
    assert_send(&rc_in_await_free_block::desugared(log.clone()));
    check_twins!(|log| rc_temporary_before_await(log));
    check_twins!(|log| rc_in_await_free_block(log));
}

#[test]
fn rc_dropped_before_the_await() {
    // `*rc` borrowed `rc`: rustc keeps its storage (and type) in the future
    // until its scope ends, even after `drop(rc)`; the desugared machine
    // keeps `rc_storage: PhantomData<Rc<u32>>`.
    let log = Log::new();
    assert!(!is_send!(rc_dropped_before_await::native(log.clone())));
    assert!(!is_send!(rc_dropped_before_await::desugared(log.clone())));
    check_twins!(|log| rc_dropped_before_await(log));
}

#[test]
fn rc_moved_into_an_earlier_future() {
    // Native: `rc` was moved into the first sub-future, which is gone
    // before the second await; but it was alive across the first await.
    check_twins!(|log| rc_moved_into_earlier_future(log));
}

twins! {
    #[allow(clippy::redundant_locals)]
    async fn rc_alive_but_unused_after_await(log: Log) -> u32 {
        let rc = Rc::new(5);
        let v = *rc;
        tick(&log, "t", 1).await;
        v
    }
}

twins! {
    async fn rc_shadowed_before_await(log: Log) -> u32 {
        let x = Rc::new(5);
        let y = *x;
        let x = y;
        tick(&log, "t", 1).await;
        x
    }
}

twins! {
    async fn rc_shadowed_by_its_deref(log: Log) -> u32 {
        let x = Rc::new(5);
        let x = *x;
        tick(&log, "t", 1).await;
        x
    }
}

#[test]
fn rc_shadowed_by_a_value_read_from_it() {
    // the shadowed `Rc` lives on to the end of the scope: both are !Send
    let log = Log::new();
    assert!(!is_send!(rc_shadowed_by_its_deref::native(log.clone())));
    let o = check_twins!(|log| rc_shadowed_by_its_deref(log));
    assert_eq!(o.output, "5");
}

twins! {
    async fn rc_used_after_await(log: Log) -> u32 {
        let rc = Rc::new(5);
        tick(&log, "t", 1).await;
        *rc
    }
}

#[test]
fn rc_alive_across_the_await_makes_both_not_send() {
    let log = Log::new();
    assert!(!is_send!(rc_alive_but_unused_after_await::native(
        log.clone()
    )));
    assert!(!is_send!(rc_shadowed_before_await::native(log.clone())));
    assert!(!is_send!(rc_used_after_await::native(log.clone())));
    // and `compare!` asserts the desugared twins agree
    check_twins!(|log| rc_alive_but_unused_after_await(log));
    check_twins!(|log| rc_shadowed_before_await(log));
    check_twins!(|log| rc_used_after_await(log));
}

static HELD: Mutex<u32> = Mutex::new(0);
static RELEASED: Mutex<u32> = Mutex::new(0);

twins! {
    async fn mutex_guard_across_await(log: Log) -> u32 {
        let mut guard = HELD.lock().unwrap();
        *guard = leaf(&log, "v", 1, 7).await;
        tick(&log, "t", 1).await;
        *guard
    }
}

twins! {
    async fn mutex_guard_released_before_await(log: Log) -> u32 {
        {
            let mut guard = RELEASED.lock().unwrap();
            *guard += 1;
        }
        let g = RELEASED.lock().unwrap();
        drop(g);
        tick(&log, "t", 1).await;
        1
    }
}

#[test]
fn std_mutex_guard_across_await_is_not_send_in_both() {
    let log = Log::new();
    assert!(!is_send!(mutex_guard_across_await::native(log.clone())));
    assert_send(&mutex_guard_released_before_await::desugared(log.clone()));
    // the two twins lock the same mutex one after the other, never both
    let o = check_twins!(|log| mutex_guard_across_await(log));
    assert_eq!(o.output, "7");
    check_twins!(|log| mutex_guard_released_before_await(log));
}

static IN_ARGUMENT: Mutex<u32> = Mutex::new(3);

twins! {
    async fn mutex_guard_in_awaited_argument(log: Log) -> (u32, bool) {
        // the guard is a temporary of the statement: it stays locked while
        // `leaf` is awaited
        let v = leaf(&log, "v", 1, *IN_ARGUMENT.lock().unwrap()).await;
        (v, IN_ARGUMENT.try_lock().is_ok())
    }
}

#[test]
fn mutex_guard_in_an_awaited_argument_is_held_across_the_await() {
    let log = Log::new();
    assert!(!is_send!(mutex_guard_in_awaited_argument::native(
        log.clone()
    )));
    let o = check_twins!(|log| mutex_guard_in_awaited_argument(log));
    assert_eq!(o.output, "(3, true)");
}

static LEN_ARGUMENT: Mutex<Vec<u32>> = Mutex::new(Vec::new());

twins! {
    async fn mutex_guard_receiver_in_awaited_argument(log: Log) -> (usize, bool) {
        // `len` borrows the guard, a temporary of the statement: it stays
        // locked while `leaf` is awaited, and the future is not `Send`
        let n = leaf(&log, "n", 1, LEN_ARGUMENT.lock().unwrap().len()).await;
        (n, LEN_ARGUMENT.try_lock().is_ok())
    }
}

#[test]
fn mutex_guard_borrowed_by_a_method_in_an_awaited_argument_is_held_across_the_await() {
    let log = Log::new();
    assert!(!is_send!(mutex_guard_receiver_in_awaited_argument::native(
        log.clone()
    )));
    let o = check_twins!(|log| mutex_guard_receiver_in_awaited_argument(log));
    assert_eq!(o.output, "(0, true)");
}

thread_local! {
    static CELL: Cell<u32> = const { Cell::new(1) };
}

twins! {
    async fn cell_ref_across_await(log: Log, cell: &'static std::thread::LocalKey<Cell<u32>>) -> u32 {
        let v = cell.with(Cell::get);
        tick(&log, "t", 1).await;
        v + cell.with(Cell::get)
    }
}

#[test]
fn reference_to_a_non_sync_value() {
    check_twins!(|log| cell_ref_across_await(log, &CELL));
}

twins! {
    async fn rc_temporary_left_of_await(log: Log) -> u32 {
        // the temporary `Rc` lives to the end of the statement, across the
        // await: the native future is not `Send`
        *Rc::new(1) + leaf(&log, "l", 1, 2).await
    }
}

#[test]
fn rc_temporary_left_of_an_await_makes_both_not_send() {
    let log = Log::new();
    assert!(!is_send!(rc_temporary_left_of_await::native(log.clone())));
    check_twins!(|log| rc_temporary_left_of_await(log));
}
