//! Stage 3: the body, as blocks of verbatim code, temporaries, awaits and
//! control-flow constructs.
//!
//! In: the body of the `async fn`. Out: a [`Program`]: a tree of [`Block`]s
//! (kept in one arena, referred to by [`BlockId`]) whose [`Node`]s are
//!
//! - [`Node::Stmt`]: a statement without `.await`, emitted as written;
//! - [`Node::Temp`] and [`Node::Await`]: the pieces of a statement holding
//!   `.await`s, in evaluation order, ended by a [`Node::Finish`] that is the
//!   rest of the statement with every `.await` replaced by its output;
//! - [`Node::Construct`]: an `if`, `match`, `loop` or block with `.await`s in
//!   its branches or body, whose blocks are lowered the same way.
//!
//! ```text
//! let n = f(a(), g(b).await?, c());        Temp(tmp0 = a())
//!                                          Await(0: g(b) -> output)
//!                                          Finish(let n = f(tmp0, output?, c());)
//! ```
//!
//! Operands to the left of the last operand holding an `.await` are
//! evaluated into temporaries first (`a()` runs before `g(b)` is awaited);
//! places that are only borrowed there (`&x`, method receivers, the left of
//! `==` or `+=`) stay where they are.
//!
//! Loops are lowered as the compiler lowers them, but only when they hold an
//! `.await` (an await-free loop stays as written):
//!
//! ```text
//! while c { body }          loop { if c { body } else { break } }
//! while let p = e { body }  loop { match e { p => body, _ => break } }
//! for p in e { body }       { let mut iter = IntoIterator::into_iter(e);
//!                             loop { match Iterator::next(&mut iter) {
//!                                 Some(p) => body, None => break } } }
//! a && b  (b awaits)        if a { b } else { false }
//! a || b  (b awaits)        if a { true } else { b }
//! ```
//!
//! A `match` with an `.await` in a guard was already rewritten without one
//! (stage 2c, [`crate::guards`]). What cannot be lowered
//! (an `.await` inside a macro whose arguments are not known to be
//! expressions, `select!`...) is a compile error that says so.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Ident, Lifetime, Pat, Stmt, Token};

use crate::analyse::{consumes_receiver, find_await, find_await_tokens, has_await};
use crate::names::Unique;
use crate::parse::AsyncFn;

/// The lowered body.
pub struct Program {
    /// Items declared in the body (`fn`, `struct`, `use`, `macro_rules!`...).
    /// They are visible in the whole body, so they go next to the state
    /// enum, outside the step closure.
    pub items: Vec<Stmt>,
    /// Every block; the body is [`Program::body`].
    pub blocks: Vec<Block>,
    /// The function body.
    pub body: BlockId,
    /// Every control-flow construct holding `.await`s.
    pub constructs: Vec<Construct>,
    /// The `.await`s, in source order.
    pub awaits: Vec<AwaitPoint>,
    /// The temporaries made for the receiver of a method call evaluated
    /// before an `.await` in its arguments (`tmp0` in
    /// `Builder::new().with(f().await)` → `tmp0.with(output)`): a method
    /// not known to borrow takes them by value (see `layout`).
    pub receiver_temps: std::collections::HashSet<String>,
}

/// Index of a [`Block`] in [`Program::blocks`].
pub type BlockId = usize;
/// Index of a [`Construct`] in [`Program::constructs`].
pub type ConstructId = usize;

/// A block: its own scope for the bindings declared in it.
pub struct Block {
    /// The statements, lowered.
    pub nodes: Vec<Node>,
    /// The block's value, if it has one after its nodes (await-free).
    pub tail: Option<Finish>,
    /// What the block belongs to.
    pub owner: Owner,
    /// The span of the user's braces (`Span::call_site()` for a block the
    /// lowering makes): braces written with it make the block's tail
    /// follow the user's edition (its temporaries dropped before the
    /// block's locals from 2024 on).
    pub span: Span,
}

/// What a block is the body of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// The function.
    Function,
    /// A branch of an `if` or an arm of a `match`.
    Branch(ConstructId),
    /// The body of a loop.
    LoopBody(ConstructId),
    /// A nested block `{ ... }` (labeled or not, `unsafe` or not).
    Nested(ConstructId),
}

/// One lowered statement, or a piece of one.
pub enum Node {
    /// A statement without `.await`, as written.
    Stmt(Stmt),
    /// `let mut tmpN = expr;`: an operand evaluated early.
    Temp(Temp),
    /// Evaluate the sub-future and wait for it: a state of its own. After
    /// it, its output is bound.
    Await(usize),
    /// The rest of a statement whose `.await`s were pulled out.
    Finish(Finish),
    /// A construct with `.await`s in its branches or body.
    Construct(ConstructId),
}

/// An operand evaluated into a temporary before a later `.await`.
#[derive(Clone)]
pub struct Temp {
    /// `tmpN`, hygienic.
    pub ident: Ident,
    /// The operand.
    pub expr: Expr,
}

/// The end of a statement whose `.await`s were pulled out.
pub struct Finish {
    /// What the statement is.
    pub kind: FinishKind,
    /// The rest of the statement, without `.await`s.
    pub result: Expr,
    /// The statement's temporaries, outputs and construct values: they end
    /// with it.
    pub scoped: Vec<Ident>,
}

/// The statement a [`Finish`] ends.
pub enum FinishKind {
    /// `let <pat> = <result>;`
    Let(Box<Pat>),
    /// `let <pat> = <result> else { ... };` (the `else` has no `.await`).
    LetElse(Box<Pat>, Box<Expr>),
    /// `<result>;`
    Expr,
    /// `<result>` as the value of its block.
    Tail,
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

/// An `if`, `match`, `loop` or block that holds `.await`s.
pub struct Construct {
    /// Which one, with its parts.
    pub kind: ConstructKind,
    /// Where its value goes, if it is used: the temporary that holds it.
    pub value: Option<Ident>,
    /// The temporaries and outputs of `.await`s in its head (condition,
    /// scrutinee, iterable), and when they are dropped.
    pub head: Vec<Ident>,
    /// When the head's values are dropped.
    pub head_scope: HeadScope,
    /// `Some(mutable)` when `value` is the user's own binding
    /// (`let [mut] x = if ... ;`) rather than a temporary.
    pub binding: Option<bool>,
    /// Its label (`'outer: loop`, `'a: {}`).
    pub label: Option<Lifetime>,
    /// The block it sits in, and its index there.
    pub at: (BlockId, usize),
    /// What to call its states: `Loop`, `ForLoop`, `WhileLoop`, `If`, ...
    pub noun: &'static str,
}

/// When the values made by a construct's head are dropped (as rustc does
/// on edition 2024).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadScope {
    /// At the end of the construct (`match`, `for`'s iterable, the
    /// scrutinee of `while let`).
    Construct,
    /// Before either branch runs (the condition of an `if`, `while`, `&&`).
    Condition,
    /// Through the `then` branch, but before the `else` branch (`if let`,
    /// from edition 2024 on; before, an `if let` is a `Construct`).
    IfLet,
    /// Before the `else` block (`let ... else`, lowered to a `match` whose
    /// last arm is the `else`).
    LetElse,
}

/// The parts of a [`Construct`].
pub enum ConstructKind {
    /// `if cond { then } else { otherwise }` (`cond` may be a `let` chain).
    If {
        /// The condition, without `.await`.
        cond: Expr,
        /// The `then` block.
        then: BlockId,
        /// The `else` block (an empty one if there is none).
        otherwise: BlockId,
    },
    /// `match scrutinee { arms }`.
    Match {
        /// The scrutinee, without `.await`.
        scrutinee: Expr,
        /// Each arm: pattern, guard (without `.await`), body.
        arms: Vec<(Pat, Option<Expr>, BlockId)>,
    },
    /// `loop { body }`.
    Loop {
        /// The body.
        body: BlockId,
    },
    /// `{ block }`, `unsafe { block }`, `'a: { block }`.
    Nested {
        /// The block.
        block: BlockId,
        /// Whether it is `unsafe`.
        unsafety: bool,
    },
}

impl Construct {
    /// How the construct reads in a state's description: "`for` loop",
    /// "`if`", "`loop` `'outer`".
    pub fn description(&self) -> String {
        let what = match self.noun {
            "ForLoop" | "For" => "`for` loop",
            "WhileLoop" => "`while` loop",
            "Loop" => "`loop`",
            "If" => "`if`",
            "Match" => "`match`",
            "And" => "`&&`",
            "Or" => "`||`",
            "Unsafe" => "`unsafe` block",
            _ => "block",
        };
        match &self.label {
            Some(label) => format!("{what} `{label}`"),
            None => what.to_string(),
        }
    }
}

impl ConstructKind {
    /// The blocks directly inside, in order.
    pub fn blocks(&self) -> Vec<BlockId> {
        match self {
            ConstructKind::If {
                then, otherwise, ..
            } => vec![*then, *otherwise],
            ConstructKind::Match { arms, .. } => arms.iter().map(|a| a.2).collect(),
            ConstructKind::Loop { body } => vec![*body],
            ConstructKind::Nested { block, .. } => vec![*block],
        }
    }
}

impl Program {
    /// Lowers the body of `function`.
    pub fn lower(function: &AsyncFn) -> syn::Result<Program> {
        let mut names = Unique::default();
        for name in function.idents() {
            names.name(name);
        }
        let mut lowerer = Lowerer {
            program: Program {
                items: Vec::new(),
                blocks: Vec::new(),
                body: 0,
                constructs: Vec::new(),
                awaits: Vec::new(),
                receiver_temps: Default::default(),
            },
            names,
            user_output: function.idents().contains("output"),
            edition: function.edition,
            temps: 0,
            outputs: 0,
            output_taken: false,
        };
        let mut stmts = function.body.stmts.clone();
        name_ref_scrutinees(&mut stmts, &mut lowerer.names);
        let body = lowerer.block(&stmts, Owner::Function)?;
        lowerer.program.body = body;
        Ok(lowerer.program)
    }
}

/// An awaited value that `ref` bindings borrow lives as long as the compiler
/// keeps the temporary: it becomes a local, so that it can be kept in place
/// while those bindings live across `.await`s.
///
/// - `let Some(ref s) = f().await else { .. };`: the temporary is extended
///   to the end of the block, as if it were a local declared there:
///   `let value = f().await; let Some(ref s) = value else { .. };`.
/// - `match f().await { (ref x, _) => .. }`: it lives until the `match`
///   ends: `{ let value = f().await; match value { .. } }`.
fn name_ref_scrutinees(stmts: &mut Vec<Stmt>, names: &mut Unique) {
    struct Name<'a>(&'a mut Unique);
    impl Name<'_> {
        fn value(&mut self) -> Ident {
            Ident::new(&self.0.name("value"), Span::mixed_site())
        }
        fn stmts(&mut self, stmts: &mut Vec<Stmt>) {
            let mut out = Vec::with_capacity(stmts.len());
            for mut stmt in std::mem::take(stmts) {
                syn::visit_mut::VisitMut::visit_stmt_mut(self, &mut stmt);
                if let Stmt::Local(local) = &mut stmt {
                    if let Some(init) = &mut local.init {
                        let awaited = has_await(&init.expr) && !is_place(&init.expr);
                        if awaited && crate::analyse::binds_ref(&local.pat) {
                            let value = self.value();
                            let expr =
                                std::mem::replace(&mut *init.expr, syn::parse_quote!(#value));
                            out.push(syn::parse_quote!(let #value = #expr;));
                        }
                    }
                }
                out.push(stmt);
            }
            *stmts = out;
        }
    }
    impl syn::visit_mut::VisitMut for Name<'_> {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            self.stmts(&mut block.stmts);
        }
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            if let Expr::Match(m) = expr {
                let by_ref = m.arms.iter().any(|a| crate::analyse::binds_ref(&a.pat));
                if by_ref && has_await(&m.expr) && !is_place(&m.expr) {
                    let value = self.value();
                    let scrutinee = &m.expr;
                    let mut named = m.clone();
                    *named.expr = syn::parse_quote!(#value);
                    *expr = syn::parse_quote!({ let #value = #scrutinee; #named });
                }
            }
        }
        fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
        fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
    }
    Name(names).stmts(stmts);
}

struct Lowerer {
    program: Program,
    /// Names already used in the function, so that generated ones differ.
    names: Unique,
    /// Whether the user wrote an identifier `output`.
    user_output: bool,
    /// Before 2024, an `if let` keeps its scrutinee's temporaries through
    /// the `else` branch too (see [`HeadScope`]).
    edition: crate::edition::Edition,
    temps: usize,
    outputs: usize,
    /// Whether an enclosing statement being split has an `output` in scope
    /// (an `.await` inside a branch of an `if` inside that statement).
    output_taken: bool,
}

impl Lowerer {
    fn new_block(&mut self, owner: Owner) -> BlockId {
        self.program.blocks.push(Block {
            nodes: Vec::new(),
            tail: None,
            owner,
            span: Span::call_site(),
        });
        self.program.blocks.len() - 1
    }

    fn fresh(&mut self, base: &str) -> Ident {
        Ident::new(&self.names.name(base), Span::mixed_site())
    }

    /// Lowers statements into a new block.
    fn block(&mut self, stmts: &[Stmt], owner: Owner) -> syn::Result<BlockId> {
        let id = self.new_block(owner);
        self.fill(id, stmts)?;
        Ok(id)
    }

    /// Lowers statements into block `id`.
    ///
    /// The statements after one that always leaves (`return x;`, `break;`,
    /// `continue;`) can never run: they are left out (but for their items),
    /// as the compiler leaves unreachable code out of the coroutine. Kept,
    /// their `.await`s would be states nothing stores, whose types nothing
    /// infers.
    fn fill(&mut self, id: BlockId, stmts: &[Stmt]) -> syn::Result<()> {
        let count = stmts.len();
        let mut reachable = true;
        for (i, stmt) in stmts.iter().enumerate() {
            let last = i + 1 == count;
            if is_item(stmt) {
                self.program.items.push(stmt.clone());
                continue;
            }
            if reachable {
                let before = self.program.blocks[id].nodes.len();
                // `if done { drop(guard); }` with an `.await` after it: the
                // branches become arms of the machine, so that the states
                // after them know whether `guard` was dropped (its drop
                // flag, see `layout::Saved::flagged`).
                if let Stmt::Expr(expr, semi) = stmt {
                    if (semi.is_some() || !last)
                        && !has_await(expr)
                        && drops_on_some_paths(expr)
                        && stmts[i + 1..].iter().any(stmt_has_await)
                    {
                        let c = self.build_construct(id, expr, None)?;
                        self.push(id, Node::Construct(c));
                        continue;
                    }
                }
                self.stmt(id, stmt, last)?;
                // `f({ return x.await; 0 })`: a block among the statement's
                // pieces that always leaves makes the rest unreachable too.
                let nested_leaves = self.program.blocks[id].nodes[before..]
                    .iter()
                    .any(|node| self.node_leaves(node));
                reachable = !always_leaves(stmt) && !nested_leaves;
            }
        }
        Ok(())
    }

    /// Whether a lowered node always leaves: a `return`, `break` or
    /// `continue`, or an unlabeled block whose last node does.
    fn node_leaves(&self, node: &Node) -> bool {
        match node {
            Node::Stmt(stmt) => always_leaves(stmt),
            Node::Finish(finish) => matches!(
                finish.result,
                Expr::Return(_) | Expr::Break(_) | Expr::Continue(_)
            ),
            // A labeled block may be left by `break 'label` to go on.
            Node::Construct(c) => match &self.program.constructs[*c].kind {
                ConstructKind::Nested { block, .. }
                    if self.program.constructs[*c].label.is_none() =>
                {
                    let block = &self.program.blocks[*block];
                    block.tail.is_none() && block.nodes.last().is_some_and(|n| self.node_leaves(n))
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn push(&mut self, block: BlockId, node: Node) {
        self.program.blocks[block].nodes.push(node);
    }

    fn stmt(&mut self, block: BlockId, stmt: &Stmt, last: bool) -> syn::Result<()> {
        check_awaiting_macros(stmt)?;
        match stmt {
            Stmt::Local(local) => {
                let Some(init) = &local.init else {
                    self.push(block, Node::Stmt(stmt.clone()));
                    return Ok(());
                };
                let else_awaits = init.diverge.as_ref().is_some_and(|(_, e)| has_await(e));
                if !has_await(&init.expr) && !else_awaits {
                    self.push(block, Node::Stmt(stmt.clone()));
                    return Ok(());
                }
                if else_awaits {
                    return self.let_else_with_await(block, local);
                }
                // `let x = if ... { ...await... } else { ... };`: the
                // construct's value is `x` itself.
                if let Pat::Ident(p) = &local.pat {
                    let plain = p.by_ref.is_none() && p.subpat.is_none();
                    if plain
                        && init.diverge.is_none()
                        && is_construct(&init.expr)
                        && awaits_inside(&init.expr)
                        && !crate::names::mentions_any(
                            &init.expr.to_token_stream(),
                            std::slice::from_ref(&p.ident),
                        )
                    {
                        let c = self.build_construct(block, &init.expr, Some(p.ident.clone()))?;
                        self.program.constructs[c].binding = Some(p.mutability.is_some());
                        self.push(block, Node::Construct(c));
                        return Ok(());
                    }
                }
                let binds = single_ident(&local.pat);
                let (scoped, result) = self.split(block, &init.expr, binds)?;
                let kind = match &init.diverge {
                    Some((_, diverge)) => {
                        FinishKind::LetElse(Box::new(local.pat.clone()), diverge.clone())
                    }
                    None => FinishKind::Let(Box::new(local.pat.clone())),
                };
                self.push(
                    block,
                    Node::Finish(Finish {
                        kind,
                        result,
                        scoped,
                    }),
                );
                Ok(())
            }
            Stmt::Expr(expr, semi) => {
                let tail = last && semi.is_none();
                if !has_await(expr) {
                    if tail {
                        self.program.blocks[block].tail = Some(Finish {
                            kind: FinishKind::Tail,
                            result: expr.clone(),
                            scoped: Vec::new(),
                        });
                    } else {
                        self.push(block, Node::Stmt(stmt.clone()));
                    }
                    return Ok(());
                }
                if let Some(construct) = self.construct(block, expr, tail)? {
                    self.push(block, Node::Construct(construct));
                    return Ok(());
                }
                let (scoped, result) = self.split(block, expr, None)?;
                let finish = Finish {
                    kind: if tail {
                        FinishKind::Tail
                    } else {
                        FinishKind::Expr
                    },
                    result,
                    scoped,
                };
                if tail {
                    self.program.blocks[block].tail = Some(finish);
                } else {
                    self.push(block, Node::Finish(finish));
                }
                Ok(())
            }
            Stmt::Macro(mac) => {
                if find_await_tokens(&mac.mac.tokens).is_none() {
                    self.push(block, Node::Stmt(stmt.clone()));
                    return Ok(());
                }
                let expr = Expr::Macro(syn::ExprMacro {
                    attrs: mac.attrs.clone(),
                    mac: mac.mac.clone(),
                });
                let (scoped, result) = self.split(block, &expr, None)?;
                self.push(
                    block,
                    Node::Finish(Finish {
                        kind: FinishKind::Expr,
                        result,
                        scoped,
                    }),
                );
                Ok(())
            }
            Stmt::Item(_) => {
                self.program.items.push(stmt.clone());
                Ok(())
            }
        }
    }

    /// `let p = e else { ..await.. };` becomes
    /// `let tmp = e; let (bindings) = match tmp { p => (bindings), _ => { else } };`.
    fn let_else_with_await(&mut self, block: BlockId, local: &syn::Local) -> syn::Result<()> {
        let init = local.init.as_ref().expect("checked by the caller");
        let (_, diverge) = init.diverge.as_ref().expect("checked by the caller");
        let declared = crate::analyse::bindings(&local.pat);
        let names: Vec<&Ident> = declared.iter().map(|d| &d.ident).collect();
        let pattern: Pat = {
            let parts = declared.iter().map(|d| {
                let ident = &d.ident;
                if d.mutable {
                    quote!(mut #ident)
                } else {
                    quote!(#ident)
                }
            });
            Pat::parse_single.parse2(quote!((#(#parts,)*)))?
        };
        let matched = strip_binding_modes(&local.pat, true);
        let diverge_stmts = match &**diverge {
            Expr::Block(b) => b.block.stmts.clone(),
            other => vec![Stmt::Expr(other.clone(), None)],
        };
        let scrutinee = (*init.expr).clone();
        let wild: Pat = syn::parse_quote!(_);
        let arms = vec![
            syn::Arm {
                attrs: Vec::new(),
                pat: matched,
                guard: None,
                fat_arrow_token: Default::default(),
                body: Box::new(syn::parse_quote!((#(#names,)*))),
                comma: Some(Default::default()),
            },
            syn::Arm {
                attrs: Vec::new(),
                pat: wild,
                guard: None,
                fat_arrow_token: Default::default(),
                body: Box::new(Expr::Block(syn::ExprBlock {
                    attrs: Vec::new(),
                    label: None,
                    block: syn::Block {
                        brace_token: Default::default(),
                        stmts: diverge_stmts,
                    },
                })),
                comma: None,
            },
        ];
        let expr = Expr::Match(syn::ExprMatch {
            attrs: Vec::new(),
            match_token: Default::default(),
            expr: Box::new(scrutinee),
            brace_token: Default::default(),
            arms,
        });
        let (scoped, result) = self.split(block, &expr, None)?;
        if let Some(Node::Construct(c)) = self.program.blocks[block].nodes.last() {
            let c = *c;
            self.program.constructs[c].head_scope = HeadScope::LetElse;
        }
        self.push(
            block,
            Node::Finish(Finish {
                kind: FinishKind::Let(Box::new(pattern)),
                result,
                scoped,
            }),
        );
        Ok(())
    }

    /// A statement-level `if`/`match`/loop/block with `.await`s inside its
    /// branches: a construct whose value is discarded, or (`tail`) is the
    /// value of the block. `None` if `expr` is something else.
    fn construct(
        &mut self,
        block: BlockId,
        expr: &Expr,
        tail: bool,
    ) -> syn::Result<Option<ConstructId>> {
        if !is_construct(expr) || !awaits_inside(expr) {
            return Ok(None);
        }
        let value = if tail {
            Some(self.fresh("value"))
        } else {
            None
        };
        self.build_construct(block, expr, value).map(Some)
    }

    /// Builds the construct for `expr` (an `if`, `match`, loop or block with
    /// `.await`s inside), pushing the nodes its head needs into `block`.
    fn build_construct(
        &mut self,
        block: BlockId,
        expr: &Expr,
        value: Option<Ident>,
    ) -> syn::Result<ConstructId> {
        // Outputs of `.await`s in the head (condition, scrutinee) stay in
        // scope inside: statements there number theirs.
        let head_awaits = match expr {
            Expr::If(e) => has_await(&e.cond),
            Expr::Match(m) => has_await(&m.expr),
            Expr::ForLoop(f) => has_await(&f.expr),
            Expr::Binary(b) => has_await(&b.left),
            _ => false,
        };
        let taken = self.output_taken;
        self.output_taken |= head_awaits;
        let result = self.build_construct_inner(block, expr, value);
        self.output_taken = taken;
        result
    }

    fn build_construct_inner(
        &mut self,
        block: BlockId,
        expr: &Expr,
        value: Option<Ident>,
    ) -> syn::Result<ConstructId> {
        let id = self.program.constructs.len();
        // Reserve the slot; filled below once the blocks exist.
        self.program.constructs.push(Construct {
            kind: ConstructKind::Loop { body: 0 },
            value,
            binding: None,
            head: Vec::new(),
            head_scope: HeadScope::Construct,
            label: None,
            at: (block, 0),
            noun: "",
        });
        let (kind, label, noun) = match expr {
            Expr::If(e) => {
                let cond = self.head(block, &e.cond, id, contains_let(&e.cond))?;
                let then = self.block(&e.then_branch.stmts, Owner::Branch(id))?;
                let otherwise = match &e.else_branch {
                    None => self.block(&[], Owner::Branch(id))?,
                    Some((_, other)) => match &**other {
                        Expr::Block(b) if b.label.is_none() => {
                            self.block(&b.block.stmts, Owner::Branch(id))?
                        }
                        other => {
                            self.block(&[Stmt::Expr(other.clone(), None)], Owner::Branch(id))?
                        }
                    },
                };
                (
                    ConstructKind::If {
                        cond,
                        then,
                        otherwise,
                    },
                    None,
                    "If",
                )
            }
            Expr::Match(m) => {
                let scrutinee = self.head(block, &m.expr, id, true)?;
                let mut arms = Vec::new();
                for arm in &m.arms {
                    let guard = match &arm.guard {
                        Some((_, g)) => {
                            if let Some(at) = find_await(g) {
                                return Err(unsupported(
                                    at,
                                    "a `match` guard",
                                    "await before the `match` into a `let` and test the binding in the guard, \
                                     or move the test into the arm with an `if`",
                                ));
                            }
                            Some((**g).clone())
                        }
                        None => None,
                    };
                    let stmts = match &*arm.body {
                        Expr::Block(b) if b.label.is_none() && b.attrs.is_empty() => {
                            b.block.stmts.clone()
                        }
                        other => vec![Stmt::Expr(other.clone(), None)],
                    };
                    let body = self.block(&stmts, Owner::Branch(id))?;
                    arms.push((arm.pat.clone(), guard, body));
                }
                (ConstructKind::Match { scrutinee, arms }, None, "Match")
            }
            Expr::Loop(l) => {
                let body = self.block(&l.body.stmts, Owner::LoopBody(id))?;
                (
                    ConstructKind::Loop { body },
                    l.label.as_ref().map(|l| l.name.clone()),
                    "Loop",
                )
            }
            Expr::While(w) => {
                let label = w.label.as_ref().map(|l| l.name.clone());
                let body_block = &w.body;
                let lowered: Expr = match &*w.cond {
                    Expr::Let(l) => {
                        let pat = &l.pat;
                        let scrutinee = &l.expr;
                        syn::parse_quote!(match #scrutinee { #pat => #body_block, _ => break })
                    }
                    cond => syn::parse_quote!(if #cond #body_block else { break }),
                };
                let body = self.block(&[Stmt::Expr(lowered, None)], Owner::LoopBody(id))?;
                (ConstructKind::Loop { body }, label, "WhileLoop")
            }
            Expr::ForLoop(f) => {
                // `for` is a block holding the iterator and a loop.
                let label = f.label.as_ref().map(|l| l.name.clone());
                let iter = self.fresh("iter");
                let iterable = self.head(block, &f.expr, id, true)?;
                let nested = self.new_block(Owner::Nested(id));
                self.push(
                    nested,
                    Node::Temp(Temp {
                        ident: iter.clone(),
                        expr: syn::parse_quote!(::core::iter::IntoIterator::into_iter(#iterable)),
                    }),
                );
                let pat = &f.pat;
                let body_block = &f.body;
                let inner: Expr = syn::parse_quote! {
                    loop {
                        match ::core::iter::Iterator::next(&mut #iter) {
                            ::core::option::Option::Some(#pat) => #body_block,
                            ::core::option::Option::None => break,
                        }
                    }
                };
                let inner_id = self.program.constructs.len();
                let Expr::Loop(l) = &inner else {
                    unreachable!()
                };
                self.program.constructs.push(Construct {
                    kind: ConstructKind::Loop { body: 0 },
                    value: None,
                    binding: None,
                    head: Vec::new(),
                    head_scope: HeadScope::Construct,
                    label,
                    at: (nested, self.program.blocks[nested].nodes.len()),
                    noun: "ForLoop",
                });
                let body = self.block(&l.body.stmts, Owner::LoopBody(inner_id))?;
                self.program.constructs[inner_id].kind = ConstructKind::Loop { body };
                self.push(nested, Node::Construct(inner_id));
                (
                    ConstructKind::Nested {
                        block: nested,
                        unsafety: false,
                    },
                    None,
                    "For",
                )
            }
            Expr::Block(b) => {
                let inner = self.block(&b.block.stmts, Owner::Nested(id))?;
                self.program.blocks[inner].span = b.block.brace_token.span.join();
                (
                    ConstructKind::Nested {
                        block: inner,
                        unsafety: false,
                    },
                    b.label.as_ref().map(|l| l.name.clone()),
                    "Block",
                )
            }
            Expr::Unsafe(b) => {
                let inner = self.block(&b.block.stmts, Owner::Nested(id))?;
                self.program.blocks[inner].span = b.block.brace_token.span.join();
                (
                    ConstructKind::Nested {
                        block: inner,
                        unsafety: true,
                    },
                    None,
                    "Unsafe",
                )
            }
            Expr::Binary(b) => {
                // `a && b` / `a || b` with an `.await` on the right.
                let left = self.head(block, &b.left, id, false)?;
                // `a || (b && c)`: the parentheses are not needed in a block.
                let mut right = &*b.right;
                while let Expr::Paren(p) = right {
                    right = &p.expr;
                }
                let then = self.new_block(Owner::Branch(id));
                let otherwise = self.new_block(Owner::Branch(id));
                let (awaiting, constant, value) = match b.op {
                    syn::BinOp::And(_) => (then, otherwise, false),
                    _ => (otherwise, then, true),
                };
                self.program.blocks[constant].tail = Some(Finish {
                    kind: FinishKind::Tail,
                    result: syn::parse_quote!(#value),
                    scoped: Vec::new(),
                });
                self.fill(awaiting, &[Stmt::Expr(right.clone(), None)])?;
                (
                    ConstructKind::If {
                        cond: left,
                        then,
                        otherwise,
                    },
                    None,
                    if value { "Or" } else { "And" },
                )
            }
            _ => unreachable!("checked by is_construct"),
        };
        let at = (block, self.program.blocks[block].nodes.len());
        let head_scope = match expr {
            Expr::If(e) if contains_let(&e.cond) => match self.edition {
                crate::edition::Edition::Rust2024 => HeadScope::IfLet,
                crate::edition::Edition::Before2024 => HeadScope::Construct,
            },
            Expr::If(_) | Expr::Binary(_) => HeadScope::Condition,
            _ => HeadScope::Construct,
        };
        let construct = &mut self.program.constructs[id];
        construct.head_scope = head_scope;
        construct.kind = kind;
        construct.label = label;
        construct.noun = noun;
        construct.at = at;
        Ok(id)
    }

    /// The head of a construct (condition, scrutinee, iterable): its
    /// `.await`s become nodes of `block` before the construct.
    ///
    /// `holds`: the head is a scrutinee or iterable, which keeps its
    /// temporaries alive through the construct (`match *m.lock().unwrap()
    /// { .. => { f().await } }` holds the guard across the `.await`); a
    /// plain condition does not.
    fn head(
        &mut self,
        block: BlockId,
        expr: &Expr,
        id: ConstructId,
        holds: bool,
    ) -> syn::Result<Expr> {
        if !has_await(expr) && !holds {
            return Ok(expr.clone());
        }
        let before = self.program.blocks[block].nodes.len();
        // `let` chains: split the scrutinees, keep the patterns.
        let mut splitter = Splitter {
            lowerer: self,
            block,
            awaits_in_statement: count_awaits(expr),
            seen: 0,
            binds: None,
            scoped: Vec::new(),
        };
        let mut result = splitter.expr(expr)?;
        if holds {
            result = splitter.hold_temporaries(result);
        }
        // The head's temporaries and outputs belong to the construct (see
        // `HeadScope`), not to a statement that ends before it; but for an
        // output a later temporary took (`tmp0 = f().await?` in
        // `f().await? == { g().await }`), which the temporary now holds.
        let mut head = std::mem::take(&mut splitter.scoped);
        let taken: std::collections::HashSet<String> = self.program.blocks[block].nodes[before..]
            .iter()
            .filter_map(|node| match node {
                Node::Temp(temp) => Some(crate::analyse::mentions(&temp.expr)),
                _ => None,
            })
            .flatten()
            .filter(|m| m.usage == crate::analyse::Use::Move)
            .map(|m| m.name)
            .collect();
        head.retain(|ident| !taken.contains(&ident.to_string()));
        self.program.constructs[id].head = head;
        Ok(result)
    }

    /// Splits an expression statement: pushes its temporaries, awaits and
    /// constructs into `block`, returns what ends with the statement and the
    /// await-free rest.
    fn split(
        &mut self,
        block: BlockId,
        expr: &Expr,
        binds: Option<Ident>,
    ) -> syn::Result<(Vec<Ident>, Expr)> {
        let taken = self.output_taken;
        let mut splitter = Splitter {
            awaits_in_statement: count_awaits(expr),
            lowerer: self,
            block,
            seen: 0,
            binds,
            scoped: Vec::new(),
        };
        let result = splitter.expr(expr);
        let scoped = std::mem::take(&mut splitter.scoped);
        self.output_taken = taken;
        Ok((scoped, result?))
    }
}

/// Builds the pieces of one statement.
struct Splitter<'a> {
    lowerer: &'a mut Lowerer,
    block: BlockId,
    /// Number of awaits in the statement: one gets `output`, several get
    /// `output1`, `output2`...
    awaits_in_statement: usize,
    seen: usize,
    binds: Option<Ident>,
    /// The temporaries and outputs made so far.
    scoped: Vec<Ident>,
}

impl Splitter<'_> {
    /// Returns `expr` without `.await`s, pushing the nodes that must run first.
    fn expr(&mut self, expr: &Expr) -> syn::Result<Expr> {
        if !has_await(expr) {
            return Ok(expr.clone());
        }
        if is_construct(expr) && awaits_inside(expr) {
            let value = self.lowerer.fresh("value");
            self.scoped.push(value.clone());
            let id = self
                .lowerer
                .build_construct(self.block, expr, Some(value.clone()))?;
            self.lowerer.push(self.block, Node::Construct(id));
            return Ok(syn::parse_quote!(#value));
        }
        let mut out = expr.clone();
        match &mut out {
            Expr::Await(a) => {
                // `f(x, { break 'outer; 0 }).await`: the jump runs before
                // the future is made, so the arguments up to it are
                // evaluated into temporaries first.
                if has_jump(&a.base) {
                    match &mut *a.base {
                        Expr::Call(c) => {
                            let mut operands: Vec<(&mut Expr, bool)> = vec![(&mut *c.func, true)];
                            operands.extend(c.args.iter_mut().map(|a| (a, false)));
                            self.split_operands(operands, Split::Jumps)?;
                        }
                        Expr::MethodCall(m) => {
                            let mut operands: Vec<(&mut Expr, bool)> =
                                vec![(&mut *m.receiver, true)];
                            operands.extend(m.args.iter_mut().map(|a| (a, false)));
                            self.split_operands(operands, Split::Jumps)?;
                        }
                        _ => {}
                    }
                }
                let future = self.expr(&a.base)?;
                let future = self.name_borrowed_temporaries(future);
                let span = a
                    .dot_token
                    .span
                    .join(a.await_token.span)
                    .unwrap_or(a.span());
                let whole = a.span();
                return Ok(self.await_point(future, span, whole));
            }
            Expr::Paren(p) => *p.expr = self.expr(&p.expr)?,
            Expr::Group(g) => *g.expr = self.expr(&g.expr)?,
            Expr::Unary(u) => *u.expr = self.expr(&u.expr)?,
            Expr::Cast(c) => *c.expr = self.expr(&c.expr)?,
            Expr::Field(f) => *f.base = self.expr(&f.base)?,
            Expr::Try(t) => *t.expr = self.expr(&t.expr)?,
            Expr::Reference(r) => *r.expr = self.expr(&r.expr)?,
            Expr::Repeat(r) => *r.expr = self.expr(&r.expr)?,
            Expr::Let(l) => *l.expr = self.expr(&l.expr)?,
            Expr::Return(r) => {
                if let Some(e) = &mut r.expr {
                    **e = self.expr(e)?;
                }
            }
            Expr::Break(b) => {
                if let Some(e) = &mut b.expr {
                    **e = self.expr(e)?;
                }
            }
            // Only the head holds `.await`s (else it would be a construct).
            Expr::If(i) => *i.cond = self.expr(&i.cond)?,
            Expr::Match(m) => *m.expr = self.expr(&m.expr)?,
            // `for x in f().await { .. }` with an await-free body: the
            // iterable's `.await`s run first; what they make lives to the
            // end of the statement, as natively to the end of the loop.
            Expr::ForLoop(f) => *f.expr = self.expr(&f.expr)?,
            Expr::Call(c) => {
                let mut operands: Vec<(&mut Expr, bool)> = vec![(&mut *c.func, true)];
                operands.extend(c.args.iter_mut().map(|a| (a, false)));
                self.operands(operands)?;
            }
            Expr::MethodCall(m) => {
                let receiver = (*m.receiver).clone();
                let mut operands: Vec<(&mut Expr, bool)> = vec![(&mut *m.receiver, true)];
                operands.extend(m.args.iter_mut().map(|a| (a, false)));
                self.operands(operands)?;
                // Only a temporary made to keep the evaluation order (not
                // the output of an `.await`: `match q.lock().await.pop()`
                // keeps its guard to the end of the `match`, as natively,
                // if `pop` borrows it).
                if let Expr::Path(p) = &*m.receiver {
                    let ident = &p.path.segments[0].ident;
                    let awaited = self
                        .lowerer
                        .program
                        .awaits
                        .iter()
                        .any(|a| a.output == *ident);
                    if *m.receiver != receiver && self.is_generated(&m.receiver) && !awaited {
                        self.lowerer
                            .program
                            .receiver_temps
                            .insert(ident.to_string());
                    }
                }
            }
            // `*m.lock().await += f().await`: for primitive types (what
            // `+=` is mostly used on) the compiler evaluates the value
            // first, then the place, as for `=`.
            Expr::Binary(b) if crate::analyse::is_compound_assign(&b.op) && has_await(&b.right) => {
                *b.right = self.expr(&b.right)?;
                if has_await(&b.left) {
                    if !is_stable(&b.right) && !self.is_generated(&b.right) {
                        let value = (*b.right).clone();
                        *b.right = self.temp(value);
                    }
                    *b.left = self.expr(&b.left)?;
                }
            }
            Expr::Binary(b) => {
                use syn::BinOp::*;
                let compares = matches!(b.op, Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_));
                let left_is_place = compares || crate::analyse::is_compound_assign(&b.op);
                // `a == { a = f().await; 0 }`: a comparison of primitives
                // reads `a` before the right side changes it.
                let left_is_place = left_is_place && !(compares && assigns(&b.right, &b.left));
                self.operands(vec![
                    (&mut *b.left, left_is_place),
                    (&mut *b.right, compares),
                ])?;
            }
            Expr::Assign(a) => {
                // The compiler evaluates the value first, then the place
                // (`*m.lock().await = f().await` awaits `f()` first).
                *a.right = self.expr(&a.right)?;
                if has_await(&a.left) {
                    if !is_stable(&a.right) && !self.is_generated(&a.right) {
                        let value = (*a.right).clone();
                        *a.right = self.temp(value);
                    }
                    *a.left = self.expr(&a.left)?;
                }
                // `_ = f().await` drops the value at once; `_ = output`
                // would leave it in `output`: make it a value again.
                if matches!(&*a.left, Expr::Infer(_)) && self.is_generated(&a.right) {
                    let right = &a.right;
                    *a.right = syn::parse_quote!({ #right });
                }
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
                    operands.push((&mut **rest, true));
                }
                self.operands(operands)?;
                // `S { id, name: f().await }` with `id` spilled: `id: tmp0`.
                for field in s.fields.iter_mut() {
                    let still_shorthand = matches!((&field.member, &field.expr),
                        (syn::Member::Named(name), Expr::Path(p)) if p.path.is_ident(name));
                    if field.colon_token.is_none() && !still_shorthand {
                        field.colon_token = Some(Default::default());
                    }
                }
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
            Expr::Macro(m) => {
                m.mac.tokens = self.macro_args(&m.mac)?;
            }
            other => {
                let at = find_await(other).unwrap_or_else(|| other.to_token_stream());
                return Err(unsupported(
                    at,
                    &construct_name(other),
                    "await into a `let` binding before it and use the binding",
                ));
            }
        }
        Ok(out)
    }

    /// The arguments of a macro whose arguments are expressions
    /// (`format!`, `vec!`, `assert_eq!`...), split like call arguments.
    fn macro_args(&mut self, mac: &syn::Macro) -> syn::Result<TokenStream> {
        let name = macro_name(mac);
        let at = find_await_tokens(&mac.tokens).unwrap_or_else(|| mac.path.to_token_stream());
        let kind = match MacroArgs::of(&name) {
            Some(kind) => kind,
            None => {
                return Err(syn::Error::new_spanned(
                    &at,
                    format!(
                        "#[desugar] does not know the arguments of `{name}!`, so it cannot \
                         split the `.await` inside it; await into a `let` binding before \
                         the macro call and pass the binding"
                    ),
                ))
            }
        };
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        let not_exprs = || {
            syn::Error::new_spanned(
                &at,
                format!(
                    "#[desugar] could not read the arguments of `{name}!` as expressions; \
                     await into a `let` binding before the macro call and pass the binding"
                ),
            )
        };
        match kind {
            MacroArgs::Matches => {
                // `matches!(expr, pattern)`: only the expression.
                let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
                let comma = tokens
                    .iter()
                    .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                    .ok_or_else(not_exprs)?;
                let first: TokenStream = tokens[..comma].iter().cloned().collect();
                let rest: TokenStream = tokens[comma..].iter().cloned().collect();
                let expr: Expr = syn::parse2(first).map_err(|_| not_exprs())?;
                let expr = self.expr(&expr)?;
                Ok(quote!(#expr #rest))
            }
            _ => {
                // `vec![value; count]`: both evaluated, in order.
                let repeat = name == "vec" && contains_semicolon(&mac.tokens);
                let mut args: Vec<Expr> = if repeat {
                    crate::rewrite::MacroExprs::parse(mac)
                        .ok_or_else(not_exprs)?
                        .exprs
                } else {
                    parser
                        .parse2(mac.tokens.clone())
                        .map_err(|_| not_exprs())?
                        .into_iter()
                        .collect()
                };
                // Which arguments are always evaluated, in order.
                let evaluated = match kind {
                    MacroArgs::Assert(n) => n.min(args.len()),
                    _ => args.len(),
                };
                if let Some(at) = args[evaluated..].iter().find_map(find_await) {
                    return Err(unsupported(
                        at,
                        &format!("the message of `{name}!` (only evaluated when it fails)"),
                        "await into a `let` binding before the macro call and pass the binding",
                    ));
                }
                let operands: Vec<(&mut Expr, bool)> = args[..evaluated]
                    .iter_mut()
                    .enumerate()
                    .map(|(i, e)| {
                        // The format string and `write!`'s target stay put.
                        let fixed = matches!(kind, MacroArgs::Write) && i == 0;
                        (e, fixed)
                    })
                    .collect();
                self.macro_operands(operands)?;
                let args = args.iter();
                if repeat {
                    return Ok(quote!(#(#args);*));
                }
                Ok(quote!(#(#args),*))
            }
        }
    }

    /// Like [`Splitter::operands`], for macro arguments, which the macro
    /// only borrows (formatting) or moves (`vec!`): a plain local is left
    /// in place, like a place operand.
    fn macro_operands(&mut self, operands: Vec<(&mut Expr, bool)>) -> syn::Result<()> {
        let operands = operands
            .into_iter()
            .map(|(e, fixed)| {
                let keep = fixed || matches!(e, Expr::Lit(_));
                (e, keep)
            })
            .collect();
        self.operands(operands)
    }

    /// Splits a list of operands evaluated left to right.
    fn operands(&mut self, operands: Vec<(&mut Expr, bool)>) -> syn::Result<()> {
        self.split_operands(operands, Split::Awaits)
    }

    /// Splits a list of operands evaluated left to right at the last one
    /// holding an `.await` (or, with [`Split::Jumps`], a jump out of it).
    fn split_operands(
        &mut self,
        mut operands: Vec<(&mut Expr, bool)>,
        split: Split,
    ) -> syn::Result<()> {
        let splits = |e: &Expr| has_await(e) || split == Split::Jumps && has_jump(e);
        let Some(last) = operands.iter().rposition(|(e, _)| splits(e)) else {
            return Ok(());
        };
        for (i, (operand, place_ok)) in operands.iter_mut().enumerate().take(last + 1) {
            if i == last && split == Split::Awaits {
                **operand = self.expr(operand)?;
            } else if splits(operand) {
                let value = self.expr(operand)?;
                // A place stays a place (`*m.lock().await += ..` updates
                // the guarded value, not a copy of it).
                **operand = if self.is_generated(&value) || *place_ok && is_place(&value) {
                    value
                } else {
                    self.temp(value)
                };
            } else if is_stable(operand) || *place_ok && is_place(operand) {
                // Read in place later: nothing can change it meanwhile
                // (the borrow checker would not let the awaited code).
            } else if let Expr::Reference(r) = &mut **operand {
                // `&place` stays; `&temporary()` keeps the temporary alive
                // in a named temporary until the end of the statement.
                if !is_place(&r.expr) && !is_stable(&r.expr) {
                    let value = (*r.expr).clone();
                    *r.expr = self.temp_place(value);
                }
            } else {
                let value = (**operand).clone();
                let value = self.hold_borrowed_temporaries(value);
                **operand = self.temp(value);
            }
        }
        Ok(())
    }

    /// In an operand evaluated before a later `.await` of its statement:
    /// names the temporaries that surely live on to the end of the
    /// statement, so that they are kept across the `.await` as natively.
    /// Only where the syntax shows a borrow whatever the types are: the
    /// target of `*` (`*make()` is `*Deref::deref(&make())`) and the
    /// receiver of a well-known `&self` method (`make().len()`). Other
    /// receivers may be taken by value (`Request::builder().uri(u)`), so
    /// they are left as they are (and dropped when the operand is done).
    fn hold_borrowed_temporaries(&mut self, expr: Expr) -> Expr {
        let mut expr = expr;
        match &mut expr {
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) && self.is_temporary(&u.expr) => {
                let inner = (*u.expr).clone();
                let inner = self.hold_borrowed_temporaries(inner);
                *u.expr = self.temp(inner);
            }
            Expr::MethodCall(m) => {
                let receiver = (*m.receiver).clone();
                let receiver = self.hold_borrowed_temporaries(receiver);
                let by_ref =
                    crate::analyse::BY_REF_METHODS.contains(&m.method.to_string().as_str());
                *m.receiver = if by_ref && self.is_temporary(&receiver) {
                    // `Noisy::new("t").0.len()`: the temporary is named, the
                    // field stays (it cannot move out of a `Drop` type).
                    self.temp_place(receiver)
                } else {
                    receiver
                };
            }
            Expr::Binary(b) => {
                let left = (*b.left).clone();
                *b.left = self.hold_borrowed_temporaries(left);
                let right = (*b.right).clone();
                *b.right = self.hold_borrowed_temporaries(right);
            }
            Expr::Paren(p) => {
                let inner = (*p.expr).clone();
                *p.expr = self.hold_borrowed_temporaries(inner);
            }
            _ => {}
        }
        expr
    }

    /// Whether [`Self::hold_borrowed_temporaries`] would name a temporary
    /// in `expr`.
    fn holds_temporary(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => {
                self.is_temporary(&u.expr) || self.holds_temporary(&u.expr)
            }
            Expr::MethodCall(m) => {
                let by_ref =
                    crate::analyse::BY_REF_METHODS.contains(&m.method.to_string().as_str());
                by_ref && self.is_temporary(&m.receiver) || self.holds_temporary(&m.receiver)
            }
            Expr::Binary(b) => self.holds_temporary(&b.left) || self.holds_temporary(&b.right),
            Expr::Paren(p) => self.holds_temporary(&p.expr),
            _ => false,
        }
    }

    /// A value made by the expression itself (not a place, a constant or
    /// a temporary already named).
    fn is_temporary(&self, expr: &Expr) -> bool {
        !is_place(expr) && !is_stable(expr) && !self.is_generated(expr)
    }

    fn is_generated(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Path(p) if p.path.get_ident().is_some_and(|i| self.scoped.contains(i)))
    }

    /// Inside an awaited expression, names the temporaries the sub-future
    /// borrows: `f(&make())` and `make().next_line()`.
    fn name_borrowed_temporaries(&mut self, future: Expr) -> Expr {
        let mut future = future;
        match &mut future {
            Expr::MethodCall(m) => {
                let borrows_receiver = !consumes_receiver(m)
                    && !matches!(
                        m.method.to_string().as_str(),
                        "send" | "json" | "text" | "bytes"
                    );
                let mut spill_upto = None;
                if borrows_receiver && !is_place(&m.receiver) && !is_stable(&m.receiver) {
                    spill_upto = Some(0);
                }
                for (i, arg) in m.args.iter().enumerate() {
                    if borrows_temporary(arg) || self.holds_temporary(arg) {
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
                if let Some(upto) = c
                    .args
                    .iter()
                    .rposition(|arg| borrows_temporary(arg) || self.holds_temporary(arg))
                {
                    for arg in c.args.iter_mut().take(upto + 1) {
                        self.name_argument(arg);
                    }
                }
            }
            _ => {}
        }
        future
    }

    /// Names the temporaries a scrutinee keeps alive: `*make()`,
    /// `make().method()` (a method that borrows), `&make()`, also inside a
    /// `let` of an `if let`.
    fn hold_temporaries(&mut self, expr: Expr) -> Expr {
        let mut expr = expr;
        match &mut expr {
            Expr::Let(l) => {
                let inner = (*l.expr).clone();
                *l.expr = self.hold_temporaries(inner);
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                let left = (*b.left).clone();
                *b.left = self.hold_temporaries(left);
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) && self.is_temporary(&u.expr) => {
                let inner = (*u.expr).clone();
                *u.expr = self.temp(inner);
            }
            Expr::Reference(r) if self.is_temporary(&r.expr) => {
                let inner = (*r.expr).clone();
                *r.expr = self.temp(inner);
            }
            // `&*m.lock().unwrap()`: the guard the `*` goes through.
            Expr::Reference(r) => {
                let inner = (*r.expr).clone();
                *r.expr = self.hold_temporaries(inner);
            }
            Expr::MethodCall(m) => {
                // Each temporary of a chain lives on: `a().b().c()` holds
                // `a()` and `a().b()` when `b` and `c` borrow.
                let receiver = (*m.receiver).clone();
                let receiver = self.hold_temporaries(receiver);
                let borrows = !consumes_receiver(m);
                *m.receiver = if borrows
                    && !is_place(&receiver)
                    && !is_stable(&receiver)
                    && !self.is_generated(&receiver)
                {
                    self.temp(receiver)
                } else {
                    receiver
                };
            }
            Expr::Paren(p) => {
                let inner = (*p.expr).clone();
                *p.expr = self.hold_temporaries(inner);
            }
            Expr::Range(r) => {
                for end in [&mut r.start, &mut r.end].into_iter().flatten() {
                    let inner = (**end).clone();
                    **end = self.hold_temporaries(inner);
                }
            }
            Expr::Binary(b) => {
                let left = (*b.left).clone();
                *b.left = self.hold_temporaries(left);
                let right = (*b.right).clone();
                *b.right = self.hold_temporaries(right);
            }
            Expr::Call(c) => {
                for arg in c.args.iter_mut() {
                    let inner = arg.clone();
                    *arg = self.hold_temporaries(inner);
                }
            }
            Expr::Field(f) => {
                let base = (*f.base).clone();
                *f.base = self.hold_temporaries(base);
            }
            _ => {}
        }
        expr
    }

    /// `self.temp(expr)`, except that a field of a temporary
    /// (`Noisy::new("t").0`) names the temporary and keeps the field
    /// (`tmp0.0`): the field of a value with a `Drop` cannot be moved out.
    fn temp_place(&mut self, expr: Expr) -> Expr {
        match expr {
            Expr::Field(mut f) if !is_stable(&f.base) => {
                let base = (*f.base).clone();
                *f.base = self.temp_place(base);
                Expr::Field(f)
            }
            // `&c.get_ref()[..n]`: the indexed value is named, the slice
            // stays a place of it (it may be unsized).
            Expr::Index(mut i) if !is_stable(&i.expr) && !has_await(&i.index) => {
                let base = (*i.expr).clone();
                *i.expr = self.temp_place(base);
                Expr::Index(i)
            }
            Expr::Paren(mut p) => {
                let inner = (*p.expr).clone();
                *p.expr = self.temp_place(inner);
                Expr::Paren(p)
            }
            other if is_place(&other) => other,
            other => self.temp(other),
        }
    }

    fn name_argument(&mut self, arg: &mut Expr) {
        if !borrows_temporary(arg) && self.holds_temporary(arg) {
            // `make().len()`: the temporary is named and kept to the end
            // of the statement (across the `.await`), the value is made
            // from it in its turn.
            let value = self.hold_borrowed_temporaries(arg.clone());
            *arg = self.temp(value);
            return;
        }
        if matches!(arg, Expr::MethodCall(_)) && borrows_temporary(arg) {
            if let Expr::MethodCall(m) = arg {
                let receiver = (*m.receiver).clone();
                *m.receiver = self.temp_place(receiver);
            }
            return;
        }
        if let Expr::Reference(r) = arg {
            if !is_place(&r.expr) && !is_stable(&r.expr) {
                let value = (*r.expr).clone();
                *r.expr = self.temp_place(value);
            }
        } else if let Expr::Unary(
            u @ syn::ExprUnary {
                op: syn::UnOp::Deref(_),
                ..
            },
        ) = arg
        {
            // `*m.lock().unwrap()`: the guard is a temporary of the
            // statement, alive until it ends (across its `.await`s).
            if self.is_temporary(&u.expr) {
                let value = (*u.expr).clone();
                *u.expr = self.temp(value);
            }
        } else if !is_stable(arg) && !is_place(arg) {
            let value = arg.clone();
            *arg = self.temp(value);
        }
    }

    fn temp(&mut self, expr: Expr) -> Expr {
        let mut ident = self.lowerer.fresh(&format!("tmp{}", self.lowerer.temps));
        // Named at the operand, so that an error about it points there.
        ident.set_span(ident.span().located_at(expr.span()));
        self.lowerer.temps += 1;
        self.scoped.push(ident.clone());
        self.lowerer.push(
            self.block,
            Node::Temp(Temp {
                ident: ident.clone(),
                expr,
            }),
        );
        syn::parse_quote!(#ident)
    }

    /// `.await` at `span`, on the expression `whole` (`f(x).await`): the
    /// output takes its place, named at `whole` so that an error about the
    /// value points there.
    fn await_point(&mut self, future: Expr, span: Span, whole: Span) -> Expr {
        self.seen += 1;
        let single = self.awaits_in_statement == 1 && !self.lowerer.output_taken;
        let mut output = if single && !self.lowerer.user_output {
            // One per statement: the same name can be used again (but not
            // while an enclosing statement's `output` is still in scope).
            self.lowerer.output_taken = true;
            Ident::new("output", Span::mixed_site())
        } else {
            self.lowerer.outputs += 1;
            let n = self.lowerer.outputs;
            self.lowerer.fresh(&format!("output{n}"))
        };
        output.set_span(output.span().located_at(whole));
        let index = self.lowerer.program.awaits.len();
        let binds = if self.awaits_in_statement == 1 {
            self.binds.clone()
        } else {
            None
        };
        self.lowerer.program.awaits.push(AwaitPoint {
            index,
            future,
            output: output.clone(),
            binds,
            span,
        });
        self.scoped.push(output.clone());
        self.lowerer.push(self.block, Node::Await(index));
        syn::parse_quote!(#output)
    }
}

/// Where `Splitter::split_operands` splits a list of operands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Split {
    /// After the last operand holding an `.await`: the operands before it
    /// are evaluated into temporaries, it is lowered in place.
    Awaits,
    /// After the last operand holding a `return`, `break` or `continue`
    /// (in an awaited call): it and the operands before it are evaluated
    /// into temporaries.
    Jumps,
}

/// How the arguments of a well-known macro are read (see `macro_args`).
#[derive(Clone, Copy)]
pub(crate) enum MacroArgs {
    /// `format!("...", args)`: all arguments evaluated.
    Format,
    /// `write!(target, "...", args)`.
    Write,
    /// `vec![a, b]`, `dbg!(a, b)`.
    Exprs,
    /// `assert!(cond, msg...)`: the first `n` arguments are evaluated.
    Assert(usize),
    /// `matches!(expr, pat)`.
    Matches,
}

impl MacroArgs {
    /// The kind of the macro named `name`, if it is one of those.
    pub(crate) fn of(name: &str) -> Option<MacroArgs> {
        Some(match name {
            "format" | "print" | "println" | "eprint" | "eprintln" | "format_args" | "panic"
            | "todo" | "unimplemented" | "unreachable" => MacroArgs::Format,
            "write" | "writeln" => MacroArgs::Write,
            "vec" | "dbg" => MacroArgs::Exprs,
            "assert" | "debug_assert" => MacroArgs::Assert(1),
            "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => {
                MacroArgs::Assert(2)
            }
            "matches" => MacroArgs::Matches,
            _ => return None,
        })
    }

    /// Whether the macro only borrows its arguments (`println!`, `write!`,
    /// `assert_eq!` and their kin; not `vec!` or `dbg!`, which move them).
    pub(crate) fn borrows(name: &str) -> bool {
        matches!(
            MacroArgs::of(name),
            Some(MacroArgs::Format | MacroArgs::Write | MacroArgs::Assert(_))
        )
    }
}

fn contains_semicolon(tokens: &TokenStream) -> bool {
    tokens
        .clone()
        .into_iter()
        .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))
}

/// Macros whose expansion awaits (`select!`, `join!`, `try_join!`): their
/// `.await`s cannot be seen, so they are a clear error rather than a
/// confusing one from inside the generated code.
fn check_awaiting_macros(stmt: &Stmt) -> syn::Result<()> {
    struct Finder(Option<syn::Error>);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            let name = macro_name(mac);
            let function = match name.as_str() {
                "select" | "select_biased" => "select",
                "join" => "join",
                "try_join" => "try_join",
                _ => return,
            };
            if self.0.is_none() {
                let path = &mac.path;
                let bang = &mac.bang_token;
                self.0 = Some(syn::Error::new_spanned(
                    quote!(#path #bang),
                    format!(
                        "#[desugar] cannot see the `.await`s that `{name}!` expands to; \
                         use the function form instead (`futures::future::{function}(a, b).await`), \
                         or move the `{name}!` into a helper `async fn` without #[desugar] and await that"
                    ),
                ));
            }
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut finder = Finder(None);
    syn::visit::Visit::visit_stmt(&mut finder, stmt);
    finder.0.map_or(Ok(()), Err)
}

/// Whether a condition is or holds a `let` (`if let`, let chains).
/// Whether an `if` condition is (or chains with `&&`) a `let`.
pub fn contains_let(cond: &Expr) -> bool {
    match cond {
        Expr::Let(_) => true,
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            contains_let(&b.left) || contains_let(&b.right)
        }
        Expr::Paren(p) => contains_let(&p.expr),
        _ => false,
    }
}

/// `let x = ...` / `let x: T = ...` → `x`.
fn single_ident(pat: &Pat) -> Option<Ident> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() => Some(p.ident.clone()),
        Pat::Type(t) => single_ident(&t.pat),
        _ => None,
    }
}

/// The pattern with `mut` removed from its bindings (they are bound `mut`
/// again where they end up), and with `keep_ref: false` also `ref` and
/// `ref mut`: matched against a reference, it then binds references (a
/// guard's view).
fn strip_binding_modes(pat: &Pat, keep_ref: bool) -> Pat {
    struct Strip(bool);
    impl syn::visit_mut::VisitMut for Strip {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            p.mutability = None;
            if !self.0 {
                p.by_ref = None;
            }
            syn::visit_mut::visit_pat_ident_mut(self, p);
        }
    }
    let mut pat = pat.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut Strip(keep_ref), &mut pat);
    pat
}

/// Whether `expr` is an `if` or `match` some of whose branches drop a
/// local (`drop(guard);` as a statement of the branch) and others do not.
fn drops_on_some_paths(expr: &Expr) -> bool {
    use std::collections::HashSet;
    // `drop(x)`: the local it drops.
    fn drop_of(expr: &Expr) -> Option<String> {
        match expr {
            Expr::Call(c) if c.args.len() == 1 => {
                let is_drop = matches!(&*c.func, Expr::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == "drop"));
                match &c.args[0] {
                    Expr::Path(p) if is_drop => p.path.get_ident().map(|i| i.to_string()),
                    _ => None,
                }
            }
            _ => None,
        }
    }
    fn dropped(stmts: &[Stmt]) -> HashSet<String> {
        stmts
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::Expr(expr, _) => drop_of(expr),
                _ => None,
            })
            .collect()
    }
    fn of_branch(expr: &Expr) -> HashSet<String> {
        match expr {
            Expr::Block(b) if b.label.is_none() => dropped(&b.block.stmts),
            Expr::Call(_) => drop_of(expr).into_iter().collect(),
            Expr::If(i) => {
                let then = dropped(&i.then_branch.stmts);
                let otherwise = i
                    .else_branch
                    .as_ref()
                    .map(|(_, e)| of_branch(e))
                    .unwrap_or_default();
                then.intersection(&otherwise).cloned().collect()
            }
            _ => HashSet::new(),
        }
    }
    let branches: Vec<HashSet<String>> = match expr {
        Expr::If(i) => vec![
            dropped(&i.then_branch.stmts),
            i.else_branch
                .as_ref()
                .map(|(_, e)| of_branch(e))
                .unwrap_or_default(),
        ],
        Expr::Match(m) => m.arms.iter().map(|arm| of_branch(&arm.body)).collect(),
        _ => return false,
    };
    let any: HashSet<&String> = branches.iter().flatten().collect();
    any.iter()
        .any(|name| branches.iter().any(|b| !b.contains(*name)))
}

/// An `if`, `match`, loop or block, or `&&`/`||`: constructs whose inner
/// `.await`s need control flow between states.
fn is_construct(expr: &Expr) -> bool {
    match expr {
        Expr::If(_)
        | Expr::Match(_)
        | Expr::Loop(_)
        | Expr::While(_)
        | Expr::ForLoop(_)
        | Expr::Block(_)
        | Expr::Unsafe(_) => true,
        Expr::Binary(b) => matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)),
        _ => false,
    }
}

/// Whether a construct has `.await`s beyond its head (condition, scrutinee,
/// left operand, iterable): then it needs states of its own; otherwise it
/// is an ordinary expression whose head is split.
fn awaits_inside(expr: &Expr) -> bool {
    match expr {
        Expr::If(i) => {
            i.then_branch.stmts.iter().any(stmt_has_await)
                || i.else_branch.as_ref().is_some_and(|(_, e)| has_await(e))
        }
        Expr::Match(m) => m
            .arms
            .iter()
            .any(|a| has_await(&a.body) || a.guard.as_ref().is_some_and(|(_, g)| has_await(g))),
        Expr::Loop(l) => l.body.stmts.iter().any(stmt_has_await),
        Expr::While(w) => has_await(&w.cond) || w.body.stmts.iter().any(stmt_has_await),
        Expr::ForLoop(f) => f.body.stmts.iter().any(stmt_has_await),
        Expr::Block(b) => b.block.stmts.iter().any(stmt_has_await),
        Expr::Unsafe(b) => b.block.stmts.iter().any(stmt_has_await),
        Expr::Binary(b) => has_await(&b.right),
        _ => false,
    }
}

/// Whether a statement always leaves: a `return`, `break` or `continue`,
/// or an unlabeled block, an `if`/`else` or a `match` all of whose paths
/// end in one.
pub fn always_leaves(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Expr(e, _) => expr_always_leaves(e),
        _ => false,
    }
}

fn expr_always_leaves(expr: &Expr) -> bool {
    let block_leaves = |b: &syn::Block| b.stmts.last().is_some_and(always_leaves);
    match expr {
        Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) => true,
        Expr::Block(b) => b.label.is_none() && block_leaves(&b.block),
        Expr::Unsafe(b) => block_leaves(&b.block),
        Expr::Paren(p) => expr_always_leaves(&p.expr),
        Expr::If(i) => {
            block_leaves(&i.then_branch)
                && i.else_branch
                    .as_ref()
                    .is_some_and(|(_, e)| expr_always_leaves(e))
        }
        Expr::Match(m) => {
            !m.arms.is_empty() && m.arms.iter().all(|arm| expr_always_leaves(&arm.body))
        }
        _ => false,
    }
}

/// Whether running `stmt` always leaves, also from inside an expression that
/// is evaluated first: `let b = ({ return x; 0 }) == 0;`, `f({ break; })`.
/// Wider than [`always_leaves`]; what follows such a statement is dead code.
pub fn evaluation_leaves(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Expr(e, _) => expr_evaluation_leaves(e),
        Stmt::Local(l) => l
            .init
            .as_ref()
            .is_some_and(|i| expr_evaluation_leaves(&i.expr)),
        _ => false,
    }
}

fn expr_evaluation_leaves(expr: &Expr) -> bool {
    let any = |mut exprs: syn::punctuated::Iter<'_, Expr>| exprs.any(expr_evaluation_leaves);
    expr_always_leaves(expr)
        || match expr {
            Expr::Block(b) => b.label.is_none() && b.block.stmts.iter().any(evaluation_leaves),
            Expr::Paren(p) => expr_evaluation_leaves(&p.expr),
            Expr::Binary(b) => {
                expr_evaluation_leaves(&b.left)
                    || !matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_))
                        && expr_evaluation_leaves(&b.right)
            }
            Expr::Unary(u) => expr_evaluation_leaves(&u.expr),
            Expr::Reference(r) => expr_evaluation_leaves(&r.expr),
            Expr::Cast(c) => expr_evaluation_leaves(&c.expr),
            Expr::Field(f) => expr_evaluation_leaves(&f.base),
            Expr::Try(t) => expr_evaluation_leaves(&t.expr),
            Expr::Call(c) => expr_evaluation_leaves(&c.func) || any(c.args.iter()),
            Expr::MethodCall(m) => expr_evaluation_leaves(&m.receiver) || any(m.args.iter()),
            Expr::Tuple(t) => any(t.elems.iter()),
            Expr::Array(a) => any(a.elems.iter()),
            _ => false,
        }
}

/// Whether `expr` holds a `return`, `break` or `continue` (outside closures,
/// `async` blocks and items).
fn has_jump(expr: &Expr) -> bool {
    crate::analyse::any_in(expr, &|e| {
        matches!(e, Expr::Return(_) | Expr::Break(_) | Expr::Continue(_))
    })
}

/// Whether a statement holds an `.await` of this function.
pub fn stmt_has_await(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Local(l) => l.init.as_ref().is_some_and(|i| {
            has_await(&i.expr) || i.diverge.as_ref().is_some_and(|(_, e)| has_await(e))
        }),
        Stmt::Expr(e, _) => has_await(e),
        Stmt::Macro(m) => find_await_tokens(&m.mac.tokens).is_some(),
        Stmt::Item(_) => false,
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
        fn visit_macro(&mut self, node: &'ast syn::Macro) {
            self.0 += count_await_tokens(&node.tokens);
        }
    }
    let mut counter = Counter(0);
    syn::visit::Visit::visit_expr(&mut counter, expr);
    counter.0
}

fn count_await_tokens(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|t| match t {
            TokenTree::Ident(i) if i == "await" => 1,
            TokenTree::Group(g) => count_await_tokens(&g.stream()),
            _ => 0,
        })
        .sum()
}

/// An expression whose value cannot change between now and later: a literal
/// or a path that is not a plain local name (a constant, a function).
/// Whether `expr` assigns the local `place` is (`a = ..`, `a += ..`).
fn assigns(expr: &Expr, place: &Expr) -> bool {
    let place = match place {
        Expr::Paren(p) => &*p.expr,
        other => other,
    };
    let Expr::Path(p) = place else {
        return false;
    };
    let Some(name) = p.path.get_ident().map(|i| i.to_string()) else {
        return false;
    };
    crate::analyse::mentions(expr)
        .iter()
        .any(|m| m.name == name && m.usage == crate::analyse::Use::Assign)
        || assigns_compound(expr, &name)
}

/// Whether `expr` has `name op= ..` in it.
fn assigns_compound(expr: &Expr, name: &str) -> bool {
    struct Find<'a>(&'a str, bool);
    impl<'ast> syn::visit::Visit<'ast> for Find<'_> {
        fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
            let compound = crate::analyse::is_compound_assign(&b.op);
            if compound && matches!(&*b.left, Expr::Path(p) if p.path.is_ident(self.0)) {
                self.1 = true;
            }
            syn::visit::visit_expr_binary(self, b);
        }
    }
    let mut find = Find(name, false);
    syn::visit::Visit::visit_expr(&mut find, expr);
    find.1
}

fn is_stable(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) => true,
        // `&|s| s.len()`: a closure that captures nothing is promoted to a
        // constant, so a reference to it is `'static` (and naming it in a
        // `let` would lose the parameter types its call site infers)
        Expr::Closure(c) => captures_nothing(c),
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

/// Whether a closure surely captures nothing: every name its body uses
/// is one it binds itself (a parameter, a `let` inside), or a path that is
/// no local (`Vec::new`, `MAX`); and it uses no macro (whose tokens could
/// name a local).
fn captures_nothing(c: &syn::ExprClosure) -> bool {
    struct Names {
        used: Vec<Ident>,
        bound: Vec<Ident>,
        opaque: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for Names {
        fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
            if let Some(ident) = p.path.get_ident().filter(|_| p.qself.is_none()) {
                self.used.push(ident.clone());
            }
        }
        fn visit_pat(&mut self, pat: &'ast syn::Pat) {
            self.bound
                .extend(crate::analyse::bindings(pat).into_iter().map(|d| d.ident));
            syn::visit::visit_pat(self, pat);
        }
        fn visit_macro(&mut self, _: &'ast syn::Macro) {
            self.opaque = true;
        }
        fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
            // `S { x }` uses `x`
            self.opaque |= s.fields.iter().any(|f| f.colon_token.is_none());
            syn::visit::visit_expr_struct(self, s);
        }
    }
    let mut names = Names {
        used: Vec::new(),
        bound: Vec::new(),
        opaque: false,
    };
    syn::visit::Visit::visit_expr_closure(&mut names, c);
    !names.opaque
        && names.used.iter().all(|ident| {
            names.bound.contains(ident)
                || !crate::rewrite::is_binding_name(ident) && ident != "self"
        })
}

/// A place expression: a local, a field or index of a place, a deref.
pub fn is_place(expr: &Expr) -> bool {
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

/// An argument that borrows a temporary: `&make()`, a method known to
/// borrow its receiver called on one (`format!(..).as_bytes()`), or a
/// `*` through one (`*m.lock().unwrap()`).
fn borrows_temporary(expr: &Expr) -> bool {
    match expr {
        Expr::Reference(r) => {
            !is_place(&r.expr) && !is_stable(&r.expr) && !matches!(&*r.expr, Expr::Array(_))
        }
        Expr::MethodCall(m) => {
            crate::analyse::BORROWING_METHODS.contains(&m.method.to_string().as_str())
                && !is_place(&m.receiver)
                && !is_stable(&m.receiver)
        }
        // `*m.lock().unwrap()`: `Deref` borrows the guard.
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => {
            matches!(&*u.expr, Expr::MethodCall(_) | Expr::Call(_))
        }
        _ => false,
    }
}

pub(crate) fn macro_name(mac: &syn::Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_else(|| "macro".into())
}

fn construct_name(expr: &Expr) -> String {
    match expr {
        Expr::Closure(_) => "a closure".into(),
        Expr::Let(_) => "`let` in a condition".into(),
        _ => "this expression".into(),
    }
}

/// The error for an `.await` (its tokens) in a place that cannot be split.
fn unsupported(at: TokenStream, construct: &str, advice: &str) -> syn::Error {
    syn::Error::new_spanned(
        at,
        format!("#[desugar] does not support `.await` inside {construct}; {advice}"),
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
