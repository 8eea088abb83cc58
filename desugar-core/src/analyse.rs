//! Stage 4: what each piece of code declares and mentions.
//!
//! In: expressions, statements and patterns of the body. Out: the bindings a
//! pattern declares ([`bindings`]), the local names an expression mentions and
//! how it uses each one ([`mentions`]), and whether code holds an `.await`
//! that belongs to this function ([`find_await`]).
//!
//! There are no types at this stage, so "how" is read off the syntax:
//!
//! | position | use |
//! |---|---|
//! | `f(x)`, `let y = x`, `x + 1`, `return x`, `x?`, `x.await`, `move` closures, `x.unwrap()`-style consuming methods | [`Use::Move`] (moved, or copied) |
//! | `&x`, `x.len()`, `x.field`, `x[i]`, `x == y`, `x += 1`, macro arguments, `match x`, `let _ = x`, `_ = x` | [`Use::Borrow`] |
//! | `x = value` | [`Use::Assign`] (initialised again) |
//!
//! When unsure the answer is `Borrow`: a value thought borrowed is kept in the
//! state until its scope ends, and if it was in fact moved the compiler says
//! so ("use of moved value"). Guessing `Move` wrongly would drop a value
//! early without a word.

use proc_macro2::{TokenStream, TokenTree};
use syn::{BinOp, Expr, Ident, Pat, Stmt};

/// A binding declared by a pattern.
#[derive(Clone, Debug)]
pub struct Declared {
    /// The identifier, with the user's span.
    pub ident: Ident,
    /// Whether it was declared `mut`.
    pub mutable: bool,
}

/// How an expression uses a local.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// Moved out (or copied, for `Copy` types).
    Move,
    /// Borrowed, or read in place.
    Borrow,
    /// Assigned a new value: initialised again.
    Assign,
}

/// One mention of a local name.
#[derive(Clone, Debug)]
pub struct Mention {
    /// The name as written.
    pub name: String,
    /// How it is used.
    pub usage: Use,
    /// Inside a closure or `async` block that does not `move`: a `Move`
    /// there of a `Copy` value is a capture by reference.
    pub in_closure: bool,
    /// The method it is the receiver of, when it is one (`x` in
    /// `x.with(1)`).
    pub receiver_of: Option<String>,
    /// Whether it is a whole argument of a call (`out` in `append(out)`):
    /// a `&mut` reference passed there is reborrowed, not moved.
    pub argument: bool,
    /// Whether it is the function called (`f` in `f(x)`): an `FnOnce`
    /// called is moved.
    pub callee: bool,
    /// Whether what it points to is used by value (`boxed` in `let v =
    /// *boxed;`): a `Box` is moved out of, a reference copied from.
    pub deref_moved: bool,
    /// Whether only a copy of what it reaches leaves the expression
    /// (`x[0] as u32`, `a.len() == b.len()`, `f(pair.0)`): a borrow made
    /// there ends within the expression, so an awaited future made by it
    /// holds no borrow of the local.
    pub read_out: bool,
}

impl Mention {
    /// A mention of `name`, used so, with no marks.
    fn new(name: String, usage: Use) -> Self {
        Mention {
            name,
            usage,
            in_closure: false,
            receiver_of: None,
            argument: false,
            callee: false,
            deref_moved: false,
            read_out: false,
        }
    }
}

/// Marks the mentions from `first` on as read out (see [`Mention::read_out`]).
fn read_out_from(out: &mut [Mention], first: usize) {
    out.iter_mut().skip(first).for_each(|m| m.read_out = true);
}

/// The bindings `pat` declares, in order.
pub fn bindings(pat: &Pat) -> Vec<Declared> {
    let mut out = Vec::new();
    collect_bindings(pat, &mut out);
    out
}

/// Whether the identifier of an identifier pattern names a binding: one
/// that names a unit struct, constant or enum variant (`None`, `MAX`) does
/// not; without name resolution the usual convention decides: bindings
/// start lower-case.
pub fn names_a_binding(p: &syn::PatIdent) -> bool {
    !p.ident
        .to_string()
        .trim_start_matches("r#")
        .starts_with(|c: char| c.is_uppercase())
}

fn collect_bindings(pat: &Pat, out: &mut Vec<Declared>) {
    match pat {
        Pat::Ident(p) => {
            if p.subpat.is_none() && !names_a_binding(p) {
                return;
            }
            out.push(Declared {
                ident: p.ident.clone(),
                mutable: p.mutability.is_some(),
            });
            if let Some((_, sub)) = &p.subpat {
                collect_bindings(sub, out);
            }
        }
        Pat::Or(p) => {
            if let Some(first) = p.cases.first() {
                collect_bindings(first, out);
            }
        }
        Pat::Paren(p) => collect_bindings(&p.pat, out),
        Pat::Reference(p) => collect_bindings(&p.pat, out),
        Pat::Slice(p) => p.elems.iter().for_each(|e| collect_bindings(e, out)),
        Pat::Tuple(p) => p.elems.iter().for_each(|e| collect_bindings(e, out)),
        Pat::TupleStruct(p) => p.elems.iter().for_each(|e| collect_bindings(e, out)),
        Pat::Struct(p) => p.fields.iter().for_each(|f| collect_bindings(&f.pat, out)),
        Pat::Type(p) => collect_bindings(&p.pat, out),
        _ => {}
    }
}

/// Whether a `let` with this pattern binds nothing and so moves nothing
/// (`let _ = x;` leaves `x` where it is).
pub fn is_wildcard(pat: &Pat) -> bool {
    match pat {
        Pat::Wild(_) => true,
        Pat::Type(p) => is_wildcard(&p.pat),
        Pat::Paren(p) => is_wildcard(&p.pat),
        _ => false,
    }
}

/// Every local name `expr` mentions, in evaluation order, with its use.
pub fn mentions(expr: &Expr) -> Vec<Mention> {
    let mut out = Vec::new();
    visit(expr, Use::Move, &mut out);
    out
}

/// Every local name a statement mentions (the initializer of a `let`, not
/// its pattern).
pub fn stmt_mentions(stmt: &Stmt) -> Vec<Mention> {
    let mut out = Vec::new();
    visit_stmt(stmt, &mut out);
    out
}

fn visit_stmt(stmt: &Stmt, out: &mut Vec<Mention>) {
    match stmt {
        Stmt::Local(local) => {
            if let Some(init) = &local.init {
                let usage = let_use(&local.pat);
                visit(&init.expr, usage, out);
                if let Some((_, diverge)) = &init.diverge {
                    visit(diverge, Use::Move, out);
                }
            }
        }
        Stmt::Expr(expr, _) => visit(expr, Use::Move, out),
        Stmt::Macro(mac) => tokens(&mac.mac.tokens, out),
        Stmt::Item(_) => {}
    }
}

/// How `match x { pats }` or `if let pat = x` uses `x`: a pattern that
/// binds a part by value moves it out (`Some(s) => ...`, a partial move);
/// patterns that only test or bind by `ref` borrow it.
pub fn scrutinee_use<'a>(pats: impl IntoIterator<Item = &'a Pat>) -> Use {
    // A pattern with a `ref` binding keeps the scrutinee in place: its
    // by-value parts are copies, or a partial move the compiler checks.
    let pats: Vec<&Pat> = pats.into_iter().collect();
    if pats.iter().any(|p| binds_by_value(p)) && !pats.iter().any(|p| binds_ref(p)) {
        Use::Move
    } else {
        Use::Borrow
    }
}

/// Whether a pattern binds a name by value (`Some(s)`, not `Some(ref s)`
/// or `None`).
pub fn binds_by_value(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(p) => {
            (names_a_binding(p) && p.by_ref.is_none())
                || p.subpat.as_ref().is_some_and(|(_, s)| binds_by_value(s))
        }
        Pat::Reference(_) => false,
        Pat::Or(p) => p.cases.iter().any(binds_by_value),
        Pat::Paren(p) => binds_by_value(&p.pat),
        Pat::Slice(p) => p.elems.iter().any(binds_by_value),
        Pat::Tuple(p) => p.elems.iter().any(binds_by_value),
        Pat::TupleStruct(p) => p.elems.iter().any(binds_by_value),
        Pat::Struct(p) => p.fields.iter().any(|f| binds_by_value(&f.pat)),
        Pat::Type(p) => binds_by_value(&p.pat),
        _ => false,
    }
}

/// `pat` with its by-value bindings made `ref` bindings (`Some(s)` →
/// `Some(ref s)`): it matches the same values, and moves nothing.
pub fn bind_by_ref(pat: &Pat) -> Pat {
    struct ByRef;
    impl syn::visit_mut::VisitMut for ByRef {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            if p.by_ref.is_none() && names_a_binding(p) {
                p.by_ref = Some(Default::default());
                p.mutability = None;
            }
            syn::visit_mut::visit_pat_ident_mut(self, p);
        }
    }
    let mut pat = pat.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut ByRef, &mut pat);
    pat
}

/// How `let pat = x` uses `x`: `let _ = x` and `let (ref a, b) = x` leave
/// it in place; any other pattern moves it.
pub fn let_use(pat: &Pat) -> Use {
    if is_wildcard(pat) || binds_ref(pat) {
        Use::Borrow
    } else {
        Use::Move
    }
}

/// Whether a pattern has a `ref` binding anywhere.
pub fn binds_ref(pat: &Pat) -> bool {
    ref_bindings(pat, false)
}

/// Whether a pattern has a `ref mut` binding anywhere.
pub fn binds_ref_mut(pat: &Pat) -> bool {
    ref_bindings(pat, true)
}

/// Whether `pat` has a `ref` binding (a `ref mut` one if `mutable`).
fn ref_bindings(pat: &Pat, mutable: bool) -> bool {
    struct Find(bool, bool);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.0 |= p.by_ref.is_some() && (!self.1 || p.mutability.is_some());
            syn::visit::visit_pat_ident(self, p);
        }
    }
    let mut find = Find(false, mutable);
    syn::visit::Visit::visit_pat(&mut find, pat);
    find.0
}

/// Methods whose result borrows their receiver: a value made by one of them
/// from a local keeps that local borrowed.
pub const BORROWING_METHODS: &[&str] = &[
    "iter",
    "iter_mut",
    "chars",
    "char_indices",
    "bytes",
    "lines",
    "split",
    "split_whitespace",
    "splitn",
    "rsplit",
    "split_terminator",
    "windows",
    "chunks",
    "chunks_mut",
    "keys",
    "values",
    "values_mut",
    "drain",
    "as_str",
    "as_slice",
    "as_mut_slice",
    "as_ref",
    "as_mut",
    "as_deref",
    "as_deref_mut",
    "borrow",
    "borrow_mut",
    "get",
    "get_mut",
    "get_ref",
    "first",
    "last",
    "first_mut",
    "last_mut",
    "lock",
    "read",
    "write",
    "trim",
    "trim_start",
    "trim_end",
    "trim_matches",
    "trim_start_matches",
    "trim_end_matches",
    "split_at",
    "split_at_mut",
    "split_at_checked",
    "split_once",
    "rsplit_once",
    "strip_prefix",
    "strip_suffix",
    "as_bytes",
    "fill_buf",
    "acquire",
    "acquire_many",
    "get_or_init",
    "get_or_try_init",
    "peek",
    "range",
    "range_mut",
];

/// Methods that take `&self` on the types async code most often calls them
/// on (`Vec`, `String`, slices, maps, `Option`, guards): a temporary
/// receiver of one of them surely lives on to the end of its statement.
pub const BY_REF_METHODS: &[&str] = &[
    "len",
    "is_empty",
    "contains",
    "contains_key",
    "starts_with",
    "ends_with",
    "is_some",
    "is_none",
    "is_ok",
    "is_err",
    "get",
    "first",
    "last",
    "iter",
    "clone",
    "to_string",
    "to_owned",
    "to_vec",
    "as_str",
    "as_bytes",
    "as_ref",
];

/// Methods whose result holds no borrow of the receiver, on the types
/// async code most often calls them on: a count, a test, a comparison or
/// an owned copy (`len`, `is_empty`, `contains`, `clone`, `to_string`).
pub const OWNED_RESULT_METHODS: &[&str] = &[
    "len",
    "is_empty",
    "capacity",
    "contains",
    "contains_key",
    "starts_with",
    "ends_with",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "clone",
    "to_string",
    "to_owned",
    "to_vec",
    "to_uppercase",
    "to_lowercase",
    "to_ascii_uppercase",
    "to_ascii_lowercase",
    "parse",
    "elapsed",
];

/// Whether a method's result surely holds no borrow of its receiver (see
/// [`OWNED_RESULT_METHODS`]; also `is_*` and `has_*` tests). Any other
/// method that keeps its receiver may return a borrow of it, as a getter
/// does (`fn name(&self) -> &str`).
pub fn returns_owned(method: &str) -> bool {
    OWNED_RESULT_METHODS.contains(&method)
        || method.starts_with("is_")
        || method.starts_with("has_")
}

/// Whether `expr` is a bare name (`x`, `(x)`).
fn is_local_name(expr: &Expr) -> bool {
    match expr {
        Expr::Path(p) => p.qself.is_none() && p.path.get_ident().is_some(),
        Expr::Paren(p) => is_local_name(&p.expr),
        _ => false,
    }
}

/// Whether a method of this name surely leaves its receiver in place (it
/// takes `&self` or `&mut self` on the types it is usually called on): see
/// [`BY_REF_METHODS`] and [`BORROWING_METHODS`].
pub fn keeps_receiver(method: &str) -> bool {
    BY_REF_METHODS.contains(&method) || BORROWING_METHODS.contains(&method)
}

/// Methods that take `self` by value on the types async code most often
/// calls them on (`Option`, `Result`, iterators, `Into`). Any other method
/// call is taken to borrow its receiver.
pub fn consumes_receiver(call: &syn::ExprMethodCall) -> bool {
    let method = call.method.to_string();
    let method = method.as_str();
    // A few common names take `self` with one arity and `&mut self` or
    // `&self` with another: `iter.take(2)` but `option.take()`,
    // `request.send()` but `sender.send(v).await`.
    match method {
        "take" => return call.args.len() == 1,
        "send" => return call.args.is_empty(),
        // Iterator methods without arguments: with some, they are another
        // type's methods (`self.count(byte)`).
        "count" | "sum" | "product" | "max" | "min" | "rev" | "fuse" | "cycle" | "peekable"
        | "copied" | "cloned" | "flatten" | "enumerate" | "unzip" | "collect" | "ok" | "err" => {
            return call.args.is_empty();
        }
        // An HTTP response's body, read to the end (`reqwest::Response`'s
        // `text(self)`, `json(self)`, `bytes(self)`), or checked
        // (`error_for_status(self)`): the response is used up.
        "text" | "json" | "bytes" | "error_for_status" => return call.args.is_empty(),
        // A database transaction ended (`sqlx`, `tokio-postgres`,
        // `rusqlite`: `commit(self)`, `rollback(self)`), a child process
        // waited for with its output (`wait_with_output(self)`).
        "commit" | "rollback" | "wait_with_output" => return call.args.is_empty(),
        _ => {}
    }
    method.starts_with("into")
        // tokio's `lock_owned`, `read_owned`, `acquire_owned`: `self: Arc<Self>`
        || method.ends_with("_owned")
        || method.starts_with("unwrap")
        || method.starts_with("expect")
        || method.starts_with("map")
        || matches!(
            method,
            "ok" | "err"
                | "and_then"
                | "or_else"
                | "collect"
                | "count"
                | "sum"
                | "product"
                | "fold"
                | "for_each"
                | "filter"
                | "filter_map"
                | "flat_map"
                | "flatten"
                | "enumerate"
                | "zip"
                | "chain"
                | "rev"
                | "skip"
                | "step_by"
                | "peekable"
                | "copied"
                | "cloned"
                | "take_while"
                | "skip_while"
                | "map_while"
                | "scan"
                | "inspect"
                | "fuse"
                | "cycle"
                | "max"
                | "min"
                | "max_by"
                | "min_by"
                | "max_by_key"
                | "min_by_key"
                | "reduce"
                | "partition"
                | "unzip"
                | "ok_or"
                | "ok_or_else"
                // `futures::StreamExt`, `TryStreamExt`, `FutureExt`
                | "then"
                | "try_fold"
                | "try_for_each"
                | "try_collect"
                | "try_filter"
                | "try_filter_map"
                | "try_concat"
                | "try_flatten"
                | "for_each_concurrent"
                | "try_for_each_concurrent"
                | "buffered"
                | "buffer_unordered"
                | "boxed"
                | "boxed_local"
                | "left_future"
                | "right_future"
                | "shared"
        )
}

/// Whether `op` is a compound assignment (`+=`, `<<=`, ...).
pub fn is_compound_assign(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}

/// How a binary operator uses its left and right operands: a comparison
/// borrows both, `x += e` borrows `x` (in place), the others move.
pub fn binary_uses(op: &BinOp) -> (Use, Use) {
    match op {
        op if is_comparison(op) => (Use::Borrow, Use::Borrow),
        op if is_compound_assign(op) => (Use::Borrow, Use::Move),
        _ => (Use::Move, Use::Move),
    }
}

/// Whether `op` compares (`==`, `<`, ...): it borrows both operands.
pub fn is_comparison(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::Eq(_) | BinOp::Ne(_) | BinOp::Lt(_) | BinOp::Le(_) | BinOp::Gt(_) | BinOp::Ge(_)
    )
}

/// An argument of a call: moved, and marked when it is a bare name.
fn visit_argument(arg: &Expr, out: &mut Vec<Mention>) {
    visit_marking(arg, Use::Move, out, |m| m.argument = true);
}

/// Visits `expr`; when it is a bare name, `mark` its mention (the
/// receiver of a method, an argument, the function called).
fn visit_marking(expr: &Expr, usage: Use, out: &mut Vec<Mention>, mark: impl FnOnce(&mut Mention)) {
    let first = out.len();
    visit(expr, usage, out);
    if is_local_name(expr) {
        if let Some(mention) = out.get_mut(first) {
            mark(mention);
        }
    }
}

fn visit(expr: &Expr, usage: Use, out: &mut Vec<Mention>) {
    match expr {
        Expr::Path(p) => {
            if let Some(ident) = p.path.get_ident().filter(|_| p.qself.is_none()) {
                out.push(Mention::new(ident.to_string(), usage));
            }
        }
        Expr::Reference(r) => visit(&r.expr, Use::Borrow, out),
        Expr::RawAddr(r) => visit(&r.expr, Use::Borrow, out),
        Expr::MethodCall(m) => {
            let receiver = if consumes_receiver(m) {
                Use::Move
            } else {
                Use::Borrow
            };
            visit_marking(&m.receiver, receiver, out, |mention| {
                mention.receiver_of = Some(m.method.to_string())
            });
            m.args.iter().for_each(|a| visit_argument(a, out));
        }
        // By value (`f(pair.0)`, `v[0] + 1`), a field or an element is
        // copied (or moved) out: the borrow of the base ends there.
        Expr::Field(f) => {
            let first = out.len();
            visit(&f.base, Use::Borrow, out);
            if usage == Use::Move {
                read_out_from(out, first);
            }
        }
        Expr::Index(i) => {
            let first = out.len();
            visit(&i.expr, Use::Borrow, out);
            if usage == Use::Move {
                read_out_from(out, first);
            }
            visit(&i.index, Use::Move, out);
        }
        Expr::Assign(a) => {
            // `_ = place;` moves nothing.
            let right = match &*a.left {
                Expr::Infer(_) => Use::Borrow,
                _ => Use::Move,
            };
            visit(&a.right, right, out);
            match &*a.left {
                Expr::Path(_) => visit(&a.left, Use::Assign, out),
                left => visit(left, Use::Borrow, out),
            }
        }
        Expr::Binary(b) => {
            let (left, right) = binary_uses(&b.op);
            let first = out.len();
            visit(&b.left, left, out);
            visit(&b.right, right, out);
            // a comparison gives a `bool`: what it borrowed is free again
            if is_comparison(&b.op) {
                read_out_from(out, first);
            }
        }
        Expr::Unary(u) => {
            if matches!(u.op, syn::UnOp::Deref(_)) {
                let moved = usage == Use::Move;
                visit_marking(&u.expr, Use::Borrow, out, |m| m.deref_moved = moved);
            } else {
                visit(&u.expr, Use::Move, out);
            }
        }
        Expr::Macro(m) => macro_args(&m.mac, out),
        Expr::Closure(c) => {
            let mut inner = Vec::new();
            visit(&c.body, Use::Move, &mut inner);
            match c.capture {
                Some(_) => inner.iter_mut().for_each(|m| m.usage = Use::Move),
                None => inner.iter_mut().for_each(|m| m.in_closure = true),
            }
            out.extend(inner);
        }
        Expr::Async(a) => {
            let mut inner = Vec::new();
            a.block.stmts.iter().for_each(|s| visit_stmt(s, &mut inner));
            match a.capture {
                Some(_) => inner.iter_mut().for_each(|m| m.usage = Use::Move),
                None => inner.iter_mut().for_each(|m| m.in_closure = true),
            }
            out.extend(inner);
        }
        Expr::Let(l) => visit(&l.expr, scrutinee_use([&*l.pat]), out),
        Expr::Match(m) => {
            visit(&m.expr, scrutinee_use(m.arms.iter().map(|a| &a.pat)), out);
            for arm in &m.arms {
                if let Some((_, guard)) = &arm.guard {
                    visit(guard, Use::Move, out);
                }
                visit(&arm.body, Use::Move, out);
            }
        }
        Expr::Paren(p) => visit(&p.expr, usage, out),
        Expr::Group(g) => visit(&g.expr, usage, out),
        Expr::Block(b) => b.block.stmts.iter().for_each(|s| visit_stmt(s, out)),
        Expr::Unsafe(b) => b.block.stmts.iter().for_each(|s| visit_stmt(s, out)),
        Expr::Const(b) => b.block.stmts.iter().for_each(|s| visit_stmt(s, out)),
        Expr::TryBlock(b) => b.block.stmts.iter().for_each(|s| visit_stmt(s, out)),
        Expr::Loop(l) => l.body.stmts.iter().for_each(|s| visit_stmt(s, out)),
        Expr::While(w) => {
            visit(&w.cond, Use::Move, out);
            w.body.stmts.iter().for_each(|s| visit_stmt(s, out));
        }
        Expr::ForLoop(f) => {
            visit(&f.expr, Use::Move, out);
            f.body.stmts.iter().for_each(|s| visit_stmt(s, out));
        }
        Expr::If(i) => {
            visit(&i.cond, Use::Move, out);
            i.then_branch.stmts.iter().for_each(|s| visit_stmt(s, out));
            if let Some((_, e)) = &i.else_branch {
                visit(e, Use::Move, out);
            }
        }
        Expr::Array(a) => a.elems.iter().for_each(|e| visit(e, Use::Move, out)),
        Expr::Tuple(t) => t.elems.iter().for_each(|e| visit(e, Use::Move, out)),
        Expr::Call(c) => {
            visit_marking(&c.func, Use::Borrow, out, |mention| mention.callee = true);
            c.args.iter().for_each(|a| visit_argument(a, out));
        }
        Expr::Struct(s) => {
            s.fields.iter().for_each(|f| visit(&f.expr, Use::Move, out));
            if let Some(rest) = &s.rest {
                visit(rest, Use::Move, out);
            }
        }
        Expr::Repeat(r) => visit(&r.expr, Use::Move, out),
        Expr::Range(r) => {
            if let Some(s) = &r.start {
                visit(s, Use::Move, out);
            }
            if let Some(e) = &r.end {
                visit(e, Use::Move, out);
            }
        }
        // a cast gives a number (or a pointer): nothing stays borrowed
        Expr::Cast(c) => {
            let first = out.len();
            visit(&c.expr, Use::Move, out);
            read_out_from(out, first);
        }
        Expr::Try(t) => visit(&t.expr, Use::Move, out),
        Expr::Await(a) => visit(&a.base, Use::Move, out),
        Expr::Return(r) => {
            if let Some(e) = &r.expr {
                visit(e, Use::Move, out);
            }
        }
        Expr::Break(b) => {
            if let Some(e) = &b.expr {
                visit(e, Use::Move, out);
            }
        }
        Expr::Yield(y) => {
            if let Some(e) = &y.expr {
                visit(e, Use::Move, out);
            }
        }
        _ => {}
    }
}

/// Identifiers inside macro arguments, and `{name}` inside string literals
/// there (inline format arguments), count as borrows.
/// The mentions in a macro's arguments. Arguments that read as
/// expressions are classified like any code inside them
/// (`format!("{}", f(x))` moves `x` into `f`); a name given as an argument
/// itself is borrowed, as the format macros and `assert!`s do, except by
/// `vec!` and `dbg!`, which take their arguments by value. Other tokens
/// are read as names only, all borrowed.
fn macro_args(mac: &syn::Macro, out: &mut Vec<Mention>) {
    let Some(args) = crate::rewrite::MacroExprs::parse(mac) else {
        return tokens(&mac.tokens, out);
    };
    let by_value = mac.path.is_ident("vec") || mac.path.is_ident("dbg");
    let named = crate::names::named_arguments(&mac.tokens);
    for arg in &args.exprs {
        match arg {
            Expr::Lit(lit) => out.extend(
                format_captures(lit)
                    .into_iter()
                    .filter(|m| !named.contains(&m.name)),
            ),
            // `n = x`: a named format argument; `n` is no local
            Expr::Assign(a) if is_local_name(&a.left) => visit(
                &a.right,
                if by_value { Use::Move } else { Use::Borrow },
                out,
            ),
            arg => visit(arg, if by_value { Use::Move } else { Use::Borrow }, out),
        }
    }
    tokens(&args.rest, out);
}

/// What a format string among a macro's arguments reads: the names it
/// captures (`"{x} {y:?}"`), borrowed.
pub fn format_captures(lit: &syn::ExprLit) -> Vec<Mention> {
    let mut out = Vec::new();
    tokens(&quote::ToTokens::to_token_stream(lit), &mut out);
    out
}

fn tokens(stream: &TokenStream, out: &mut Vec<Mention>) {
    let mut previous_was_dot = false;
    for tree in stream.clone() {
        match &tree {
            TokenTree::Ident(ident) => {
                if !previous_was_dot {
                    out.push(Mention::new(ident.to_string(), Use::Borrow));
                }
            }
            TokenTree::Group(group) => tokens(&group.stream(), out),
            TokenTree::Literal(literal) => {
                for name in format_args_in(&literal.to_string()) {
                    out.push(Mention::new(name, Use::Borrow));
                }
            }
            TokenTree::Punct(_) => {}
        }
        previous_was_dot = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '.');
    }
}

/// The names used as inline format arguments in a string literal's source:
/// `"{x} and {y:?}"` → `x`, `y`.
pub fn format_args_in(literal: &str) -> Vec<String> {
    if !literal.starts_with('"') && !literal.starts_with('r') {
        return Vec::new();
    }
    let mut names = Vec::new();
    let chars: Vec<char> = literal.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            if chars.get(i + 1) == Some(&'{') {
                i += 2;
                continue;
            }
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            if end > start && matches!(chars.get(end), Some('}') | Some(':')) {
                let name: String = chars[start..end].iter().collect();
                if !name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    names.push(name);
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    names
}

/// The tokens (`.await`) of the first `.await` in `expr` that belongs to
/// this function (not to a closure, `async` block or nested item inside it),
/// looking into macro arguments too: what error messages point at.
pub fn find_await(expr: &Expr) -> Option<TokenStream> {
    let mut finder = AwaitFinder(None);
    syn::visit::Visit::visit_expr(&mut finder, expr);
    finder.0
}

/// The tokens of the first `.await` written inside macro tokens.
pub fn find_await_tokens(stream: &TokenStream) -> Option<TokenStream> {
    let mut previous: Option<TokenTree> = None;
    for tree in stream.clone() {
        match &tree {
            TokenTree::Ident(ident) if ident == "await" => {
                if let Some(dot) = previous {
                    return Some([dot, tree].into_iter().collect());
                }
            }
            TokenTree::Group(group) => {
                if let Some(found) = find_await_tokens(&group.stream()) {
                    return Some(found);
                }
            }
            _ => {}
        }
        previous = match &tree {
            TokenTree::Punct(p) if p.as_char() == '.' => Some(tree.clone()),
            _ => None,
        };
    }
    None
}

struct AwaitFinder(Option<TokenStream>);

impl<'ast> syn::visit::Visit<'ast> for AwaitFinder {
    fn visit_expr_await(&mut self, node: &'ast syn::ExprAwait) {
        if self.0.is_none() {
            let (dot, keyword) = (&node.dot_token, &node.await_token);
            self.0 = Some(quote::quote!(#dot #keyword));
        }
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        if self.0.is_none() {
            self.0 = find_await_tokens(&node.tokens);
        }
    }
}

/// `block` as an expression (`{ .. }`), for the functions that look at
/// expressions.
pub fn block_expr(block: &syn::Block) -> Expr {
    Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: block.clone(),
    })
}

/// Whether `expr` holds an `.await` of this function.
pub fn has_await(expr: &Expr) -> bool {
    find_await(expr).is_some()
}

/// Whether `expr` or an expression inside it satisfies `found`, not looking
/// into closures, `async` blocks and items (their code is their own).
pub fn any_in(expr: &Expr, found: &dyn Fn(&Expr) -> bool) -> bool {
    struct Any<'a>(&'a dyn Fn(&Expr) -> bool, bool);
    impl<'ast> syn::visit::Visit<'ast> for Any<'_> {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            if self.1 {
                return;
            }
            if (self.0)(expr) {
                self.1 = true;
                return;
            }
            match expr {
                Expr::Closure(_) | Expr::Async(_) => {}
                _ => syn::visit::visit_expr(self, expr),
            }
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut any = Any(found, false);
    syn::visit::Visit::visit_expr(&mut any, expr);
    any.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(src: &str) -> Vec<(String, Use)> {
        let e: Expr = syn::parse_str(src).unwrap();
        mentions(&e)
            .into_iter()
            .map(|m| (m.name, m.usage))
            .collect()
    }

    #[test]
    fn classifies_uses() {
        assert_eq!(
            uses("f(x)"),
            vec![("f".into(), Use::Borrow), ("x".into(), Use::Move)]
        );
        assert_eq!(uses("x.len()"), vec![("x".into(), Use::Borrow)]);
        assert_eq!(uses("x.unwrap()"), vec![("x".into(), Use::Move)]);
        assert_eq!(uses("&mut x"), vec![("x".into(), Use::Borrow)]);
        assert_eq!(uses("x = 1"), vec![("x".into(), Use::Assign)]);
        assert_eq!(
            uses("x == y"),
            vec![("x".into(), Use::Borrow), ("y".into(), Use::Borrow)]
        );
        assert_eq!(
            uses("println!(\"{a} {}\", b)"),
            vec![
                ("println".into(), Use::Borrow),
                ("a".into(), Use::Borrow),
                ("b".into(), Use::Borrow)
            ]
            .into_iter()
            .skip(1)
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn inline_format_args() {
        assert_eq!(format_args_in("\"{x} {{y}} {z:?} {0}\""), vec!["x", "z"]);
    }

    #[test]
    fn awaits_in_closures_do_not_count() {
        let e: Expr = syn::parse_str("f(|| async { g().await })").unwrap();
        assert!(!has_await(&e));
        let e: Expr = syn::parse_str("f(g().await)").unwrap();
        assert!(has_await(&e));
        let e: Expr = syn::parse_str("println!(\"{}\", g().await)").unwrap();
        assert!(has_await(&e));
    }
}
