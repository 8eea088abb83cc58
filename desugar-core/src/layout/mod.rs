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
//! The work is split by question:
//!
//! - `flow`: the flow graph and the facts at each node (liveness,
//!   ownership);
//! - `drops`: values kept only for their drop (drop flags, `Dying`
//!   holders, which written types surely have no drop);
//! - `pins`: which locals stay in place, in slots;
//! - `syntax`: what the syntax shows about borrows, views and moves.
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
use crate::rewrite::Relocated;

mod drops;
mod flow;
mod pins;
mod syntax;

use drops::*;
use flow::*;
use pins::*;
use syntax::*;
pub(crate) use syntax::{is_plain, let_patterns, place_root};

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
    /// (`let r = first(&items).await; tick().await; *r`). A dead one is
    /// marked too (a borrow of it must not outlive its move), but not
    /// as used: the borrows it holds may have gone stale, as natively.
    /// Empty when the copy cannot be written (see [`Layout::checked`]).
    pub relocated: Vec<Vec<Relocated>>,
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

/// The locals to keep in place for their whole scope: those
/// `#[desugar(pin(..))]` names, and those a `pin!` pins (see
/// [`crate::pin_macros`]).
fn pin_requests(function: &AsyncFn, args: &Args) -> Vec<Ident> {
    args.pin.iter().chain(&function.pinned).cloned().collect()
}

impl Layout {
    /// Computes the layout of `function`'s state machine.
    pub fn of(function: &AsyncFn, program: &Program, args: &Args) -> Layout {
        let (mut graph, start_bindings) = Self::graph(function, program, HashSet::new());
        graph.pin_requests = pin_requests(function, args);
        let facts = analyse_flow(&graph);
        let storage_for = needs_storage(function, program, &graph, &facts);
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
        } = pinned_locals(
            function,
            &graph,
            &facts,
            &stale_in_last_use(program, &graph, &facts),
        );
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
                // Forgotten (`!keep`): nothing of it is moved. Kept for its
                // drop: see `mark_dead_moves`.
                let mark = || Relocated {
                    ident: ident.clone(),
                    dead: !keep,
                };
                if !keep {
                    if let (StateKind::Await(k), true) = (kind, relocates) {
                        relocated[k].push(mark());
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
                    relocated[k].push(mark());
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
                let users = !graph.made_by_transform(id) && !construct_values.contains(&name);
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

impl Layout {
    /// The slot of binding `id`, if it is kept in one.
    pub fn slot(&self, id: usize) -> Option<&PinnedLocal> {
        self.pinned.iter().find(|p| p.binding == id)
    }
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
