//! Behaviour twins distilled from trying `#[desugar]` on everyday async
//! code (tokio-style locks, `let ... else`, struct literals, iterator
//! adapters). Each failed to compile desugared once; each is compared with
//! its native twin by `desugar_lessons::check` (output, drops, polls,
//! cancellation after every poll, panics) and `compare!` (`Send`, never
//! larger).

use desugar_lessons::{Log, Noisy, check_methods, check_twins, eval, leaf, tick, twins};
use std::marker::PhantomData;
use std::sync::Arc;
use tokio::sync::Mutex;

twins! {
    // The awaited guard is a temporary used mutably: `push` takes `&mut`.
    async fn guard_used_mutably(log: Log, shared: Arc<Mutex<Vec<u32>>>) -> usize {
        shared.lock().await.push(1);
        let n = leaf(&log, "a", 1, 2).await;
        shared.lock().await.push(n);
        *shared.lock().await.first_mut().unwrap() += 10;
        let len = shared.lock().await.len();
        len + shared.lock().await[0] as usize
    }
}

#[test]
fn a_guard_from_an_await_used_mutably_in_the_same_statement() {
    let o = check_twins!(|log| guard_used_mutably(log, Arc::new(Mutex::new(Vec::new()))));
    assert_eq!(o.output, "13");
}

twins! {
    // The initializer of a `let ... else` goes on after the `.await`.
    async fn let_else_after_an_awaited_chain(log: Log, queue: Arc<Mutex<Vec<u32>>>) -> u32 {
        let Some(first) = queue.lock().await.first().copied() else {
            log.push("empty");
            return 0;
        };
        first + leaf(&log, "a", 1, 1).await
    }
}

#[test]
fn let_else_whose_initializer_continues_after_the_await() {
    for items in [&[][..], &[5, 6]] {
        check_twins!(|log| let_else_after_an_awaited_chain(
            log,
            Arc::new(Mutex::new(items.to_vec()))
        ));
    }
}

pub struct Named {
    pub id: u32,
    pub name: Noisy,
}

twins! {
    // `id` is read before the `.await` (field shorthand).
    async fn field_shorthand_before_an_await(log: Log, id: u32) -> u32 {
        let named = Named { id, name: leaf(&log, "name", 1, Noisy::with(&log, "name", 7)).await };
        named.id + named.name.touch()
    }
}

#[test]
fn struct_literal_with_field_shorthand_left_of_an_await() {
    let o = check_twins!(|log| field_shorthand_before_an_await(log, 3));
    assert_eq!(o.output, "10");
}

twins! {
    // `copied` and `take(n)` take the iterator by value.
    async fn iterator_adapters(log: Log, ids: Vec<u32>) -> u32 {
        let mut sum = 0;
        for id in ids.iter().copied() {
            sum += leaf(&log, "copied", 1, id).await;
        }
        for id in ids.iter().cloned().take(2) {
            sum += 10 * leaf(&log, "take", 1, id).await;
        }
        sum
    }
}

#[test]
fn for_loops_over_common_iterator_adapters() {
    let o = check_twins!(|log| iterator_adapters(log, vec![1, 2, 3]));
    assert_eq!(o.output, "36");
}

pub struct Slot {
    pub value: Option<Noisy>,
}

twins! {
    // `Option::take` borrows (`&mut self`): `slot` lives on after it.
    async fn option_take_borrows(log: Log, value: u32) -> u32 {
        let mut slot = Slot { value: Some(Noisy::with(&log, "value", value)) };
        let taken = slot.value.take();
        let waited = leaf(&log, "a", 1, 1).await;
        waited + taken.map_or(0, |n| n.touch()) + u32::from(slot.value.is_none())
    }
}

#[test]
fn option_take_is_a_borrow_not_a_move() {
    let o = check_twins!(|log| option_take_borrows(log, 4));
    assert_eq!(o.output, "6");
}

twins! {
    // `write_all(&'a mut self, src: &'a [u8])`: one sub-future borrowing
    // from two arguments (E0700 without a common `'future` lifetime).
    async fn write_through_two_borrows<T: AsRef<[u8]>>(
        out: &mut Vec<u8>,
        data: &[u8],
        more: T,
        last: impl AsRef<[u8]>,
    ) -> usize {
        use tokio::io::AsyncWriteExt;
        out.write_all(data).await.unwrap();
        out.write_all(more.as_ref()).await.unwrap();
        out.write_all(last.as_ref()).await.unwrap();
        out.len()
    }
}

twins! {
    async fn writes_through_two_borrows(log: Log) -> String {
        let mut out = Vec::new();
        let data = String::from("ab");
        let n = leaf(&log, "a", 1, 0).await;
        let written = write_through_two_borrows::desugared(&mut out, data.as_bytes(), [b'c'], vec![b'd']).await;
        format!("{} {written} {n}", String::from_utf8(out).unwrap())
    }
}

#[test]
fn a_sub_future_borrowing_two_arguments_of_a_free_function() {
    let (mut native, mut desugared) = (Vec::new(), Vec::new());
    let n = desugar_runtime::poll_to_completion(write_through_two_borrows::native(
        &mut native,
        b"ab",
        "c",
        "d",
    ));
    let d = desugar_runtime::poll_to_completion(write_through_two_borrows::desugared(
        &mut desugared,
        b"ab",
        "c",
        "d",
    ));
    assert_eq!((n, &native), (d, &desugared));
    assert_eq!(native, b"abcd");
    let o = check_twins!(|log| writes_through_two_borrows(log));
    assert_eq!(o.output, r#""abcd 4 0""#);
}

pub struct Conn<M> {
    pub out: Vec<u8>,
    pub log: Log,
    pub _marker: PhantomData<M>,
}

twins! {
    impl Conn {
        // In a method, the rewrite the README gives for a sub-future that
        // borrows from `self` and an argument: one named lifetime for both.
        async fn write_frame<'a>(&'a mut self, data: &'a [u8]) -> usize {
            use tokio::io::AsyncWriteExt;
            self.out.write_all(data).await.unwrap();
            self.out.write_all(b"\n").await.unwrap();
            self.out.len()
        }
    }
}

#[test]
fn a_method_whose_sub_future_borrows_self_and_an_argument() {
    let o = check_methods!(|log, M| async move {
        let mut conn = Conn::<M> {
            out: Vec::new(),
            log: log.clone(),
            _marker: PhantomData,
        };
        let data = vec![b'x'; 3];
        let n = conn.write_frame(&data).await;
        (n, String::from_utf8(conn.out).unwrap())
    });
    assert_eq!(o.output, r#"(4, "xxx\n")"#);
}

twins! {
    // The guard from the condition is gone before either branch runs.
    async fn guard_in_an_if_condition(log: Log, queue: Arc<Mutex<Vec<u32>>>) -> bool {
        if queue.lock().await.is_empty() {
            log.push("then");
            queue.try_lock().is_ok()
        } else {
            log.push("else");
            queue.try_lock().is_ok()
        }
    }
}

twins! {
    // A temporary made from an awaited value in a condition is dropped
    // before the body.
    async fn temporary_in_an_if_condition(log: Log) -> u32 {
        if leaf(&log, "a", 1, Noisy::with(&log, "temp", 1)).await.touch() > 0 {
            log.push("body");
        }
        leaf(&log, "b", 1, 2).await
    }
}

twins! {
    async fn guard_in_a_while_condition(log: Log, queue: Arc<Mutex<Vec<u32>>>) -> Vec<bool> {
        let mut free = Vec::new();
        while queue.lock().await.len() < 2 {
            free.push(queue.try_lock().is_ok());
            queue.try_lock().unwrap().push(1);
            log.push("pushed");
        }
        free
    }
}

twins! {
    // `if let`: the scrutinee's guard lives through the `then` branch and
    // is gone before `else` (edition 2024).
    async fn guard_in_an_if_let_scrutinee(log: Log, queue: Arc<Mutex<Vec<u32>>>) -> u32 {
        if let Some(first) = queue.lock().await.first().copied() {
            log.push("then");
            first + u32::from(queue.try_lock().is_ok())
        } else {
            log.push("else");
            u32::from(queue.try_lock().is_ok())
        }
    }
}

#[test]
fn temporaries_of_an_awaited_condition_are_dropped_before_the_body() {
    for items in [&[][..], &[7]] {
        let o =
            check_twins!(|log| guard_in_an_if_condition(log, Arc::new(Mutex::new(items.to_vec()))));
        assert_eq!(o.output, "true");
    }
    let o = check_twins!(|log| temporary_in_an_if_condition(log));
    o.assert_before("temp: drop", "body");
    let o = check_twins!(|log| guard_in_a_while_condition(log, Arc::new(Mutex::new(Vec::new()))));
    assert_eq!(o.output, "[true, true]");
    for items in [&[][..], &[7]] {
        check_twins!(|log| guard_in_an_if_let_scrutinee(log, Arc::new(Mutex::new(items.to_vec()))));
    }
}

twins! {
    // The inner `x` shadows the outer one across an `.await`; after the
    // block, `x` is the outer one again.
    async fn shadowing_inside_a_block_that_awaits(log: Log) -> u32 {
        let x = Noisy::with(&log, "outer", 1);
        {
            let x = Noisy::with(&log, "inner", x.touch() + 10);
            leaf(&log, "a", 1, 0).await;
            x.touch();
        }
        x.touch()
    }
}

twins! {
    // A shadowing `let` in an await-free loop body (the spawn-and-clone
    // idiom) leaves the outer binding alone.
    async fn shadowing_in_an_await_free_loop(log: Log) -> u32 {
        let shared = Arc::new(Mutex::new(1u32));
        for _ in 0..2 {
            let shared = Arc::clone(&shared);
            drop(shared);
        }
        let v = *shared.lock().await;
        v + leaf(&log, "a", 1, 1).await
    }
}

#[test]
fn shadowing_in_inner_blocks_and_loops() {
    let o = check_twins!(|log| shadowing_inside_a_block_that_awaits(log));
    assert_eq!(o.output, "1");
    let o = check_twins!(|log| shadowing_in_an_await_free_loop(log));
    assert_eq!(o.output, "2");
}

twins! {
    // An await-free `for` loop ends when its iterator does: the guard is
    // still owned after it and lives across the `.await`.
    async fn guard_kept_after_an_await_free_for_loop(log: Log, n: u32) -> u32 {
        let _guard = Noisy::new(&log, "guard");
        let mut sum = 0;
        for i in 0..n {
            sum += i;
        }
        leaf(&log, "a", 1, 0).await;
        sum
    }
}

#[test]
fn values_owned_before_an_await_free_for_loop_live_on_after_it() {
    let o = check_twins!(|log| guard_kept_after_an_await_free_for_loop(log, 3));
    o.assert_before("a: ready", "guard: drop");
}

twins! {
    // A local of a generic type borrowed across an `.await` (E0310 without
    // a common `'future` lifetime: the borrow would need `T: 'static`).
    async fn generic_local_borrowed_across_an_await<T: std::fmt::Display>(log: Log, value: T) -> String {
        let r = &value;
        leaf(&log, "a", 1, 0).await;
        r.to_string()
    }
}

twins! {
    async fn generic_items_borrowed_by_a_for_loop<T: std::fmt::Debug>(log: Log, items: Vec<T>) -> String {
        let mut out = String::new();
        for item in &items {
            out += &leaf(&log, "item", 1, format!("{item:?}")).await;
        }
        out
    }
}

twins! {
    // A sub-future borrowing a generic local in place.
    async fn generic_reader_read_into_a_local_buffer<R: tokio::io::AsyncRead + Unpin>(log: Log, mut reader: R) -> (usize, [u8; 4]) {
        use tokio::io::AsyncReadExt;
        let mut buf = [0u8; 4];
        let n = reader.read(&mut buf).await.unwrap();
        leaf(&log, "a", 1, 0).await;
        (n, buf)
    }
}

#[test]
fn generic_values_borrowed_from_the_state() {
    let o = check_twins!(|log| generic_local_borrowed_across_an_await(log, 42));
    assert_eq!(o.output, r#""42""#);
    let o = check_twins!(|log| generic_items_borrowed_by_a_for_loop(log, vec!['a', 'b']));
    assert_eq!(o.output, r#""'a''b'""#);
    let o = check_twins!(|log| generic_reader_read_into_a_local_buffer(log, &b"xyz"[..]));
    assert_eq!(o.output, "(3, [120, 121, 122, 0])");
}

twins! {
    // `Err(_)` binds nothing: on that arm `result` still owns its value
    // across the `.await` and is dropped at the end of its scope.
    async fn scrutinee_moved_by_one_arm_only(log: Log, ok: bool) -> u32 {
        let result: Result<Noisy, Noisy> = if ok {
            Ok(Noisy::with(&log, "ok", 1))
        } else {
            Err(Noisy::with(&log, "err", 2))
        };
        match result {
            Ok(n) => n.into_value(),
            Err(_) => {
                leaf(&log, "a", 1, 0).await;
                log.push("end of err arm");
                0
            }
        }
    }
}

#[test]
fn a_match_scrutinee_moved_by_one_arm_only_lives_on_in_the_others() {
    let o = check_twins!(|log| scrutinee_moved_by_one_arm_only(log, false));
    o.assert_before("end of err arm", "err: drop");
    check_twins!(|log| scrutinee_moved_by_one_arm_only(log, true));
}

twins! {
    // Moved on one path, owned on the other where the paths meet again: a
    // drop flag keeps it until the end of its scope, as natively.
    async fn moved_on_one_arm_then_an_await(log: Log, ok: bool) -> u32 {
        let result: Result<Noisy, Noisy> = if ok {
            Ok(Noisy::with(&log, "ok", 1))
        } else {
            Err(Noisy::with(&log, "err", 2))
        };
        let v = match result {
            Ok(n) => n.into_value(),
            Err(_) => {
                leaf(&log, "a", 1, 0).await;
                0
            }
        };
        leaf(&log, "b", 1, 0).await;
        log.push("end of body");
        v
    }
}

twins! {
    async fn moved_into_an_awaited_call_on_one_path(log: Log, send: bool) -> u32 {
        let message = Noisy::with(&log, "message", 3);
        let mut sent = 0;
        if send {
            sent = consume(&log, message).await;
        }
        leaf(&log, "b", 1, 0).await;
        log.push("end of body");
        sent
    }
}

async fn consume(log: &Log, n: Noisy) -> u32 {
    leaf(log, "consume", 1, 0).await;
    n.into_value()
}

twins! {
    async fn maybe_moved_in_a_loop(log: Log, n: u32) -> u32 {
        let mut total = 0;
        for i in 0..n {
            let item = Noisy::with(&log, "item", i);
            if i % 2 == 0 {
                total += consume(&log, item).await;
            }
            leaf(&log, "tick", 1, 0).await;
            log.push("end of iteration");
        }
        total
    }
}

#[test]
fn values_moved_on_some_paths_are_dropped_at_the_end_of_their_scope() {
    for ok in [false, true] {
        check_twins!(|log| moved_on_one_arm_then_an_await(log, ok));
    }
    let o = check_twins!(|log| moved_on_one_arm_then_an_await(log, false));
    o.assert_before("end of body", "err: drop");
    for send in [false, true] {
        check_twins!(|log| moved_into_an_awaited_call_on_one_path(log, send));
    }
    check_twins!(|log| maybe_moved_in_a_loop(log, 3));
}

twins! {
    // An await whose result borrows its receiver (`fill_buf`), used before
    // the next await, then released with `consume`.
    async fn fill_buf_loop(log: Log, data: &'static [u8]) -> Vec<u8> {
        use tokio::io::AsyncBufReadExt;
        let mut reader = tokio::io::BufReader::with_capacity(4, data);
        let mut out = Vec::new();
        loop {
            let buf = reader.fill_buf().await.unwrap();
            if buf.is_empty() {
                break;
            }
            let n = buf.len();
            out.extend_from_slice(buf);
            reader.consume(n);
            leaf(&log, "chunk", 1, 0).await;
        }
        out
    }
}

twins! {
    // ... and held across another `.await` (the reader stays borrowed).
    async fn fill_buf_held_across_an_await(log: Log, data: &'static [u8]) -> usize {
        use tokio::io::AsyncBufReadExt;
        let mut reader = tokio::io::BufReader::with_capacity(4, data);
        let buf = reader.fill_buf().await.unwrap();
        leaf(&log, "a", 1, 0).await;
        buf.len()
    }
}

#[test]
fn an_awaited_result_that_borrows_its_receiver() {
    let o = check_twins!(|log| fill_buf_loop(log, b"hello world"));
    assert_eq!(o.output, format!("{:?}", b"hello world".to_vec()));
    let o = check_twins!(|log| fill_buf_held_across_an_await(log, b"hello"));
    assert_eq!(o.output, "4");
}

fn noisies(log: &Log, n: u32) -> Vec<Noisy> {
    (0..n)
        .map(|i| Noisy::with(log, &format!("v{i}"), i))
        .collect()
}

twins! {
    // `noisies(..)` is a temporary of the statement: natively it lives to
    // the end of the statement, across the `.await` to its right.
    async fn temporary_receiver_left_of_an_await(log: Log) -> usize {
        let n = noisies(&log, 2).len() + leaf(&log, "a", 1, 10).await;
        log.push("after statement");
        n
    }
}

#[test]
fn a_temporary_receiver_of_a_borrowing_method_lives_across_the_await() {
    let o = check_twins!(|log| temporary_receiver_left_of_an_await(log));
    o.assert_before("a: ready", "v0: drop");
    o.assert_before("v1: drop", "after statement");
}

twins! {
    // The output of the `.await` borrows a local of the state: the guard
    // points into `mutex`, which therefore must not move when the machine
    // resumes (it is kept in a slot). Under Miri this was undefined
    // behaviour before: the local moved out of the state under the guard.
    async fn guard_of_a_local_mutex(log: Log) -> u32 {
        let mutex = Mutex::new([7u32; 4]);
        let guard = mutex.lock().await;
        leaf(&log, "a", 1, 0).await;
        guard[0] + guard[3]
    }
}

twins! {
    async fn guard_of_a_local_mutex_used_at_once(log: Log) -> u32 {
        let mutex = Mutex::new(vec![Noisy::with(&log, "inside", 5)]);
        let guard = mutex.lock().await;
        guard[0].touch()
    }
}

twins! {
    async fn local_rwlock_and_semaphore(log: Log) -> u32 {
        let lock = tokio::sync::RwLock::new(3u32);
        let semaphore = tokio::sync::Semaphore::new(1);
        let permit = semaphore.acquire().await.unwrap();
        let read = lock.read().await;
        let v = *read + leaf(&log, "a", 1, 1).await;
        drop(permit);
        v
    }
}

#[test]
fn outputs_borrowing_a_local_of_the_state() {
    let o = check_twins!(|log| guard_of_a_local_mutex(log));
    assert_eq!(o.output, "14");
    let o = check_twins!(|log| guard_of_a_local_mutex_used_at_once(log));
    assert_eq!(o.output, "5");
    let o = check_twins!(|log| local_rwlock_and_semaphore(log));
    assert_eq!(o.output, "4");
}

pub struct Framed {
    pub frame: [u32; 4],
}

impl Framed {
    pub async fn frame(&self) -> &[u32; 4] {
        &self.frame
    }
}

twins! {
    // A method of the user's whose result borrows its receiver, a local of
    // the state: the local stays in place (a slot) while the result lives.
    async fn result_borrowing_a_local_receiver(log: Log) -> u32 {
        let framed = Framed { frame: [1, 2, 3, 4] };
        let frame = framed.frame().await;
        leaf(&log, "a", 1, 0).await;
        frame[0] + frame[3]
    }
}

#[test]
fn a_method_result_borrowing_its_local_receiver() {
    let o = check_twins!(|log| result_borrowing_a_local_receiver(log));
    assert_eq!(o.output, "5");
}

twins! {
    // The place on the left of `+=` comes from an `.await`: the update goes
    // to the guarded value, not to a copy of it.
    async fn compound_assignment_through_an_awaited_guard(log: Log, shared: Arc<Mutex<u32>>) -> u32 {
        *shared.lock().await += leaf(&log, "a", 1, 10).await;
        *shared.lock().await += 1;
        let total = *shared.lock().await;
        total
    }
}

#[test]
fn compound_assignment_to_a_place_from_an_await() {
    let o = check_twins!(|log| compound_assignment_through_an_awaited_guard(
        log,
        Arc::new(Mutex::new(1))
    ));
    assert_eq!(o.output, "12");
}

/// `m.lock()`, logged: the order of the lock and the value shows.
async fn locked<'a>(log: &Log, m: &'a Mutex<u32>) -> tokio::sync::MutexGuard<'a, u32> {
    tick(log, "lock", 1).await;
    m.lock().await
}

twins! {
    // `*lock().await += f().await` on a `u32`: the value is evaluated first,
    // then the place (the lock taken after `f()`), as for `=`; and with no
    // `.await` in the place, `v[next()] += f().await` likewise.
    async fn compound_assignment_evaluates_the_value_first(log: Log, shared: Arc<Mutex<u32>>) -> u32 {
        *locked(&log, &shared).await += leaf(&log, "value", 1, 10).await;
        let mut v = vec![0u32; 2];
        v[eval(&log, "index", 1)] += leaf(&log, "item", 1, 5).await;
        let total = *shared.lock().await + v[1];
        total
    }
}

#[test]
fn compound_assignment_evaluates_the_value_first() {
    let o = check_twins!(|log| compound_assignment_evaluates_the_value_first(
        log,
        Arc::new(Mutex::new(1))
    ));
    assert_eq!(o.output, "16");
    o.assert_before("value: ready", "lock: poll");
    o.assert_before("item: ready", "index: eval");
}

twins! {
    // An `.await` in the place of an assignment: the value is evaluated
    // first, then the place, as the compiler does.
    async fn assignment_to_an_awaited_place(log: Log, shared: Arc<Mutex<Vec<u32>>>) -> Vec<u32> {
        *shared.lock().await = vec![leaf(&log, "value", 1, 1).await];
        let mut v = vec![0u32; 3];
        v[leaf(&log, "index", 1, 2usize).await] = leaf(&log, "item", 1, 9).await;
        let mut all = shared.lock().await.clone();
        all.extend(v);
        all
    }
}

#[test]
fn assignment_to_a_place_from_an_await() {
    let o = check_twins!(|log| assignment_to_an_awaited_place(log, Arc::new(Mutex::new(vec![5]))));
    assert_eq!(o.output, "[1, 0, 0, 9]");
    o.assert_before("item: ready", "index: poll");
}

/// A connection in the shape of the tokio tutorial's: a stream field, and
/// methods that write a message given by reference.
pub struct Connection<M> {
    log: Log,
    stream: Vec<u8>,
    sent: usize,
    _marker: PhantomData<M>,
}

impl<M> Connection<M> {
    fn new(log: &Log) -> Self {
        Connection {
            log: log.clone(),
            stream: Vec::new(),
            sent: 0,
            _marker: PhantomData,
        }
    }
}

twins! {
    impl Connection {
        // `self.stream.write_all(msg)`: one sub-future borrowing from `self`
        // and from `msg` (`write_all<'a>(&'a mut self, src: &'a [u8])`), so
        // its type holds the intersection of their lifetimes. A `pub`
        // method gets a common `'future` lifetime for it, as a free fn does.
        async fn send(&mut self, msg: &[u8], tag: &str) -> std::io::Result<usize> {
            use tokio::io::AsyncWriteExt;
            self.stream.write_all(msg).await?;
            leaf(&self.log, tag, 1, ()).await;
            self.stream.write_all(tag.as_bytes()).await?;
            self.sent += msg.len() + tag.len();
            self.stream.flush().await?;
            Ok(self.sent)
        }
    }
}

#[test]
fn a_pub_method_writing_a_borrowed_message_to_a_field() {
    let o = check_methods!(|log, M| async move {
        let mut conn = Connection::<M>::new(&log);
        let message = b"hello ".to_vec();
        let first = conn.send(&message, "one").await.unwrap();
        let second = conn.send(b"again ", "two").await.unwrap();
        (first, second, String::from_utf8(conn.stream).unwrap())
    });
    assert_eq!(o.output, r#"(9, 18, "hello oneagain two")"#);
}

/// The same in a trait impl, where the signature cannot get a common
/// lifetime (it must match the trait's): `write_all` ties `self` and the
/// message to one lifetime, so the sub-future is built from a reborrow of
/// `self` whose lifetime is left to inference, and its type holds only the
/// message's lifetime. `compare` is an `async fn`: its future keeps the
/// lifetimes apart, and borrows `self` for the receiver's own lifetime.
trait Sink {
    async fn send_all(&mut self, msg: &[u8], tag: &str) -> std::io::Result<usize>;
    async fn starts_with(&self, prefix: &[u8]) -> bool;
}

async fn compare(log: &Log, stream: &[u8], prefix: &[u8]) -> bool {
    leaf(log, "compare", 1, ()).await;
    stream.starts_with(prefix)
}

macro_rules! sink_impl {
    ($marker:ty $(, $desugar:meta)?) => {
        impl Sink for Connection<$marker> {
            $(#[$desugar])?
            async fn send_all(&mut self, msg: &[u8], tag: &str) -> std::io::Result<usize> {
                use tokio::io::AsyncWriteExt;
                self.stream.write_all(msg).await?;
                leaf(&self.log, tag, 1, ()).await;
                self.stream.write_all(tag.as_bytes()).await?;
                self.sent += msg.len() + tag.len();
                Ok(self.sent)
            }
            $(#[$desugar])?
            async fn starts_with(&self, prefix: &[u8]) -> bool {
                compare(&self.log, &self.stream, prefix).await
            }
        }
    };
}
sink_impl!(desugar_lessons::Native);
sink_impl!(desugar_lessons::Desugared, desugar_lessons::desugar);

#[test]
fn trait_impl_methods_borrowing_self_and_an_argument_at_once() {
    let o = check_methods!(|log, M| async move {
        let mut conn = Connection::<M>::new(&log);
        let first = conn.send_all(b"hello ", "one").await.unwrap();
        let yes = conn.starts_with(b"hello").await;
        let no = conn.starts_with(b"one").await;
        (first, yes, no)
    });
    assert_eq!(o.output, "(9, true, false)");
}

// ---------------------------------------------------------------------------
// Stream combinator chains awaited at the end: `try_fold`, `try_collect`,
// `then` take their stream by value.
// ---------------------------------------------------------------------------

twins! {
    async fn stream_chain_totals(log: Log, items: Vec<u32>) -> Result<(u32, Vec<u32>), String> {
        use futures::stream::{self, StreamExt, TryStreamExt};
        let odd: Vec<u32> = stream::iter(items.clone().into_iter().map(Ok::<u32, String>))
            .try_filter(|x| futures::future::ready(x % 2 == 1))
            .try_collect()
            .await?;
        let total = stream::iter(items.clone().into_iter().map(Ok::<u32, String>))
            .try_fold(0, |acc, x| {
                let log = log.clone();
                async move {
                    leaf(&log, "add", 1, ()).await;
                    if x > 100 { Err(format!("{x} too big")) } else { Ok(acc + x) }
                }
            })
            .await?;
        let doubled: Vec<u32> = stream::iter(odd).then(|x| async move { x * 2 }).collect().await;
        Ok((total, doubled))
    }
}

#[test]
fn stream_combinator_chains_take_their_stream_by_value() {
    let o = check_twins!(|log| stream_chain_totals(log, vec![1, 2, 3]));
    assert_eq!(o.output, "Ok((6, [2, 6]))");
    let o = check_twins!(|log| stream_chain_totals(log, vec![1, 200, 3]));
    assert_eq!(o.output, "Err(\"200 too big\")");
}

/// Tower-style middleware: a generic trait impl (`impl<S: Service> Service
/// for Logging<S>`) whose methods cannot be `pub` and whose sub-future
/// borrows `self` and the request at once. The sub-future borrows `self`
/// for the receiver's own lifetime, which the signature names, so no
/// `S: 'static` is asked for (it was, E0310, while the receiver's lifetime
/// was left to inference).
trait Service {
    async fn call(&self, req: &str) -> String;
    async fn call_mut(&mut self, req: &str) -> String;
}

struct Upper {
    log: Log,
    calls: u32,
}

impl Service for Upper {
    async fn call(&self, req: &str) -> String {
        leaf(&self.log, "upper", 1, req.to_uppercase()).await
    }
    async fn call_mut(&mut self, req: &str) -> String {
        self.calls += 1;
        leaf(&self.log, "upper mut", 2, format!("{req}{}", self.calls)).await
    }
}

struct Logging<S, M> {
    inner: S,
    log: Log,
    seen: u32,
    _marker: PhantomData<M>,
}

macro_rules! logging_impl {
    ($marker:ty $(, $desugar:meta)?) => {
        impl<S: Service> Service for Logging<S, $marker> {
            $(#[$desugar])?
            async fn call(&self, req: &str) -> String {
                self.log.push(format!("call {req}"));
                let out = self.inner.call(req).await;
                leaf(&self.log, "after call", 1, ()).await;
                format!("<{out}>")
            }
            $(#[$desugar])?
            async fn call_mut(&mut self, req: &str) -> String {
                self.seen += 1;
                let out = self.inner.call_mut(req).await;
                self.seen += 1;
                format!("{out}/{}", self.seen)
            }
        }

        impl<S: Service> Logging<S, $marker> {
            // A private inherent method of a generic impl: the same.
            $(#[$desugar])?
            async fn twice(&mut self, req: &str) -> String {
                let a = self.call(req).await;
                let b = self.call_mut(req).await;
                a + &b
            }
        }
    };
}
logging_impl!(desugar_lessons::Native);
logging_impl!(desugar_lessons::Desugared, desugar_lessons::desugar);

#[test]
fn methods_of_generic_impls_borrowing_self_and_an_argument() {
    let o = check_methods!(|log, M| async move {
        let mut svc = Logging::<_, M> {
            inner: Upper {
                log: log.clone(),
                calls: 0,
            },
            log: log.clone(),
            seen: 0,
            _marker: PhantomData,
        };
        let req = String::from("get");
        let one = svc.call(&req).await;
        let two = svc.twice("put").await;
        (one, two, svc.seen, svc.inner.calls)
    });
    assert_eq!(o.output, r#"("<GET>", "<PUT>put1/2", 2, 1)"#);
}

/// Methods named like iterator methods but taking arguments
/// (`self.count(byte)`) borrow their receiver; they are not `Iterator::count`.
struct Tally<M> {
    log: Log,
    data: Vec<u8>,
    calls: u32,
    _marker: PhantomData<M>,
}

impl<M> Tally<M> {
    async fn count(&self, byte: &u8) -> usize {
        leaf(&self.log, "count", 1, ()).await;
        self.data.iter().filter(|b| *b == byte).count()
    }
}

macro_rules! tally_impl {
    ($marker:ty $(, $desugar:meta)?) => {
        impl Tally<$marker> {
            $(#[$desugar])?
            pub async fn count_twice(&mut self, byte: &u8) -> usize {
                self.calls += 1;
                self.count(byte).await + self.count(byte).await
            }
        }
    };
}
tally_impl!(desugar_lessons::Native);
tally_impl!(desugar_lessons::Desugared, desugar_lessons::desugar);

#[test]
fn a_method_named_count_with_an_argument_borrows_self() {
    let o = check_methods!(|log, M| async move {
        let mut tally = Tally::<M> {
            log: log.clone(),
            data: b"abca".to_vec(),
            calls: 0,
            _marker: PhantomData,
        };
        let n = tally.count_twice(&b'a').await;
        (n, tally.calls)
    });
    assert_eq!(o.output, "(4, 1)");
}

/// An HTTP response as reqwest has it: `status(&self)`, and `text(self)` /
/// `json(self)` that read the body to the end and use the response up.
struct Response {
    body: Noisy,
    text: String,
}

impl Response {
    async fn status(&self, log: &Log) -> u16 {
        leaf(log, "status", 1, 200).await
    }
    async fn text(self) -> Result<String, String> {
        self.body.touch();
        Ok(self.text)
    }
    async fn json(self) -> Result<Vec<String>, String> {
        Ok(self.text.split(' ').map(String::from).collect())
    }
    fn error_for_status(self) -> Result<Self, String> {
        if self.text.contains("fail") {
            return Err(format!("{}: 500", self.text));
        }
        Ok(self)
    }
}

twins! {
    async fn checked_texts(log: Log, urls: Vec<&'static str>) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for url in urls {
            let resp = get(&log, url).await?;
            let status = resp.status(&log).await;
            let text = resp.error_for_status()?.text().await?;
            out.push(format!("{status} {text}"));
        }
        Ok(out)
    }
}

#[test]
fn a_response_checked_by_value_then_read() {
    let o = check_twins!(|log| checked_texts(log, vec!["a", "b"]));
    assert_eq!(o.output, r#"Ok(["200 body of a", "200 body of b"])"#);
    let o = check_twins!(|log| checked_texts(log, vec!["a", "fail"]));
    assert_eq!(o.output, r#"Err("body of fail: 500")"#);
}

async fn get(log: &Log, url: &str) -> Result<Response, String> {
    leaf(log, "get", 1, ()).await;
    if url.is_empty() {
        return Err("no url".into());
    }
    Ok(Response {
        body: Noisy::new(log, url),
        text: format!("body of {url}"),
    })
}

twins! {
    async fn fetch_texts(log: Log, urls: Vec<&'static str>) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for url in urls {
            let resp = get(&log, url).await?;
            let status = resp.status(&log).await;
            leaf(&log, "between", 1, ()).await;
            let text = resp.text().await?;
            log.push(format!("{status} {text}"));
            out.push(text);
        }
        let words = get(&log, "last").await?.json().await?;
        out.extend(words);
        Ok(out)
    }
}

#[test]
fn response_bodies_read_by_value_after_a_borrowing_call() {
    let o = check_twins!(|log| fetch_texts(log, vec!["a", "b"]));
    assert_eq!(
        o.output,
        r#"Ok(["body of a", "body of b", "body", "of", "last"])"#
    );
    let o = check_twins!(|log| fetch_texts(log, vec!["a", ""]));
    assert_eq!(o.output, r#"Err("no url")"#);
}

/// A request builder as reqwest has it: `post(&self)` makes it, `header`
/// and `send` take it by value.
struct HttpClient {
    log: Log,
}

struct RequestBuilder {
    log: Log,
    url: String,
    headers: Vec<String>,
}

impl HttpClient {
    fn post(&self, url: &str) -> RequestBuilder {
        RequestBuilder {
            log: self.log.clone(),
            url: url.to_string(),
            headers: Vec::new(),
        }
    }
}

impl RequestBuilder {
    fn header(mut self, value: String) -> Self {
        self.headers.push(value);
        self
    }
    async fn send(self) -> Result<String, String> {
        leaf(&self.log, "send", 1, ()).await;
        Ok(format!("{} {:?}", self.url, self.headers))
    }
}

async fn token(log: &Log) -> String {
    leaf(log, "token", 1, String::from("t0k")).await
}

twins! {
    async fn post_with_awaited_headers(log: Log, client: HttpClient) -> Result<String, String> {
        let a = client.post("/a").header(token(&log).await).send().await?;
        let b = client
            .post("/b")
            .header("x".into())
            .header(token(&log).await)
            .send()
            .await?;
        Ok(a + " " + &b)
    }
}

#[test]
fn builder_chains_with_an_await_in_an_argument() {
    let o = check_twins!(|log| post_with_awaited_headers(log.clone(), HttpClient { log }));
    assert_eq!(o.output, r#"Ok("/a [\"t0k\"] /b [\"x\", \"t0k\"]")"#);
}

twins! {
    async fn helper_reply(log: Log, reply: tokio::sync::oneshot::Sender<String>, n: u32) -> bool {
        // a parameter of a `oneshot::Sender` type: `send` uses it up
        let ok = reply.send(format!("reply {n}")).is_ok();
        tick(&log, "after send", 1).await;
        ok
    }
}

twins! {
    async fn oneshot_request_and_reply(log: Log) -> Option<String> {
        let (tx, rx) = tokio::sync::oneshot::channel::<String>();
        tx.send(String::from("direct")).unwrap();
        tick(&log, "between", 1).await;
        let first = rx.await.ok()?;
        Some(first)
    }
}

twins! {
    async fn send_through_a_reserved_permit(log: Log, n: u32) -> Vec<u32> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(2);
        // `Permit::send(self, value)` uses the permit up (the slot it
        // reserved is filled); the channel's own `send` borrows
        let permit = tx.reserve().await.unwrap();
        permit.send(n);
        let second = tx.reserve().await.expect("room for two");
        tick(&log, "between", 1).await;
        second.send(n + 1);
        drop(tx);
        let mut got = Vec::new();
        while let Some(v) = rx.recv().await {
            got.push(v);
        }
        got
    }
}

#[test]
fn mpsc_permits_are_used_up_by_send() {
    let o = check_twins!(|log| send_through_a_reserved_permit(log, 4));
    assert_eq!(o.output, "[4, 5]");
}

/// A sender whose receiver is gone: `send` fails, deterministically.
fn lonely_sender() -> tokio::sync::oneshot::Sender<String> {
    tokio::sync::oneshot::channel().0
}

#[test]
fn oneshot_senders_are_used_up_by_send() {
    let o = check_twins!(|log| oneshot_request_and_reply(log));
    assert_eq!(o.output, r#"Some("direct")"#);
    let o = check_twins!(|log| helper_reply(log, lonely_sender(), 2));
    assert_eq!(o.output, "false");
}

/// A writer generic over its stream, whose private method writes borrowed
/// messages (`write_all` ties `self` and the message to one lifetime): the
/// message's borrow is made for the receiver's lifetime, so `W` need not
/// outlive anything.
struct FrameWriter<W, M> {
    out: W,
    log: Log,
    sent: usize,
    _marker: PhantomData<M>,
}

macro_rules! frame_writer_impl {
    ($marker:ty $(, $desugar:meta)?) => {
        impl<W: tokio::io::AsyncWrite + Unpin> FrameWriter<W, $marker> {
            $(#[$desugar])?
            async fn frame(&mut self, msg: &[u8], tag: &str) -> std::io::Result<usize> {
                use tokio::io::AsyncWriteExt;
                self.out.write_all(msg).await?;
                leaf(&self.log, "between", 1, ()).await;
                self.out.write_all(tag.as_bytes()).await?;
                self.sent += msg.len() + tag.len();
                Ok(self.sent)
            }

            pub async fn frames(&mut self, parts: &[&str]) -> usize {
                for part in parts {
                    self.frame(part.as_bytes(), ";").await.unwrap();
                }
                self.sent
            }
        }
    };
}
frame_writer_impl!(desugar_lessons::Native);
frame_writer_impl!(desugar_lessons::Desugared, desugar_lessons::desugar);

/// A callee that ties `self` and its argument to one lifetime, as an
/// `#[async_trait]` method does, called from a generic trait impl that
/// says so with `tied_lifetimes`.
struct Prefixes {
    data: Vec<u8>,
    log: Log,
}

impl Prefixes {
    async fn starts<'a>(&'a self, p: &'a [u8]) -> bool {
        leaf(&self.log, "starts", 1, ()).await;
        self.data.starts_with(p)
    }
}

trait Check {
    async fn check(&self, p: &[u8]) -> bool;
}

struct Checker<T, M> {
    inner: Prefixes,
    _tag: T,
    _marker: PhantomData<M>,
}

impl<T> Check for Checker<T, desugar_lessons::Native> {
    async fn check(&self, p: &[u8]) -> bool {
        self.inner.starts(p).await
    }
}

impl<T> Check for Checker<T, desugar_lessons::Desugared> {
    #[desugar_lessons::desugar(tied_lifetimes)]
    async fn check(&self, p: &[u8]) -> bool {
        self.inner.starts(p).await
    }
}

#[test]
fn calls_tying_self_and_an_argument_in_generic_impls() {
    let o = check_methods!(|log, M| async move {
        let mut framed = FrameWriter::<Vec<u8>, M> {
            out: Vec::new(),
            log: log.clone(),
            sent: 0,
            _marker: PhantomData,
        };
        let n = framed.frames(&["ab", "c"]).await;
        let checker = Checker::<String, M> {
            inner: Prefixes {
                data: b"abc".to_vec(),
                log: log.clone(),
            },
            _tag: String::new(),
            _marker: PhantomData,
        };
        let yes = checker.check(b"ab").await;
        let no = checker.check(b"b").await;
        (n, String::from_utf8(framed.out).unwrap(), yes, no)
    });
    assert_eq!(o.output, r#"(5, "ab;c;", true, false)"#);
}

twins! {
    async fn read_resp_value(log: Log, src: &'static str) -> Result<String, String> {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt};
        let mut r = tokio::io::BufReader::new(src.as_bytes());
        let mut line = String::new();
        r.read_line(&mut line).await.map_err(|e| e.to_string())?;
        // views of `line`, made by `trim_end_matches` and `split_at_checked`
        let line = line.trim_end_matches("\r\n");
        let (kind, rest) = line.split_at_checked(1).ok_or("empty line")?;
        Ok(match kind {
            "+" => rest.to_string(),
            "$" => {
                let n: usize = rest.parse().map_err(|_| "bad len")?;
                let mut buf = vec![0u8; n + 2];
                r.read_exact(&mut buf).await.map_err(|e| e.to_string())?;
                leaf(&log, "bulk", 1, ()).await;
                buf.truncate(n);
                String::from_utf8(buf).map_err(|e| e.to_string())?
            }
            other => return Err(format!("unknown type {other}")),
        })
    }
}

#[test]
fn a_resp_reader_matching_views_of_its_line() {
    let o = check_twins!(|log| read_resp_value(log, "+OK\r\n"));
    assert_eq!(o.output, r#"Ok("OK")"#);
    let o = check_twins!(|log| read_resp_value(log, "$5\r\nhello\r\n"));
    assert_eq!(o.output, r#"Ok("hello")"#);
    let o = check_twins!(|log| read_resp_value(log, "?x\r\n"));
    assert_eq!(o.output, r#"Err("unknown type ?")"#);
}

/// A frame as mini-redis has it.
enum Frame {
    Simple(String),
    Bulk(Vec<u8>),
}

struct FrameOut<M> {
    out: Vec<u8>,
    log: Log,
    _marker: PhantomData<M>,
}

macro_rules! frame_out_impl {
    ($marker:ty $(, $desugar:meta)?) => {
        impl FrameOut<$marker> {
            // mini-redis's `write_value`: `val`, bound by the `match` on the
            // `frame` parameter, is written with `write_all` (which ties
            // `self` and its argument to one lifetime)
            $(#[$desugar])?
            async fn write_value(&mut self, frame: &Frame) -> std::io::Result<()> {
                use tokio::io::AsyncWriteExt;
                match frame {
                    Frame::Simple(val) => {
                        self.out.write_u8(b'+').await?;
                        self.out.write_all(val.as_bytes()).await?;
                    }
                    Frame::Bulk(val) => {
                        self.out.write_u8(b'$').await?;
                        leaf(&self.log, "bulk", 1, ()).await;
                        self.out.write_all(val).await?;
                    }
                }
                self.out.write_all(b"\r\n").await
            }

            pub async fn write_both(&mut self) -> String {
                self.write_value(&Frame::Simple("OK".into())).await.unwrap();
                self.write_value(&Frame::Bulk(b"hi".to_vec())).await.unwrap();
                String::from_utf8(std::mem::take(&mut self.out)).unwrap()
            }
        }
    };
}
frame_out_impl!(desugar_lessons::Native);
frame_out_impl!(desugar_lessons::Desugared, desugar_lessons::desugar);

#[test]
fn a_private_method_writing_pattern_bindings_of_a_parameter() {
    let o = check_methods!(|log, M| async move {
        let mut w = FrameOut::<M> {
            out: Vec::new(),
            log: log.clone(),
            _marker: PhantomData,
        };
        w.write_both().await
    });
    assert_eq!(o.output, r#""+OK\r\n$hi\r\n""#);
}

/// A database transaction in the style of `sqlx`: statements run through
/// `&mut self`, `commit(self)` and `rollback(self)` end it.
pub struct Transaction {
    log: Log,
    statements: Vec<String>,
    _open: Noisy,
}

impl Transaction {
    fn begin(log: &Log) -> Transaction {
        Transaction {
            log: log.clone(),
            statements: Vec::new(),
            _open: Noisy::new(log, "transaction"),
        }
    }
    async fn execute(&mut self, statement: &str) -> Result<usize, String> {
        tick(&self.log, statement, 1).await;
        if statement.contains("bad") {
            return Err(format!("syntax error in {statement}"));
        }
        self.statements.push(statement.to_string());
        Ok(self.statements.len())
    }
    async fn commit(self) -> Result<Vec<String>, String> {
        tick(&self.log, "commit", 1).await;
        Ok(self.statements)
    }
    async fn rollback(self) -> Result<(), String> {
        tick(&self.log, "rollback", 1).await;
        Ok(())
    }
}

twins! {
    async fn transfer(log: Log, amount: u32) -> Result<Vec<String>, String> {
        let mut tx = Transaction::begin(&log);
        // `tx` is borrowed across these `.await`s: it is kept in place, and
        // `commit(self)` / `rollback(self)` take it out
        tx.execute(&format!("debit {amount}")).await?;
        if amount > 100 {
            tx.rollback().await?;
            return Err("too much".to_string());
        }
        let statement = if amount == 7 { "bad credit" } else { "credit" };
        tx.execute(statement).await?;
        tx.commit().await
    }
}

#[test]
fn a_transaction_committed_or_rolled_back_after_statements() {
    for (amount, out) in [
        (5, r#"Ok(["debit 5", "credit"])"#),
        (500, r#"Err("too much")"#),
        (7, r#"Err("syntax error in bad credit")"#),
    ] {
        let o = check_twins!(|log| transfer(log, amount));
        assert_eq!(o.output, out, "{amount}");
    }
}

twins! {
    // an `async` closure (Rust 1.85) capturing a parameter, called twice
    async fn async_closure_called_twice(log: Log, base: u32) -> u32 {
        let add = async |x: u32| leaf(&log, "add", 1, x + base).await;
        let a = add(1).await;
        let b = add(2).await;
        a + b
    }
}

#[test]
fn an_async_closure_called_across_awaits() {
    let o = check_twins!(|log| async_closure_called_twice(log, 10));
    assert_eq!((o.output.as_str(), o.polls), ("23", 3));
}

twins! {
    // `futures::future::join_all` over futures borrowing the items, and
    // `join` of two
    async fn joined_borrowing_futures(log: Log, names: Vec<String>) -> usize {
        let (a, b) = futures::future::join(leaf(&log, "a", 1, 1), leaf(&log, "b", 2, 2)).await;
        let lens: Vec<usize> =
            futures::future::join_all(names.iter().map(|n| leaf(&log, n, 1, n.len()))).await;
        a + b + lens.iter().sum::<usize>()
    }
}

#[test]
fn join_all_over_futures_borrowing_a_parameter() {
    let o = check_twins!(|log| joined_borrowing_futures(log, vec!["x".into(), "yy".into()]));
    assert_eq!(o.output, "6");
}

struct Parts<M> {
    log: Log,
    seen: Vec<u32>,
    total: u32,
    _marker: PhantomData<M>,
}

macro_rules! parts_impl {
    ($marker:ty $(, $desugar:meta)?) => {
        impl Parts<$marker> {
            // `self` taken apart into its fields, each borrowed across
            // `.await`s
            $(#[$desugar])?
            async fn absorb(&mut self, values: &[u32]) -> u32 {
                let Self { log, seen, total, .. } = self;
                for v in values {
                    let v = leaf(log, "v", 1, *v).await;
                    seen.push(v);
                    *total += v;
                }
                leaf(log, "end", 1, ()).await;
                *total + seen.len() as u32
            }
        }
    };
}
parts_impl!(desugar_lessons::Native);
parts_impl!(desugar_lessons::Desugared, desugar_lessons::desugar);

#[test]
fn a_mut_self_method_taking_self_apart_into_fields() {
    let o = check_methods!(|log, M| async move {
        let mut p = Parts::<M> {
            log: log.clone(),
            seen: Vec::new(),
            total: 0,
            _marker: PhantomData,
        };
        p.absorb(&[1, 2, 3]).await
    });
    assert_eq!(o.output, "9");
}
