use desugar_runtime::desugar;
use desugar_runtime::yield_once;

struct Counter {
    count: u32,
}

// The attribute goes on each `async fn` of the impl block, not on the block.
#[desugar]
impl Counter {
    async fn bump(&mut self) -> u32 {
        self.count += yield_once(1).await;
        self.count
    }
}

fn main() {
    let mut counter = Counter { count: 0 };
    let _ = counter.bump();
}
