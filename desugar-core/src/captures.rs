//! Stage 2c, with [`crate::guards`], [`crate::chains`] and [`crate::rests`]:
//! closures that only copy the locals they capture.
//!
//! In: the body and the names its parameters bind. Out: the same body
//! where a closure that does not `move` and uses each local of the function
//! it mentions only as an operand taken by value (`x * factor`, `-n`,
//! `(a, b)`, `let y = n;`, `n as u64`, `v[i]`) is made `move`. Natively such
//! a closure captures a `Copy` local by reference; kept across an `.await`,
//! that reference would point to the local's place in an earlier poll (the
//! machine moves its locals from state to state), and the compiler refuses
//! it (E0373). Captured by value, it holds a copy with the same value: while
//! the closure lives, the local is borrowed and cannot change. A local that
//! is not `Copy`, used by value, is moved into the closure either way. (One
//! difference remains: a `Copy` type that is `Send` but not `Sync`, which
//! is rare, makes the native closure `!Send`, through the reference, and
//! this one `Send`.)
//!
//! ```text
//! let factor = compute();                  let factor = compute();
//! let scale = |x: u32| x * factor;    →    let scale = move |x: u32| x * factor;
//! for item in items {                      for item in items {
//!     send(scale(item)).await;                 send(scale(item)).await;
//! }                                        }
//! ```
//!
//! Any other use leaves the closure alone: a comparison (`n == name`
//! borrows `name`), a method's receiver or a call's argument (a `&mut`
//! reference passed there is reborrowed, not moved), a field, a macro, a
//! nested closure, or a name the closure also declares. Closures inside
//! nested items are left alone.

use std::collections::HashSet;

use syn::visit::Visit;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, UnOp};

/// Makes `move` the closures of `body` that only copy what they capture
/// (see the module docs). `params` are the names the parameters bind.
pub fn copy_captures(body: &mut syn::Block, params: &HashSet<String>) {
    let mut locals = params.clone();
    let mut declared = Declared {
        names: &mut locals,
        closures: false,
    };
    declared.visit_block(body);
    CopyCaptures { locals: &locals }.visit_block_mut(body);
}

/// The names bound by patterns (outside closures, with `closures: false`).
struct Declared<'a> {
    names: &'a mut HashSet<String>,
    closures: bool,
}

impl<'ast> Visit<'ast> for Declared<'_> {
    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        self.names.insert(p.ident.to_string());
        syn::visit::visit_pat_ident(self, p);
    }
    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        if self.closures {
            syn::visit::visit_expr_closure(self, c);
        }
    }
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `format!("{}", { let n = ..; n })`
        if let Some(args) = crate::rewrite::MacroExprs::parse(mac) {
            args.exprs.iter().for_each(|e| self.visit_expr(e));
        }
    }
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

struct CopyCaptures<'a> {
    locals: &'a HashSet<String>,
}

impl VisitMut for CopyCaptures<'_> {
    fn visit_expr_closure_mut(&mut self, c: &mut syn::ExprClosure) {
        visit_mut::visit_expr_closure_mut(self, c);
        if c.capture.is_none() && c.asyncness.is_none() && only_copies(c, self.locals) {
            c.capture = Some(syn::Token![move](c.or1_token.span));
        }
    }
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // the arguments of a macro with `.await`s, which the machine splits
        // (`format!("{}", { let f = |q| q + k; f(x.await) })`)
        crate::rewrite::MacroExprs::visit_mut(mac, |e| self.visit_expr_mut(e));
    }
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Whether closure `c` mentions at least one of `locals`, each only as an
/// operand taken by value.
fn only_copies(c: &syn::ExprClosure, locals: &HashSet<String>) -> bool {
    // The closure's parameters hide the locals of their names.
    let mut params = HashSet::new();
    let mut declared = Declared {
        names: &mut params,
        closures: true,
    };
    c.inputs.iter().for_each(|p| declared.visit_pat(p));
    let outer: HashSet<String> = locals.difference(&params).cloned().collect();
    let mut inner = HashSet::new();
    let mut declared = Declared {
        names: &mut inner,
        closures: true,
    };
    declared.visit_expr(&c.body);
    let mut check = Uses {
        locals: &outer,
        inner: &inner,
        ok: true,
        found: false,
    };
    check.value(&c.body);
    check.ok && check.found
}

/// Walks a closure's body: `ok` turns false at a use of a local that is
/// not an operand taken by value.
struct Uses<'a> {
    locals: &'a HashSet<String>,
    /// The names the closure itself declares.
    inner: &'a HashSet<String>,
    ok: bool,
    found: bool,
}

impl Uses<'_> {
    /// The local a bare name means (`factor`), if it is one.
    fn local<'e>(&self, expr: &'e Expr) -> Option<&'e syn::Ident> {
        match expr {
            Expr::Path(p) if p.qself.is_none() => p
                .path
                .get_ident()
                .filter(|i| self.locals.contains(&i.to_string())),
            _ => None,
        }
    }

    /// An operand taken by value.
    fn value(&mut self, expr: &Expr) {
        match self.local(expr) {
            Some(ident) => {
                self.found = true;
                self.ok &= !self.inner.contains(&ident.to_string());
            }
            None => self.visit_expr(expr),
        }
    }

    fn block(&mut self, block: &syn::Block) {
        for stmt in &block.stmts {
            match stmt {
                syn::Stmt::Local(l) => {
                    if let Some(init) = &l.init {
                        self.value(&init.expr);
                        if let Some((_, diverge)) = &init.diverge {
                            self.visit_expr(diverge);
                        }
                    }
                }
                syn::Stmt::Expr(e, None) => self.value(e),
                other => self.visit_stmt(other),
            }
        }
    }
}

impl<'ast> Visit<'ast> for Uses<'_> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        if self.local(expr).is_some() {
            // anywhere not taken by value below
            self.ok = false;
            return;
        }
        match expr {
            // A comparison borrows both operands; `+=` changes its left.
            Expr::Binary(b) => {
                let compares = crate::analyse::is_comparison(&b.op);
                match compares || crate::analyse::is_compound_assign(&b.op) {
                    true => self.visit_expr(&b.left),
                    false => self.value(&b.left),
                }
                match compares {
                    true => self.visit_expr(&b.right),
                    false => self.value(&b.right),
                }
            }
            Expr::Unary(u) if !matches!(u.op, UnOp::Deref(_)) => self.value(&u.expr),
            Expr::Cast(c) => self.value(&c.expr),
            Expr::Paren(p) => self.value(&p.expr),
            Expr::Tuple(t) => t.elems.iter().for_each(|e| self.value(e)),
            Expr::Array(a) => a.elems.iter().for_each(|e| self.value(e)),
            Expr::Struct(s) => {
                s.fields.iter().for_each(|f| self.value(&f.expr));
                if let Some(rest) = &s.rest {
                    self.visit_expr(rest);
                }
            }
            Expr::Index(i) => {
                self.visit_expr(&i.expr);
                self.value(&i.index);
            }
            Expr::Return(syn::ExprReturn { expr: Some(e), .. })
            | Expr::Break(syn::ExprBreak { expr: Some(e), .. }) => self.value(e),
            Expr::Assign(a) => {
                self.visit_expr(&a.left);
                self.value(&a.right);
            }
            Expr::Block(b) => self.block(&b.block),
            Expr::If(i) => {
                self.value(&i.cond);
                self.block(&i.then_branch);
                if let Some((_, e)) = &i.else_branch {
                    self.value(e);
                }
            }
            Expr::Match(m) => {
                self.visit_expr(&m.expr);
                for arm in &m.arms {
                    if let Some((_, guard)) = &arm.guard {
                        self.value(guard);
                    }
                    self.value(&arm.body);
                }
            }
            Expr::Closure(_) | Expr::Async(_) => {
                let names = crate::names::idents_in(quote::ToTokens::to_token_stream(expr));
                self.ok &= !names.iter().any(|n| self.locals.contains(n));
            }
            _ => syn::visit::visit_expr(self, expr),
        }
    }
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let names = crate::names::idents_in(mac.tokens.clone());
        self.ok &= !names.iter().any(|n| self.locals.contains(n));
    }
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(body: &str, params: &[&str]) -> String {
        let mut block: syn::Block = syn::parse_str(body).unwrap();
        let params = params.iter().map(|p| p.to_string()).collect();
        copy_captures(&mut block, &params);
        quote::ToTokens::to_token_stream(&block).to_string()
    }

    #[test]
    fn operands_taken_by_value_make_the_closure_move() {
        let out = after(
            "{ let factor = f(); let scale = |x: u32| x * factor; }",
            &[],
        );
        assert!(out.contains("move | x : u32 | x * factor"), "{out}");
        let out = after("{ let f = |i| (base + i, -base, base as u64); }", &["base"]);
        assert!(out.contains("move | i |"), "{out}");
        // a parameter named like a local of the function hides it
        let out = after("{ let x = 1; let k = 2; let f = |x: u32| x * k; }", &[]);
        assert!(out.contains("move | x : u32 |"), "{out}");
    }

    #[test]
    fn any_other_use_leaves_the_closure_alone() {
        for body in [
            "{ let n = s(); let f = |x: &String| *x == n; }",
            "{ let v = s(); let f = || v.len(); }",
            "{ let v = s(); let f = || consume(v); }",
            "{ let v = s(); let f = || v.0 + 1; }",
            "{ let v = s(); let f = || format!(\"{v}\"); }",
            "{ let v = s(); let f = || { let v = 2; v + 1 }; }",
            "{ let mut t = 0; let mut f = |x| t += x; }",
            "{ let f = |x: u32| x * LIMIT; }",
            "{ let k = 1; let f = move |x: u32| x * k; }",
        ] {
            let out = after(body, &[]);
            assert_eq!(
                out.matches("move").count(),
                body.matches("move").count(),
                "{out}"
            );
        }
    }
}
