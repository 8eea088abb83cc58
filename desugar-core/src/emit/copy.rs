//! The borrow-checked copy of the body: the function as written, in a
//! closure that is never called, with the moves of the machine marked at
//! each `.await`, so that the compiler checks every borrow the machine makes
//! through raw pointers and every move it makes between states.

use super::*;

impl Emitter<'_> {
    /// The body as written, in a closure that is never called: the compiler
    /// borrow-checks it. The state machine reaches pinned locals through raw
    /// pointers, and moves the other locals from state to state, which the
    /// compiler cannot see; in the copy each `.await` is a call
    /// (`desugar_runtime::as_written_await(f)`, which borrows what the
    /// future borrows for as long) and marks the locals the machine moves
    /// there (`moved_by_await`, see `Layout::relocated`). The parameters are
    /// the function's. The second value says whether a move was marked.
    pub(super) fn borrowck_copy(&self, sig: &syn::Signature, output: &syn::Type) -> BorrowckCopy {
        let (body, marked) = rewrite::as_written(&self.function.body, &self.layout.relocated);
        let check = hidden("as_written");
        let pairs = sig.inputs.iter().zip(&self.function.sig.inputs);
        let mut pats = Vec::new();
        let mut types = Vec::new();
        let mut values = Vec::new();
        for (rewritten, original) in pairs {
            match (rewritten, original) {
                (syn::FnArg::Receiver(r), syn::FnArg::Receiver(o)) => {
                    let mutability = o.reference.is_none().then(|| quote!(mut));
                    let this = syn::Ident::new("__self", o.self_token.span);
                    pats.push(quote!(#mutability #this));
                    types.push(r.ty.to_token_stream());
                    values.push(quote!(self));
                }
                (syn::FnArg::Typed(r), syn::FnArg::Typed(o)) => {
                    let mut pat = (*o.pat).clone();
                    rewrite::make_mut(&mut pat);
                    pats.push(pat.to_token_stream());
                    types.push(r.ty.to_token_stream());
                    values.push(match &*r.pat {
                        syn::Pat::Ident(p) => p.ident.to_token_stream(),
                        other => other.to_token_stream(),
                    });
                }
                _ => unreachable!("the rewritten signature keeps each parameter's kind"),
            }
        }
        let impl_trait = types
            .iter()
            .any(|t| crate::names::idents_in(t.clone()).contains("impl"));
        // What the learner reads above the copy.
        let doc = " The body as written, never run: the compiler borrow-checks it, with \
                   the locals the state machine moves at each `.await` marked \
                   (`moved_by_await`).";
        if !impl_trait {
            let copy = quote! {
                #[doc = #doc]
                #[allow(warnings, clippy::all)]
                let #check = |#(#pats: #types),*| -> #output #body;
            };
            return BorrowckCopy {
                before: TokenStream::new(),
                copy,
                marked,
            };
        }
        // A closure parameter cannot be `impl Trait`: the copy takes the
        // parameters' types from their values, before they are moved.
        let params = hidden("as_written_params");
        let before = quote! {
            #[allow(warnings, clippy::all)]
            let #params = (#(::desugar_runtime::storage_of(&#values),)*);
        };
        let copy = quote! {
            #[doc = #doc]
            #[allow(warnings, clippy::all)]
            ::desugar_runtime::as_written_check(#params, |(#(#pats,)*)| -> #output #body);
        };
        BorrowckCopy {
            before,
            copy,
            marked,
        }
    }
}

/// The borrow-checking copy of the body (see `Emitter::borrowck_copy`).
pub(super) struct BorrowckCopy {
    /// Code before the state machine: the parameters' types, when they are
    /// taken from the values.
    pub(super) before: TokenStream,
    /// The copy, after the state machine.
    pub(super) copy: TokenStream,
    /// Whether the copy marks a move of the machine.
    pub(super) marked: bool,
}
