//! Values kept only for their drop: the `Dying` holders of the held
//! locals, the moves into them where those die, the storage markers of
//! locals that were borrowed and moved, and the drops of a construct's head.

use super::*;

impl Emitter<'_> {
    /// `drop(x);` for the values a construct's head made that are dropped
    /// here, newest first, except those the head moved.
    /// A temporary kept in a slot (a later branch borrows it) is dropped by
    /// emptying its slot.
    pub(super) fn head_drops(&self, head: &[Ident], moved: &HashSet<String>) -> TokenStream {
        let locals = hidden("locals");
        let drops = head
            .iter()
            .rev()
            .filter(|ident| !moved.contains(&ident.to_string()))
            .map(|ident| {
                let slot = self
                    .layout
                    .pinned
                    .iter()
                    .find(|p| self.layout.bindings[p.binding].ident == *ident);
                match slot {
                    Some(p) => self.slot_clear(p, &locals),
                    None => quote!(::core::mem::drop(#ident);),
                }
            });
        quote!(#(#drops)*)
    }

    /// Writes an arm twice: first with a `Dying` holder for every held
    /// local, then with holders only for those that went to theirs in the
    /// first (a local kept across every `.await` of the arm needs none).
    pub(super) fn arm_with_holders(&self, arm: impl Fn() -> TokenStream) -> TokenStream {
        if self.layout.held.is_empty() {
            return arm();
        }
        self.kept.borrow_mut().clear();
        *self.holders_for.borrow_mut() = None;
        arm();
        *self.holders_for.borrow_mut() = Some(self.kept.take());
        let code = arm();
        *self.holders_for.borrow_mut() = None;
        code
    }

    /// Whether held local `id` gets a `Dying` holder in the arm being
    /// written: every held local the first time it is written, then only
    /// those that went to theirs (see [`Emitter::arm_with_holders`]).
    pub(super) fn wants_holder(&self, id: usize) -> bool {
        self.layout.held.contains(&id)
            && self
                .holders_for
                .borrow()
                .as_ref()
                .is_none_or(|only| only.contains(&id))
    }

    /// `let mut l_dying = Dying::of(&l);`: a `Dying` holder next to each
    /// of `ids` that is held (see [`Layout::held`]), declared with it (by a
    /// `let`, or by the pattern of the branch being entered) or restored
    /// as its value.
    pub(super) fn holder_lets(&self, ids: &[usize], arm: &mut Arm) -> TokenStream {
        let mut out = TokenStream::new();
        for &id in ids.iter().filter(|&&id| self.wants_holder(id)) {
            let ident = &self.layout.bindings[id].ident;
            let holder = dying_ident(ident);
            out.extend(quote!(let mut #holder = ::desugar_runtime::Dying::of(&#ident);));
            arm.holders.insert(id);
        }
        out
    }

    /// Before node `i` of `block` (or at its end): the held locals that are
    /// dead from there and still owned on the path being written go to
    /// their holders (see [`Layout::dying`]):
    ///
    /// ```text
    /// if ::desugar_runtime::needs_drop_of(&l) { l_dying.keep(l); }
    /// ```
    pub(super) fn keeps(&self, block: BlockId, i: usize, arm: &mut Arm) -> TokenStream {
        let mut out = TokenStream::new();
        for &id in self.layout.dying.get(&(block, i)).into_iter().flatten() {
            let owned = arm.declared.contains(&id) || arm.plain.contains(&id);
            if !owned
                || !arm.holders.contains(&id)
                || arm.moved.contains(&id)
                || !arm.dying.insert(id)
            {
                continue;
            }
            self.kept.borrow_mut().insert(id);
            let ident = &self.layout.bindings[id].ident;
            let holder = dying_ident(ident);
            // On the next `.await`'s tokens: an error here (a method the
            // macro took for a borrow moved the value: "borrow of moved
            // value") points at the `.await` that keeps it.
            let nodes = &self.program.blocks[block].nodes;
            let span = nodes
                .get(i..)
                .into_iter()
                .flatten()
                .find_map(|node| match node {
                    Node::Await(k) => Some(self.program.awaits[*k].span),
                    _ => None,
                })
                .unwrap_or_else(proc_macro2::Span::call_site);
            let mut ident = ident.clone();
            ident.set_span(span.resolved_at(ident.span()));
            out.extend(quote::quote_spanned! {span=>
                if ::desugar_runtime::needs_drop_of(&#ident) {
                    #holder.keep(#ident);
                }
            });
        }
        out
    }

    /// `let rc_storage = storage_of(&rc);` for the bindings node `i` of
    /// `block` declares that need one (see [`Layout::storage`]).
    pub(super) fn storage_lets(&self, block: BlockId, i: usize) -> TokenStream {
        let mut out = TokenStream::new();
        for id in self.layout.declares.get(&(block, i)).into_iter().flatten() {
            if let Some(&storage) = self.layout.storage.get(id) {
                let ident = &self.layout.bindings[*id].ident;
                let storage = &self.layout.bindings[storage].ident;
                out.extend(quote!(let #storage = ::desugar_runtime::storage_of(&#ident);));
            }
        }
        out
    }
}

/// `l_dying`: the `Dying` holder of the local `l` (see [`Layout::dying`]).
pub(super) fn dying_ident(local: &Ident) -> Ident {
    crate::names::companion(local, "dying")
}
