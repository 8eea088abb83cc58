//! What the syntax shows about borrows, views and moves.
//!
//! In: expressions, patterns and types of the body. Out: small facts read
//! off them without types (the local a `&x` or `x.iter()` borrows, whether a
//! method makes a view, the names a closure captures by reference), used
//! by the flow graph and by the choice of slots.

use super::*;

/// Whether the body can be borrow-checked as written (see
/// [`Layout::checked`]). Its `.await`s (rewritten to calls) must not hide in
/// macro arguments that do not read as expressions. The copy is a closure
/// with the function's parameters (at most 12, for when one is `impl
/// Trait`: see `desugar_runtime::as_written_check`) and output (an `impl
/// Trait` in it is inferred, `_`).
pub(super) fn checkable(function: &AsyncFn) -> bool {
    let opaque = quote::ToTokens::to_token_stream(&function.sig.inputs);
    let few = function.sig.inputs.len() <= 12 || !crate::names::idents_in(opaque).contains("impl");
    few && !awaits_in_macros(&function.body)
}

/// Whether an `.await` of the function sits inside macro arguments that do
/// not read as expressions.
pub(super) fn awaits_in_macros(body: &syn::Block) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            // Read as expressions, its `.await`s are seen like the others.
            match crate::rewrite::MacroExprs::of(mac) {
                Some(args) => args.exprs.iter().for_each(|e| self.visit_expr(e)),
                None => self.0 |= analyse::find_await_tokens(&mac.tokens).is_some(),
            }
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_block(&mut finder, body);
    finder.0
}

/// The plain names that receive method calls in `expr` (`tmp0` in
/// `tmp0.and(output).total()`), or are dereferenced (`*tmp0`, with `tmp0 =
/// cfg.limit()`): a temporary used so may be a reference into what it was
/// made from.
pub(super) fn method_receivers(expr: &Expr) -> Vec<String> {
    struct Find(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            if let Expr::Path(p) = &*m.receiver {
                self.0.extend(p.path.get_ident().map(|i| i.to_string()));
            }
            syn::visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_unary(&mut self, u: &'ast syn::ExprUnary) {
            if let (syn::UnOp::Deref(_), Expr::Path(p)) = (&u.op, &*u.expr) {
                self.0.extend(p.path.get_ident().map(|i| i.to_string()));
            }
            syn::visit::visit_expr_unary(self, u);
        }
    }
    let mut find = Find(Vec::new());
    syn::visit::Visit::visit_expr(&mut find, expr);
    find.0
}

/// The names a value may borrow through a closure or `async` block that
/// does not `move`: every name such a closure mentions (the bindings among
/// them count), when the value is the closure (`let add = |x| x + k;`) or
/// may hold it, because it was passed to the call that made the value
/// (`unfold(0, |i| ..)`, `items.iter().map(|x| x + k)`). A call that
/// reduces to a plain value (`.sum()`, `.count()`, `.collect()`) holds no
/// closure it was given.
pub(super) fn captured_by_reference(expr: &Expr) -> HashSet<String> {
    /// Iterator methods whose result holds no closure passed before them.
    const REDUCERS: &[&str] = &[
        "all",
        "any",
        "collect",
        "count",
        "find",
        "fold",
        "for_each",
        "last",
        "max",
        "max_by_key",
        "min",
        "min_by_key",
        "nth",
        "position",
        "product",
        "sum",
    ];
    match expr {
        Expr::Closure(c) if c.capture.is_none() => {
            crate::names::idents_in(quote::ToTokens::to_token_stream(&c.body))
        }
        Expr::Async(a) if a.capture.is_none() => {
            crate::names::idents_in(quote::ToTokens::to_token_stream(&a.block))
        }
        Expr::Paren(p) => captured_by_reference(&p.expr),
        Expr::Try(t) => captured_by_reference(&t.expr),
        Expr::Call(c) => c.args.iter().flat_map(captured_by_reference).collect(),
        Expr::MethodCall(m) if !REDUCERS.contains(&m.method.to_string().as_str()) => m
            .args
            .iter()
            .chain([&*m.receiver])
            .flat_map(captured_by_reference)
            .collect(),
        _ => HashSet::new(),
    }
}

/// The binding an expression's value comes from, if it is that binding
/// (`b`, `b?`, `b.unwrap()`, `IntoIterator::into_iter(b)`, a `for` loop's
/// iterator): what it borrows, the value borrows too.
pub(super) fn made_from(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        Expr::Try(t) => made_from(&t.expr),
        Expr::Paren(p) => made_from(&p.expr),
        Expr::MethodCall(m) if analyse::consumes_receiver(m) => made_from(&m.receiver),
        Expr::Call(c) if c.args.len() == 1 && is_into_iter(&c.func) => made_from(&c.args[0]),
        _ => None,
    }
}

/// Whether `func` is a path to `into_iter` (`IntoIterator::into_iter`).
pub(super) fn is_into_iter(func: &Expr) -> bool {
    matches!(func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "into_iter"))
}

/// Whether an iterator made by `expr` yields references or copies:
/// `IntoIterator::into_iter(&items)`, `items.iter()`, `line.chars()`,
/// followed by adapters that keep that (`enumerate`, `rev`, `skip`, `take`,
/// `filter`, `copied`, ...).
pub(super) fn iterates_views(expr: &Expr) -> bool {
    const KEEPING: &[&str] = &[
        "enumerate",
        "rev",
        "skip",
        "take",
        "step_by",
        "filter",
        "peekable",
        "copied",
        "skip_while",
        "take_while",
    ];
    match strip_parens(expr) {
        Expr::Call(c) if c.args.len() == 1 && is_into_iter(&c.func) => {
            matches!(strip_parens(&c.args[0]), Expr::Reference(_)) || iterates_views(&c.args[0])
        }
        Expr::Range(_) => true,
        Expr::MethodCall(m) => {
            let method = m.method.to_string();
            VIEW_METHODS.contains(&method.as_str())
                || KEEPING.contains(&method.as_str()) && iterates_views(&m.receiver)
        }
        _ => false,
    }
}

/// `expr` without the parentheses (and invisible groups) around it.
pub(super) fn strip_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => strip_parens(&p.expr),
        Expr::Group(g) => strip_parens(&g.expr),
        other => other,
    }
}

/// Where the bindings of `pat` matched against `scrutinee` come from:
/// `ref` bindings borrow the scrutinee, as `&scrutinee` would.
pub(super) fn pattern_origin(pat: &syn::Pat, scrutinee: &Expr) -> Expr {
    if analyse::binds_ref(pat) {
        syn::parse_quote!(&#scrutinee)
    } else {
        scrutinee.clone()
    }
}

/// The patterns of the `let`s in a condition (`if let`, let chains).
pub(crate) fn let_patterns(cond: &Expr) -> Vec<&syn::Pat> {
    match cond {
        Expr::Let(l) => vec![&*l.pat],
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut out = let_patterns(&b.left);
            out.extend(let_patterns(&b.right));
            out
        }
        Expr::Paren(p) => let_patterns(&p.expr),
        _ => Vec::new(),
    }
}

/// `x`, `mut x`, `x: T`: a pattern that binds one name and nothing else.
pub(crate) fn is_plain(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Ident(p) => p.by_ref.is_none() && p.subpat.is_none(),
        syn::Pat::Type(t) => is_plain(&t.pat),
        _ => false,
    }
}

/// The elements of a tuple, array or struct literal (in parentheses or
/// not), each of which may be a borrow.
pub(super) fn parts(expr: &Expr) -> Vec<Expr> {
    match expr {
        Expr::Paren(p) => parts(&p.expr),
        // `Some(&e)`, `Ok((&a, 1))`, `Wrapper(&x)`: a tuple struct or
        // variant holds its fields
        Expr::Call(c) if is_tuple_constructor(&c.func) => c
            .args
            .iter()
            .flat_map(|arg| std::iter::once(arg.clone()).chain(parts(arg)))
            .collect(),
        Expr::Tuple(t) => t.elems.iter().cloned().collect(),
        Expr::Array(a) => a.elems.iter().cloned().collect(),
        Expr::Struct(s) => s.fields.iter().map(|f| f.expr.clone()).collect(),
        // `vec![&a, &b]`
        Expr::Macro(m) if m.mac.path.is_ident("vec") => crate::rewrite::MacroExprs::parse(&m.mac)
            .map(|args| args.exprs)
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Whether `func` names a tuple struct or an enum variant (`Some`,
/// `Ok`, `Message::Data`): its last segment is capitalised, unlike a
/// function's or a method's (`Client::new`).
pub(super) fn is_tuple_constructor(func: &Expr) -> bool {
    matches!(strip_parens(func), Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident.to_string().starts_with(char::is_uppercase)))
}

/// The names an `.await` polls as futures: `fut` in `fut.await` or
/// `(&mut fut).await`, and the futures given to the combinators that race,
/// join or bound them (`select(a, b)`, `timeout(d, fut)`, `Box::pin(fut)`).
pub(super) fn futures_awaited(future: &Expr) -> Vec<String> {
    const COMBINATORS: &[&str] = &[
        "select",
        "select_biased",
        "join",
        "try_join",
        "race",
        "timeout",
        "timeout_at",
        "pin",
        "select_ok",
        "join_all",
        "try_join_all",
        "select_all",
    ];
    match strip_parens(future) {
        Expr::Path(p) => p
            .path
            .get_ident()
            .map(|i| i.to_string())
            .into_iter()
            .collect(),
        Expr::Reference(r) => futures_awaited(&r.expr),
        Expr::MethodCall(m) if m.method == "as_mut" => futures_awaited(&m.receiver),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p)
                if p.path
                    .segments
                    .last()
                    .is_some_and(|s| COMBINATORS.contains(&s.ident.to_string().as_str())) =>
            {
                c.args.iter().flat_map(futures_awaited).collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Whether a block holds an `.await` of its own (not in a closure or
/// `async` block inside).
pub(super) fn block_awaits(block: &syn::Block) -> bool {
    analyse::has_await(&analyse::block_expr(block))
}

/// The local a future was made from in place: `x` in `x` (a move),
/// `&mut x`, `x.as_mut()`, `Pin::new_unchecked(&mut x)`, `Box::pin(x)`.
pub(super) fn future_made_from(origin: &Expr) -> Option<String> {
    match strip_parens(origin) {
        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        Expr::Reference(r) if r.mutability.is_some() => future_made_from(&r.expr),
        Expr::MethodCall(m) if m.method == "as_mut" => future_made_from(&m.receiver),
        // `unsafe { Pin::new_unchecked(&mut x) }` (a `pin!` written out)
        Expr::Unsafe(u) => match u.block.stmts.as_slice() {
            [Stmt::Expr(e, None)] => future_made_from(e),
            _ => None,
        },
        Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| {
                    matches!(
                        s.ident.to_string().as_str(),
                        "new_unchecked" | "new" | "pin"
                    )
                }) =>
            {
                future_made_from(&c.args[0])
            }
            _ => None,
        },
        _ => None,
    }
}

/// The locals a future made by `origin` may borrow: the receiver of a
/// method (`rx.recv()`, `self.store.fetch(key)`), what its arguments
/// borrow (`rx.next(&log)`, `fetch(&url)`), also through a call wrapping
/// it (`Box::pin(rx.recv())`, `timeout(d, rx.recv())`).
pub(super) fn future_borrows(origin: &Expr) -> Vec<String> {
    let (receiver, args) = match strip_parens(origin) {
        Expr::MethodCall(m) if !analyse::consumes_receiver(m) => (place_root(&m.receiver), &m.args),
        Expr::MethodCall(m) => (None, &m.args),
        Expr::Call(c) => (None, &c.args),
        _ => return Vec::new(),
    };
    receiver
        .into_iter()
        .chain(args.iter().flat_map(|arg| {
            let nested = match strip_parens(arg) {
                Expr::MethodCall(_) | Expr::Call(_) => future_borrows(arg),
                _ => Vec::new(),
            };
            borrowed_local(arg).into_iter().chain(nested)
        }))
        .collect()
}

/// The local an expression borrows and keeps borrowed in its value, read
/// off the syntax: `&x`, `&mut x.field`, `x.iter()...`, `x.lock()`,
/// `IntoIterator::into_iter(&x)` (a `for` loop's iterator).
pub(super) fn borrowed_local(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Paren(p) => borrowed_local(&p.expr),
        Expr::Group(g) => borrowed_local(&g.expr),
        Expr::Reference(r) => place_root(&r.expr),
        Expr::Call(c) if c.args.len() == 1 && is_into_iter(&c.func) => borrowed_local(&c.args[0]),
        // A constructor given a unique reference keeps it, usually
        // (`BufWriter::new(&mut out)`, `Framed::new(&mut stream, codec)`).
        // One given a shared reference more often copies from it
        // (`Client::new(&config)`).
        // A view of its argument (`std::str::from_utf8(&buf)`,
        // `Path::new(&name)`).
        Expr::Call(c) if is_view_function(&c.func) => c.args.first().and_then(borrowed_local),
        Expr::Call(c) if is_constructor(&c.func) => c.args.iter().find_map(|arg| match arg {
            Expr::Reference(r) if r.mutability.is_some() => place_root(&r.expr),
            _ => None,
        }),
        Expr::MethodCall(m) => {
            if analyse::BORROWING_METHODS.contains(&m.method.to_string().as_str()) {
                if let Some(root) = place_root(&m.receiver) {
                    return Some(root);
                }
            }
            // `x.iter().map(...)`, `x.lock().unwrap()`: the chain keeps the
            // borrow its start made.
            borrowed_local(&m.receiver)
        }
        Expr::Try(t) => borrowed_local(&t.expr),
        _ => None,
    }
}

/// Whether a value made by `origin` may hold a borrow of the local `name`
/// (`&name`, `name.iter()`, `(&a, &name)`, a closure using it), not only
/// read it (`format!("{name}")`, `name.len()`).
pub(super) fn origin_borrows(origin: &Expr, name: &str) -> bool {
    borrowed_local(origin).is_some_and(|l| l == name)
        || parts(origin)
            .iter()
            .any(|part| borrowed_local(part).is_some_and(|l| l == name))
        || captured_by_reference(origin).iter().any(|c| c == name)
}

/// The names that receive an inner link of the method chain `future` is
/// (`tmp0` in `tmp0.header(x).send()`), not the awaited call itself, where
/// that link is not a well-known borrowing method.
pub(super) fn chain_link_receivers(future: &Expr) -> HashSet<String> {
    let mut out = HashSet::new();
    let Expr::MethodCall(awaited) = strip_parens(future) else {
        return out;
    };
    let mut at = strip_parens(&awaited.receiver);
    while let Expr::MethodCall(link) = at {
        let receiver = strip_parens(&link.receiver);
        if !analyse::keeps_receiver(&link.method.to_string()) {
            if let Expr::Path(p) = receiver {
                if let Some(ident) = p.path.get_ident() {
                    out.insert(ident.to_string());
                }
            }
        }
        at = receiver;
    }
    out
}

/// The locals borrowed by the arguments of the method calls of a chain
/// whose value may keep them: `ys` in `xs.iter().zip(ys.iter())`, `b` in
/// `a.iter().chain(&b)`. Only iterator adapters that keep their argument.
pub(super) fn chain_argument_borrows(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = expr;
    loop {
        match at {
            Expr::Paren(p) => at = &p.expr,
            Expr::Try(t) => at = &t.expr,
            Expr::Call(c) if c.args.len() == 1 && is_into_iter(&c.func) => at = &c.args[0],
            Expr::MethodCall(m) => {
                if matches!(m.method.to_string().as_str(), "zip" | "chain") {
                    out.extend(m.args.iter().filter_map(borrowed_local));
                }
                at = &m.receiver;
            }
            _ => return out,
        }
    }
}

/// Whether a path or type names tokio's or futures' `oneshot` module
/// (`oneshot::channel`, `tokio::sync::oneshot::Sender<T>`).
pub(super) fn mentions_oneshot(tokens: &impl quote::ToTokens) -> bool {
    crate::names::idents_in(tokens.to_token_stream()).contains("oneshot")
}

/// Whether `func` is a standard function whose result borrows its
/// argument: `str::from_utf8(&buf)`, `String::from_utf8_lossy(&bytes)`,
/// `Path::new(&name)`, `OsStr::new(&name)`.
pub(super) fn is_view_function(func: &Expr) -> bool {
    let names = crate::names::path_segments(func);
    let last = names.last().map(String::as_str);
    let pair = match names.as_slice() {
        [.., ty, f] => Some((ty.as_str(), f.as_str())),
        _ => None,
    };
    matches!(
        last,
        Some("from_utf8" | "from_utf8_mut" | "from_utf8_unchecked" | "from_utf8_lossy")
    ) || matches!(pair, Some(("Path" | "OsStr", "new")))
}

/// Whether `func` names a constructor: `T::new`, `T::new_*`, `T::with_*`.
pub(super) fn is_constructor(func: &Expr) -> bool {
    let Expr::Path(p) = func else {
        return false;
    };
    p.path.segments.len() >= 2
        && p.path.segments.last().is_some_and(|last| {
            let name = last.ident.to_string();
            name == "new" || name.starts_with("new_") || name.starts_with("with_")
        })
}

/// `x`, `x.field`, `x[i]`, `*x`: the local a place expression is part of.
/// The names a reference that may outlive its expression can be taken of:
/// the root of a `&place`, of the receiver of a method that does not take
/// `self`, of a scrutinee matched with `ref` bindings, and every name in a
/// macro's arguments or a closure or `async` block that does not `move`.
/// Reads in place (`n < max`, `v.len` fields, `x + 1`) are not in it.
/// `receivers`: with the receivers of methods.
pub(super) fn referenced_names(body: &syn::Block, receivers: bool) -> HashSet<String> {
    struct Refs(HashSet<String>, bool);
    impl Refs {
        fn root(&mut self, expr: &Expr) {
            self.0.extend(place_root(expr));
        }
        fn all(&mut self, tokens: proc_macro2::TokenStream) {
            self.0.extend(crate::names::idents_in(tokens));
        }
        fn by_ref(&mut self, pat: &syn::Pat, scrutinee: &Expr) {
            if analyse::binds_ref(pat) {
                self.root(scrutinee);
            }
        }
    }
    impl<'ast> syn::visit::Visit<'ast> for Refs {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            match expr {
                Expr::Reference(r) => self.root(&r.expr),
                Expr::MethodCall(m) if self.1 && !analyse::consumes_receiver(m) => {
                    self.root(&m.receiver)
                }
                Expr::Closure(c) if c.capture.is_none() => {
                    self.all(quote::ToTokens::to_token_stream(&c.body));
                }
                Expr::Async(a) if a.capture.is_none() => {
                    self.all(quote::ToTokens::to_token_stream(&a.block));
                }
                Expr::Match(m) => {
                    for arm in &m.arms {
                        self.by_ref(&arm.pat, &m.expr);
                    }
                }
                Expr::Let(l) => self.by_ref(&l.pat, &l.expr),
                _ => {}
            }
            syn::visit::visit_expr(self, expr);
        }
        fn visit_local(&mut self, local: &'ast syn::Local) {
            if let Some(init) = &local.init {
                self.by_ref(&local.pat, &init.expr);
            }
            syn::visit::visit_local(self, local);
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            self.all(mac.tokens.clone());
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut refs = Refs(HashSet::new(), receivers);
    syn::visit::Visit::visit_block(&mut refs, body);
    refs.0
}

pub(crate) fn place_root(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        // `*guard`: a place behind `guard`'s `Deref`, which `&*guard` borrows
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => place_root(&u.expr),
        Expr::Field(f) => place_root(&f.base),
        Expr::Index(i) => place_root(&i.expr),
        Expr::Paren(p) => place_root(&p.expr),
        Expr::Group(g) => place_root(&g.expr),
        _ => None,
    }
}

/// Whether `expr` holds a branch or a loop (outside closures and `async`
/// blocks): code whose statements do not all run, in order, once.
/// Whether a macro's arguments read as expressions and one of them has
/// control flow ([`has_flow`]).
pub(super) fn macro_has_flow(mac: &syn::Macro) -> bool {
    crate::rewrite::MacroExprs::parse(mac).is_some_and(|args| args.exprs.iter().any(has_flow))
}

pub(super) fn has_flow(expr: &Expr) -> bool {
    analyse::any_in(expr, &|e| match e {
        Expr::If(_)
        | Expr::Match(_)
        | Expr::Loop(_)
        | Expr::While(_)
        | Expr::ForLoop(_)
        | Expr::Return(_)
        | Expr::Break(_)
        | Expr::Continue(_)
        | Expr::Try(_) => true,
        Expr::Binary(b) => matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)),
        _ => false,
    })
}

/// Whether a written type is a `&mut` reference.
pub(super) fn is_mut_reference(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => r.mutability.is_some(),
        syn::Type::Paren(p) => is_mut_reference(&p.elem),
        _ => false,
    }
}

/// Whether a parameter's written type is an `FnOnce`: `impl FnOnce(..)`,
/// or a type parameter bounded by `FnOnce` in `generics` (inline or in the
/// `where` clause).
pub(super) fn is_fn_once(ty: &syn::Type, generics: &syn::Generics) -> bool {
    pub(super) fn bounded(
        bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
    ) -> bool {
        bounds.iter().any(|b| match b {
            syn::TypeParamBound::Trait(t) => {
                t.path.segments.last().is_some_and(|s| s.ident == "FnOnce")
            }
            _ => false,
        })
    }
    match ty {
        syn::Type::ImplTrait(t) => bounded(&t.bounds),
        syn::Type::Paren(p) => is_fn_once(&p.elem, generics),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(name) = p.path.get_ident() else {
                return false;
            };
            let inline = generics
                .type_params()
                .any(|t| t.ident == *name && bounded(&t.bounds));
            let in_where = generics
                .where_clause
                .iter()
                .flat_map(|w| &w.predicates)
                .any(|pred| {
                    matches!(pred, syn::WherePredicate::Type(t)
                    if matches!(&t.bounded_ty, syn::Type::Path(b) if b.path.is_ident(name))
                        && bounded(&t.bounds))
                });
            inline || in_where
        }
        _ => false,
    }
}

/// Standard methods whose value is a reference or a borrowing view with
/// nothing to drop (`map.entry(k).or_insert(0)`, `line.trim()`,
/// `items.iter()`).
pub(super) const VIEW_METHODS: &[&str] = &[
    "or_insert",
    "or_insert_with",
    "or_insert_with_key",
    "or_default",
    "as_str",
    "as_slice",
    "as_mut_slice",
    "as_bytes",
    "trim",
    "trim_start",
    "trim_end",
    "trim_matches",
    "trim_start_matches",
    "trim_end_matches",
    "iter",
    "iter_mut",
    "chars",
    "char_indices",
    "split_whitespace",
    "split_ascii_whitespace",
    "split",
    "splitn",
    "rsplit",
    "rsplitn",
    "split_terminator",
    "split_inclusive",
    "split_at",
    "split_at_mut",
    "matches",
    "match_indices",
    "windows",
    "chunks",
    "keys",
    "values",
    "values_mut",
];

/// Standard methods whose value is an `Option` of references
/// (`items.first()`, `s.split_once(' ')`).
pub(super) const OPTIONAL_VIEW_METHODS: &[&str] = &[
    "first",
    "last",
    "first_mut",
    "last_mut",
    "strip_prefix",
    "strip_suffix",
    "split_once",
    "rsplit_once",
    "split_at_checked",
    "as_deref",
    "as_deref_mut",
    "peek",
];

/// Whether `init` surely makes a value with nothing to drop: a reference
/// or a view made by a standard method, `unwrap`ped or `?`ed when it is an
/// `Option` of references (`items.first().unwrap()`). Such a local is kept
/// only while it is used, as natively (not to the end of its scope), so
/// that what it borrows can move after its last use. Methods that some
/// common types use for guards (`get`, `get_mut`: `DashMap`'s) are not
/// among them.
pub(super) fn surely_a_view(init: &Expr) -> bool {
    pub(super) fn optional_view(expr: &Expr) -> bool {
        match strip_parens(expr) {
            // `line.split_once(' ').ok_or("no space")?`
            Expr::MethodCall(m)
                if matches!(m.method.to_string().as_str(), "ok_or" | "ok_or_else") =>
            {
                optional_view(&m.receiver)
            }
            Expr::MethodCall(m) => OPTIONAL_VIEW_METHODS.contains(&m.method.to_string().as_str()),
            _ => false,
        }
    }
    match strip_parens(init) {
        Expr::Reference(_) => true,
        Expr::Try(t) => optional_view(&t.expr),
        Expr::MethodCall(m) => {
            let method = m.method.to_string();
            match method.as_str() {
                "unwrap" | "expect" => optional_view(&m.receiver),
                // `nick.as_deref().unwrap_or("anon")`: a view, or the
                // default given (a literal or another view).
                "unwrap_or" => {
                    optional_view(&m.receiver)
                        && m.args.first().is_some_and(|d| {
                            matches!(strip_parens(d), Expr::Lit(_)) || surely_a_view(d)
                        })
                }
                method => VIEW_METHODS.contains(&method),
            }
        }
        _ => false,
    }
}

/// The local whose method `origin` calls, when that method may return a
/// borrow of it, as a getter does (`cfg.name()` with `fn name(&self) ->
/// &str`): any method not known to take `self` or to return an owned value
/// (see `analyse::returns_owned`).
pub(super) fn getter_receiver(origin: &Expr) -> Option<String> {
    match strip_parens(origin) {
        Expr::MethodCall(m)
            if is_local_path(strip_parens(&m.receiver))
                && !analyse::consumes_receiver(m)
                && !analyse::returns_owned(&m.method.to_string()) =>
        {
            place_root(&m.receiver)
        }
        Expr::Try(t) => getter_receiver(&t.expr),
        _ => None,
    }
}

/// Whether the local `name` can be kept in a slot that its moves empty
/// (see `rewrite::pin_places`): a move of the whole local from a by-value
/// position becomes `locals.name.take()` (a call's or method's argument,
/// `let y = name;`, `return name`, `Some(name)`, the receiver of a method
/// known to take `self`), and any other use reaches the place `(*name)`,
/// where a move the macro cannot see is a compile error ("cannot move out
/// of `*name`"). Not when a `match` or `if let` on it binds by value (`match
/// name { Some(x) => .. }`: the arms could not tell whether to take it), or
/// when a closure or a macro other than `println!` and its kin names it.
pub(super) fn slot_takes_every_move(body: &syn::Block, name: &str) -> bool {
    use syn::visit::Visit;
    struct Check<'a> {
        name: &'a str,
        ok: bool,
    }
    impl Check<'_> {
        fn is_name(&self, expr: &Expr) -> bool {
            matches!(strip_parens(expr), Expr::Path(p)
                if p.qself.is_none() && p.path.is_ident(self.name))
        }
        fn mentioned(&self, tokens: proc_macro2::TokenStream) -> bool {
            crate::names::idents_in(tokens).contains(self.name)
        }
    }
    impl<'ast> Visit<'ast> for Check<'_> {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            match expr {
                Expr::Match(m) if self.is_name(&m.expr) => {
                    let pats = m.arms.iter().map(|a| &a.pat);
                    self.ok &= analyse::scrutinee_use(pats) != Use::Move;
                    syn::visit::visit_expr(self, expr);
                }
                Expr::Let(l) if self.is_name(&l.expr) => {
                    self.ok &= analyse::scrutinee_use([&*l.pat]) != Use::Move;
                }
                Expr::Closure(_) | Expr::Async(_) => {
                    self.ok &= !self.mentioned(quote::ToTokens::to_token_stream(expr));
                }
                _ => syn::visit::visit_expr(self, expr),
            }
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            if !self.mentioned(mac.tokens.clone()) {
                return;
            }
            // `println!("{}", name)` borrows it; anything else in the
            // arguments (`format!("{}", { drop(name); 0 })`) stays tokens,
            // where the slot could not take a move
            let formats = crate::lower::MacroArgs::borrows(&crate::lower::macro_name(mac));
            // (`"{name}"` in the format string borrows it too)
            let bare = |e: &Expr| {
                self.is_name(e)
                    || matches!(e, Expr::Lit(_))
                    || !self.mentioned(quote::ToTokens::to_token_stream(e))
            };
            self.ok &= formats
                && crate::rewrite::MacroExprs::parse(mac)
                    .is_some_and(|args| args.exprs.iter().all(bare));
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut check = Check { name, ok: true };
    check.visit_block(body);
    check.ok
}
