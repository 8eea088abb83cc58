//! Prints the expansion of a file's `#[desugar]` function (development aid).
fn main() {
    let path = std::env::args().nth(1).expect("file");
    let src = std::fs::read_to_string(path).unwrap();
    let item: proc_macro2::TokenStream = src.parse().unwrap();
    let out = desugar_core::expand(Default::default(), item);
    match desugar_core::pretty(out.clone()) {
        Some(p) => println!("{p}"),
        None => println!("{out}"),
    }
}
