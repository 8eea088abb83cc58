//! Prints the expansion of a file's `#[desugar]` function (development aid):
//! `cargo run -p desugar-core --example show FILE.rs [ARGS]`, where `ARGS` are
//! the attribute's arguments (`trace`, `"pin(a), trace"`).
fn main() {
    let path = std::env::args().nth(1).expect("file");
    let src = std::fs::read_to_string(path).unwrap();
    let item: proc_macro2::TokenStream = src.parse().unwrap();
    let out = desugar_core::expand(
        std::env::args().nth(2).unwrap_or_default().parse().unwrap(),
        item,
    );
    match desugar_core::pretty(out.clone()) {
        Some(p) => println!("{p}"),
        None => println!("{out}"),
    }
}
