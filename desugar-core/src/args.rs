//! Stage 1: the attribute's arguments.
//!
//! In: the tokens between the parentheses of `#[desugar(...)]`.
//! Out: [`Args`]. The one argument is `pin(a, b, ..)`; anything else is an
//! error on the offending tokens.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

/// The parsed arguments of `#[desugar]`.
///
/// ```text
/// #[desugar]                 // no arguments
/// #[desugar(pin(items))]     // keep the local `items` in place
/// ```
#[derive(Debug, Default, Clone)]
pub struct Args {
    /// `pin(items, buf)`: locals to keep in place (in a
    /// `desugar_runtime::Slot`) for their whole scope, as the compiler
    /// keeps every local of an `async fn`, also where `#[desugar]` does not
    /// see that something still borrows them when the machine moves on.
    pub pin: Vec<Ident>,
}

impl Args {
    /// Parses the argument tokens.
    pub fn parse(tokens: TokenStream) -> syn::Result<Args> {
        syn::parse2(tokens)
    }
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = Args::default();
        while !input.is_empty() {
            let name: Ident = input.parse().map_err(|e| unknown(e.span()))?;
            if name != "pin" || !input.peek(syn::token::Paren) {
                return Err(unknown(name.span()));
            }
            let content;
            syn::parenthesized!(content in input);
            let names = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
            args.pin.extend(names);
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(args)
    }
}

fn unknown(span: proc_macro2::Span) -> syn::Error {
    syn::Error::new(
        span,
        "unknown argument to #[desugar]: write `#[desugar]`, or `#[desugar(pin(name, ..))]` \
         to keep the named locals in place",
    )
}
