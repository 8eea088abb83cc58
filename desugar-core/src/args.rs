//! Stage 1: the attribute's arguments.
//!
//! In: the tokens between the parentheses of `#[desugar(...)]`.
//! Out: [`Args`]. The arguments are `pin(a, b, ..)`, `trace` and
//! `tied_lifetimes`, in any order; anything else is an error on the
//! offending tokens.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

/// The parsed arguments of `#[desugar]`.
///
/// ```text
/// #[desugar]                 // no arguments
/// #[desugar(pin(items))]     // keep the local `items` in place
/// #[desugar(trace)]          // report each poll to `desugar_runtime::trace`
/// #[desugar(trace, pin(a))]  // both, in any order
/// #[desugar(tied_lifetimes)] // see `Args::tied_lifetimes`
/// ```
#[derive(Debug, Default, Clone)]
pub struct Args {
    /// `pin(items, buf)`: locals to keep in place (in a
    /// `desugar_runtime::Slot`) for their whole scope, as the compiler
    /// keeps every local of an `async fn`, also where `#[desugar]` does not
    /// see that something still borrows them when the machine moves on.
    pub pin: Vec<Ident>,
    /// `trace`: the machine reports each poll, step by step (state
    /// entered, sub-future polled, `Ready`, `Pending`, return), to
    /// `desugar_runtime::trace`. Without it the generated code has no trace
    /// calls at all.
    pub trace: bool,
    /// `tied_lifetimes`: in a method without `pub` (private, or in a trait
    /// impl), every awaited call that borrows `self` and another argument
    /// is taken to tie them to one lifetime (`fn f<'a>(&'a self, x: &'a T)`,
    /// an `#[async_trait]` method), not only the calls known to
    /// (`write_all`, `read_exact`, ...): `self` is then borrowed for the
    /// other argument's lifetime (see `emit::ties_lifetimes`).
    pub tied_lifetimes: bool,
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
            let flag = match name.to_string().as_str() {
                "trace" => Some(&mut args.trace),
                "tied_lifetimes" => Some(&mut args.tied_lifetimes),
                _ => None,
            };
            if let Some(flag) = flag {
                if *flag {
                    return Err(syn::Error::new(
                        name.span(),
                        format!("`{name}` is given twice"),
                    ));
                }
                if !input.is_empty() && !input.peek(Token![,]) {
                    let next: proc_macro2::TokenTree = input.parse()?;
                    return Err(syn::Error::new(
                        next.span(),
                        format!("`{name}` takes no value: write `#[desugar({name})]`"),
                    ));
                }
                *flag = true;
            } else if name != "pin" || !input.peek(syn::token::Paren) {
                return Err(unknown(name.span()));
            } else {
                let content;
                syn::parenthesized!(content in input);
                let names = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
                args.pin.extend(names);
            }
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
        "unknown argument to #[desugar]: write `#[desugar]`, `#[desugar(pin(name, ..))]` \
         to keep the named locals in place, `#[desugar(trace)]` or \
         `#[desugar(tied_lifetimes)]`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn trace_alone_and_with_pin_in_any_order() {
        assert!(Args::parse(quote!(trace)).unwrap().trace);
        assert!(!Args::parse(quote!()).unwrap().trace);
        for tokens in [quote!(trace, pin(a, b)), quote!(pin(a, b), trace)] {
            let args = Args::parse(tokens).unwrap();
            assert!(args.trace);
            assert_eq!(args.pin.len(), 2);
        }
    }

    #[test]
    fn trace_with_a_value_or_twice_is_an_error() {
        for tokens in [quote!(trace = 1), quote!(trace(x)), quote!(trace pin(a))] {
            let error = Args::parse(tokens).unwrap_err().to_string();
            assert!(error.contains("`trace` takes no value"), "{error}");
        }
        let error = Args::parse(quote!(trace, trace)).unwrap_err().to_string();
        assert!(error.contains("twice"), "{error}");
        let error = Args::parse(quote!(tied_lifetimes, tied_lifetimes))
            .unwrap_err()
            .to_string();
        assert!(error.contains("twice"), "{error}");
        assert!(Args::parse(quote!(tied_lifetimes)).unwrap().tied_lifetimes);
        let error = Args::parse(quote!(tracing)).unwrap_err().to_string();
        assert!(error.starts_with("unknown argument"), "{error}");
    }
}
