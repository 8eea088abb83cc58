//! Stage 5: the states, and which values each one stores.
//!
//! In: the function and its lowered [`Program`]. Out: a [`Layout`]: the
//! enum's name, its `Start` fields (the arguments), and the other states:
//!
//! - one per `.await`, holding the sub-future and the values saved across it;
//! - one per loop that holds an `.await` (its head: where the body starts
//!   again);
//! - one after a construct holding `.await`s when code follows it (a join
//!   point: where the branches meet again).
//!
//! A point no path from the start reaches (an `.await` after a `return`:
//! the compiler type-checks that code but never runs it) gets no state; see
//! [`State::reachable`] and [`Layout::dead_after`].
//!
//! To decide what a state saves, the body becomes a flow graph of events
//! (a binding declared, mentioned, moved, assigned) and two classic data-flow
//! analyses run on it: which bindings may still be read later (liveness) and
//! which may still own a value (so must still be dropped later: a guard kept
//! for its `Drop`). A state saves the bindings in scope at its point that are
//! live there or may own a value. How a mention uses a binding is read off
//! the syntax by [`analyse`].
//!
//! A local that something borrows across an `.await` is kept in a slot next
//! to the states instead ([`Layout::pinned`], chosen by `pinned_locals`); the
//! slots of locals never in scope together take turns in one place
//! ([`SharedSlots`]).
//!
//! Names are chosen for the reader: the state for `let url = build_url().await`
//! is `WaitingForUrl`; otherwise it is named after what is awaited
//! (`tick().await` → `WaitingForTick`); a loop head is `Loop`, `ForLoop`,
//! `WhileLoop` (or `OuterLoop` for `'outer:`), a join point `AfterIf`,
//! `AfterMatch`, `AfterForLoop`... Saved fields keep the user's names; each
//! stored value has one type parameter, named after it (`url: Url`,
//! `build_url_future: Awaitee<BuildUrlFuture>`), shared by every state that
//! stores it.
//!
//! [`analyse`]: crate::analyse

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use syn::{Expr, Ident, Stmt};

use crate::analyse::{self, Use};
use crate::args::Args;
use crate::lower::{
    BlockId, ConstructId, ConstructKind, FinishKind, HeadScope, Node, Owner, Program,
};
use crate::names::{callee, camel, Unique};
use crate::parse::{AsyncFn, ParamBinding};

/// The shape of the state enum.
pub struct Layout {
    /// `fetch_two` → `FetchTwo`.
    pub enum_name: Ident,
    /// The type parameters of the enum, in order.
    pub type_params: Vec<Ident>,
    /// `Start`'s fields: one per parameter, with its type parameter.
    pub start: Vec<(Ident, Ident)>,
    /// Locals that other values borrow across an `.await`: they live in a
    /// [`Slot`] next to the states, never in a state (chosen by
    /// `pinned_locals`: see the source).
    ///
    /// [`Slot`]: ../../desugar_runtime/struct.Slot.html
    pub pinned: Vec<PinnedLocal>,
    /// Slots of locals never in scope at the same time, which take turns
    /// in one place (see [`SharedSlots`]).
    pub shared: Vec<SharedSlots>,
    /// The states after `Start`, in the order their arms are written.
    pub states: Vec<State>,
    /// Every binding of the body, by id.
    pub bindings: Vec<Binding>,
    /// For each `.await`: its state.
    pub await_state: Vec<usize>,
    /// For each `.await`: the binding of its output.
    pub await_outputs: Vec<usize>,
    /// The temporaries the lowering made (`tmp0`) and the `.await`s'
    /// outputs: values of one statement, gone where it ends.
    pub temporaries: HashSet<usize>,
    /// For each loop construct holding `.await`s: its head state.
    pub head_state: HashMap<ConstructId, usize>,
    /// For each construct followed by code: its join state.
    pub join_state: HashMap<ConstructId, usize>,
    /// For each node that declares bindings: their ids.
    pub declares: HashMap<(BlockId, usize), Vec<usize>>,
    /// Binding → its storage binding: a local that was borrowed and is
    /// moved before an `.await` still in its scope. The compiler keeps the
    /// storage of a once-borrowed local until its scope ends (a borrow might
    /// still point there), so its type stays part of the future (and of its
    /// `Send`-ness) after the move. The desugared machine does the same with
    /// a zero-sized `PhantomData` of its type, made right after the local is
    /// declared (`let rc_storage = storage_of(&rc);`) and kept like a local
    /// until the scope ends.
    pub storage: HashMap<usize, usize>,
    /// For each node (by block and index; the index past the last node is
    /// the block's tail): the bindings it surely moves out (on every path
    /// through it), for the drop flags of
    /// [`Saved::flagged`] fields. Moves by an `.await` node happen before
    /// its state is stored; the others, after the node.
    pub moves_at: HashMap<(BlockId, usize), Vec<usize>>,
    /// The nodes (by block and index; the index past the last node is the
    /// block's tail) after which control never goes on in the block: a
    /// `return`, `break` or `continue` runs inside them on every path
    /// (`let x = { return None; 0 };`). The code after them is dead, and is
    /// left out of the machine (the compiler does not borrow-check it).
    pub dead_after: HashSet<(BlockId, usize)>,
    /// The same for the head of a construct (an `if let` scrutinee)...
    pub head_moves: HashMap<ConstructId, Vec<usize>>,
    /// ... and for each arm of a `match` (its pattern binding by value).
    pub arm_moves: HashMap<(ConstructId, usize), Vec<usize>>,
    /// The bindings each arm's pattern declares: owned in that arm (for
    /// an `if`, at index 0, what its `let`s bind for the `then` branch).
    pub arm_declares: HashMap<(ConstructId, usize), Vec<usize>>,
    /// How many bindings the parameters declare: ids `0..param_bindings`.
    pub param_bindings: usize,
    /// The locals some state keeps only for their drop, dead
    /// ([`Saved::dead`]) or behind a drop flag ([`Saved::flagged`]): each
    /// gets a `Dying` holder, declared next to it (after its `let`, at the
    /// start of the branch its pattern binds it in, or after the values a
    /// state restores), so that the machine never moves it as itself once
    /// it is dead (see [`Layout::dying`]).
    pub held: HashSet<usize>,
    /// Before each node of a block (by block and index; the index past the
    /// last node is the block's end): the [`Layout::held`] locals in scope
    /// there and dead (never read again). Where the machine still owns one
    /// there, it moves it into its holder, right after its last use on that
    /// path and while every borrow in it is still valid; the states take it
    /// from there as bytes. `let l = (name, h.peek()); let a = *l.1;
    /// h.v.push(2); tick().await;` moves `l` before the `push`, which may
    /// leave its reference dangling (its drop does not read it: the
    /// compiler accepts that).
    pub dying: HashMap<(BlockId, usize), Vec<usize>>,
    /// `.await`s whose output borrows a local of the state that cannot be
    /// kept in a slot (see `pinned_locals`), with the local's name: the
    /// transform refuses them rather than move the local while borrowed.
    pub unpinnable: Vec<(usize, String)>,
    /// Bindings with surely nothing to drop (literals, references, `Copy`
    /// written types, standard views): where they are dropped cannot be
    /// seen.
    pub trivial: HashSet<usize>,
    /// The locals `#[desugar(pin(..))]` names that cannot be kept in a
    /// slot, with the reason, as errors on the names.
    pub refused_pins: Vec<syn::Error>,
    /// Pattern bindings (`Some(line) =>`) that a value kept across an
    /// `.await` borrows: they must stay in place, and only plain locals can
    /// be kept in a slot. Stage 2d ([`crate::rebind`]) binds them again as
    /// plain locals, and the layout is made again.
    pub rebind: HashSet<String>,
    /// For each `.await`: the locals the machine moves when it leaves that
    /// `.await`'s state (kept by value, not in a slot), by the name the
    /// body uses for them. The borrow-checking copy of the body marks these
    /// moves, so that a borrow of one of them still used after the `.await`
    /// is a compile error rather than a dangling pointer
    /// (`let r = first(&items).await; tick().await; *r`). Empty when the
    /// copy cannot be written (see [`Layout::checked`]).
    pub relocated: Vec<Vec<Ident>>,
    /// Whether the body can be borrow-checked as written in a closure
    /// (the types of the signature can be named there, and no `.await`
    /// hides in macro arguments): needed to keep locals in slots, and to
    /// check [`Layout::relocated`].
    pub checked: bool,
}

/// A binding of the body (parameter, `let`, temporary or await output).
pub struct Binding {
    /// The identifier code uses for it (the user's, with its span).
    pub ident: Ident,
    /// Whether it is declared `mut`.
    pub mutable: bool,
    /// Its written type (`let n: u32`, a parameter `n: u32`), when it can
    /// be written again in a `let` (no `impl Trait`, no `_`).
    pub ty: Option<syn::Type>,
}

/// What a state is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateKind {
    /// Waiting for the `.await` with this index.
    Await(usize),
    /// The head of a loop.
    LoopHead(ConstructId),
    /// Where the branches of a construct meet again.
    Join(ConstructId),
}

/// One state after `Start`.
pub struct State {
    /// `WaitingForUrl`, `ForLoop`, `AfterIf`.
    pub name: Ident,
    /// What it is.
    pub kind: StateKind,
    /// Where the body resumes: block and node index.
    pub resume: (BlockId, usize),
    /// For an await state: the field holding the sub-future and its type
    /// parameter (`build_url_future`, `BuildUrlFuture`).
    pub awaitee: Option<(Ident, Ident)>,
    /// The values saved, in declaration order.
    pub saved: Vec<Saved>,
    /// Bindings in scope that hold no value here but are assigned later
    /// (`let x; ... x = f().await;`): declared again when resuming.
    pub redeclare: Vec<usize>,
    /// Whether the sub-future borrows saved values, so that it must be built
    /// after they are in their place in the state.
    pub future_borrows_saved: bool,
    /// The pinned locals in scope here (in their slots).
    pub pinned: Vec<usize>,
    /// Whether control can get here. A state that cannot be reached
    /// (`return x; f().await`: the compiler still type-checks the code
    /// after the `return`) saves nothing and is left out of the enum: the
    /// code that would go to it becomes `unreachable!()`.
    pub reachable: bool,
}

/// A local kept in a slot because something borrows it across an `.await`.
pub struct PinnedLocal {
    /// Which binding.
    pub binding: usize,
    /// Its field in the locals struct (its name).
    pub field: Ident,
    /// The type parameter of its value.
    pub param: Ident,
    /// Whether its type is surely `Copy` (`n: u32`): a use by value copies
    /// it out of the slot rather than taking it.
    pub copy: bool,
    /// The [`Layout::shared`] place its slot takes turns in, if any.
    pub shared: Option<usize>,
}

/// The slots of locals that are never in scope at the same time
/// (`{ let a = ..; f(&a).await; } { let b = ..; f(&b).await; }`), kept in
/// one place in turns, as the compiler overlaps such locals in its
/// coroutine: an enum with one variant per slot
/// (`enum TwoLoopsAOrB<A, B> { A(Slot<A>), B(Slot<B>) }`), whose tag is
/// apart from the values (`#[repr(u8)]`), so that switching to a slot
/// never reads a value something may borrow.
pub struct SharedSlots {
    /// Its field in the locals struct: `a_or_b`.
    pub field: Ident,
    /// The enum: `TwoLoopsAOrB`.
    pub name: Ident,
    /// The locals, as indices into [`Layout::pinned`], oldest first.
    pub members: Vec<usize>,
}

/// One value saved in a state.
pub struct Saved {
    /// Which binding.
    pub binding: usize,
    /// The field that holds it.
    pub field: Ident,
    /// The field's type parameter.
    pub param: Ident,
    /// Whether the sub-future's expression borrows it.
    pub borrowed_by_future: bool,
    /// Whether it may have been moved out on some of the paths here and
    /// not on others (then it is dead here), or is dead here and moved out
    /// on some paths to a later state: then the field is a `DropFlag` (an
    /// `Option` kept as bytes, empty where it was moved), the drop flag the
    /// compiler keeps for such a local, so that it is still dropped where
    /// its scope ends.
    pub flagged: bool,
    /// Whether it is dead here (never read again, surely owned, kept only
    /// to be dropped where its scope ends): the field is a `DropOnly`,
    /// which holds the value only if its type needs a drop, as the
    /// compiler keeps such a value only then (a dead reference may dangle
    /// by now: moving it would be undefined behaviour).
    pub dead: bool,
}

/// What happens at one node of the flow graph.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
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
fn is_local_path(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some())
}

/// How a loop without `.await`s ends, besides `break`.
enum LoopEnd<'a> {
    /// `loop`: only by `break`.
    Break,
    /// `while cond`: when the condition is false.
    Cond(&'a Expr),
    /// `for`: when the iterator has no more items.
    Exhausted,
}

/// Where a `break`/`continue` can go.
struct LoopTarget {
    label: Option<String>,
    /// The loop's head; `None` for a labeled block.
    head: Option<usize>,
    exit: usize,
}

/// The flow graph, built by walking the lowered body in order.
struct Graph {
    events: Vec<Event>,
    succ: Vec<Vec<usize>>,
    /// Edges into code that never runs (after a `return`, `break` or
    /// `continue`, after a `loop` without `break`), from where control
    /// left: only "mentioned later" follows them. The compiler type-checks
    /// that code, so the names it mentions must exist there (declared
    /// without a value: `let x;`), though nothing is kept for it.
    ghost: Vec<Vec<usize>>,
    /// Where control last left (see `ghost`).
    ghost_from: Option<usize>,
    /// The node control is at, if reachable.
    cursor: Option<usize>,
    bindings: Vec<Binding>,
    /// The ids of the bindings of each name, in order.
    named: HashMap<String, Vec<usize>>,
    /// Bindings in scope, innermost last. Ids are given out in order and
    /// the scope only grows by the newest one (it is otherwise cut back or
    /// set to an earlier scope), so it is sorted by id.
    scope: Vec<usize>,
    loops: Vec<LoopTarget>,
    /// Each state's node and the bindings in scope there.
    points: Vec<(StateKind, usize, Vec<usize>)>,
    declares: HashMap<(BlockId, usize), Vec<usize>>,
    /// For bindings made from an expression: that expression (a `let`'s
    /// initializer, a temporary's value, the scrutinee a pattern binds from).
    origins: HashMap<usize, Expr>,
    /// The locals an `.await` polls as futures (`notified` in
    /// `notified.await`, `a` and `b` in `select(a, b).await`).
    awaited: HashSet<usize>,
    /// For each binding with an origin: the binding each name in it meant
    /// where it was declared (`v` in `let v_2 = v;` is the `if let`'s `v`,
    /// not a later `let v`).
    origin_names: HashMap<usize, HashMap<String, usize>>,
    /// Bindings declared as a plain name (`let [mut] x = ...`, a parameter,
    /// a temporary): the ones that can live in a [`Slot`](crate::layout::Pinned).
    plain: Vec<usize>,
    /// The plain bindings written in the body (not temporaries) and the
    /// parameters that own their value (not references): the ones the
    /// borrow-checking copy can mark as moved (see [`Layout::relocated`]).
    relocatable: HashSet<usize>,
    /// The locals `#[desugar(pin(..))]` names.
    pin_requests: Vec<Ident>,
    /// The temporaries the lowering made (`tmp0`).
    temps: HashSet<usize>,
    /// See [`Program::receiver_temps`].
    receiver_temps: HashSet<String>,
    /// The names that receive a method call in code the lowering made
    /// (`tmp0` in `tmp0.and(output)`).
    receivers: HashSet<String>,
    /// The bindings (by their id in a graph without storage bindings) that
    /// get a storage binding: see [`Layout::storage`].
    storage_for: HashSet<usize>,
    /// Storage bindings declared so far.
    storage_declared: usize,
    /// Binding → its storage binding.
    storage: HashMap<usize, usize>,
    /// How many bindings the parameters declare (they come first).
    param_count: usize,
    /// For each `.await`: its output binding.
    await_outputs: HashMap<usize, usize>,
    /// Bindings whose written type (or literal value) has nothing to drop:
    /// they never need a drop flag.
    trivial: HashSet<usize>,
    /// Bindings made by a standard view method (see [`surely_a_view`]):
    /// references, which method calls see through rather than borrow.
    views: HashSet<usize>,
    /// Parameters of an `FnOnce` type (`fallback: F` with `F: FnOnce()`,
    /// `f: impl FnOnce()`): calling one moves it.
    called_once: HashSet<usize>,
    /// Bindings that hold a `oneshot` sender (made by `oneshot::channel()`,
    /// or a parameter of a `oneshot::Sender` type) or an `mpsc` permit
    /// (made by `tx.reserve().await?`): its `send(value)` takes it by
    /// value, where a channel's `send(value)` usually borrows.
    oneshot: HashSet<usize>,
    /// The names [`crate::rests`] bound in `_`'s place: the parts of a
    /// temporary an arm leaves, declared before the arm's own bindings.
    rests: HashSet<String>,
    /// Those of them that are surely `Copy` (no `&mut` inside): a move of
    /// one is a copy, and it can be used again.
    copy: HashSet<usize>,
    /// See [`Layout::moves_at`] and the two after it, with the graph node
    /// each set is checked at (`None` when control does not go on).
    moves_at: HashMap<(BlockId, usize), (Vec<usize>, Option<usize>)>,
    /// While walking the expression of this `.await`'s future: its
    /// mentions are the future's.
    future: Option<usize>,
    /// The cursor after each node and block tail (see [`Layout::dead_after`]).
    after: HashMap<(BlockId, usize), Option<usize>>,
    /// The node at each reachable block's entry (an `Event::Nop`).
    entry: HashMap<BlockId, usize>,
    /// The bindings in scope before each node of a block, and at its end.
    scope_before: HashMap<(BlockId, usize), Vec<usize>>,
    head_moves: HashMap<ConstructId, (Vec<usize>, Option<usize>)>,
    arm_moves: HashMap<(ConstructId, usize), (Vec<usize>, Option<usize>)>,
    arm_declares: HashMap<(ConstructId, usize), Vec<usize>>,
}

impl Graph {
    fn node(&mut self, event: Event) -> usize {
        let id = self.events.len();
        self.events.push(event);
        self.succ.push(Vec::new());
        self.ghost.push(Vec::new());
        id
    }

    /// Appends an event after the cursor.
    fn push(&mut self, event: Event) -> usize {
        let id = self.node(event);
        self.edge(self.cursor, id);
        self.cursor = Some(id);
        id
    }

    /// Control leaves here (`return`, `break`, `continue`): what follows
    /// never runs.
    fn leave(&mut self) {
        self.ghost_from = self.cursor.or(self.ghost_from);
        self.cursor = None;
    }

    fn edge(&mut self, from: Option<usize>, to: usize) {
        match (from, self.ghost_from) {
            (Some(from), _) => self.succ[from].push(to),
            (None, Some(left)) => self.ghost[left].push(to),
            (None, None) => {}
        }
    }

    fn declare(&mut self, ident: Ident, mutable: bool, init: bool) -> usize {
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
    fn note_origin(&mut self, id: usize, origin: &Expr, own: &[usize]) {
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
    fn reserved(&self, origin: &Expr) -> bool {
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
    fn resolve(&self, name: &str) -> Option<usize> {
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
    fn mark_awaited(&mut self, id: usize) {
        if !self.awaited.insert(id) {
            return;
        }
        let from = self.origins.get(&id).and_then(future_made_from);
        let from = from.and_then(|name| self.origin_names.get(&id)?.get(&name).copied());
        if let Some(from) = from {
            self.mark_awaited(from);
        }
    }

    fn mention_all(&mut self, mentions: Vec<analyse::Mention>, in_future: Option<usize>) {
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
    fn is_box(&self, binding: usize) -> bool {
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

    fn point(&mut self, kind: StateKind) {
        let node = self.push(Event::Nop);
        debug_assert!(
            self.scope.windows(2).all(|w| w[0] < w[1]),
            "the scope is sorted by id"
        );
        let scope = self.scope.clone();
        self.points.push((kind, node, scope));
    }

    /// Declares the bindings of a pattern; returns their ids.
    fn declare_pattern(&mut self, pat: &syn::Pat, init: bool) -> Vec<usize> {
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
    fn declare_from(&mut self, pat: &syn::Pat, origin: Option<&Expr>) -> Vec<usize> {
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
    fn declare_matched(&mut self, pat: &syn::Pat, scrutinee: &Expr) -> Vec<usize> {
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
    fn yields_views(&self, scrutinee: &Expr) -> bool {
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
    fn holds_only_borrows(&self, init: &Expr) -> bool {
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
    fn declare_let(&mut self, at: (BlockId, usize), pat: &syn::Pat, init: Option<&Expr>) {
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
    fn declare_storage(&mut self, ids: &[usize]) {
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
    fn moves_since(&self, from: usize) -> (Vec<usize>, Option<usize>) {
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

    fn end_scope(&mut self, from: usize) {
        self.scope.truncate(from);
    }

    // ----- verbatim code: control flow read off the syntax -----

    fn stmts(&mut self, stmts: &[Stmt]) {
        let depth = self.scope.len();
        for stmt in stmts {
            self.stmt(stmt);
        }
        self.end_scope(depth);
    }

    fn stmt(&mut self, stmt: &Stmt) {
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

    fn block_expr(&mut self, stmts: &[Stmt]) {
        self.stmts(stmts);
    }

    fn expr(&mut self, expr: &Expr, usage: Use) {
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
    fn cond(&mut self, cond: &Expr) {
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

    fn verbatim_loop(
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
    fn target(&self, label: Option<&str>) -> Option<usize> {
        self.loops.iter().rposition(|l| match label {
            Some(label) => l.label.as_deref() == Some(label),
            None => l.head.is_some(),
        })
    }
}

/// Walks the lowered program into the graph.
struct Walker<'a> {
    program: &'a Program,
    graph: Graph,
}

impl Walker<'_> {
    fn block(&mut self, block: BlockId) {
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

    fn node(&mut self, block: BlockId, index: usize, node: &Node) {
        let from = self.graph.events.len();
        self.node_events(block, index, node);
        let after = self.graph.cursor;
        self.graph.after.insert((block, index), after);
        if !matches!(node, Node::Construct(_)) {
            let moves = self.graph.moves_since(from);
            self.graph.moves_at.insert((block, index), moves);
        }
    }

    fn node_events(&mut self, block: BlockId, index: usize, node: &Node) {
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

    fn finish(&mut self, block: BlockId, index: usize, finish: &crate::lower::Finish) {
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

    fn construct(&mut self, c: ConstructId) {
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
struct Set(Vec<u64>);

impl Set {
    fn new(n: usize) -> Set {
        Set(vec![0; n.div_ceil(64)])
    }
    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn remove(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    fn union(&mut self, other: &Set) -> bool {
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
struct Facts {
    /// May be read later (before being assigned again).
    live: Vec<Set>,
    /// May be mentioned (assignments included) after the node and before
    /// the next state point: in the code of the same arm.
    mentioned: Vec<Set>,
    /// May own a value on entry to the node.
    owned: Vec<Set>,
    /// May have been moved out (or never initialised) on entry to the node.
    moved: Vec<Set>,
    /// Whether control can get to the node at all: not after a `return`,
    /// `break` or `continue` in the same straight line, not after a `loop`
    /// with no `break`.
    reachable: Vec<bool>,
}

/// The locals to keep in place for their whole scope: those
/// `#[desugar(pin(..))]` names, and those a `pin!` pins (see
/// [`crate::pin_macros`]).
fn pin_requests(function: &AsyncFn, args: &Args) -> Vec<Ident> {
    args.pin.iter().chain(&function.pinned).cloned().collect()
}

fn analyse_flow(graph: &Graph) -> Facts {
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

impl Layout {
    /// Computes the layout of `function`'s state machine.
    pub fn of(function: &AsyncFn, program: &Program, args: &Args) -> Layout {
        let (mut graph, start_bindings) = Self::graph(function, program, HashSet::new());
        graph.pin_requests = pin_requests(function, args);
        let facts = analyse_flow(&graph);
        let storage_for = needs_storage(function, &graph, &facts);
        if storage_for.is_empty() {
            return Self::from_graph(function, program, graph, facts, start_bindings);
        }
        // Again, with a storage binding after each of those.
        let (mut graph, start_bindings) = Self::graph(function, program, storage_for);
        graph.pin_requests = pin_requests(function, args);
        let facts = analyse_flow(&graph);
        Self::from_graph(function, program, graph, facts, start_bindings)
    }

    /// The flow graph of the body, with storage bindings for `storage_for`.
    fn graph(
        function: &AsyncFn,
        program: &Program,
        storage_for: HashSet<usize>,
    ) -> (Graph, Vec<Option<usize>>) {
        let mut graph = Graph {
            events: Vec::new(),
            succ: Vec::new(),
            ghost: Vec::new(),
            ghost_from: None,
            cursor: None,
            bindings: Vec::new(),
            named: HashMap::new(),
            scope: Vec::new(),
            loops: Vec::new(),
            points: Vec::new(),
            declares: HashMap::new(),
            origins: HashMap::new(),
            awaited: HashSet::new(),
            origin_names: HashMap::new(),
            plain: Vec::new(),
            relocatable: HashSet::new(),
            pin_requests: Vec::new(),
            temps: HashSet::new(),
            receiver_temps: program.receiver_temps.clone(),
            receivers: HashSet::new(),
            storage_for,
            storage_declared: 0,
            storage: HashMap::new(),
            param_count: 0,
            trivial: HashSet::new(),
            called_once: HashSet::new(),
            oneshot: HashSet::new(),
            rests: function.rests.clone(),
            views: HashSet::new(),
            copy: HashSet::new(),
            await_outputs: HashMap::new(),
            moves_at: HashMap::new(),
            after: HashMap::new(),
            entry: HashMap::new(),
            scope_before: HashMap::new(),
            future: None,
            head_moves: HashMap::new(),
            arm_moves: HashMap::new(),
            arm_declares: HashMap::new(),
        };
        graph.cursor = Some(graph.node(Event::Nop));
        let mut start_bindings = Vec::new();
        for (param, input) in function.params.iter().zip(&function.sig.inputs) {
            match &param.binding {
                ParamBinding::Ident { mutable } => {
                    let id = graph.declare(param.field.clone(), *mutable, true);
                    if let syn::FnArg::Typed(t) = input {
                        graph.bindings[id].ty = rewritable_type(&t.ty);
                    }
                    graph.plain.push(id);
                    let trivial = match input {
                        syn::FnArg::Receiver(r) => r.reference.is_some(),
                        syn::FnArg::Typed(t) => nothing_to_drop(&t.ty),
                    };
                    if trivial {
                        graph.trivial.insert(id);
                    }
                    if matches!(input, syn::FnArg::Typed(t) if is_fn_once(&t.ty, &function.sig.generics))
                    {
                        graph.called_once.insert(id);
                    }
                    if matches!(input, syn::FnArg::Typed(t) if mentions_oneshot(&t.ty)) {
                        graph.oneshot.insert(id);
                    }
                    if matches!(input, syn::FnArg::Typed(t) if surely_copy(&t.ty)) {
                        graph.copy.insert(id);
                    }
                    let owned = match input {
                        syn::FnArg::Receiver(r) => r.reference.is_none(),
                        syn::FnArg::Typed(t) => !matches!(*t.ty, syn::Type::Reference(_)),
                    };
                    if owned {
                        graph.relocatable.insert(id);
                    }
                    start_bindings.push(Some(id));
                }
                ParamBinding::Pattern(pat) => {
                    for d in crate::parse::Param::pattern_bindings(pat) {
                        graph.declare(d.ident, d.mutable, true);
                    }
                    start_bindings.push(None);
                }
            }
        }
        graph.param_count = graph.bindings.len();
        let mut walker = Walker { program, graph };
        walker.block(program.body);
        (walker.graph, start_bindings)
    }

    fn from_graph(
        function: &AsyncFn,
        program: &Program,
        mut graph: Graph,
        facts: Facts,
        start_bindings: Vec<Option<usize>>,
    ) -> Layout {
        let enum_name = Ident::new(&enum_name(function), Span::call_site());
        let mut params = Unique::with(&[&enum_name.to_string()]);
        let mut type_params = Vec::new();
        let mut binding_params: Vec<Option<Ident>> = vec![None; graph.bindings.len()];
        let bindings = &graph.bindings;
        let mut param_for =
            |id: usize, type_params: &mut Vec<Ident>, params: &mut Unique| -> Ident {
                binding_params[id]
                    .get_or_insert_with(|| {
                        let name = bindings[id].ident.to_string();
                        let ident = Ident::new(&params.name(&camel(&name)), Span::call_site());
                        type_params.push(ident.clone());
                        ident
                    })
                    .clone()
            };

        let mut start = Vec::new();
        for (param, binding) in function.params.iter().zip(&start_bindings) {
            let ty = match binding {
                Some(id) => param_for(*id, &mut type_params, &mut params),
                None => {
                    let ident = Ident::new(
                        &params.name(&camel(&param.field.to_string())),
                        Span::call_site(),
                    );
                    type_params.push(ident.clone());
                    ident
                }
            };
            start.push((param.field.clone(), ty));
        }

        // Which joins are needed: a construct followed by code in its block,
        // or in a block that falls through to code after it.
        let mut needs_join = HashMap::new();
        for c in 0..program.constructs.len() {
            needs_join.insert(c, construct_needs_join(program, c));
        }

        let mut state_names = Unique::with(&["Start", "Done", "Poisoned"]);
        let mut states = Vec::new();
        let mut await_state = vec![0; program.awaits.len()];
        let mut head_state = HashMap::new();
        let mut join_state = HashMap::new();
        // (await, binding) for each binding an awaited expression borrows.
        let borrowed_by: std::collections::HashSet<(usize, usize)> = graph
            .events
            .iter()
            .filter_map(|e| match *e {
                Event::Mention {
                    binding,
                    usage: Use::Borrow,
                    in_future: Some(k),
                } => Some((k, binding)),
                _ => None,
            })
            .collect();
        let Pins {
            pinned: pinned_ids,
            unpinnable,
            refused: refused_pins,
            rebind,
        } = pinned_locals(function, &graph, &facts);
        let checked = checkable(function);
        // Only a local that a reference is taken of somewhere can still be
        // borrowed when the machine moves it.
        let referenced = referenced_names(&function.body, true);
        // A reference's methods see through it: only `&first`, a closure
        // or a macro borrows the local `first` itself.
        let referenced_itself = referenced_names(&function.body, false);
        let mut relocated = vec![Vec::new(); program.awaits.len()];
        let flags = Flags::of(&graph, &facts, &pinned_ids);
        let mut pinned = Vec::new();
        {
            // Named apart from the enum and its parameters (a local `count`
            // in `async fn count`): the impl dropping both in order names
            // them side by side. A parameter keeps the name of its type in
            // `Start`.
            for &id in &pinned_ids {
                let ident = &graph.bindings[id].ident;
                let param = match start_bindings.iter().position(|b| *b == Some(id)) {
                    Some(i) => start[i].1.clone(),
                    None => Ident::new(&params.name(&camel(&ident.to_string())), Span::call_site()),
                };
                pinned.push(PinnedLocal {
                    binding: id,
                    field: Ident::new(&ident.to_string(), ident.span()),
                    param,
                    copy: graph.copy.contains(&id),
                    shared: None,
                });
            }
        }
        let scopes: Vec<&Vec<usize>> = graph.points.iter().map(|(_, _, scope)| scope).collect();
        let shared = share_slots(&enum_name, &mut pinned, &scopes);
        let construct_values: HashSet<String> = program
            .constructs
            .iter()
            .filter_map(|c| c.value.as_ref().map(|v| v.to_string()))
            .collect();
        for (kind, node, scope) in &graph.points {
            let (kind, node) = (*kind, *node);
            if let StateKind::Join(c) = kind {
                if !needs_join[&c] {
                    continue;
                }
            }
            // An unreachable state keeps nothing.
            let reachable = facts.reachable[node];
            let scope: &[usize] = if reachable { scope } else { &[] };
            let pinned_here: Vec<usize> = scope
                .iter()
                .copied()
                .filter(|id| pinned_ids.contains(id))
                .collect();
            let mut saved = Vec::new();
            let mut redeclare = Vec::new();
            let mut fields = Unique::default();
            for &id in scope {
                // A value moved on some paths here and not on others is
                // kept behind a drop flag when the moves are sure where they
                // happen (see `Flags`); otherwise it is not kept (its drop
                // comes early on the other paths: a known difference, see
                // the README).
                let flagged = flags.flagged(id, node, &facts);
                if pinned_ids.contains(&id) {
                    // In its slot, not in the state.
                    continue;
                }
                let borrowed_by_future = match kind {
                    StateKind::Await(k) => borrowed_by.contains(&(k, id)),
                    _ => false,
                };
                // A value with nothing to drop (`let r = &s;`, `let n: u32`)
                // is kept only while it may be read, as the compiler keeps
                // it, or while the awaited future borrows it.
                let droppable = !graph.trivial.contains(&id) || borrowed_by_future;
                let keep =
                    facts.live[node].contains(id) || droppable && flags.kept(id, node, &facts);
                let ident = &graph.bindings[id].ident;
                let name = ident.to_string();
                // What the machine moves (or, for a value with nothing to
                // drop, forgets) when this `.await` finishes, while the
                // native future keeps it in place: the borrow-checked copy
                // marks it there (see `Layout::relocated`).
                let owned_here = facts.owned[node].contains(id) && !facts.moved[node].contains(id);
                // A view the machine forgets matters only if something
                // still used borrows it (`let r = &first;`), not for a
                // borrow that ended (`format!("{first}")`).
                let view_borrowed_later = || {
                    graph.origin_names.iter().any(|(&b, names)| {
                        b != id
                            && names.get(&name) == Some(&id)
                            && facts.live[node].contains(b)
                            && graph
                                .origins
                                .get(&b)
                                .is_some_and(|o| origin_borrows(o, &name))
                    })
                };
                let relocates = checked
                    && !flagged
                    && graph.relocatable.contains(&id)
                    && match graph.views.contains(&id) {
                        true => {
                            referenced_itself.contains(&name) && (keep || view_borrowed_later())
                        }
                        false => referenced.contains(&name.replace("__self", "self")),
                    }
                    && crate::rewrite::is_binding_name(ident)
                    && owned_here;
                if !keep {
                    if let (StateKind::Await(k), true) = (kind, relocates) {
                        relocated[k].push(ident.clone());
                    }
                    if facts.mentioned[node].contains(id) {
                        redeclare.push(id);
                    }
                    continue;
                }
                // Each local in scope has a name of its own (stage 2b,
                // `unshadow`): the field is named after it.
                let field = if name.starts_with("r#") {
                    ident.clone()
                } else {
                    Ident::new(&fields.name(&name), ident.span())
                };
                if let (StateKind::Await(k), true) = (kind, relocates) {
                    relocated[k].push(ident.clone());
                }
                // (the sub-future is made after the state is stored, from
                // its fields: what it reads, even a copy, is not dead)
                let read_by_future = match kind {
                    StateKind::Await(k) => analyse::mentions(&program.awaits[k].future)
                        .iter()
                        .any(|m| m.name == name),
                    _ => false,
                };
                // Only a binding of the user's code (the lowering's own
                // values, a construct's value on its way to its join point,
                // are handed on, not dropped).
                let users = !graph.temps.contains(&id)
                    && !graph.await_outputs.values().any(|&o| o == id)
                    && !construct_values.contains(&name);
                let dead = users
                    && !facts.live[node].contains(id)
                    && !borrowed_by_future
                    && !read_by_future
                    && !flagged
                    && flags.flaggable[id];
                saved.push(Saved {
                    binding: id,
                    field,
                    param: param_for(id, &mut type_params, &mut params),
                    borrowed_by_future,
                    flagged,
                    dead,
                });
            }
            let (name, awaitee, resume) = match kind {
                StateKind::Await(k) => {
                    let point = &program.awaits[k];
                    let callee_name = callee(&point.future);
                    let base = match &point.binds {
                        Some(ident) => format!("WaitingFor{}", camel(&function.source_name(ident))),
                        None => format!("WaitingFor{}", camel(&callee_name)),
                    };
                    let awaitee = Ident::new(
                        &fields.name(&format!("{callee_name}_future")),
                        Span::call_site(),
                    );
                    let awaitee_param = Ident::new(
                        &params.name(&camel(&awaitee.to_string())),
                        Span::call_site(),
                    );
                    if reachable {
                        type_params.push(awaitee_param.clone());
                    }
                    (
                        state_names.name(&base),
                        Some((awaitee, awaitee_param)),
                        await_position(program, k),
                    )
                }
                StateKind::LoopHead(c) => {
                    let construct = &program.constructs[c];
                    let base = match &construct.label {
                        Some(label) => format!("{}Loop", camel(&label.ident.to_string())),
                        None => construct.noun.to_string(),
                    };
                    let ConstructKind::Loop { body } = construct.kind else {
                        unreachable!("only loops have heads")
                    };
                    (state_names.name(&base), None, (body, 0))
                }
                StateKind::Join(c) => {
                    let construct = &program.constructs[c];
                    let noun = match (&construct.label, construct.noun) {
                        (Some(label), "Block") => camel(&label.ident.to_string()),
                        (Some(label), _) => format!("{}Loop", camel(&label.ident.to_string())),
                        (None, "For") => "ForLoop".to_string(),
                        (None, noun) => noun.to_string(),
                    };
                    let (block, index) = construct.at;
                    (
                        state_names.name(&format!("After{noun}")),
                        None,
                        (block, index + 1),
                    )
                }
            };
            let future_borrows_saved = saved.iter().any(|s| s.borrowed_by_future);
            let index = states.len();
            match kind {
                StateKind::Await(k) => await_state[k] = index,
                StateKind::LoopHead(c) => {
                    head_state.insert(c, index);
                }
                StateKind::Join(c) => {
                    join_state.insert(c, index);
                }
            }
            states.push(State {
                name: Ident::new(&name, Span::call_site()),
                kind,
                resume,
                awaitee,
                saved,
                redeclare,
                future_borrows_saved,
                pinned: pinned_here,
                reachable,
            });
        }
        let unpinnable = unpinnable
            .into_iter()
            .map(|(k, l)| (k, graph.bindings[l].ident.to_string()))
            .collect();
        flag_everywhere(&mut states);
        let held = held_locals(&graph, &states, &construct_values);
        let dying = dying_points(&graph, &facts, &held);
        if checked {
            mark_dead_moves(&mut relocated, &states, &graph, &held);
        }
        Layout {
            enum_name,
            type_params,
            start,
            pinned,
            shared,
            states,
            bindings: graph.bindings,
            await_state,
            await_outputs: (0..program.awaits.len())
                .map(|k| graph.await_outputs[&k])
                .collect(),
            temporaries: graph
                .temps
                .iter()
                .chain(graph.await_outputs.values())
                .copied()
                .collect(),
            head_state,
            join_state,
            declares: graph.declares,
            storage: graph.storage,
            dead_after: graph
                .after
                .iter()
                .filter(|(_, node)| !node.is_some_and(|n| facts.reachable[n]))
                .map(|(at, _)| *at)
                .collect(),
            held,
            dying,
            moves_at: flags.sure(graph.moves_at),
            head_moves: flags.sure(graph.head_moves),
            arm_moves: flags.sure(graph.arm_moves),
            arm_declares: std::mem::take(&mut graph.arm_declares),
            param_bindings: graph.param_count,
            trivial: graph.trivial.iter().chain(&graph.copy).copied().collect(),
            unpinnable,
            refused_pins,
            rebind,
            relocated,
            checked,
        }
    }
}

/// Groups the slots of locals never in scope together (no state has two
/// of them in scope: `scopes` are the bindings in scope at each state) into
/// [`SharedSlots`]. `CopySlot`s stay apart (they have no tag to share).
/// The locals struct drops its slots newest first; a group stands there
/// for its newest member, so a group is only made when every other slot
/// in scope with one of its members is older than all of them or newer
/// than all of them: then the order is the compiler's whichever member
/// holds a value.
fn share_slots(
    enum_name: &Ident,
    pinned: &mut [PinnedLocal],
    scopes: &[&Vec<usize>],
) -> Vec<SharedSlots> {
    let together = |a: usize, b: usize| scopes.iter().any(|s| s.contains(&a) && s.contains(&b));
    let owning: Vec<usize> = (0..pinned.len()).filter(|&i| !pinned[i].copy).collect();
    // The enum's methods are `clear_current`, and `a` and `clear_a` for
    // each member `a`: a local whose name is one of another's keeps its
    // slot apart.
    let methods = |i: usize| {
        let name = pinned[i].field.to_string();
        [format!("clear_{name}"), name]
    };
    let shareable = |i: usize| !methods(i).iter().any(|m| m == "clear_current");
    let fits = |group: &[usize], candidate: usize| {
        let ids: Vec<usize> = group
            .iter()
            .chain([&candidate])
            .map(|&i| pinned[i].binding)
            .collect();
        let (oldest, newest) = (ids.iter().min(), ids.iter().max());
        let apart = !group
            .iter()
            .any(|&i| together(pinned[i].binding, pinned[candidate].binding));
        let named_apart = group.iter().all(|&i| {
            let (mine, theirs) = (methods(candidate), methods(i));
            !mine.iter().any(|m| theirs.contains(m))
        });
        let ordered = owning
            .iter()
            .map(|&i| pinned[i].binding)
            .filter(|other| !ids.contains(other))
            .filter(|&other| ids.iter().any(|&id| together(id, other)))
            .all(|other| Some(&other) < oldest || Some(&other) > newest);
        apart && named_apart && ordered
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in &owning {
        match groups
            .iter_mut()
            .find(|g| shareable(i) && shareable(g[0]) && fits(g, i))
        {
            Some(group) => group.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
        .into_iter()
        .filter(|members| members.len() > 1)
        .enumerate()
        .map(|(index, members)| {
            let names: Vec<String> = members
                .iter()
                .map(|&i| pinned[i].field.to_string())
                .collect();
            for &i in &members {
                pinned[i].shared = Some(index);
            }
            SharedSlots {
                field: Ident::new(&names.join("_or_"), Span::call_site()),
                name: Ident::new(
                    &format!("{enum_name}{}", camel(&names.join("_or_"))),
                    Span::call_site(),
                ),
                members,
            }
        })
        .collect()
}

impl Layout {
    /// The slot of binding `id`, if it is kept in one.
    pub fn slot(&self, id: usize) -> Option<&PinnedLocal> {
        self.pinned.iter().find(|p| p.binding == id)
    }
}

/// A local that some state keeps behind a drop flag is kept behind one by
/// every state that keeps it dead, too (always set there): a state takes a
/// flag from the one before as it is, as bytes, and could not make one from
/// a [`Saved::dead`] value's bytes.
fn flag_everywhere(states: &mut [State]) {
    let flagged: HashSet<usize> = states
        .iter()
        .flat_map(|s| &s.saved)
        .filter(|s| s.flagged)
        .map(|s| s.binding)
        .collect();
    for s in states.iter_mut().flat_map(|s| &mut s.saved) {
        if s.dead && flagged.contains(&s.binding) {
            s.dead = false;
            s.flagged = true;
        }
    }
}

/// The locals that get a `Dying` holder (see [`Layout::held`]): a user's
/// local (not a parameter, whose borrows outlive the future, nor a value the
/// lowering made) that some state keeps dead or behind a drop flag.
fn held_locals(
    graph: &Graph,
    states: &[State],
    construct_values: &HashSet<String>,
) -> HashSet<usize> {
    states
        .iter()
        .filter(|s| s.reachable)
        .flat_map(|s| &s.saved)
        .filter(|s| s.dead || s.flagged)
        .map(|s| s.binding)
        .filter(|&id| {
            id >= graph.param_count
                && !graph.temps.contains(&id)
                && !graph.await_outputs.values().any(|&o| o == id)
                && !construct_values.contains(&graph.bindings[id].ident.to_string())
        })
        .collect()
}

/// Where the [`Layout::held`] locals are dead (see [`Layout::dying`]): the
/// positions before each node of each block, and the block's end, with
/// the held locals in scope and not live there, nor any value made from
/// them, which may borrow them (`let r = &s;`: `s` stays in place while
/// `r` is used).
fn dying_points(
    graph: &Graph,
    facts: &Facts,
    held: &HashSet<usize>,
) -> HashMap<(BlockId, usize), Vec<usize>> {
    let mut dying = HashMap::new();
    if held.is_empty() {
        return dying;
    }
    // what each held local's value may be borrowed by: the values made
    // from it (but arithmetic, a cast or a comparison, which make a new
    // value), and from those, and so on
    let may_borrow = |b: usize| !graph.origins.get(&b).is_some_and(makes_a_new_value);
    let mut made_from: HashMap<usize, HashSet<usize>> = HashMap::new();
    for &v in held {
        let users = made_from.entry(v).or_default();
        let mut todo = vec![v];
        while let Some(from) = todo.pop() {
            for (&b, names) in &graph.origin_names {
                if b != v && names.values().any(|&n| n == from) && may_borrow(b) && users.insert(b)
                {
                    todo.push(b);
                }
            }
        }
    }
    for (&(block, i), scope) in &graph.scope_before {
        // what is live before the node: at the block's entry, or after the
        // node before it (the cursor is that node's last event: what is
        // live after it is live at its successors)
        let live: Vec<&Set> = match i {
            0 => graph
                .entry
                .get(&block)
                .map(|&n| &facts.live[n])
                .into_iter()
                .collect(),
            _ => match graph.after.get(&(block, i - 1)) {
                Some(Some(last)) => graph.succ[*last].iter().map(|&n| &facts.live[n]).collect(),
                _ => continue,
            },
        };
        let in_use = |id: usize| {
            let users = &made_from[&id];
            live.iter()
                .any(|l| l.contains(id) || users.iter().any(|&u| l.contains(u)))
        };
        let ids: Vec<usize> = scope
            .iter()
            .copied()
            .filter(|&id| held.contains(&id) && !in_use(id))
            .collect();
        if !ids.is_empty() {
            dying.insert((block, i), ids);
        }
    }
    dying
}

/// Whether `expr` makes a new value that borrows nothing it mentions: a
/// literal, arithmetic, a comparison, a negation or a cast to a number
/// (`*p.1 + p.2`, `rf.len() as i64`; not a dereference, which may copy a
/// reference, nor a cast to a pointer).
fn makes_a_new_value(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Lit(_) | Expr::Binary(_) => true,
        Expr::Unary(u) => !matches!(u.op, syn::UnOp::Deref(_)),
        Expr::Cast(c) => match &*c.ty {
            syn::Type::Path(p) => {
                p.qself.is_none()
                    && p.path.get_ident().is_some_and(|i| {
                        let numbers = [
                            "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
                            "i128", "isize", "f32", "f64", "bool", "char",
                        ];
                        numbers.contains(&i.to_string().as_str())
                    })
            }
            _ => false,
        },
        _ => false,
    }
}

/// The borrow-checked copy's marks (see [`Layout::relocated`]) for the
/// values states keep only for their drop. A held local (see
/// [`Layout::held`]) that no state keeps alive goes to its holder in the
/// arm that declares it, so every borrow of it is made in that arm, where
/// the machine's own borrow check sees its move into the holder; from
/// there its bytes move: it is not marked. Any other dead value is marked
/// at each `.await` it is moved at (its place changes), so that a borrow of
/// it still used after the `.await`, or a borrow in it that went stale, is
/// refused rather than left dangling.
fn mark_dead_moves(
    relocated: &mut [Vec<Ident>],
    states: &[State],
    graph: &Graph,
    held: &HashSet<usize>,
) {
    let saved = || states.iter().filter(|s| s.reachable).flat_map(|s| &s.saved);
    let alive: HashSet<usize> = saved()
        .filter(|s| !s.dead && !s.flagged)
        .map(|s| s.binding)
        .collect();
    let unmarked: HashSet<&Ident> = held
        .iter()
        .filter(|id| !alive.contains(id))
        .map(|&id| &graph.bindings[id].ident)
        .collect();
    for marks in relocated.iter_mut() {
        marks.retain(|ident| !unmarked.contains(ident));
    }
    for state in states.iter().filter(|s| s.reachable) {
        let StateKind::Await(k) = state.kind else {
            continue;
        };
        for s in state.saved.iter().filter(|s| s.dead) {
            let ident = &graph.bindings[s.binding].ident;
            let marked = !unmarked.contains(ident)
                && graph.relocatable.contains(&s.binding)
                && crate::rewrite::is_binding_name(ident);
            if marked && !relocated[k].contains(ident) {
                relocated[k].push(ident.clone());
            }
        }
    }
}

/// Which bindings can have a drop flag (see [`Saved::flagged`]): the
/// moves of each one must be sure where they happen (on every path through
/// the node that moves it), so that the code storing a state knows whether
/// it still owns the value (`Some(x)`) or not (`None`). A binding moved on
/// some paths inside one statement (`if c { drop(x) }`), assigned again,
/// or pinned in a slot gets none.
struct Flags {
    /// Bindings that can be flagged, by id.
    flaggable: Vec<bool>,
    /// For each node, the set of bindings that may own a value after it.
    owned_after: HashMap<usize, Set>,
}

impl Flags {
    fn of(graph: &Graph, facts: &Facts, pinned: &[usize]) -> Flags {
        let mut owned_after = HashMap::new();
        let records = graph
            .moves_at
            .values()
            .chain(graph.head_moves.values())
            .chain(graph.arm_moves.values());
        let mut unsure = HashSet::new();
        for (moved, at) in records {
            let Some(at) = *at else { continue };
            let after = owned_after
                .entry(at)
                .or_insert_with(|| owned_out(graph, facts, at));
            unsure.extend(moved.iter().copied().filter(|&b| after.contains(b)));
        }
        let mut flaggable = vec![true; graph.bindings.len()];
        for event in &graph.events {
            if let Event::Mention {
                binding,
                usage: Use::Assign,
                ..
            } = *event
            {
                flaggable[binding] = false;
            }
        }
        let refused = unsure
            .iter()
            .chain(pinned)
            .chain(&graph.trivial)
            .chain(graph.storage.values());
        for &b in refused {
            flaggable[b] = false;
        }
        Flags {
            flaggable,
            owned_after,
        }
    }

    /// Whether binding `id` is kept behind a drop flag at state node `node`:
    /// it may own its value there and may have been moved out.
    fn flagged(&self, id: usize, node: usize, facts: &Facts) -> bool {
        self.flaggable[id]
            && facts.owned[node].contains(id)
            && facts.moved[node].contains(id)
            && !facts.live[node].contains(id)
    }

    /// Whether a state at `node` keeps binding `id`: it may be read later,
    /// surely owns its value, or owns it behind a drop flag.
    fn kept(&self, id: usize, node: usize, facts: &Facts) -> bool {
        facts.live[node].contains(id)
            || facts.owned[node].contains(id) && !facts.moved[node].contains(id)
            || self.flagged(id, node, facts)
    }

    /// The recorded moves, keeping the sure ones of flaggable bindings.
    fn sure<K: std::hash::Hash + Eq>(
        &self,
        records: HashMap<K, (Vec<usize>, Option<usize>)>,
    ) -> HashMap<K, Vec<usize>> {
        records
            .into_iter()
            .map(|(key, (moved, at))| {
                let after = at.and_then(|at| self.owned_after.get(&at));
                let sure = moved
                    .into_iter()
                    .filter(|b| self.flaggable[*b] && after.is_some_and(|a| !a.contains(*b)))
                    .collect();
                (key, sure)
            })
            .collect()
    }
}

/// Whether `expr` is made of literals only (`5`, `-1`, `"a"`, `[0u8; 1024]`,
/// `[1, 2]`, `(1, 'x')`): a `Copy` value with nothing to drop.
fn is_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) => true,
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Neg(_)) && is_literal(&u.expr),
        Expr::Repeat(r) => is_literal(&r.expr),
        Expr::Array(a) => a.elems.iter().all(is_literal),
        Expr::Tuple(t) => t.elems.iter().all(is_literal),
        Expr::Paren(p) => is_literal(&p.expr),
        _ => false,
    }
}

/// Whether a value of type `ty` is surely `Copy`: it has nothing to drop
/// and holds no `&mut`.
fn surely_copy(ty: &syn::Type) -> bool {
    fn no_unique_borrow(ty: &syn::Type) -> bool {
        match ty {
            syn::Type::Reference(r) => r.mutability.is_none(),
            syn::Type::Tuple(t) => t.elems.iter().all(no_unique_borrow),
            syn::Type::Array(a) => no_unique_borrow(&a.elem),
            syn::Type::Paren(p) => no_unique_borrow(&p.elem),
            _ => true,
        }
    }
    nothing_to_drop(ty) && no_unique_borrow(ty)
}

/// Whether a value of type `ty` surely has nothing to drop, as far as the
/// syntax shows: primitives, references, raw and `fn` pointers, and tuples
/// and arrays of those.
fn nothing_to_drop(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(_)
        | syn::Type::Ptr(_)
        | syn::Type::BareFn(_)
        | syn::Type::Never(_) => true,
        syn::Type::Tuple(t) => t.elems.iter().all(nothing_to_drop),
        syn::Type::Array(a) => nothing_to_drop(&a.elem),
        syn::Type::Paren(p) => nothing_to_drop(&p.elem),
        syn::Type::Path(p) if p.qself.is_none() => p.path.get_ident().is_some_and(|i| {
            matches!(
                i.to_string().as_str(),
                "u8" | "u16"
                    | "u32"
                    | "u64"
                    | "u128"
                    | "usize"
                    | "i8"
                    | "i16"
                    | "i32"
                    | "i64"
                    | "i128"
                    | "isize"
                    | "f32"
                    | "f64"
                    | "bool"
                    | "char"
            )
        }),
        _ => false,
    }
}

/// The bindings that may own a value after node `n` (its event applied).
fn owned_out(graph: &Graph, facts: &Facts, n: usize) -> Set {
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

/// Refuses what the layout cannot do soundly: an `.await` whose output
/// borrows a local that would move when the state is left, and a local
/// `#[desugar(pin(..))]` names that cannot be kept in a slot.
pub fn check(program: &Program, layout: &Layout) -> syn::Result<()> {
    let mut errors = layout.unpinnable.iter().map(|(k, name)| {
        let name = name.trim_start_matches("__");
        syn::Error::new_spanned(
            &program.awaits[*k].future,
            format!(
                "#[desugar] cannot desugar this `.await` yet: its result borrows `{name}`, a local \
                 the state machine would move when it resumes here. It keeps such a local in \
                 place only if it is a plain `let {name}` (or parameter) with a name of its \
                 own that is not moved (or copied) and then used again; change that, or borrow \
                 `{name}` from the caller instead"
            ),
        )
    });
    let mut errors = layout.refused_pins.iter().cloned().chain(errors.by_ref());
    match errors.next() {
        None => Ok(()),
        Some(mut first) => {
            errors.for_each(|e| first.combine(e));
            Err(first)
        }
    }
}

/// The bindings that need a storage binding (see [`Layout::storage`]): a
/// `let` binding that some state has in scope after it may have been moved
/// out, that was borrowed or is moved on some paths only (natively kept
/// with a drop flag), and whose type no state holds otherwise: it is saved by value nowhere and not moved into an awaited
/// future (whose type then carries it). The type is all that matters here
/// (for `Send` and `Sync`), so one place in the enum is enough.
fn needs_storage(function: &AsyncFn, graph: &Graph, facts: &Facts) -> HashSet<usize> {
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
    let pinned = pinned_locals(function, graph, facts).pinned;
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

/// The locals that must not move because another value borrows them
/// across a state change (`for x in &items { f(x).await }`: the loop's
/// iterator borrows `items` while the state changes), by binding id.
///
/// Read off the syntax (see [`borrowed_local`]): a binding `b` made from
/// `&l`, `&mut l.field`, `l.iter()`, `l.lock()`... borrows `l` (and so does a
/// binding made from `b`). `l` is pinned when some state keeps both `l` and
/// a value borrowing it. Only plain locals (`let l = ...`, parameters,
/// temporaries) with a name of their own (see `by_name`) and never moved
/// are pinned, and only where the body can be borrow-checked as written
/// ([`checkable`]): their uses go through a raw pointer, so the compiler
/// checks them in that copy. Anything else is left to the compiler, which
/// then rejects the move of a borrowed value into the next state (or, for
/// a move it cannot see, the copy's `moved_by_await`). Locals named by
/// `#[desugar(pin(..))]` are pinned too, or refused with an error.
fn pinned_locals(function: &AsyncFn, graph: &Graph, facts: &Facts) -> Pins {
    let feasible = checkable(function);
    // The binding a name in an origin or a receiver means: the only one of
    // that name, or the only one that lives across a state point when the
    // others are declared after it inside an await-free statement (a
    // shadowing `let` in an await-free loop body): that statement's code is
    // rewritten with their scopes in mind (see `rewrite::pin_places`).
    let mut at_points = Set::new(graph.bindings.len());
    for (_, _, scope) in &graph.points {
        scope.iter().for_each(|&id| at_points.insert(id));
    }
    // Bindings declared by a statement of their own (not inside an
    // await-free statement, whose code is emitted as one piece).
    let declared_by_node: HashSet<usize> = graph
        .declares
        .values()
        .flatten()
        .copied()
        .chain(0..graph.param_count)
        .collect();
    // The bindings of each name, in order (looked up once per name below,
    // not by a scan of all bindings per lookup).
    let mut named: HashMap<String, Vec<usize>> = HashMap::new();
    for (id, binding) in graph.bindings.iter().enumerate() {
        named.entry(binding.ident.to_string()).or_default().push(id);
    }
    let meaning = |found: &[usize]| -> Option<usize> {
        if let [only] = found[..] {
            return Some(only);
        }
        let mut living = found.iter().copied().filter(|&id| at_points.contains(id));
        let first = living.next()?;
        let others_nested = found
            .iter()
            .all(|&id| id == first || id > first && !declared_by_node.contains(&id));
        (living.next().is_none() && others_nested).then_some(first)
    };
    let meanings: HashMap<&str, Option<usize>> = named
        .iter()
        .map(|(name, found)| (name.as_str(), meaning(found)))
        .collect();
    let by_name = |name: &str| -> Option<usize> {
        let name = if name == "self" { "__self" } else { name };
        meanings.get(name).copied().flatten()
    };
    // A name in binding `id`'s origin: the binding it meant there, else
    // the one `by_name` finds.
    let in_origin = |id: usize, name: &str| -> Option<usize> {
        graph
            .origin_names
            .get(&id)
            .and_then(|names| names.get(name).copied())
            .or_else(|| by_name(name))
    };
    // What each binding borrows, directly or through the binding it was
    // made from.
    let mut borrows: HashMap<usize, Vec<usize>> = HashMap::new();
    let add = |borrows: &mut HashMap<usize, Vec<usize>>, id: usize, l: usize| {
        let list = borrows.entry(id).or_default();
        if !list.contains(&l) {
            list.push(l);
        }
    };
    for _ in 0..3 {
        for (&id, origin) in &graph.origins {
            // A future made by a method of a local and awaited later
            // (`let notified = notify.notified(); .. notified.await`,
            // `let a = Box::pin(rx.recv()); select(a, b).await`): it
            // borrows the local, as the future of an `async fn` taking
            // `&self` or `&mut self` does.
            if graph.awaited.contains(&id) {
                for l in future_borrows(origin)
                    .iter()
                    .filter_map(|n| in_origin(id, n))
                {
                    add(&mut borrows, id, l);
                }
            }
            // A temporary made by a method that does not take `self`, on
            // a local or another temporary, that receives the next call of
            // a chain
            // (`cmd.arg("run")` left of an `.await` in
            // `cmd.arg("run").arg(name().await)`): its value may borrow the
            // local (`&mut Command`), and lives across the `.await`.
            let method_on_local = match origin {
                Expr::MethodCall(m)
                    if graph.temps.contains(&id)
                        && graph
                            .receivers
                            .contains(&graph.bindings[id].ident.to_string())
                        && !analyse::consumes_receiver(m) =>
                {
                    place_root(&m.receiver).filter(|root| in_origin(id, root).is_some())
                }
                _ => None,
            };
            // A value made by a method of `self` (`let name = self.name();`
            // in a `&mut self` method): it may borrow what `self` points
            // to, as a getter's result does.
            let method_on_self = match origin {
                Expr::MethodCall(m) if !analyse::consumes_receiver(m) => {
                    place_root(&m.receiver).filter(|root| root == "self")
                }
                _ => None,
            };
            // A value made by a method of a local that may return a borrow
            // of it (`let name = cfg.name();` with `fn name(&self) ->
            // &str`): it may borrow the local, as a getter's result does.
            let getter_on_local = match origin {
                Expr::MethodCall(m)
                    if graph.plain.contains(&id)
                        && !graph.temps.contains(&id)
                        && is_local_path(strip_parens(&m.receiver))
                        && !analyse::consumes_receiver(m)
                        && !analyse::returns_owned(&m.method.to_string()) =>
                {
                    place_root(&m.receiver)
                }
                _ => None,
            };
            if let Some(l) = borrowed_local(origin)
                .or(method_on_local)
                .or(method_on_self)
                .or(getter_on_local)
                .and_then(|n| in_origin(id, &n))
            {
                add(&mut borrows, id, l);
            } else if let Some(from) = made_from(origin)
                .and_then(|n| in_origin(id, &n))
                .and_then(|c| borrows.get(&c).cloned())
            {
                from.into_iter().for_each(|l| add(&mut borrows, id, l));
            }
            // Borrows passed along a chain (`xs.iter().zip(ys.iter())`,
            // `a.iter().chain(&b)`): the value may hold them too.
            for name in chain_argument_borrows(origin) {
                if let Some(l) = in_origin(id, &name) {
                    add(&mut borrows, id, l);
                }
            }
            // A tuple, array or struct of borrows (`let (ra, rb) = (&a,
            // &b);`): each binding may hold any of them.
            for part in parts(origin) {
                if let Some(l) = borrowed_local(&part).and_then(|n| in_origin(id, &n)) {
                    add(&mut borrows, id, l);
                }
            }
            // A closure or `async` block that does not `move` borrows what
            // it mentions (`let add = |x| x + offset;`).
            for name in captured_by_reference(origin) {
                if let Some(l) = in_origin(id, &name).filter(|&l| l != id) {
                    add(&mut borrows, id, l);
                }
            }
        }
    }
    // A pinned local may be moved out (`return items`) only where it is
    // not used again: the move takes it out of its slot.
    let mut moved_and_used = vec![false; graph.bindings.len()];
    // Whether each binding is mentioned at all (an `.await`'s output may be
    // unused).
    let mut mentioned = vec![false; graph.bindings.len()];
    for (node, e) in graph.events.iter().enumerate() {
        if let Event::Mention { binding, usage, .. } = *e {
            mentioned[binding] = true;
            if usage == Use::Move
                && graph.succ[node]
                    .iter()
                    .any(|&s| facts.live[s].contains(binding))
            {
                moved_and_used[binding] = true;
            }
        }
    }
    let moved = |id: usize| moved_and_used[id] && !graph.copy.contains(&id);
    // The bindings each `.await`'s future takes by value (`greet` in
    // `greet.await`): the sub-future borrows what they borrowed. And those
    // it borrows (`h` in `view_of(&h).await`): its output may borrow them.
    let mut into_future: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut borrowed_by_future: HashMap<usize, Vec<usize>> = HashMap::new();
    for e in &graph.events {
        if let Event::Mention {
            binding,
            usage,
            in_future: Some(k),
        } = *e
        {
            match usage {
                Use::Move => into_future.entry(k).or_default().push(binding),
                _ => borrowed_by_future.entry(k).or_default().push(binding),
            }
        }
    }
    // `&self`: what borrows through it does not need it to stay put (a
    // shared reference can be copied while `&self.items` is borrowed).
    let shared_receiver = function
        .sig
        .receiver()
        .is_some_and(|r| r.reference.is_some() && r.mutability.is_none());
    let mut pinned = Vec::new();
    let mut unpinnable = Vec::new();
    let mut refused = Vec::new();
    let mut refused_borrows = Vec::new();
    let mut rebind = HashSet::new();
    let plain: HashSet<usize> = graph.plain.iter().copied().collect();
    // A pattern binding written in the body (not a parameter's, not one the
    // transform made): stage 2d can bind it again as a plain local.
    let rebindable = |l: usize| {
        feasible
            && l >= graph.param_count
            && !plain.contains(&l)
            && !graph.temps.contains(&l)
            && function
                .idents()
                .contains(&graph.bindings[l].ident.to_string())
    };
    // An `.await`'s output is put in its slot as soon as it is ready (see
    // `emit`), like a plain local.
    let outputs: HashSet<usize> = graph.await_outputs.values().copied().collect();
    let is_output = |l: usize| outputs.contains(&l);
    let pinnable = |l: usize| {
        feasible
            && (plain.contains(&l) || is_output(l))
            && by_name(&graph.bindings[l].ident.to_string()) == Some(l)
            && !moved(l)
    };
    // Whether the borrow-checked copy marks the moves of a binding (a
    // plain local or an owned parameter), and whether the lowering made it
    // (a temporary, an `.await`'s output).
    let checked_by_copy = |l: usize| feasible && graph.relocatable.contains(&l);
    let made_by_transform = |l: usize| graph.temps.contains(&l) || is_output(l);
    for (kind, node, scope) in &graph.points {
        // A state no path reaches keeps nothing (see `State::reachable`).
        if !facts.reachable[*node] {
            continue;
        }
        // (a value moved out on some paths here may be kept behind a drop
        // flag: what it borrows stays in place too)
        let kept: Vec<usize> = scope
            .iter()
            .copied()
            .filter(|&id| facts.live[*node].contains(id) || facts.owned[*node].contains(id))
            .collect();
        // The values kept here, and the sub-future of this `.await`, made
        // from values that borrow (`let greet = async { names.len() };
        // greet.await`).
        let holders: Vec<usize> = match kind {
            StateKind::Await(k) => into_future.get(k).cloned().unwrap_or_default(),
            _ => Vec::new(),
        };
        for &b in kept.iter().chain(&holders) {
            for &l in borrows.get(&b).into_iter().flatten() {
                if l != b
                    && !(shared_receiver && graph.bindings[l].ident == "__self")
                    && kept.contains(&l)
                    && !pinned.contains(&l)
                {
                    if pinnable(l) {
                        pinned.push(l);
                    } else if rebindable(l) {
                        rebind.insert(graph.bindings[l].ident.to_string());
                    } else if let Some(Expr::Reference(r)) = graph.origins.get(&b) {
                        // `&l` kept across the state change that moves `l`:
                        // the compiler would reject the machine's move; say
                        // why, on the borrow.
                        let name = graph.bindings[l].ident.to_string();
                        let names_l = match &*r.expr {
                            Expr::Path(p) => p.path.get_ident().is_some_and(|i| *i == name),
                            _ => false,
                        };
                        if names_l && !refused_borrows.contains(&l) {
                            refused_borrows.push(l);
                            // the user's name (`s`, not `s_2` from stage 2b)
                            let name = function.source_name(&graph.bindings[l].ident);
                            refused.push(syn::Error::new_spanned(
                                &r.expr,
                                format!(
                                    "#[desugar] cannot desugar this yet: `{name}` is borrowed \
                                     here and the borrow is still used after an `.await`, but \
                                     the state machine would move `{name}` there. It keeps a \
                                     borrowed local in place only if it is not moved (or \
                                     copied) and then used again, and not bound by a \
                                     parameter's pattern. Bind it to a local of its own first \
                                     (`let {name}_kept = {name};`) and borrow that"
                                ),
                            ));
                        }
                    }
                }
            }
        }
        // The output of an `.await` that borrows a value of this state
        // (`let guard = mutex.lock().await` with a local `mutex`): that
        // value must not move when the state is left, which is right after
        // the output is made. Values that are references (`&mut self`,
        // `reader: &mut R`) can move: what they point to stays.
        if let StateKind::Await(k) = kind {
            let output = graph.await_outputs[k];
            let used = mentioned[output];
            // A local bound by a pattern that the sub-future borrows
            // (`let (h, n) = ..; let v = view_of(&h).await;`): the output
            // may borrow it, and the borrow-checked copy cannot mark its
            // move (only a plain local's). Bound again as a plain local,
            // it can be checked (or kept in place with `pin(..)`); one
            // that cannot be bound again is refused.
            for &l in borrowed_by_future.get(k).into_iter().flatten() {
                if used
                    && kept.contains(&l)
                    && !checked_by_copy(l)
                    && !made_by_transform(l)
                    && !graph.trivial.contains(&l)
                    && !pinned.contains(&l)
                    && graph.bindings[l].ident != "__self"
                {
                    if rebindable(l) {
                        rebind.insert(graph.bindings[l].ident.to_string());
                    } else if !unpinnable.contains(&(*k, l)) {
                        unpinnable.push((*k, l));
                    }
                }
            }
            // Known to return a borrow of its receiver (by name), or the
            // receiver of any other method: without types, its output may
            // borrow it (`conn.frame().await` with `fn frame(&self) -> &F`).
            let receiver = match &graph.origins.get(&output) {
                Some(Expr::MethodCall(m)) => {
                    place_root(&m.receiver).and_then(|n| in_origin(output, &n))
                }
                _ => None,
            };
            let known = borrows.get(&output).and_then(|l| l.first().copied());
            let strict = known.is_some();
            if let Some(l) = known.or(receiver) {
                if used && kept.contains(&l) && !graph.trivial.contains(&l) && !pinned.contains(&l)
                {
                    if pinnable(l) {
                        pinned.push(l);
                    } else if rebindable(l) {
                        // `let (tx, rx) = channel(); let permit =
                        // tx.reserve().await?;`: bound again as a plain
                        // local, `tx` can stay in place
                        rebind.insert(graph.bindings[l].ident.to_string());
                    } else {
                        // A guess (`receiver`) is left to the borrow-checked
                        // copy, which marks the move. Where it cannot (a
                        // local bound by a parameter's pattern), the
                        // transform refuses rather than move a local that
                        // may still be borrowed; a temporary or an
                        // `.await`'s output as the receiver is left as it
                        // is (see the README's known gaps).
                        if strict || !checked_by_copy(l) && !made_by_transform(l) {
                            unpinnable.push((*k, l));
                        }
                    }
                }
            }
        }
    }
    // `#[desugar(pin(name))]`: the user says it must stay in place.
    for name in &graph.pin_requests {
        let reason = match by_name(&name.to_string()) {
            _ if !feasible => Some(
                "it cannot keep locals in place in a function with more than 12 parameters \
                 and an `impl Trait` among them",
            ),
            _ if function.shadowed.contains(&name.to_string()) => Some(
                "several locals have this name (a later `let` shadows it): rename one, and name \
                 the one to keep in place",
            ),
            None => Some(
                "there is no local or parameter of this name, or several that live across \
                 `.await`s (rename one)",
            ),
            Some(l) if !pinnable(l) => Some(
                "it keeps in place only a plain `let name` or parameter that is not moved (or \
                 copied) and then used again",
            ),
            Some(l) => {
                if !pinned.contains(&l) {
                    pinned.push(l);
                }
                None
            }
        };
        if let Some(reason) = reason {
            refused.push(syn::Error::new(
                name.span(),
                format!("#[desugar] cannot keep `{name}` in place: {reason}"),
            ));
        }
    }
    pinned.sort_unstable();
    Pins {
        pinned,
        unpinnable,
        refused,
        rebind,
    }
}

/// What [`pinned_locals`] finds.
struct Pins {
    /// The bindings kept in slots, in order.
    pinned: Vec<usize>,
    /// `.await`s whose output borrows a local that cannot be kept in a
    /// slot, with that local.
    unpinnable: Vec<(usize, usize)>,
    /// Errors on borrows and `pin(..)` names the machine cannot honour.
    refused: Vec<syn::Error>,
    /// Pattern bindings to bind again as plain locals (see
    /// [`Layout::rebind`]).
    rebind: HashSet<String>,
}

/// Whether the body can be borrow-checked as written (see
/// [`Layout::checked`]). Its `.await`s (rewritten to calls) must not hide in
/// macro arguments that do not read as expressions. The copy is a closure
/// with the function's parameters (at most 12, for when one is `impl
/// Trait`: see `desugar_runtime::as_written_check`) and output (an `impl
/// Trait` in it is inferred, `_`).
fn checkable(function: &AsyncFn) -> bool {
    let opaque = quote::ToTokens::to_token_stream(&function.sig.inputs);
    let few = function.sig.inputs.len() <= 12 || !crate::names::idents_in(opaque).contains("impl");
    few && !awaits_in_macros(&function.body)
}

/// Whether an `.await` of the function sits inside macro arguments that do
/// not read as expressions.
fn awaits_in_macros(body: &syn::Block) -> bool {
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
fn method_receivers(expr: &Expr) -> Vec<String> {
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
fn captured_by_reference(expr: &Expr) -> HashSet<String> {
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
fn made_from(expr: &Expr) -> Option<String> {
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
fn is_into_iter(func: &Expr) -> bool {
    matches!(func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "into_iter"))
}

/// Whether an iterator made by `expr` yields references or copies:
/// `IntoIterator::into_iter(&items)`, `items.iter()`, `line.chars()`,
/// followed by adapters that keep that (`enumerate`, `rev`, `skip`, `take`,
/// `filter`, `copied`, ...).
fn iterates_views(expr: &Expr) -> bool {
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
fn strip_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => strip_parens(&p.expr),
        Expr::Group(g) => strip_parens(&g.expr),
        other => other,
    }
}

/// Where the bindings of `pat` matched against `scrutinee` come from:
/// `ref` bindings borrow the scrutinee, as `&scrutinee` would.
fn pattern_origin(pat: &syn::Pat, scrutinee: &Expr) -> Expr {
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
fn parts(expr: &Expr) -> Vec<Expr> {
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
fn is_tuple_constructor(func: &Expr) -> bool {
    matches!(strip_parens(func), Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident.to_string().starts_with(char::is_uppercase)))
}

/// The names an `.await` polls as futures: `fut` in `fut.await` or
/// `(&mut fut).await`, and the futures given to the combinators that race,
/// join or bound them (`select(a, b)`, `timeout(d, fut)`, `Box::pin(fut)`).
fn futures_awaited(future: &Expr) -> Vec<String> {
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
fn block_awaits(block: &syn::Block) -> bool {
    analyse::has_await(&analyse::block_expr(block))
}

/// The local a future was made from in place: `x` in `x` (a move),
/// `&mut x`, `x.as_mut()`, `Pin::new_unchecked(&mut x)`, `Box::pin(x)`.
fn future_made_from(origin: &Expr) -> Option<String> {
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
fn future_borrows(origin: &Expr) -> Vec<String> {
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
fn borrowed_local(expr: &Expr) -> Option<String> {
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
fn origin_borrows(origin: &Expr, name: &str) -> bool {
    borrowed_local(origin).is_some_and(|l| l == name)
        || parts(origin)
            .iter()
            .any(|part| borrowed_local(part).is_some_and(|l| l == name))
        || captured_by_reference(origin).iter().any(|c| c == name)
}

/// The names that receive an inner link of the method chain `future` is
/// (`tmp0` in `tmp0.header(x).send()`), not the awaited call itself, where
/// that link is not a well-known borrowing method.
fn chain_link_receivers(future: &Expr) -> HashSet<String> {
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
fn chain_argument_borrows(expr: &Expr) -> Vec<String> {
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
fn mentions_oneshot(tokens: &impl quote::ToTokens) -> bool {
    crate::names::idents_in(tokens.to_token_stream()).contains("oneshot")
}

/// Whether `func` is a standard function whose result borrows its
/// argument: `str::from_utf8(&buf)`, `String::from_utf8_lossy(&bytes)`,
/// `Path::new(&name)`, `OsStr::new(&name)`.
fn is_view_function(func: &Expr) -> bool {
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
fn is_constructor(func: &Expr) -> bool {
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
fn referenced_names(body: &syn::Block, receivers: bool) -> HashSet<String> {
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

/// Where the body resumes after await `k`: the node after it.
fn await_position(program: &Program, k: usize) -> (BlockId, usize) {
    for (b, block) in program.blocks.iter().enumerate() {
        for (i, node) in block.nodes.iter().enumerate() {
            if matches!(node, Node::Await(j) if *j == k) {
                return (b, i + 1);
            }
        }
    }
    unreachable!("every await is a node")
}

/// Whether code runs after construct `c` in a way that needs a state of its
/// own (a join point) rather than the jump its block ends with.
pub fn construct_needs_join(program: &Program, c: ConstructId) -> bool {
    let construct = &program.constructs[c];
    if is_inline_block(program, c) {
        return false;
    }
    let (block, index) = construct.at;
    let b = &program.blocks[block];
    index + 1 < b.nodes.len() || b.tail.is_some() || falls_through(program, block)
}

/// A plain block `{ ... }` (no label, not a `for`): its code is written
/// inline, and code after it follows directly.
pub fn is_inline_block(program: &Program, c: ConstructId) -> bool {
    let construct = &program.constructs[c];
    matches!(construct.kind, ConstructKind::Nested { .. })
        && construct.label.is_none()
        && construct.noun != "For"
}

/// Whether the end of `block` continues with code written right after it
/// (the block is an inline block), rather than with a jump or the end of
/// the function.
pub fn falls_through(program: &Program, block: BlockId) -> bool {
    matches!(program.blocks[block].owner, Owner::Nested(c) if is_inline_block(program, c))
}

/// `fetch_two` → `FetchTwo`, unless the function itself mentions a
/// `FetchTwo` (its own return type, say): the enum is an item in the body and
/// would shadow it, so it becomes `FetchTwoFuture` (or `FetchTwoFuture2`...).
fn enum_name(function: &AsyncFn) -> String {
    let used = function.idents();
    let base = camel(&function.sig.ident.to_string());
    if !used.contains(&base) {
        return base;
    }
    let mut candidate = format!("{base}Future");
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}Future{n}");
        n += 1;
    }
    candidate
}

/// `ty`, if it can be written as the type of a `let` in the body: not with
/// `impl Trait` or `_` in it.
fn rewritable_type(ty: &syn::Type) -> Option<syn::Type> {
    struct Writable(bool);
    impl<'ast> syn::visit::Visit<'ast> for Writable {
        fn visit_type(&mut self, ty: &'ast syn::Type) {
            match ty {
                syn::Type::ImplTrait(_) | syn::Type::Infer(_) | syn::Type::Macro(_) => {
                    self.0 = false
                }
                _ => syn::visit::visit_type(self, ty),
            }
        }
    }
    let mut v = Writable(true);
    syn::visit::Visit::visit_type(&mut v, ty);
    v.0.then(|| ty.clone())
}

/// Whether `expr` holds a branch or a loop (outside closures and `async`
/// blocks): code whose statements do not all run, in order, once.
/// Whether a macro's arguments read as expressions and one of them has
/// control flow ([`has_flow`]).
fn macro_has_flow(mac: &syn::Macro) -> bool {
    crate::rewrite::MacroExprs::parse(mac).is_some_and(|args| args.exprs.iter().any(has_flow))
}

fn has_flow(expr: &Expr) -> bool {
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
fn is_mut_reference(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => r.mutability.is_some(),
        syn::Type::Paren(p) => is_mut_reference(&p.elem),
        _ => false,
    }
}

/// Whether a parameter's written type is an `FnOnce`: `impl FnOnce(..)`,
/// or a type parameter bounded by `FnOnce` in `generics` (inline or in the
/// `where` clause).
fn is_fn_once(ty: &syn::Type, generics: &syn::Generics) -> bool {
    fn bounded(bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>) -> bool {
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
const VIEW_METHODS: &[&str] = &[
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
const OPTIONAL_VIEW_METHODS: &[&str] = &[
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
fn surely_a_view(init: &Expr) -> bool {
    fn optional_view(expr: &Expr) -> bool {
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
