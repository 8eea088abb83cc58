//! The types the machine is made of: the state enum (one variant per
//! state, each field a type parameter), the locals struct holding the
//! slots, their `Send` impls, and the drop order when the future is dropped
//! while it waits (`DropInOrder`).
//!
//! In: the [`Layout`]. Out: their definitions, and the initial values.

use super::*;

impl Emitter<'_> {
    pub(super) fn enum_def(&self) -> TokenStream {
        let name = &self.layout.enum_name;
        let params = &self.layout.type_params;
        let generics = if params.is_empty() {
            quote!()
        } else {
            quote!(<#(#params),*>)
        };
        let fn_name = self.function.sig.ident.to_string();
        let send = send_impl(name, params, &self.param_origins());
        let tail_temporaries = self.tail_temporaries_before_2024();
        let extra = self
            .layout
            .states
            .iter()
            .any(|s| s.reachable && !matches!(s.kind, StateKind::Await(_)));
        let doc_enum = if extra {
            format!(
                " The states of `{fn_name}`: `Start`, one state per `.await`, the loop heads and \
                 join points its control flow needs, and `Done`."
            )
        } else {
            format!(" The states of `{fn_name}`: `Start`, one state per `.await`, and `Done`.")
        };
        let start_doc = if self.layout.start.is_empty() {
            " Created, not polled yet."
        } else {
            " Created, not polled yet: holds the arguments."
        };
        let start = if self.layout.start.is_empty() {
            quote!(Start,)
        } else {
            let fields = self.layout.start.iter().map(|(f, t)| quote!(#f: #t));
            quote!(Start { #(#fields),* },)
        };
        let states = self
            .layout
            .states
            .iter()
            .filter(|s| s.reachable)
            .map(|state| {
                let variant = &state.name;
                let mut fields: Vec<TokenStream> = Vec::new();
                if let Some((awaitee, param)) = &state.awaitee {
                    fields.push(quote!(#awaitee: ::desugar_runtime::Awaitee<#param>));
                }
                // newest first, except that before 2024 the temporaries of
                // the body's tail outlive its locals
                let mut saved: Vec<&layout::Saved> = state.saved.iter().rev().collect();
                saved.sort_by_key(|s| tail_temporaries.contains(&s.binding));
                fields.extend(saved.into_iter().map(|s| {
                    let field = &s.field;
                    let param = &s.param;
                    if s.flagged {
                        return quote!(#field: ::desugar_runtime::DropFlag<#param>);
                    }
                    if s.dead {
                        return quote!(#field: ::desugar_runtime::DropOnly<#param>);
                    }
                    quote!(#field: #param)
                }));
                let storages: Vec<usize> = self.layout.storage.values().copied().collect();
                let (storage, kept): (Vec<&layout::Saved>, Vec<&layout::Saved>) = state
                    .saved
                    .iter()
                    .partition(|s| storages.contains(&s.binding));
                let (dead, kept): (Vec<&layout::Saved>, Vec<&layout::Saved>) =
                    kept.into_iter().partition(|s| s.dead);
                let kept: Vec<String> = kept
                    .iter()
                    .filter(|s| !s.flagged)
                    .map(|s| format!("`{}`", s.field))
                    .collect();
                let dead: Vec<String> = dead.iter().map(|s| format!("`{}`", s.field)).collect();
                let storage: Vec<String> =
                    storage.iter().map(|s| format!("`{}`", s.field)).collect();
                let mut doc = match state.kind {
                    StateKind::Await(k) => {
                        format!(" Waiting for `{}`", compact(&self.program.awaits[k].future))
                    }
                    StateKind::LoopHead(c) => {
                        format!(
                            " At the top of the {}",
                            self.program.constructs[c].description()
                        )
                    }
                    StateKind::Join(c) => {
                        format!(" After the {}", self.program.constructs[c].description())
                    }
                };
                if kept.is_empty() {
                    doc.push('.');
                } else {
                    doc.push_str(&format!("; keeps {} for later.", kept.join(", ")));
                }
                let flagged: Vec<String> = state
                    .saved
                    .iter()
                    .filter(|s| s.flagged)
                    .map(|s| format!("`{}`", s.field))
                    .collect();
                if !flagged.is_empty() {
                    doc.push_str(&format!(
                        " {}: not read again, and moved out on some paths here (or to \
                     a later state), so kept behind a drop flag (`DropFlag`, empty \
                     where it was moved), as rustc does, so that it is still dropped \
                     where its scope ends.",
                        flagged.join(", ")
                    ));
                }
                if !dead.is_empty() {
                    doc.push_str(&format!(
                        " {}: not read again, kept only to be dropped where its scope \
                     ends, and only if its type has a drop (`DropOnly`), as rustc does.",
                        dead.join(", ")
                    ));
                }
                if !storage.is_empty() {
                    doc.push_str(&format!(
                        " {}: zero-sized, the type of a local that was borrowed and then \
                     moved; rustc keeps such a local's storage until its scope ends, \
                     so its type still counts for `Send`.",
                        storage.join(", ")
                    ));
                }
                let body = if fields.is_empty() {
                    quote!()
                } else {
                    quote!({ #(#fields),* })
                };
                quote! {
                    #[doc = #doc]
                    #variant #body,
                }
            });
        quote! {
            #[doc = #doc_enum]
            enum #name #generics {
                #[doc = #start_doc]
                #start
                #(#states)*
                /// Finished: polling again panics.
                Done,
                /// A poll panicked: polling again panics.
                Poisoned,
            }
            /// A panic during a poll drops what the state holds.
            impl #generics ::desugar_runtime::Poison for #name #generics {
                fn poison(&mut self) {
                    *self = #name::Poisoned;
                }
            }
            #send
        }
    }

    /// Where each type parameter of the enum comes from in the user's code:
    /// the parameter, the local a state keeps, or the `.await` whose
    /// sub-future a state holds.
    pub(super) fn param_origins(&self) -> Vec<(Ident, Span)> {
        let mut origins: Vec<(Ident, Span)> = self
            .layout
            .start
            .iter()
            .map(|(field, param)| (param.clone(), field.span()))
            .collect();
        for state in self.layout.states.iter().filter(|s| s.reachable) {
            if let (Some((_, param)), StateKind::Await(k)) = (&state.awaitee, state.kind) {
                origins.push((param.clone(), self.program.awaits[k].span));
            }
            for saved in &state.saved {
                // a storage field (`rc_storage`) stands for the local it
                // was made from
                let binding = self
                    .layout
                    .storage
                    .iter()
                    .find(|(_, &storage)| storage == saved.binding)
                    .map_or(saved.binding, |(&local, _)| local);
                let span = self.layout.bindings[binding].ident.span();
                origins.push((saved.param.clone(), span));
            }
        }
        origins
    }

    /// `struct FetchLocals<Items> { items: Slot<Items> }`: the locals other
    /// values borrow across an `.await`.
    pub(super) fn locals_def(&self) -> TokenStream {
        let name = locals_name(&self.layout.enum_name);
        // newest first: fields are dropped in order, locals newest first
        let fields = self.slot_fields().into_iter().map(|f| match f {
            SlotField::Own(p) => {
                let (field, param, slot) = (&p.field, &p.param, slot_type(p));
                quote!(#field: ::desugar_runtime::#slot<#param>)
            }
            SlotField::Shared(group) => {
                let (field, ty) = (&group.field, &group.name);
                let params = group.members.iter().map(|&i| &self.layout.pinned[i].param);
                quote!(#field: #ty<#(#params),*>)
            }
        });
        let shared = self
            .layout
            .shared
            .iter()
            .map(|group| self.shared_def(group));
        let doc = format!(
            " The locals of `{}` that other values borrow across an `.await`: they stay \
             in one place while the states change around them.",
            self.function.sig.ident
        );
        let params: Vec<Ident> = self.layout.pinned.iter().map(|p| p.param.clone()).collect();
        let origins: Vec<(Ident, Span)> = self
            .layout
            .pinned
            .iter()
            .map(|p| {
                (
                    p.param.clone(),
                    self.layout.bindings[p.binding].ident.span(),
                )
            })
            .collect();
        let send = send_impl(&name, &params, &origins);
        quote! {
            #[doc = #doc]
            struct #name<#(#params),*> {
                #(#fields,)*
            }
            #send
            #(#shared)*
        }
    }

    /// The fields of the locals struct, newest first (a group of slots
    /// taking turns stands for its newest member).
    pub(super) fn slot_fields(&self) -> Vec<SlotField<'_>> {
        let mut fields: Vec<(usize, SlotField<'_>)> = self
            .layout
            .pinned
            .iter()
            .filter(|p| p.shared.is_none())
            .map(|p| (p.binding, SlotField::Own(p)))
            .chain(self.layout.shared.iter().map(|group| {
                let newest = group
                    .members
                    .iter()
                    .map(|&i| self.layout.pinned[i].binding)
                    .max();
                (newest.unwrap_or(0), SlotField::Shared(group))
            }))
            .collect();
        fields.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
        fields.into_iter().map(|(_, f)| f).collect()
    }

    /// The enum of slots taking turns in one place (see
    /// [`crate::layout::SharedSlots`]):
    ///
    /// ```text
    /// #[repr(u8)]
    /// enum TwoLoopsAOrB<A, B> { A(Slot<A>), B(Slot<B>) }
    /// impl<A, B> TwoLoopsAOrB<A, B> {
    ///     fn a(&mut self) -> &mut Slot<A> { .. }   // makes `a`'s the one held
    ///     fn clear_a(&mut self) { .. }             // if `a`'s is the one held
    ///     fn b(&mut self) -> &mut Slot<B> { .. }
    ///     fn clear_b(&mut self) { .. }
    ///     fn clear_current(&mut self) { .. }
    /// }
    /// ```
    pub(super) fn shared_def(&self, group: &crate::layout::SharedSlots) -> TokenStream {
        let name = &group.name;
        let members: Vec<&crate::layout::PinnedLocal> = group
            .members
            .iter()
            .map(|&i| &self.layout.pinned[i])
            .collect();
        let params: Vec<&Ident> = members.iter().map(|p| &p.param).collect();
        let listed: Vec<String> = members.iter().map(|p| format!("`{}`", p.field)).collect();
        let doc = format!(
            " The slots of {}: never in scope at the same time, they take turns in one \
             place, as the compiler overlaps such locals. The tag is apart from the \
             values (`repr(u8)`): reading it reads nothing a borrow points to.",
            listed.join(", ")
        );
        let accessors = members.iter().map(|p| {
            let (field, param) = (&p.field, &p.param);
            let clear = quote::format_ident!("clear_{}", field);
            let doc = format!(
                " The slot of `{field}`, made the one held (the others are empty then: \
                 their scopes have ended)."
            );
            let clear_doc = format!(" Empties the slot of `{field}`, if it is the one held.");
            quote! {
                #[doc = #doc]
                fn #field(&mut self) -> &mut ::desugar_runtime::Slot<#param> {
                    if !::core::matches!(self, Self::#param(_)) {
                        *self = Self::#param(::desugar_runtime::Slot::empty());
                    }
                    match self {
                        Self::#param(slot) => slot,
                        _ => ::core::unreachable!(),
                    }
                }
                #[doc = #clear_doc]
                fn #clear(&mut self) {
                    if let Self::#param(slot) = self {
                        slot.clear();
                    }
                }
            }
        });
        quote! {
            #[doc = #doc]
            #[repr(u8)]
            enum #name<#(#params),*> {
                #(#params(::desugar_runtime::Slot<#params>),)*
            }
            #[allow(dead_code, non_snake_case)]
            impl<#(#params),*> #name<#(#params),*> {
                #(#accessors)*
                /// Empties the slot held.
                fn clear_current(&mut self) {
                    match self {
                        #(Self::#params(slot) => slot.clear(),)*
                    }
                }
            }
        }
    }

    /// Where the slot of `p` is reached from `base` (`locals`, or `self`
    /// inside the locals struct's impl): `locals.items`, or
    /// `locals.a_or_b.a()` for one taking turns with others.
    pub(super) fn slot_place(
        &self,
        p: &crate::layout::PinnedLocal,
        base: &impl ToTokens,
    ) -> TokenStream {
        let field = &p.field;
        match p.shared {
            Some(group) => {
                let group = &self.layout.shared[group].field;
                quote!(#base.#group.#field())
            }
            None => quote!(#base.#field),
        }
    }

    /// `locals.items.clear();`: empties the slot of `p` (for one taking
    /// turns, `locals.a_or_b.clear_a();`: only if it is the one held).
    pub(super) fn slot_clear(
        &self,
        p: &crate::layout::PinnedLocal,
        base: &impl ToTokens,
    ) -> TokenStream {
        let field = &p.field;
        match p.shared {
            Some(group) => {
                let group = &self.layout.shared[group].field;
                let clear = quote::format_ident!("clear_{}", field);
                quote!(#base.#group.#clear();)
            }
            None => quote!(#base.#field.clear();),
        }
    }

    /// `locals.items.clear();` for every slot, newest first (once for a
    /// group taking turns: the slot it holds).
    pub(super) fn clear_all_slots(&self) -> TokenStream {
        let clears = self.slot_fields().into_iter().map(|f| self.clear_field(&f));
        quote!(#(#clears)*)
    }

    /// `locals.items.clear();` for a field of the locals struct
    /// (`locals.a_or_b.clear_current();` for a place slots take turns in).
    pub(super) fn clear_field(&self, f: &SlotField<'_>) -> TokenStream {
        let locals = hidden("locals");
        match f {
            SlotField::Own(p) => {
                let field = &p.field;
                quote!(#locals.#field.clear();)
            }
            SlotField::Shared(group) => {
                let field = &group.field;
                quote!(#locals.#field.clear_current();)
            }
        }
    }

    /// When a state holds values declared before a local in a slot
    /// (`for item in items` with `item` kept in place: the iterator is in
    /// the state), dropping the state and then the slots is not the
    /// compiler's order. Then the pair is a `desugar_runtime::InOrder`, and
    /// this impl drops each such state's values and slots newest first:
    ///
    /// ```text
    /// impl<..> DropInOrder<ForEach<..>> for ForEachLocals<..> {
    ///     fn drop_in_order(&mut self, state: &mut ForEach<..>) {
    ///         match state {
    ///             ForEach::WaitingForTick { tick_future, .. } => {
    ///                 unsafe { Pin::new_unchecked(tick_future) }.clear();
    ///                 let ForEach::WaitingForTick { iter, .. } = mem::replace(state, ForEach::Poisoned) ..;
    ///                 self.item.clear();
    ///                 drop(iter);
    ///             }
    ///             _ => {}
    ///         }
    ///     }
    /// }
    /// ```
    pub(super) fn drop_order_impl(&self) -> Option<TokenStream> {
        let name = &self.layout.enum_name;
        let tail_temporaries = self.tail_temporaries_before_2024();
        let arms: Vec<TokenStream> = self
            .layout
            .states
            .iter()
            .filter(|s| s.reachable)
            .filter_map(|state| {
                let (awaitee, _) = state.awaitee.as_ref()?;
                let oldest_saved = state.saved.iter().map(|s| s.binding).min()?;
                let slots: Vec<usize> = state
                    .pinned
                    .iter()
                    .copied()
                    .filter(|&id| self.layout.slot(id).is_some())
                    .collect();
                if !slots.iter().any(|&id| id > oldest_saved) {
                    return None;
                }
                // newest first: saved values and slots by declaration
                let mut order: Vec<(usize, TokenStream)> = state
                    .saved
                    .iter()
                    .map(|s| {
                        let field = &s.field;
                        (s.binding, quote!(::core::mem::drop(#field);))
                    })
                    .chain(slots.iter().map(|&id| {
                        let p = self.layout.slot(id).expect("filtered above");
                        (id, self.slot_clear(p, &quote!(self)))
                    }))
                    .collect();
                // (before 2024, the temporaries of the body's tail last)
                order
                    .sort_by_key(|(id, _)| (tail_temporaries.contains(id), std::cmp::Reverse(*id)));
                let drops = order.iter().map(|(_, d)| d);
                let variant = &state.name;
                let fields = state.saved.iter().map(|s| &s.field);
                Some(quote! {
                    #name::#variant { #awaitee, .. } => {
                        // SAFETY: the state is pinned inside the machine, and
                        // the sub-future is dropped where it lies.
                        unsafe { ::core::pin::Pin::new_unchecked(#awaitee) }.clear();
                        let #name::#variant { #(#fields,)* .. } =
                            ::core::mem::replace(state, #name::Poisoned)
                        else {
                            ::core::unreachable!()
                        };
                        #(#drops)*
                    }
                })
            })
            .collect();
        if arms.is_empty() {
            return None;
        }
        let locals = locals_name(name);
        let enum_params = &self.layout.type_params;
        let locals_params: Vec<&Ident> = self.layout.pinned.iter().map(|p| &p.param).collect();
        let mut params: Vec<&Ident> = enum_params.iter().collect();
        params.extend(locals_params.iter().filter(|p| !enum_params.contains(p)));
        let enum_generics = (!enum_params.is_empty()).then(|| quote!(<#(#enum_params),*>));
        Some(quote! {
            /// Dropping the machine (or a panic in a poll) drops the values
            /// of these states and the locals in slots newest first, as
            /// the compiler does.
            #[allow(unused_unsafe, dropping_copy_types, dropping_references, clippy::all)]
            impl<#(#params),*> ::desugar_runtime::DropInOrder<#name #enum_generics>
                for #locals<#(#locals_params),*>
            {
                fn drop_in_order(&mut self, state: &mut #name #enum_generics) {
                    match state {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        })
    }

    /// `FetchLocals { items: Slot::empty() }`.
    pub(super) fn locals_value(&self) -> TokenStream {
        let name = locals_name(&self.layout.enum_name);
        let fields = self.slot_fields().into_iter().map(|f| match f {
            SlotField::Own(p) => {
                let (field, slot) = (&p.field, slot_type(p));
                quote!(#field: ::desugar_runtime::#slot::empty())
            }
            SlotField::Shared(group) => {
                let (field, ty) = (&group.field, &group.name);
                let first = &self.layout.pinned[group.members[0]].param;
                quote!(#field: #ty::#first(::desugar_runtime::Slot::empty()))
            }
        });
        quote!(#name { #(#fields,)* })
    }
}

/// `Slot`, or `CopySlot` for a local whose type is surely `Copy` (it needs
/// no tag: there is nothing to drop).
/// A field of the locals struct: a local's own slot, or the place slots
/// take turns in.
pub(super) enum SlotField<'a> {
    Own(&'a crate::layout::PinnedLocal),
    Shared(&'a crate::layout::SharedSlots),
}

pub(super) fn slot_type(pinned: &crate::layout::PinnedLocal) -> Ident {
    Ident::new(
        if pinned.copy { "CopySlot" } else { "Slot" },
        Span::call_site(),
    )
}

/// `unsafe impl<A: Send, B: Send> Send for FetchTwo<A, B> {}`: the rule the
/// compiler applies to a type by itself (`Send` when every field is),
/// written out so that when a value is not `Send`, the error points at it:
/// each bound carries the span of the user's tokens the parameter comes
/// from (`origins`), and rustc shows it as "unsatisfied trait bound
/// introduced here" under the local (`let guard = m.lock()..`) that the
/// state keeps.
pub(super) fn send_impl(name: &Ident, params: &[Ident], origins: &[(Ident, Span)]) -> TokenStream {
    if params.is_empty() {
        // nothing to point at: the compiler's own impl says the same
        return TokenStream::new();
    }
    let bounds = params.iter().map(|param| {
        let span = origins
            .iter()
            .find(|(p, _)| p == param)
            .map_or(Span::call_site(), |(_, span)| {
                Span::call_site().located_at(*span)
            });
        let send = quote::quote_spanned!(span=> ::core::marker::Send);
        quote!(#param: #send)
    });
    // SAFETY: every field of the type has one of the types `P`,
    // `Option<P>`, `Awaitee<P>`, `Slot<P>` or `CopySlot<P>` for a type
    // parameter `P`, and each of those is `Send` exactly when `P` is (no
    // `Send` impl of the runtime's own: they get the compiler's), so the
    // type is `Send` exactly when the compiler's rule would make it so.
    quote! {
        /// `Send` when every value it holds is: the compiler's rule, written
        /// out so that an error names the value that is not.
        unsafe impl<#(#params),*> ::core::marker::Send for #name<#(#params),*>
        where #(#bounds,)* {}
    }
}

/// `FetchTwo` → `FetchTwoLocals`.
pub(super) fn locals_name(enum_name: &Ident) -> Ident {
    quote::format_ident!("{}Locals", enum_name)
}
