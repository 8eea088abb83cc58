//! Stage 2d: pattern bindings borrowed across an `.await` become plain
//! locals.
//!
//! In: the body (after [`crate::guards`]) and the names of the pattern
//! bindings that [`crate::layout`] found borrowed by a value kept across an
//! `.await` ([`crate::layout::Layout::rebind`]). Out: the same body where
//! each pattern binding one of them by value is followed by a plain `let`
//! that binds it again under a fresh name, used in the rest of its scope:
//!
//! ```text
//! while let Some(line) = lines.next().await {     while let Some(line) = lines.next().await {
//!     let words: Vec<&str> = line.split(' ')  →       let line_2 = line;
//!         .collect();                                 {
//!     reply(words[0]).await;                              let words: Vec<&str> = line_2.split(' ')
//! }                                                           .collect();
//!                                                         reply(words[0]).await;
//!                                                     };
//!                                                 }
//! ```
//!
//! The layout keeps a borrowed local in place (in a slot that never moves)
//! only if it is a plain `let` or a parameter, because a pattern binding is
//! bound where the machine matches, inside one state's code. The compiler
//! never moves any local, so this is what it does too, made visible. Every
//! by-value binding of such a pattern is bound again, in order, so they are
//! still dropped in reverse order of declaration; the scope's own code runs
//! in a block of its own (its value in a `let`), so that its locals and
//! temporaries are dropped before them, where they were dropped natively.
//! `match` arms, `if let` and `while let` (with let chains), `for`, and
//! `let` statements with patterns (`let (a, b) = ..`, `let .. else`) are
//! rewritten; closures, `async` blocks and nested items are left alone.

use std::collections::{HashMap, HashSet};

use proc_macro2::Ident;
use quote::format_ident;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Pat, Stmt};

/// `body` with the by-value pattern bindings named in `names` bound again as
/// plain locals; `taken` holds every identifier of the function (new names
/// are added to it). Returns each new name with the one it replaces.
pub fn rebind(
    body: &mut Block,
    names: &HashSet<String>,
    taken: &mut HashSet<String>,
) -> HashMap<String, String> {
    let mut rebinder = Rebinder {
        names,
        taken,
        renamed: HashMap::new(),
    };
    rebinder.visit_block_mut(body);
    rebinder.renamed
}

struct Rebinder<'a> {
    names: &'a HashSet<String>,
    taken: &'a mut HashSet<String>,
    renamed: HashMap<String, String>,
}

/// A binding to bind again: its name and whether it was `mut`.
type Rebound = (Ident, bool);

impl Rebinder<'_> {
    /// The by-value bindings of `pats` (in order) if one of them is named in
    /// `names`, with `mut` taken off them (the plain `let` has it instead).
    fn wanted(&self, pats: &mut [&mut Pat]) -> Vec<Rebound> {
        let mut all = Vec::new();
        for pat in pats.iter() {
            by_value(pat, &mut all);
        }
        if !all.iter().any(|(i, _)| self.names.contains(&i.to_string())) {
            return Vec::new();
        }
        let idents: Vec<Ident> = all.iter().map(|(i, _)| i.clone()).collect();
        for pat in pats.iter_mut() {
            drop_mut(pat, &idents);
        }
        all
    }

    /// `{ let a_2 = a; let value = body; value }`, with `body`'s uses of
    /// `a` renamed: a scope with a value (a `match` arm, an `if let`).
    fn with_value(&mut self, bound: &[Rebound], body: Expr) -> Block {
        let value = self.fresh("arm_value");
        let lets = lets(bound);
        self.renamed_in(
            bound,
            syn::parse_quote!({
                #(#lets)*
                let #value = #body;
                #value
            }),
        )
    }

    /// `{ let a_2 = a; { body }; }`: the body of a loop.
    fn in_loop(&mut self, bound: &[Rebound], body: &Block) -> Block {
        let lets = lets(bound);
        self.renamed_in(
            bound,
            syn::parse_quote!({
                #(#lets)*
                #body;
            }),
        )
    }

    /// `block` where the plain `let`s of `bound` (which shadow the pattern's
    /// bindings) get fresh names, used everywhere after them.
    fn renamed_in(&mut self, bound: &[Rebound], mut block: Block) -> Block {
        let outer: Vec<Ident> = bound.iter().map(|(i, _)| i.clone()).collect();
        let renamed = crate::unshadow::unshadow_in(&mut block, &outer, self.taken);
        self.renamed.extend(renamed);
        block
    }

    fn fresh(&mut self, base: &str) -> Ident {
        let name = std::iter::once(base.to_string())
            .chain((2..).map(|n| format!("{base}{n}")))
            .find(|candidate| !self.taken.contains(candidate))
            .expect("an unused name");
        self.taken.insert(name.clone());
        Ident::new(&name, proc_macro2::Span::call_site())
    }
}

/// `let [mut] a = a;` for each binding.
fn lets(bound: &[Rebound]) -> Vec<Stmt> {
    bound
        .iter()
        .map(|(ident, mutable)| {
            let mutability = mutable.then(|| format_ident!("mut"));
            syn::parse_quote!(let #mutability #ident = #ident;)
        })
        .collect()
}

impl VisitMut for Rebinder<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        // inner scopes first; their new names are then renamed with the
        // rest of the outer scope, if it is rebound too
        visit_mut::visit_expr_mut(self, expr);
        match expr {
            Expr::Match(m) => {
                for arm in &mut m.arms {
                    let bound = self.wanted(&mut [&mut arm.pat]);
                    if !bound.is_empty() {
                        let body = (*arm.body).clone();
                        *arm.body = Expr::Block(syn::ExprBlock {
                            attrs: Vec::new(),
                            label: None,
                            block: self.with_value(&bound, body),
                        });
                    }
                }
            }
            Expr::If(i) => {
                let bound = self.wanted(&mut let_patterns(&mut i.cond));
                if !bound.is_empty() {
                    let then = crate::analyse::block_expr(&i.then_branch);
                    i.then_branch = self.with_value(&bound, then);
                }
            }
            Expr::While(w) => {
                let bound = self.wanted(&mut let_patterns(&mut w.cond));
                if !bound.is_empty() {
                    w.body = self.in_loop(&bound, &w.body);
                }
            }
            Expr::ForLoop(f) => {
                let bound = self.wanted(&mut [&mut f.pat]);
                if !bound.is_empty() {
                    f.body = self.in_loop(&bound, &f.body);
                }
            }
            _ => {}
        }
    }

    fn visit_block_mut(&mut self, block: &mut Block) {
        visit_mut::visit_block_mut(self, block);
        // `let (a, b) = pair;` (or `let .. else`): the rest of the block is
        // the bindings' scope.
        let mut i = 0;
        while i < block.stmts.len() {
            let bound = match &mut block.stmts[i] {
                Stmt::Local(local) if !crate::layout::is_plain(&local.pat) => {
                    self.wanted(&mut [&mut local.pat])
                }
                _ => Vec::new(),
            };
            if !bound.is_empty() {
                let rest: Vec<Stmt> = block.stmts.drain(i + 1..).collect();
                let lets = lets(&bound);
                let scope = self.renamed_in(&bound, syn::parse_quote!({ #(#lets)* #(#rest)* }));
                i += bound.len();
                block.stmts.extend(scope.stmts);
            }
            i += 1;
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        crate::rewrite::MacroExprs::visit_mut(mac, |e| self.visit_expr_mut(e));
    }
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// The patterns of the `let`s of a condition (`if let`, let chains).
fn let_patterns(cond: &mut Expr) -> Vec<&mut Pat> {
    match cond {
        Expr::Let(l) => vec![&mut *l.pat],
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut out = let_patterns(&mut b.left);
            out.extend(let_patterns(&mut b.right));
            out
        }
        Expr::Paren(p) => let_patterns(&mut p.expr),
        _ => Vec::new(),
    }
}

/// The bindings of `pat` that are not `ref`, in order (the first
/// alternative of an or-pattern), with whether each is `mut`.
fn by_value(pat: &Pat, out: &mut Vec<Rebound>) {
    let ref_bound: HashSet<String> = {
        struct Refs(HashSet<String>);
        impl<'ast> syn::visit::Visit<'ast> for Refs {
            fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
                if p.by_ref.is_some() {
                    self.0.insert(p.ident.to_string());
                }
                syn::visit::visit_pat_ident(self, p);
            }
        }
        let mut refs = Refs(HashSet::new());
        syn::visit::Visit::visit_pat(&mut refs, pat);
        refs.0
    };
    for declared in crate::analyse::bindings(pat) {
        let name = declared.ident.to_string();
        if !ref_bound.contains(&name) && !out.iter().any(|(i, _)| *i == name) {
            out.push((declared.ident, declared.mutable));
        }
    }
}

/// Takes `mut` off the bindings of `pat` named in `idents`.
fn drop_mut(pat: &mut Pat, idents: &[Ident]) {
    struct DropMut<'a>(&'a [Ident]);
    impl VisitMut for DropMut<'_> {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            if self.0.contains(&p.ident) {
                p.mutability = None;
            }
            visit_mut::visit_pat_ident_mut(self, p);
        }
    }
    DropMut(idents).visit_pat_mut(pat);
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn rebound(body: &str, names: &[&str]) -> String {
        let mut block: Block = syn::parse_str(body).unwrap();
        let names = names.iter().map(|n| n.to_string()).collect();
        let mut taken = crate::names::idents_in(block.to_token_stream());
        rebind(&mut block, &names, &mut taken);
        let file: syn::File = syn::parse_quote!(fn f() #block);
        prettyplease::unparse(&file)
    }

    #[test]
    fn an_arm_binds_its_values_again_in_order() {
        let out = rebound(
            "{ match p { (mut a, ref b, c) if a > 0 => { let r = &a; g().await; r.len() + c } _ => 0 } }",
            &["a"],
        );
        assert!(out.contains("(a, ref b, c) if a > 0 =>"), "{out}");
        assert!(out.contains("let mut a_2 = a;\n"), "{out}");
        assert!(out.contains("let c_2 = c;\n"), "{out}");
        assert!(out.contains("let r = &a_2;"), "{out}");
        assert!(out.contains("r.len() + c_2"), "{out}");
        assert!(!out.contains("b_2"), "{out}");
    }

    #[test]
    fn loops_lets_and_other_names_are_left() {
        let out = rebound(
            "{ for (k, v) in m { let r = &v; g(k).await; } let (x, y) = pair; h(&x).await; println!(\"{y}\"); let s = 1; }",
            &["v", "x"],
        );
        assert!(out.contains("let k_2 = k;\n"), "{out}");
        assert!(out.contains("let r = &v_2;"), "{out}");
        assert!(out.contains("g(k_2).await"), "{out}");
        assert!(out.contains("let x_2 = x;\n"), "{out}");
        assert!(
            out.contains("h(&x_2, \"{y_2}\")") || out.contains("y = y_2"),
            "{out}"
        );
        let out = rebound("{ match p { Some(n) => n, None => 0 } }", &["v"]);
        assert!(!out.contains("_2"), "{out}");
    }
}
