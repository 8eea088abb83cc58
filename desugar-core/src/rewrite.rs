//! `?`, `return` and `self` inside the step closure.
//!
//! In: user code that runs inside the step closure. Out: the same code,
//! where the three constructs that would mean something else inside a
//! closure are spelled out:
//!
//! | written | becomes |
//! |---|---|
//! | `return value` | `{ let output = value; *state = Name::Done; return Poll::Ready(output) }` |
//! | `expr?` | `match Try::branch(expr) { Continue(v) => v, Break(r) => { *state = Name::Done; return Poll::Ready(FromResidual::from_residual(r)) } }` |
//! | `self` | `__self` (a closure cannot have a parameter named `self`) |
//! | `break`/`continue` to a loop holding `.await`s | a jump: store the state to go to, `continue` the step loop |
//!
//! Closures, `async` blocks and nested items are left alone: a `return`, `?`
//! or `self` there belongs to them.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Expr, Stmt};

use crate::names::mentions_any;
use std::collections::HashMap;

/// Rewrites code of one function's body.
pub struct Rewriter {
    /// The enum's name.
    pub enum_name: Ident,
    /// The `&mut` state inside the step closure: `state`, unless the
    /// function has its own `state` (then `machine_state`): hygiene keeps
    /// them apart anyway, but a reader should too.
    pub state: Ident,
    /// Locals kept in slots ([`Layout::pinned`]): code reaches them through
    /// a raw pointer of the same name, `(*items)`, inside `unsafe`.
    ///
    /// [`Layout::pinned`]: crate::layout::Layout::pinned
    pub pinned: Vec<Ident>,
    /// Those of [`Rewriter::pinned`] whose type is surely `Copy`: a use by
    /// value reads `(*n)` instead of taking the value out of its slot.
    pub pinned_copies: Vec<Ident>,
    /// Those of [`Rewriter::pinned`] whose slots take turns in one place,
    /// with that place's field (see [`crate::layout::SharedSlots`]): taken
    /// as `locals.a_or_b.a().take()`.
    pub pinned_shared: HashMap<String, Ident>,
    /// The pinned locals declared `mut`: a closure that surely mutates one
    /// captures it by `&mut` (see `pin_places`).
    pub pinned_mutable: Vec<Ident>,
    /// Every local of the body (see `pin_places`: a closure that captures
    /// only locals in slots may capture their references by value).
    pub locals: Vec<Ident>,
    /// `#[desugar(trace)]`: returns and `?` report themselves to
    /// `desugar_runtime::trace` first.
    pub trace: bool,
    /// With `trace`: the outputs of the `.await`s of the statement being
    /// rewritten and their sub-futures, so that the trace shows `f(a).await?`
    /// rather than `output?`.
    pub outputs: std::cell::RefCell<Vec<(Ident, Expr)>>,
    /// The locals the arm being written does not have, declared again
    /// without a value and without a written type: code after a `return`
    /// (never run, but type-checked) that mentions one is left out, since
    /// `let x;` alone would not say its type.
    pub absent: std::cell::RefCell<Vec<Ident>>,
}

/// A `break` or `continue` that leaves the code being rewritten, for the
/// emitter to turn into a jump between states.
pub struct Jump<'a> {
    /// `true` for `break`, `false` for `continue`.
    pub is_break: bool,
    /// The label, if any.
    pub label: Option<&'a syn::Lifetime>,
    /// The value of `break value` (already rewritten).
    pub value: Option<&'a Expr>,
    /// Whether it sits inside an await-free loop of the verbatim code, so
    /// that a plain `continue` would go to that loop.
    pub in_loop: bool,
}

/// Turns a [`Jump`] into code, or `None` to leave it as written.
pub type Jumps<'a> = &'a dyn Fn(&Jump<'_>) -> Option<TokenStream>;

fn no_jumps(_: &Jump<'_>) -> Option<TokenStream> {
    None
}

impl Rewriter {
    /// Rewrites a statement.
    pub fn stmt(&self, stmt: &Stmt, jumps: Jumps<'_>) -> Stmt {
        let mut stmt = stmt.clone();
        self.visitor(jumps).visit_stmt_mut(&mut stmt);
        self.protect_stmt(stmt)
    }

    /// Rewrites an expression.
    pub fn expr(&self, expr: &Expr, jumps: Jumps<'_>) -> Expr {
        let mut expr = expr.clone();
        self.visitor(jumps).visit_expr_mut(&mut expr);
        self.protect(expr)
    }

    /// Code that mentions a pinned local: `items` becomes `(*items)` (the
    /// place the slot's pointer points to), inside `unsafe`. A `let` in a
    /// condition keeps its pattern outside.
    fn protect(&self, expr: Expr) -> Expr {
        self.protect_as(expr, true)
    }

    /// [`Rewriter::protect`]; `by_value`: whether the whole expression's
    /// value is moved (a `let x = items;`) or only looked at (`let _ =`,
    /// a scrutinee).
    fn protect_as(&self, expr: Expr, by_value: bool) -> Expr {
        self.protect_with(expr, by_value, false)
    }

    /// [`Rewriter::protect_as`]; `fn_mut`: the expression is a closure
    /// bound with `let mut` (it mutates what it captures, see
    /// `pin_places`).
    fn protect_with(&self, expr: Expr, by_value: bool, fn_mut: bool) -> Expr {
        if self.pinned.is_empty() || !mentions_any(&expr.to_token_stream(), &self.pinned) {
            return expr;
        }
        match expr {
            Expr::Let(mut l) => {
                *l.expr = self.protect_as(*l.expr, false);
                Expr::Let(l)
            }
            Expr::Binary(mut b) if matches!(b.op, syn::BinOp::And(_)) => {
                *b.left = self.protect(*b.left);
                *b.right = self.protect(*b.right);
                Expr::Binary(b)
            }
            other => {
                let inner = match pin_places(other, self.pins(), by_value, fn_mut) {
                    // `(&mut fut).await`: the parentheses would be
                    // unnecessary around the block's value (`unused_parens`).
                    // Others stay: `(match x { .. } + 1)` needs them there.
                    Expr::Paren(p)
                        if p.attrs.is_empty()
                            && matches!(*p.expr, Expr::Reference(_) | Expr::Path(_)) =>
                    {
                        *p.expr
                    }
                    // Already an `unsafe` block (a written-out `pin!`).
                    inner @ Expr::Unsafe(_) => return inner,
                    inner => inner,
                };
                // SAFETY (of the generated block): the pointer is the slot's,
                // valid while the local is in scope; the function's body is
                // also emitted as written in a never-called closure, so the
                // compiler has checked every borrow made through it.
                syn::parse_quote!(unsafe { #inner })
            }
        }
    }

    /// The pinned locals, as `pin_places` takes them.
    fn pins(&self) -> PinnedNames<'_> {
        PinnedNames {
            names: &self.pinned,
            copies: &self.pinned_copies,
            mutable: &self.pinned_mutable,
            shared: &self.pinned_shared,
            locals: &self.locals,
        }
    }

    fn protect_stmt(&self, stmt: Stmt) -> Stmt {
        match stmt {
            Stmt::Local(mut local) => {
                let by_value = crate::analyse::let_use(&local.pat) == crate::analyse::Use::Move;
                let by_ref = crate::analyse::binds_ref(&local.pat);
                if let Some(init) = &mut local.init {
                    let place = crate::lower::is_place(&init.expr);
                    let mentions = mentions_any(&init.expr.to_token_stream(), &self.pinned);
                    *init.expr = if by_ref && place && mentions {
                        // `let (ref a, b) = pair;` with `pair` in a slot: the
                        // pattern borrows the place, through a reference
                        // (an `unsafe` block's value would be a move).
                        let inner = pin_places((*init.expr).clone(), self.pins(), false, false);
                        let mutability =
                            crate::analyse::binds_ref_mut(&local.pat).then(|| quote!(mut));
                        syn::parse_quote!(*unsafe { &#mutability #inner })
                    } else {
                        // `let mut record = |e| events.push(e);`
                        let fn_mut = matches!(&local.pat, syn::Pat::Ident(p) if p.mutability.is_some())
                            && matches!(&*init.expr, Expr::Closure(c) if c.capture.is_none());
                        self.protect_with((*init.expr).clone(), by_value, fn_mut)
                    };
                    if let Some((_, diverge)) = &mut init.diverge {
                        **diverge = self.protect((**diverge).clone());
                    }
                }
                Stmt::Local(local)
            }
            Stmt::Expr(expr, semi) => Stmt::Expr(self.protect(expr), semi),
            Stmt::Macro(mac) if mentions_any(&mac.mac.tokens, &self.pinned) => {
                let semi = mac.semi_token.unwrap_or_default();
                let expr = Expr::Macro(syn::ExprMacro {
                    attrs: mac.attrs,
                    mac: mac.mac,
                });
                Stmt::Expr(self.protect(expr), Some(semi))
            }
            other => other,
        }
    }

    /// Rewrites the head of a construct (a condition or scrutinee). A
    /// pinned local in it is reached as a place (`match (*m)`), without an
    /// `unsafe` block around it; the second value says the construct needs
    /// one around it.
    ///
    /// `moves`: the construct moves the head's value out (a `match` whose
    /// patterns bind by value): a pinned local there is taken out of its
    /// slot.
    pub fn head(&self, expr: &Expr, moves: bool, jumps: Jumps<'_>) -> (Expr, bool) {
        let mut expr = expr.clone();
        self.visitor(jumps).visit_expr_mut(&mut expr);
        if self.pinned.is_empty() || !mentions_any(&expr.to_token_stream(), &self.pinned) {
            return (expr, false);
        }
        (pin_places(expr, self.pins(), moves, false), true)
    }

    /// Rewrites an expression that cannot hold jumps out of it.
    pub fn plain(&self, expr: &Expr) -> Expr {
        self.expr(expr, &no_jumps)
    }

    /// Rewrites a pattern (only `self` can need it, inside macros).
    pub fn pat(&self, pat: &syn::Pat) -> syn::Pat {
        let mut pat = pat.clone();
        self.visitor(&no_jumps).visit_pat_mut(&mut pat);
        pat
    }

    fn visitor<'a>(&'a self, jumps: Jumps<'a>) -> Visitor<'a> {
        Visitor {
            rewriter: self,
            jumps,
            loops: Vec::new(),
        }
    }

    /// `return value` as the step closure must do it. With tracing on,
    /// `shown` (the value as written) is reported first.
    pub fn finish(&self, value: TokenStream, shown: Option<&str>) -> TokenStream {
        let done = match shown {
            Some(shown) if self.trace => quote!(::desugar_runtime::trace::done(#shown);),
            _ => TokenStream::new(),
        };
        if !self.pinned.is_empty() {
            // The arm's locals are dropped first, then the pinned ones (see
            // `emit`: the arm is a block labeled `'finish`).
            let label = finish_label();
            let output = Ident::new("output", Span::mixed_site());
            return quote! {
                let #output = #value;
                #done
                break #label #output;
            };
        }
        let name = &self.enum_name;
        let state = &self.state;
        let output = Ident::new("output", Span::mixed_site());
        quote! {
            let #output = #value;
            #done
            *#state = #name::Done;
            return ::core::task::Poll::Ready(#output);
        }
    }
}

impl Rewriter {
    /// `expr` with each output in [`Rewriter::outputs`] replaced by its
    /// `.await`: `x + output` becomes `x + f(a).await`.
    pub fn as_awaits(&self, expr: &impl ToTokens) -> TokenStream {
        as_awaits(expr.to_token_stream(), &self.outputs.borrow())
    }
}

fn as_awaits(tokens: TokenStream, outputs: &[(Ident, Expr)]) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|tree| -> TokenStream {
            match tree {
                TokenTree::Ident(ident) => match outputs.iter().find(|(o, _)| *o == ident) {
                    Some((_, future)) => quote!(#future.await),
                    None => quote!(#ident),
                },
                TokenTree::Group(group) => {
                    let mut inner =
                        Group::new(group.delimiter(), as_awaits(group.stream(), outputs));
                    inner.set_span(group.span());
                    TokenTree::Group(inner).into()
                }
                other => other.into(),
            }
        })
        .collect()
}

/// Short source text of an expression for the trace: compact, on one line,
/// without tabs, at most 60 characters.
pub fn shown(tokens: &impl ToTokens) -> String {
    // A `*` that starts an operand is a dereference: `*r`, not `* r`.
    // One line, without tabs (a multi-line string literal): the trace file
    // has one poll per line, a tab after the function's name.
    let compact = crate::emit::compact(tokens).replace(['\n', '\r', '\t'], " ");
    // A `*` that starts an operand is a dereference: `*r`, not `* r`.
    let mut text = String::with_capacity(compact.len());
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        text.push(c);
        let before = text[..text.len() - 1].trim_end().chars().last();
        let starts_operand = before.is_none_or(|b| "(,=+-*/%!&|^<>[{;:".contains(b));
        if c == '*' && starts_operand && chars.peek() == Some(&' ') {
            chars.next();
        }
    }
    match text.char_indices().nth(59) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// The label of an arm's block when pinned locals must be dropped after
/// the arm's own locals and before the output is returned.
pub fn finish_label() -> syn::Lifetime {
    syn::Lifetime {
        apostrophe: Span::mixed_site(),
        ident: Ident::new("finish", Span::mixed_site()),
    }
}

/// The identifier of the `&mut` state inside the step closure for a body
/// that uses these identifiers.
pub fn state_ident(used: &std::collections::HashSet<String>) -> Ident {
    let mut name = "state".to_string();
    let mut n = 1;
    while used.contains(&name) {
        name = if n == 1 {
            "machine_state".to_string()
        } else {
            format!("machine_state{n}")
        };
        n += 1;
    }
    Ident::new(&name, Span::mixed_site())
}

/// Renames `self` only: used inside closures and `async` blocks, whose
/// `return` and `?` are their own but whose `self` is the method's.
struct SelfOnly;

impl VisitMut for SelfOnly {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Path(p) if p.qself.is_none() && p.path.is_ident("self") => {
                let ident = Ident::new("__self", p.path.segments[0].ident.span());
                *expr = syn::parse_quote!(#ident);
            }
            _ => syn::visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = rename_self(mac.tokens.clone());
    }
}

struct Visitor<'a> {
    rewriter: &'a Rewriter,
    jumps: Jumps<'a>,
    /// The await-free loops and labeled blocks around the code being
    /// visited: (label, is a loop).
    loops: Vec<(Option<String>, bool)>,
}

impl Visitor<'_> {
    /// Visits the body of an await-free loop or labeled block.
    fn inside(&mut self, label: Option<&syn::Label>, is_loop: bool, expr: &mut Expr) {
        self.loops
            .push((label.map(|l| l.name.ident.to_string()), is_loop));
        syn::visit_mut::visit_expr_mut(self, expr);
        self.loops.pop();
    }

    /// Whether a `break`/`continue` goes to a loop or block written here.
    fn is_local(&self, label: Option<&syn::Lifetime>) -> bool {
        match label {
            Some(label) => {
                let name = label.ident.to_string();
                self.loops
                    .iter()
                    .any(|(l, _)| l.as_deref() == Some(name.as_str()))
            }
            None => self.loops.iter().any(|(_, is_loop)| *is_loop),
        }
    }
}

impl VisitMut for Visitor<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        // `{ return x; n.len() }` with `n` absent: `{ return x; }`.
        let leaves = block.stmts.iter().position(crate::lower::evaluation_leaves);
        syn::visit_mut::visit_block_mut(self, block);
        if let Some(k) = leaves {
            let absent = self.rewriter.absent.borrow();
            let dead = &block.stmts[k + 1..];
            if !absent.is_empty()
                && dead
                    .iter()
                    .any(|s| mentions_any(&s.to_token_stream(), &absent))
            {
                block.stmts.truncate(k + 1);
            }
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        // `({ return x; 0 }) + n?` with `n` absent: `({ return x; })`;
        // likewise `match ({ continue; 0 }) { k if n.len() > k => .. }`.
        // (the prefix first: most expressions have none, and printing one
        // to look for names is the costly part)
        if !self.rewriter.absent.borrow().is_empty() {
            if let Some(mut leaves) = leaving_prefix(expr)
                .filter(|_| mentions_any(&expr.to_token_stream(), &self.rewriter.absent.borrow()))
            {
                self.visit_expr_mut(&mut leaves);
                *expr = leaves;
                return;
            }
        }
        match expr {
            Expr::Loop(l) => {
                let label = l.label.clone();
                self.inside(label.as_ref(), true, expr);
            }
            Expr::While(w) => {
                let label = w.label.clone();
                self.inside(label.as_ref(), true, expr);
            }
            Expr::ForLoop(f) => {
                let label = f.label.clone();
                self.inside(label.as_ref(), true, expr);
            }
            Expr::Block(b) if b.label.is_some() => {
                let label = b.label.clone();
                self.inside(label.as_ref(), false, expr);
            }
            Expr::Break(b) => {
                if let Some(e) = &mut b.expr {
                    self.visit_expr_mut(e);
                }
                if !self.is_local(b.label.as_ref()) {
                    let jump = Jump {
                        is_break: true,
                        label: b.label.as_ref(),
                        value: b.expr.as_deref(),
                        in_loop: self.loops.iter().any(|(_, is_loop)| *is_loop),
                    };
                    if let Some(code) = (self.jumps)(&jump) {
                        *expr = syn::parse_quote!({ #code });
                    }
                }
            }
            Expr::Continue(c) => {
                if !self.is_local(c.label.as_ref()) {
                    let jump = Jump {
                        is_break: false,
                        label: c.label.as_ref(),
                        value: None,
                        in_loop: self.loops.iter().any(|(_, is_loop)| *is_loop),
                    };
                    if let Some(code) = (self.jumps)(&jump) {
                        *expr = syn::parse_quote!({ #code });
                    }
                }
            }
            Expr::Try(t) => {
                let traced = self.rewriter.trace.then(|| {
                    let shown = shown(&self.rewriter.as_awaits(&t.expr));
                    quote!(::desugar_runtime::trace::residual(#shown);)
                });
                self.visit_expr_mut(&mut t.expr);
                let inner = &t.expr;
                let name = &self.rewriter.enum_name;
                let state = &self.rewriter.state;
                let value = Ident::new("value", Span::mixed_site());
                let residual = Ident::new("residual", Span::mixed_site());
                let span = t.question_token.span;
                let finish = if self.rewriter.pinned.is_empty() {
                    quote! {
                        #traced
                        *#state = #name::Done;
                        return ::core::task::Poll::Ready(
                            ::desugar_runtime::FromResidual::from_residual(#residual),
                        );
                    }
                } else {
                    let finish = self.rewriter.finish(
                        quote!(::desugar_runtime::FromResidual::from_residual(#residual)),
                        None,
                    );
                    quote!(#traced #finish)
                };
                *expr = syn::parse_quote_spanned! {span=>
                    match ::desugar_runtime::Try::branch(#inner) {
                        ::core::ops::ControlFlow::Continue(#value) => #value,
                        ::core::ops::ControlFlow::Break(#residual) => {
                            #finish
                        }
                    }
                };
            }
            Expr::Return(r) => {
                let shown = match &r.expr {
                    Some(e) => shown(&self.rewriter.as_awaits(e)),
                    None => "()".to_string(),
                };
                if let Some(e) = &mut r.expr {
                    self.visit_expr_mut(e);
                }
                let value = match &r.expr {
                    Some(e) => quote!(#e),
                    None => quote!(()),
                };
                let finish = self.rewriter.finish(value, Some(&shown));
                let span = r.span();
                *expr = syn::parse_quote_spanned!(span=> { #finish });
            }
            Expr::Path(p) if p.qself.is_none() && p.path.is_ident("self") => {
                let ident = Ident::new("__self", p.path.segments[0].ident.span());
                *expr = syn::parse_quote!(#ident);
            }
            Expr::Closure(_) | Expr::Async(_) => SelfOnly.visit_expr_mut(expr),
            _ => syn::visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // `println!("{}", parse(s)?)`: a `?`, `return`, `break` or
        // `continue` in arguments that read as expressions means what it
        // means outside the macro, so it is rewritten like the rest.
        if has_control_tokens(&mac.tokens) {
            if let Some(mut args) = MacroExprs::parse(mac) {
                args.exprs.iter_mut().for_each(|e| self.visit_expr_mut(e));
                mac.tokens = args.into_tokens();
                return;
            }
        }
        mac.tokens = rename_self(mac.tokens.clone());
    }
}

/// Whether macro tokens hold a `?`, `return`, `break` or `continue`
/// (outside closures and `async` blocks, which the rewrite leaves alone
/// anyway: a false positive only costs a parse).
fn has_control_tokens(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Punct(p) => p.as_char() == '?',
        TokenTree::Ident(i) => i == "return" || i == "break" || i == "continue",
        TokenTree::Group(g) => has_control_tokens(&g.stream()),
        TokenTree::Literal(_) => false,
    })
}

/// `self` → `__self` in macro tokens (but not `self::path`).
pub fn rename_self(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "self" => {
                let path_follows =
                    matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                if path_follows {
                    out.push(tree.clone());
                } else {
                    out.push(TokenTree::Ident(Ident::new("__self", ident.span())));
                }
            }
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), rename_self(group.stream()));
                new.set_span(group.span());
                out.push(TokenTree::Group(new));
            }
            other => out.push(other.clone()),
        }
    }
    out.into_iter().collect()
}

/// `buf` → `(*buf)` for each name in `names`, in `expr`.
pub fn deref_names(expr: Expr, names: &[&Ident]) -> Expr {
    struct Deref<'a>(&'a [&'a Ident]);
    impl Deref<'_> {
        fn hit(&self, ident: &Ident) -> bool {
            self.0.contains(&ident)
        }
    }
    impl VisitMut for Deref<'_> {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::Path(p) = expr {
                if let Some(ident) = p.path.get_ident() {
                    if p.qself.is_none() && self.hit(ident) {
                        *expr = deref_place(ident);
                        return;
                    }
                }
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
        fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
            if field.colon_token.is_none() {
                field.colon_token = Some(Default::default());
            }
            syn::visit_mut::visit_field_value_mut(self, field);
        }
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            mac.tokens = deref_tokens(mac.tokens.clone(), self.0);
        }
    }
    let mut expr = expr;
    Deref(names).visit_expr_mut(&mut expr);
    expr
}

/// `(*name)`, the place a pointer `name` points to, spelled with `name`'s
/// span: an error about the place (a move out of it) then points at the
/// user's `name`, not at the attribute.
fn deref_place(ident: &Ident) -> Expr {
    syn::parse2(quote::quote_spanned!(ident.span()=> (*#ident)))
        .expect("`(*name)` is an expression")
}

fn deref_tokens(tokens: TokenStream, names: &[&Ident]) -> TokenStream {
    let new = crate::names::replace_locals(&tokens, &|ident| {
        names.contains(&ident).then(|| {
            let mut group = Group::new(
                Delimiter::Parenthesis,
                quote::quote_spanned!(ident.span()=> *#ident),
            );
            group.set_span(ident.span());
            TokenTree::Group(group)
        })
    });
    // `"{prefix}"` captures `prefix` itself: pass the place by name
    crate::names::pass_captured_by_name(&tokens, new, |name| {
        names
            .iter()
            .find(|ident| **ident == name)
            .map(|ident| quote::quote_spanned!(ident.span()=> (*#ident)))
    })
}

/// Whether `body` holds a `move` closure or an `async move` block (not
/// inside a nested item).
fn has_move_block(body: &Expr) -> bool {
    struct Find(bool);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
            self.0 |= c.capture.is_some();
            syn::visit::visit_expr_closure(self, c);
        }
        fn visit_expr_async(&mut self, a: &'ast syn::ExprAsync) {
            self.0 |= a.capture.is_some();
            syn::visit::visit_expr_async(self, a);
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut find = Find(false);
    syn::visit::Visit::visit_expr(&mut find, body);
    find.0
}

/// Uses of pinned locals (kept in slots): where the value is moved out
/// (`f(items)`, `return items`, `let all = items;`), `locals.items.take()`;
/// anywhere else, the place `(*items)` the slot's pointer points to.
///
/// A `let`, closure parameter or pattern in `expr` that declares the same
/// name hides the pinned local in its scope (`for _ in 0..2 { let shared =
/// Arc::clone(&shared); }`): there the name is left alone.
/// The pinned locals' names: all, those of `Copy` values, those declared
/// `mut`.
#[derive(Clone, Copy)]
struct PinnedNames<'a> {
    names: &'a [Ident],
    copies: &'a [Ident],
    mutable: &'a [Ident],
    shared: &'a HashMap<String, Ident>,
    locals: &'a [Ident],
}

fn pin_places(expr: Expr, pinned: PinnedNames<'_>, by_value: bool, fn_mut: bool) -> Expr {
    let PinnedNames {
        names,
        copies,
        mutable,
        shared,
        locals,
    } = pinned;
    struct Pins<'c> {
        names: Vec<Ident>,
        /// Names of `Copy` values: used by value, they are copied out.
        copies: &'c [Ident],
        /// Names of locals declared `mut`.
        mutable: &'c [Ident],
        /// Names of locals whose slots take turns, with the place's field.
        shared: &'c HashMap<String, Ident>,
        /// The expression is a closure bound with `let mut`: it captures
        /// what it surely mutates by `&mut` (see [`mutated_in`]).
        fn_mut: bool,
        /// Every local of the body.
        locals: &'c [Ident],
    }
    impl Pins<'_> {
        /// Visits with the names `pats` declare hidden, then restores them.
        fn hiding<'p>(
            &mut self,
            pats: impl IntoIterator<Item = &'p syn::Pat>,
            visit: impl FnOnce(&mut Self),
        ) {
            let saved = self.names.clone();
            for pat in pats {
                self.hide(pat);
            }
            visit(self);
            self.names = saved;
        }
        fn hide(&mut self, pat: &syn::Pat) {
            let declared = crate::analyse::bindings(pat);
            self.names
                .retain(|n| declared.iter().all(|d| d.ident != *n));
        }
    }
    impl Pins<'_> {
        fn pinned(&self, expr: &Expr) -> Option<Ident> {
            match expr {
                Expr::Path(p) if p.qself.is_none() => p
                    .path
                    .get_ident()
                    .filter(|i| self.names.contains(i))
                    .cloned(),
                _ => None,
            }
        }

        /// The pinned locals `body` (of a closure or `async` block) mentions.
        fn captured(&self, body: &impl ToTokens) -> Vec<Ident> {
            let body = body.to_token_stream();
            self.names
                .iter()
                .filter(|n| mentions_any(&body, std::slice::from_ref(n)))
                .cloned()
                .collect()
        }

        /// Makes a closure or `async` block that does not `move` capture
        /// the pinned locals it borrows through references, not through the
        /// slot pointers, which are locals of the poll: it may outlive the
        /// poll (kept in a state, or awaited as the sub-future).
        fn capture_by_reference(expr: &mut Expr, captured: &[Ident], mutated: &[Ident]) {
            if captured.is_empty() {
                return;
            }
            // SAFETY (of the generated block): the slot outlives the
            // closure (the borrow-checked copy of the body shows the
            // closure's borrow ends within the local's scope); the place is
            // only read through it, or, for what an `FnMut` closure surely
            // mutates, the copy shows that its unique borrow is unique.
            let refs = captured.iter().map(|c| match mutated.contains(c) {
                true => quote!(&mut *#c),
                false => quote!(&*#c),
            });
            let inner = &*expr;
            *expr = syn::parse_quote!({
                let (#(#captured,)*) = unsafe { (#(#refs,)*) };
                #inner
            });
        }

        /// Visits an operand that is used by value.
        fn by_value(&mut self, expr: &mut Expr) {
            if let Some(ident) = self.pinned(expr).filter(|i| !self.copies.contains(i)) {
                let locals = Ident::new("locals", Span::mixed_site());
                *expr = match self.shared.get(&ident.to_string()) {
                    Some(group) => syn::parse_quote!(#locals.#group.#ident().take()),
                    None => syn::parse_quote!(#locals.#ident.take()),
                };
                return;
            }
            self.visit_expr_mut(expr);
        }
    }
    impl VisitMut for Pins<'_> {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Some(ident) = self.pinned(expr) {
                *expr = deref_place(&ident);
                return;
            }
            match expr {
                Expr::If(i) => {
                    self.visit_expr_mut(&mut i.cond);
                    let pats = crate::layout::let_patterns(&i.cond);
                    self.hiding(pats, |this| this.visit_block_mut(&mut i.then_branch));
                    if let Some((_, e)) = &mut i.else_branch {
                        self.visit_expr_mut(e);
                    }
                }
                Expr::While(w) => {
                    self.visit_expr_mut(&mut w.cond);
                    let pats = crate::layout::let_patterns(&w.cond);
                    self.hiding(pats, |this| this.visit_block_mut(&mut w.body));
                }
                Expr::ForLoop(f) => {
                    self.visit_expr_mut(&mut f.expr);
                    let pat = (*f.pat).clone();
                    self.hiding([&pat], |this| this.visit_block_mut(&mut f.body));
                }
                Expr::Closure(c) => {
                    let captured = self.captured(&c.body);
                    // What it surely mutates: anything, for a closure bound
                    // with `let mut` (an `FnMut`); else a local declared
                    // `mut` (only those can be borrowed mutably).
                    let mut mutated = mutated_in(&c.body, &captured);
                    if !std::mem::take(&mut self.fn_mut) {
                        mutated.retain(|m| self.mutable.contains(m));
                    }
                    // and a local declared `mut` it calls a method on that
                    // is not known to take `&self` (`rx.take_one()`)
                    for m in unknown_method_receivers(&c.body, &captured) {
                        if self.mutable.contains(&m) && !mutated.contains(&m) {
                            mutated.push(m);
                        }
                    }
                    // Through a nested `move` block (`|i| async move { i +
                    // base }`) the closure would capture the reference
                    // made for `base` by reference, a local of the poll:
                    // it captures it by value (`move`) when the locals it
                    // mentions are all in slots (their references are all
                    // it takes).
                    let only_slots = self
                        .locals
                        .iter()
                        .filter(|l| {
                            mentions_any(&c.body.to_token_stream(), std::slice::from_ref(l))
                        })
                        .all(|l| captured.contains(l));
                    let by_reference = c.capture.is_none();
                    if by_reference && only_slots && has_move_block(&c.body) {
                        c.capture = Some(Default::default());
                    }
                    let pats = c.inputs.clone();
                    self.hiding(&pats, |this| this.visit_expr_mut(&mut c.body));
                    if by_reference {
                        Self::capture_by_reference(expr, &captured, &mutated);
                    }
                }
                Expr::Async(a) => {
                    let captured = self.captured(&a.block);
                    // What it surely mutates, and a local declared `mut` it
                    // calls a method on that is not known to take `&self`
                    // (`tasks.join_next().await`, `rx.recv().await`).
                    let block = crate::analyse::block_expr(&a.block);
                    let mut mutated = mutated_in(&block, &captured);
                    mutated.extend(unknown_method_receivers(&block, &captured));
                    mutated.retain(|m| self.mutable.contains(m));
                    mutated.dedup();
                    self.visit_block_mut(&mut a.block);
                    if a.capture.is_none() {
                        Self::capture_by_reference(expr, &captured, &mutated);
                    }
                }
                Expr::Call(c) => {
                    self.visit_expr_mut(&mut c.func);
                    c.args.iter_mut().for_each(|a| self.by_value(a));
                }
                Expr::MethodCall(m) => {
                    if crate::analyse::consumes_receiver(m) {
                        self.by_value(&mut m.receiver);
                    } else {
                        self.visit_expr_mut(&mut m.receiver);
                    }
                    m.args.iter_mut().for_each(|a| self.by_value(a));
                }
                Expr::Tuple(t) => t.elems.iter_mut().for_each(|e| self.by_value(e)),
                Expr::Array(a) => a.elems.iter_mut().for_each(|e| self.by_value(e)),
                Expr::Struct(st) => st.fields.iter_mut().for_each(|f| {
                    if f.colon_token.is_none() {
                        f.colon_token = Some(Default::default());
                    }
                    self.by_value(&mut f.expr)
                }),
                Expr::Return(r) => {
                    if let Some(e) = &mut r.expr {
                        self.by_value(e);
                    }
                }
                Expr::Break(b) => {
                    if let Some(e) = &mut b.expr {
                        self.by_value(e);
                    }
                }
                Expr::Try(t) => self.by_value(&mut t.expr),
                _ => syn::visit_mut::visit_expr_mut(self, expr),
            }
        }
        fn visit_local_mut(&mut self, local: &mut syn::Local) {
            // `let gone = items;` inside the statement: a move, taken out
            // of the slot (a `let` that is a statement of its own is
            // rewritten by `Rewriter::protect_stmt`)
            if let Some(init) = &mut local.init {
                let moves = crate::analyse::let_use(&local.pat) == crate::analyse::Use::Move
                    && !crate::analyse::binds_ref(&local.pat);
                match moves {
                    true => self.by_value(&mut init.expr),
                    false => self.visit_expr_mut(&mut init.expr),
                }
                if let Some((_, diverge)) = &mut init.diverge {
                    self.visit_expr_mut(diverge);
                }
            }
        }
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let saved = self.names.clone();
            for stmt in &mut block.stmts {
                self.visit_stmt_mut(stmt);
                if let Stmt::Local(local) = stmt {
                    self.hide(&local.pat);
                }
            }
            self.names = saved;
        }
        fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
            let pat = arm.pat.clone();
            self.hiding([&pat], |this| {
                if let Some((_, guard)) = &mut arm.guard {
                    this.visit_expr_mut(guard);
                }
                this.visit_expr_mut(&mut arm.body);
            });
        }
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            // (`format!("{items:?}")` captures `items` from the format
            // string, where `items` is the slot's pointer: `deref_tokens`
            // passes the place by name, `items = (*items)`.)
            let names: Vec<&Ident> = self.names.iter().collect();
            let tokens = deref_tokens(mac.tokens.clone(), &names);
            mac.tokens = tokens;
        }
    }
    let mut expr = expr;
    let mut pins = Pins {
        names: names.to_vec(),
        copies,
        mutable,
        shared,
        fn_mut,
        locals,
    };
    if by_value {
        pins.by_value(&mut expr);
    } else {
        pins.visit_expr_mut(&mut expr);
    }
    expr
}

/// Methods of the standard collections, strings and iterators that take
/// `&mut self`: a closure bound with `let mut` that calls one on a captured
/// local captures it by `&mut`.
const MUTATING_METHODS: &[&str] = &[
    "push",
    "push_str",
    "push_back",
    "push_front",
    "pop",
    "pop_back",
    "pop_front",
    "insert",
    "remove",
    "extend",
    "extend_from_slice",
    "append",
    "clear",
    "truncate",
    "retain",
    "sort",
    "sort_by",
    "sort_by_key",
    "sort_unstable",
    "dedup",
    "reverse",
    "swap",
    "resize",
    "entry",
    "get_mut",
    "iter_mut",
    "next",
    "reserve",
    "drain",
];

/// The names among `captured` that `body` surely mutates: assigned
/// (`n += 1`), borrowed `&mut`, or the receiver of one of
/// [`MUTATING_METHODS`] (`events.push(e)`).
fn mutated_in(body: &Expr, captured: &[Ident]) -> Vec<Ident> {
    captured_roots(body, captured, |expr| match expr {
        Expr::Assign(a) => Some(&a.left),
        Expr::Binary(b) if crate::analyse::is_compound_assign(&b.op) => Some(&b.left),
        Expr::Reference(r) if r.mutability.is_some() => Some(&r.expr),
        Expr::MethodCall(m) if MUTATING_METHODS.contains(&m.method.to_string().as_str()) => {
            Some(&m.receiver)
        }
        _ => None,
    })
}

/// The names among `captured` that `body` calls a method on that is not
/// known to take `&self` (`tasks.join_next()`; not `items.len()`).
fn unknown_method_receivers(body: &Expr, captured: &[Ident]) -> Vec<Ident> {
    captured_roots(body, captured, |expr| match expr {
        Expr::MethodCall(m) if !crate::analyse::keeps_receiver(&m.method.to_string()) => {
            Some(&m.receiver)
        }
        _ => None,
    })
}

/// The names among `captured` that are the root of a place `pick` finds
/// in an expression of `body` (nested items left alone), each once.
fn captured_roots(
    body: &Expr,
    captured: &[Ident],
    pick: impl Fn(&Expr) -> Option<&Expr>,
) -> Vec<Ident> {
    struct Roots<'a, P> {
        captured: &'a [Ident],
        pick: P,
        out: Vec<Ident>,
    }
    impl<'ast, P: Fn(&Expr) -> Option<&Expr>> syn::visit::Visit<'ast> for Roots<'_, P> {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            let root = (self.pick)(expr).and_then(crate::layout::place_root);
            if let Some(ident) = root.and_then(|r| self.captured.iter().find(|c| **c == r)) {
                if !self.out.contains(ident) {
                    self.out.push(ident.clone());
                }
            }
            syn::visit::visit_expr(self, expr);
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut roots = Roots {
        captured,
        pick,
        out: Vec::new(),
    };
    syn::visit::Visit::visit_expr(&mut roots, body);
    roots.out
}

/// The body for the borrow-checking copy: `.await` becomes a call to
/// `desugar_runtime::as_written_await` (the copy is a plain closure), and
/// `self` becomes `__self` (a closure parameter cannot be `self`). Closures,
/// `async` blocks and items inside keep their own `.await`s.
///
/// `relocated` lists, for each `.await` in order, the locals the state
/// machine moves when it finishes (see `Layout::relocated`): the copy
/// borrows the live ones mutably right there
/// (`moved_by_await(as_written_await(f), (&mut items,))`), and gives the
/// dead ones a new value (`pair = dead_value()`), so that a borrow of one
/// still in use after the `.await` is a compile error; the plain names the
/// body declares become `mut` to allow it. A list that does not match the
/// body's `.await`s is ignored. The second value says whether any move was
/// marked.
pub fn as_written(body: &syn::Block, relocated: &[Vec<Relocated>]) -> (syn::Block, bool) {
    struct AsWritten<'a> {
        relocated: &'a [Vec<Relocated>],
        seen: usize,
        marked: bool,
        /// How often each name occurs in each statement (or condition,
        /// scrutinee, guard, arm) around the current code, innermost last.
        units: Vec<HashMap<String, usize>>,
        /// The expression of the statement being visited (its own `if` is
        /// a statement; any other `if` is an operand).
        top: Option<*const Expr>,
        /// How many constructs used as operands (`v.push(loop { .. })`)
        /// are around the current code: their statements, conditions and
        /// arms are within the expression around them, not units of their
        /// own.
        in_operand: usize,
    }
    impl AsWritten<'_> {
        fn unit<T: quote::ToTokens + ?Sized>(&mut self, node: &T, visit: impl FnOnce(&mut Self)) {
            self.units
                .push(crate::names::name_counts(node.to_token_stream()));
            visit(self);
            self.units.pop();
        }
        /// A condition, scrutinee, guard or arm: a unit of its own, not an
        /// operand of the statement around it.
        fn own_unit<T: quote::ToTokens + ?Sized>(
            &mut self,
            node: &T,
            visit: impl FnOnce(&mut Self),
        ) {
            let outer = self.scope();
            self.unit(node, visit);
            self.units = outer;
        }
        /// Starts a scope of statements, returning the units around it to
        /// restore: none are around it unless it is inside an operand.
        fn scope(&mut self) -> Vec<HashMap<String, usize>> {
            match self.in_operand {
                0 => std::mem::take(&mut self.units),
                _ => self.units.clone(),
            }
        }
    }
    impl VisitMut for AsWritten<'_> {
        fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
            if let syn::Stmt::Expr(e @ (Expr::Block(_) | Expr::Unsafe(_)), _) = stmt {
                // A block statement is a scope of statements, not an
                // operand: see `visit_block_mut`.
                self.top = Some(e as *const Expr);
                let block = self.scope();
                syn::visit_mut::visit_stmt_mut(self, stmt);
                self.units = block;
                return;
            }
            self.top = match &*stmt {
                syn::Stmt::Expr(e, _) => Some(e as *const Expr),
                syn::Stmt::Local(l) => l.init.as_ref().map(|i| &*i.expr as *const Expr),
                _ => None,
            };
            let tokens = stmt.to_token_stream();
            self.unit(&tokens, |this| syn::visit_mut::visit_stmt_mut(this, stmt));
        }
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            // The body of a loop, a branch or an arm: its statements are
            // evaluated one after the other, not as operands of the
            // statement around it.
            let outer = self.scope();
            syn::visit_mut::visit_block_mut(self, block);
            self.units = outer;
        }
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            let construct = matches!(
                expr,
                Expr::If(_) | Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) | Expr::Match(_)
            );
            // A block or construct that is not the statement's own.
            let operand = usize::from(self.top != Some(expr as *const Expr));
            if construct && operand == 1 {
                // An operand (`v.push(if c { x.await } else { 0 })`,
                // `v.push(loop { x.await; .. })`): visited as a statement,
                // within the expression around it.
                self.top = Some(expr as *const Expr);
                self.in_operand += 1;
                self.visit_expr_mut(expr);
                self.in_operand -= 1;
                return;
            }
            match expr {
                // A block inside an expression (`v.push({ x.await; 0 })`):
                // its statements are within the expression around them.
                Expr::Block(syn::ExprBlock { block, .. })
                | Expr::Unsafe(syn::ExprUnsafe { block, .. }) => {
                    self.in_operand += operand;
                    block.stmts.iter_mut().for_each(|s| self.visit_stmt_mut(s));
                    self.in_operand -= operand;
                }
                Expr::Await(a) => {
                    let in_base = crate::names::name_counts(a.base.to_token_stream());
                    self.visit_expr_mut(&mut a.base);
                    let base = &a.base;
                    let span = a.await_token.span;
                    let moved = self.relocated.get(self.seen).map_or(&[][..], Vec::as_slice);
                    self.seen += 1;
                    // A local the statement also uses outside the awaited
                    // expression (`n.bump(x.await)`, `v[i.await]`), or an
                    // expression around the block the statement is in
                    // (`v.push({ x.await; 0 })`): the machine evaluates that
                    // use after the `.await`, while the copy borrows it
                    // before; it is not marked.
                    let moved: Vec<TokenStream> = moved
                        .iter()
                        .filter(|m| {
                            // Counted in the body as written (`self`).
                            let name = m.ident.to_string().replace("__self", "self");
                            let count = |counts: &HashMap<String, usize>| {
                                counts.get(&name).copied().unwrap_or(0)
                            };
                            self.units.iter().all(|unit| count(unit) <= count(&in_base))
                        })
                        .map(|m| {
                            let mut ident = m.ident.clone();
                            ident.set_span(span);
                            match m.dead {
                                // An assignment refuses a borrow of the
                                // local still in use, but (unlike `&mut`)
                                // does not need the borrows it holds to be
                                // valid: the machine moves a dead value's
                                // bytes, and never reads them.
                                true => quote::quote_spanned!(span=>
                                    #ident = ::desugar_runtime::dead_value()
                                ),
                                false => quote::quote_spanned!(span=> &mut #ident),
                            }
                        })
                        .collect();
                    self.marked |= !moved.is_empty();
                    *expr = if moved.is_empty() {
                        syn::parse_quote!(::desugar_runtime::as_written_await(#base))
                    } else {
                        syn::parse_quote_spanned!(span=> ::desugar_runtime::moved_by_await(
                            ::desugar_runtime::as_written_await(#base),
                            (#(#moved,)*),
                        ))
                    };
                }
                Expr::If(i) => {
                    let cond = &mut i.cond;
                    let tokens = cond.to_token_stream();
                    self.own_unit(&tokens, |this| this.visit_expr_mut(cond));
                    self.visit_block_mut(&mut i.then_branch);
                    match i.else_branch.as_mut().map(|(_, e)| &mut **e) {
                        Some(Expr::Block(b)) => self.visit_block_mut(&mut b.block),
                        // `else if`: a statement too.
                        Some(e) => {
                            self.top = Some(e as *const Expr);
                            self.visit_expr_mut(e);
                        }
                        None => {}
                    }
                }
                Expr::While(w) => {
                    let cond = &mut w.cond;
                    let tokens = cond.to_token_stream();
                    self.own_unit(&tokens, |this| this.visit_expr_mut(cond));
                    self.visit_block_mut(&mut w.body);
                }
                Expr::ForLoop(f) => {
                    self.visit_pat_mut(&mut f.pat);
                    let iter = &mut f.expr;
                    let tokens = iter.to_token_stream();
                    self.own_unit(&tokens, |this| this.visit_expr_mut(iter));
                    self.visit_block_mut(&mut f.body);
                }
                Expr::Match(m) => {
                    let scrutinee = &mut m.expr;
                    let tokens = scrutinee.to_token_stream();
                    self.own_unit(&tokens, |this| this.visit_expr_mut(scrutinee));
                    for arm in &mut m.arms {
                        self.visit_pat_mut(&mut arm.pat);
                        if let Some((_, guard)) = &mut arm.guard {
                            let tokens = guard.to_token_stream();
                            self.own_unit(&tokens, |this| this.visit_expr_mut(guard));
                        }
                        let body = &mut arm.body;
                        if let Expr::Block(b) = &mut **body {
                            self.visit_block_mut(&mut b.block);
                            continue;
                        }
                        let tokens = body.to_token_stream();
                        self.own_unit(&tokens, |this| this.visit_expr_mut(body));
                    }
                }
                Expr::Path(p) if p.qself.is_none() && p.path.is_ident("self") => {
                    let ident = Ident::new("__self", p.path.segments[0].ident.span());
                    *expr = syn::parse_quote!(#ident);
                }
                // `break 'a f().await`: in parentheses, so that the call's
                // leading `::` does not read as the label's `:`.
                Expr::Break(b) if b.label.is_some() => {
                    if let Some(value) = &mut b.expr {
                        self.visit_expr_mut(value);
                        if !matches!(**value, Expr::Paren(_)) {
                            **value = syn::parse_quote!((#value));
                        }
                    }
                }
                Expr::Closure(_) | Expr::Async(_) => SelfOnly.visit_expr_mut(expr),
                _ => syn::visit_mut::visit_expr_mut(self, expr),
            }
        }
        fn visit_pat_mut(&mut self, pat: &mut syn::Pat) {
            // Only a whole pattern: `mut` inside one matched through a
            // reference would change how it binds.
            make_mut(pat);
        }
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            // A macro whose arguments are expressions with `.await`s
            // (`format!("{}", f().await)`): rewritten like the rest.
            match MacroExprs::of(mac) {
                Some(mut args) => {
                    args.exprs.iter_mut().for_each(|e| self.visit_expr_mut(e));
                    mac.tokens = args.into_tokens();
                }
                None => mac.tokens = rename_self(mac.tokens.clone()),
            }
        }
    }
    /// Counts the `.await`s the copy rewrites, in the same order.
    struct Count(usize);
    impl<'ast> syn::visit::Visit<'ast> for Count {
        fn visit_expr_await(&mut self, a: &'ast syn::ExprAwait) {
            syn::visit::visit_expr_await(self, a);
            self.0 += 1;
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            if let Some(args) = MacroExprs::of(mac) {
                args.exprs.iter().for_each(|e| self.visit_expr(e));
            }
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut count = Count(0);
    syn::visit::Visit::visit_block(&mut count, body);
    let relocated = if count.0 == relocated.len() {
        relocated
    } else {
        &[]
    };
    let mut body = body.clone();
    let mut visitor = AsWritten {
        relocated,
        seen: 0,
        marked: false,
        units: Vec::new(),
        top: None,
        in_operand: 0,
    };
    visitor.visit_block_mut(&mut body);
    (body, visitor.marked)
}

/// `x` → `mut x` (also `x: T`), for a whole pattern that is a plain
/// lower-case name (`None` names a variant, not a new binding).
pub fn make_mut(pat: &mut syn::Pat) {
    match pat {
        syn::Pat::Ident(p)
            if p.by_ref.is_none() && p.subpat.is_none() && is_binding_name(&p.ident) =>
        {
            let span = p.ident.span();
            p.mutability.get_or_insert_with(|| syn::Token![mut](span));
        }
        syn::Pat::Type(t) => make_mut(&mut t.pat),
        _ => {}
    }
}

/// A local the state machine moves (or forgets) when an `.await`
/// finishes, while the native future keeps it in place: see
/// `Layout::relocated` and [`as_written`].
#[derive(Clone, Debug, PartialEq)]
pub struct Relocated {
    /// The name the body uses for it.
    pub ident: Ident,
    /// Whether it is dead there (kept only for its drop, or forgotten).
    pub dead: bool,
}

/// Whether a plain name in a pattern binds a new local: it starts with a
/// lower-case letter or `_` (`None` or `MAX` name a variant or constant).
pub fn is_binding_name(ident: &Ident) -> bool {
    let name = syn::ext::IdentExt::unraw(ident).to_string();
    name.starts_with(|c: char| c == '_' || c.is_lowercase())
}

/// The arguments of a macro invocation that hold `.await`s, read as
/// expressions: `format!("{} {x}", f().await)`, `vec![a.await, b]`,
/// `vec![f().await; n]`, `matches!(f().await, Some(_))` (the pattern is
/// kept as tokens).
pub struct MacroExprs {
    /// The expressions, in order.
    pub exprs: Vec<Expr>,
    /// What follows them unparsed (`, Some(_)` of `matches!`).
    pub(crate) rest: TokenStream,
    /// `vec![value; count]`: the two are separated by `;`, not `,`.
    pub(crate) repeat: bool,
}

impl MacroExprs {
    /// `None` when the tokens hold no `.await` or do not read as
    /// comma-separated expressions.
    pub fn of(mac: &syn::Macro) -> Option<MacroExprs> {
        crate::analyse::find_await_tokens(&mac.tokens)?;
        MacroExprs::parse(mac)
    }

    /// The arguments read as expressions, `.await`s or not; `None` when
    /// they do not read as comma-separated expressions.
    pub fn parse(mac: &syn::Macro) -> Option<MacroExprs> {
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        if mac.path.is_ident("matches") {
            let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
            let comma = tokens
                .iter()
                .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))?;
            let first: TokenStream = tokens[..comma].iter().cloned().collect();
            let rest: TokenStream = tokens[comma..].iter().cloned().collect();
            return Some(MacroExprs {
                exprs: vec![syn::parse2(first).ok()?],
                rest: rename_self(rest),
                repeat: false,
            });
        }
        if mac.path.is_ident("vec") {
            let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
            let semicolon = tokens
                .iter()
                .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'));
            if let Some(at) = semicolon {
                let value: TokenStream = tokens[..at].iter().cloned().collect();
                let count: TokenStream = tokens[at + 1..].iter().cloned().collect();
                return Some(MacroExprs {
                    exprs: vec![syn::parse2(value).ok()?, syn::parse2(count).ok()?],
                    rest: TokenStream::new(),
                    repeat: true,
                });
            }
        }
        let exprs = syn::parse::Parser::parse2(parser, mac.tokens.clone()).ok()?;
        Some(MacroExprs {
            exprs: exprs.into_iter().collect(),
            rest: TokenStream::new(),
            repeat: false,
        })
    }

    /// Visits the arguments of `mac` that read as expressions (when they
    /// hold an `.await`, as [`MacroExprs::of`]) with `visit`, and writes
    /// them back.
    pub fn visit_mut(mac: &mut syn::Macro, mut visit: impl FnMut(&mut Expr)) {
        if let Some(mut args) = MacroExprs::of(mac) {
            args.exprs.iter_mut().for_each(&mut visit);
            mac.tokens = args.into_tokens();
        }
    }

    /// The arguments as tokens again.
    pub fn into_tokens(self) -> TokenStream {
        let (exprs, rest) = (self.exprs, self.rest);
        if self.repeat {
            return quote!(#(#exprs);*);
        }
        quote!(#(#exprs),* #rest)
    }
}

/// The part of `expr` evaluated first when it is a block with a statement
/// that always leaves (in parentheses, the left operand of operators, a
/// `match` scrutinee, an `if` condition, a receiver, a field's or index's
/// base): that block, cut after that statement. It leaves, so its type is `!` and
/// it fits wherever the whole expression did.
fn leaving_prefix(expr: &Expr) -> Option<Expr> {
    match expr {
        Expr::Paren(p) => leaving_prefix(&p.expr),
        Expr::Binary(b) => leaving_prefix(&b.left).or_else(|| {
            // `n - { return x; k }`: the left operand, then the block that
            // leaves (not for `&&` and `||`, which may skip the right one,
            // nor `+=` and the like, which may evaluate it first)
            let short_circuit = matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_));
            if short_circuit || crate::analyse::is_compound_assign(&b.op) {
                return None;
            }
            let right = leaving_prefix(&b.right)?;
            let left = &b.left;
            let value = Ident::new("left", Span::mixed_site());
            Some(syn::parse_quote!({ let #value = #left; #right }))
        }),
        Expr::Match(m) => leaving_prefix(&m.expr),
        Expr::If(i) => leaving_prefix(&i.cond),
        Expr::MethodCall(m) => leaving_prefix(&m.receiver),
        Expr::Field(f) => leaving_prefix(&f.base),
        Expr::Index(i) => leaving_prefix(&i.expr),
        Expr::Cast(c) => leaving_prefix(&c.expr),
        Expr::Block(b) if b.label.is_none() => {
            let k = b.block.stmts.iter().position(crate::lower::always_leaves)?;
            let mut cut = b.clone();
            cut.block.stmts.truncate(k + 1);
            Some(Expr::Block(cut))
        }
        _ => None,
    }
}

#[cfg(test)]
mod trace_tests {
    use super::shown;

    #[test]
    fn shown_is_one_short_line() {
        let expr: syn::Expr = syn::parse_str("f(r\"a\n\tb\", *x) + *y * z").unwrap();
        let text = shown(&expr);
        assert_eq!(text, "f(r\"a  b\", *x) + *y * z");
        let long: syn::Expr = syn::parse_str(&format!("f({})", "a + ".repeat(30) + "b")).unwrap();
        let text = shown(&long);
        assert_eq!(text.chars().count(), 60);
        assert!(text.ends_with('…'));
    }
}
