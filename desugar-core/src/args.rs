//! Stage 1: the attribute's arguments.
//!
//! In: the tokens between the parentheses of `#[desugar(...)]`.
//! Out: [`Args`]. No arguments are accepted yet; anything else is an error on
//! the offending tokens.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};

/// The parsed arguments of `#[desugar]` (none exist yet).
#[derive(Debug, Default, Clone)]
pub struct Args {}

impl Args {
    /// Parses the argument tokens.
    pub fn parse(tokens: TokenStream) -> syn::Result<Args> {
        syn::parse2(tokens)
    }
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Ok(Args {});
        }
        let rest: TokenStream = input.parse()?;
        Err(syn::Error::new_spanned(
            rest,
            "unknown argument to #[desugar]: it takes no arguments; write `#[desugar]`",
        ))
    }
}
