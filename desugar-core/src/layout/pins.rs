//! Which locals stay in place: slots next to the states.
//!
//! In: the [`Graph`] and its [`Facts`]. Out: the locals something borrows
//! across an `.await`, kept in a slot rather than moved with the states
//! ([`pinned_locals`]), and the slots that take turns in one place
//! ([`share_slots`]).

use super::*;

/// Groups the slots of locals never in scope together (no state has two
/// of them in scope: `scopes` are the bindings in scope at each state) into
/// [`SharedSlots`]. `CopySlot`s stay apart (they have no tag to share).
/// The locals struct drops its slots newest first; a group stands there
/// for its newest member, so a group is only made when every other slot
/// in scope with one of its members is older than all of them or newer
/// than all of them: then the order is the compiler's whichever member
/// holds a value.
pub(super) fn share_slots(
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
pub(super) fn pinned_locals(
    function: &AsyncFn,
    graph: &Graph,
    facts: &Facts,
    stale_in_last_use: &HashSet<usize>,
) -> Pins {
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
            let getter_on_local = getter_receiver(origin)
                .filter(|_| graph.plain.contains(&id) && !graph.temps.contains(&id));
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
                    && !graph.made_by_transform(l)
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
                        if strict || !checked_by_copy(l) && !graph.made_by_transform(l) {
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
    // A local whose borrow may go stale in the statement that uses it last
    // (see `stale_in_last_use`).
    for &l in stale_in_last_use {
        if !pinned.contains(&l) && pinnable(l) {
            pinned.push(l);
        }
    }
    // A local moved on some paths only inside one statement (`if give {
    // take(msg) }`) and still in scope at a later state: natively it is
    // kept with a drop flag to its scope's end. That flag is decided inside
    // the statement, where no state can record it, so the local stays in a
    // slot instead: `take()` empties the slot where it moves, and the slot
    // is its drop flag.
    let (unsure, _) = unsure_moves(graph, facts);
    let maybe_moved: HashSet<usize> = graph
        .points
        .iter()
        .filter(|(_, node, _)| facts.reachable[*node])
        .flat_map(|(_, node, scope)| {
            scope
                .iter()
                .copied()
                .filter(|&l| facts.owned[*node].contains(l) && facts.moved[*node].contains(l))
        })
        .collect();
    let mut to_slot: Vec<usize> = maybe_moved
        .into_iter()
        .filter(|&l| {
            unsure.contains(&l)
                && !graph.trivial.contains(&l)
                && !pinned.contains(&l)
                && pinnable(l)
                && slot_takes_every_move(&function.body, &graph.bindings[l].ident.to_string())
        })
        .collect();
    pinned.append(&mut to_slot);
    pinned.sort_unstable();
    Pins {
        pinned,
        unpinnable,
        refused,
        rebind,
    }
}

/// What [`pinned_locals`] finds.
pub(super) struct Pins {
    /// The bindings kept in slots, in order.
    pub(super) pinned: Vec<usize>,
    /// `.await`s whose output borrows a local that cannot be kept in a
    /// slot, with that local.
    pub(super) unpinnable: Vec<(usize, usize)>,
    /// Errors on borrows and `pin(..)` names the machine cannot honour.
    pub(super) refused: Vec<syn::Error>,
    /// Pattern bindings to bind again as plain locals (see
    /// [`Layout::rebind`]).
    pub(super) rebind: HashSet<String>,
}
