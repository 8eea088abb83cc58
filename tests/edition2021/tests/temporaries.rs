//! Temporaries whose drop moved with edition 2024, on an edition-2021
//! crate: `#[desugar]` follows the edition rustc compiles with (see
//! `desugar_core::edition`). The same twins run on edition 2024 in the root
//! package's `tests/control_flow.rs`.

use desugar_lessons::{check_twins, leaf, tick, twins, Log, Noisy};

// The twins of `tests/shared/editions.rs` (in the root package), on
// edition 2021.
include!("../../shared/editions.rs");

#[test]
fn if_let_scrutinee_temporaries_live_through_else_before_2024() {
    for value in [Some(3), None] {
        let o = check_twins!(|log| if_let_else_awaits(log, value));
        assert_eq!(o.output, value.unwrap_or(0).to_string());
        let o = check_twins!(|log| if_let_no_branch_awaits(log, value));
        assert_eq!(o.output, value.unwrap_or(0).to_string());
        if value.is_none() {
            // edition 2021: the `else` runs while the temporary lives
            o.assert_before("else runs", "holder: drop");
        }
        o.assert_before("holder: drop", "after if");
        let o = check_twins!(|log| if_let_else_on_a_temporary_kept_in_a_slot(log, value));
        assert_eq!(o.output, value.unwrap_or(0).to_string());
        if value.is_none() {
            o.assert_before("else runs", "holder: drop");
        }
        o.assert_before("holder: drop", "after if");
    }
}

/// Without a `Drop` of its own: the `Noisy` is there for its drop.
pub struct Labelled(#[allow(dead_code)] Noisy, String);

twins! {
    async fn tail_temporary_after_locals(log: Log) -> usize {
        let local = Noisy::new(&log, "local");
        tick(&log, "t", 1).await;
        let later = Noisy::new(&log, "later");
        Labelled(Noisy::new(&log, "temp"), "abc".into()).1.len()
            + local.touch() as usize
            + later.touch() as usize
    }
}

#[test]
fn body_tail_temporaries_outlive_the_locals_before_2024() {
    let o = check_twins!(|log| tail_temporary_after_locals(log));
    assert_eq!(o.output, "3");
    // edition 2021: the body's locals first, newest first, then the tail's
    // temporaries
    o.assert_before("later: drop", "local: drop");
    o.assert_before("local: drop", "temp: drop");
}

async fn show(log: &Log, s: &str, n: usize) -> usize {
    tick(log, s, 1).await;
    n
}

twins! {
    async fn statement_temporaries_then_a_tail(log: Log) -> usize {
        let local = Noisy::new(&log, "local");
        // `format!(..)` is a temporary of this statement, kept across both
        // `.await`s and gone at its end: not a local of the body's tail
        let c = show(&log, &format!("{}", Noisy::new(&log, "t3").name()), 3).await
            + show(&log, "y", 4).await;
        c + local.touch() as usize
    }
}

#[test]
fn statement_temporaries_are_not_the_body_tails_locals() {
    let o = check_twins!(|log| statement_temporaries_then_a_tail(log));
    assert_eq!(o.output, "7");
}

twins! {
    async fn body_ending_in_an_if_let_with_branch_locals(log: Log, key: Option<u32>) -> String {
        let _guard = Noisy::new(&log, "guard");
        if let Some(k) = leaf(&log, "lookup", 1, key).await {
            let hit = Noisy::new(&log, "hit");
            tick(&log, "hit", 1).await;
            format!("{k} {}", hit.name())
        } else {
            String::from("miss")
        }
    }
}

#[test]
fn a_branch_local_of_the_body_tail_is_dropped_before_the_body_locals() {
    let o = check_twins!(|log| body_ending_in_an_if_let_with_branch_locals(log, Some(1)));
    assert_eq!(o.output, "\"1 hit\"");
    o.assert_before("hit: drop", "guard: drop");
    let o = check_twins!(|log| body_ending_in_an_if_let_with_branch_locals(log, None));
    assert_eq!(o.output, "\"miss\"");
}

twins! {
    async fn tail_temporary_after_a_local_in_a_slot(log: Log) -> usize {
        let items = vec![Noisy::new(&log, "i1"), Noisy::new(&log, "i2")];
        // `first` borrows `items` across the `.await`: `items` is in a slot
        let first = &items[0];
        tick(&log, "t", 1).await;
        Noisy::new(&log, &format!("copy of {}", first.name())).name().len() + items.len()
    }
}

#[test]
fn body_tail_temporaries_outlive_a_local_in_a_slot_before_2024() {
    let o = check_twins!(|log| tail_temporary_after_a_local_in_a_slot(log));
    assert_eq!(o.output, "12");
    // edition 2021: `items` (both of its values) first, then the temporary
    o.assert_before("i2: drop", "copy of i1: drop");
}

fn named(log: Log, name: &str) -> Noisy {
    Noisy::new(&log, name)
}

/// A response: a body read by the tail, and a connection it owns.
pub struct Response {
    body: String,
    _conn: Noisy,
}

twins! {
    async fn tail_borrowing_a_field_of_a_local(log: Log) -> usize {
        let resp = Response {
            body: "hello".into(),
            _conn: leaf(&log, "connect", 1, Noisy::new(&log, "conn")).await,
        };
        tick(&log, "t", 1).await;
        // `resp.body.len()` only borrows the field: `resp` is dropped with
        // the locals, before the tail's temporaries (`log` is moved)
        named(log, "temp").name().len() + resp.body.len() + usize::from(resp.body == "hello")
    }
}

#[test]
fn a_tail_borrowing_a_field_leaves_its_local_to_the_locals_before_2024() {
    let o = check_twins!(|log| tail_borrowing_a_field_of_a_local(log));
    assert_eq!(o.output, "10");
    o.assert_before("conn: drop", "temp: drop");
}

#[test]
fn inner_block_tail_temporaries_outlive_its_locals_before_2024() {
    let o = check_twins!(|log| inner_block_tail_after_an_await(log));
    assert_eq!(o.output, "4");
    o.assert_before("local: drop", "temp: drop");
}

#[test]
fn a_body_ending_in_an_if_let_drops_its_temporary_after_the_locals_before_2024() {
    for value in [Some(3), None] {
        // also when dropped while waiting in a branch (cancellation)
        let o = check_twins!(|log| body_ending_in_an_if_let_on_a_temporary(log, value));
        o.assert_before("local: drop", "holder: drop");
        if value.is_none() {
            o.assert_before("miss: drop", "local: drop");
        } else {
            o.assert_before("hit: drop", "local: drop");
        }
    }
}
