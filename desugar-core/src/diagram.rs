//! Stage 7 (optional): the state diagram.
//!
//! In: what [`emit`](crate::emit) produced (the generated function's
//! tokens), with the [`Program`] and [`Layout`] it was made from. Out: a
//! [`StateGraph`]: the states of the enum and the transitions between them,
//! each labelled with what triggers it, plus the runtime's `poll()` arrow.
//! It prints as Mermaid ([`StateGraph::mermaid`]), Graphviz DOT
//! ([`StateGraph::dot`]) and a standalone SVG ([`StateGraph::svg`], drawn
//! in-process by `layout-rs`).
//!
//! The transitions are read off the generated code itself, not guessed from
//! the body: in the arm that resumes state `S`, every `*state = Enum::T` is
//! an edge `S → T`, every `return Poll::Pending` an edge back to the
//! runtime, and taking the state's values out (leaving `Poisoned` behind) an
//! edge `S → Poisoned` for a panic. The layout and the program only name the
//! trigger: a jump into a loop head from inside that loop is a loop back, a
//! jump out of a loop is a `break`, one inside the `Break` arm of
//! `Try::branch` is the `?` error path, and so on.
//!
//! [`attach`] adds the Mermaid text to the generated function's docs (a
//! `# State machine` section after the user's own), so it shows in
//! `cargo doc`.

use std::collections::HashMap;

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::quote;
use syn::visit::Visit;

use crate::emit::compact;
use crate::layout::{Layout, StateKind};
use crate::lower::{ConstructId, Owner, Program};
use crate::parse::AsyncFn;

/// The name edges use for the executor that polls the machine.
pub const RUNTIME: &str = "runtime";

/// A function's state machine as a graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateGraph {
    /// The desugared function (`fetch_data`).
    pub function: String,
    /// Its state enum (`FetchData`).
    pub enum_name: String,
    /// Every variant of the enum, in declaration order: `Start`, the states
    /// of the layout, `Done`, `Poisoned`.
    pub states: Vec<StateNode>,
    /// The transitions, in the order the generated code makes them; the
    /// runtime appears as [`RUNTIME`].
    pub edges: Vec<Edge>,
}

/// One state (a variant of the enum).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateNode {
    /// The variant's name (`WaitingForUrl`).
    pub name: String,
    /// What it is.
    pub kind: NodeKind,
    /// A short description: "waiting for `build_url()`".
    pub description: String,
}

/// What a state is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// Created, not polled yet.
    Start,
    /// Waiting for a sub-future (one `.await`).
    Await,
    /// The top of a loop that holds `.await`s.
    LoopHead,
    /// Where the branches of a construct meet again.
    Join,
    /// Finished.
    Done,
    /// A poll panicked.
    Poisoned,
}

/// One transition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The state it leaves ([`RUNTIME`] for the poll arrow).
    pub from: String,
    /// The state it enters ([`RUNTIME`] when the poll returns).
    pub to: String,
    /// What triggers it.
    pub trigger: Trigger,
    /// For an edge leaving an await state after its sub-future finished:
    /// the awaited expression (`fetch(a)`).
    pub after: Option<String>,
}

/// What triggers a transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// The runtime calls `poll()` (runtime → `Start`).
    Poll,
    /// The first poll runs the body from the top (`Start` → next).
    FirstPoll,
    /// The sub-future is not ready: `Pending` goes back to the runtime, and
    /// the next poll resumes in the same state.
    Pending,
    /// The sub-future is ready: the body runs on to the next state.
    Ready,
    /// Code without an `.await` runs on to the next state in the same poll
    /// (from a loop head or a join point): "runs on".
    Next,
    /// The body's tail value or a `return`: `Done`, and `Ready(value)`.
    Return,
    /// The error path of a `?`: `Done`, and `Ready(residual)`.
    TryError,
    /// `continue` or the end of a loop body: back to the loop head.
    LoopBack,
    /// Leaving a loop (`break`, or its condition failing) to the code after.
    Break,
    /// The end of a branch: to where the branches meet.
    Join,
    /// `Done` hands the output to the runtime: `Ready(output)`.
    Output,
    /// A panic while user code runs leaves `Poisoned` behind.
    Panic,
    /// Polling after `Done` panics.
    PolledAfterDone,
    /// Polling after a panic panics again.
    PolledAfterPanic,
}

impl Trigger {
    /// Whether the edge is drawn dashed (the panic paths).
    pub fn dashed(self) -> bool {
        matches!(
            self,
            Trigger::Panic | Trigger::PolledAfterDone | Trigger::PolledAfterPanic
        )
    }
}

impl Edge {
    /// The label drawn on the edge: "`fetch(a)` Ready", "first poll",
    /// "`?` error", "`yield_once(())` Ready, loop back".
    pub fn label(&self) -> String {
        let what = match self.trigger {
            Trigger::Poll => return "poll()".to_string(),
            Trigger::FirstPoll => return "first poll".to_string(),
            Trigger::Pending => return "Pending".to_string(),
            Trigger::Output => return "Ready(output)".to_string(),
            Trigger::Panic => return "panic".to_string(),
            Trigger::PolledAfterDone => return "polled again: panic".to_string(),
            Trigger::PolledAfterPanic => return "polled again: panic".to_string(),
            Trigger::Ready | Trigger::Next => "",
            Trigger::Return => "return",
            Trigger::TryError => "`?` error",
            Trigger::LoopBack => "loop back",
            Trigger::Break => "break",
            Trigger::Join => "join",
        };
        let before = match (&self.after, self.from.as_str()) {
            (Some(expr), _) => format!("`{expr}` Ready"),
            (None, "Start") => "first poll".to_string(),
            (None, _) => String::new(),
        };
        match (before.is_empty(), what.is_empty()) {
            (true, true) => "runs on".to_string(),
            (true, false) => what.to_string(),
            (false, true) => before,
            (false, false) => format!("{before}, {what}"),
        }
    }
}

/// Shortens an expression for a label.
fn shorten(text: String) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        return text;
    }
    let mut short: String = text.chars().take(MAX - 1).collect();
    short.push('…');
    short
}

/// The loops (by construct) that enclose a block, innermost first.
fn loops_around(program: &Program, mut block: usize) -> Vec<ConstructId> {
    let mut loops = Vec::new();
    loop {
        let c = match program.blocks[block].owner {
            Owner::Function => return loops,
            Owner::LoopBody(c) => {
                loops.push(c);
                c
            }
            Owner::Branch(c) | Owner::Nested(c) => c,
        };
        block = program.constructs[c].at.0;
    }
}

/// What the program and layout say about one state.
struct Place {
    kind: NodeKind,
    /// The loops it is inside (a loop head counts as inside its loop).
    loops: Vec<ConstructId>,
    /// For a loop head: its loop; for a join point: its construct.
    construct: Option<ConstructId>,
    /// For an await state: the awaited expression.
    awaited: Option<String>,
}

impl StateGraph {
    /// Builds the graph of the code `emit` produced for `function`.
    pub fn of(
        function: &AsyncFn,
        program: &Program,
        layout: &Layout,
        expansion: &TokenStream,
    ) -> syn::Result<StateGraph> {
        let enum_name = layout.enum_name.to_string();
        let mut states = vec![StateNode {
            name: "Start".to_string(),
            kind: NodeKind::Start,
            description: if layout.start.is_empty() {
                "created, not polled yet".to_string()
            } else {
                "created, holds the arguments".to_string()
            },
        }];
        let mut places: HashMap<String, Place> = HashMap::new();
        places.insert(
            "Start".to_string(),
            Place {
                kind: NodeKind::Start,
                loops: Vec::new(),
                construct: None,
                awaited: None,
            },
        );
        for state in layout.states.iter().filter(|s| s.reachable) {
            let mut loops = loops_around(program, state.resume.0);
            let (kind, construct, awaited, description) = match state.kind {
                StateKind::Await(k) => {
                    let expr = shorten(compact(&program.awaits[k].future));
                    let description = format!("waiting for `{expr}`");
                    (NodeKind::Await, None, Some(expr), description)
                }
                StateKind::LoopHead(c) => {
                    if !loops.contains(&c) {
                        loops.insert(0, c);
                    }
                    let description = format!("top of the {}", program.constructs[c].description());
                    (NodeKind::LoopHead, Some(c), None, description)
                }
                StateKind::Join(c) => {
                    let description = format!("after the {}", program.constructs[c].description());
                    (NodeKind::Join, Some(c), None, description)
                }
            };
            let name = state.name.to_string();
            states.push(StateNode {
                name: name.clone(),
                kind,
                description,
            });
            places.insert(
                name,
                Place {
                    kind,
                    loops,
                    construct,
                    awaited,
                },
            );
        }
        states.push(StateNode {
            name: "Done".to_string(),
            kind: NodeKind::Done,
            description: "finished".to_string(),
        });
        states.push(StateNode {
            name: "Poisoned".to_string(),
            kind: NodeKind::Poisoned,
            description: "a poll panicked".to_string(),
        });

        let arms = state_arms(expansion, &layout.enum_name)?;
        let mut edges: Vec<Edge> = Vec::new();
        let mut push = |edge: Edge| {
            if !edges.contains(&edge) {
                edges.push(edge);
            }
        };
        push(Edge {
            from: RUNTIME.to_string(),
            to: "Start".to_string(),
            trigger: Trigger::Poll,
            after: None,
        });
        let mut done_reached = false;
        for (from, jumps) in &arms {
            let place = places.get(from);
            for jump in jumps {
                let edge = match jump {
                    Found::Pending => Edge {
                        from: from.clone(),
                        to: RUNTIME.to_string(),
                        trigger: Trigger::Pending,
                        after: None,
                    },
                    Found::Poison => Edge {
                        from: from.clone(),
                        to: "Poisoned".to_string(),
                        trigger: Trigger::Panic,
                        after: None,
                    },
                    Found::Panic => Edge {
                        from: from.clone(),
                        to: from.clone(),
                        trigger: if from == "Done" {
                            Trigger::PolledAfterDone
                        } else {
                            Trigger::PolledAfterPanic
                        },
                        after: None,
                    },
                    Found::Assign { to, in_try_break } => {
                        let Some(place) = place else { continue };
                        let trigger = classify(place, to, *in_try_break, &places);
                        if to == "Done" {
                            done_reached = true;
                        }
                        Edge {
                            from: from.clone(),
                            to: to.clone(),
                            trigger,
                            after: place.awaited.clone(),
                        }
                    }
                };
                push(edge);
            }
        }
        if done_reached {
            push(Edge {
                from: "Done".to_string(),
                to: RUNTIME.to_string(),
                trigger: Trigger::Output,
                after: None,
            });
        }
        // Keep the panics of `Done` and `Poisoned` last, after the real flow.
        edges.sort_by_key(|e| e.trigger.dashed());
        Ok(StateGraph {
            function: function.sig.ident.to_string(),
            enum_name,
            states,
            edges,
        })
    }
}

/// The trigger of a jump from the state at `from` to the state `to`.
fn classify(
    from: &Place,
    to: &str,
    in_try_break: bool,
    places: &HashMap<String, Place>,
) -> Trigger {
    if to == "Done" {
        return if in_try_break {
            Trigger::TryError
        } else {
            Trigger::Return
        };
    }
    let fallback = match from.kind {
        NodeKind::Start => Trigger::FirstPoll,
        NodeKind::Await => Trigger::Ready,
        _ => Trigger::Next,
    };
    let Some(target) = places.get(to) else {
        return fallback;
    };
    if target.kind == NodeKind::LoopHead {
        let c = target.construct.expect("a loop head has its loop");
        if from.loops.contains(&c) {
            return Trigger::LoopBack;
        }
        return fallback;
    }
    if from.loops.iter().any(|c| !target.loops.contains(c)) {
        return Trigger::Break;
    }
    if target.kind == NodeKind::Join {
        return Trigger::Join;
    }
    fallback
}

/// What the arm of one state does.
#[derive(Debug)]
enum Found {
    /// `*state = Enum::To` (not `Poisoned`).
    Assign { to: String, in_try_break: bool },
    /// `return Poll::Pending`.
    Pending,
    /// The state's values are taken out, `Poisoned` left behind.
    Poison,
    /// The arm panics (`Done`, `Poisoned`).
    Panic,
}

/// The arms of the `match` on the state in the generated code: for each
/// state (by variant name, in order), what its arm does.
fn state_arms(
    expansion: &TokenStream,
    enum_name: &Ident,
) -> syn::Result<Vec<(String, Vec<Found>)>> {
    // The function's body is the last brace group among its top-level tokens.
    let body = expansion
        .clone()
        .into_iter()
        .filter_map(|tree| match tree {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(g),
            _ => None,
        })
        .last()
        .ok_or_else(|| syn::Error::new(Span::call_site(), "no function body in the expansion"))?;
    let block: syn::Block = syn::parse2(quote!({ #body }))?;
    let mut finder = MatchFinder {
        enum_name: enum_name.to_string(),
        arms: None,
    };
    finder.visit_block(&block);
    finder.arms.ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            "no `match` on the state in the expansion",
        )
    })
}

/// The variant a path names, if it is `Enum::Variant`.
fn variant_of(path: &syn::Path, enum_name: &str) -> Option<String> {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [e, v] if e == enum_name => Some(v.clone()),
        _ => None,
    }
}

/// The variant an expression builds (`Enum::V` or `Enum::V { .. }`).
fn built_variant(expr: &syn::Expr, enum_name: &str) -> Option<String> {
    match expr {
        syn::Expr::Path(p) => variant_of(&p.path, enum_name),
        syn::Expr::Struct(s) => variant_of(&s.path, enum_name),
        _ => None,
    }
}

/// The variant a pattern matches.
fn pattern_variant(pat: &syn::Pat, enum_name: &str) -> Option<String> {
    match pat {
        syn::Pat::Path(p) => variant_of(&p.path, enum_name),
        syn::Pat::Struct(s) => variant_of(&s.path, enum_name),
        syn::Pat::TupleStruct(s) => variant_of(&s.path, enum_name),
        _ => None,
    }
}

/// Finds the `match` whose arms are the states.
struct MatchFinder {
    enum_name: String,
    arms: Option<Vec<(String, Vec<Found>)>>,
}

impl<'ast> Visit<'ast> for MatchFinder {
    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        let variants: Vec<Option<String>> = m
            .arms
            .iter()
            .map(|arm| pattern_variant(&arm.pat, &self.enum_name))
            .collect();
        let is_state_match = !variants.is_empty()
            && variants.iter().all(Option::is_some)
            && variants.iter().any(|v| v.as_deref() == Some("Start"));
        if self.arms.is_none() && is_state_match {
            let arms = m
                .arms
                .iter()
                .zip(variants)
                .map(|(arm, variant)| {
                    let mut walker = ArmWalker {
                        enum_name: &self.enum_name,
                        in_try_break: 0,
                        in_finish: 0,
                        finish_seen: false,
                        found: Vec::new(),
                    };
                    walker.visit_expr(&arm.body);
                    (variant.expect("checked"), walker.found)
                })
                .collect();
            self.arms = Some(arms);
            return;
        }
        syn::visit::visit_expr_match(self, m);
    }
}

/// Collects what one arm does.
struct ArmWalker<'a> {
    enum_name: &'a str,
    in_try_break: usize,
    /// Inside the arm's `'finish` block (with pinned locals, every way to
    /// `Done` breaks out of it to the one `*state = Done` after it).
    in_finish: usize,
    /// Whether a `'finish` block was seen: then its breaks and its tail are
    /// the ways to `Done`, not the assignment after it.
    finish_seen: bool,
    found: Vec<Found>,
}

/// Whether a lifetime is the `'finish` label of [`rewrite::finish_label`].
///
/// [`rewrite::finish_label`]: crate::rewrite::finish_label
fn is_finish(label: Option<&syn::Lifetime>) -> bool {
    label.is_some_and(|l| l.ident == crate::rewrite::finish_label().ident)
}

/// Whether control can reach the end of a block (its last statement does
/// not jump away).
fn falls_off_end(block: &syn::Block) -> bool {
    !matches!(
        block.stmts.last(),
        Some(syn::Stmt::Expr(
            syn::Expr::Continue(_) | syn::Expr::Return(_) | syn::Expr::Break(_),
            _
        ))
    )
}

impl<'ast> Visit<'ast> for ArmWalker<'_> {
    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        if let syn::Expr::Unary(u) = &*a.left {
            if matches!(u.op, syn::UnOp::Deref(_)) {
                if let Some(to) = built_variant(&a.right, self.enum_name) {
                    if to == "Done" && self.finish_seen && self.in_finish == 0 {
                        // Counted at the `'finish` block's exits.
                    } else if to == "Poisoned" {
                        self.found.push(Found::Poison);
                    } else {
                        self.found.push(Found::Assign {
                            to,
                            in_try_break: self.in_try_break > 0,
                        });
                    }
                }
            }
        }
        syn::visit::visit_expr_assign(self, a);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        // `mem::replace(state, Enum::Poisoned)`: the values are taken out.
        if let syn::Expr::Path(f) = &*call.func {
            let is_replace = f.path.segments.last().is_some_and(|s| s.ident == "replace");
            let poisons = call
                .args
                .iter()
                .any(|arg| built_variant(arg, self.enum_name).as_deref() == Some("Poisoned"));
            if is_replace && poisons {
                self.found.push(Found::Poison);
            }
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        if let Some(syn::Expr::Path(p)) = r.expr.as_deref() {
            if p.path.segments.last().is_some_and(|s| s.ident == "Pending") {
                self.found.push(Found::Pending);
            }
        }
        syn::visit::visit_expr_return(self, r);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        // `match Try::branch(value) { Continue(v) => v, Break(r) => ... }`,
        // what `rewrite` makes of a `?`: its `Break` arm is the error path.
        let is_try = match &*m.expr {
            syn::Expr::Call(call) => crate::names::path_segments(&call.func)
                .ends_with(&["Try".to_string(), "branch".to_string()]),
            _ => false,
        };
        if !is_try {
            return syn::visit::visit_expr_match(self, m);
        }
        self.visit_expr(&m.expr);
        for arm in &m.arms {
            let is_break = matches!(&arm.pat, syn::Pat::TupleStruct(s)
                if s.path.segments.last().is_some_and(|s| s.ident == "Break"));
            self.in_try_break += usize::from(is_break);
            syn::visit::visit_arm(self, arm);
            self.in_try_break -= usize::from(is_break);
        }
    }

    fn visit_expr_block(&mut self, b: &'ast syn::ExprBlock) {
        let finish = is_finish(b.label.as_ref().map(|l| &l.name));
        if !finish {
            return syn::visit::visit_expr_block(self, b);
        }
        self.finish_seen = true;
        self.in_finish += 1;
        syn::visit::visit_expr_block(self, b);
        self.in_finish -= 1;
        if falls_off_end(&b.block) {
            self.found.push(Found::Assign {
                to: "Done".to_string(),
                in_try_break: self.in_try_break > 0,
            });
        }
    }

    fn visit_expr_break(&mut self, b: &'ast syn::ExprBreak) {
        if is_finish(b.label.as_ref()) {
            self.found.push(Found::Assign {
                to: "Done".to_string(),
                in_try_break: self.in_try_break > 0,
            });
        }
        syn::visit::visit_expr_break(self, b);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac.path.segments.last().is_some_and(|s| s.ident == "panic") {
            self.found.push(Found::Panic);
        }
    }

    // Code the state machine does not run as part of this arm.
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// Escapes a label for a Mermaid `"..."` string.
fn mermaid_text(text: &str) -> String {
    text.replace('`', "")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// Escapes a label for a DOT `"..."` string.
fn dot_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

impl StateGraph {
    /// The graph as a Mermaid flowchart.
    pub fn mermaid(&self) -> String {
        self.mermaid_of(true)
    }

    /// The Mermaid text, with or without the panic edges and `Poisoned`.
    fn mermaid_of(&self, panics: bool) -> String {
        let mut out = String::from("flowchart TD\n");
        out.push_str(&format!("    {RUNTIME}([\"runtime (executor)\"])\n"));
        for state in &self.states {
            if !panics && state.kind == NodeKind::Poisoned {
                continue;
            }
            let text = mermaid_text(&format!("{}: {}", state.name, state.description));
            let shape = match state.kind {
                NodeKind::Done | NodeKind::Poisoned => format!("((\"{text}\"))"),
                _ => format!("[\"{text}\"]"),
            };
            out.push_str(&format!("    {}{shape}\n", state.name));
        }
        for edge in &self.edges {
            if !panics && edge.trigger.dashed() {
                continue;
            }
            let arrow = if edge.trigger.dashed() { "-.->" } else { "-->" };
            out.push_str(&format!(
                "    {} {arrow}|\"{}\"| {}\n",
                edge.from,
                mermaid_text(&edge.label()),
                edge.to
            ));
        }
        out
    }

    /// The graph as Graphviz DOT.
    pub fn dot(&self) -> String {
        let mut out = format!("digraph {} {{\n", self.enum_name);
        out.push_str("    rankdir=TB;\n");
        out.push_str("    node [shape=box];\n");
        out.push_str(&format!(
            "    {RUNTIME} [label=\"runtime (executor)\", shape=ellipse];\n"
        ));
        for state in &self.states {
            let shape = match state.kind {
                NodeKind::Done | NodeKind::Poisoned => "ellipse",
                _ => "box",
            };
            out.push_str(&format!(
                "    {} [label=\"{}\\n{}\", shape={shape}];\n",
                state.name,
                dot_text(&state.name),
                dot_text(&state.description)
            ));
        }
        for edge in &self.edges {
            let style = if edge.trigger.dashed() {
                ", style=dashed"
            } else {
                ""
            };
            out.push_str(&format!(
                "    {} -> {} [label=\"{}\"{style}];\n",
                edge.from,
                edge.to,
                dot_text(&edge.label())
            ));
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a standalone SVG document, laid out in-process by
    /// `layout-rs` from [`StateGraph::dot`].
    pub fn svg(&self) -> String {
        use layout::backends::svg::SVGWriter;
        use layout::gv::{DotParser, GraphBuilder};
        let dot = self.dot();
        let graph = DotParser::new(&dot)
            .process()
            .expect("the DOT this module writes parses");
        let mut builder = GraphBuilder::new();
        builder.visit_graph(&graph);
        let mut visual = builder.get();
        let mut writer = SVGWriter::new();
        visual.do_it(false, false, false, &mut writer);
        writer.finalize()
    }

    /// The edges entering a state.
    pub fn edges_into<'a>(&'a self, state: &'a str) -> impl Iterator<Item = &'a Edge> + 'a {
        self.edges.iter().filter(move |e| e.to == state)
    }
}

/// Up to how many states (`Start`, the layout's, `Done`) the generated
/// docs draw the diagram; a larger machine gets one line instead, so that
/// its docs (and its expansion time) do not grow with it.
pub const DOC_STATES: usize = 16;

/// Adds the graph's Mermaid text (without the panic edges, which every
/// state has) to the generated function's docs, as a `# State machine`
/// section after the attributes the user wrote.
pub fn attach(expansion: TokenStream, graph: &StateGraph) -> TokenStream {
    let mut lines = vec![
        " # State machine".to_string(),
        String::new(),
        format!(
            " The states of `{}` and what moves it between them (Mermaid). A panic",
            graph.enum_name
        ),
        " in any state leaves `Poisoned`; polling `Done` or `Poisoned` panics.".to_string(),
        String::new(),
        " ```text".to_string(),
    ];
    lines.extend(graph.mermaid_of(false).lines().map(|l| format!(" {l}")));
    lines.push(" ```".to_string());
    insert_docs(expansion, &lines)
}

/// For a machine too large to draw in its docs (more than [`DOC_STATES`]
/// states): a `# State machine` section that says how many states it has.
pub fn attach_summary(expansion: TokenStream, enum_name: &Ident, states: usize) -> TokenStream {
    let lines = [
        " # State machine".to_string(),
        String::new(),
        format!(
            " `{enum_name}` has {states} states (with `Start` and `Done`), too many to \
             draw here: `cargo desugar FILE --diagram svg` draws them."
        ),
    ];
    insert_docs(expansion, &lines)
}

/// Inserts doc lines after the outer attributes at the start of the item
/// (after an empty line if those include docs).
fn insert_docs(expansion: TokenStream, lines: &[String]) -> TokenStream {
    let mut trees: Vec<TokenTree> = expansion.into_iter().collect();
    // Outer attributes: `#` followed by a bracket group.
    let mut at = 0;
    let mut documented = false;
    while at + 1 < trees.len() {
        let TokenTree::Group(group) = &trees[at + 1] else {
            break;
        };
        let is_attr = matches!(&trees[at], TokenTree::Punct(p) if p.as_char() == '#')
            && group.delimiter() == Delimiter::Bracket;
        if !is_attr {
            break;
        }
        documented |= matches!(
            group.stream().into_iter().next(),
            Some(TokenTree::Ident(i)) if i == "doc"
        );
        at += 2;
    }
    let blank = documented.then(|| quote!(#[doc = ""]));
    let docs = lines.iter().map(|line| quote!(#[doc = #line]));
    trees.splice(at..at, quote!(#blank #(#docs)*));
    trees.into_iter().collect()
}
