//! Stage 2a: the pinning macros, written out.
//!
//! In: the body of the `async fn`. Out: the same body where each pinning
//! macro is written out the way it expands, with the pinned value in a
//! local of its own (`pinned_…`), and the names of those locals, which the
//! layout keeps in place (in a `desugar_runtime::Slot`) for their whole
//! scope:
//!
//! ```text
//! tokio::pin!(sleep);             let mut pinned_sleep = sleep;
//!                          →      let mut sleep = unsafe { Pin::new_unchecked(&mut pinned_sleep) };
//!
//! let fut = pin!(fetch());        let mut pinned_fut = fetch();
//!                          →      let fut = unsafe { Pin::new_unchecked(&mut pinned_fut) };
//! ```
//!
//! The macros hide a local (`tokio::pin!`, `futures::pin_mut!`) or a
//! temporary that lives to the end of the block (`std::pin::pin!` in a
//! `let`) which the state machine must see: it is borrowed by the `Pin` for
//! as long as that lives, often across `.await`s, and it must never move
//! once pinned. Written out, it is an ordinary local that the layout keeps
//! in a slot, which never moves and drops its value in place: what
//! `Pin::new_unchecked` asks for, and what the compiler does with the
//! macro's local. The user cannot name the new local, so nothing else moves
//! it.
//!
//! Recognised, by the macro's last path segment: `pin!(a, b)` and
//! `pin! { let a = e; }` as statements (tokio's forms), `pin_mut!(a, b)`
//! (futures, pin-utils), and `let p = pin!(e);` (std's `pin!` in a `let`).
//! Anywhere else inside an awaited expression (`pin!(fetch()).await`),
//! `std::pin::pin!`'s temporary would have to outlive the statement's poll:
//! that is a compile error that says to bind it with `let` first. Closures,
//! `async` blocks and nested items are left alone.

use std::collections::HashSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Macro, Stmt, Token};

/// `body` with its pinning macros written out; `taken` are the identifiers
/// of the function, which the new names avoid (they are added to it).
/// Returns the new locals, to be kept in place for their whole scope.
pub fn write_out(body: &mut Block, taken: &mut HashSet<String>) -> syn::Result<Vec<Ident>> {
    let mut writer = Writer {
        taken: std::mem::take(taken),
        pinned: Vec::new(),
        error: None,
    };
    writer.visit_block_mut(body);
    *taken = writer.taken;
    match writer.error {
        Some(error) => Err(error),
        None => Ok(writer.pinned),
    }
}

struct Writer {
    /// Identifiers in use: new names avoid them.
    taken: HashSet<String>,
    /// The locals written out so far.
    pinned: Vec<Ident>,
    /// The errors found so far, combined.
    error: Option<syn::Error>,
}

/// What a pinning macro pins.
enum Pinned {
    /// `pin!(a, b)`: locals, each pinned under its own name.
    Locals(Vec<Ident>),
    /// `pin! { let a = e; }`: new locals and their values.
    Lets(Vec<(Ident, Expr)>),
}

impl Writer {
    /// `pinned_name`, or `pinned_name_2`... if that is taken.
    fn fresh(&mut self, name: &Ident) -> Ident {
        let base = format!("pinned_{}", name.to_string().trim_start_matches("r#"));
        let mut candidate = base.clone();
        let mut n = 1;
        while self.taken.contains(&candidate) {
            n += 1;
            candidate = format!("{base}_{n}");
        }
        self.taken.insert(candidate.clone());
        let ident = Ident::new(&candidate, name.span());
        self.pinned.push(ident.clone());
        ident
    }

    /// `let mut pinned_name = value; let pat = Pin::new_unchecked(..)`,
    /// where `pat` binds `name` (`mut name`, `name: Pin<&mut F>`).
    fn pin_local(&mut self, name: &Ident, value: TokenStream, pat: TokenStream) -> Vec<Stmt> {
        let storage = self.fresh(name);
        // SAFETY (of the generated block): `storage` is a local the user
        // cannot name, kept in place for its whole scope (the layout puts
        // it in a `Slot`, which never moves and drops its value in place),
        // so the value is not moved or forgotten while pinned.
        let stmts = quote! {
            let mut #storage = #value;
            let #pat = unsafe { ::core::pin::Pin::new_unchecked(&mut #storage) };
        };
        Block::parse_within
            .parse2(stmts)
            .expect("a pinned local is two `let` statements")
    }

    /// The statements a statement macro stands for, if it is a pinning one.
    fn statement(&mut self, mac: &Macro) -> Option<Vec<Stmt>> {
        let pinned = match pinning_macro(mac)? {
            "pin_mut" => Pinned::Locals(parse_locals(mac)?),
            _ => match parse_locals(mac) {
                Some(locals) => Pinned::Locals(locals),
                None => Pinned::Lets(parse_lets(mac)?),
            },
        };
        Some(match pinned {
            Pinned::Locals(locals) => locals
                .iter()
                .flat_map(|name| self.pin_local(name, quote!(#name), quote!(mut #name)))
                .collect(),
            Pinned::Lets(lets) => lets
                .iter()
                .flat_map(|(name, value)| self.pin_local(name, quote!(#value), quote!(mut #name)))
                .collect(),
        })
    }

    /// `let p = pin!(e);` written out.
    fn local(&mut self, local: &syn::Local) -> Option<Vec<Stmt>> {
        let init = local.init.as_ref().filter(|init| init.diverge.is_none())?;
        let Expr::Macro(mac) = &*init.expr else {
            return None;
        };
        if pinning_macro(&mac.mac)? != "pin" {
            return None;
        }
        let value: Expr = mac.mac.parse_body().ok()?;
        let name = match &local.pat {
            syn::Pat::Ident(p) => p,
            syn::Pat::Type(t) => match &*t.pat {
                syn::Pat::Ident(p) => p,
                _ => return None,
            },
            _ => return None,
        };
        if name.by_ref.is_some() || name.subpat.is_some() {
            return None;
        }
        let pat = &local.pat;
        let mut stmts = self.pin_local(&name.ident, quote!(#value), quote!(#pat));
        // The user's attributes stay on the `let` they wrote.
        if let Some(Stmt::Local(pin)) = stmts.last_mut() {
            pin.attrs = local.attrs.clone();
        }
        Some(stmts)
    }

    fn fail(&mut self, error: syn::Error) {
        match &mut self.error {
            Some(errors) => errors.combine(error),
            None => self.error = Some(error),
        }
    }
}

impl VisitMut for Writer {
    fn visit_block_mut(&mut self, block: &mut Block) {
        let mut stmts = Vec::with_capacity(block.stmts.len());
        for mut stmt in std::mem::take(&mut block.stmts) {
            let written = match &stmt {
                Stmt::Macro(m) => self.statement(&m.mac),
                Stmt::Local(local) => self.local(local),
                _ => None,
            };
            match written {
                Some(written) => stmts.extend(written),
                None => {
                    self.visit_stmt_mut(&mut stmt);
                    stmts.push(stmt);
                }
            }
        }
        block.stmts = stmts;
    }

    fn visit_expr_await_mut(&mut self, node: &mut syn::ExprAwait) {
        let mut finder = PinFinder(None);
        syn::visit::Visit::visit_expr(&mut finder, &node.base);
        if let Some(mac) = finder.0 {
            self.fail(syn::Error::new_spanned(
                mac,
                "#[desugar] cannot keep the temporary of `pin!(..)` inside an awaited \
                 expression: it would have to live across the `.await`. Bind it first: \
                 `let fut = pin!(..);`, then use `fut`",
            ));
        }
        visit_mut::visit_expr_await_mut(self, node);
    }

    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// The first `pin!(..)` expression inside an expression, outside closures,
/// `async` blocks and items.
struct PinFinder(Option<Macro>);

impl<'ast> syn::visit::Visit<'ast> for PinFinder {
    fn visit_expr_macro(&mut self, node: &'ast syn::ExprMacro) {
        if self.0.is_none() && pinning_macro(&node.mac) == Some("pin") {
            self.0 = Some(node.mac.clone());
        }
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// `"pin"` or `"pin_mut"` if `mac` is a pinning macro, by its last path
/// segment.
fn pinning_macro(mac: &Macro) -> Option<&'static str> {
    let last = mac.path.segments.last()?;
    if !last.arguments.is_none() {
        return None;
    }
    if last.ident == "pin" {
        Some("pin")
    } else if last.ident == "pin_mut" {
        Some("pin_mut")
    } else {
        None
    }
}

/// `a, b`: the locals of `pin!(a, b)`.
fn parse_locals(mac: &Macro) -> Option<Vec<Ident>> {
    let locals = mac
        .parse_body_with(Punctuated::<Ident, Token![,]>::parse_terminated)
        .ok()?;
    (!locals.is_empty()).then(|| locals.into_iter().collect())
}

/// `let a = e; let b = f;`: the lets of `pin! { .. }`.
fn parse_lets(mac: &Macro) -> Option<Vec<(Ident, Expr)>> {
    struct Lets(Vec<(Ident, Expr)>);
    impl Parse for Lets {
        fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
            let mut lets = Vec::new();
            while !input.is_empty() {
                input.parse::<Token![let]>()?;
                let name: Ident = input.parse()?;
                input.parse::<Token![=]>()?;
                let value: Expr = input.parse()?;
                input.parse::<Token![;]>()?;
                lets.push((name, value));
            }
            Ok(Lets(lets))
        }
    }
    let lets = mac.parse_body::<Lets>().ok()?.0;
    (!lets.is_empty()).then_some(lets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(body: &str) -> String {
        let mut block: Block = syn::parse_str(body).unwrap();
        let mut taken = crate::names::idents_in(quote::ToTokens::to_token_stream(&block));
        write_out(&mut block, &mut taken).unwrap();
        quote::ToTokens::to_token_stream(&block).to_string()
    }

    #[test]
    fn tokio_pin_of_a_local() {
        let out = written("{ let sleep = make(); tokio::pin!(sleep); (&mut sleep).await; }");
        assert!(out.contains("let mut pinned_sleep = sleep ;"), "{out}");
        assert!(
            out.contains(
                "let mut sleep = unsafe { :: core :: pin :: Pin :: new_unchecked (& mut pinned_sleep) } ;"
            ),
            "{out}"
        );
    }

    #[test]
    fn tokio_pin_with_lets_and_pin_mut() {
        let out = written("{ tokio::pin! { let a = f(); let b = g(); } pin_mut!(c); }");
        for part in [
            "let mut pinned_a = f () ;",
            "let mut pinned_b = g () ;",
            "let mut pinned_c = c ;",
        ] {
            assert!(out.contains(part), "{out}");
        }
    }

    #[test]
    fn std_pin_in_a_let_and_fresh_names() {
        let out = written("{ let pinned_fut = 1; let fut = std::pin::pin!(fetch()); fut.await; }");
        assert!(out.contains("let mut pinned_fut_2 = fetch () ;"), "{out}");
        assert!(out.contains("let fut = unsafe"), "{out}");
    }

    #[test]
    fn closures_are_left_alone() {
        let out = written("{ let f = async { tokio::pin!(x); }; }");
        assert!(out.contains("tokio :: pin ! (x)"), "{out}");
    }

    #[test]
    fn pin_inside_an_awaited_expression_is_an_error() {
        let mut block: Block = syn::parse_str("{ pin!(fetch()).await; }").unwrap();
        let error = write_out(&mut block, &mut HashSet::new()).unwrap_err();
        assert!(error.to_string().contains("Bind it first"), "{error}");
    }
}
