//! Prints the expansion of a file's `#[desugar]` function (development aid):
//! `cargo run -p desugar-core --example show FILE.rs [ARGS]`, where `ARGS` are
//! the attribute's arguments (`trace`, `"pin(a), trace"`). With
//! `DESUGAR_EDITION=2021` in the environment, as for a crate on edition 2021.
fn main() {
    let path = std::env::args().nth(1).expect("file");
    let src = std::fs::read_to_string(path).unwrap();
    let item: proc_macro2::TokenStream = src.parse().unwrap();
    let edition = match std::env::var("DESUGAR_EDITION").as_deref() {
        Ok("2015" | "2018" | "2021") => desugar_core::edition::Edition::Before2024,
        _ => desugar_core::edition::Edition::Rust2024,
    };
    let out = desugar_core::expand_in(
        edition,
        std::env::args().nth(2).unwrap_or_default().parse().unwrap(),
        item,
    );
    match desugar_core::pretty(out.clone()) {
        Some(p) => println!("{p}"),
        None => println!("{out}"),
    }
}
