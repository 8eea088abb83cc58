// Seed "Lesson 2: State Machines": the `FetchData` listing.
use crate::support::{build_url, http_get};
use desugar_runtime::desugar;

#[desugar]
pub async fn fetch_data() -> String {
    let url = build_url().await; // await #1
    let response = http_get(url).await; // await #2
    response.body
}
