//! Values kept only for their drop: drop flags and dying locals.
//!
//! In: the [`Graph`], its [`Facts`] and the states. Out: which bindings may
//! get a drop flag ([`Flags`]), which locals get a `Dying` holder and where
//! they die ([`Layout::held`], [`Layout::dying`]), the borrow-checked copy's
//! marks for dead values, and which written types surely have no drop.

use super::*;

/// A local that some state keeps behind a drop flag is kept behind one by
/// every state that keeps it dead, too (always set there): a state takes a
/// flag from the one before as it is, as bytes, and could not make one from
/// a [`Saved::dead`] value's bytes.
pub(super) fn flag_everywhere(states: &mut [State]) {
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
pub(super) fn held_locals(
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
                && !graph.made_by_transform(id)
                && !construct_values.contains(&graph.bindings[id].ident.to_string())
        })
        .collect()
}

/// Where the [`Layout::held`] locals are dead (see [`Layout::dying`]): the
/// positions before each node of each block, and the block's end, with
/// the held locals in scope and not live there, nor any value made from
/// them, which may borrow them (`let r = &s;`: `s` stays in place while
/// `r` is used).
pub(super) fn dying_points(
    graph: &Graph,
    facts: &Facts,
    held: &HashSet<usize>,
) -> HashMap<(BlockId, usize), Vec<usize>> {
    let mut dying = HashMap::new();
    if held.is_empty() {
        return dying;
    }
    // what may point into each held local: the values that borrow it
    // (`&v`, `v.iter()`, a getter `v.name()`, a closure using it), then the
    // values made from those (not arithmetic, a cast or a dereference,
    // which make a new value), and so on; not a copy of what it holds
    // (`let r = v.1;`, `let n = *v.1;`)
    let mut borrowers: HashMap<usize, HashSet<usize>> = HashMap::new();
    for &v in held {
        let name = graph.bindings[v].ident.to_string();
        let users = borrowers.entry(v).or_default();
        let mut todo: Vec<usize> = graph
            .origins
            .iter()
            .filter(|&(&b, origin)| {
                b != v
                    && graph.origin_names.get(&b).and_then(|n| n.get(&name)) == Some(&v)
                    && (origin_borrows(origin, &name)
                        || getter_receiver(origin).is_some_and(|r| r == name))
            })
            .map(|(&b, _)| b)
            .collect();
        users.extend(todo.iter().copied());
        while let Some(from) = todo.pop() {
            for (&b, names) in &graph.origin_names {
                let made_from = names.values().any(|&n| n == from);
                if made_from
                    && !graph.origins.get(&b).is_some_and(makes_a_new_value)
                    && users.insert(b)
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
            let users = &borrowers[&id];
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

/// Whether `expr` makes a value that holds no pointer into the locals it
/// mentions: a literal, arithmetic, a comparison, a negation, a
/// dereference (`*l.1` copies what `l.1` points to, which is not `l`) or a
/// cast to a number (`*p.1 + p.2`, `rf.len() as i64`; not a cast to a
/// pointer).
pub(super) fn makes_a_new_value(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Lit(_) | Expr::Binary(_) | Expr::Unary(_) => true,
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
/// it still used after the `.await` is refused rather than left dangling. A
/// held local moves there as bytes (from its holder), so a borrow in it may
/// have gone stale, as natively: it is marked as dead
/// ([`Relocated::dead`]). Any other (a parameter) moves as itself: a stale
/// borrow in it is refused too.
pub(super) fn mark_dead_moves(
    relocated: &mut [Vec<Relocated>],
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
        marks.retain(|m| !unmarked.contains(&m.ident));
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
            if !marked {
                continue;
            }
            let dead = held.contains(&s.binding);
            match relocated[k].iter_mut().find(|m| m.ident == *ident) {
                Some(mark) => mark.dead = dead,
                None => relocated[k].push(Relocated {
                    ident: ident.clone(),
                    dead,
                }),
            }
        }
    }
}

/// The bindings moved on some paths only through a node that moves them
/// (`if c { take(msg) }`, `let k = if c { None } else { Some(other) };`):
/// after it, the machine cannot tell whether it still owns them. With the
/// set of bindings that may own a value after each node looked at.
pub(super) fn unsure_moves(graph: &Graph, facts: &Facts) -> (HashSet<usize>, HashMap<usize, Set>) {
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
    (unsure, owned_after)
}

/// Which bindings can have a drop flag (see [`Saved::flagged`]): the
/// moves of each one must be sure where they happen (on every path through
/// the node that moves it), so that the code storing a state knows whether
/// it still owns the value (`Some(x)`) or not (`None`). A binding moved on
/// some paths inside one statement (`if c { drop(x) }`), assigned again,
/// or pinned in a slot gets none.
pub(super) struct Flags {
    /// Bindings that can be flagged, by id.
    pub(super) flaggable: Vec<bool>,
    /// For each node, the set of bindings that may own a value after it.
    pub(super) owned_after: HashMap<usize, Set>,
}

impl Flags {
    pub(super) fn of(graph: &Graph, facts: &Facts, pinned: &[usize]) -> Flags {
        let (unsure, owned_after) = unsure_moves(graph, facts);
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
    pub(super) fn flagged(&self, id: usize, node: usize, facts: &Facts) -> bool {
        self.flaggable[id]
            && facts.owned[node].contains(id)
            && facts.moved[node].contains(id)
            && !facts.live[node].contains(id)
    }

    /// Whether a state at `node` keeps binding `id`: it may be read later,
    /// surely owns its value, or owns it behind a drop flag.
    pub(super) fn kept(&self, id: usize, node: usize, facts: &Facts) -> bool {
        facts.live[node].contains(id)
            || facts.owned[node].contains(id) && !facts.moved[node].contains(id)
            || self.flagged(id, node, facts)
    }

    /// The recorded moves, keeping the sure ones of flaggable bindings.
    pub(super) fn sure<K: std::hash::Hash + Eq>(
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
pub(super) fn is_literal(expr: &Expr) -> bool {
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
pub(super) fn surely_copy(ty: &syn::Type) -> bool {
    pub(super) fn no_unique_borrow(ty: &syn::Type) -> bool {
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
pub(super) fn nothing_to_drop(ty: &syn::Type) -> bool {
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

/// The locals that could go stale in the very statement that uses them
/// last: a statement mentions the local and a local its value was made from
/// (`h.v.push(*l.1 + 1);` with `let l = (name, h.peek());`), and after it
/// the local is dead but still owned where a state is stored; or the
/// statement mentions what it was made from and jumps out (`if done {
/// h.v.push(n); break; }`), maybe to a state that keeps it dead. Its `Dying`
/// holder could only take it after that statement, once the `push` may have
/// left the borrow in it dangling, and moving it then is undefined
/// behaviour: such a local stays in place instead, in a slot (see
/// `pinned_locals`), as the compiler keeps every local.
pub(super) fn stale_in_last_use(program: &Program, graph: &Graph, facts: &Facts) -> HashSet<usize> {
    let mut dead_at_a_state = HashSet::new();
    for (_, node, scope) in &graph.points {
        if !facts.reachable[*node] {
            continue;
        }
        for &id in scope {
            if facts.owned[*node].contains(id) && !facts.live[*node].contains(id) {
                dead_at_a_state.insert(id);
            }
        }
    }
    // what each one was made from, and what those were made from
    let made_from = |v: usize| -> HashSet<usize> {
        let mut roots: HashSet<usize> = HashSet::new();
        let mut todo = vec![v];
        while let Some(from) = todo.pop() {
            for &r in graph
                .origin_names
                .get(&from)
                .into_iter()
                .flat_map(|n| n.values())
            {
                if r != v && roots.insert(r) {
                    todo.push(r);
                }
            }
        }
        roots
    };
    let mut stale = HashSet::new();
    for &v in &dead_at_a_state {
        // (only the locals that get a holder: see `held_locals`)
        if v < graph.param_count || graph.made_by_transform(v) {
            continue;
        }
        let roots: Vec<String> = made_from(v)
            .into_iter()
            .map(|r| graph.bindings[r].ident.to_string())
            .collect();
        if roots.is_empty() {
            continue;
        }
        let name = graph.bindings[v].ident.to_string();
        let last_use_with_a_root = program.blocks.iter().enumerate().any(|(b, block)| {
            block.nodes.iter().enumerate().any(|(j, node)| {
                let Node::Stmt(stmt) = node else {
                    return false;
                };
                // (what a `let` declares is no use of it)
                let tokens = match stmt {
                    Stmt::Local(local) => local
                        .init
                        .iter()
                        .flat_map(|init| {
                            let diverge = init.diverge.as_ref().map(|(_, d)| &**d);
                            [Some(&*init.expr), diverge].into_iter().flatten()
                        })
                        .map(quote::ToTokens::to_token_stream)
                        .collect(),
                    other => quote::ToTokens::to_token_stream(other),
                };
                let names = crate::names::name_counts(tokens);
                let dead_after = match graph.after.get(&(b, j)) {
                    Some(Some(last)) => {
                        !graph.succ[*last].iter().any(|&n| facts.live[n].contains(v))
                    }
                    _ => false,
                };
                // (a `break` or `continue` in it may go to a state that
                // keeps the local dead: `if done { h.v.push(n); break; }`)
                let jumps = names.contains_key("break") || names.contains_key("continue");
                roots.iter().any(|r| names.contains_key(r))
                    && (names.contains_key(&name) && dead_after || jumps)
            })
        });
        if last_use_with_a_root {
            stale.insert(v);
        }
    }
    stale
}
