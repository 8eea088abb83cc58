//! Stage 2b: one name per local.
//!
//! In: the body of the `async fn` and the names its parameters bind. Out:
//! the same body where every binding that shadows a local still in scope
//! gets a fresh name, and every use of it says so:
//!
//! ```text
//! let line = read().await;             let line = read().await;
//! let line = line.trim();      →       let line_2 = line.trim();
//! send(line).await;                    send(line_2).await;
//! ```
//!
//! The compiler does the same: the two `line`s are different locals, and the
//! first still lives (and is dropped at the end of its scope). With one name
//! per local in scope the later stages can keep each in its own field or slot
//! without asking which `line` a mention means. Other bindings keep their
//! names (two `match` arms may both bind `e`), so a body without shadowing
//! comes out unchanged.
//!
//! Scopes follow Rust's: a `let` binds for the rest of its block (its
//! initializer and `else` still see the old name), a `match` arm, `if let`,
//! `while let`, `for` or closure binds for its own body. Nested items are
//! left alone (they cannot see the function's locals). Macro arguments that
//! read as expressions are renamed as expressions; a name a format string
//! captures (`"{line}"`) is passed by name instead (`line = line_2`).

use std::collections::{HashMap, HashSet};

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Pat, Stmt};

/// `block` (the body, or a block inside it) with one name per local, where
/// `outer` are the names bound around it (the parameters, for the body)
/// and `taken` every identifier of the function (the new names are added
/// to it). Returns each new name with the one it replaces (`line_2` →
/// `line`).
pub fn unshadow_in(
    block: &mut Block,
    outer: &[Ident],
    taken: &mut HashSet<String>,
) -> HashMap<String, String> {
    let mut renamer = Renamer {
        scopes: vec![HashMap::new()],
        taken: std::mem::take(taken),
        renamed: HashMap::new(),
    };
    for name in outer {
        renamer.scopes[0].insert(name.to_string(), name.clone());
    }
    renamer.visit_block_mut(block);
    *taken = renamer.taken;
    renamer.renamed
}

struct Renamer {
    /// Innermost last: each name in scope and the identifier it now has.
    scopes: Vec<HashMap<String, Ident>>,
    /// Every identifier in the function: fresh names avoid them.
    taken: HashSet<String>,
    /// Each new name, with the source's.
    renamed: HashMap<String, String>,
}

impl Renamer {
    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(HashMap::new());
        f(self);
        self.scopes.pop();
    }

    fn lookup(&self, ident: &Ident) -> Option<&Ident> {
        let name = ident.to_string();
        self.scopes.iter().rev().find_map(|scope| scope.get(&name))
    }

    /// The identifier a use of `ident` means now, if it is not `ident`.
    fn renamed(&self, ident: &Ident) -> Option<Ident> {
        self.lookup(ident).filter(|new| *new != ident).cloned()
    }

    /// Declares the bindings of `pat` in the innermost scope, renaming the
    /// ones that shadow a local in scope.
    fn bind(&mut self, pat: &mut Pat) {
        let mut names = Vec::new();
        binding_idents(pat, &mut names);
        let mut renames = HashMap::new();
        for ident in names {
            let name = ident.to_string();
            if renames.contains_key(&name) {
                // the same name in the alternatives of an or-pattern
                continue;
            }
            let new = if self.lookup(&ident).is_some() {
                let new = self.fresh(&ident);
                self.renamed.insert(new.to_string(), name.clone());
                new
            } else {
                ident.clone()
            };
            renames.insert(name, new);
        }
        for (name, new) in &renames {
            self.scopes
                .last_mut()
                .expect("a scope")
                .insert(name.clone(), new.clone());
        }
        rename_pat(pat, &renames);
    }

    /// `line` → `line_2` (or `line_3`, ... if taken), with `ident`'s span.
    fn fresh(&mut self, ident: &Ident) -> Ident {
        let base = syn::ext::IdentExt::unraw(ident).to_string();
        let name = (2..)
            .map(|n| format!("{base}_{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .expect("an unused name");
        self.taken.insert(name.clone());
        Ident::new(&name, ident.span())
    }

    /// Renames the uses in a macro's arguments.
    fn visit_macro_tokens(&mut self, tokens: &TokenStream) -> Option<TokenStream> {
        let parser = Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        let new = match syn::parse::Parser::parse2(parser, tokens.clone()) {
            Ok(mut args) => {
                for arg in args.iter_mut() {
                    match arg {
                        // `name = value` in a format macro: `name` names the
                        // argument, not a local
                        Expr::Assign(assign) if is_plain_name(&assign.left) => {
                            self.visit_expr_mut(&mut assign.right)
                        }
                        other => self.visit_expr_mut(other),
                    }
                }
                args.into_token_stream()
            }
            Err(_) => crate::names::replace_locals(tokens, &|ident| {
                self.renamed(ident).map(TokenTree::Ident)
            }),
        };
        // `"{line}"` captures `line`: pass the renamed local by name.
        let new = crate::names::pass_captured_by_name(tokens, new, |name| {
            let ident = Ident::new(name, proc_macro2::Span::call_site());
            self.renamed(&ident).map(|renamed| quote!(#renamed))
        });
        (new.to_string() != tokens.to_string()).then_some(new)
    }
}

impl VisitMut for Renamer {
    fn visit_block_mut(&mut self, block: &mut Block) {
        self.scoped(|this| {
            for stmt in &mut block.stmts {
                match stmt {
                    Stmt::Local(local) => {
                        if let Some(init) = &mut local.init {
                            this.visit_expr_mut(&mut init.expr);
                            if let Some((_, diverge)) = &mut init.diverge {
                                this.visit_expr_mut(diverge);
                            }
                        }
                        this.bind(&mut local.pat);
                    }
                    Stmt::Item(_) => {}
                    other => this.visit_stmt_mut(other),
                }
            }
        });
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Path(path) => {
                if let Some(ident) = path.path.get_ident() {
                    if path.qself.is_none() {
                        if let Some(new) = self.renamed(ident) {
                            path.path.segments[0].ident = new;
                        }
                    }
                }
            }
            Expr::Closure(closure) => self.scoped(|this| {
                for input in closure.inputs.iter_mut() {
                    this.bind(input);
                }
                this.visit_expr_mut(&mut closure.body);
            }),
            Expr::Match(m) => {
                self.visit_expr_mut(&mut m.expr);
                for arm in &mut m.arms {
                    self.scoped(|this| {
                        this.bind(&mut arm.pat);
                        if let Some((_, guard)) = &mut arm.guard {
                            this.visit_expr_mut(guard);
                        }
                        this.visit_expr_mut(&mut arm.body);
                    });
                }
            }
            Expr::If(e) => {
                self.scoped(|this| {
                    this.visit_expr_mut(&mut e.cond);
                    this.visit_block_mut(&mut e.then_branch);
                });
                if let Some((_, other)) = &mut e.else_branch {
                    self.visit_expr_mut(other);
                }
            }
            Expr::While(e) => self.scoped(|this| {
                this.visit_expr_mut(&mut e.cond);
                this.visit_block_mut(&mut e.body);
            }),
            // in an `if`/`while` condition: binds for the rest of it and
            // the body (the caller's scope)
            Expr::Let(e) => {
                self.visit_expr_mut(&mut e.expr);
                self.bind(&mut e.pat);
            }
            Expr::ForLoop(e) => {
                self.visit_expr_mut(&mut e.expr);
                self.scoped(|this| {
                    this.bind(&mut e.pat);
                    this.visit_block_mut(&mut e.body);
                });
            }
            other => visit_mut::visit_expr_mut(self, other),
        }
    }

    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        // `S { line }` is `S { line: line }`: the field keeps its name
        self.visit_expr_mut(&mut field.expr);
        if field.colon_token.is_none() {
            let same = matches!(
                (&field.member, &field.expr),
                (syn::Member::Named(member), Expr::Path(p)) if p.path.is_ident(member)
            );
            if !same {
                field.colon_token = Some(Default::default());
            }
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if let Some(tokens) = self.visit_macro_tokens(&mac.tokens) {
            mac.tokens = tokens;
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Whether `expr` is a lone name (`width` in `format!("{x:width$}", width = 4)`).
fn is_plain_name(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some())
}

/// The identifiers `pat` binds, every alternative of an or-pattern included.
fn binding_idents(pat: &Pat, out: &mut Vec<Ident>) {
    match pat {
        Pat::Ident(p) => {
            if p.subpat.is_some() || crate::rewrite::is_binding_name(&p.ident) {
                out.push(p.ident.clone());
            }
            if let Some((_, sub)) = &p.subpat {
                binding_idents(sub, out);
            }
        }
        Pat::Or(p) => p.cases.iter().for_each(|c| binding_idents(c, out)),
        Pat::Paren(p) => binding_idents(&p.pat, out),
        Pat::Reference(p) => binding_idents(&p.pat, out),
        Pat::Slice(p) => p.elems.iter().for_each(|e| binding_idents(e, out)),
        Pat::Tuple(p) => p.elems.iter().for_each(|e| binding_idents(e, out)),
        Pat::TupleStruct(p) => p.elems.iter().for_each(|e| binding_idents(e, out)),
        Pat::Struct(p) => p.fields.iter().for_each(|f| binding_idents(&f.pat, out)),
        Pat::Type(p) => binding_idents(&p.pat, out),
        _ => {}
    }
}

/// Gives the bindings of `pat` their new names (`S { line }` becomes
/// `S { line: line_2 }`).
fn rename_pat(pat: &mut Pat, renames: &HashMap<String, Ident>) {
    match pat {
        Pat::Ident(p) => {
            if p.subpat.is_some() || crate::rewrite::is_binding_name(&p.ident) {
                if let Some(new) = renames.get(&p.ident.to_string()) {
                    p.ident = new.clone();
                }
            }
            if let Some((_, sub)) = &mut p.subpat {
                rename_pat(sub, renames);
            }
        }
        Pat::Or(p) => p.cases.iter_mut().for_each(|c| rename_pat(c, renames)),
        Pat::Paren(p) => rename_pat(&mut p.pat, renames),
        Pat::Reference(p) => rename_pat(&mut p.pat, renames),
        Pat::Slice(p) => p.elems.iter_mut().for_each(|e| rename_pat(e, renames)),
        Pat::Tuple(p) => p.elems.iter_mut().for_each(|e| rename_pat(e, renames)),
        Pat::TupleStruct(p) => p.elems.iter_mut().for_each(|e| rename_pat(e, renames)),
        Pat::Struct(p) => {
            for field in p.fields.iter_mut() {
                rename_pat(&mut field.pat, renames);
                let same = matches!(
                    (&field.member, &*field.pat),
                    (syn::Member::Named(member), Pat::Ident(p)) if p.ident == *member
                );
                if field.colon_token.is_none() && !same {
                    field.colon_token = Some(Default::default());
                }
            }
        }
        Pat::Type(p) => rename_pat(&mut p.pat, renames),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unshadowed(body: TokenStream, params: &[&str]) -> String {
        let mut block: Block = syn::parse2(quote!({ #body })).unwrap();
        let params: Vec<Ident> = params
            .iter()
            .map(|p| Ident::new(p, proc_macro2::Span::call_site()))
            .collect();
        let mut taken = crate::names::idents_in(block.to_token_stream());
        unshadow_in(&mut block, &params, &mut taken);
        block
            .stmts
            .iter()
            .map(|s| s.to_token_stream().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_let_that_reuses_a_name_gets_a_fresh_one() {
        let out = unshadowed(quote!(let s = &s; f().await; let n = s.len(); n), &["s"]);
        assert_eq!(
            out,
            "let s_2 = & s ; f () . await ; let n = s_2 . len () ; n"
        );
    }

    #[test]
    fn scopes_end_where_rust_ends_them() {
        let out = unshadowed(
            quote!(let a = 1; { let a = a + 1; g(a); } match x { Some(a) if a > 0 => a, _ => a }),
            &[],
        );
        assert_eq!(
            out,
            "let a = 1 ; { let a_2 = a + 1 ; g (a_2) ; } \
             match x { Some (a_3) if a_3 > 0 => a_3 , _ => a }"
        );
    }

    #[test]
    fn or_patterns_and_struct_shorthand() {
        let out = unshadowed(
            quote!(let v = 0; if let Ok(v) | Err(v) = r { S { v } } else { S { v } }),
            &[],
        );
        assert_eq!(
            out,
            "let v = 0 ; if let Ok (v_2) | Err (v_2) = r { S { v : v_2 } } else { S { v } }"
        );
    }

    #[test]
    fn macros_and_format_captures() {
        let out = unshadowed(
            quote!(let s = 1; let s = s + 1; println!("{s} {}", s); format!("{s}", s = 3)),
            &[],
        );
        assert_eq!(
            out,
            "let s = 1 ; let s_2 = s + 1 ; println ! (\"{s} {}\" , s_2 , s = s_2) ; \
             format ! (\"{s}\" , s = 3)"
        );
    }

    #[test]
    fn unique_names_are_left_as_written() {
        let out = unshadowed(quote!(let a = 1; let b = |x| x + a; b(2)), &["p"]);
        assert_eq!(out, "let a = 1 ; let b = | x | x + a ; b (2)");
    }
}
