//! The `#[desugar]` attribute.
//!
//! This crate is a thin shell: it hands the tokens to [`desugar_core::expand`],
//! which does all the work, so the transform can also run outside the compiler
//! (in tests and in the command-line tool). Use it through
//! `desugar_runtime::desugar`, which re-exports it.

use proc_macro::TokenStream;

/// Rewrites an `async fn` into the explicit enum state machine the compiler
/// would build for it. See the `desugar_runtime` crate documentation.
#[proc_macro_attribute]
pub fn desugar(args: TokenStream, item: TokenStream) -> TokenStream {
    // The edition rustc compiles the crate with decides when some
    // temporaries are dropped (see `desugar_core::edition`).
    let edition = desugar_core::edition::Edition::from_rustc_args(std::env::args());
    desugar_core::expand_in(edition, args.into(), item.into()).into()
}
