// A method taking `&mut self`: `self` becomes the `__self` field.
use desugar_runtime::{desugar, yield_once};

struct Counter {
    count: u32,
}

impl Counter {
    #[desugar]
    async fn add(&mut self, n: u32) -> u32 {
        let step = yield_once(n).await;
        self.count += step;
        self.count
    }
}
