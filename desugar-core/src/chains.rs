//! Stage 2c, with [`crate::guards`]: `.await` in a `let` chain.
//!
//! In: the body (after [`crate::unshadow`]). Out: the same body where each
//! `if` or `while` whose condition is a `let` chain (edition 2024) and that
//! holds an `.await` is written as nested `if`s, which the later stages
//! lower as usual (a condition of the chain is tried only if the ones
//! before it held, and the bindings of each `let` are seen by the rest):
//!
//! ```text
//! if let Some(id) = id                       'chain: {
//!     && let Some(n) = find(id).await            if let Some(id) = id {
//!     && n.len() > 1                                 if let Some(n) = find(id).await {
//! {                                                      if n.len() > 1 {
//!     then                                                   break 'chain { then };
//! } else {                                               }
//!     otherwise                                      }
//! }                                              }
//!                                                { otherwise }
//!                                            }
//!
//! while let Some(x) = next().await && x > 0  loop {
//! {                                              if let Some(x) = next().await {
//!     body                                           if x > 0 {
//! }                                                      { body }
//!                                                        continue;
//!                                                    }
//!                                                }
//!                                                break;
//!                                            }
//! ```
//!
//! The temporaries of each scrutinee live through the `then` block and are
//! gone before `otherwise`, as edition 2024 drops them. Chains without an
//! `.await` are left as written, and so are closures, `async` blocks and
//! nested items.

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr};

use crate::analyse::has_await;
use crate::names::Unique;

/// `body` with every `if`/`while` whose `let` chain meets an `.await`
/// written as nested `if`s; `taken` are the identifiers of the function,
/// which the labels made here avoid.
pub fn lower_await_chains(body: &mut Block, taken: &std::collections::HashSet<String>) {
    let mut names = Unique::default();
    for name in taken {
        names.name(name);
    }
    Chains { names }.visit_block_mut(body);
}

/// The operands of a `&&` chain, left to right.
fn operands(cond: &Expr) -> Vec<&Expr> {
    match cond {
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut all = operands(&b.left);
            all.extend(operands(&b.right));
            all
        }
        other => vec![other],
    }
}

/// Whether `cond` is a chain with a `let` in it (`let P = e && c`).
fn is_let_chain(cond: &Expr) -> bool {
    let all = operands(cond);
    all.len() > 1 && all.iter().any(|e| matches!(e, Expr::Let(_)))
}

/// `inner` inside one `if` per operand of `cond`, the first outermost.
fn nest(cond: &Expr, inner: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    operands(cond).into_iter().rev().fold(
        inner,
        |inner, operand| quote::quote!(if #operand { #inner }),
    )
}

struct Chains {
    names: Unique,
}

impl Chains {
    fn label(&mut self, span: Span) -> syn::Lifetime {
        syn::Lifetime {
            apostrophe: span,
            ident: syn::Ident::new(&self.names.name("chain"), span),
        }
    }

    fn lower_if(&mut self, e: &syn::ExprIf) -> Expr {
        let label = self.label(e.if_token.span);
        let then = &e.then_branch;
        let nested = nest(&e.cond, quote::quote!(break #label #then;));
        let otherwise = e.else_branch.as_ref().map(|(_, otherwise)| otherwise);
        let attrs = &e.attrs;
        syn::parse_quote!(#(#attrs)* #label: { #nested #otherwise })
    }

    fn lower_while(&mut self, w: &syn::ExprWhile) -> Expr {
        let body = &w.body;
        let nested = nest(&w.cond, quote::quote!(#body continue;));
        let (attrs, label) = (&w.attrs, &w.label);
        syn::parse_quote!(#(#attrs)* #label loop { #nested break; })
    }
}

impl VisitMut for Chains {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::If(e) if is_let_chain(&e.cond) && has_await(&Expr::If(e.clone())) => {
                *expr = self.lower_if(e);
            }
            Expr::While(w) if is_let_chain(&w.cond) && has_await(&Expr::While(w.clone())) => {
                *expr = self.lower_while(w);
            }
            _ => {}
        }
        // the branches, the `else if`s and the conditions' own expressions
        visit_mut::visit_expr_mut(self, expr);
    }
    visit_the_body_only!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn lowered(body: &str) -> String {
        let mut block: Block = syn::parse_str(body).unwrap();
        lower_await_chains(&mut block, &Default::default());
        block.to_token_stream().to_string()
    }

    #[test]
    fn an_if_let_chain_with_an_await_becomes_nested_ifs() {
        assert_eq!(
            lowered("{ if let Some(a) = a && let Some(n) = f(a).await && n > 1 { n } else { 0 } }"),
            "{ 'chain : { if let Some (a) = a { if let Some (n) = f (a) . await { \
             if n > 1 { break 'chain { n } ; } } } { 0 } } }"
        );
    }

    #[test]
    fn a_while_let_chain_with_an_await_becomes_a_loop() {
        assert_eq!(
            lowered("{ 'l: while let Some(x) = next().await && x > 0 { f(x); } }"),
            "{ 'l : loop { if let Some (x) = next () . await { if x > 0 { { f (x) ; } continue ; } } break ; } }"
        );
    }

    #[test]
    fn chains_without_an_await_and_plain_conditions_are_left_alone() {
        for body in [
            "{ if let Some(a) = a && a > 1 { a } else { 0 } }",
            "{ if c && f().await { 1 } else { 0 } }",
            "{ if let Some(a) = f().await { a } else { 0 } }",
        ] {
            let expected = syn::parse_str::<Block>(body)
                .unwrap()
                .to_token_stream()
                .to_string();
            assert_eq!(lowered(body), expected);
        }
    }
}
