//! Shrinking: a failing [`Program`] and a way to check a batch go in, a
//! smaller program that still fails the same way comes out. Each round
//! builds every one-step simplification (drop a statement, inline a
//! block, replace an expression by a part of it or a literal, no extra
//! `Pending`s) into one batch and keeps the smallest that still fails.

use crate::driver::Verdict;
use crate::gen::{BlockE, Cond, Expr, Pat, Program, Stmt, StrInit};

/// Checks a batch: one verdict per program.
pub type BatchCheck<'a> = dyn FnMut(&[Program]) -> Result<Vec<Verdict>, String> + 'a;

/// Size of a program: the length of its `Debug` text (smaller is simpler).
pub fn size(p: &Program) -> usize {
    format!("{:?}", p).len()
}

/// Shrinks `p`, whose verdict has kind `kind`, with `check` (one verdict
/// per program of a batch). At most `rounds` rounds.
pub fn shrink(
    p: &Program,
    kind: &str,
    rounds: usize,
    check: &mut BatchCheck<'_>,
) -> Result<(Program, Verdict), String> {
    let mut best = p.clone();
    let mut verdict = check(std::slice::from_ref(&best))?.remove(0);
    // Keep to the original's bug: inlining a block after a `return` makes
    // unreachable code, a bug of its own (found/006).
    let dead_ok = crate::gen::has_dead_code(p);
    for _ in 0..rounds {
        let mut cands = candidates(&best);
        if !dead_ok {
            cands.retain(|c| !crate::gen::has_dead_code(c));
        }
        cands.sort_by_key(size);
        cands.truncate(200);
        if cands.is_empty() {
            break;
        }
        let verdicts = check(&cands)?;
        let found = cands
            .into_iter()
            .zip(verdicts)
            .filter(|(_, v)| v.kind() == kind)
            .min_by_key(|(c, _)| size(c));
        match found {
            Some((c, v)) if size(&c) < size(&best) => {
                best = c;
                verdict = v;
            }
            _ => break,
        }
    }
    Ok((best, verdict))
}

/// All one-step simplifications of `p`.
pub fn candidates(p: &Program) -> Vec<Program> {
    let mut out = Vec::new();
    for body in stmts_variants(&p.body) {
        out.push(Program { body, ..p.clone() });
    }
    for tail in expr_variants(&p.tail) {
        out.push(Program { tail, ..p.clone() });
    }
    out
}

fn stmts_variants(v: &[Stmt]) -> Vec<Vec<Stmt>> {
    let mut out = Vec::new();
    for i in 0..v.len() {
        let mut w = v.to_vec();
        w.remove(i);
        out.push(w);
        // Inline a compound statement's body in its place.
        for inner in inner_bodies(&v[i]) {
            let mut w = v[..i].to_vec();
            w.extend(inner);
            w.extend_from_slice(&v[i + 1..]);
            out.push(w);
        }
        for s in stmt_variants(&v[i]) {
            let mut w = v.to_vec();
            w[i] = s;
            out.push(w);
        }
    }
    out
}

fn inner_bodies(s: &Stmt) -> Vec<Vec<Stmt>> {
    match s {
        Stmt::If(_, a, b) => {
            let mut v = vec![a.clone()];
            v.extend(b.clone());
            v
        }
        Stmt::Match(_, arms) => arms.iter().map(|(_, b)| b.clone()).collect(),
        Stmt::Loop(_, _, b)
        | Stmt::While(_, _, _, b)
        | Stmt::Block(b)
        | Stmt::IfLetStr(_, _, _, b) => vec![b.clone()],
        _ => Vec::new(),
    }
}

/// Boxed, for the operands of an [`Expr`].
fn boxed(v: Vec<Expr>) -> impl Iterator<Item = Box<Expr>> {
    v.into_iter().map(Box::new)
}

fn stmt_variants(s: &Stmt) -> Vec<Stmt> {
    use Stmt as S;
    let mut out = Vec::new();
    match s {
        S::LetInt(n, m, e, t) => {
            out.extend(
                expr_variants(e)
                    .into_iter()
                    .map(|e| S::LetInt(n.clone(), *m, e, *t)),
            );
            if *m {
                out.push(S::LetInt(n.clone(), false, e.clone(), *t));
            }
        }
        S::LetBool(n, c) => out.extend(
            cond_variants(c)
                .into_iter()
                .map(|c| S::LetBool(n.clone(), c)),
        ),
        S::LetStr(n, StrInit::Format(a, b)) => {
            out.push(S::LetStr(n.clone(), StrInit::Lit("str".into())));
            out.extend(
                expr_variants(a)
                    .into_iter()
                    .map(|a| S::LetStr(n.clone(), StrInit::Format(a, b.clone()))),
            );
            out.extend(
                expr_variants(b)
                    .into_iter()
                    .map(|b| S::LetStr(n.clone(), StrInit::Format(a.clone(), b))),
            );
        }
        S::LetVec(n, m, xs) => {
            for i in 0..xs.len() {
                let mut w = xs.clone();
                w.remove(i);
                out.push(S::LetVec(n.clone(), *m, w));
                for e in expr_variants(&xs[i]) {
                    let mut w = xs.clone();
                    w[i] = e;
                    out.push(S::LetVec(n.clone(), *m, w));
                }
            }
        }
        S::LetTry(n, m, id, e, ok, pe) => {
            out.extend(
                expr_variants(e)
                    .into_iter()
                    .map(|e| S::LetTry(n.clone(), *m, *id, e, *ok, *pe)),
            );
            if *pe > 0 {
                out.push(S::LetTry(n.clone(), *m, *id, e.clone(), *ok, 0));
            }
        }
        S::Assign(n, op, e) => out.extend(
            expr_variants(e)
                .into_iter()
                .map(|e| S::Assign(n.clone(), *op, e)),
        ),
        S::Push(n, e) => out.extend(expr_variants(e).into_iter().map(|e| S::Push(n.clone(), e))),
        S::Note(id, e) => out.extend(expr_variants(e).into_iter().map(|e| S::Note(*id, e))),
        S::If(c, a, b) => {
            out.extend(
                cond_variants(c)
                    .into_iter()
                    .map(|c| S::If(c, a.clone(), b.clone())),
            );
            out.extend(
                stmts_variants(a)
                    .into_iter()
                    .map(|a| S::If(c.clone(), a, b.clone())),
            );
            if let Some(b) = b {
                out.push(S::If(c.clone(), a.clone(), None));
                out.extend(
                    stmts_variants(b)
                        .into_iter()
                        .map(|b| S::If(c.clone(), a.clone(), Some(b))),
                );
            }
        }
        S::Match(e, arms) => {
            out.extend(
                expr_variants(e)
                    .into_iter()
                    .map(|e| S::Match(e, arms.clone())),
            );
            for i in 0..arms.len() {
                if i + 1 < arms.len() {
                    let mut w = arms.clone();
                    w.remove(i);
                    out.push(S::Match(e.clone(), w));
                }
                for b in stmts_variants(&arms[i].1) {
                    let mut w = arms.clone();
                    w[i].1 = b;
                    out.push(S::Match(e.clone(), w));
                }
                if let Pat::Guard(n, g) = &arms[i].0 {
                    for g in cond_variants(g) {
                        let mut w = arms.clone();
                        w[i].0 = Pat::Guard(n.clone(), g);
                        out.push(S::Match(e.clone(), w));
                    }
                }
            }
        }
        S::MatchOpt(o, y, a, b) => {
            out.extend(
                stmts_variants(a)
                    .into_iter()
                    .map(|a| S::MatchOpt(o.clone(), y.clone(), a, b.clone())),
            );
            out.extend(
                stmts_variants(b)
                    .into_iter()
                    .map(|b| S::MatchOpt(o.clone(), y.clone(), a.clone(), b)),
            );
        }
        S::Loop(l, k, b) => {
            if *k > 1 {
                out.push(S::Loop(*l, 1, b.clone()));
            }
            out.extend(stmts_variants(b).into_iter().map(|b| S::Loop(*l, *k, b)));
        }
        S::While(l, k, c, b) => {
            if *k > 1 {
                out.push(S::While(*l, 1, c.clone(), b.clone()));
            }
            if let Some(c) = c {
                out.push(S::While(*l, *k, None, b.clone()));
                out.extend(
                    cond_variants(c)
                        .into_iter()
                        .map(|c| S::While(*l, *k, Some(c), b.clone())),
                );
            }
            out.extend(
                stmts_variants(b)
                    .into_iter()
                    .map(|b| S::While(*l, *k, c.clone(), b)),
            );
        }
        S::ForRange(l, x, n, b) => {
            if *n > 1 {
                out.push(S::ForRange(*l, x.clone(), 1, b.clone()));
            }
            out.extend(
                stmts_variants(b)
                    .into_iter()
                    .map(|b| S::ForRange(*l, x.clone(), *n, b)),
            );
        }
        S::ForRef(l, x, v, b) => {
            out.extend(
                stmts_variants(b)
                    .into_iter()
                    .map(|b| S::ForRef(*l, x.clone(), v.clone(), b)),
            );
        }
        S::Break(l, Some(e)) => {
            out.extend(expr_variants(e).into_iter().map(|e| S::Break(*l, Some(e))))
        }
        S::Return(e) => out.extend(expr_variants(e).into_iter().map(S::Return)),
        S::Block(b) => out.extend(stmts_variants(b).into_iter().map(S::Block)),
        S::IfLetStr(t, e, c, b) => {
            if c.is_some() {
                out.push(S::IfLetStr(t.clone(), e.clone(), None, b.clone()));
            }
            out.extend(
                stmts_variants(b)
                    .into_iter()
                    .map(|b| S::IfLetStr(t.clone(), e.clone(), c.clone(), b)),
            )
        }
        S::Tick(id, pe) if *pe > 0 => out.push(S::Tick(*id, 0)),
        S::LetClosure(n, x, op, Some(_)) => {
            out.push(S::LetClosure(n.clone(), x.clone(), *op, None))
        }
        _ => {}
    }
    out
}

fn block_e_variants(b: &BlockE) -> Vec<BlockE> {
    let mut out: Vec<BlockE> = stmts_variants(&b.stmts)
        .into_iter()
        .map(|stmts| BlockE {
            stmts,
            value: b.value.clone(),
        })
        .collect();
    out.extend(expr_variants(&b.value).into_iter().map(|value| BlockE {
        stmts: b.stmts.clone(),
        value,
    }));
    out
}

fn expr_variants(e: &Expr) -> Vec<Expr> {
    use Expr as X;
    let mut out = Vec::new();
    if !matches!(e, X::Lit(0)) {
        out.push(X::Lit(0));
    }
    match e {
        X::Bin(op, a, b) => {
            out.push((**a).clone());
            out.push((**b).clone());
            out.extend(boxed(expr_variants(a)).map(|a| X::Bin(*op, a, b.clone())));
            out.extend(boxed(expr_variants(b)).map(|b| X::Bin(*op, a.clone(), b)));
        }
        X::Note(id, a) => {
            out.push((**a).clone());
            out.extend(boxed(expr_variants(a)).map(|a| X::Note(*id, a)));
        }
        X::Leaf(id, a, pe) => {
            out.push((**a).clone());
            if *pe > 0 {
                out.push(X::Leaf(*id, a.clone(), 0));
            }
            out.extend(boxed(expr_variants(a)).map(|a| X::Leaf(*id, a, *pe)));
        }
        X::LeafRef(id, n, v, pe) if *pe > 0 => out.push(X::LeafRef(*id, n.clone(), *v, 0)),
        X::Consume(id, n, pe) if *pe > 0 => out.push(X::Consume(*id, n.clone(), 0)),
        X::Try(id, a, ok, pe) => {
            out.push((**a).clone());
            if *pe > 0 {
                out.push(X::Try(*id, a.clone(), *ok, 0));
            }
            out.extend(boxed(expr_variants(a)).map(|a| X::Try(*id, a, *ok, *pe)));
        }
        X::If(c, a, b) => {
            out.push(X::Block(a.clone()));
            out.push(X::Block(b.clone()));
            out.extend(
                cond_variants(c)
                    .into_iter()
                    .map(|c| X::If(Box::new(c), a.clone(), b.clone())),
            );
            out.extend(
                block_e_variants(a)
                    .into_iter()
                    .map(|a| X::If(c.clone(), Box::new(a), b.clone())),
            );
            out.extend(
                block_e_variants(b)
                    .into_iter()
                    .map(|b| X::If(c.clone(), a.clone(), Box::new(b))),
            );
        }
        X::Block(b) => {
            if b.stmts.is_empty() {
                out.push(b.value.clone());
            }
            out.extend(
                block_e_variants(b)
                    .into_iter()
                    .map(|b| X::Block(Box::new(b))),
            );
        }
        X::Loop(l, k, b) => {
            if *k > 1 {
                out.push(X::Loop(*l, 1, b.clone()));
            }
            out.extend(stmts_variants(b).into_iter().map(|b| X::Loop(*l, *k, b)));
        }
        X::Boom(id, pe) if *pe > 0 => out.push(X::Boom(*id, 0)),
        X::CallClosure(n, a) => {
            out.push((**a).clone());
            out.extend(boxed(expr_variants(a)).map(|a| X::CallClosure(n.clone(), a)));
        }
        _ => {}
    }
    out
}

fn cond_variants(c: &Cond) -> Vec<Cond> {
    use Cond as C;
    let mut out = Vec::new();
    if !matches!(c, C::Note(..)) {
        out.push(C::Note(0, true));
        out.push(C::Note(0, false));
    }
    match c {
        C::Cmp(op, a, b) => {
            out.extend(
                expr_variants(a)
                    .into_iter()
                    .map(|a| C::Cmp(*op, a, b.clone())),
            );
            out.extend(
                expr_variants(b)
                    .into_iter()
                    .map(|b| C::Cmp(*op, a.clone(), b)),
            );
        }
        C::Flag(id, v, pe) if *pe > 0 => out.push(C::Flag(*id, *v, 0)),
        C::Not(a) => {
            out.push((**a).clone());
            out.extend(cond_variants(a).into_iter().map(|a| C::Not(Box::new(a))));
        }
        C::Logic(op, a, b) => {
            out.push((**a).clone());
            out.push((**b).clone());
            out.extend(
                cond_variants(a)
                    .into_iter()
                    .map(|a| C::Logic(*op, Box::new(a), b.clone())),
            );
            out.extend(
                cond_variants(b)
                    .into_iter()
                    .map(|b| C::Logic(*op, a.clone(), Box::new(b))),
            );
        }
        _ => {}
    }
    out
}
