// `while let` with the `.await` in the condition: a loop head, and the
// body's code in the arm that resumes after the await.
use desugar_runtime::desugar;

struct Lines {
    left: Vec<String>,
}

impl Lines {
    async fn next_line(&mut self) -> Option<String> {
        self.left.pop()
    }
}

#[desugar]
async fn count_lines(mut lines: Lines) -> usize {
    let mut count = 0;
    while let Some(line) = lines.next_line().await {
        if !line.is_empty() {
            count += 1;
        }
    }
    count
}
