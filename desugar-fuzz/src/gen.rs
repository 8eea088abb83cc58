//! The program AST and the generator: a seed goes in, a random but valid
//! `async fn` body ([`Program`]) comes out, the same one for the same seed.
//!
//! The generator keeps a scope of locals with their types, whether they
//! were moved and whether something borrows them, so that almost every
//! program compiles natively (the native compile is the final filter).
//!
//! Shapes left out on purpose, because README "Known gaps" lists them:
//! - a move of a local inside a block in a macro's arguments (`format!("{}",
//!   if c { drop(n); 1 } else { 2 })`): moved on some paths there, it is
//!   dropped at the next `.await` on the others (README "Known gaps");
//! - a move of a local declared outside a loop inside that loop's body
//!   (natively a compile error unless every path leaves the loop): locals
//!   are moved in a nested block or branch only within the loop they were
//!   declared in (`Config::nested_moves`; before, only at the block depth
//!   where they were declared);
//! - moving a local that is borrowed across an `.await` (issue 4): strings
//!   and vectors, the borrowed kinds, are never moved;
//! - a `match` on a local whose type is not written, with guards: matched
//!   as `x + 0` (a guard borrows the scrutinee across its `.await`s, and a
//!   local the macro cannot tell is `Copy` is not kept in place if it is
//!   used again after being copied: a compile error that says so, README);
//! - temporaries with drop side effects left of an `.await`, partial moves,
//!   closures other than `|q: i64| q + x` (`Config::closures`),
//!   `select!`/`join!`: not generated.

/// A small reproducible PRNG (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// The generator for one seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// What the function returns, and so what `?` applies to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// `Result<i64, E>`
    Res,
    /// `Option<i64>`
    Opt,
}

/// One generated `async fn`: `async fn f(a: i64, s0: String) -> Mode { body; Ok(tail) }`.
#[derive(Clone, Debug)]
pub struct Program {
    /// The return type.
    pub mode: Mode,
    /// The statements of the body.
    pub body: Vec<Stmt>,
    /// The value wrapped in `Ok`/`Some` at the end.
    pub tail: Expr,
}

/// An `i64` expression.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A literal.
    Lit(i64),
    /// An `i64` local.
    Var(String),
    /// `(*x)` of a `&i64` loop variable.
    Deref(String),
    /// `n.id()` of a `Noisy`.
    NoisyId(String),
    /// `x.len() as i64` of a string, vector or a reference to one.
    Len(String),
    /// `a + b` or `a - b`.
    Bin(char, Box<Expr>, Box<Expr>),
    /// `note(id, e)`: a logged side effect.
    Note(u32, Box<Expr>),
    /// `leaf(id, e, pendings).await`
    Leaf(u32, Box<Expr>, u32),
    /// `leaf_ref(id, &s, pendings).await` (or `leaf_vec` for a vector)
    LeafRef(u32, String, bool, u32),
    /// `consume(id, n, pendings).await`: moves a `Noisy`.
    Consume(u32, String, u32),
    /// `res_leaf(id, e, ok, pendings).await?` / `opt_leaf(..).await?`
    Try(u32, Box<Expr>, bool, u32),
    /// `o?` of an `Option`/`Result` local of the function's mode.
    TryLocal(String),
    /// `o.unwrap_or(v)` / `r.unwrap_or(v)`.
    UnwrapOr(String, i64),
    /// `(if c { .. } else { .. })`
    If(Box<Cond>, Box<BlockE>, Box<BlockE>),
    /// `({ stmts; e })`
    Block(Box<BlockE>),
    /// `'lN: loop { cN += 1; if cN > limit { break 'lN 0 } body }` as a value.
    Loop(u32, u32, Vec<Stmt>),
    /// `boom(id, pendings).await`: a sub-future that panics.
    Boom(u32, u32),
    /// `f(e)` of a closure local.
    CallClosure(String, Box<Expr>),
}

/// A block with a value.
#[derive(Clone, Debug)]
pub struct BlockE {
    /// Its statements.
    pub stmts: Vec<Stmt>,
    /// Its value.
    pub value: Expr,
}

/// A `bool` expression.
#[derive(Clone, Debug)]
pub enum Cond {
    /// `a < b`, `a == b` (`'<'`, `'='`).
    Cmp(char, Expr, Expr),
    /// A `bool` local.
    Var(String),
    /// `flag(id, v, pendings).await`
    Flag(u32, bool, u32),
    /// `cond(id, v)`
    Note(u32, bool),
    /// `!c`
    Not(Box<Cond>),
    /// `a && b` (`'&'`) or `a || b` (`'|'`).
    Logic(char, Box<Cond>, Box<Cond>),
}

/// A `match` arm's pattern over an `i64`.
#[derive(Clone, Debug)]
pub enum Pat {
    /// `3`
    Lit(i64),
    /// `1 | 2`
    Or(i64, i64),
    /// `x if guard` (binds `x`).
    Guard(String, Cond),
    /// `_` (always the last arm).
    Wild,
}

/// How a `let` of a string is initialised.
#[derive(Clone, Debug)]
pub enum StrInit {
    /// `String::from("..")`
    Lit(String),
    /// `format!("{}-{}", a, b)`
    Format(Expr, Expr),
}

/// A statement.
#[derive(Clone, Debug)]
pub enum Stmt {
    /// `let [mut] x: i64 = e;`, without the type if `.3` is false (the
    /// macro cannot see that it is `Copy` then).
    LetInt(String, bool, Expr, bool),
    /// `let b = c;`
    LetBool(String, Cond),
    /// `let s = ..;`
    LetStr(String, StrInit),
    /// `let v = vec![..];` (`mut` if `.1`)
    LetVec(String, bool, Vec<Expr>),
    /// `let n = Noisy::new("label");`
    LetNoisy(String, String),
    /// `let o = opt_leaf(id, e, some, pendings).await;` or the `Result` one (`.1` says which).
    LetTry(String, Mode, u32, Expr, bool, u32),
    /// `let r = &s;`
    LetRef(String, String),
    /// `let f = |p: i64| p + x;` (`'+'`/`'-'`) capturing the `i64` local
    /// `x` by value, or with a `note(id, ..)` around the body
    /// (`Some(id)`), where it is a call's argument: a closure that borrows
    /// `x`.
    LetClosure(String, String, char, Option<u32>),
    /// `x = e;` or `x += e;` (`'='`, `'+'`).
    Assign(String, char, Expr),
    /// `v.push(e);`
    Push(String, Expr),
    /// `note(id, e);`
    Note(u32, Expr),
    /// `if c { .. } [else { .. }]`
    If(Cond, Vec<Stmt>, Option<Vec<Stmt>>),
    /// `match e { pat => { .. } ... }`
    Match(Expr, Vec<(Pat, Vec<Stmt>)>),
    /// `match o { Some(x) => {..} None => {..} }` of an `Option` local.
    MatchOpt(String, String, Vec<Stmt>, Vec<Stmt>),
    /// `if let Some(t) = Some(format!("t{}", e)) [&& c] { .. }`: a pattern
    /// binding of a `String`, which the body may borrow across `.await`s;
    /// with a condition after it, a `let` chain (edition 2024).
    IfLetStr(String, Expr, Option<Cond>, Vec<Stmt>),
    /// `'lN: loop { cN += 1; if cN > limit { break } .. }`
    Loop(u32, u32, Vec<Stmt>),
    /// `'lN: while cN < limit [&& c] { cN += 1; .. }`
    While(u32, u32, Option<Cond>, Vec<Stmt>),
    /// `'lN: for x in 0..n { .. }`
    ForRange(u32, String, i64, Vec<Stmt>),
    /// `'lN: for x in &v { .. }` (`x: &i64`)
    ForRef(u32, String, String, Vec<Stmt>),
    /// `break 'lN [e];`
    Break(u32, Option<Expr>),
    /// `continue 'lN;`
    Continue(u32),
    /// `return Ok(e)` / `return Some(e)`.
    Return(Expr),
    /// `return Err(E(v))` / `return None`.
    ReturnErr(i64),
    /// `panic!("panic id")`
    Panic(u32),
    /// `drop(n);`
    Drop(String),
    /// `{ .. }`
    Block(Vec<Stmt>),
    /// `leaf(id, 0, pendings).await;`
    Tick(u32, u32),
}

/// Whether every path through `s` leaves its block (`return`, `break`,
/// `continue`, `panic!`), so that what follows is unreachable.
pub fn diverges(s: &Stmt) -> bool {
    match s {
        Stmt::Break(..)
        | Stmt::Continue(_)
        | Stmt::Return(_)
        | Stmt::ReturnErr(_)
        | Stmt::Panic(_) => true,
        Stmt::If(_, a, Some(b)) => a.iter().any(diverges) && b.iter().any(diverges),
        Stmt::Match(_, arms) => arms.iter().all(|(_, b)| b.iter().any(diverges)),
        Stmt::MatchOpt(_, _, a, b) => a.iter().any(diverges) && b.iter().any(diverges),
        Stmt::Block(b) => b.iter().any(diverges),
        _ => false,
    }
}

/// Whether some statement list of `p` goes on after a diverging statement.
pub fn has_dead_code(p: &Program) -> bool {
    fn list(v: &[Stmt]) -> bool {
        let n = v.len();
        v.iter()
            .enumerate()
            .any(|(i, s)| (i + 1 < n && diverges(s)) || stmt(s))
    }
    fn stmt(s: &Stmt) -> bool {
        match s {
            Stmt::If(_, a, b) => list(a) || b.as_deref().is_some_and(list),
            Stmt::Match(_, arms) => arms.iter().any(|(_, b)| list(b)),
            Stmt::MatchOpt(_, _, a, b) => list(a) || list(b),
            Stmt::Loop(_, _, b)
            | Stmt::While(_, _, _, b)
            | Stmt::ForRange(_, _, _, b)
            | Stmt::ForRef(_, _, _, b) => list(b),
            Stmt::Block(b) | Stmt::IfLetStr(_, _, _, b) => list(b),
            _ => false,
        }
    }
    // The tail follows the body: a diverging statement there makes it dead.
    list(&p.body) || p.body.iter().any(diverges)
}

/// The type of a local in scope.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ty {
    Int,
    Bool,
    Str,
    Vec,
    Noisy,
    Opt,
    Res,
    /// A reference to a string (`false`) or vector (`true`).
    Ref(bool),
    IntRef,
    /// A closure `|p: i64| -> i64`.
    Closure,
}

#[derive(Clone, Debug)]
struct Local {
    name: String,
    ty: Ty,
    mutable: bool,
    depth: u32,
    /// How many loops are around its declaration.
    loops: usize,
    moved: bool,
    /// Borrowed by a reference or a `for` loop: never mutated again.
    frozen: bool,
    /// Declared with its type written (`let x: i64`), or not a plain `i64`.
    typed: bool,
}

#[derive(Clone, Debug)]
struct LoopCx {
    label: u32,
    /// A loop used as a value: `break` carries an `i64`.
    value: bool,
}

/// The generator's knobs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Generate `panic!` and panicking sub-futures.
    pub panics: bool,
    /// Statements per program, roughly.
    pub size: u32,
    /// Reuse names of locals in scope (shadowing).
    pub shadowing: bool,
    /// `?` inside the arguments of `format!`/`vec!`.
    pub try_in_macros: bool,
    /// `break`/`continue`/`return`/`panic!` inside a block used as a value.
    pub diverge_in_exprs: bool,
    /// `.await` in `match` guards.
    pub await_guards: bool,
    /// Statements after an `if`/`match`/block all of whose paths leave
    /// (unreachable code).
    pub dead_code: bool,
    /// `.await` in the argument of `v.push(..)` (a `&mut self` method).
    pub await_in_push: bool,
    /// `let` chains (`if let Some(t) = .. && c`): edition 2024 only.
    pub let_chains: bool,
    /// Moves (`drop(n)`, `consume(n)`) of a local declared in an outer
    /// block, inside a branch or block of the same loop body: moved on some
    /// paths only.
    pub nested_moves: bool,
    /// Closures capturing an `i64` local (`let f = |p: i64| p + x;`),
    /// called across `.await`s.
    pub closures: bool,
    /// Some `i64` locals without their type written (`let x = e;`).
    pub untyped_ints: bool,
}

impl Config {
    /// Every construct but the shapes of the bugs still open: each flag
    /// turned off names the reproducers in `desugar-fuzz/open/` whose
    /// shape it leaves out (the fixed ones are in `desugar-fuzz/found/`).
    pub fn known_good() -> Config {
        // No bug is open: every shape is generated. (The last flag turned
        // off here was `diverge_in_exprs`: found/037-041.)
        Config::default()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            panics: true,
            size: 14,
            shadowing: true,
            try_in_macros: true,
            diverge_in_exprs: true,
            await_guards: true,
            dead_code: true,
            await_in_push: true,
            let_chains: false,
            nested_moves: true,
            closures: true,
            untyped_ints: true,
        }
    }
}

struct Gen<'c> {
    rng: Rng,
    cfg: &'c Config,
    mode: Mode,
    scope: Vec<Local>,
    loops: Vec<LoopCx>,
    depth: u32,
    next_id: u32,
    next_name: u32,
    budget: i64,
    /// Inside `format!`/`vec!` arguments.
    in_macro: u32,
    /// Inside a block used as a value.
    in_expr: u32,
}

/// Generates the program for `seed`.
pub fn generate(seed: u64, cfg: &Config) -> Program {
    let mut rng = Rng::new(seed);
    let mode = if rng.chance(50) { Mode::Res } else { Mode::Opt };
    let mut g = Gen {
        rng,
        cfg,
        mode,
        scope: Vec::new(),
        loops: Vec::new(),
        depth: 0,
        next_id: 1,
        next_name: 1,
        budget: cfg.size as i64,
        in_macro: 0,
        in_expr: 0,
    };
    g.declare("a", Ty::Int, false);
    g.scope[0].typed = true;
    g.declare("s0", Ty::Str, false);
    let mut body = g.stmts(true);
    if !cfg.dead_code && body.last().is_some_and(diverges) {
        body.pop(); // the tail would be unreachable
    }
    let tail = g.expr(2);
    Program { mode, body, tail }
}

impl Gen<'_> {
    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }
    fn pend(&mut self) -> u32 {
        [0, 0, 1, 1, 2, 3][self.rng.below(6) as usize]
    }
    fn lit(&mut self) -> i64 {
        self.rng.below(7) as i64
    }
    fn fresh(&mut self, prefix: &str) -> String {
        // Shadow an existing local now and then (not a borrowed one's name
        // while a reference to it exists: that is only a new binding anyway).
        if self.rng.chance(20) && self.cfg.shadowing && !self.scope.is_empty() {
            let i = self.rng.below(self.scope.len() as u64) as usize;
            return self.scope[i].name.clone();
        }
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }
    fn declare(&mut self, name: &str, ty: Ty, mutable: bool) {
        self.scope.push(Local {
            name: name.to_string(),
            ty,
            mutable,
            depth: self.depth,
            loops: self.loops.len(),
            moved: false,
            frozen: false,
            // an `i64` bound by a pattern (`m if ..`, `for i in ..`) has no
            // written type; a `let x: i64` or a parameter says it is typed
            typed: ty != Ty::Int,
        });
    }
    /// Visible (not shadowed), not moved locals of a type.
    fn visible(&self, pred: impl Fn(&Local) -> bool) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, l) in self.scope.iter().enumerate() {
            let shadowed = self.scope[i + 1..].iter().any(|m| m.name == l.name);
            if !shadowed && !l.moved && pred(l) {
                out.push(i);
            }
        }
        out
    }
    /// A `Noisy` local that can be moved here: declared at this depth, or
    /// (`Config::nested_moves`) in an outer block inside the same loop.
    fn movable_noisy(&mut self) -> Option<usize> {
        // (not inside a macro's arguments: a known gap, README)
        let nested = self.cfg.nested_moves && self.in_macro == 0;
        let (depth, loops) = (self.depth, self.loops.len());
        self.pick(|l| l.ty == Ty::Noisy && (l.depth == depth || nested && l.loops == loops))
    }
    fn pick(&mut self, pred: impl Fn(&Local) -> bool) -> Option<usize> {
        let v = self.visible(pred);
        if v.is_empty() {
            None
        } else {
            Some(v[self.rng.below(v.len() as u64) as usize])
        }
    }

    /// A statement list of a new block (its locals go out of scope at the end).
    fn block(&mut self) -> Vec<Stmt> {
        let saved = self.scope.len();
        self.depth += 1;
        let s = self.stmts(false);
        self.depth -= 1;
        self.scope.truncate(saved);
        s
    }

    fn stmts(&mut self, top: bool) -> Vec<Stmt> {
        let n = if top {
            3 + self.rng.below(5)
        } else {
            1 + self.rng.below(3)
        };
        let mut out = Vec::new();
        for _ in 0..n {
            if self.budget <= 0 && !top {
                break;
            }
            self.budget -= 1;
            let s = self.stmt();
            let stop = if self.cfg.dead_code {
                matches!(
                    s,
                    Stmt::Break(..)
                        | Stmt::Continue(_)
                        | Stmt::Return(_)
                        | Stmt::ReturnErr(_)
                        | Stmt::Panic(_)
                )
            } else {
                diverges(&s)
            };
            out.push(s);
            if stop {
                break;
            }
        }
        out
    }

    fn stmt(&mut self) -> Stmt {
        loop {
            if let Some(s) = self.try_stmt() {
                return s;
            }
        }
    }

    fn try_stmt(&mut self) -> Option<Stmt> {
        let nested_ok = self.depth < 3 && self.budget > 0;
        {
            let r = self.rng.below(100);
            match r {
                0..=9 => {
                    let name = self.fresh("x");
                    let mutable = self.rng.chance(50);
                    let e = self.expr(2);
                    let typed = !self.cfg.untyped_ints || self.rng.chance(70);
                    self.declare(&name, Ty::Int, mutable);
                    if let Some(l) = self.scope.last_mut() {
                        l.typed = typed;
                    }
                    Some(Stmt::LetInt(name, mutable, e, typed))
                }
                10..=13 => {
                    let name = self.fresh("b");
                    let c = self.cond(2);
                    self.declare(&name, Ty::Bool, false);
                    Some(Stmt::LetBool(name, c))
                }
                14..=17 => {
                    let name = self.fresh("s");
                    let init = if self.rng.chance(50) {
                        StrInit::Lit(format!("str{}", self.rng.below(100)))
                    } else {
                        self.in_macro += 1;
                        let (a, b) = (self.expr(1), self.expr(1));
                        self.in_macro -= 1;
                        StrInit::Format(a, b)
                    };
                    self.declare(&name, Ty::Str, false);
                    Some(Stmt::LetStr(name, init))
                }
                18..=21 => {
                    let name = self.fresh("v");
                    let n = self.rng.below(4);
                    self.in_macro += 1;
                    let elems = (0..n).map(|_| self.expr(1)).collect();
                    self.in_macro -= 1;
                    self.declare(&name, Ty::Vec, true);
                    Some(Stmt::LetVec(name, true, elems))
                }
                22..=26 => {
                    let name = self.fresh("n");
                    let label = format!("{name}_{}", self.id());
                    self.declare(&name, Ty::Noisy, false);
                    Some(Stmt::LetNoisy(name, label))
                }
                27..=30 => {
                    let name = self.fresh("o");
                    let mode = if self.rng.chance(50) {
                        Mode::Res
                    } else {
                        Mode::Opt
                    };
                    let id = self.id();
                    let e = self.expr(1);
                    let ok = self.rng.chance(70);
                    let p = self.pend();
                    self.declare(
                        &name,
                        if mode == Mode::Res { Ty::Res } else { Ty::Opt },
                        false,
                    );
                    Some(Stmt::LetTry(name, mode, id, e, ok, p))
                }
                31..=34 => {
                    let t = self.pick(|l| matches!(l.ty, Ty::Str | Ty::Vec))?;
                    self.scope[t].frozen = true;
                    let target = self.scope[t].name.clone();
                    let is_vec = self.scope[t].ty == Ty::Vec;
                    let name = self.fresh("rf");
                    self.declare(&name, Ty::Ref(is_vec), false);
                    Some(Stmt::LetRef(name, target))
                }
                35..=39 => {
                    let t = self.pick(|l| l.ty == Ty::Int && l.mutable && !l.frozen)?;
                    let name = self.scope[t].name.clone();
                    let op = if self.rng.chance(50) { '=' } else { '+' };
                    let e = self.expr(2);
                    Some(Stmt::Assign(name, op, e))
                }
                40..=42 => {
                    let t = self.pick(|l| l.ty == Ty::Vec && l.mutable && !l.frozen)?;
                    self.scope[t].frozen = true; // not borrowed by its own argument
                    let e = self.expr(if self.cfg.await_in_push { 1 } else { 0 });
                    self.scope[t].frozen = false;
                    Some(Stmt::Push(self.scope[t].name.clone(), e))
                }
                43..=49 => {
                    let id = self.id();
                    Some(Stmt::Note(id, self.expr(3)))
                }
                50..=55 if nested_ok => {
                    let c = self.cond(2);
                    let then = self.block();
                    let els = if self.rng.chance(60) {
                        Some(self.block())
                    } else {
                        None
                    };
                    Some(Stmt::If(c, then, els))
                }
                56..=59 if nested_ok => {
                    let mut scrut = self.expr(2);
                    // A guard borrows the scrutinee: a local whose type is
                    // not written, matched as a place and used again, is
                    // a known limit (README: a borrowed local "moved (or
                    // copied) and then used again"); match a value
                    if let Expr::Var(n) = &scrut {
                        let typed = self.scope.iter().rev().find(|l| l.name == *n);
                        if typed.is_some_and(|l| !l.typed) {
                            scrut = Expr::Bin('+', Box::new(scrut), Box::new(Expr::Lit(0)));
                        }
                    }
                    let mut arms = Vec::new();
                    for _ in 0..1 + self.rng.below(3) {
                        let pat = match self.rng.below(3) {
                            0 => Pat::Lit(self.lit()),
                            1 => Pat::Or(self.lit(), self.lit()),
                            _ => {
                                let name = self.fresh("m");
                                let saved = self.scope.len();
                                self.depth += 1;
                                self.declare(&name, Ty::Int, false);
                                let c = if self.cfg.await_guards {
                                    self.cond(1)
                                } else {
                                    Cond::Cmp('<', Expr::Var(name.clone()), Expr::Lit(self.lit()))
                                };
                                self.depth -= 1;
                                self.scope.truncate(saved);
                                Pat::Guard(name, c)
                            }
                        };
                        let saved = self.scope.len();
                        if let Pat::Guard(name, _) = &pat {
                            self.depth += 1;
                            self.declare(&name.clone(), Ty::Int, false);
                            self.depth -= 1;
                        }
                        let body = self.block();
                        self.scope.truncate(saved);
                        arms.push((pat, body));
                    }
                    let body = self.block();
                    arms.push((Pat::Wild, body));
                    Some(Stmt::Match(scrut, arms))
                }
                60..=61 if nested_ok && self.rng.chance(40) => {
                    let e = self.expr(2);
                    let name = self.fresh("t");
                    let saved = self.scope.len();
                    self.depth += 1;
                    self.declare(&name, Ty::Str, false);
                    self.depth -= 1;
                    let chained =
                        (self.cfg.let_chains && self.rng.chance(50)).then(|| self.cond(1));
                    let body = self.block();
                    self.scope.truncate(saved);
                    Some(Stmt::IfLetStr(name, e, chained, body))
                }
                60..=61 if nested_ok => {
                    let t = self.pick(|l| l.ty == Ty::Opt)?;
                    let o = self.scope[t].name.clone();
                    let name = self.fresh("y");
                    let saved = self.scope.len();
                    self.depth += 1;
                    self.declare(&name, Ty::Int, false);
                    self.depth -= 1;
                    let some = self.block();
                    self.scope.truncate(saved);
                    let none = self.block();
                    Some(Stmt::MatchOpt(o, name, some, none))
                }
                62..=65 if nested_ok => {
                    let label = self.id();
                    let limit = 1 + self.rng.below(3) as u32;
                    self.loops.push(LoopCx {
                        label,
                        value: false,
                    });
                    let body = self.block();
                    self.loops.pop();
                    Some(Stmt::Loop(label, limit, body))
                }
                66..=68 if nested_ok => {
                    let label = self.id();
                    let limit = 1 + self.rng.below(3) as u32;
                    self.loops.push(LoopCx {
                        label,
                        value: false,
                    });
                    self.depth += 1;
                    let c = if self.rng.chance(50) {
                        Some(self.cond(1))
                    } else {
                        None
                    };
                    self.depth -= 1;
                    let body = self.block();
                    self.loops.pop();
                    Some(Stmt::While(label, limit, c, body))
                }
                69..=71 if nested_ok => {
                    let label = self.id();
                    let name = self.fresh("i");
                    let n = self.rng.below(4) as i64;
                    self.loops.push(LoopCx {
                        label,
                        value: false,
                    });
                    let saved = self.scope.len();
                    self.depth += 1;
                    self.declare(&name, Ty::Int, false);
                    self.depth -= 1;
                    let body = self.block();
                    self.scope.truncate(saved);
                    self.loops.pop();
                    Some(Stmt::ForRange(label, name, n, body))
                }
                72..=75 if nested_ok => {
                    let t = self.pick(|l| l.ty == Ty::Vec)?;
                    let was = self.scope[t].frozen;
                    self.scope[t].frozen = true;
                    let v = self.scope[t].name.clone();
                    let label = self.id();
                    let name = self.fresh("i");
                    self.loops.push(LoopCx {
                        label,
                        value: false,
                    });
                    let saved = self.scope.len();
                    self.depth += 1;
                    self.declare(&name, Ty::IntRef, false);
                    self.depth -= 1;
                    let body = self.block();
                    self.scope.truncate(saved);
                    self.loops.pop();
                    self.scope[t].frozen = was;
                    Some(Stmt::ForRef(label, name, v, body))
                }
                76..=83 if self.in_expr > 0 && !self.cfg.diverge_in_exprs => None,
                76..=79 => {
                    if self.loops.is_empty() || self.depth == 0 {
                        None
                    } else {
                        let i = self.rng.below(self.loops.len() as u64) as usize;
                        let lp = self.loops[i].clone();
                        if self.rng.chance(50) && !lp.value {
                            Some(Stmt::Continue(lp.label))
                        } else {
                            let v = if lp.value { Some(self.expr(1)) } else { None };
                            Some(Stmt::Break(lp.label, v))
                        }
                    }
                }
                80..=81 if self.depth > 0 => Some(Stmt::Return(self.expr(1))),
                82 if self.depth > 0 => Some(Stmt::ReturnErr(self.lit())),
                83 if self.depth > 0 && self.cfg.panics && self.rng.chance(40) => {
                    Some(Stmt::Panic(self.id()))
                }
                84..=86 => {
                    let t = self.movable_noisy()?;
                    self.scope[t].moved = true;
                    Some(Stmt::Drop(self.scope[t].name.clone()))
                }
                87..=89 if nested_ok => Some(Stmt::Block(self.block())),
                90..=91 if self.cfg.closures => {
                    // what the closure captures is borrowed (or copied)
                    // while it lives: never assigned again
                    let t = self.pick(|l| l.ty == Ty::Int)?;
                    self.scope[t].frozen = true;
                    let captured = self.scope[t].name.clone();
                    let op = if self.rng.chance(50) { '+' } else { '-' };
                    let note = self.rng.chance(30).then(|| self.id());
                    let name = self.fresh("f");
                    self.declare(&name, Ty::Closure, false);
                    Some(Stmt::LetClosure(name, captured, op, note))
                }
                90..=99 => {
                    let id = self.id();
                    Some(Stmt::Tick(id, self.pend()))
                }
                _ => None,
            }
        }
    }

    fn expr(&mut self, d: u32) -> Expr {
        loop {
            if let Some(e) = self.try_expr(d) {
                return e;
            }
        }
    }

    fn try_expr(&mut self, d: u32) -> Option<Expr> {
        {
            let r = if d == 0 {
                self.rng.below(30)
            } else {
                self.rng.below(100)
            };
            match r {
                0..=5 => Some(Expr::Lit(self.lit())),
                6..=13 => self
                    .pick(|l| l.ty == Ty::Int)
                    .map(|t| Expr::Var(self.scope[t].name.clone())),
                14..=16 => self
                    .pick(|l| l.ty == Ty::IntRef)
                    .map(|t| Expr::Deref(self.scope[t].name.clone())),
                17..=19 => self
                    .pick(|l| l.ty == Ty::Noisy)
                    .map(|t| Expr::NoisyId(self.scope[t].name.clone())),
                20..=24 => self
                    .pick(|l| matches!(l.ty, Ty::Str | Ty::Vec | Ty::Ref(_)))
                    .map(|t| Expr::Len(self.scope[t].name.clone())),
                25..=29 if self.in_macro > 0 && !self.cfg.try_in_macros => None,
                78..=83 if self.in_macro > 0 && !self.cfg.try_in_macros => None,
                25..=29 => {
                    let mode = self.mode;
                    let t = self.pick(|l| matches!(l.ty, Ty::Opt | Ty::Res))?;
                    let own = (self.scope[t].ty == Ty::Opt) == (mode == Mode::Opt);
                    let name = self.scope[t].name.clone();
                    if own && self.rng.chance(50) {
                        Some(Expr::TryLocal(name))
                    } else {
                        Some(Expr::UnwrapOr(name, self.rng.below(7) as i64))
                    }
                }
                30..=44 => {
                    let op = if self.rng.chance(60) { '+' } else { '-' };
                    Some(Expr::Bin(
                        op,
                        Box::new(self.expr(d - 1)),
                        Box::new(self.expr(d - 1)),
                    ))
                }
                45..=54 => {
                    let id = self.id();
                    Some(Expr::Note(id, Box::new(self.expr(d - 1))))
                }
                55..=69 => {
                    let id = self.id();
                    let e = self.expr(d - 1);
                    Some(Expr::Leaf(id, Box::new(e), self.pend()))
                }
                70..=74 => {
                    let t = self.pick(|l| matches!(l.ty, Ty::Str | Ty::Vec | Ty::Ref(_)))?;
                    let l = &self.scope[t];
                    let is_vec = matches!(l.ty, Ty::Vec | Ty::Ref(true));
                    let name = l.name.clone();
                    let id = self.id();
                    Some(Expr::LeafRef(id, name, is_vec, self.pend()))
                }
                75..=77 => {
                    let t = self.movable_noisy()?;
                    self.scope[t].moved = true;
                    let name = self.scope[t].name.clone();
                    let id = self.id();
                    Some(Expr::Consume(id, name, self.pend()))
                }
                78..=83 => {
                    let id = self.id();
                    let e = self.expr(d - 1);
                    let ok = self.rng.chance(75);
                    Some(Expr::Try(id, Box::new(e), ok, self.pend()))
                }
                84..=87 if self.depth < 3 => {
                    let c = self.cond(d - 1);
                    let a = self.block_e(d - 1);
                    let b = self.block_e(d - 1);
                    Some(Expr::If(Box::new(c), Box::new(a), Box::new(b)))
                }
                88..=90 if self.depth < 3 => Some(Expr::Block(Box::new(self.block_e(d - 1)))),
                91..=93 if self.depth < 3 && self.budget > 0 => {
                    let label = self.id();
                    let limit = 1 + self.rng.below(3) as u32;
                    self.loops.push(LoopCx { label, value: true });
                    self.in_expr += 1;
                    let body = self.block();
                    self.in_expr -= 1;
                    self.loops.pop();
                    Some(Expr::Loop(label, limit, body))
                }
                95..=97 => {
                    let t = self.pick(|l| l.ty == Ty::Closure)?;
                    let name = self.scope[t].name.clone();
                    Some(Expr::CallClosure(name, Box::new(self.expr(d - 1))))
                }
                94 if self.cfg.panics && self.rng.chance(30) => {
                    let id = self.id();
                    Some(Expr::Boom(id, self.pend()))
                }
                _ => None,
            }
        }
    }

    fn block_e(&mut self, d: u32) -> BlockE {
        self.in_expr += 1;
        let b = self.block_e_inner(d);
        self.in_expr -= 1;
        b
    }

    fn block_e_inner(&mut self, d: u32) -> BlockE {
        let saved = self.scope.len();
        self.depth += 1;
        let stmts = if self.budget > 0 && self.rng.chance(50) {
            self.budget -= 1;
            vec![self.stmt()]
        } else {
            Vec::new()
        };
        let value = self.expr(d);
        self.depth -= 1;
        self.scope.truncate(saved);
        BlockE { stmts, value }
    }

    fn cond(&mut self, d: u32) -> Cond {
        loop {
            let r = if d == 0 {
                self.rng.below(60)
            } else {
                self.rng.below(100)
            };
            let c = match r {
                0..=24 => {
                    let op = if self.rng.chance(50) { '<' } else { '=' };
                    let dd = d.saturating_sub(1);
                    Some(Cond::Cmp(op, self.expr(dd), self.expr(dd)))
                }
                25..=34 => self
                    .pick(|l| l.ty == Ty::Bool)
                    .map(|t| Cond::Var(self.scope[t].name.clone())),
                35..=49 => {
                    let id = self.id();
                    let v = self.rng.chance(50);
                    Some(Cond::Flag(id, v, self.pend()))
                }
                50..=59 => {
                    let id = self.id();
                    Some(Cond::Note(id, self.rng.chance(50)))
                }
                60..=69 => Some(Cond::Not(Box::new(self.cond(d - 1)))),
                70..=99 => {
                    let op = if self.rng.chance(50) { '&' } else { '|' };
                    let a = self.cond(d - 1);
                    // The right side runs on some paths only: no moves there.
                    self.depth += 1;
                    let b = self.cond(d - 1);
                    self.depth -= 1;
                    Some(Cond::Logic(op, Box::new(a), Box::new(b)))
                }
                _ => None,
            };
            if let Some(c) = c {
                return c;
            }
        }
    }
}
