// Twins whose temporaries drop where the crate's edition drops them,
// included by `tests/control_flow.rs` (edition 2024) and by
// `tests/edition2021/tests/temporaries.rs` (edition 2021): the same code,
// two rules. Needs `Log`, `Noisy`, `leaf`, `tick` and `twins` in scope.

/// A value that logs its drop, with a method that borrows it.
pub struct Holder(#[allow(dead_code)] Noisy, Option<u32>);

impl Holder {
    pub fn value(&self) -> Option<u32> {
        self.1
    }
    /// Named like the map method whose result borrows its receiver: what
    /// the `if let` binds is taken to borrow the temporary, which is then
    /// kept in a slot.
    pub fn get(&self) -> Option<u32> {
        self.1
    }
}

fn holder(log: &Log, value: Option<u32>) -> Holder {
    Holder(Noisy::new(log, "holder"), value)
}

twins! {
    async fn if_let_else_awaits(log: Log, value: Option<u32>) -> u32 {
        if let Some(v) = leaf(&log, "make", 1, holder(&log, value)).await.value() {
            tick(&log, "then", 1).await;
            v
        } else {
            log.push("else runs");
            tick(&log, "else", 1).await;
            0
        }
    }
}

twins! {
    async fn if_let_no_branch_awaits(log: Log, value: Option<u32>) -> u32 {
        let n = if let Some(v) = leaf(&log, "make", 1, holder(&log, value)).await.value() {
            v
        } else {
            log.push("else runs");
            0
        };
        log.push("after if");
        n
    }
}

twins! {
    async fn if_let_else_on_a_temporary_kept_in_a_slot(log: Log, value: Option<u32>) -> u32 {
        let _local = Noisy::new(&log, "local");
        tick(&log, "first", 1).await;
        let n = if let Some(v) = holder(&log, value).get() {
            tick(&log, "then", 1).await;
            v
        } else {
            log.push("else runs");
            tick(&log, "else", 1).await;
            0
        };
        log.push("after if");
        n
    }
}

twins! {
    async fn inner_block_tail_after_an_await(log: Log) -> usize {
        let n = {
            let _local = Noisy::new(&log, "local");
            tick(&log, "t", 1).await;
            Noisy::new(&log, "temp").name().len()
        };
        log.push("after block");
        n
    }
}

twins! {
    async fn body_ending_in_an_if_let_on_a_temporary(log: Log, value: Option<u32>) -> u32 {
        let _local = Noisy::new(&log, "local");
        tick(&log, "first", 1).await;
        // the body's tail: the temporary `holder(..)` is kept (in a slot)
        // through the branches
        if let Some(v) = holder(&log, value).get() {
            let _hit = Noisy::new(&log, "hit");
            tick(&log, "then", 1).await;
            v
        } else {
            let _miss = Noisy::new(&log, "miss");
            tick(&log, "else", 1).await;
            0
        }
    }
}
