//! The flow graph of the lowered body, and what is known at each node.
//!
//! In: the function and its lowered [`Program`]. Out: a [`Graph`] of events
//! (a binding declared, mentioned, moved, assigned; the state points), made
//! by a [`Walker`], and its [`Facts`] from [`analyse_flow`]: which bindings
//! may still be read later (liveness) and which may still own a value.

use super::*;

/// What happens at one node of the flow graph.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    Nop,
    /// A binding comes into scope, holding a value or not (`let x;`).
    Declare {
        binding: usize,
        init: bool,
    },
    Mention {
        binding: usize,
        usage: Use,
        in_future: Option<usize>,
    },
}

/// Whether `expr` names a local (a plain identifier).
pub(super) fn is_local_path(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some())
}

/// How a loop without `.await`s ends, besides `break`.
pub(super) enum LoopEnd<'a> {
    /// `loop`: only by `break`.
    Break,
    /// `while cond`: when the condition is false.
    Cond(&'a Expr),
    /// `for`: when the iterator has no more items.
    Exhausted,
}

/// Where a `break`/`continue` can go.
pub(super) struct LoopTarget {
    pub(super) label: Option<String>,
    /// The loop's head; `None` for a labeled block.
    pub(super) head: Option<usize>,
    pub(super) exit: usize,
}

/// The flow graph, built by walking the lowered body in order.
pub(super) struct Graph {
    pub(super) events: Vec<Event>,
    pub(super) succ: Vec<Vec<usize>>,
    /// Edges into code that never runs (after a `return`, `break` or
    /// `continue`, after a `loop` without `break`), from where control
    /// left: only "mentioned later" follows them. The compiler type-checks
    /// that code, so the names it mentions must exist there (declared
    /// without a value: `let x;`), though nothing is kept for it.
    pub(super) ghost: Vec<Vec<usize>>,
    /// Where control last left (see `ghost`).
    pub(super) ghost_from: Option<usize>,
    /// The node control is at, if reachable.
    pub(super) cursor: Option<usize>,
    pub(super) bindings: Vec<Binding>,
    /// The ids of the bindings of each name, in order.
    pub(super) named: HashMap<String, Vec<usize>>,
    /// Bindings in scope, innermost last. Ids are given out in order and
    /// the scope only grows by the newest one (it is otherwise cut back or
    /// set to an earlier scope), so it is sorted by id.
    pub(super) scope: Vec<usize>,
    pub(super) loops: Vec<LoopTarget>,
    /// Each state's node and the bindings in scope there.
    pub(super) points: Vec<(StateKind, usize, Vec<usize>)>,
    pub(super) declares: HashMap<(BlockId, usize), Vec<usize>>,
    /// For bindings made from an expression: that expression (a `let`'s
    /// initializer, a temporary's value, the scrutinee a pattern binds from).
    pub(super) origins: HashMap<usize, Expr>,
    /// The locals an `.await` polls as futures (`notified` in
    /// `notified.await`, `a` and `b` in `select(a, b).await`).
    pub(super) awaited: HashSet<usize>,
    /// For each binding with an origin: the binding each name in it meant
    /// where it was declared (`v` in `let v_2 = v;` is the `if let`'s `v`,
    /// not a later `let v`).
    pub(super) origin_names: HashMap<usize, HashMap<String, usize>>,
    /// Bindings declared as a plain name (`let [mut] x = ...`, a parameter,
    /// a temporary): the ones that can live in slot (see [`Layout::pinned`]).
    pub(super) plain: Vec<usize>,
    /// The plain bindings written in the body (not temporaries) and the
    /// parameters that own their value (not references): the ones the
    /// borrow-checking copy can mark as moved (see [`Layout::relocated`]).
    pub(super) relocatable: HashSet<usize>,
    /// The locals `#[desugar(pin(..))]` names.
    pub(super) pin_requests: Vec<Ident>,
    /// The temporaries the lowering made (`tmp0`).
    pub(super) temps: HashSet<usize>,
    /// See [`Program::receiver_temps`].
    pub(super) receiver_temps: HashSet<String>,
    /// The names that receive a method call in code the lowering made
    /// (`tmp0` in `tmp0.and(output)`).
    pub(super) receivers: HashSet<String>,
    /// The bindings (by their id in a graph without storage bindings) that
    /// get a storage binding: see [`Layout::storage`].
    pub(super) storage_for: HashSet<usize>,
    /// Storage bindings declared so far.
    pub(super) storage_declared: usize,
    /// Binding → its storage binding.
    pub(super) storage: HashMap<usize, usize>,
    /// How many bindings the parameters declare (they come first).
    pub(super) param_count: usize,
    /// For each `.await`: its output binding.
    pub(super) await_outputs: HashMap<usize, usize>,
    /// Bindings whose written type (or literal value) has nothing to drop:
    /// they never need a drop flag.
    pub(super) trivial: HashSet<usize>,
    /// Bindings made by a standard view method (see [`surely_a_view`]):
    /// references, which method calls see through rather than borrow.
    pub(super) views: HashSet<usize>,
    /// Parameters of an `FnOnce` type (`fallback: F` with `F: FnOnce()`,
    /// `f: impl FnOnce()`): calling one moves it.
    pub(super) called_once: HashSet<usize>,
    /// Bindings that hold a `oneshot` sender (made by `oneshot::channel()`,
    /// or a parameter of a `oneshot::Sender` type) or an `mpsc` permit
    /// (made by `tx.reserve().await?`): its `send(value)` takes it by
    /// value, where a channel's `send(value)` usually borrows.
    pub(super) oneshot: HashSet<usize>,
    /// The names [`crate::rests`] bound in `_`'s place: the parts of a
    /// temporary an arm leaves, declared before the arm's own bindings.
    pub(super) rests: HashSet<String>,
    /// Those of them that are surely `Copy` (no `&mut` inside): a move of
    /// one is a copy, and it can be used again.
    pub(super) copy: HashSet<usize>,
    /// See [`Layout::moves_at`] and the two after it, with the graph node
    /// each set is checked at (`None` when control does not go on).
    pub(super) moves_at: HashMap<(BlockId, usize), (Vec<usize>, Option<usize>)>,
    /// While walking the expression of this `.await`'s future: its
    /// mentions are the future's.
    pub(super) future: Option<usize>,
    /// The cursor after each node and block tail (see [`Layout::dead_after`]).
    pub(super) after: HashMap<(BlockId, usize), Option<usize>>,
    /// The node at each reachable block's entry (an `Event::Nop`).
    pub(super) entry: HashMap<BlockId, usize>,
    /// The bindings in scope before each node of a block, and at its end.
    pub(super) scope_before: HashMap<(BlockId, usize), Vec<usize>>,
    pub(super) head_moves: HashMap<ConstructId, (Vec<usize>, Option<usize>)>,
    pub(super) arm_moves: HashMap<(ConstructId, usize), (Vec<usize>, Option<usize>)>,
    pub(super) arm_declares: HashMap<(ConstructId, usize), Vec<usize>>,
}

impl Graph {
    /// Whether the lowering made binding `id` (a temporary, an `.await`'s
    /// output), not the user's code.
    pub(super) fn made_by_transform(&self, id: usize) -> bool {
        self.temps.contains(&id) || self.await_outputs.values().any(|&o| o == id)
    }

    pub(super) fn node(&mut self, event: Event) -> usize {
        let id = self.events.len();
        self.events.push(event);
        self.succ.push(Vec::new());
        self.ghost.push(Vec::new());
        id
    }

    /// Appends an event after the cursor.
    pub(super) fn push(&mut self, event: Event) -> usize {
        let id = self.node(event);
        self.edge(self.cursor, id);
        self.cursor = Some(id);
        id
    }

    /// Control leaves here (`return`, `break`, `continue`): what follows
    /// never runs.
    pub(super) fn leave(&mut self) {
        self.ghost_from = self.cursor.or(self.ghost_from);
        self.cursor = None;
    }

    pub(super) fn edge(&mut self, from: Option<usize>, to: usize) {
        match (from, self.ghost_from) {
            (Some(from), _) => self.succ[from].push(to),
            (None, Some(left)) => self.ghost[left].push(to),
            (None, None) => {}
        }
    }

    pub(super) fn declare(&mut self, ident: Ident, mutable: bool, init: bool) -> usize {
        let id = self.bindings.len();
        self.named.entry(ident.to_string()).or_default().push(id);
        self.bindings.push(Binding {
            ident,
            mutable,
            ty: None,
        });
        self.scope.push(id);
        self.push(Event::Declare { binding: id, init });
        id
    }

    /// Notes that binding `id` is made from `origin`, and which bindings
    /// the names in it mean here (those of `id`'s own pattern aside).
    pub(super) fn note_origin(&mut self, id: usize, origin: &Expr, own: &[usize]) {
        let names: HashMap<String, usize> =
            crate::names::idents_in(quote::ToTokens::to_token_stream(origin))
                .into_iter()
                .filter_map(|name| {
                    let lookup = if name == "self" {
                        "__self"
                    } else {
                        name.as_str()
                    };
                    let found = self.resolve(lookup).filter(|b| !own.contains(b))?;
                    Some((name, found))
                })
                .collect();
        self.origin_names.insert(id, names);
        if matches!(strip_parens(origin), Expr::Call(c) if mentions_oneshot(&c.func))
            || self.reserved(origin)
        {
            self.oneshot.insert(id);
        }
        self.origins.insert(id, origin.clone());
    }

    /// Whether `origin` is a permit of a tokio `mpsc` channel:
    /// `tx.reserve()` (an `.await`'s future), or such an `.await`'s output
    /// unwrapped (`output?`, `output.unwrap()`).
    pub(super) fn reserved(&self, origin: &Expr) -> bool {
        match strip_parens(origin) {
            Expr::Try(t) => self.reserved(&t.expr),
            Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "unwrap" | "expect") => {
                self.reserved(&m.receiver)
            }
            Expr::MethodCall(m) => matches!(
                m.method.to_string().as_str(),
                "reserve" | "try_reserve" | "reserve_owned" | "try_reserve_owned"
            ),
            // the output of an `.await` (the latest of that name)
            Expr::Path(p) => p.path.get_ident().is_some_and(|ident| {
                self.await_outputs
                    .values()
                    .filter(|&&b| self.bindings[b].ident == *ident)
                    .max()
                    .and_then(|b| self.origins.get(b))
                    .is_some_and(|future| self.reserved(future))
            }),
            _ => false,
        }
    }

    /// The binding in scope that `name` means: the innermost of that name,
    /// which is the latest one in scope (the scope is sorted by id).
    pub(super) fn resolve(&self, name: &str) -> Option<usize> {
        self.named
            .get(name)?
            .iter()
            .rev()
            .copied()
            .find(|id| self.scope.binary_search(id).is_ok())
    }

    /// Marks binding `id` as a future an `.await` polls, and the future
    /// it was made from in place: the one a `pin!` pinned
    /// (`Pin::new_unchecked(&mut pinned_next)`), the local it was moved
    /// from (`let mut pinned_notified = notified;`).
    pub(super) fn mark_awaited(&mut self, id: usize) {
        if !self.awaited.insert(id) {
            return;
        }
        let from = self.origins.get(&id).and_then(future_made_from);
        let from = from.and_then(|name| self.origin_names.get(&id)?.get(&name).copied());
        if let Some(from) = from {
            self.mark_awaited(from);
        }
    }

    pub(super) fn mention_all(
        &mut self,
        mentions: Vec<analyse::Mention>,
        in_future: Option<usize>,
    ) {
        for mention in mentions {
            let name = if mention.name == "self" {
                "__self".to_string()
            } else {
                mention.name
            };
            if let Some(binding) = self.resolve(&name) {
                // `|x| x + offset` with `offset: u32`: a closure captures a
                // `Copy` value it uses by value by reference.
                let usage = match mention.usage {
                    Use::Move if mention.in_closure && self.trivial.contains(&binding) => {
                        Use::Borrow
                    }
                    // `fallback(e)` with `fallback: impl FnOnce(E) -> T`:
                    // the call moves it.
                    Use::Borrow if mention.callee && self.called_once.contains(&binding) => {
                        Use::Move
                    }
                    // `let v = *boxed;` with `boxed: Box<T>` (written, or
                    // made by `Box::new`): moved out of.
                    Use::Borrow if mention.deref_moved && self.is_box(binding) => Use::Move,
                    // `tx.send(value)` on a `oneshot` sender uses it up.
                    Use::Borrow
                        if mention.receiver_of.as_deref() == Some("send")
                            && self.oneshot.contains(&binding) =>
                    {
                        Use::Move
                    }
                    // `append(out)` with `out: &mut Vec<String>`: the
                    // compiler reborrows a `&mut` passed to a call
                    // (`&mut *out`), and `out` stays usable.
                    Use::Move
                        if mention.argument
                            && self.bindings[binding]
                                .ty
                                .as_ref()
                                .is_some_and(is_mut_reference) =>
                    {
                        Use::Borrow
                    }
                    // A temporary the lowering made for a receiver
                    // (`tmp0.with(x)` in `Builder::new().with(f().await)`)
                    // is taken by value by a method not known to borrow,
                    // as a temporary receiver is elsewhere (see
                    // `analyse::BY_REF_METHODS`): builders take `self`.
                    Use::Borrow
                        if in_future.or(self.future).is_none()
                            && self.receiver_temps.contains(&name)
                            && mention
                                .receiver_of
                                .as_deref()
                                .is_some_and(|m| !analyse::keeps_receiver(m)) =>
                    {
                        Use::Move
                    }
                    usage => usage,
                };
                // `leaf(x[0] as u32).await`: the future holds a copy, no
                // borrow of `x` (`*r` read by value likewise); a closure
                // the future holds still captures `x` by reference
                let read_out = (mention.read_out || mention.deref_moved) && !mention.in_closure;
                let in_future = match usage {
                    Use::Borrow if read_out => None,
                    _ => in_future.or(self.future),
                };
                self.push(Event::Mention {
                    binding,
                    usage,
                    in_future,
                });
            }
        }
    }

    /// Whether a binding surely holds a `Box`: its written type is
    /// `Box<..>`, or it is made by `Box::new(..)`.
    pub(super) fn is_box(&self, binding: usize) -> bool {
        let written = match &self.bindings[binding].ty {
            Some(syn::Type::Path(t)) => t.path.segments.last().is_some_and(|s| s.ident == "Box"),
            _ => false,
        };
        let made = match self.origins.get(&binding) {
            Some(Expr::Call(c)) => {
                crate::names::path_segments(&c.func).ends_with(&["Box".into(), "new".into()])
            }
            _ => false,
        };
        written || made
    }

    pub(super) fn point(&mut self, kind: StateKind) {
        let node = self.push(Event::Nop);
        debug_assert!(
            self.scope.windows(2).all(|w| w[0] < w[1]),
            "the scope is sorted by id"
        );
        let scope = self.scope.clone();
        self.points.push((kind, node, scope));
    }

    /// Declares the bindings of a pattern; returns their ids.
    pub(super) fn declare_pattern(&mut self, pat: &syn::Pat, init: bool) -> Vec<usize> {
        // the parts [`crate::rests`] bound first: they are dropped after
        // the pattern's own bindings, as the value they are part of is
        let (rests, own): (Vec<_>, Vec<_>) = analyse::bindings(pat)
            .into_iter()
            .partition(|d| self.rests.contains(&d.ident.to_string()));
        rests
            .into_iter()
            .chain(own)
            .map(|d| self.declare(d.ident, d.mutable, init))
            .collect()
    }

    /// Like [`Graph::declare_pattern`], noting where the values come from.
    pub(super) fn declare_from(&mut self, pat: &syn::Pat, origin: Option<&Expr>) -> Vec<usize> {
        let ids = self.declare_pattern(pat, origin.is_some());
        if let Some(origin) = origin {
            for &id in &ids {
                self.note_origin(id, origin, &ids);
            }
            if is_plain(pat) {
                self.plain.extend(ids.iter().copied());
                self.relocatable.extend(ids.iter().copied());
            }
        }
        ids
    }

    /// Declares the bindings of `pat` matched against `scrutinee` (an arm,
    /// `if let`, `while let`), noting where their values come from. Matched
    /// against a reference (`if let Some(x) = &opt`, `match &mut m`), they
    /// are references or `Copy` values (nothing can be moved out from
    /// behind a reference): nothing to drop, so they are kept only while
    /// they are used.
    pub(super) fn declare_matched(&mut self, pat: &syn::Pat, scrutinee: &Expr) -> Vec<usize> {
        let ids = self.declare_pattern(pat, true);
        let origin = pattern_origin(pat, scrutinee);
        for &id in &ids {
            self.note_origin(id, &origin, &ids);
        }
        if matches!(strip_parens(scrutinee), Expr::Reference(_)) || self.yields_views(scrutinee) {
            self.trivial.extend(ids.iter().copied());
        }
        ids
    }

    /// Whether `scrutinee` is a `for` loop's `Iterator::next(&mut iter)`
    /// with `iter` made from a borrow (`for x in &items`,
    /// `for (i, c) in line.chars().enumerate()`): its items are references
    /// or copies, with nothing to drop.
    pub(super) fn yields_views(&self, scrutinee: &Expr) -> bool {
        let Expr::Call(next) = strip_parens(scrutinee) else {
            return false;
        };
        let is_next = matches!(&*next.func, Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "next"));
        let iter = match next.args.first() {
            Some(Expr::Reference(r)) if is_next && next.args.len() == 1 => place_root(&r.expr),
            _ => None,
        };
        iter.and_then(|name| self.resolve(&name))
            .and_then(|id| self.origins.get(&id))
            .is_some_and(iterates_views)
    }

    /// Whether `init` is a closure that does not `move` and takes no
    /// local with something to drop by value (`|| v.len()`, `|e|
    /// events.push(e)`), or such an `async` block with no `.await`: it holds
    /// only borrows and copies, has nothing to drop, and so is dead after
    /// its last use, as natively (kept longer, it would be moved with the
    /// state after what it borrows was borrowed again).
    pub(super) fn holds_only_borrows(&self, init: &Expr) -> bool {
        let (body, params): (Expr, Vec<&syn::Pat>) = match strip_parens(init) {
            Expr::Closure(c) if c.capture.is_none() => {
                ((*c.body).clone(), c.inputs.iter().collect())
            }
            Expr::Async(a) if a.capture.is_none() && !block_awaits(&a.block) => {
                (Expr::Async(a.clone()), Vec::new())
            }
            _ => return false,
        };
        let params: HashSet<String> = params
            .into_iter()
            .flat_map(analyse::bindings)
            .map(|d| d.ident.to_string())
            .collect();
        analyse::mentions(&body).iter().all(|m| {
            m.usage != Use::Move
                || params.contains(&m.name)
                || self
                    .resolve(&m.name)
                    .is_none_or(|id| self.trivial.contains(&id) || self.copy.contains(&id))
        })
    }

    /// Declares a `let`'s bindings for node `at`.
    pub(super) fn declare_let(
        &mut self,
        at: (BlockId, usize),
        pat: &syn::Pat,
        init: Option<&Expr>,
    ) {
        // (before the `let`'s own names are declared)
        let closure = init.is_some_and(|init| self.holds_only_borrows(init));
        // `let (ref a, b) = pair;`: `a` borrows `pair`.
        let origin = init.map(|init| pattern_origin(pat, init));
        let ids = self.declare_from(pat, origin.as_ref());
        if let (syn::Pat::Type(t), [id]) = (pat, ids.as_slice()) {
            self.bindings[*id].ty = rewritable_type(&t.ty);
        }
        // A literal (`5`, `[0u8; 1024]`, `(1, "a")`), a reference (`&s`,
        // `&mut v[0]`), or a written type with nothing to drop.
        let literal = matches!(init, Some(Expr::Reference(_))) || init.is_some_and(is_literal);
        let typed = matches!(pat, syn::Pat::Type(t) if nothing_to_drop(&t.ty));
        let view = init.is_some_and(surely_a_view);
        if literal || typed || view || closure {
            self.trivial.extend(ids.iter().copied());
        }
        if view {
            self.views.extend(ids.iter().copied());
        }
        let shared = match init {
            Some(Expr::Reference(r)) => r.mutability.is_none(),
            Some(other) => is_literal(other),
            None => false,
        };
        let copy_typed = matches!(pat, syn::Pat::Type(t) if surely_copy(&t.ty));
        if shared && !matches!(pat, syn::Pat::Type(_)) || copy_typed {
            self.copy.extend(ids.iter().copied());
        }
        self.declare_storage(&ids);
        self.declares.insert(at, ids);
    }

    /// Declares the storage bindings of the just-declared `ids` that need
    /// one: they come into scope with them and own a value (so every state
    /// in their scope keeps them) until the scope ends.
    pub(super) fn declare_storage(&mut self, ids: &[usize]) {
        let before = self.storage_declared;
        for &id in ids {
            if self.storage_for.contains(&(id - before)) {
                let ident = crate::names::companion(&self.bindings[id].ident, "storage");
                let storage = self.declare(ident, false, true);
                self.storage.insert(id, storage);
                self.storage_declared += 1;
            }
        }
    }

    /// The bindings moved by the events from `from` on, and the node
    /// control is at now (where the moves are checked to be sure).
    pub(super) fn moves_since(&self, from: usize) -> (Vec<usize>, Option<usize>) {
        let moved = self.events[from..]
            .iter()
            .filter_map(|e| match *e {
                Event::Mention {
                    binding,
                    usage: Use::Move,
                    ..
                } => Some(binding),
                _ => None,
            })
            .collect();
        (moved, self.cursor)
    }

    pub(super) fn end_scope(&mut self, from: usize) {
        self.scope.truncate(from);
    }

    // ----- verbatim code: control flow read off the syntax -----

    pub(super) fn stmts(&mut self, stmts: &[Stmt]) {
        let depth = self.scope.len();
        for stmt in stmts {
            self.stmt(stmt);
        }
        self.end_scope(depth);
    }

    pub(super) fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Local(local) => {
                if let Some(init) = &local.init {
                    let usage = analyse::let_use(&local.pat);
                    self.expr(&init.expr, usage);
                    if let Some((_, diverge)) = &init.diverge {
                        let before = self.cursor;
                        self.expr(diverge, Use::Move);
                        self.cursor = before;
                    }
                }
                self.declare_pattern(&local.pat, local.init.is_some());
            }
            Stmt::Expr(expr, _) => self.expr(expr, Use::Move),
            Stmt::Macro(mac) => {
                let expr = Expr::Macro(syn::ExprMacro {
                    attrs: Vec::new(),
                    mac: mac.mac.clone(),
                });
                self.expr(&expr, Use::Move);
            }
            Stmt::Item(_) => {}
        }
    }

    pub(super) fn block_expr(&mut self, stmts: &[Stmt]) {
        self.stmts(stmts);
    }

    pub(super) fn expr(&mut self, expr: &Expr, usage: Use) {
        match expr {
            Expr::If(e) => {
                let depth = self.scope.len();
                self.cond(&e.cond);
                let before_then = self.cursor;
                self.block_expr(&e.then_branch.stmts);
                self.end_scope(depth);
                let after_then = self.cursor;
                // The `else` starts from the condition, without its bindings.
                self.cursor = before_then;
                if let Some((_, other)) = &e.else_branch {
                    self.expr(other, Use::Move);
                }
                let join = self.node(Event::Nop);
                self.edge(after_then, join);
                self.edge(self.cursor, join);
                self.cursor = Some(join);
            }
            Expr::Match(m) => {
                // As for a `match` holding `.await`s (`Walker::construct`):
                // a local is moved only by the arms that bind by value.
                let local = is_local_path(&m.expr);
                let head_use = match local {
                    true => Use::Borrow,
                    false => analyse::scrutinee_use(m.arms.iter().map(|a| &a.pat)),
                };
                self.expr(&m.expr, head_use);
                let start = self.cursor;
                let join = self.node(Event::Nop);
                for arm in &m.arms {
                    self.cursor = start;
                    let depth = self.scope.len();
                    self.declare_pattern(&arm.pat, true);
                    // the guard sees the scrutinee in place: an arm moves
                    // it only once it is taken (`m if m == s => ..` reads `s`)
                    if let Some((_, guard)) = &arm.guard {
                        self.expr(guard, Use::Move);
                    }
                    if local && analyse::scrutinee_use([&arm.pat]) == Use::Move {
                        self.expr(&m.expr, Use::Move);
                    }
                    self.expr(&arm.body, Use::Move);
                    self.end_scope(depth);
                    self.edge(self.cursor, join);
                }
                self.cursor = Some(join);
            }
            Expr::Block(b) => {
                let label = b.label.as_ref().map(|l| l.name.ident.to_string());
                if label.is_some() {
                    let exit = self.node(Event::Nop);
                    self.loops.push(LoopTarget {
                        label,
                        head: None,
                        exit,
                    });
                    self.block_expr(&b.block.stmts);
                    self.loops.pop();
                    self.edge(self.cursor, exit);
                    self.cursor = Some(exit);
                } else {
                    self.block_expr(&b.block.stmts);
                }
            }
            Expr::Unsafe(b) => self.block_expr(&b.block.stmts),
            Expr::Loop(l) => {
                let label = l.label.as_ref().map(|l| l.name.ident.to_string());
                self.verbatim_loop(label, LoopEnd::Break, |g| g.block_expr(&l.body.stmts));
            }
            Expr::While(w) => {
                let label = w.label.as_ref().map(|l| l.name.ident.to_string());
                self.verbatim_loop(label, LoopEnd::Cond(&w.cond), |g| {
                    g.block_expr(&w.body.stmts)
                });
            }
            Expr::ForLoop(f) => {
                self.expr(&f.expr, Use::Move);
                let label = f.label.as_ref().map(|l| l.name.ident.to_string());
                self.verbatim_loop(label, LoopEnd::Exhausted, |g| {
                    let depth = g.scope.len();
                    g.declare_pattern(&f.pat, true);
                    g.block_expr(&f.body.stmts);
                    g.end_scope(depth);
                });
            }
            Expr::Return(r) => {
                if let Some(e) = &r.expr {
                    self.expr(e, Use::Move);
                }
                self.leave();
            }
            Expr::Break(b) => {
                if let Some(e) = &b.expr {
                    self.expr(e, Use::Move);
                }
                let label = b.label.as_ref().map(|l| l.ident.to_string());
                if let Some(target) = self.target(label.as_deref()) {
                    let exit = self.loops[target].exit;
                    self.edge(self.cursor, exit);
                }
                self.leave();
            }
            Expr::Continue(c) => {
                let label = c.label.as_ref().map(|l| l.ident.to_string());
                if let Some(head) = self
                    .target(label.as_deref())
                    .and_then(|t| self.loops[t].head)
                {
                    self.edge(self.cursor, head);
                }
                self.leave();
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) => {
                self.expr(&b.left, Use::Move);
                let skip = self.cursor;
                self.expr(&b.right, Use::Move);
                let join = self.node(Event::Nop);
                self.edge(skip, join);
                self.edge(self.cursor, join);
                self.cursor = Some(join);
            }
            Expr::Paren(p) => self.expr(&p.expr, usage),
            Expr::Group(g) => self.expr(&g.expr, usage),
            // An argument with control flow of its own (`note(7, loop { ..
            // x = 0; .. })`): its assignments and exits are on paths of
            // their own, as in a statement.
            Expr::Call(c) if c.args.iter().any(has_flow) => {
                self.expr(&c.func, Use::Borrow);
                c.args.iter().for_each(|a| self.expr(a, Use::Move));
            }
            Expr::MethodCall(m) if m.args.iter().any(has_flow) => {
                let receiver = match analyse::consumes_receiver(m) {
                    true => Use::Move,
                    false => Use::Borrow,
                };
                self.expr(&m.receiver, receiver);
                m.args.iter().for_each(|a| self.expr(a, Use::Move));
            }
            // The same for the other operands (`({ loop { .. x = 0; } }) ==
            // 0`), with the uses `analyse::mentions` gives them.
            Expr::Binary(b) if has_flow(&b.left) || has_flow(&b.right) => {
                let (left, right) = analyse::binary_uses(&b.op);
                self.expr(&b.left, left);
                self.expr(&b.right, right);
            }
            Expr::Unary(u) if has_flow(&u.expr) => {
                let inner = match u.op {
                    syn::UnOp::Deref(_) => Use::Borrow,
                    _ => Use::Move,
                };
                self.expr(&u.expr, inner);
            }
            Expr::Reference(r) if has_flow(&r.expr) => self.expr(&r.expr, Use::Borrow),
            Expr::Field(f) if has_flow(&f.base) => self.expr(&f.base, Use::Borrow),
            Expr::Cast(c) if has_flow(&c.expr) => self.expr(&c.expr, Use::Move),
            Expr::Tuple(t) if t.elems.iter().any(has_flow) => {
                t.elems.iter().for_each(|e| self.expr(e, Use::Move));
            }
            Expr::Array(a) if a.elems.iter().any(has_flow) => {
                a.elems.iter().for_each(|e| self.expr(e, Use::Move));
            }
            Expr::Index(i) if has_flow(&i.expr) || has_flow(&i.index) => {
                self.expr(&i.expr, Use::Borrow);
                self.expr(&i.index, Use::Move);
            }
            Expr::Assign(a) if has_flow(&a.right) || has_flow(&a.left) => {
                let right = match &*a.left {
                    Expr::Infer(_) => Use::Borrow,
                    _ => Use::Move,
                };
                self.expr(&a.right, right);
                match &*a.left {
                    Expr::Path(_) => self.expr(&a.left, Use::Assign),
                    left => self.expr(left, Use::Borrow),
                }
            }
            // A macro whose arguments read as expressions and have control
            // flow of their own (`format!("{}", { continue 'outer; 0 })`):
            // its arguments in order, as a call's; what they name is read.
            Expr::Macro(m) if macro_has_flow(&m.mac) => {
                let args = crate::rewrite::MacroExprs::parse(&m.mac).expect("checked");
                for arg in &args.exprs {
                    match arg {
                        // the format string's inline arguments (`"{x}"`)
                        Expr::Lit(lit) => {
                            self.mention_all(analyse::format_captures(lit), None);
                        }
                        arg => self.expr(arg, Use::Borrow),
                    }
                }
            }
            other => {
                let mut mentions = analyse::mentions(other);
                if usage != Use::Move {
                    // `match x`, `let _ = x`: the value stays where it is;
                    // `x = ..`: it gets a new one.
                    if let Expr::Path(_) = other {
                        mentions.iter_mut().for_each(|m| m.usage = usage);
                    }
                }
                self.mention_all(mentions, None);
            }
        }
    }

    /// An `if` condition: `let` chains declare their bindings (they are in
    /// scope in the `then` branch).
    pub(super) fn cond(&mut self, cond: &Expr) {
        match cond {
            Expr::Let(l) => {
                self.expr(&l.expr, analyse::scrutinee_use([&*l.pat]));
                self.declare_matched(&l.pat, &l.expr);
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.cond(&b.left);
                self.cond(&b.right);
            }
            other => self.expr(other, Use::Move),
        }
    }

    pub(super) fn verbatim_loop(
        &mut self,
        label: Option<String>,
        end: LoopEnd<'_>,
        body: impl FnOnce(&mut Graph),
    ) {
        let head = self.push(Event::Nop);
        let exit = self.node(Event::Nop);
        self.loops.push(LoopTarget {
            label,
            head: Some(head),
            exit,
        });
        let depth = self.scope.len();
        match end {
            LoopEnd::Cond(cond) => {
                self.cond(cond);
                self.edge(self.cursor, exit);
            }
            LoopEnd::Exhausted => self.edge(self.cursor, exit),
            LoopEnd::Break => {}
        }
        body(self);
        self.end_scope(depth);
        self.edge(self.cursor, head);
        // After a `loop` without `break`.
        self.ghost[head].push(exit);
        self.loops.pop();
        self.cursor = Some(exit);
    }

    /// The loop (or labeled block) a `break`/`continue` with this label
    /// goes to. Without a label: the innermost loop.
    pub(super) fn target(&self, label: Option<&str>) -> Option<usize> {
        self.loops.iter().rposition(|l| match label {
            Some(label) => l.label.as_deref() == Some(label),
            None => l.head.is_some(),
        })
    }
}

/// Walks the lowered program into the graph.
pub(super) struct Walker<'a> {
    pub(super) program: &'a Program,
    pub(super) graph: Graph,
}

impl Walker<'_> {
    pub(super) fn block(&mut self, block: BlockId) {
        let depth = self.graph.scope.len();
        let b = &self.program.blocks[block];
        if self.graph.cursor.is_some() {
            let entry = self.graph.push(Event::Nop);
            self.graph.entry.insert(block, entry);
        }
        for (i, node) in b.nodes.iter().enumerate() {
            let scope = self.graph.scope.clone();
            self.graph.scope_before.insert((block, i), scope);
            self.node(block, i, node);
        }
        let scope = self.graph.scope.clone();
        self.graph
            .scope_before
            .insert((block, b.nodes.len()), scope);
        if let Some(tail) = &b.tail {
            let from = self.graph.events.len();
            self.finish(block, b.nodes.len(), tail);
            // `false => drop(b),`: what the tail moves (for drop flags).
            let moves = self.graph.moves_since(from);
            self.graph.moves_at.insert((block, b.nodes.len()), moves);
        }
        // where the block ends (after its tail, if any)
        let after = self.graph.cursor;
        self.graph.after.insert((block, b.nodes.len()), after);
        self.graph.end_scope(depth);
    }

    pub(super) fn node(&mut self, block: BlockId, index: usize, node: &Node) {
        let from = self.graph.events.len();
        self.node_events(block, index, node);
        let after = self.graph.cursor;
        self.graph.after.insert((block, index), after);
        if !matches!(node, Node::Construct(_)) {
            let moves = self.graph.moves_since(from);
            self.graph.moves_at.insert((block, index), moves);
        }
    }

    pub(super) fn node_events(&mut self, block: BlockId, index: usize, node: &Node) {
        match node {
            Node::Stmt(stmt) => {
                if let Stmt::Local(local) = stmt {
                    if let Some(init) = &local.init {
                        let usage = analyse::let_use(&local.pat);
                        self.graph.expr(&init.expr, usage);
                        if let Some((_, diverge)) = &init.diverge {
                            let before = self.graph.cursor;
                            self.graph.expr(diverge, Use::Move);
                            self.graph.cursor = before;
                        }
                    }
                    let init = local.init.as_ref().map(|i| &*i.expr);
                    self.graph.declare_let((block, index), &local.pat, init);
                } else {
                    self.graph.stmt(stmt);
                }
            }
            Node::Temp(temp) => {
                self.graph.receivers.extend(method_receivers(&temp.expr));
                if has_flow(&temp.expr) {
                    // `{ if c { break 'outer; } x }` as an argument.
                    self.graph.expr(&temp.expr, Use::Move);
                } else {
                    self.graph.mention_all(analyse::mentions(&temp.expr), None);
                }
                let id = self.graph.declare(temp.ident.clone(), true, true);
                self.graph.note_origin(id, &temp.expr, &[id]);
                self.graph.plain.push(id);
                self.graph.temps.insert(id);
                // `name.chars()` in `if let Some(c) = name.chars().next()`:
                // a view with nothing to drop, kept only while used (the
                // branch may move `name`, as natively)
                if surely_a_view(&temp.expr) {
                    self.graph.trivial.insert(id);
                    self.graph.views.insert(id);
                }
                self.graph.declares.insert((block, index), vec![id]);
            }
            Node::Await(k) => {
                let point = &self.program.awaits[*k];
                for name in futures_awaited(&point.future) {
                    if let Some(id) = self.graph.resolve(&name) {
                        self.graph.mark_awaited(id);
                    }
                }
                if has_flow(&point.future) {
                    // `f(x, { break 'outer; 0 }).await`: its branches and
                    // exits are paths of their own.
                    self.graph.future = Some(*k);
                    self.graph.expr(&point.future, Use::Move);
                    self.graph.future = None;
                } else {
                    let mut mentions = analyse::mentions(&point.future);
                    // A temporary the lowering made that starts a builder
                    // chain (`tmp0.header(token).send()`, with `tmp0 =
                    // client.post(url)` made before the `.await` in the
                    // argument) is taken by value, as any temporary receiver
                    // of a method that is not a well-known borrowing one.
                    let links = chain_link_receivers(&point.future);
                    for mention in &mut mentions {
                        let temp = self
                            .graph
                            .resolve(&mention.name)
                            .is_some_and(|id| self.graph.temps.contains(&id));
                        if temp && mention.usage == Use::Borrow && links.contains(&mention.name) {
                            mention.usage = Use::Move;
                        }
                    }
                    self.graph.mention_all(mentions, Some(*k));
                }
                self.graph.point(StateKind::Await(*k));
                let id = self.graph.declare(point.output.clone(), false, true);
                self.graph.note_origin(id, &point.future, &[id]);
                self.graph.declares.insert((block, index), vec![id]);
                self.graph.await_outputs.insert(*k, id);
            }
            Node::Finish(finish) => {
                self.graph
                    .receivers
                    .extend(method_receivers(&finish.result));
                self.finish(block, index, finish)
            }
            Node::Construct(c) => self.construct(*c),
        }
    }

    pub(super) fn finish(&mut self, block: BlockId, index: usize, finish: &crate::lower::Finish) {
        let usage = match &finish.kind {
            FinishKind::Let(pat) | FinishKind::LetElse(pat, _) if analyse::is_wildcard(pat) => {
                Use::Borrow
            }
            _ => Use::Move,
        };
        self.graph.expr(&finish.result, usage);
        if let FinishKind::LetElse(_, diverge) = &finish.kind {
            let before = self.graph.cursor;
            self.graph.expr(diverge, Use::Move);
            self.graph.cursor = before;
        }
        // The statement's temporaries end with it.
        let scoped: Vec<usize> = finish
            .scoped
            .iter()
            .filter_map(|ident| self.graph.resolve(&ident.to_string()))
            .collect();
        self.graph.scope.retain(|id| !scoped.contains(id));
        match &finish.kind {
            FinishKind::Let(pat) | FinishKind::LetElse(pat, _) => {
                self.graph
                    .declare_let((block, index), pat, Some(&finish.result));
            }
            FinishKind::Expr | FinishKind::Tail => {}
        }
    }

    pub(super) fn construct(&mut self, c: ConstructId) {
        let construct = &self.program.constructs[c];
        let head: Vec<usize> = construct
            .head
            .iter()
            .filter_map(|ident| self.graph.resolve(&ident.to_string()))
            .collect();
        let exit = self.graph.node(Event::Nop);
        let label = construct.label.as_ref().map(|l| l.ident.to_string());
        match &construct.kind {
            ConstructKind::If {
                cond,
                then,
                otherwise,
            } => {
                let outer = self.graph.scope.clone();
                let from = self.graph.events.len();
                // `if let Some(x) = tmp0.get(k)`: `tmp0` is a receiver
                self.graph.receivers.extend(method_receivers(cond));
                let first_binding = self.graph.bindings.len();
                self.graph.cond(cond);
                // what an `if let` binds, declared for the `then` branch
                let bound = (first_binding..self.graph.bindings.len()).collect();
                self.graph.arm_declares.insert((c, 0), bound);
                let moves = self.graph.moves_since(from);
                self.graph.head_moves.insert(c, moves);
                let before_then = self.graph.cursor;
                if construct.head_scope == HeadScope::Condition {
                    self.graph.scope.retain(|id| !head.contains(id));
                }
                self.block(*then);
                let end = self.graph.cursor;
                self.graph.edge(end, exit);
                self.graph.cursor = before_then;
                self.graph.scope = outer.clone();
                // Before edition 2024 an `if let`'s temporaries live
                // through the `else` branch too (`HeadScope::Construct`).
                if construct.head_scope != HeadScope::Construct {
                    self.graph.scope.retain(|id| !head.contains(id));
                }
                self.block(*otherwise);
                let end = self.graph.cursor;
                self.graph.edge(end, exit);
                self.graph.scope = outer;
            }
            ConstructKind::Match { scrutinee, arms } => {
                // A local matched by value is moved (in part) only by the
                // arms whose patterns bind by value: on the others it still
                // owns its value (`match value { Some(rc) => .., None => {
                // tick().await; .. } }` keeps `value` across the await).
                let local = is_local_path(scrutinee);
                let head_use = match local {
                    true => Use::Borrow,
                    false => analyse::scrutinee_use(arms.iter().map(|a| &a.0)),
                };
                let from = self.graph.events.len();
                // `match tmp0.len()`: `tmp0` is a receiver
                self.graph.receivers.extend(method_receivers(scrutinee));
                self.graph.expr(scrutinee, head_use);
                let moves = self.graph.moves_since(from);
                self.graph.head_moves.insert(c, moves);
                let start = self.graph.cursor;
                let outer = self.graph.scope.clone();
                for (i, (pat, guard, body)) in arms.iter().enumerate() {
                    self.graph.cursor = start;
                    self.graph.scope = outer.clone();
                    if construct.head_scope == HeadScope::LetElse && i + 1 == arms.len() {
                        self.graph.scope.retain(|id| !head.contains(id));
                    }
                    let depth = self.graph.scope.len();
                    let ids = self.graph.declare_matched(pat, scrutinee);
                    self.graph.arm_declares.insert((c, i), ids);
                    // the guard sees the scrutinee in place: the arm moves
                    // it only once it is taken
                    if let Some(guard) = guard {
                        self.graph.expr(guard, Use::Move);
                    }
                    let from = self.graph.events.len();
                    if local && analyse::scrutinee_use([pat]) == Use::Move {
                        self.graph.expr(scrutinee, Use::Move);
                    }
                    let moves = self.graph.moves_since(from);
                    self.graph.arm_moves.insert((c, i), moves);
                    self.block(*body);
                    self.graph.end_scope(depth);
                    let end = self.graph.cursor;
                    self.graph.edge(end, exit);
                }
                self.graph.scope = outer;
            }
            ConstructKind::Loop { body } => {
                self.graph.point(StateKind::LoopHead(c));
                let head = self.graph.cursor.expect("a loop head is a node");
                self.graph.loops.push(LoopTarget {
                    label,
                    head: Some(head),
                    exit,
                });
                self.block(*body);
                let end = self.graph.cursor;
                self.graph.edge(end, head);
                self.graph.loops.pop();
            }
            ConstructKind::Nested { block, .. } => {
                if label.is_some() {
                    self.graph.loops.push(LoopTarget {
                        label,
                        head: None,
                        exit,
                    });
                }
                self.block(*block);
                if construct.label.is_some() {
                    self.graph.loops.pop();
                }
                let end = self.graph.cursor;
                self.graph.edge(end, exit);
            }
        }
        self.graph.cursor = Some(exit);
        // The head's values end with the construct.
        self.graph.scope.retain(|id| !head.contains(id));
        if let Some(value) = &construct.value {
            let mutable = construct.binding == Some(true);
            let id = self.graph.declare(value.clone(), mutable, true);
            if construct.binding.is_some() {
                self.graph.declares.insert(construct.at, vec![id]);
            }
        }
        // A join point is a state only where code follows the construct
        // (see `construct_needs_join`); otherwise control just goes on.
        if construct_needs_join(self.program, c) {
            self.graph.point(StateKind::Join(c));
        }
    }
}

/// Fixed-size sets of bindings.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Set(Vec<u64>);

impl Set {
    pub(super) fn new(n: usize) -> Set {
        Set(vec![0; n.div_ceil(64)])
    }
    pub(super) fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    pub(super) fn remove(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
    pub(super) fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    pub(super) fn union(&mut self, other: &Set) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let new = *a | *b;
            changed |= new != *a;
            *a = new;
        }
        changed
    }
}

/// The results of the data-flow analyses, per node.
pub(super) struct Facts {
    /// May be read later (before being assigned again).
    pub(super) live: Vec<Set>,
    /// May be mentioned (assignments included) after the node and before
    /// the next state point: in the code of the same arm.
    pub(super) mentioned: Vec<Set>,
    /// May own a value on entry to the node.
    pub(super) owned: Vec<Set>,
    /// May have been moved out (or never initialised) on entry to the node.
    pub(super) moved: Vec<Set>,
    /// Whether control can get to the node at all: not after a `return`,
    /// `break` or `continue` in the same straight line, not after a `loop`
    /// with no `break`.
    pub(super) reachable: Vec<bool>,
}

pub(super) fn analyse_flow(graph: &Graph) -> Facts {
    let n = graph.events.len();
    let width = graph.bindings.len();
    let mut is_point = vec![false; n];
    for (_, node, _) in &graph.points {
        is_point[*node] = true;
    }
    // Backward: liveness and "mentioned later", as sets at node entry.
    let mut live = vec![Set::new(width); n];
    let mut mentioned = vec![Set::new(width); n];
    let mut changed = true;
    while changed {
        changed = false;
        for node in (0..n).rev() {
            let mut out_live = Set::new(width);
            let mut out_mentioned = Set::new(width);
            for &s in &graph.succ[node] {
                out_live.union(&live[s]);
            }
            for &s in graph.succ[node].iter().chain(&graph.ghost[node]) {
                // A state point starts another arm.
                if !is_point[s] {
                    out_mentioned.union(&mentioned[s]);
                }
            }
            match graph.events[node] {
                Event::Declare { binding, .. } => {
                    out_live.remove(binding);
                    out_mentioned.remove(binding);
                }
                Event::Mention { binding, usage, .. } => {
                    out_mentioned.insert(binding);
                    if usage == Use::Assign {
                        out_live.remove(binding);
                    } else {
                        out_live.insert(binding);
                    }
                }
                Event::Nop => {}
            }
            changed |= live[node].union(&out_live);
            changed |= mentioned[node].union(&out_mentioned);
        }
    }
    // Forward: reachable from the entry (node 0).
    let mut reachable = vec![false; n];
    let mut todo = vec![0];
    while let Some(node) = todo.pop() {
        if !std::mem::replace(&mut reachable[node], true) {
            todo.extend(graph.succ[node].iter().copied().filter(|&s| !reachable[s]));
        }
    }
    // Forward: may own a value, may have lost it, at node entry (code no
    // path reaches changes nothing).
    let mut owned = vec![Set::new(width); n];
    let mut moved = vec![Set::new(width); n];
    let mut changed = true;
    while changed {
        changed = false;
        for node in (0..n).filter(|&node| reachable[node]) {
            let mut out_owned = owned[node].clone();
            let mut out_moved = moved[node].clone();
            let (gains, loses) = match graph.events[node] {
                Event::Declare {
                    binding,
                    init: true,
                } => (Some(binding), None),
                Event::Declare {
                    binding,
                    init: false,
                } => (None, Some(binding)),
                Event::Mention { binding, usage, .. } => match usage {
                    // a `Copy` value used by value is copied: still there
                    Use::Move if graph.copy.contains(&binding) => (None, None),
                    Use::Move => (None, Some(binding)),
                    Use::Assign => (Some(binding), None),
                    Use::Borrow => (None, None),
                },
                Event::Nop => (None, None),
            };
            if let Some(b) = gains {
                out_owned.insert(b);
                out_moved.remove(b);
            }
            if let Some(b) = loses {
                out_owned.remove(b);
                out_moved.insert(b);
            }
            for &s in &graph.succ[node] {
                changed |= owned[s].union(&out_owned);
                changed |= moved[s].union(&out_moved);
            }
        }
    }
    Facts {
        live,
        mentioned,
        owned,
        moved,
        reachable,
    }
}

/// The bindings that may own a value after node `n` (its event applied).
pub(super) fn owned_out(graph: &Graph, facts: &Facts, n: usize) -> Set {
    let mut out = facts.owned[n].clone();
    match graph.events[n] {
        Event::Declare { binding, init } => {
            if init {
                out.insert(binding);
            } else {
                out.remove(binding);
            }
        }
        Event::Mention { binding, usage, .. } => match usage {
            Use::Move => out.remove(binding),
            Use::Assign => out.insert(binding),
            Use::Borrow => {}
        },
        Event::Nop => {}
    }
    out
}

/// The bindings that need a storage binding (see [`Layout::storage`]): a
/// `let` binding that some state has in scope after it may have been moved
/// out, that was borrowed or is moved on some paths only (natively kept
/// with a drop flag), and whose type no state holds otherwise: it is saved by value nowhere and not moved into an awaited
/// future (whose type then carries it). The type is all that matters here
/// (for `Send` and `Sync`), so one place in the enum is enough.
pub(super) fn needs_storage(
    function: &AsyncFn,
    program: &Program,
    graph: &Graph,
    facts: &Facts,
) -> HashSet<usize> {
    let mut borrowed = HashSet::new();
    let mut into_future = HashSet::new();
    for event in &graph.events {
        match *event {
            Event::Mention {
                binding,
                usage: Use::Borrow,
                ..
            } => {
                borrowed.insert(binding);
            }
            Event::Mention {
                binding,
                usage: Use::Move,
                in_future: Some(_),
            } => {
                into_future.insert(binding);
            }
            _ => {}
        }
    }
    let stale = stale_in_last_use(program, graph, facts);
    let pinned = pinned_locals(function, graph, facts, &stale).pinned;
    let flags = Flags::of(graph, facts, &pinned);
    let width = graph.bindings.len();
    let mut saved = Set::new(width);
    let mut candidates = Set::new(width);
    let mut maybe_owned = Set::new(width);
    for (_, node, scope) in &graph.points {
        if !facts.reachable[*node] {
            continue;
        }
        let (owned, moved) = (&facts.owned[*node], &facts.moved[*node]);
        for &id in scope {
            // As `from_graph` decides what a state keeps.
            if flags.kept(id, *node, facts) {
                saved.insert(id);
            } else if moved.contains(id) {
                candidates.insert(id);
                if owned.contains(id) {
                    // Moved on some paths only: natively kept, with a
                    // drop flag, so its type is part of the future.
                    maybe_owned.insert(id);
                }
            }
        }
    }
    (0..width)
        .filter(|&id| {
            // Parameters come first, and `Start` holds them.
            candidates.contains(id)
                && id >= graph.param_count
                && (borrowed.contains(&id) || maybe_owned.contains(id))
                && !saved.contains(id)
                && !into_future.contains(&id)
                && !pinned.contains(&id)
        })
        .collect()
}
