//! Stage 3: the body, as a program of verbatim and split statements.
//!
//! In: the body of the `async fn`. Out: a [`Program`]: a list of [`Op`]s in
//! source order. A statement without `.await` is an [`Op::Stmt`], emitted as
//! written. A statement with `.await`s becomes an [`Op::Split`]: the steps
//! that must happen before each suspension, in evaluation order, then the
//! await-free rest of the statement.
//!
//! ```text
//! let n = f(a(), g(b).await?, c());
//! ```
//! becomes
//! ```text
//! Split {
//!     steps: [ Temp(tmp0 = a()), Await(0: g(b) -> output) ],
//!     result: f(tmp0, output?, c()),     // then `let n = <result>;`
//! }
//! ```
//! Operands to the left of the last operand holding an `.await` are
//! evaluated into temporaries first (`a()` runs before `g(b)` is awaited);
//! places that are only borrowed there (method receivers, `&x`, the left of
//! `==` or `+=`) stay where they are. Inside the awaited expression itself,
//! temporaries the sub-future borrows (`f(&make())`, `make().next_line()`)
//! become named temporaries too, so that they can live in the state next to
//! the sub-future.
//!
//! Anything this version cannot split yet (an `.await` inside `if`, `match`,
//! a loop, a block, a macro call, `&&`/`||`) is a compile error that names the
//! construct.

use proc_macro2::Span;
use quote::format_ident;
use syn::spanned::Spanned;
use syn::{Expr, Ident, Pat, Stmt};

use crate::analyse::{consumes_receiver, find_await, find_await_tokens, has_await};
use crate::parse::AsyncFn;

/// The lowered body.
pub struct Program {
    /// Items declared in the body (`fn`, `struct`, `use`, `macro_rules!`...).
    /// They are visible in the whole body, so they go next to the state
    /// enum, outside the step closure.
    pub items: Vec<Stmt>,
    /// The statements, in source order.
    pub ops: Vec<Op>,
    /// The `.await`s, in order (also reachable through the splits).
    pub awaits: Vec<AwaitPoint>,
}

/// One statement of the lowered body.
pub enum Op {
    /// A statement without `.await`, emitted verbatim.
    Stmt(Stmt),
    /// A statement holding `.await`s.
    Split(Split),
    /// The tail expression (no `.await`), the function's result.
    Tail(Expr),
}

/// A statement holding `.await`s, taken apart in evaluation order.
pub struct Split {
    /// What the statement is.
    pub kind: SplitKind,
    /// Temporaries and awaits, in the order they happen.
    pub steps: Vec<Step>,
    /// The rest of the statement, with every `.await` replaced by the
    /// identifier of its output and spilled operands by their temporaries.
    pub result: Expr,
}

/// The statement a [`Split`] came from.
pub enum SplitKind {
    /// `let <pat> = <result>;`
    Let(Box<Pat>),
    /// `<result>;` (or without `;` when it is not the last statement).
    Expr,
    /// The tail expression: `<result>` is the function's output.
    Tail,
}

/// One step of a split statement.
pub enum Step {
    /// `let mut <ident> = <expr>;`: an operand evaluated early.
    Temp(Temp),
    /// Evaluate the sub-future and wait for it: a state of its own.
    Await(usize),
}

/// An operand evaluated into a temporary before a later `.await`.
#[derive(Clone)]
pub struct Temp {
    /// `tmpN`, hygienic.
    pub ident: Ident,
    /// The operand.
    pub expr: Expr,
}

/// One `.await`: one suspension point, one state.
#[derive(Clone)]
pub struct AwaitPoint {
    /// Its number, from 0, in source order.
    pub index: usize,
    /// The expression that makes the sub-future (no `.await` left in it).
    pub future: Expr,
    /// The identifier its output is bound to.
    pub output: Ident,
    /// The binding its output goes straight into, if the statement is
    /// `let <ident> = <future>.await` (optionally with `?`): names the state.
    pub binds: Option<Ident>,
    /// The `.await` tokens, for messages.
    pub span: Span,
}

impl Program {
    /// Lowers the body of `function`.
    pub fn lower(function: &AsyncFn) -> syn::Result<Program> {
        let mut lowerer = Lowerer {
            awaits: Vec::new(),
            temps: 0,
        };
        let (items, stmts): (Vec<&Stmt>, Vec<&Stmt>) =
            function.body.stmts.iter().partition(|s| is_item(s));
        let mut ops = Vec::new();
        let count = stmts.len();
        for (i, stmt) in stmts.into_iter().enumerate() {
            let last = i + 1 == count;
            ops.push(lowerer.stmt(stmt, last)?);
        }
        Ok(Program {
            items: items.into_iter().cloned().collect(),
            ops,
            awaits: lowerer.awaits,
        })
    }
}

struct Lowerer {
    awaits: Vec<AwaitPoint>,
    temps: usize,
}

/// Builds the steps of one split statement.
struct Splitter<'a> {
    lowerer: &'a mut Lowerer,
    steps: Vec<Step>,
    /// Number of awaits in the statement: one gets `output`, several get
    /// `output1`, `output2`...
    awaits_in_statement: usize,
    seen: usize,
    binds: Option<Ident>,
}

impl Lowerer {
    fn stmt(&mut self, stmt: &Stmt, last: bool) -> syn::Result<Op> {
        match stmt {
            Stmt::Local(local) => {
                let Some(init) = &local.init else {
                    return Ok(Op::Stmt(stmt.clone()));
                };
                if let Some((_, diverge)) = &init.diverge {
                    if let Some(span) = find_await(&init.expr).or_else(|| find_await(diverge)) {
                        return Err(unsupported(span, "`let ... else`"));
                    }
                }
                if !has_await(&init.expr) {
                    return Ok(Op::Stmt(stmt.clone()));
                }
                let binds = match &local.pat {
                    Pat::Ident(p) if p.subpat.is_none() => Some(p.ident.clone()),
                    Pat::Type(t) => match &*t.pat {
                        Pat::Ident(p) if p.subpat.is_none() => Some(p.ident.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                let (steps, result) = self.split(&init.expr, binds)?;
                Ok(Op::Split(Split {
                    kind: SplitKind::Let(Box::new(local.pat.clone())),
                    steps,
                    result,
                }))
            }
            Stmt::Expr(expr, semi) => {
                if !has_await(expr) {
                    return Ok(if last && semi.is_none() {
                        Op::Tail(expr.clone())
                    } else {
                        Op::Stmt(stmt.clone())
                    });
                }
                let (steps, result) = self.split(expr, None)?;
                let kind = if last && semi.is_none() {
                    SplitKind::Tail
                } else {
                    SplitKind::Expr
                };
                Ok(Op::Split(Split {
                    kind,
                    steps,
                    result,
                }))
            }
            Stmt::Macro(mac) => match find_await_tokens(&mac.mac.tokens) {
                Some(span) => Err(unsupported(
                    span,
                    &format!("a `{}!` macro call", macro_name(&mac.mac)),
                )),
                None => Ok(Op::Stmt(stmt.clone())),
            },
            Stmt::Item(_) => Ok(Op::Stmt(stmt.clone())),
        }
    }

    fn split(&mut self, expr: &Expr, binds: Option<Ident>) -> syn::Result<(Vec<Step>, Expr)> {
        let mut splitter = Splitter {
            awaits_in_statement: count_awaits(expr),
            lowerer: self,
            steps: Vec::new(),
            seen: 0,
            binds,
        };
        let result = splitter.expr(expr)?;
        Ok((splitter.steps, result))
    }
}

impl Splitter<'_> {
    /// Returns `expr` without `.await`s, pushing the steps that must run first.
    fn expr(&mut self, expr: &Expr) -> syn::Result<Expr> {
        if !has_await(expr) {
            return Ok(expr.clone());
        }
        let mut out = expr.clone();
        match &mut out {
            Expr::Await(a) => {
                let future = self.expr(&a.base)?;
                let future = self.name_borrowed_temporaries(future);
                let span = a
                    .dot_token
                    .span
                    .join(a.await_token.span)
                    .unwrap_or(a.span());
                return Ok(self.await_point(future, span));
            }
            Expr::Paren(p) => *p.expr = self.expr(&p.expr)?,
            Expr::Group(g) => *g.expr = self.expr(&g.expr)?,
            Expr::Unary(u) => *u.expr = self.expr(&u.expr)?,
            Expr::Cast(c) => *c.expr = self.expr(&c.expr)?,
            Expr::Field(f) => *f.base = self.expr(&f.base)?,
            Expr::Try(t) => *t.expr = self.expr(&t.expr)?,
            Expr::Reference(r) => *r.expr = self.expr(&r.expr)?,
            Expr::Repeat(r) => *r.expr = self.expr(&r.expr)?,
            Expr::Return(r) => {
                if let Some(e) = &mut r.expr {
                    **e = self.expr(e)?;
                }
            }
            Expr::Call(c) => {
                let mut operands: Vec<(&mut Expr, bool)> = vec![(&mut *c.func, true)];
                operands.extend(c.args.iter_mut().map(|a| (a, false)));
                self.operands(operands)?;
            }
            Expr::MethodCall(m) => {
                let mut operands: Vec<(&mut Expr, bool)> = vec![(&mut *m.receiver, true)];
                operands.extend(m.args.iter_mut().map(|a| (a, false)));
                self.operands(operands)?;
            }
            Expr::Binary(b) => {
                use syn::BinOp::*;
                if matches!(b.op, And(_) | Or(_)) && has_await(&b.right) {
                    let span = find_await(&b.right).unwrap_or(b.op.span());
                    return Err(unsupported(span, "the right-hand side of `&&` or `||`"));
                }
                let left_is_place = matches!(
                    b.op,
                    Eq(_)
                        | Ne(_)
                        | Lt(_)
                        | Le(_)
                        | Gt(_)
                        | Ge(_)
                        | AddAssign(_)
                        | SubAssign(_)
                        | MulAssign(_)
                        | DivAssign(_)
                        | RemAssign(_)
                        | BitXorAssign(_)
                        | BitAndAssign(_)
                        | BitOrAssign(_)
                        | ShlAssign(_)
                        | ShrAssign(_)
                );
                let right_is_place = matches!(b.op, Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_));
                self.operands(vec![
                    (&mut *b.left, left_is_place),
                    (&mut *b.right, right_is_place),
                ])?;
            }
            Expr::Assign(a) => {
                if let Some(span) = find_await(&a.left) {
                    return Err(unsupported(span, "the left-hand side of an assignment"));
                }
                *a.right = self.expr(&a.right)?;
            }
            Expr::Index(i) => {
                self.operands(vec![(&mut *i.expr, true), (&mut *i.index, false)])?;
            }
            Expr::Tuple(t) => self.operands(t.elems.iter_mut().map(|e| (e, false)).collect())?,
            Expr::Array(a) => self.operands(a.elems.iter_mut().map(|e| (e, false)).collect())?,
            Expr::Struct(s) => {
                let mut operands: Vec<(&mut Expr, bool)> =
                    s.fields.iter_mut().map(|f| (&mut f.expr, false)).collect();
                if let Some(rest) = &mut s.rest {
                    operands.push((&mut **rest, false));
                }
                self.operands(operands)?;
            }
            Expr::Range(r) => {
                let mut operands: Vec<(&mut Expr, bool)> = Vec::new();
                if let Some(s) = &mut r.start {
                    operands.push((&mut **s, false));
                }
                if let Some(e) = &mut r.end {
                    operands.push((&mut **e, false));
                }
                self.operands(operands)?;
            }
            other => {
                let span = find_await(other).unwrap_or(other.span());
                return Err(unsupported(span, &construct_name(other)));
            }
        }
        Ok(out)
    }

    /// Splits a list of operands evaluated left to right.
    fn operands(&mut self, mut operands: Vec<(&mut Expr, bool)>) -> syn::Result<()> {
        let Some(last) = operands.iter().rposition(|(e, _)| has_await(e)) else {
            return Ok(());
        };
        for (i, (operand, place_ok)) in operands.iter_mut().enumerate().take(last + 1) {
            if i == last {
                **operand = self.expr(operand)?;
            } else if has_await(operand) {
                let value = self.expr(operand)?;
                **operand = if is_output_or_temp(&value) {
                    value
                } else {
                    self.temp(value)
                };
            } else if !(is_stable(operand) || *place_ok && is_place(operand)) {
                let value = (**operand).clone();
                **operand = self.temp(value);
            }
        }
        Ok(())
    }

    /// Inside an awaited expression, names the temporaries the sub-future
    /// borrows: `f(&make())` and `make().next_line()`.
    fn name_borrowed_temporaries(&mut self, future: Expr) -> Expr {
        let mut future = future;
        match &mut future {
            Expr::MethodCall(m) => {
                let borrows_receiver = !consumes_receiver(&m.method.to_string())
                    && !matches!(
                        m.method.to_string().as_str(),
                        "send" | "json" | "text" | "bytes"
                    );
                let mut spill_upto = None;
                if borrows_receiver && !is_place(&m.receiver) && !is_stable(&m.receiver) {
                    spill_upto = Some(0);
                }
                for (i, arg) in m.args.iter().enumerate() {
                    if borrows_temporary(arg) {
                        spill_upto = Some(i + 1);
                    }
                }
                if let Some(upto) = spill_upto {
                    if !is_place(&m.receiver) && !is_stable(&m.receiver) {
                        let receiver = (*m.receiver).clone();
                        *m.receiver = self.temp(receiver);
                    }
                    for arg in m.args.iter_mut().take(upto) {
                        self.name_argument(arg);
                    }
                }
            }
            Expr::Call(c) => {
                if let Some(upto) = c.args.iter().rposition(borrows_temporary) {
                    for arg in c.args.iter_mut().take(upto + 1) {
                        self.name_argument(arg);
                    }
                }
            }
            _ => {}
        }
        future
    }

    fn name_argument(&mut self, arg: &mut Expr) {
        if let Expr::Reference(r) = arg {
            if !is_place(&r.expr) && !is_stable(&r.expr) {
                let value = (*r.expr).clone();
                *r.expr = self.temp(value);
            }
        } else if !is_stable(arg) && !is_place(arg) {
            let value = arg.clone();
            *arg = self.temp(value);
        }
    }

    fn temp(&mut self, expr: Expr) -> Expr {
        let ident = format_ident!("tmp{}", self.lowerer.temps, span = Span::mixed_site());
        self.lowerer.temps += 1;
        self.steps.push(Step::Temp(Temp {
            ident: ident.clone(),
            expr,
        }));
        syn::parse_quote!(#ident)
    }

    fn await_point(&mut self, future: Expr, span: Span) -> Expr {
        self.seen += 1;
        let output = if self.awaits_in_statement == 1 {
            Ident::new("output", Span::mixed_site())
        } else {
            format_ident!("output{}", self.seen, span = Span::mixed_site())
        };
        let index = self.lowerer.awaits.len();
        let binds = if self.awaits_in_statement == 1 {
            self.binds.clone()
        } else {
            None
        };
        self.lowerer.awaits.push(AwaitPoint {
            index,
            future,
            output: output.clone(),
            binds,
            span,
        });
        self.steps.push(Step::Await(index));
        syn::parse_quote!(#output)
    }
}

fn count_awaits(expr: &Expr) -> usize {
    struct Counter(usize);
    impl<'ast> syn::visit::Visit<'ast> for Counter {
        fn visit_expr_await(&mut self, node: &'ast syn::ExprAwait) {
            self.0 += 1;
            syn::visit::visit_expr_await(self, node);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut counter = Counter(0);
    syn::visit::Visit::visit_expr(&mut counter, expr);
    counter.0
}

/// An expression whose value cannot change between now and later: a literal
/// or a path that is not a plain local name (a constant, a function).
fn is_stable(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) => true,
        Expr::Path(p) => {
            p.path.segments.len() > 1
                || p.qself.is_some()
                || p.path.segments[0]
                    .ident
                    .to_string()
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase())
        }
        Expr::Paren(p) => is_stable(&p.expr),
        Expr::Group(g) => is_stable(&g.expr),
        _ => false,
    }
}

/// A place expression: a local, a field or index of a place, a deref.
fn is_place(expr: &Expr) -> bool {
    match expr {
        Expr::Path(_) => true,
        Expr::Field(f) => is_place(&f.base),
        Expr::Index(i) => is_place(&i.expr) && !has_await(&i.index),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)),
        Expr::Paren(p) => is_place(&p.expr),
        Expr::Group(g) => is_place(&g.expr),
        _ => false,
    }
}

fn is_output_or_temp(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.path.segments.len() == 1
        && { let s = p.path.segments[0].ident.to_string(); s.starts_with("output") || s.starts_with("tmp") })
}

fn borrows_temporary(expr: &Expr) -> bool {
    matches!(expr, Expr::Reference(r) if !is_place(&r.expr) && !is_stable(&r.expr) && !matches!(&*r.expr, Expr::Array(_)))
}

fn macro_name(mac: &syn::Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_else(|| "macro".into())
}

fn construct_name(expr: &Expr) -> String {
    match expr {
        Expr::If(_) => "`if`".into(),
        Expr::Match(_) => "`match`".into(),
        Expr::Loop(_) => "`loop`".into(),
        Expr::While(_) => "`while`".into(),
        Expr::ForLoop(_) => "`for`".into(),
        Expr::Block(_) => "a block `{ ... }`".into(),
        Expr::Unsafe(_) => "an `unsafe` block".into(),
        Expr::Macro(m) => format!("a `{}!` macro call", macro_name(&m.mac)),
        Expr::Let(_) => "`let` in a condition".into(),
        Expr::Break(_) => "`break`".into(),
        Expr::Closure(_) => "a closure".into(),
        _ => "this expression".into(),
    }
}

/// The error for an `.await` in a place this version cannot split yet.
fn unsupported(span: Span, construct: &str) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "#[desugar] does not support `.await` inside {construct} yet; \
             for now, await into a `let` binding before it and use the binding"
        ),
    )
}

/// An item, or a `macro_rules!` definition: declared, not executed.
fn is_item(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Item(_) => true,
        Stmt::Macro(m) => m.mac.path.is_ident("macro_rules"),
        _ => false,
    }
}
