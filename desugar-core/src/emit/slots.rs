//! Locals kept in place, in slots next to the states: putting a value in
//! its slot (`let items = locals.items.put(..)`), the `ScopeEnd` values that
//! empty a slot where the local's scope ends in a poll, and what an arm
//! declares for the slots in scope when it begins.

use super::*;

impl Emitter<'_> {
    /// For an arm of state `index` (or `Start`): binds the slots' pointers of
    /// the pinned locals in scope that `code` uses, and empties the slots of
    /// those no longer in scope.
    pub(super) fn pinned_prelude(&self, in_scope: &[usize], code: &TokenStream) -> TokenStream {
        let locals = hidden("locals");
        let mut out = TokenStream::new();
        for f in self.slot_fields() {
            let out_of_scope = match f {
                SlotField::Own(p) => !in_scope.contains(&p.binding),
                SlotField::Shared(group) => !group
                    .members
                    .iter()
                    .any(|&i| in_scope.contains(&self.layout.pinned[i].binding)),
            };
            if out_of_scope {
                out.extend(self.clear_field(&f));
            }
        }
        for p in &self.layout.pinned {
            let ident = &self.layout.bindings[p.binding].ident;
            if in_scope.contains(&p.binding) && mentions_any(code, std::slice::from_ref(ident)) {
                let slot = self.slot_place(p, &locals);
                out.extend(quote!(let #ident = #slot.as_ptr();));
            }
        }
        out
    }

    /// `let x = value;` for a pinned local: `let x = locals.x.put(value);`.
    pub(super) fn pin_let(&self, id: usize, pat: &syn::Pat, value: TokenStream) -> TokenStream {
        let locals = hidden("locals");
        let p = self.layout.slot(id).expect("a pinned binding");
        let slot = self.slot_place(p, &locals);
        let ident = &self.layout.bindings[id].ident;
        let value = match pat {
            syn::Pat::Type(t) => {
                let ty = &t.ty;
                quote!({ let value: #ty = #value; value })
            }
            _ => value,
        };
        quote!(let #ident = #slot.put(#value);)
    }

    /// At the start of state `index`'s arm, after its values are restored:
    /// the locals in slots in scope there get their `ScopeEnd` values
    /// (`let items_scope = locals.items.scope();`), and the held locals
    /// restored as their value their `Dying` holders (`let mut l_dying =
    /// Dying::of(&l);`, see [`Layout::held`]), in declaration order with
    /// the restored values newer than one of them, which are bound again
    /// (`let total = total;`). Then every value of the arm is a local of
    /// the poll declared in the compiler's order, and a `return`, `?` or
    /// panic drops them, and empties the slots, newest first.
    pub(super) fn scope_prelude(&self, index: usize, arm: &mut Arm) -> TokenStream {
        let state = &self.layout.states[index];
        let slots: Vec<usize> = self
            .layout
            .pinned
            .iter()
            .filter(|p| !p.copy && state.pinned.contains(&p.binding))
            .map(|p| p.binding)
            .collect();
        let held: Vec<usize> = state
            .saved
            .iter()
            .filter(|s| !s.dead && !s.flagged && self.wants_holder(s.binding))
            .map(|s| s.binding)
            .collect();
        let Some(&oldest) = slots.iter().chain(&held).min() else {
            return TokenStream::new();
        };
        let mut ids: Vec<usize> = slots.clone();
        ids.extend(
            state
                .saved
                .iter()
                .map(|s| s.binding)
                .filter(|&id| id > oldest && !self.layout.trivial.contains(&id)),
        );
        ids.extend(held.iter().filter(|&&id| id == oldest));
        ids.sort_unstable();
        ids.dedup();
        arm.scoped.extend(&slots);
        let mut lines = TokenStream::new();
        for id in ids {
            let binding = &self.layout.bindings[id];
            let ident = &binding.ident;
            if slots.contains(&id) {
                lines.extend(self.scope_end(id).expect("a slot that is not a `CopySlot`"));
                continue;
            }
            if id > oldest {
                let mutability = binding.mutable.then(|| quote!(mut));
                lines.extend(quote!(let #mutability #ident = #ident;));
            }
            if held.contains(&id) {
                lines.extend(self.holder_lets(&[id], arm));
            }
        }
        lines
    }

    /// `let x_scope = locals.x.scope();` right after a local is put in its
    /// slot (not for a `CopySlot`: nothing to drop): the end of its scope
    /// as a local of this poll, so that a `return`, a `?` or a panic before
    /// the next `.await` empties the slot where the compiler drops the
    /// local, newest first with the poll's other locals (see
    /// `desugar_runtime::Slot::scope`).
    pub(super) fn scope_end(&self, id: usize) -> Option<TokenStream> {
        let p = self.layout.slot(id)?;
        if p.copy {
            return None;
        }
        let locals = hidden("locals");
        let scope = scope_ident(&self.layout.bindings[id].ident);
        Some(match p.shared {
            Some(group) => {
                let group = &self.layout.shared[group];
                let (place, name) = (&group.field, &group.name);
                let clear = quote::format_ident!("clear_{}", p.field);
                quote!(let #scope = ::desugar_runtime::ScopeEnd::of(&mut #locals.#place, #name::#clear);)
            }
            None => {
                let field = &p.field;
                quote!(let #scope = #locals.#field.scope();)
            }
        })
    }

    /// `x_scope.keep();` for the locals this arm put in slots that state
    /// `index` still has in scope: stored, the state borrows them.
    pub(super) fn keep_scoped(&self, index: usize, arm: &Arm) -> TokenStream {
        let state = &self.layout.states[index];
        let keeps = arm
            .scoped
            .iter()
            .filter(|id| state.pinned.contains(id))
            .map(|&id| {
                let scope = scope_ident(&self.layout.bindings[id].ident);
                quote!(#scope.keep();)
            });
        quote!(#(#keeps)*)
    }

    /// `locals.x.clear();` for the pinned locals declared in `block`, newest
    /// first: with `newer`, those declared after one of the block's other
    /// locals (written before the block ends, so that they are dropped
    /// before it), else the others (written once the block has ended, its
    /// other locals dropped by then).
    pub(super) fn clear_pinned_of(&self, block: BlockId, newer: bool) -> TokenStream {
        let locals = hidden("locals");
        let count = self.program.blocks[block].nodes.len();
        let oldest_other = (0..count)
            .flat_map(|i| self.layout.declares.get(&(block, i)).into_iter().flatten())
            .copied()
            .filter(|id| !self.layout.pinned.iter().any(|p| p.binding == *id))
            .min();
        let mut out = TokenStream::new();
        for i in (0..count).rev() {
            if let Some(id) = self.pinned_declared(block, i) {
                if oldest_other.is_some_and(|o| id > o) != newer {
                    continue;
                }
                if let Some(p) = self.layout.slot(id) {
                    out.extend(self.slot_clear(p, &locals));
                }
            }
        }
        out
    }

    /// The pinned binding node `(block, i)` declares, if any.
    pub(super) fn pinned_declared(&self, block: BlockId, i: usize) -> Option<usize> {
        // An `.await`'s output is put in its slot when its state resumes.
        if matches!(self.program.blocks[block].nodes[i], Node::Await(_)) {
            return None;
        }
        self.layout
            .declares
            .get(&(block, i))
            .into_iter()
            .flatten()
            .copied()
            .find(|id| self.layout.pinned.iter().any(|p| p.binding == *id))
    }
}

/// `items_scope`: the `ScopeEnd` value of the local `items` in a slot.
pub(super) fn scope_ident(local: &Ident) -> Ident {
    crate::names::companion(local, "scope")
}
