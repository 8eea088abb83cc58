// A pattern binding borrowed across an `.await`: `parts` borrows `line`
// while `reply(..)` runs. The macro binds `line` again as a plain local
// (`let line_2 = line;`), which lives in a slot of the `…Locals` struct; and
// because that slot is newer than `words`, which the states hold, dropping
// the future while it waits drops them newest first (`DropInOrder`), as the
// compiler does.
use desugar_runtime::desugar;

#[desugar]
async fn count_words(mut lines: Lines) -> usize {
    let mut words = 0;
    while let Some(line) = lines.next_line().await {
        let parts: Vec<&str> = line.split(' ').collect();
        reply(parts[0]).await;
        words += parts.len();
    }
    words
}
