//! Stage 2c, with [`crate::guards`] and [`crate::chains`]: what a pattern
//! leaves unbound (`_`) of a value that is kept to its end.
//!
//! In: the body. Out: the same body where, in an arm that awaits and moves
//! part of a temporary scrutinee out, each `_` of the pattern binds a
//! hidden name (`_rest`), and those names. Natively the parts left
//! unbound stay in the temporary, which lives to the end of the `match`;
//! the state machine keeps a value only through a binding, so the part is
//! bound, and the layout declares it before the arm's own bindings so that
//! it is dropped after them, as the temporary is:
//!
//! ```text
//! match select(recv, timer).await {            match select(recv, timer).await {
//!     Either::Left((msg, _)) => {                  Either::Left((msg, _rest)) => {
//!         handle(msg).await;          →                handle(msg).await;
//!     }                                            }   // `timer` dropped here, not at the `.await`
//!     Either::Right(_) => {}                       Either::Right(_) => {}
//! }                                            }
//! ```
//!
//! Only in patterns that bind by value (one that binds nothing moves
//! nothing: the whole temporary is kept), outside `&` and `ref`
//! sub-patterns, and not in `|` patterns (each case would need the same
//! names). `if let` on a temporary is treated the same way.
//!
//! A `let` that takes a local apart before an `.await` of its block leaves
//! a part in the local, which the compiler drops where the local's scope
//! ends: that part is moved to a hidden local first, declared just before
//! (`let (_, _rest, _) = triple; let (a, _, c) = triple;`; several parts go
//! to one hidden tuple, `let _rests = { let S { a: _, b: _rest, c: _rest2 }
//! = s; (_rest, _rest2) };`, dropped in the fields' order), so it is dropped at
//! the end of the block, after `a` and `c`, as natively (where the
//! compiler drops it after the locals declared between `triple` and the
//! `let`, this drops it before them). Closures, `async` blocks and nested
//! items are left alone.

use std::collections::HashSet;

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Pat};

use crate::analyse::{binds_by_value, has_await};
use crate::lower::is_place;
use crate::names::Unique;

/// `body` with the `_`s of such patterns bound to hidden names; returns
/// those names. `taken` are the identifiers of the function.
pub fn keep_unbound_parts(body: &mut Block, taken: &HashSet<String>) -> HashSet<String> {
    let mut names = Unique::default();
    for name in taken {
        names.name(name);
    }
    let mut rests = Rests {
        names,
        made: HashSet::new(),
        order: Vec::new(),
    };
    rests.visit_block_mut(body);
    rests.made
}

struct Rests {
    names: Unique,
    made: HashSet<String>,
    /// The hidden names, in the order they were made.
    order: Vec<syn::Ident>,
}

impl Rests {
    /// Binds the `_`s of `pat` if it moves part of its value out.
    fn bind_wildcards(&mut self, pat: &mut Pat) {
        if binds_by_value(pat) && !has_or(pat) {
            self.wildcards(pat);
        }
    }

    /// `pat` with its bindings made `_` and its `_`s made hidden bindings
    /// (`(a, _, c)` → `(_, _rest, _)`): matched against the same local
    /// first, it moves out only what `pat` leaves (or, with default binding
    /// modes on a reference, borrows it). Whether there was a `_`.
    fn swap_bindings(&mut self, pat: &mut Pat) -> bool {
        match pat {
            Pat::Ident(p)
                if p.by_ref.is_some()
                    || p.subpat.is_some()
                    || crate::analyse::names_a_binding(p) =>
            {
                *pat = Pat::Wild(syn::PatWild {
                    attrs: Vec::new(),
                    underscore_token: Default::default(),
                });
                false
            }
            Pat::Wild(_) => {
                let before = self.made.len();
                self.wildcards(pat);
                self.made.len() > before
            }
            Pat::Paren(p) => self.swap_bindings(&mut p.pat),
            Pat::Type(t) => self.swap_bindings(&mut t.pat),
            Pat::Tuple(t) => t
                .elems
                .iter_mut()
                .fold(false, |any, p| self.swap_bindings(p) | any),
            Pat::TupleStruct(t) => t
                .elems
                .iter_mut()
                .fold(false, |any, p| self.swap_bindings(p) | any),
            Pat::Struct(s) => s.fields.iter_mut().fold(false, |any, f| {
                // `S { y }` is short for `S { y: y }`
                f.colon_token.get_or_insert_with(Default::default);
                self.swap_bindings(&mut f.pat) | any
            }),
            Pat::Slice(s) => s
                .elems
                .iter_mut()
                .fold(false, |any, p| self.swap_bindings(p) | any),
            _ => false,
        }
    }

    fn wildcards(&mut self, pat: &mut Pat) {
        match pat {
            Pat::Wild(w) => {
                let ident = syn::Ident::new(&self.names.name("_rest"), w.underscore_token.span);
                self.made.insert(ident.to_string());
                self.order.push(ident.clone());
                *pat = Pat::Ident(syn::PatIdent {
                    attrs: std::mem::take(&mut w.attrs),
                    by_ref: None,
                    mutability: None,
                    ident,
                    subpat: None,
                });
            }
            // behind a reference or a `ref` binding nothing can be moved
            Pat::Reference(_) | Pat::Ident(_) => {}
            Pat::Paren(p) => self.wildcards(&mut p.pat),
            Pat::Tuple(t) => t.elems.iter_mut().for_each(|p| self.wildcards(p)),
            Pat::TupleStruct(t) => t.elems.iter_mut().for_each(|p| self.wildcards(p)),
            Pat::Struct(s) => s.fields.iter_mut().for_each(|f| self.wildcards(&mut f.pat)),
            Pat::Type(t) => self.wildcards(&mut t.pat),
            // slices: a part of an array is moved only with its place known
            _ => {}
        }
    }
}

/// Whether a `let` takes a local apart by value (`let (a, _, c) =
/// triple;`), not a `let ... else`.
fn taken_apart_local(local: &syn::Local) -> bool {
    local.init.as_ref().is_some_and(|init| {
        init.diverge.is_none()
            && matches!(&*init.expr, Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some())
    }) && binds_by_value(&local.pat)
        && !has_or(&local.pat)
}

/// Whether a statement holds an `.await` (not inside a closure, `async`
/// block or item).
fn stmt_awaits(stmt: &syn::Stmt) -> bool {
    match stmt {
        syn::Stmt::Local(l) => l.init.as_ref().is_some_and(|i| {
            has_await(&i.expr) || i.diverge.as_ref().is_some_and(|(_, d)| has_await(d))
        }),
        syn::Stmt::Expr(e, _) => has_await(e),
        syn::Stmt::Macro(m) => has_await(&Expr::Macro(syn::ExprMacro {
            attrs: Vec::new(),
            mac: m.mac.clone(),
        })),
        syn::Stmt::Item(_) => false,
    }
}

/// Whether `pat` has an `|` pattern anywhere.
fn has_or(pat: &Pat) -> bool {
    struct Find(bool);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_pat_or(&mut self, _: &'ast syn::PatOr) {
            self.0 = true;
        }
    }
    let mut find = Find(false);
    syn::visit::Visit::visit_pat(&mut find, pat);
    find.0
}

impl VisitMut for Rests {
    fn visit_block_mut(&mut self, block: &mut Block) {
        let mut stmts = Vec::with_capacity(block.stmts.len());
        for (i, stmt) in block.stmts.iter().enumerate() {
            if let syn::Stmt::Local(local) = stmt {
                if taken_apart_local(local) && block.stmts[i + 1..].iter().any(stmt_awaits) {
                    let mut rest = local.pat.clone();
                    let first = self.order.len();
                    if self.swap_bindings(&mut rest) {
                        let init = &local.init.as_ref().expect("checked").expr;
                        let parts = &self.order[first..];
                        if let [_] = parts {
                            stmts.push(syn::parse_quote!(let #rest = #init;));
                        } else {
                            // several parts: dropped in the order of the
                            // fields, as the rest of the local is
                            let parts = parts.to_vec();
                            let tuple =
                                syn::Ident::new(&self.names.name("_rests"), Span::call_site());
                            self.made.insert(tuple.to_string());
                            stmts.push(syn::parse_quote!(
                                let #tuple = { let #rest = #init; (#(#parts,)*) };
                            ));
                        }
                    }
                }
            }
            stmts.push(stmt.clone());
        }
        block.stmts = stmts;
        visit_mut::visit_block_mut(self, block);
    }
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Match(m) if !is_place(&m.expr) => {
                for arm in &mut m.arms {
                    if has_await(&arm.body) {
                        self.bind_wildcards(&mut arm.pat);
                    }
                }
            }
            Expr::If(e) => {
                if let Expr::Let(l) = &mut *e.cond {
                    let awaits = has_await(&crate::analyse::block_expr(&e.then_branch));
                    if awaits && !is_place(&l.expr) {
                        self.bind_wildcards(&mut l.pat);
                    }
                }
            }
            _ => {}
        }
        visit_mut::visit_expr_mut(self, expr);
    }
    visit_the_body_only!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn kept(body: &str) -> String {
        let mut block: Block = syn::parse_str(body).unwrap();
        keep_unbound_parts(&mut block, &Default::default());
        block.to_token_stream().to_string()
    }

    #[test]
    fn the_unbound_parts_of_a_temporary_moved_in_an_awaiting_arm_are_bound() {
        assert_eq!(
            kept("{ match f().await { Either::Left((m, _)) => { g(m).await } Either::Right(_) => {} } }"),
            "{ match f () . await { Either :: Left ((m , _rest)) => { g (m) . await } Either :: Right (_) => { } } }"
        );
        assert_eq!(
            kept("{ if let (a, _) = pair().await { h(a).await } }"),
            "{ if let (a , _rest) = pair () . await { h (a) . await } }"
        );
    }

    #[test]
    fn a_let_taking_a_local_apart_binds_what_it_leaves() {
        assert_eq!(
            kept("{ let (a, _, c) = triple; let (x, _) = make(); let S { y, z: _ } = s; f().await; }"),
            "{ let (_ , _rest , _) = triple ; let (a , _ , c) = triple ; let (x , _) = make () ; \
             let S { y : _ , z : _rest2 } = s ; let S { y , z : _ } = s ; f () . await ; }"
        );
        // several parts: one tuple, dropped in the fields' order
        assert_eq!(
            kept("{ let S { a, b: _, c: _ } = s; f().await; }"),
            "{ let _rests = { let S { a : _ , b : _rest , c : _rest2 } = s ; (_rest , _rest2 ,) } ; \
             let S { a , b : _ , c : _ } = s ; f () . await ; }"
        );
        // nothing awaits after it: as written
        assert_eq!(
            kept("{ let (a, _) = pair; g(a); }"),
            "{ let (a , _) = pair ; g (a) ; }"
        );
    }

    #[test]
    fn places_arms_without_awaits_and_references_are_left_alone() {
        for body in [
            "{ match pair { (a, _) => { g(a).await } } }",
            "{ match f().await { (a, _) => a } }",
            "{ match f().await { &(a, _) => { g(a).await } } }",
            "{ match f().await { (ref a, _) => { g(a).await } } }",
            "{ match f().await { (A(a), _) | (B(a), _) => { g(a).await } } }",
        ] {
            let expected = syn::parse_str::<Block>(body)
                .unwrap()
                .to_token_stream()
                .to_string();
            assert_eq!(kept(body), expected);
        }
    }
}
