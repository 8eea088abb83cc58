// A method taking `&mut self`, through the real attribute and `cargo expand`.
use desugar_runtime::{desugar, poll_to_completion, yield_once};

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

fn main() {
    let mut counter = Counter { count: 1 };
    let _ = poll_to_completion(counter.add(2));
}
