//! AST → Rust source: a [`Program`] goes in, the text of its body, and the
//! text of a batch-crate module holding its native and `#[desugar]` twins
//! (with the line range of each, to tell whose compile error is whose),
//! come out.

use crate::gen::{BlockE, Cond, Expr, Mode, Pat, Program, Stmt, StrInit};
use std::fmt::Write;

/// The function's signature after `async fn f`.
pub fn signature(p: &Program) -> String {
    let ret = match p.mode {
        Mode::Res => "Result<i64, E>",
        Mode::Opt => "Option<i64>",
    };
    format!("(a: i64, s0: String) -> {ret}")
}

/// The body of the function, without the outer braces, indented by `ind`.
pub fn body(p: &Program, ind: usize) -> String {
    let mut out = String::new();
    for s in &p.body {
        stmt(&mut out, s, p.mode, ind);
    }
    let wrap = match p.mode {
        Mode::Res => "Ok",
        Mode::Opt => "Some",
    };
    let _ = writeln!(out, "{}{wrap}({})", pad(ind), expr(&p.tail, p.mode, ind));
    out
}

/// A batch module: `native` and `desugared` twins of one body, and `check`.
pub struct Module {
    /// The file's text.
    pub text: String,
    /// Lines (1-based, inclusive) of `mod native`.
    pub native_lines: (usize, usize),
}

/// Renders the module of program `p`.
pub fn module(p: &Program) -> Module {
    module_with(p, false)
}

/// As [`module`]; with `tweak`, the desugared twin starts with an extra
/// `leaf(999, 0, 0).await;` (to check that a difference is caught).
pub fn module_with(p: &Program, tweak: bool) -> Module {
    let sig = signature(p);
    let native_body = body(p, 2);
    let body = if tweak {
        format!("        leaf(999, 0, 0).await;\n{native_body}")
    } else {
        native_body.clone()
    };
    let mut text = String::from("#![allow(warnings)]\nuse crate::support::*;\n\n");
    let start = text.lines().count() + 1;
    let _ = write!(
        text,
        "pub mod native {{\n    use crate::support::*;\n    pub async fn f{sig} {{\n{native_body}    }}\n}}\n"
    );
    let end = text.lines().count();
    let _ = write!(
        text,
        "\npub mod desugared {{\n    use crate::support::*;\n    #[desugar_runtime::desugar]\n    pub async fn f{sig} {{\n{body}    }}\n}}\n"
    );
    text.push_str(
        "\npub fn check() -> Option<String> {\n    compare(\n        &|| native::f(3, String::from(\"arg\")),\n        &|| desugared::f(3, String::from(\"arg\")),\n    )\n}\n",
    );
    Module {
        text,
        native_lines: (start, end),
    }
}

fn pad(ind: usize) -> String {
    "    ".repeat(ind)
}

fn label(l: u32) -> String {
    format!("'l{l}")
}

fn block(out: &mut String, stmts: &[Stmt], mode: Mode, ind: usize) {
    out.push_str("{\n");
    for s in stmts {
        stmt(out, s, mode, ind + 1);
    }
    let _ = write!(out, "{}}}", pad(ind));
}

fn stmt(out: &mut String, s: &Stmt, mode: Mode, ind: usize) {
    let p = pad(ind);
    let e = |x: &Expr| expr(x, mode, ind);
    let c = |x: &Cond| cond(x, mode, ind);
    match s {
        Stmt::LetInt(n, m, x, typed) => {
            let m = if *m { "mut " } else { "" };
            let ty = if *typed { ": i64" } else { "" };
            let _ = writeln!(out, "{p}let {m}{n}{ty} = {};", e(x));
        }
        Stmt::LetBool(n, x) => {
            let _ = writeln!(out, "{p}let {n}: bool = {};", c(x));
        }
        Stmt::LetStr(n, StrInit::Lit(l)) => {
            let _ = writeln!(out, "{p}let {n} = String::from({l:?});");
        }
        Stmt::LetStr(n, StrInit::Format(a, b)) => {
            let _ = writeln!(
                out,
                "{p}let {n} = format!(\"{{}}-{{}}\", {}, {});",
                e(a),
                e(b)
            );
        }
        Stmt::LetVec(n, m, xs) => {
            let m = if *m { "mut " } else { "" };
            let xs: Vec<String> = xs.iter().map(e).collect();
            let _ = writeln!(out, "{p}let {m}{n}: Vec<i64> = vec![{}];", xs.join(", "));
        }
        Stmt::LetNoisy(n, l) => {
            let _ = writeln!(out, "{p}let {n} = Noisy::new({l:?});");
        }
        Stmt::LetTry(n, m, id, x, ok, pe) => {
            let f = match m {
                Mode::Res => "res_leaf",
                Mode::Opt => "opt_leaf",
            };
            let _ = writeln!(out, "{p}let {n} = {f}({id}, {}, {ok}, {pe}).await;", e(x));
        }
        Stmt::LetRef(n, t) => {
            let _ = writeln!(out, "{p}let {n} = &{t};");
        }
        Stmt::LetClosure(n, x, op, note) => {
            let body = format!("q {op} {x}");
            let body = match note {
                Some(id) => format!("note({id}, {body})"),
                None => body,
            };
            let _ = writeln!(out, "{p}let {n} = |q: i64| {body};");
        }
        Stmt::Assign(n, op, x) => {
            let op = if *op == '+' { "+=" } else { "=" };
            let _ = writeln!(out, "{p}{n} {op} {};", e(x));
        }
        Stmt::Push(n, x) => {
            let _ = writeln!(out, "{p}{n}.push({});", e(x));
        }
        Stmt::Note(id, x) => {
            let _ = writeln!(out, "{p}note({id}, {});", e(x));
        }
        Stmt::If(k, a, b) => {
            let _ = write!(out, "{p}if {} ", c(k));
            block(out, a, mode, ind);
            if let Some(b) = b {
                out.push_str(" else ");
                block(out, b, mode, ind);
            }
            out.push('\n');
        }
        Stmt::Match(x, arms) => {
            let _ = writeln!(out, "{p}match {} {{", e(x));
            for (pat, body) in arms {
                let pat = match pat {
                    Pat::Lit(v) => v.to_string(),
                    Pat::Or(a, b) => format!("{a} | {b}"),
                    Pat::Guard(n, g) => format!("{n} if {}", cond(g, mode, ind + 1)),
                    Pat::Wild => "_".to_string(),
                };
                let _ = write!(out, "{}{pat} => ", pad(ind + 1));
                block(out, body, mode, ind + 1);
                out.push('\n');
            }
            let _ = writeln!(out, "{p}}}");
        }
        Stmt::MatchOpt(o, y, some, none) => {
            let _ = writeln!(out, "{p}match {o} {{");
            let _ = write!(out, "{}Some({y}) => ", pad(ind + 1));
            block(out, some, mode, ind + 1);
            let _ = write!(out, "\n{}None => ", pad(ind + 1));
            block(out, none, mode, ind + 1);
            let _ = writeln!(out, "\n{p}}}");
        }
        Stmt::Loop(l, limit, body) => {
            let _ = writeln!(out, "{p}let mut c{l} = 0;");
            let _ = writeln!(out, "{p}{}: loop {{", label(*l));
            let _ = writeln!(out, "{}c{l} += 1;", pad(ind + 1));
            let _ = writeln!(out, "{}if c{l} > {limit} {{ break; }}", pad(ind + 1));
            for s in body {
                stmt(out, s, mode, ind + 1);
            }
            let _ = writeln!(out, "{p}}}");
        }
        Stmt::While(l, limit, k, body) => {
            let _ = writeln!(out, "{p}let mut c{l} = 0;");
            let extra = k
                .as_ref()
                .map(|k| format!(" && {}", c(k)))
                .unwrap_or_default();
            let _ = writeln!(out, "{p}{}: while c{l} < {limit}{extra} {{", label(*l));
            let _ = writeln!(out, "{}c{l} += 1;", pad(ind + 1));
            for s in body {
                stmt(out, s, mode, ind + 1);
            }
            let _ = writeln!(out, "{p}}}");
        }
        Stmt::ForRange(l, x, n, body) => {
            let _ = write!(out, "{p}{}: for {x} in 0..{n}i64 ", label(*l));
            block(out, body, mode, ind);
            out.push('\n');
        }
        Stmt::ForRef(l, x, v, body) => {
            let _ = write!(out, "{p}{}: for {x} in &{v} ", label(*l));
            block(out, body, mode, ind);
            out.push('\n');
        }
        Stmt::Break(l, v) => {
            let v = v.as_ref().map(|v| format!(" {}", e(v))).unwrap_or_default();
            let _ = writeln!(out, "{p}break {}{v};", label(*l));
        }
        Stmt::Continue(l) => {
            let _ = writeln!(out, "{p}continue {};", label(*l));
        }
        Stmt::Return(x) => {
            let w = if mode == Mode::Res { "Ok" } else { "Some" };
            let _ = writeln!(out, "{p}return {w}({});", e(x));
        }
        Stmt::ReturnErr(v) => match mode {
            Mode::Res => {
                let _ = writeln!(out, "{p}return Err(E({v}));");
            }
            Mode::Opt => {
                let _ = writeln!(out, "{p}return None;");
            }
        },
        Stmt::Panic(id) => {
            let _ = writeln!(out, "{p}panic!(\"panic {id}\");");
        }
        Stmt::Drop(n) => {
            let _ = writeln!(out, "{p}drop({n});");
        }
        Stmt::IfLetStr(t, x, chained, b) => {
            let _ = write!(
                out,
                "{p}if let Some({t}) = Some(format!(\"t{{}}\", {})) ",
                e(x)
            );
            if let Some(c) = chained {
                let _ = write!(out, "&& {} ", cond(c, mode, ind));
            }
            block(out, b, mode, ind);
            out.push('\n');
        }
        Stmt::Block(b) => {
            out.push_str(&p);
            block(out, b, mode, ind);
            out.push('\n');
        }
        Stmt::Tick(id, pe) => {
            let _ = writeln!(out, "{p}leaf({id}, 0, {pe}).await;");
        }
    }
}

fn block_e(b: &BlockE, mode: Mode, ind: usize) -> String {
    let mut out = String::from("{\n");
    for s in &b.stmts {
        stmt(&mut out, s, mode, ind + 1);
    }
    let _ = write!(
        out,
        "{}{}\n{}}}",
        pad(ind + 1),
        expr(&b.value, mode, ind + 1),
        pad(ind)
    );
    out
}

/// One expression (`ind` is the indentation of the line it starts on).
pub fn expr(x: &Expr, mode: Mode, ind: usize) -> String {
    let e = |x: &Expr| expr(x, mode, ind);
    match x {
        Expr::Lit(v) => v.to_string(),
        Expr::Var(n) => n.clone(),
        Expr::Deref(n) => format!("(*{n})"),
        Expr::NoisyId(n) => format!("{n}.id()"),
        Expr::Len(n) => format!("({n}.len() as i64)"),
        Expr::Bin(op, a, b) => format!("({} {op} {})", e(a), e(b)),
        Expr::Note(id, a) => format!("note({id}, {})", e(a)),
        Expr::Leaf(id, a, pe) => format!("leaf({id}, {}, {pe}).await", e(a)),
        Expr::LeafRef(id, n, is_vec, pe) => {
            let f = if *is_vec { "leaf_vec" } else { "leaf_ref" };
            format!("{f}({id}, &{n}, {pe}).await")
        }
        Expr::Consume(id, n, pe) => format!("consume({id}, {n}, {pe}).await"),
        Expr::Try(id, a, ok, pe) => {
            let f = if mode == Mode::Res {
                "res_leaf"
            } else {
                "opt_leaf"
            };
            format!("{f}({id}, {}, {ok}, {pe}).await?", e(a))
        }
        Expr::TryLocal(n) => format!("{n}?"),
        Expr::UnwrapOr(n, v) => format!("{n}.unwrap_or({v})"),
        Expr::CallClosure(n, x) => format!("{n}({})", expr(x, mode, ind)),
        Expr::If(k, a, b) => format!(
            "(if {} {} else {})",
            cond(k, mode, ind),
            block_e(a, mode, ind),
            block_e(b, mode, ind)
        ),
        Expr::Block(b) => format!("({})", block_e(b, mode, ind)),
        Expr::Loop(l, limit, body) => {
            let mut out = format!("({{\n{}let mut c{l} = 0;\n", pad(ind + 1));
            let _ = writeln!(out, "{}{}: loop {{", pad(ind + 1), label(*l));
            let _ = writeln!(out, "{}c{l} += 1;", pad(ind + 2));
            let _ = writeln!(
                out,
                "{}if c{l} > {limit} {{ break {} 0; }}",
                pad(ind + 2),
                label(*l)
            );
            for s in body {
                stmt(&mut out, s, mode, ind + 2);
            }
            let _ = write!(out, "{}}}\n{}}})", pad(ind + 1), pad(ind));
            out
        }
        Expr::Boom(id, pe) => format!("boom({id}, {pe}).await"),
    }
}

fn cond(x: &Cond, mode: Mode, ind: usize) -> String {
    let c = |x: &Cond| cond(x, mode, ind);
    match x {
        Cond::Cmp(op, a, b) => {
            let op = if *op == '<' { "<" } else { "==" };
            format!("({} {op} {})", expr(a, mode, ind), expr(b, mode, ind))
        }
        Cond::Var(n) => n.clone(),
        Cond::Flag(id, v, pe) => format!("flag({id}, {v}, {pe}).await"),
        Cond::Note(id, v) => format!("cond({id}, {v})"),
        Cond::Not(a) => format!("!{}", c(a)),
        Cond::Logic(op, a, b) => {
            let op = if *op == '&' { "&&" } else { "||" };
            format!("({} {op} {})", c(a), c(b))
        }
    }
}
