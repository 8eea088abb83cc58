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
