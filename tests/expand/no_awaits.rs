// No `.await` at all: `Start` goes straight to `Done` on the first poll.
use desugar_runtime::desugar;

#[desugar]
async fn no_awaits() -> u32 {
    42
}
