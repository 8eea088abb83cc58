use desugar_runtime::desugar;

#[desugar]
struct Counter {
    count: u32,
}

fn main() {
    let counter = Counter { count: 0 };
    let _ = counter.count;
}
