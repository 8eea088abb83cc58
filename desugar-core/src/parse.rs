//! Stage 2: the item under the attribute.
//!
//! In: the tokens of the annotated item. Out: [`AsyncFn`], the pieces of an
//! `async fn` that later stages need. Errors: the item is not a function, the
//! function is not `async`, or its signature has something an `async fn`
//! cannot have here (a C-variadic `...`).

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::{Attribute, Block, FnArg, Ident, Pat, Signature, Type, Visibility};

/// An `async fn`, taken apart.
pub struct AsyncFn {
    /// Attributes and doc comments, kept on the generated `fn`.
    pub attrs: Vec<Attribute>,
    /// Visibility, kept.
    pub vis: Visibility,
    /// The signature as written (still `async`).
    pub sig: Signature,
    /// The parameters, in order, as values the `Start` state holds.
    pub params: Vec<Param>,
    /// The body, with one name per local (see [`crate::unshadow`]), no
    /// `.await` in a `match` guard (see [`crate::guards`]) or a `let` chain
    /// (see [`crate::chains`]), the parts a pattern leaves of a value kept
    /// to its end (see [`crate::rests`]) and, when the layout asked, pattern
    /// bindings borrowed across an `.await` bound again as plain locals (see
    /// [`crate::rebind`]).
    pub body: Block,
    /// The names a later binding shadowed in the source (`line` when there
    /// are now `line` and `line_2`).
    pub shadowed: std::collections::HashSet<String>,
    /// Each name [`crate::unshadow`] gave, with the source's (`line_2` →
    /// `line`): state names and the trace use the source's.
    pub renamed: std::collections::HashMap<String, String>,
    /// The locals [`crate::pin_macros`] made for the values a `pin!` pins
    /// (`pinned_sleep`): kept in place for their whole scope.
    pub pinned: Vec<Ident>,
    /// The names [`crate::rests`] bound in place of the `_`s of patterns
    /// that move part of a temporary out in an arm that awaits.
    pub rests: std::collections::HashSet<String>,
    /// The edition of the crate: it decides when the temporaries of an `if
    /// let` scrutinee are dropped (see [`crate::edition`]).
    pub edition: crate::edition::Edition,
    /// [`AsyncFn::idents`], computed by its first call (three stages ask).
    idents: std::sync::OnceLock<std::collections::HashSet<String>>,
}

/// One parameter, as the `Start` state stores it.
pub struct Param {
    /// The field of `Start` that holds it: the parameter's name, `__self`
    /// for the receiver, or `argN` when the parameter is a pattern.
    pub field: Ident,
    /// How the body binds it on the first poll.
    pub binding: ParamBinding,
}

/// How a parameter becomes bindings of the body.
pub enum ParamBinding {
    /// `x: T` or `mut x: T`: the field is the binding.
    Ident {
        /// Whether it was declared `mut`.
        mutable: bool,
    },
    /// `(a, b): (T, U)`: `let (a, b) = argN;` on the first poll.
    Pattern(Box<Pat>),
}

impl Param {
    /// The bindings a pattern parameter declares, in the order the compiler
    /// declares them: the parts `_` leaves in the argument first (natively
    /// they stay in the argument, declared before the pattern's bindings, so
    /// they are dropped after them), then the pattern's own bindings.
    pub fn pattern_bindings(pat: &Pat) -> Vec<crate::analyse::Declared> {
        let (mut ignored, named): (Vec<_>, Vec<_>) = crate::analyse::bindings(pat)
            .into_iter()
            .partition(|d| is_named_wildcard(&d.ident));
        ignored.extend(named);
        ignored
    }
}

/// Whether `ident` is a name [`name_wildcards`] gave to a `_`.
fn is_named_wildcard(ident: &Ident) -> bool {
    ident.to_string().starts_with(WILDCARD_PREFIX)
}

const WILDCARD_PREFIX: &str = "__ignored";

impl AsyncFn {
    /// Every identifier the signature and the body use: generated names
    /// must differ from them. Computed once, by the first call: the
    /// signature and the body are not meant to change after that.
    pub fn idents(&self) -> &std::collections::HashSet<String> {
        self.idents.get_or_init(|| {
            let mut tokens = quote::ToTokens::to_token_stream(&self.sig);
            tokens.extend(quote::ToTokens::to_token_stream(&self.body));
            crate::names::idents_in(tokens)
        })
    }

    /// Stage 2d ([`crate::rebind`]): binds the pattern bindings named in
    /// `names` again as plain locals.
    pub fn rebind(&mut self, names: &std::collections::HashSet<String>) {
        let mut taken = self.idents().clone();
        let renamed = crate::rebind::rebind(&mut self.body, names, &mut taken);
        for (new, old) in renamed {
            let source = self.renamed.get(&old).cloned().unwrap_or(old);
            self.renamed.insert(new, source);
        }
        self.idents = std::sync::OnceLock::new();
    }

    /// Parses and checks the annotated item.
    pub fn parse(item: TokenStream) -> syn::Result<AsyncFn> {
        let item: syn::Item = syn::parse2(item).map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("#[desugar] could not parse this item: {e}"),
            )
        })?;
        let (attrs, vis, sig, block) = match item {
            syn::Item::Fn(f) => (f.attrs, f.vis, f.sig, *f.block),
            other => {
                return Err(syn::Error::new(
                    item_keyword_span(&other),
                    "#[desugar] can only be applied to an `async fn`",
                ))
            }
        };
        Self::from_parts(attrs, vis, sig, block)
    }

    /// Checks and takes apart a function given as its parts (also used for
    /// methods found inside `impl` blocks by tools).
    pub fn from_parts(
        attrs: Vec<Attribute>,
        vis: Visibility,
        sig: Signature,
        body: Block,
    ) -> syn::Result<AsyncFn> {
        if sig.asyncness.is_none() {
            return Err(syn::Error::new(
                sig.fn_token.span,
                "#[desugar] expects an `async fn`: this function is not async; \
                 write `async fn` or remove the attribute",
            ));
        }
        if let Some(variadic) = &sig.variadic {
            return Err(syn::Error::new_spanned(
                variadic,
                "#[desugar] does not support C-variadic parameters",
            ));
        }
        let mut params = Vec::new();
        for (index, input) in sig.inputs.iter().enumerate() {
            params.push(match input {
                FnArg::Receiver(receiver) => Param {
                    field: Ident::new("__self", receiver.self_token.span),
                    binding: ParamBinding::Ident {
                        mutable: receiver.mutability.is_some() && receiver.reference.is_none(),
                    },
                },
                FnArg::Typed(typed) => match &*typed.pat {
                    Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                        Param {
                            field: ident.ident.clone(),
                            binding: ParamBinding::Ident {
                                mutable: ident.mutability.is_some(),
                            },
                        }
                    }
                    pat => Param {
                        field: Ident::new(&format!("arg{index}"), Span::mixed_site()),
                        binding: ParamBinding::Pattern(Box::new(name_wildcards(pat, index))),
                    },
                },
            });
        }
        let mut body = body;
        let bound: Vec<Ident> = params
            .iter()
            .flat_map(|param| match &param.binding {
                ParamBinding::Ident { .. } if param.field == "__self" => Vec::new(),
                ParamBinding::Ident { .. } => vec![param.field.clone()],
                ParamBinding::Pattern(pat) => crate::analyse::bindings(pat)
                    .into_iter()
                    .map(|d| d.ident)
                    .collect(),
            })
            .collect();
        // Every identifier of the function: the names stages 2a to 2c make
        // avoid them, and each stage adds its own.
        let mut taken = crate::names::idents_in(quote::ToTokens::to_token_stream(&sig));
        taken.extend(crate::names::idents_in(quote::ToTokens::to_token_stream(
            &body,
        )));
        let pinned = crate::pin_macros::write_out(&mut body, &mut taken)?;
        let renamed = crate::unshadow::unshadow_in(&mut body, &bound, &mut taken);
        let shadowed = renamed.values().cloned().collect();
        crate::guards::lower_await_guards(&mut body, &taken);
        crate::chains::lower_await_chains(&mut body, &taken);
        let rests = crate::rests::keep_unbound_parts(&mut body, &taken);
        let param_names = bound.iter().map(|i| i.to_string()).collect();
        crate::captures::copy_captures(&mut body, &param_names);
        Ok(AsyncFn {
            attrs,
            vis,
            sig,
            params,
            body,
            shadowed,
            renamed,
            pinned,
            rests,
            edition: Default::default(),
            idents: std::sync::OnceLock::new(),
        })
    }

    /// `ident` as the source wrote it: `line` for the `line_2` that
    /// [`crate::unshadow`] made.
    pub fn source_name(&self, ident: &proc_macro2::Ident) -> String {
        let name = ident.to_string();
        self.renamed.get(&name).cloned().unwrap_or(name)
    }

    /// Whether the function takes `self` in some form.
    pub fn has_receiver(&self) -> bool {
        matches!(self.sig.inputs.first(), Some(FnArg::Receiver(_)))
    }

    /// The output type of the `async fn` (`()` when none is written).
    pub fn output(&self) -> Type {
        match &self.sig.output {
            syn::ReturnType::Default => syn::parse_quote!(()),
            syn::ReturnType::Type(_, ty) => (**ty).clone(),
        }
    }
}

fn item_keyword_span(item: &syn::Item) -> Span {
    use syn::Item::*;
    match item {
        Struct(i) => i.struct_token.span,
        Enum(i) => i.enum_token.span,
        Impl(i) => i.impl_token.span,
        Trait(i) => i.trait_token.span,
        Mod(i) => i.mod_token.span,
        Const(i) => i.const_token.span,
        Static(i) => i.static_token.span,
        Type(i) => i.type_token.span,
        Use(i) => i.use_token.span,
        Union(i) => i.union_token.span,
        other => other.span(),
    }
}

/// `(a, _)` → `(a, __ignored0_0)`: the parts of a pattern parameter that `_`
/// ignores still live to the end of the body in an `async fn` (the compiler
/// moves every argument into the future), so they get a (hidden) name and
/// are kept like any other local.
fn name_wildcards(pat: &Pat, index: usize) -> Pat {
    struct Namer {
        index: usize,
        count: usize,
    }
    impl syn::visit_mut::VisitMut for Namer {
        fn visit_pat_mut(&mut self, pat: &mut Pat) {
            if let Pat::Wild(wild) = pat {
                let ident = Ident::new(
                    &format!("{WILDCARD_PREFIX}{}_{}", self.index, self.count),
                    Span::mixed_site(),
                );
                self.count += 1;
                *pat = Pat::Ident(syn::PatIdent {
                    attrs: wild.attrs.clone(),
                    by_ref: None,
                    mutability: None,
                    ident,
                    subpat: None,
                });
                return;
            }
            syn::visit_mut::visit_pat_mut(self, pat);
        }
    }
    let mut pat = pat.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut Namer { index, count: 0 }, &mut pat);
    pat
}
