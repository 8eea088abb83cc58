use desugar_runtime::desugar;

#[desugar]
trait Fetch {
    async fn fetch(&self) -> u32;
}

struct Zero;

impl Fetch for Zero {
    async fn fetch(&self) -> u32 {
        0
    }
}

fn main() {
    let _ = Zero.fetch();
}
