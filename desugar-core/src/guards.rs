//! Stage 2c: `.await` in a `match` guard.
//!
//! In: the body (after [`crate::unshadow`]). Out: the same body where each
//! `match` with an `.await` in a guard is written without one, so that the
//! later stages (and the borrow-checked copy of the body, see
//! [`crate::rewrite::as_written`]) only see guards that do not suspend:
//!
//! ```text
//! match s {                          {
//!     Some(0) => zero(),                 let scrutinee = s;
//!     Some(x) if ok(x).await => x,       'guard: {
//!     _ => 0,                                let arm: usize = match &scrutinee {
//! }                                              Some(0) => 0,
//!                                                #[allow(unreachable_patterns)]
//!                                                _ => 1,
//!                                            };
//!                                            match arm {
//!                                                0 => break 'guard match identity(scrutinee) {
//!                                                    Some(0) => zero(),
//!                                                    _ => unreachable!(),
//!                                                },
//!                                                _ => {}
//!                                            }
//!                                            if let Some(x_ref) = &scrutinee {
//!                                                if ok((*x_ref)).await {
//!                                                    break 'guard match identity(scrutinee) {
//!                                                        Some(x) => x,
//!                                                        _ => unreachable!(),
//!                                                    };
//!                                                }
//!                                            }
//!                                            match identity(scrutinee) { _ => 0 }
//!                                        }
//!                                    }
//! ```
//!
//! Guards run in the same order and see the same values as natively, and
//! only the arm taken moves the scrutinee (`core::convert::identity` moves
//! it into that `match`, so that `Some(x)` can move out of it even when it
//! is kept in place because `x_ref` lives across the `.await`; a scrutinee
//! that is a place, `match items`, is matched as it is; when it is bound by
//! a pattern, [`crate::rebind`] later binds it again as a plain local, so
//! that it can be kept in place). Closures, `async` blocks and
//! nested items are left alone: their guards are theirs.

use std::collections::HashSet;

use proc_macro2::Span;
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Ident, Pat, Stmt};

use crate::analyse::has_await;
use crate::lower::is_place;
use crate::names::Unique;

/// `body` with every `match` whose guard awaits written without one;
/// `taken` are the identifiers of the function, which new names avoid.
pub fn lower_await_guards(body: &mut Block, taken: &HashSet<String>) {
    let mut names = Unique::default();
    for name in taken {
        names.name(name);
    }
    Guards {
        names,
        span: Span::call_site(),
    }
    .visit_block_mut(body);
}

/// Whether one of `m`'s guards awaits.
fn awaits_in_guard(m: &syn::ExprMatch) -> bool {
    m.arms
        .iter()
        .any(|a| a.guard.as_ref().is_some_and(|(_, g)| has_await(g)))
}

struct Guards {
    names: Unique,
    /// The `match` being lowered.
    span: Span,
}

impl VisitMut for Guards {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Match(m) = expr {
            if awaits_in_guard(m) {
                *expr = self.lower(m);
            }
        }
        // the arms, and the rest of a lowered `match` (another guard may
        // await there)
        visit_mut::visit_expr_mut(self, expr);
    }
    // (`vec![match x { p if g().await => .. }]` is lowered too)
    visit_the_body_only!();
}

impl Guards {
    /// A name no identifier of the function has. It is resolved like the
    /// user's own names (the later stages treat the body as written), so
    /// it has the span of the user's `match`.
    fn fresh(&mut self, base: &str) -> Ident {
        Ident::new(&self.names.name(base), self.span)
    }

    /// `match s { p0 => a0, p1 if g1 => a1, p if g.await => a, rest }`
    /// becomes
    ///
    /// ```text
    /// {
    ///     let scrutinee = s;                // unless `s` is a place
    ///     'guard: {
    ///         let arm: usize = match &scrutinee { // look, by reference
    ///             p0' => 0,
    ///             p1' if g1' => 1,
    ///             _ => 2,
    ///         };
    ///         match arm {                   // take: move, as natively
    ///             0 => break 'guard match identity(scrutinee) { p0 => a0, _ => unreachable!() },
    ///             1 => break 'guard match identity(scrutinee) { p1 => a1, _ => unreachable!() },
    ///             _ => {}
    ///         }
    ///         if let p' = &scrutinee {
    ///             if g'.await {
    ///                 break 'guard match identity(scrutinee) { p => a, _ => unreachable!() };
    ///             }
    ///         }
    ///         match identity(scrutinee) { rest }
    ///     }
    /// }
    /// ```
    ///
    /// `p'` is `p` binding by reference only what its guard reads, under a
    /// name of its own (`x_ref`), and the guard `g'` reads it through the
    /// reference (`(*x_ref)`): a guard can look, not move. The look is a
    /// `match` of its own so that no borrow of the scrutinee is held while
    /// an arm runs; a guard that reads nothing is tried as an arm of it
    /// (`p' => 2`, then `2 => if g.await { .. }`).
    fn lower(&mut self, m: &syn::ExprMatch) -> Expr {
        self.span = m.match_token.span;
        let i = m
            .arms
            .iter()
            .position(|a| a.guard.as_ref().is_some_and(|(_, g)| has_await(g)))
            .expect("checked by `visit_expr_mut`");
        let label = syn::Lifetime {
            apostrophe: self.span,
            ident: self.fresh("guard"),
        };
        let (prelude, scrutinee): (Option<Stmt>, Expr) = if is_place(&m.expr) && !has_await(&m.expr)
        {
            (None, (*m.expr).clone())
        } else {
            let ident = self.fresh("scrutinee");
            let init = &m.expr;
            (
                Some(syn::parse_quote!(let #ident = #init;)),
                syn::parse_quote!(#ident),
            )
        };
        // The scrutinee of its own is moved into the `match` that takes an
        // arm, as natively: the `match` may move out of it (`Some(n)`), and
        // the later stages keep it in place when a guard's binding borrows
        // it across an `.await`.
        let moved: Expr = match prelude {
            Some(_) => syn::parse_quote!(::core::convert::identity(#scrutinee)),
            None => scrutinee.clone(),
        };
        let take = |arm: &syn::Arm| -> Expr {
            let (pat, body) = (&arm.pat, &arm.body);
            // A local bound whole by value (`t if .. => ..` on `match text`)
            // is moved as a whole, so that a local kept in place is taken
            // out of its slot.
            let whole_local = matches!(pat, Pat::Ident(p)
                if p.by_ref.is_none() && p.subpat.is_none() && crate::analyse::names_a_binding(p))
                && matches!(&scrutinee, Expr::Path(p) if p.path.get_ident().is_some());
            let moved = match whole_local {
                true => syn::parse_quote!(::core::convert::identity(#scrutinee)),
                false => moved.clone(),
            };
            syn::parse_quote! {
                break #label match #moved {
                    #pat => #body,
                    #[allow(unreachable_patterns)]
                    _ => ::core::unreachable!(),
                }
            }
        };
        let arm_index = self.fresh("arm");
        let (mut looks, mut takes): (Vec<syn::Arm>, Vec<syn::Arm>) = (Vec::new(), Vec::new());
        for (n, arm) in m.arms[..i].iter().enumerate() {
            let index = syn::LitInt::new(&n.to_string(), Span::call_site());
            let read = guard_reads(arm);
            let (looking, refs) = self.looking_pattern(&arm.pat, &read);
            looks.push(match &arm.guard {
                Some((_, guard)) => {
                    let guard = reads_through(guard, &read, &refs);
                    syn::parse_quote!(#looking if #guard => #index,)
                }
                None => syn::parse_quote!(#looking => #index,),
            });
            let taken = take(arm);
            takes.push(syn::parse_quote!(#index => #taken,));
        }
        let awaited = &m.arms[i];
        let (_, guard) = awaited.guard.as_ref().expect("the arm has a guard");
        let read = guard_reads(awaited);
        let (looking, refs) = self.looking_pattern(&awaited.pat, &read);
        let guard = reads_through(guard, &read, &refs);
        let taken = take(awaited);
        let tried: Expr = syn::parse_quote!(if #guard { #taken; });
        let mut after = None;
        if read.is_empty() {
            let index = syn::LitInt::new(&i.to_string(), Span::call_site());
            looks.push(syn::parse_quote!(#looking => #index,));
            takes.push(syn::parse_quote!(#index => #tried,));
        } else {
            after = Some(quote::quote!(if let #looking = &#scrutinee { #tried }));
        }
        let none = syn::LitInt::new(&(i + 1).to_string(), Span::call_site());
        let look_and_take = (!looks.is_empty()).then(|| {
            quote::quote! {
                let #arm_index: usize = match &#scrutinee {
                    #(#looks)*
                    #[allow(unreachable_patterns)]
                    _ => #none,
                };
                match #arm_index {
                    #(#takes)*
                    _ => {}
                }
            }
        });
        let rest = &m.arms[i + 1..];
        syn::parse_quote! {
            {
                #prelude
                #label: {
                    #look_and_take
                    #after
                    match #moved { #(#rest)* }
                }
            }
        }
    }

    /// `pat` for looking at the scrutinee by reference: the bindings in
    /// `read` get fresh names (returned, in order), the others become `_`.
    fn looking_pattern(&mut self, pat: &Pat, read: &[Ident]) -> (Pat, Vec<Ident>) {
        struct Look<'a> {
            bound: Vec<Ident>,
            read: &'a [Ident],
            renamed: Vec<Ident>,
        }
        impl syn::visit_mut::VisitMut for Look<'_> {
            fn visit_pat_mut(&mut self, pat: &mut Pat) {
                if let Pat::Ident(p) = pat {
                    if self.bound.contains(&p.ident) {
                        let sub = p.subpat.take().map(|(_, sub)| *sub);
                        if let Some(at) = self.read.iter().position(|r| *r == p.ident) {
                            p.ident = self.renamed[at].clone();
                            p.by_ref = None;
                            p.mutability = None;
                            p.subpat = sub.map(|sub| (Default::default(), Box::new(sub)));
                        } else {
                            *pat = sub.unwrap_or_else(|| syn::parse_quote!(_));
                        }
                    }
                }
                syn::visit_mut::visit_pat_mut(self, pat);
            }
        }
        let renamed: Vec<Ident> = read
            .iter()
            .map(|ident| {
                let base = syn::ext::IdentExt::unraw(ident).to_string();
                self.fresh(&format!("{base}_ref"))
            })
            .collect();
        let mut look = Look {
            bound: crate::analyse::bindings(pat)
                .into_iter()
                .map(|d| d.ident)
                .collect(),
            read,
            renamed,
        };
        let mut pat = pat.clone();
        syn::visit_mut::VisitMut::visit_pat_mut(&mut look, &mut pat);
        (through_reference(pat), look.renamed)
    }
}

/// `pat` made to match the scrutinee through a reference (`match
/// &scrutinee`): a string literal at the top (`"GET"`, of type `&str`) does
/// not see through the reference by itself, so it becomes `&"GET"`.
/// Elsewhere the default binding mode does it.
fn through_reference(pat: Pat) -> Pat {
    match pat {
        Pat::Lit(lit) if matches!(lit.lit, syn::Lit::Str(_) | syn::Lit::ByteStr(_)) => {
            syn::parse_quote!(&#lit)
        }
        Pat::Or(mut or) => {
            or.cases = or.cases.into_iter().map(through_reference).collect();
            Pat::Or(or)
        }
        Pat::Paren(mut p) => {
            *p.pat = through_reference(*p.pat);
            Pat::Paren(p)
        }
        other => other,
    }
}

/// The bindings of `arm`'s pattern that its guard mentions.
fn guard_reads(arm: &syn::Arm) -> Vec<Ident> {
    let Some((_, guard)) = &arm.guard else {
        return Vec::new();
    };
    let guard = guard.to_token_stream();
    crate::analyse::bindings(&arm.pat)
        .into_iter()
        .map(|d| d.ident)
        .filter(|ident| crate::names::mentions_any(&guard, std::slice::from_ref(ident)))
        .collect()
}

/// `guard` reading each of `read` through its reference in `refs`:
/// `x > 1` → `(*x_ref) > 1`.
fn reads_through(guard: &Expr, read: &[Ident], refs: &[Ident]) -> Expr {
    let renamed = crate::names::replace_locals(&guard.to_token_stream(), &|ident| {
        let at = read.iter().position(|r| r == ident)?;
        Some(proc_macro2::TokenTree::Ident(refs[at].clone()))
    });
    let guard: Expr = syn::parse2(renamed).expect("renaming keeps an expression");
    crate::rewrite::deref_names(guard, &refs.iter().collect::<Vec<_>>())
}
