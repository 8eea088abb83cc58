//! Lifetimes of sub-futures that borrow from several arguments at once:
//! which awaited calls need a common lifetime, and how a method's `self`
//! is borrowed for an argument's lifetime or the other way around.

use super::*;

impl Emitter<'_> {
    /// A call tying `self` and its reference arguments to one lifetime
    /// (`self.stream.write_all(msg)`, see [`ties_lifetimes`]) in a method
    /// without a common `'future` lifetime: the arguments' borrows are made
    /// with a lifetime left to inference (`desugar_runtime::detach`), so the
    /// one they share is the receiver's own, which the signature names,
    /// whatever `Self` is (`write_all(unsafe { detach_shared(msg) })`).
    /// `None` when an argument borrows in a way this cannot reach
    /// (`msg.as_bytes()` with `msg: &str`): then the receiver's lifetime is
    /// left to inference instead ([`erase_receiver_lifetime`]).
    pub(super) fn forge_argument_lifetimes(&self, future: &Expr) -> Option<Expr> {
        let mentions_self = |e: &Expr| crate::analyse::mentions(e).iter().any(|m| m.name == "self");
        // The reference parameters (`msg: &[u8]`), by name: `Some(true)`
        // for `&mut`.
        let references: std::collections::HashMap<String, bool> = self
            .function
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(t) => match (&*t.pat, &*t.ty) {
                    (syn::Pat::Ident(p), syn::Type::Reference(r)) => {
                        Some((p.ident.to_string(), r.mutability.is_some()))
                    }
                    _ => None,
                },
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        let mut future = future.clone();
        let args = match &mut future {
            Expr::MethodCall(m) if mentions_self(&m.receiver) => &mut m.args,
            Expr::Call(c) => &mut c.args,
            _ => return None,
        };
        for arg in args.iter_mut() {
            if mentions_self(arg) {
                continue;
            }
            // SAFETY (of the generated block): only the borrow's lifetime
            // changes; the sub-future it goes into lives inside the machine,
            // which captures the argument's lifetime and so cannot outlive
            // it, and the borrow-checked copy of the body checks the same
            // call with the real lifetimes.
            let forged: Option<Expr> = match &*arg {
                Expr::Path(p) => {
                    let name = p.path.get_ident().map(|i| i.to_string());
                    match name.as_ref().and_then(|n| references.get(n)) {
                        Some(true) => Some(
                            syn::parse_quote!(unsafe { ::desugar_runtime::detach(&mut *#arg) }),
                        ),
                        Some(false) => Some(
                            syn::parse_quote!(unsafe { ::desugar_runtime::detach_shared(#arg) }),
                        ),
                        None => None,
                    }
                }
                Expr::Reference(r) if r.mutability.is_some() => {
                    Some(syn::parse_quote!(unsafe { ::desugar_runtime::detach(#arg) }))
                }
                Expr::Reference(_) => {
                    Some(syn::parse_quote!(unsafe { ::desugar_runtime::detach_shared(#arg) }))
                }
                // A view of a parameter that is a reference itself
                // (`tag.as_bytes()`).
                Expr::MethodCall(m)
                    if m.args.is_empty()
                        && matches!(
                            m.method.to_string().as_str(),
                            "as_bytes" | "as_str" | "as_slice" | "trim" | "trim_start" | "trim_end"
                        ) =>
                {
                    Some(syn::parse_quote!(unsafe { ::desugar_runtime::detach_shared(#arg) }))
                }
                _ => None,
            };
            match forged {
                Some(forged) => *arg = forged,
                // Anything else must hold no borrow the signature names: a
                // literal (`b"\r\n"`), or a value made of no local at all
                // (a local may hold a borrow of a parameter: `val` bound by
                // `match frame { Frame::Bulk(val) => .. }`).
                None => {
                    let mentions_a_local = crate::analyse::mentions(arg).iter().any(|m| {
                        self.bindings.contains(&m.name) || references.contains_key(&m.name)
                    });
                    if mentions_a_local {
                        return None;
                    }
                }
            }
        }
        Some(future)
    }
}

/// Whether some awaited expression mentions two or more of the function's
/// bindings, so that its sub-future may borrow from several arguments at once (see
/// [`signature::rewrite`]).
pub(super) fn borrows_from_several(program: &Program, bindings: &HashSet<String>) -> bool {
    program
        .awaits
        .iter()
        .any(|point| mentions_several(&point.future, bindings))
}

pub(super) fn binding_names(layout: &Layout) -> HashSet<String> {
    layout
        .bindings
        .iter()
        .map(|b| b.ident.to_string())
        .collect()
}

/// Whether `future` mentions two or more of `bindings`.
pub(super) fn mentions_several(future: &Expr, bindings: &HashSet<String>) -> bool {
    let names: HashSet<String> = crate::analyse::mentions(future)
        .into_iter()
        // The receiver's binding is `__self`.
        .map(|m| {
            if m.name == "self" {
                "__self".to_string()
            } else {
                m.name
            }
        })
        .filter(|name| bindings.contains(name))
        .collect();
    names.len() >= 2
}

/// Whether the sub-future `future` is made by a call known to tie its
/// receiver and its reference arguments to one lifetime
/// (`write_all<'a>(&'a mut self, src: &'a [u8]) -> WriteAll<'a, Self>`:
/// tokio's and futures' `AsyncReadExt`, `AsyncWriteExt`,
/// `AsyncBufReadExt`, and `io::copy`). Any other call is taken to be an
/// `async fn`, whose future keeps each argument's lifetime apart, unless
/// the function says otherwise (`#[desugar(tied_lifetimes)]`).
pub(super) fn ties_lifetimes(future: &Expr) -> bool {
    const TIED: &[&str] = &[
        "read",
        "read_buf",
        "read_exact",
        "read_to_end",
        "read_to_string",
        "read_until",
        "read_line",
        "read_vectored",
        "write",
        "write_buf",
        "write_all",
        "write_all_buf",
        "write_vectored",
        "copy",
        "copy_buf",
        "copy_bidirectional",
    ];
    let name = match future {
        Expr::MethodCall(m) => m.method.to_string(),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => match p.path.segments.last() {
                Some(last) => last.ident.to_string(),
                None => return false,
            },
            _ => return false,
        },
        _ => return false,
    };
    TIED.contains(&name.as_str())
}

/// `self` in `future`, when its sub-future borrows from `self` and from
/// other arguments at once in a method that has no common `'future`
/// lifetime (see [`signature::rewrite`]) and the call ties them to one
/// lifetime ([`ties_lifetimes`]): a reborrow of `*self` whose lifetime is
/// left to inference (`desugar_runtime::detach`). The sub-future's type
/// then holds the other arguments' lifetimes, which the signature names,
/// instead of their intersection with the receiver's, which it cannot
/// (E0700); the receiver's type must outlive them (with a generic `Self`,
/// E0309). Other calls borrow `self` for its own lifetime, which the
/// signature names. `mutable` is the receiver's `&mut`.
pub(super) fn erase_receiver_lifetime(future: &Expr, mutable: bool) -> Expr {
    struct Erase(bool);
    impl syn::visit_mut::VisitMut for Erase {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::Path(p) = expr {
                if p.qself.is_none() && p.path.is_ident("self") {
                    // SAFETY (of the generated block): only the borrow's
                    // lifetime changes; the future it goes into lives inside
                    // the machine, which cannot outlive the receiver's
                    // lifetime (it captures it), and the borrow-checked copy
                    // of the body checks the same expression with the real
                    // lifetimes.
                    *expr = if self.0 {
                        syn::parse_quote!((*unsafe { ::desugar_runtime::detach(&mut *self) }))
                    } else {
                        syn::parse_quote!((*unsafe { ::desugar_runtime::detach_shared(&*self) }))
                    };
                    return;
                }
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
        fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
        fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
        fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
    }
    let mut future = future.clone();
    syn::visit_mut::VisitMut::visit_expr_mut(&mut Erase(mutable), &mut future);
    future
}

/// `future` with each closure that does not `move` and mentions no local
/// but those of `shared` (shared references the machine made into its
/// state) made a `move` closure: it copies the references rather than
/// borrowing them, locals of the poll.
pub(super) fn move_closures_over(
    future: &Expr,
    shared: &[&Ident],
    locals: &HashSet<String>,
) -> Expr {
    struct Moves<'a> {
        shared: &'a [&'a Ident],
        locals: &'a HashSet<String>,
    }
    impl syn::visit_mut::VisitMut for Moves<'_> {
        fn visit_expr_closure_mut(&mut self, c: &mut syn::ExprClosure) {
            if c.capture.is_none() {
                let mentioned: Vec<String> = crate::analyse::mentions(&c.body)
                    .into_iter()
                    .map(|m| m.name)
                    .filter(|name| self.locals.contains(name))
                    .collect();
                if !mentioned.is_empty()
                    && mentioned
                        .iter()
                        .all(|name| self.shared.iter().any(|s| *s == name))
                {
                    c.capture = Some(Default::default());
                }
            }
            syn::visit_mut::visit_expr_closure_mut(self, c);
        }
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
    }
    let mut future = future.clone();
    if !shared.is_empty() {
        syn::visit_mut::VisitMut::visit_expr_mut(&mut Moves { shared, locals }, &mut future);
    }
    future
}
