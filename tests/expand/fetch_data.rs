// Seed: "Lesson 2: State Machines", the `FetchData` listing.
use desugar_runtime::desugar;

#[desugar]
async fn fetch_data() -> String {
    let url = build_url().await; // await #1
    let response = http_get(url).await; // await #2
    response.body
}
