//! Stage 6: the generated code.
//!
//! In: the function, its [`Program`] and its [`Layout`]. Out: a plain `fn`
//! with the same signature (returning `impl Future`) whose body defines the
//! state enum and returns it wrapped in a
//! `desugar_runtime::StateMachine` with the step closure:
//!
//! ```text
//! fn fetch_two<'life0, 'life1>(a: &'life0 str, b: &'life1 str)
//!     -> impl Future<Output = Result<(Bytes, Bytes), Error>> + Captures<...>
//! {
//!     enum FetchTwo<A, B, FetchFuture, R1, FetchFuture2> {
//!         Start { a: A, b: B },
//!         WaitingForR1 { fetch_future: Awaitee<FetchFuture>, b: B },
//!         WaitingForR2 { fetch_future: Awaitee<FetchFuture2>, r1: R1 },
//!         Done,
//!         Poisoned,
//!     }
//!     StateMachine::new(FetchTwo::Start { a, b }, |mut pinned, cx| loop {
//!         let state = /* &mut FetchTwo, from the pinned state */;
//!         match state {
//!             FetchTwo::Start { .. } => { /* take a, b; start fetch(a) */ }
//!             FetchTwo::WaitingForR1 { fetch_future, .. } => { /* poll it; ... */ }
//!             ...
//!         }
//!     })
//! }
//! ```
//!
//! Each arm of the `match` resumes the body at one point: it takes the
//! values saved in its state (leaving `Poisoned` behind while user code runs,
//! so a panic there poisons the future as the compiler's would), runs the
//! code up to the next `.await`, and there stores the values that live across
//! it in the next state together with the new sub-future, and `continue`s to
//! poll it at once. Control flow that crosses states (a loop holding an
//! `.await`, the code after an `if` whose branch awaits) is a jump: store
//! the state to go to (a loop head, a join point) and `continue`. At the end
//! it stores `Done` and returns `Ready`.
//!
//! The `unsafe` in the output, and why it is sound:
//!
//! - `Pin::get_unchecked_mut` on the pinned state, once per turn of the loop:
//!   the arms never move a sub-future out of its [`Awaitee`] slot, and only
//!   move a state's other fields out after its sub-future has finished and
//!   been dropped in place (`Awaitee::poll` does that on `Ready`).
//! - `Pin::new_unchecked` on a state's `Awaitee` field: the field is never
//!   moved while the state is current, and the state is only replaced after
//!   the slot is empty.
//! - When the sub-future borrows values saved in its own state
//!   (`reader.read(&mut buf).await`), it is built after the state is in place,
//!   from references whose lifetime the compiler cannot see
//!   (`desugar_runtime::detach`). They stay valid because the values do not
//!   move until the sub-future is dropped: the state stays put while pinned,
//!   the `Awaitee` is the state's first field (dropped first if the whole
//!   future is dropped), and on `Ready` it is dropped before anything moves.
//!   Rust still checks the borrows *within* the expression.
//! - A local that other values borrow across an `.await` (a *pinned* local,
//!   see [`Layout::pinned`]) lives in a `desugar_runtime::Slot` in the
//!   `…Locals` struct stored next to the state enum, and the code reaches it
//!   as `(*items)` through the slot's raw pointer, inside `unsafe`. Sound
//!   because: the slot never moves (the machine is pinned and the slot is
//!   `!Unpin`); the generated code never makes a `&mut` to the whole value
//!   behind the user's back, so borrows made through the pointer stay valid
//!   between polls; the slot is emptied only where the local's scope ends,
//!   after the arm's own locals (which may borrow it) are dropped; and the
//!   body is also emitted as written in a never-called closure
//!   (`as_written`), so every borrow the user's code makes of the local has
//!   been checked by the compiler. Within a poll, each local in a slot has
//!   a `ScopeEnd` value declared where the local is (`let items_scope =
//!   locals.items.scope();`): dropped with the poll's other locals, newest
//!   first, it empties the slot where the compiler would drop the local
//!   (on a `return`, a `?`, a panic); `items_scope.keep()` when the next
//!   state still has the local in scope. Locals never in scope together
//!   share one place (`locals.a_or_b`, a `#[repr(u8)]` enum of their slots,
//!   see [`crate::layout::SharedSlots`]): switching to one drops the empty
//!   slot of the other and reads only the tag, never a value, and a
//!   `ScopeEnd` clears its local's slot only if the place still holds it.
//! - `unsafe impl Send for FetchTwo<A, ..> where A: Send, ..`: every field
//!   has a type parameter's type, or `Awaitee`, `Slot`, `CopySlot`,
//!   `DropOnly` or `DropFlag` of one, each `Send` exactly when the parameter is, so this
//!   is the compiler's own rule for the enum, written out so that an error
//!   points at the value (each bound carries the span of the local,
//!   parameter or `.await` its parameter stands for).
//! - The other values of a state move when the state changes. Where one of
//!   them may still be borrowed then (the result of an `.await` that borrows
//!   it through a call the macro cannot see into), the same copy marks the
//!   move (`desugar_runtime::moved_by_await`: `&mut items`, or for a dead
//!   value `items = dead_value()`, which does not need the borrows inside
//!   it to be valid), and the compiler rejects a borrow still alive there
//!   (see [`Layout::relocated`]).
//! - A value that is dead at an `.await` but still in scope (kept only for
//!   its drop) may hold a borrow that went stale, which a move would read:
//!   the state keeps it as a `DropOnly` (a `MaybeUninit`, filled only if its
//!   type needs a drop, so a dead reference is never moved), or as a
//!   `DropFlag` (an `Option` as bytes) when it was moved out on another
//!   path. The local goes, right where it dies on the path being written,
//!   into a `Dying` holder declared next to it (see [`Layout::dying`]),
//!   from which the state takes it as bytes. One that lived across an
//!   earlier `.await` is also marked as moved in the copy, so a stale
//!   borrow in it is a compile error.
//!
//! This module writes the arms (`state_arm`, `start_arm`, `block_from`,
//! `construct`, `suspend`); the rest is split by what it writes:
//!
//! - `types`: the state enum, the locals struct, `Send` and `DropInOrder`;
//! - `slots`: locals kept in place and their `ScopeEnd` values;
//! - `drops`: `Dying` holders and the other values kept for their drop;
//! - `lifetimes`: sub-futures borrowing from several arguments;
//! - `copy`: the borrow-checked copy of the body;
//! - `trace`: what `#[desugar(trace)]` reports.
//!
//! [`Layout::pinned`]: crate::layout::Layout::pinned
//! [`Layout::relocated`]: crate::layout::Layout::relocated
//! [`Layout::dying`]: crate::layout::Layout::dying
//! [`Awaitee`]: ../../desugar_runtime/struct.Awaitee.html

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::Expr;

use crate::args::Args;
use crate::layout::{self, Layout, StateKind};
use crate::lower::{
    BlockId, ConstructId, ConstructKind, Finish, FinishKind, HeadScope, Node, Owner, Program,
};
use crate::names::mentions_any;
use crate::parse::{AsyncFn, ParamBinding};
use crate::rewrite::{self, deref_names, Jump, Rewriter};
use crate::signature::{self, hidden};

mod copy;
mod drops;
mod lifetimes;
mod slots;
mod trace;
mod types;

use drops::*;
use lifetimes::*;
use slots::*;
pub use trace::compact;

use types::*;

/// Emits the generated function.
pub fn emit(args: &Args, function: &AsyncFn, program: &Program, layout: &Layout) -> TokenStream {
    let bindings = binding_names(layout);
    let signature::Rewritten {
        sig,
        closure_output,
        copy_output,
    } = signature::rewrite(
        function,
        signature::Borrows {
            from_several: borrows_from_several(program, &bindings),
            from_state: !layout.pinned.is_empty()
                || layout
                    .states
                    .iter()
                    .any(|s| s.reachable && s.future_borrows_saved),
        },
    );
    let emitter = Emitter {
        function,
        program,
        layout,
        erase_receiver: function
            .sig
            .receiver()
            .filter(|r| r.reference.is_some() && !signature::may_get_common_lifetime(function))
            .map(|r| r.mutability.is_some()),
        tied_lifetimes: args.tied_lifetimes,
        bindings,
        rewriter: Rewriter {
            enum_name: layout.enum_name.clone(),
            state: rewrite::state_ident(function.idents()),
            pinned: layout
                .pinned
                .iter()
                .map(|p| layout.bindings[p.binding].ident.clone())
                .collect(),
            pinned_copies: layout
                .pinned
                .iter()
                .filter(|p| p.copy)
                .map(|p| layout.bindings[p.binding].ident.clone())
                .collect(),
            pinned_mutable: layout
                .pinned
                .iter()
                .filter(|p| layout.bindings[p.binding].mutable)
                .map(|p| layout.bindings[p.binding].ident.clone())
                .collect(),
            pinned_shared: layout
                .pinned
                .iter()
                .filter_map(|p| {
                    let group = &layout.shared[p.shared?];
                    Some((p.field.to_string(), group.field.clone()))
                })
                .collect(),
            locals: layout.bindings.iter().map(|b| b.ident.clone()).collect(),
            trace: args.trace,
            outputs: Default::default(),
            absent: Default::default(),
        },
        labeled: Cell::new(false),
        kept: Default::default(),
        holders_for: Default::default(),
    };
    let attrs = &function.attrs;
    let vis = &function.vis;
    let enum_def = emitter.enum_def();
    let start = emitter.start_value();
    let arms = emitter.arms();
    let state = emitter.rewriter.state.clone();
    let pinned = hidden("pinned");
    let cx = hidden("cx");
    let machine = hidden("machine");
    let output = closure_output.map(|t| quote!(-> ::core::task::Poll<#t>));
    let items = &program.items;
    // `#[desugar(trace)]`: the same machine, made by `trace::machine`,
    // which reports each poll (see `Emitter::trace_enter`, `Emitter::trace_await`).
    let (new_machine, traced_name) = if args.trace {
        let name = function.sig.ident.to_string();
        (
            quote!(::desugar_runtime::trace::machine),
            Some(quote!(#name,)),
        )
    } else {
        (quote!(::desugar_runtime::StateMachine::new), None)
    };
    let label = emitter.labeled.get().then(|| {
        let label = poll_label();
        quote!(#label:)
    });
    // The body as written, borrow-checked with the moves the machine makes
    // marked: needed with pinned locals, and wherever a moved local might
    // still be borrowed after an `.await`. Only the locals of
    // `Layout::relocated` can be marked: without them (and without pinned
    // locals) the copy would be thrown away, so it is not written.
    let wanted = !layout.pinned.is_empty() || layout.relocated.iter().any(|r| !r.is_empty());
    let copy = (layout.checked && wanted)
        .then(|| emitter.borrowck_copy(&sig, &copy_output))
        .filter(|copy| copy.marked || !layout.pinned.is_empty());
    let (borrowck_before, borrowck) = match copy {
        Some(copy) => (Some(copy.before), Some(copy.copy)),
        None => (None, None),
    };
    if layout.pinned.is_empty() {
        return quote! {
            #(#attrs)*
            #vis #sig {
                #(#items)*
                #enum_def
                #borrowck_before
                #[allow(unreachable_code, unused_mut, unused_variables, dropping_copy_types, irrefutable_let_patterns, clippy::all)]
                let #machine = #new_machine(#traced_name #start, |mut #pinned, #cx| #output {
                    #label loop {
                        let #state = unsafe { ::core::pin::Pin::get_unchecked_mut(#pinned.as_mut()) };
                        match #state {
                            #arms
                        }
                    }
                });
                #borrowck
                #machine
            }
        };
    }
    // Locals borrowed across `.await`s live in slots next to the state.
    let locals = hidden("locals");
    let locals_def = emitter.locals_def();
    let locals_value = emitter.locals_value();
    let drop_order = emitter.drop_order_impl();
    let (pair, unpair) = match drop_order {
        Some(_) => (
            quote!(::desugar_runtime::InOrder { state: #start, locals: #locals_value }),
            quote!(::desugar_runtime::InOrder { state: #state, locals: #locals }),
        ),
        None => (quote!((#start, #locals_value)), quote!((#state, #locals))),
    };
    assert!(
        borrowck.is_some(),
        "locals are pinned only where the body can be checked"
    );
    quote! {
        #(#attrs)*
        #vis #sig {
            #(#items)*
            #enum_def
            #locals_def
            #drop_order
            #borrowck_before
            #[allow(unreachable_code, unused_mut, unused_variables, unused_unsafe, unused_labels, dropping_copy_types, irrefutable_let_patterns, unknown_lints, dangerous_implicit_autorefs, clippy::all)]
            let #machine = #new_machine(#traced_name #pair, |mut #pinned, #cx| #output {
                #label loop {
                    let #unpair = unsafe { ::core::pin::Pin::get_unchecked_mut(#pinned.as_mut()) };
                    match #state {
                        #arms
                    }
                }
            });
            #borrowck
            #machine
        }
    }
}

/// Where the code of a block stops because no path goes on (its last
/// statement leaves from inside, `let b = ({ return x; 0 }) == 0;`), and
/// the compiler may not see that it diverges: `unreachable!()`.
fn dead_end() -> TokenStream {
    quote!(::core::unreachable!();)
}

/// The label of the step loop, used by jumps made from inside an
/// await-free loop of the user's code.
fn poll_label() -> syn::Lifetime {
    syn::Lifetime {
        apostrophe: proc_macro2::Span::mixed_site(),
        ident: hidden("poll"),
    }
}

struct Emitter<'a> {
    function: &'a AsyncFn,
    program: &'a Program,
    layout: &'a Layout,
    rewriter: Rewriter,
    /// `Some(mutable)` for a method borrowing `self` (`&mut self` or not)
    /// that gets no common `'future` lifetime: see
    /// [`erase_receiver_lifetime`].
    erase_receiver: Option<bool>,
    /// `#[desugar(tied_lifetimes)]`: every call is taken to tie `self` and
    /// its other arguments to one lifetime (see [`ties_lifetimes`]).
    tied_lifetimes: bool,
    /// The names of the function's bindings.
    bindings: HashSet<String>,
    /// Whether some jump needed the step loop's label.
    labeled: Cell<bool>,
    /// The held locals (see [`Layout::held`]) that went to their `Dying`
    /// holders in the arm being written, and, when it is written again,
    /// the only ones that get a holder (see [`Emitter::arm_with_holders`]).
    kept: RefCell<HashSet<usize>>,
    holders_for: RefCell<Option<HashSet<usize>>>,
}

/// What one arm knows while its code is written.
#[derive(Clone, Default)]
struct Arm {
    /// Names bound when the arm was entered (restored from the state, or the
    /// output of the await it resumes after).
    restored: HashSet<String>,
    /// Bindings restored as their value, and bindings restored behind a
    /// drop flag (a `DropFlag`, see `layout::Saved::flagged`).
    plain: HashSet<usize>,
    flagged: HashSet<usize>,
    /// Bindings restored as a [`DropOnly`](layout::Saved::dead): dead,
    /// kept only for their drop.
    dead: HashSet<usize>,
    /// Bindings whose `Dying` holder is declared in this arm (see
    /// [`Layout::held`]), and those moved into it on the path being written
    /// (see [`Layout::dying`]).
    holders: HashSet<usize>,
    dying: HashSet<usize>,
    /// Bindings declared in this arm, and those surely moved out on the
    /// path being written.
    declared: HashSet<usize>,
    moved: HashSet<usize>,
    /// Locals in slots with a `ScopeEnd` value in scope on the path being
    /// written (those in scope when the arm began, see
    /// [`Emitter::scope_prelude`], and those the arm put in a slot, see
    /// [`Emitter::scope_end`]): kept when a state is stored that still has
    /// them in scope, dropped (emptying the slot) otherwise.
    scoped: Vec<usize>,
}

/// Code for part of a block, and whether control reaches its end.
struct Code {
    tokens: TokenStream,
    /// `Some(value)` when the block's end is reached and the block is an
    /// inline block: its value, for the code after it.
    falls_through: Option<TokenStream>,
}

impl Emitter<'_> {
    /// An arm's code that may finish: `'finish: { code }`, then the pinned
    /// locals are dropped (after the arm's own) and `Ready` is returned.
    /// `before` (the poll and the restore) stays outside the block: the
    /// values it restores are dropped after the pinned locals, as the
    /// parameters and the locals declared before every pinned one are
    /// natively (the newer ones are bound again inside, see
    /// [`Self::scope_prelude`]).
    fn finishing(&self, before: TokenStream, code: TokenStream) -> TokenStream {
        let label = rewrite::finish_label();
        if self.layout.pinned.is_empty() || !mentions_any(&code, std::slice::from_ref(&label.ident))
        {
            return quote!(#before #code);
        }
        let name = &self.layout.enum_name;
        let state = &self.rewriter.state;
        let output = hidden("output");
        let clears = self.clear_all_slots();
        quote! {
            #before
            let #output = #label: {
                #code
            };
            #clears
            *#state = #name::Done;
            return ::core::task::Poll::Ready(#output);
        }
    }

    /// An inline block whose end is reached, written as `[let v =] [unsafe]
    /// { code value }` (`v`: the construct's value): its pinned locals are
    /// cleared inside it, before its other locals are dropped, when newer
    /// than one of them, else after it (see [`Self::clear_pinned_of`]).
    fn inline_block(
        &self,
        block: BlockId,
        bound: Option<&Ident>,
        unsafety: Option<TokenStream>,
        code: TokenStream,
        value: TokenStream,
    ) -> TokenStream {
        let newer = self.clear_pinned_of(block, true);
        let inner = if newer.is_empty() {
            quote!(#code #value)
        } else if value.is_empty() {
            quote!(#code #newer)
        } else {
            let v = Ident::new("value", Span::mixed_site());
            quote!(#code let #v = #value; #newer #v)
        };
        // The user's braces: their edition decides when the tail's
        // temporaries are dropped.
        let mut braces = Group::new(Delimiter::Brace, inner);
        braces.set_span(self.program.blocks[block].span);
        let wrapped = quote!(#unsafety #braces);
        let mut out = match bound {
            Some(v) => quote!(let #v = #wrapped;),
            None => quote!(#wrapped;),
        };
        out.extend(self.clear_pinned_of(block, false));
        out
    }

    fn start_value(&self) -> TokenStream {
        let name = &self.layout.enum_name;
        if self.layout.start.is_empty() {
            return quote!(#name::Start);
        }
        let fields = self.function.params.iter().enumerate().map(|(i, param)| {
            let field = &param.field;
            let value = signature::start_value(self.function, i);
            if matches!(&self.function.sig.inputs[i], syn::FnArg::Typed(_)) {
                quote!(#field)
            } else {
                quote!(#field: #value)
            }
        });
        quote!(#name::Start { #(#fields),* })
    }

    fn arms(&self) -> TokenStream {
        let name = &self.layout.enum_name;
        let mut arms = TokenStream::new();
        arms.extend(self.arm_with_holders(|| self.start_arm()));
        for (index, state) in self.layout.states.iter().enumerate() {
            if state.reachable {
                arms.extend(self.arm_with_holders(|| self.state_arm(index)));
            }
        }
        self.rewriter.absent.borrow_mut().clear();
        let (done, poisoned) = (self.trace_enter("Done"), self.trace_enter("Poisoned"));
        arms.extend(match self.rewriter.trace {
            false => quote! {
                #name::Done => ::core::panic!("`async fn` resumed after completion"),
                #name::Poisoned => ::core::panic!("`async fn` resumed after panicking"),
            },
            true => quote! {
                #name::Done => { #done ::core::panic!("`async fn` resumed after completion") }
                #name::Poisoned => { #poisoned ::core::panic!("`async fn` resumed after panicking") }
            },
        });
        arms
    }

    fn state_arm(&self, index: usize) -> TokenStream {
        let name = &self.layout.enum_name;
        let state = &self.layout.states[index];
        let variant = &state.name;
        let take = self.take(
            quote!(#name::#variant),
            state.saved.iter().map(|s| {
                let binding = &self.layout.bindings[s.binding];
                (s.field.clone(), binding.ident.clone(), binding.mutable)
            }),
            state.awaitee.is_none(),
        );
        let mut arm = Arm::default();
        for s in &state.saved {
            arm.restored
                .insert(self.layout.bindings[s.binding].ident.to_string());
            match (s.flagged, s.dead) {
                (true, _) => arm.flagged.insert(s.binding),
                (false, true) => arm.dead.insert(s.binding),
                (false, false) => arm.plain.insert(s.binding),
            };
        }
        let (block, at) = state.resume;
        // Names dead code may not mention (it is left out of its block): the
        // untyped ones declared again without a value, and those restored
        // behind a drop flag or for their drop only (only dead code can name
        // a value that may have been moved, or is dead).
        *self.rewriter.absent.borrow_mut() = state
            .redeclare
            .iter()
            .map(|&id| &self.layout.bindings[id])
            .filter(|binding| binding.ty.is_none())
            .chain(
                state
                    .saved
                    .iter()
                    .filter(|s| s.flagged || s.dead)
                    .map(|s| &self.layout.bindings[s.binding]),
            )
            .map(|binding| binding.ident.clone())
            .collect();
        match state.kind {
            StateKind::Await(k) => {
                let (awaitee, _) = state.awaitee.as_ref().expect("await states hold a future");
                let output = &self.program.awaits[k].output;
                arm.restored.insert(output.to_string());
                let scopes = self.scope_prelude(index, &mut arm);
                // An output that a later value may borrow goes to its slot
                // (`make().await.frame().await.len()`: the frame borrows the
                // first output).
                let output_id = self.layout.await_outputs[k];
                let mut put = TokenStream::new();
                if self.layout.slot(output_id).is_some() {
                    let pat = syn::Pat::Verbatim(TokenStream::new());
                    put.extend(self.pin_let(output_id, &pat, quote!(#output)));
                    if let Some(scope) = self.scope_end(output_id) {
                        put.extend(scope);
                        arm.scoped.push(output_id);
                    }
                }
                let code = self.resume(block, at, &mut arm);
                let redeclare = self.redeclare(index, &code);
                let mut prelude = self.pinned_prelude(&state.pinned, &code);
                prelude.extend(put);
                let mutability = needs_mut(output, &code).then(|| quote!(mut));
                let cx = hidden("cx");
                let enter = self.trace_enter(&variant.to_string());
                let (polled, ready) = self.trace_await(k);
                let body = self.finishing(
                    quote! {
                        let #mutability #output = match unsafe { ::core::pin::Pin::new_unchecked(#awaitee) }.poll(#cx) {
                            ::core::task::Poll::Ready(#output) => #output,
                            ::core::task::Poll::Pending => return ::core::task::Poll::Pending,
                        };
                        #ready
                        #take
                    },
                    quote! {
                        #scopes
                        #prelude
                        #redeclare
                        #code
                    },
                );
                quote! {
                    #name::#variant { #awaitee, .. } => {
                        #enter
                        #polled
                        #body
                    }
                }
            }
            StateKind::LoopHead(_) | StateKind::Join(_) => {
                let scopes = self.scope_prelude(index, &mut arm);
                let code = self.resume(block, at, &mut arm);
                let redeclare = self.redeclare(index, &code);
                let prelude = self.pinned_prelude(&state.pinned, &code);
                let pattern = if state.saved.is_empty() {
                    quote!(#name::#variant)
                } else {
                    quote!(#name::#variant { .. })
                };
                let enter = self.trace_enter(&variant.to_string());
                let body = self.finishing(
                    take,
                    quote! {
                        #scopes
                        #prelude
                        #redeclare
                        #code
                    },
                );
                quote! {
                    #pattern => {
                        #enter
                        #body
                    }
                }
            }
        }
    }

    /// `let x;` for bindings declared without a value before state `index`
    /// that `code` (the arm) assigns: `let x; ... x = f().await;`.
    fn redeclare(&self, index: usize, code: &TokenStream) -> TokenStream {
        let declarations = self.layout.states[index]
            .redeclare
            .iter()
            .map(|&id| &self.layout.bindings[id])
            .filter(|binding| mentions_any(code, std::slice::from_ref(&binding.ident)))
            .map(|binding| {
                let ident = &binding.ident;
                let mutability = binding.mutable.then(|| quote!(mut));
                // The type, when written: code that never runs may be all
                // that mentions it (`return x; n`), and must still type-check.
                let ty = binding.ty.as_ref().map(|ty| quote!(: #ty));
                quote!(let #mutability #ident #ty;)
            });
        quote!(#(#declarations)*)
    }

    /// `let Name::Variant { a, mut b, .. } = mem::replace(state, Name::Poisoned) else { unreachable!() };`
    fn take(
        &self,
        variant: TokenStream,
        fields: impl Iterator<Item = (Ident, Ident, bool)>,
        all: bool,
    ) -> TokenStream {
        let name = &self.layout.enum_name;
        let state = &self.rewriter.state;
        let fields: Vec<TokenStream> = fields
            .map(|(field, binding, mutable)| {
                let mutability = mutable.then(|| quote!(mut));
                if field == binding {
                    quote!(#mutability #binding)
                } else {
                    quote!(#field: #mutability #binding)
                }
            })
            .collect();
        if fields.is_empty() {
            return quote!(*#state = #name::Poisoned;);
        }
        let rest = (!all).then(|| quote!(..));
        quote! {
            let #variant { #(#fields,)* #rest } = ::core::mem::replace(#state, #name::Poisoned) else {
                ::core::unreachable!()
            };
        }
    }

    /// After node `i` of `block`: what it declared is owned in this arm,
    /// what it surely moved is not (for drop flags).
    fn after_node(&self, block: BlockId, i: usize, arm: &mut Arm) {
        arm.declared
            .extend(self.layout.declares.get(&(block, i)).into_iter().flatten());
        arm.moved
            .extend(self.layout.moves_at.get(&(block, i)).into_iter().flatten());
    }

    fn start_arm(&self) -> TokenStream {
        let name = &self.layout.enum_name;
        let has_pattern = self
            .function
            .params
            .iter()
            .any(|p| matches!(p.binding, ParamBinding::Pattern(_)));
        let fields = self.function.params.iter().map(|p| {
            let mutable =
                !has_pattern && matches!(p.binding, ParamBinding::Ident { mutable: true });
            (p.field.clone(), p.field.clone(), mutable)
        });
        let take = self.take(quote!(#name::Start), fields, true);
        let mut binds = TokenStream::new();
        if has_pattern {
            for param in &self.function.params {
                let field = &param.field;
                binds.extend(match &param.binding {
                    ParamBinding::Pattern(pat) => {
                        let declared = crate::parse::Param::pattern_bindings(pat);
                        let in_pattern_order = declared
                            .iter()
                            .zip(crate::analyse::bindings(pat))
                            .all(|(d, b)| d.ident == b.ident);
                        let pat = self.rewriter.pat(pat);
                        let mut code = quote!(let #pat = #field;);
                        // The parts `_` left in the argument are declared
                        // again before the pattern's bindings, so that they
                        // drop after them, as natively.
                        if !in_pattern_order {
                            let idents = declared.iter().map(|d| &d.ident);
                            let pats = declared.iter().map(|d| {
                                let (ident, mutability) =
                                    (&d.ident, d.mutable.then(|| quote!(mut)));
                                quote!(#mutability #ident)
                            });
                            code.extend(quote!(let (#(#pats,)*) = (#(#idents,)*);));
                        }
                        code
                    }
                    ParamBinding::Ident { mutable } => {
                        let mutability = mutable.then(|| quote!(mut));
                        quote!(let #mutability #field = #field;)
                    }
                });
            }
        }
        let mut arm = Arm {
            declared: (0..self.layout.param_bindings).collect(),
            ..Arm::default()
        };
        let code = self.resume(self.program.body, 0, &mut arm);
        // Pinned parameters go to their slots first.
        let locals = hidden("locals");
        for p in &self.layout.pinned {
            if let Some(param) = self.function.params.iter().find(|param| {
                matches!(param.binding, ParamBinding::Ident { .. })
                    && param.field == self.layout.bindings[p.binding].ident
            }) {
                let slot = self.slot_place(p, &locals);
                let ident = &param.field;
                binds.extend(quote!(let #ident = #slot.put(#ident);));
            }
        }
        let pattern = if self.layout.start.is_empty() {
            quote!(#name::Start)
        } else {
            quote!(#name::Start { .. })
        };
        let enter = self.trace_enter("Start");
        let body = self.finishing(quote!(#take #binds), code);
        quote! {
            #pattern => {
                #enter
                #body
            }
        }
    }

    /// The code of an arm that resumes the body at node `index` of `block`:
    /// the rest of that block, and, when the block is an inline block whose
    /// end is reached, the rest of the blocks around it.
    fn resume(&self, block: BlockId, index: usize, arm: &mut Arm) -> TokenStream {
        let code = self.block_from(block, index, arm);
        let Some(value) = code.falls_through else {
            return code.tokens;
        };
        let Owner::Nested(c) = self.program.blocks[block].owner else {
            unreachable!("only inline blocks fall through")
        };
        // Values restored here that belong to the inner block are bound
        // again inside it, so that they are dropped where it ends.
        let mut rebinds = TokenStream::new();
        for i in 0..index {
            for &id in self.layout.declares.get(&(block, i)).into_iter().flatten() {
                let binding = &self.layout.bindings[id];
                let ident = &binding.ident;
                if arm.restored.contains(&ident.to_string()) {
                    let mutability = binding.mutable.then(|| quote!(mut));
                    rebinds.extend(quote!(let #mutability #ident = #ident;));
                }
            }
        }
        let inner = code.tokens;
        let construct = &self.program.constructs[c];
        let unsafety = matches!(construct.kind, ConstructKind::Nested { unsafety: true, .. })
            .then(|| quote!(unsafe));
        let mut out = self.inline_block(
            block,
            construct.value.as_ref(),
            unsafety,
            quote!(#rebinds #inner),
            value,
        );
        let (parent, at) = construct.at;
        out.extend(self.resume(parent, at + 1, arm));
        out
    }

    /// The code of `block` from node `index` on.
    fn block_from(&self, block: BlockId, index: usize, arm: &mut Arm) -> Code {
        let b = &self.program.blocks[block];
        let mut out = self.keeps(block, index, arm);
        for i in index..b.nodes.len() {
            let jumps = |jump: &Jump<'_>| self.jump(block, jump, arm);
            if let Some(id) = self.pinned_declared(block, i) {
                match &b.nodes[i] {
                    Node::Stmt(syn::Stmt::Local(local)) => {
                        let init = local.init.as_ref().expect("pinned locals have a value");
                        let value = self.rewriter.expr(&init.expr, &jumps);
                        out.extend(self.pin_let(id, &local.pat, quote!(#value)));
                    }
                    Node::Temp(temp) => {
                        let value = self.rewriter.expr(&temp.expr, &jumps);
                        let pat: syn::Pat = syn::Pat::Verbatim(TokenStream::new());
                        out.extend(self.pin_let(id, &pat, quote!(#value)));
                    }
                    Node::Finish(finish) => {
                        let result = self.rewriter.expr(&finish.result, &jumps);
                        let value = self.with_rebinds(finish, &result, arm);
                        let (FinishKind::Let(pat) | FinishKind::LetElse(pat, _)) = &finish.kind
                        else {
                            unreachable!("only a `let` declares")
                        };
                        out.extend(self.pin_let(id, pat, value));
                    }
                    _ => unreachable!("only `let`s and temporaries are pinned"),
                }
                if let Some(scope) = self.scope_end(id) {
                    out.extend(scope);
                    arm.scoped.push(id);
                }
                out.extend(self.keeps(block, i + 1, arm));
                continue;
            }
            match &b.nodes[i] {
                Node::Stmt(stmt) => {
                    let mut stmt = self.rewriter.stmt(stmt, &jumps);
                    let leaves = stmt_diverges(&stmt);
                    let diverges = leaves || self.dead_after(block, i);
                    // The last statement written, but not the block's value
                    // (`match ({ return x; 0 }) { _ => {} }` in a loop body):
                    // as a statement, it diverges; as a tail, it is `()`.
                    if let (true, syn::Stmt::Expr(_, semi @ None)) = (diverges, &mut stmt) {
                        *semi = Some(Default::default());
                    }
                    out.extend(flatten(stmt));
                    if diverges && !leaves {
                        out.extend(dead_end());
                    }
                    if diverges {
                        return Code {
                            tokens: out,
                            falls_through: None,
                        };
                    }
                }
                Node::Temp(temp) => {
                    let ident = &temp.ident;
                    let mut expr = self.rewriter.expr(&temp.expr, &jumps);
                    // `(k > 2).then_some(x)`: the receiver `(k > 2)` is
                    // written without its parentheses (`unused_parens`).
                    while let Expr::Paren(p) = expr {
                        expr = *p.expr;
                    }
                    out.extend(quote!(let mut #ident = #expr;));
                    if self.dead_after(block, i) {
                        out.extend(dead_end());
                        return Code {
                            tokens: out,
                            falls_through: None,
                        };
                    }
                }
                Node::Await(k) => {
                    // What the awaited expression moves is gone before the
                    // state is stored.
                    arm.moved
                        .extend(self.layout.moves_at.get(&(block, i)).into_iter().flatten());
                    out.extend(self.suspend(block, *k, arm));
                    return Code {
                        tokens: out,
                        falls_through: None,
                    };
                }
                Node::Finish(finish) => {
                    let (code, diverges) =
                        self.with_outputs(block, i, || self.finish(block, finish, arm));
                    out.extend(code);
                    if !diverges && self.dead_after(block, i) {
                        out.extend(dead_end());
                    }
                    if diverges || self.dead_after(block, i) {
                        return Code {
                            tokens: out,
                            falls_through: None,
                        };
                    }
                }
                Node::Construct(c) => {
                    let construct = &self.program.constructs[*c];
                    let ConstructKind::Nested {
                        block: inner,
                        unsafety,
                    } = &construct.kind
                    else {
                        out.extend(self.construct(*c, arm));
                        return Code {
                            tokens: out,
                            falls_through: None,
                        };
                    };
                    if !layout::is_inline_block(self.program, *c) {
                        let code = self.block_from(*inner, 0, &mut arm.clone());
                        let unsafety = unsafety.then(|| quote!(unsafe));
                        let inner = code.tokens;
                        out.extend(quote!(#unsafety { #inner }));
                        return Code {
                            tokens: out,
                            falls_through: None,
                        };
                    }
                    let mut inner_arm = arm.clone();
                    let code = self.block_from(*inner, 0, &mut inner_arm);
                    let unsafety = unsafety.then(|| quote!(unsafe));
                    let inner_code = code.tokens;
                    match code.falls_through {
                        Some(value) => {
                            out.extend(self.inline_block(
                                *inner,
                                construct.value.as_ref(),
                                unsafety,
                                inner_code,
                                value,
                            ));
                            if self.dead_after(block, i) {
                                out.extend(dead_end());
                                return Code {
                                    tokens: out,
                                    falls_through: None,
                                };
                            }
                        }
                        None => {
                            out.extend(quote!(#unsafety { #inner_code }));
                            return Code {
                                tokens: out,
                                falls_through: None,
                            };
                        }
                    }
                }
            }
            out.extend(self.storage_lets(block, i));
            let declared = self.layout.declares.get(&(block, i));
            out.extend(self.holder_lets(declared.map_or(&[], Vec::as_slice), arm));
            self.after_node(block, i, arm);
            out.extend(self.keeps(block, i + 1, arm));
        }
        // The end of the block: its value, then where control goes.
        let value = match &b.tail {
            Some(tail) => {
                let jumps = |jump: &Jump<'_>| self.jump(block, jump, arm);
                let result = self.with_outputs(block, b.nodes.len(), || {
                    self.rewriter.expr(&tail.result, &jumps)
                });
                let leaves = expr_diverges(&result);
                let value = self.with_rebinds(tail, &result, arm);
                let function_end = matches!(b.owner, Owner::Function);
                if (leaves || self.dead_after(block, b.nodes.len())) && function_end {
                    // The function's value, leaving in the middle
                    // (`Ok({ return Err(e); 0 })`): finished as usual, so
                    // that its type is the output's (the rest never runs).
                    out.extend(self.block_end(block, Some(value), arm));
                    return Code {
                        tokens: out,
                        falls_through: None,
                    };
                }
                if leaves || self.dead_after(block, b.nodes.len()) {
                    // A value that leaves in the middle (`Some({ return x; 0 })`)
                    // is a statement: its type is not the block's.
                    out.extend(match tail.scoped.is_empty() && leaves {
                        true => flatten(syn::Stmt::Expr(result, None)),
                        false => quote!(#value;),
                    });
                    if !leaves {
                        out.extend(dead_end());
                    }
                    return Code {
                        tokens: out,
                        falls_through: None,
                    };
                }
                // What the tail moves is gone when the block ends.
                arm.moved.extend(
                    self.layout
                        .moves_at
                        .get(&(block, b.nodes.len()))
                        .into_iter()
                        .flatten(),
                );
                Some(value)
            }
            // The block's end is never reached (`match ({ return x; 0 }) {
            // _ => {} }`: the arm is dead code): nothing goes on from here.
            None if self.dead_after(block, b.nodes.len()) => {
                out.extend(dead_end());
                return Code {
                    tokens: out,
                    falls_through: None,
                };
            }
            // A construct at the end gave the block its value (its branches
            // or the code above bound it).
            None => match b.nodes.last() {
                Some(Node::Construct(c)) => self.program.constructs[*c]
                    .value
                    .as_ref()
                    .map(|v| quote!(#v)),
                _ => None,
            },
        };
        if layout::falls_through(self.program, block) {
            return Code {
                tokens: out,
                falls_through: Some(value.unwrap_or_default()),
            };
        }
        out.extend(self.block_end(block, value, arm));
        Code {
            tokens: out,
            falls_through: None,
        }
    }

    /// `value` wrapped so that the statement's restored temporaries are
    /// dropped when it ends: `{ let tmp0 = tmp0; let value = f(&tmp0, output); value }`.
    ///
    /// When the statement is an `if` and only its condition uses them, they
    /// are dropped before either branch runs, as rustc drops the temporaries
    /// of a condition: `{ let condition = { let mut output = output;
    /// output.is_empty() }; if condition { .. } else { .. } }`.
    fn with_rebinds(&self, finish: &Finish, result: &Expr, arm: &Arm) -> TokenStream {
        // A pattern that leaves part of the value unbound (`_`, `..`) does
        // not move that part: the value must be a temporary of the
        // statement for the part to be dropped where the statement ends.
        let partial = match &finish.kind {
            FinishKind::Let(pat) | FinishKind::LetElse(pat, _) => leaves_parts(pat),
            _ => false,
        };
        let moved = if partial {
            HashSet::new()
        } else {
            moved_names(&finish.result)
        };
        // The branches of an `if` (without `let`) whose condition is the
        // statement: a value only its condition uses is dropped before
        // them, moved there or not (`if f().await.ok()` with a user `ok`
        // taking `&self`).
        let branches = match result {
            Expr::If(e) if !crate::lower::contains_let(&e.cond) => Some(if_branches(e)),
            Expr::Unsafe(u) => match u.block.stmts.as_slice() {
                [syn::Stmt::Expr(Expr::If(e), None)] if !crate::lower::contains_let(&e.cond) => {
                    Some(if_branches(e))
                }
                _ => None,
            },
            _ => None,
        };
        let mut rebinds = TokenStream::new();
        let mut rebound = Vec::new();
        for ident in &finish.scoped {
            let name = ident.to_string();
            let only_in_condition = branches
                .as_ref()
                .is_some_and(|b| !mentions_any(b, std::slice::from_ref(ident)));
            if arm.restored.contains(&name) && (!moved.contains(&name) || only_in_condition) {
                // `mut`: the statement may use it mutably (`m.lock().await.push(1)`).
                rebinds.extend(quote!(let mut #ident = #ident;));
                rebound.push(ident.clone());
            } else if arm
                .scoped
                .iter()
                .any(|&id| self.layout.bindings[id].ident == *ident)
            {
                // A temporary in a slot (an `.await`'s output that a later
                // one borrows): its slot is emptied where the statement ends.
                let scope = scope_ident(ident);
                rebinds.extend(quote!(let #scope = #scope;));
            }
        }
        if rebinds.is_empty() {
            return quote!(#result);
        }
        // The value is bound by a `let` so that the statement's other
        // temporaries (made after the restored ones) are dropped first, at
        // the end of that `let`, whatever the edition's rule for
        // temporaries in a block's tail.
        let bound = Ident::new("value", Span::mixed_site());
        // With pinned locals the statement comes as `unsafe { if .. }`.
        let (unsafety, result) = match result {
            Expr::Unsafe(u) => match u.block.stmts.as_slice() {
                [syn::Stmt::Expr(inner @ Expr::If(_), None)] => (Some(quote!(unsafe)), inner),
                _ => (None, result),
            },
            _ => (None, result),
        };
        let wrap = |code: TokenStream| match &unsafety {
            Some(unsafety) => quote!(#unsafety { #code }),
            None => code,
        };
        if let Expr::If(e) = result {
            let then = &e.then_branch;
            let otherwise = e.else_branch.as_ref().map(|(token, e)| quote!(#token #e));
            if !crate::lower::contains_let(&e.cond) && !mentions_any(&if_branches(e), &rebound) {
                let cond = &e.cond;
                let condition = Ident::new("condition", Span::mixed_site());
                let value = wrap(quote!({ #rebinds let #bound = #cond; #bound }));
                let branches = wrap(quote!(if #condition #then #otherwise));
                return quote!({
                    let #condition = #value;
                    #branches
                });
            }
            // `if let`: through the `then` branch, gone before `else`
            // (edition 2024's rule; before, they live through `else` too,
            // as the values bound again above do).
            if let Some((_, otherwise)) = &e.else_branch {
                if self.function.edition == crate::edition::Edition::Rust2024
                    && crate::lower::contains_let(&e.cond)
                    && !mentions_any(&quote!(#otherwise), &rebound)
                {
                    let cond = &e.cond;
                    // The user's `if` and `else`: their edition decides when
                    // the other temporaries of the condition are dropped.
                    let (if_token, else_token) = (&e.if_token, &e.else_branch.as_ref().unwrap().0);
                    let mut else_block = Group::new(
                        Delimiter::Brace,
                        quote!(#(::core::mem::drop(#rebound);)* #otherwise),
                    );
                    else_block.set_span(syn::spanned::Spanned::span(&**otherwise));
                    let value = wrap(quote!(#if_token #cond #then #else_token #else_block));
                    return quote!({
                        #rebinds
                        let #bound = #value;
                        #bound
                    });
                }
            }
        }
        let result = wrap(quote!(#result));
        quote!({ #rebinds let #bound = #result; #bound })
    }

    /// The end of a statement whose `.await`s were pulled out. Returns the
    /// code and whether it always leaves (`return`, `break`...).
    fn finish(&self, block: BlockId, finish: &Finish, arm: &mut Arm) -> (TokenStream, bool) {
        let jumps = |jump: &Jump<'_>| self.jump(block, jump, arm);
        let result = self.rewriter.expr(&finish.result, &jumps);
        let diverges = expr_diverges(&result);
        let value = self.with_rebinds(finish, &result, arm);
        let code = match &finish.kind {
            FinishKind::Let(pat) => {
                let pat = self.rewriter.pat(pat);
                quote!(let #pat = #value;)
            }
            FinishKind::LetElse(pat, diverge) => {
                let pat = self.rewriter.pat(pat);
                let diverge = self.rewriter.expr(diverge, &jumps);
                // A `let ... else` initializer may not end with `}` (a
                // block, or the `match` a `?` becomes).
                let value = match value.clone().into_iter().last() {
                    Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Brace => {
                        quote!((#value))
                    }
                    _ => value,
                };
                quote!(let #pat = #value else #diverge;)
            }
            FinishKind::Expr | FinishKind::Tail => quote!(#value;),
        };
        (code, diverges)
    }

    /// Where control goes when the end of `block` is reached, with the
    /// block's value (for blocks that do not fall through).
    fn block_end(&self, block: BlockId, value: Option<TokenStream>, arm: &Arm) -> TokenStream {
        match self.program.blocks[block].owner {
            Owner::Function => {
                let shown = self.rewriter.trace.then(|| self.shown_end(block, &value));
                match value {
                    Some(value) => self.body_end(value, shown.as_deref(), arm),
                    None => self.rewriter.finish(quote!(()), shown.as_deref()),
                }
            }
            Owner::LoopBody(c) => {
                let mut out = discard(value);
                out.extend(self.goto(self.layout.head_state[&c], arm));
                out
            }
            Owner::Branch(c) | Owner::Nested(c) => self.after(c, value, arm),
        }
    }

    /// The blocks whose end is the body's end: the body, and the branches
    /// of an `if`, `match` or block ending it (and so on), with the names
    /// their heads make (temporaries of the body's tail too) and the
    /// bindings of those `match` arms. `None` when a loop or a labeled
    /// block ends it (a value may leave it by a `break` from any depth).
    fn body_tail(&self) -> Option<BodyTail> {
        let mut tail = BodyTail {
            blocks: vec![self.program.body],
            heads: HashSet::new(),
            arm_bindings: Vec::new(),
        };
        let mut next = 0;
        while let Some(&b) = tail.blocks.get(next) {
            next += 1;
            let block = &self.program.blocks[b];
            let Some(Node::Construct(c)) = block.nodes.last().filter(|_| block.tail.is_none())
            else {
                continue;
            };
            let construct = &self.program.constructs[*c];
            match &construct.kind {
                ConstructKind::If {
                    then, otherwise, ..
                } => {
                    tail.blocks.extend([*then, *otherwise]);
                    let bindings = self.layout.arm_declares.get(&(*c, 0));
                    tail.arm_bindings.extend(bindings.into_iter().flatten());
                }
                ConstructKind::Match { arms, .. } => {
                    for (i, (_, _, arm_block)) in arms.iter().enumerate() {
                        tail.blocks.push(*arm_block);
                        let bindings = self.layout.arm_declares.get(&(*c, i));
                        tail.arm_bindings.extend(bindings.into_iter().flatten());
                    }
                }
                ConstructKind::Nested { block, .. } if construct.label.is_none() => {
                    tail.blocks.push(*block)
                }
                _ => return None,
            }
            tail.heads
                .extend(construct.head.iter().map(|ident| ident.to_string()));
        }
        Some(tail)
    }

    /// Before 2024, the bindings the heads of the constructs ending the
    /// body make: temporaries of its tail, dropped after its locals (also
    /// when the future is dropped while waiting). Empty from 2024 on.
    fn tail_temporaries_before_2024(&self) -> HashSet<usize> {
        let heads = match self.function.edition {
            crate::edition::Edition::Rust2024 => None,
            _ => self.body_tail().map(|tail| tail.heads),
        };
        let Some(heads) = heads else {
            return HashSet::new();
        };
        (0..self.layout.bindings.len())
            .filter(|&id| heads.contains(&self.layout.bindings[id].ident.to_string()))
            .collect()
    }

    /// The end of the function's body with its value `value`: `return
    /// Ready(value)` as [`Rewriter::finish`] writes it, with the body's
    /// locals dropped as the crate's edition drops them. From 2024 on, the
    /// temporaries of a block's tail expression are dropped before the
    /// block's locals, as `let output = value;` does. Before 2024 they
    /// outlive the locals (`let local = ..; f().await; make().len()` drops
    /// `local`, then the temporary): the value is made as the scrutinee of
    /// a `match`, whose temporaries live through it, and the locals still
    /// owned are dropped inside, newest first:
    ///
    /// ```text
    /// match make().len() {
    ///     output => {
    ///         ::core::mem::drop(local);
    ///         /* return Ready(output) */
    ///     }
    /// }
    /// ```
    ///
    /// A local in a slot is dropped by dropping its `ScopeEnd` value
    /// (`drop(items_scope)` empties the slot); a local the value moves (or
    /// copies) or takes a field of by value is left to be dropped at the
    /// end. When an `if`, `match` or block ends the body, its branch's
    /// locals go first, then the body's; its head's temporaries last.
    fn body_end(&self, value: TokenStream, shown: Option<&str>, arm: &Arm) -> TokenStream {
        let plain_end = |value: TokenStream| self.rewriter.finish(value, shown);
        if self.function.edition == crate::edition::Edition::Rust2024 {
            return plain_end(value);
        }
        let Ok(expr) = syn::parse2::<Expr>(value.clone()) else {
            return plain_end(value);
        };
        let Some(tail) = self.body_tail() else {
            return plain_end(value);
        };
        let (tail_blocks, tail_heads, arm_patterns) = (tail.blocks, tail.heads, tail.arm_bindings);
        // Declared by a `let` with a value (a `let x;` may still be
        // uninitialised here).
        let with_value = |b: BlockId, i: usize| match &self.program.blocks[b].nodes[i] {
            Node::Stmt(syn::Stmt::Local(local)) => local.init.is_some(),
            _ => true,
        };
        let top_level: HashSet<usize> = (0..self.layout.param_bindings)
            .chain(
                self.layout
                    .declares
                    .iter()
                    .filter(|((b, i), _)| tail_blocks.contains(b) && with_value(*b, *i))
                    .flat_map(|(_, ids)| ids.iter().copied()),
            )
            .chain(arm_patterns)
            .filter(|&id| !tail_heads.contains(&self.layout.bindings[id].ident.to_string()))
            .collect();
        // A local in a slot is dropped through its `ScopeEnd` value, which
        // each arm declares for the slots in scope there.
        let in_slot = |id: usize| self.layout.slot(id).is_some_and(|p| !p.copy);
        if self.layout.pinned.iter().any(|p| {
            top_level.contains(&p.binding) && in_slot(p.binding) && !arm.scoped.contains(&p.binding)
        }) {
            return plain_end(value);
        }
        let mut owned: Vec<usize> = arm
            .plain
            .iter()
            .chain(&arm.flagged)
            .chain(&arm.dead)
            .chain(&arm.declared)
            .chain(arm.scoped.iter().filter(|&&id| in_slot(id)))
            .copied()
            .filter(|id| {
                top_level.contains(id)
                    && !arm.moved.contains(id)
                    && !self.layout.trivial.contains(id)
                    && !self.layout.temporaries.contains(id)
            })
            .collect();
        owned.sort_unstable();
        owned.dedup();
        if owned.is_empty() {
            return plain_end(value);
        }
        // What the value moves (or copies), or takes a field of (`pair.0`,
        // maybe a move): those are left alone (nothing left to drop, or
        // dropped at the end as from 2024 on).
        let mut taken: HashSet<String> = crate::analyse::mentions(&expr)
            .into_iter()
            .filter(|m| m.usage == crate::analyse::Use::Move)
            .map(|m| m.name)
            .collect();
        taken.extend(field_roots(&expr));
        owned.retain(|&id| !taken.contains(&self.layout.bindings[id].ident.to_string()));
        if owned.is_empty() {
            return plain_end(value);
        }
        let output = Ident::new("output", Span::mixed_site());
        let drops = owned.iter().rev().map(|&id| {
            let ident = &self.layout.bindings[id].ident;
            if arm.dying.contains(&id) {
                let holder = dying_ident(ident);
                return quote!(::core::mem::drop(#holder););
            }
            if in_slot(id) {
                let scope = scope_ident(ident);
                quote!(::core::mem::drop(#scope);)
            } else {
                quote!(::core::mem::drop(#ident);)
            }
        });
        let end = plain_end(quote!(#output));
        quote! {
            match #value {
                #output => {
                    #(#drops)*
                    #end
                }
            }
        }
    }

    /// Leaves construct `c` with `value`: to its join point if it has one,
    /// else to where its own block goes.
    fn after(&self, c: ConstructId, value: Option<TokenStream>, arm: &Arm) -> TokenStream {
        let construct = &self.program.constructs[c];
        let Some(&join) = self.layout.join_state.get(&c) else {
            return self.block_end(construct.at.0, value, arm);
        };
        // The join state receives the value under the construct's name.
        let mut out = match &construct.value {
            Some(v) => {
                let value = value.unwrap_or_else(|| quote!(()));
                quote!(let #v = #value;)
            }
            None => discard(value),
        };
        out.extend(self.goto(join, arm));
        out
    }

    /// Stores state `index` with the values it saves (from the arm's locals,
    /// a construct's value included), and continues there.
    /// The values among `head` (a construct's temporaries) that a later
    /// `.await` of the head took by value into its sub-future
    /// (`f(g().await).await`): gone, not dropped with the others.
    fn moved_into_futures(&self, head: &[Ident]) -> HashSet<String> {
        let names: HashSet<String> = head.iter().map(|i| i.to_string()).collect();
        self.program
            .awaits
            .iter()
            .flat_map(|a| crate::analyse::mentions(&a.future))
            .filter(|m| m.usage == crate::analyse::Use::Move && names.contains(&m.name))
            .map(|m| m.name)
            .collect()
    }

    /// Whether control never goes on in `block` after node `i` (see
    /// [`Layout::dead_after`]).
    fn dead_after(&self, block: BlockId, i: usize) -> bool {
        self.layout.dead_after.contains(&(block, i))
    }

    fn goto(&self, index: usize, arm: &Arm) -> TokenStream {
        if !self.layout.states[index].reachable {
            return quote!(::core::unreachable!(););
        }
        let fields = self.fields(index, arm);
        let name = &self.layout.enum_name;
        let variant = &self.layout.states[index].name;
        let state = &self.rewriter.state;
        let body = if fields.is_empty() {
            quote!()
        } else {
            quote!({ #(#fields,)* })
        };
        let next = self.next();
        let keep = self.keep_scoped(index, arm);
        quote! {
            #keep
            *#state = #name::#variant #body;
            #next
        }
    }

    /// `continue` (to the step loop).
    fn next(&self) -> TokenStream {
        if self.layout.pinned.is_empty() {
            quote!(continue;)
        } else {
            // Inside an arm's `'finish: { ... }` block a plain `continue`
            // is not allowed: name the step loop.
            self.labeled.set(true);
            let label = poll_label();
            quote!(continue #label;)
        }
    }

    /// The field initialisers of state `index`, from the arm's locals.
    fn fields(&self, index: usize, arm: &Arm) -> Vec<TokenStream> {
        self.layout.states[index]
            .saved
            .iter()
            .rev()
            .map(|s| {
                let field = &s.field;
                let local = &self.layout.bindings[s.binding].ident;
                // A drop flag: the value if this path still owns it.
                let owned_here = !arm.moved.contains(&s.binding)
                    && (arm.declared.contains(&s.binding) || arm.plain.contains(&s.binding));
                // A dead value moved into its `Dying` holder after its last
                // use (see `Layout::dying`).
                if arm.dying.contains(&s.binding) && (s.dead || s.flagged) {
                    let holder = dying_ident(local);
                    return match s.flagged {
                        true => quote!(#field: #holder.into_flag()),
                        false => quote!(#field: #holder.into_drop_only()),
                    };
                }
                // A dead value: kept only if its type needs a drop (see
                // `layout::Saved::dead`), never moved otherwise.
                let if_needs_drop = |kept: TokenStream, not: TokenStream| {
                    quote! {
                        #field: if ::desugar_runtime::needs_drop_of(&#local) { #kept } else { #not }
                    }
                };
                if s.flagged && !arm.flagged.contains(&s.binding) {
                    return match owned_here {
                        true => if_needs_drop(
                            quote!(::desugar_runtime::DropFlag::new(#local)),
                            quote!(::desugar_runtime::DropFlag::moved()),
                        ),
                        false => quote!(#field: ::desugar_runtime::DropFlag::moved()),
                    };
                }
                if s.dead && !arm.dead.contains(&s.binding) {
                    return if_needs_drop(
                        quote!(::desugar_runtime::DropOnly::new(#local)),
                        quote!(::desugar_runtime::DropOnly::nothing(&#local)),
                    );
                }
                if field == local {
                    quote!(#field)
                } else {
                    quote!(#field: #local)
                }
            })
            .collect()
    }

    /// A `break`/`continue` found in code of `block` that leaves it for a
    /// construct holding `.await`s: the jump, or `None` to leave it.
    fn jump(&self, block: BlockId, jump: &Jump<'_>, arm: &Arm) -> Option<TokenStream> {
        let target = self.target(block, jump.label, jump.is_break)?;
        let value = jump.value.map(|v| quote!(#v));
        let code = if jump.is_break {
            self.after(target, value, arm)
        } else {
            self.goto(self.layout.head_state[&target], arm)
        };
        if jump.in_loop && self.layout.pinned.is_empty() {
            // A plain `continue` would go to the user's loop.
            self.labeled.set(true);
            let label = poll_label();
            return Some(replace_continue(code, &label));
        }
        Some(code)
    }

    /// The construct a `break`/`continue` in `block` goes to.
    fn target(
        &self,
        block: BlockId,
        label: Option<&syn::Lifetime>,
        is_break: bool,
    ) -> Option<ConstructId> {
        let mut block = block;
        loop {
            let c = match self.program.blocks[block].owner {
                Owner::Function => return None,
                Owner::Branch(c) | Owner::LoopBody(c) | Owner::Nested(c) => c,
            };
            let construct = &self.program.constructs[c];
            let is_loop = matches!(construct.kind, ConstructKind::Loop { .. });
            // Without a label: the innermost loop. With one: the loop or
            // (for `break`) the labeled block that has it.
            let hit = match label {
                None => is_loop,
                Some(wanted) => {
                    construct
                        .label
                        .as_ref()
                        .is_some_and(|have| have.ident == wanted.ident)
                        && (is_loop || is_break)
                }
            };
            if hit {
                return Some(c);
            }
            block = construct.at.0;
        }
    }

    /// Code entering construct `c` (not an inline block).
    fn construct(&self, c: ConstructId, arm: &Arm) -> TokenStream {
        let construct = &self.program.constructs[c];
        let mut arm = arm.clone();
        arm.moved
            .extend(self.layout.head_moves.get(&c).into_iter().flatten());
        let arm = &arm;
        let block = construct.at.0;
        let jumps = |jump: &Jump<'_>| self.jump(block, jump, arm);
        match &construct.kind {
            ConstructKind::If {
                cond,
                then,
                otherwise,
            } => {
                let (then_drops, else_drops) = match construct.head_scope {
                    // Dropped with the condition (below).
                    HeadScope::Condition => (TokenStream::new(), TokenStream::new()),
                    HeadScope::IfLet => {
                        let mut moved = moved_by_condition(cond, true);
                        moved.extend(self.moved_into_futures(&construct.head));
                        (TokenStream::new(), self.head_drops(&construct.head, &moved))
                    }
                    _ => (TokenStream::new(), TokenStream::new()),
                };
                let (cond, pinned) = self.rewriter.head(cond, false, &jumps);
                // The values the condition's `.await`s made are its
                // temporaries: dropped once it is evaluated, before either
                // branch, whether it moved them or only looked at them
                // (`if reply.await.ok()`).
                let gone = self.moved_into_futures(&construct.head);
                let head: Vec<&Ident> = construct
                    .head
                    .iter()
                    .filter(|i| !gone.contains(&i.to_string()))
                    .collect();
                let cond = match construct.head_scope {
                    HeadScope::Condition if !head.is_empty() => {
                        let value = Ident::new("value", Span::mixed_site());
                        quote!({ #(let mut #head = #head;)* let #value = #cond; #value })
                    }
                    _ => quote!(#cond),
                };
                let mut then_arm = arm.clone();
                let bound = self.layout.arm_declares.get(&(c, 0));
                then_arm.declared.extend(bound.into_iter().flatten());
                let holders = self.holder_lets(bound.map_or(&[], Vec::as_slice), &mut then_arm);
                let then = self.block_from(*then, 0, &mut then_arm).tokens;
                let then = quote!(#holders #then);
                let otherwise = self.block_from(*otherwise, 0, &mut arm.clone()).tokens;
                let code = quote! {
                    if #cond {
                        #then_drops
                        #then
                    } else {
                        #else_drops
                        #otherwise
                    }
                };
                unsafe_if(pinned, code)
            }
            ConstructKind::Match { scrutinee, arms } => {
                // `let ... else`: the scrutinee's temporaries are dropped
                // before the `else` block (the last arm).
                let else_drops = (construct.head_scope == HeadScope::LetElse).then(|| {
                    self.head_drops(&construct.head, &self.moved_into_futures(&construct.head))
                });
                let moves = crate::analyse::scrutinee_use(arms.iter().map(|a| &a.0))
                    == crate::analyse::Use::Move;
                // A local kept in a slot, matched by arms that move out of
                // it (`Some(s)`), maybe next to arms that borrow it
                // (`Some(ref s)`): a moving arm matches by `ref`, then, once
                // taken (its guard may still read the local), takes the
                // value out of the slot and binds it as written.
                let slot = match scrutinee {
                    Expr::Path(p) => p
                        .path
                        .get_ident()
                        .filter(|i| self.rewriter.pinned.contains(i))
                        .filter(|i| !self.rewriter.pinned_copies.contains(i))
                        .cloned(),
                    _ => None,
                };
                let (scrutinee, pinned) =
                    self.rewriter
                        .head(scrutinee, moves && slot.is_none(), &jumps);
                let count = arms.len();
                let arms = arms.iter().enumerate().map(|(i, (pat, guard, body))| {
                    let taken = slot.as_ref().filter(|_| {
                        crate::analyse::binds_by_value(pat) && !crate::analyse::binds_ref(pat)
                    });
                    let take = taken.map(|local| {
                        let pat = self.rewriter.pat(pat);
                        let locals = hidden("locals");
                        quote! {
                            let #pat = #locals.#local.take() else { ::core::unreachable!() };
                        }
                    });
                    let pat = match taken {
                        Some(_) => crate::analyse::bind_by_ref(pat),
                        None => pat.clone(),
                    };
                    let pat = self.rewriter.pat(&pat);
                    let guard = guard.as_ref().map(|g| {
                        // Only dead code names a value the state keeps for
                        // its drop only (after a scrutinee that leaves:
                        // `match ({ return x; 0 }) { n if n < kept => .. }`)
                        let absent = self.rewriter.absent.borrow();
                        if crate::names::mentions_any(&g.to_token_stream(), &absent) {
                            return quote!(if ::core::unreachable!());
                        }
                        let g = self.rewriter.expr(g, &jumps);
                        quote!(if #g)
                    });
                    let drops = (i + 1 == count).then(|| else_drops.clone()).flatten();
                    let mut arm = arm.clone();
                    arm.moved
                        .extend(self.layout.arm_moves.get(&(c, i)).into_iter().flatten());
                    let bound = self.layout.arm_declares.get(&(c, i));
                    arm.declared.extend(bound.into_iter().flatten());
                    let holders = self.holder_lets(bound.map_or(&[], Vec::as_slice), &mut arm);
                    let body = self.block_from(*body, 0, &mut arm).tokens;
                    quote!(#pat #guard => { #drops #take #holders #body })
                });
                let code = quote! {
                    match #scrutinee {
                        #(#arms)*
                    }
                };
                unsafe_if(pinned, code)
            }
            ConstructKind::Loop { .. } => self.goto(self.layout.head_state[&c], arm),
            ConstructKind::Nested { .. } => unreachable!("handled by block_from"),
        }
    }

    /// Stores the values that live across await `k` and its sub-future in
    /// the state for `k`, then polls it (`continue`).
    fn suspend(&self, block: BlockId, k: usize, arm: &Arm) -> TokenStream {
        let name = &self.layout.enum_name;
        let index = self.layout.await_state[k];
        let state_info = &self.layout.states[index];
        let variant = &state_info.name;
        let (awaitee, _) = state_info
            .awaitee
            .as_ref()
            .expect("await states hold a future");
        let state = &self.rewriter.state;
        let fields = self.fields(index, arm);
        let next = self.next();
        // A `break`/`continue` in it (`f(x, { break 'outer; 0 }).await`)
        // jumps like one in a statement.
        let jumps = |jump: &Jump<'_>| self.jump(block, jump, arm);
        let future = &self.program.awaits[k].future;
        let erased;
        let future = match self.erase_receiver {
            Some(mutable)
                if mentions_several(future, &self.bindings)
                    && (self.tied_lifetimes || ties_lifetimes(future)) =>
            {
                erased = self
                    .forge_argument_lifetimes(future)
                    .unwrap_or_else(|| erase_receiver_lifetime(future, mutable));
                &erased
            }
            _ => future,
        };
        let future = self.rewriter.expr(future, &jumps);
        let keep = self.keep_scoped(index, arm);
        if !state_info.reachable {
            // Code the compiler type-checks but never runs (after a
            // `return`): the future is made, as written, and never polled;
            // left out if it names a value this arm does not have as itself
            // (kept only for its drop, see `Rewriter::absent`).
            let absent = self.rewriter.absent.borrow();
            if crate::names::mentions_any(&future.to_token_stream(), &absent) {
                return quote!(::core::unreachable!(););
            }
            return quote! {
                let _ = #future;
                ::core::unreachable!();
            };
        }
        if !state_info.future_borrows_saved {
            return quote! {
                #keep
                *#state = #name::#variant {
                    #awaitee: ::desugar_runtime::Awaitee::new(#future),
                    #(#fields,)*
                };
                #next
            };
        }
        // The sub-future borrows values it is stored next to: put them in
        // place first, then build it from references into the state.
        // So are the values it only reads a copy from (`parts[0]`, `*v`),
        // moved into the state before it is made.
        let mentions = crate::analyse::mentions(&future);
        let mentioned = |field: &Ident, usage: crate::analyse::Use| {
            let name = field.to_string();
            mentions.iter().any(|m| m.name == name && m.usage == usage)
        };
        let borrowed: Vec<&Ident> = state_info
            .saved
            .iter()
            .filter(|s| s.borrowed_by_future || mentioned(&s.field, crate::analyse::Use::Borrow))
            .map(|s| &s.field)
            .collect();
        // A value only read by value inside a closure or `async` block of
        // the sub-future (`|x| async move { x + offset }`) is reached
        // through a shared reference, which such a block can copy (a unique
        // one it would have to move out of its `FnMut` closure); a value
        // it only reads a copy from likewise.
        let read_only: Vec<&Ident> = state_info
            .saved
            .iter()
            .filter(|s| {
                let name = s.field.to_string();
                let mut of_it = mentions.iter().filter(|m| m.name == name).peekable();
                of_it.peek().is_some()
                    && of_it.all(|m| match s.borrowed_by_future {
                        true => m.in_closure && m.usage == crate::analyse::Use::Move,
                        false => m.usage == crate::analyse::Use::Borrow,
                    })
            })
            .map(|s| &s.field)
            .collect();
        let detached = borrowed
            .iter()
            .map(|field| match read_only.contains(field) {
                true => quote!(::desugar_runtime::detach_shared(&*#field)),
                false => quote!(::desugar_runtime::detach(#field)),
            });
        // Such a closure then captures those references by value.
        let future = move_closures_over(&future, &read_only, &self.bindings);
        let future = deref_names(future, &borrowed);
        let future_ident = hidden("future");
        quote! {
            #keep
            *#state = #name::#variant {
                #awaitee: ::desugar_runtime::Awaitee::empty(),
                #(#fields,)*
            };
            let #name::#variant { #(#borrowed,)* .. } = &mut *#state else {
                ::core::unreachable!()
            };
            let (#(#borrowed,)*) = unsafe { (#(#detached,)*) };
            let #future_ident = #future;
            let #name::#variant { #awaitee, .. } = &mut *#state else {
                ::core::unreachable!()
            };
            unsafe { ::core::pin::Pin::new_unchecked(#awaitee) }.set(#future_ident);
            #next
        }
    }
}

/// The names a condition moves. `failed_let`: as seen from the `else`
/// branch, where a `let` pattern did not match and so moved nothing out of
/// its scrutinee.
fn moved_by_condition(cond: &Expr, failed_let: bool) -> HashSet<String> {
    match cond {
        Expr::Let(l) if failed_let => match &*l.expr {
            Expr::Path(_) => HashSet::new(),
            other => moved_names(other),
        },
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut moved = moved_by_condition(&b.left, failed_let);
            moved.extend(moved_by_condition(&b.right, failed_let));
            moved
        }
        other => moved_names(other),
    }
}

/// Whether a pattern leaves part of its value unbound: `_`, `..`.
fn leaves_parts(pat: &syn::Pat) -> bool {
    use syn::Pat;
    match pat {
        Pat::Wild(_) | Pat::Rest(_) => true,
        Pat::Ident(p) => p.subpat.as_ref().is_some_and(|(_, s)| leaves_parts(s)),
        Pat::Paren(p) => leaves_parts(&p.pat),
        Pat::Reference(p) => leaves_parts(&p.pat),
        Pat::Slice(p) => p.elems.iter().any(leaves_parts),
        Pat::Tuple(p) => p.elems.iter().any(leaves_parts),
        Pat::TupleStruct(p) => p.elems.iter().any(leaves_parts),
        Pat::Struct(p) => p.rest.is_some() || p.fields.iter().any(|f| leaves_parts(&f.pat)),
        Pat::Type(p) => leaves_parts(&p.pat),
        Pat::Or(p) => p.cases.iter().any(leaves_parts),
        _ => false,
    }
}

/// `unsafe { code }` when `code`'s head reaches a pinned local's place
/// (`match (*m) { .. }`): the place must stay a place, not the value of an
/// `unsafe` block.
fn unsafe_if(pinned: bool, code: TokenStream) -> TokenStream {
    if pinned {
        quote!(unsafe { #code })
    } else {
        code
    }
}

/// The locals whose fields `expr` may move or copy (`pair` in `pair.0 + 1`,
/// not in `&pair.0`, `pair.0.len()` or `pair.0 == 1`).
fn field_roots(expr: &Expr) -> HashSet<String> {
    struct Roots(HashSet<String>);
    impl Roots {
        /// A field place that is only borrowed: its root is not taken, but
        /// index expressions inside it are still looked at.
        fn borrowed_place(&mut self, place: &Expr) {
            match place {
                Expr::Field(f) => self.borrowed_place(&f.base),
                Expr::Paren(p) => self.borrowed_place(&p.expr),
                Expr::Index(i) => {
                    self.borrowed_place(&i.expr);
                    syn::visit::Visit::visit_expr(self, &i.index);
                }
                other => syn::visit::Visit::visit_expr(self, other),
            }
        }
    }
    impl<'ast> syn::visit::Visit<'ast> for Roots {
        fn visit_expr_field(&mut self, f: &'ast syn::ExprField) {
            if let Some(root) = crate::layout::place_root(&f.base) {
                self.0.insert(root);
            }
            syn::visit::visit_expr_field(self, f);
        }
        // `&resp.body`
        fn visit_expr_reference(&mut self, r: &'ast syn::ExprReference) {
            self.borrowed_place(&r.expr);
        }
        // `resp.body.len()`: a method that leaves its receiver in place
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if crate::analyse::keeps_receiver(&call.method.to_string()) {
                self.borrowed_place(&call.receiver);
            } else {
                self.visit_expr(&call.receiver);
            }
            for arg in &call.args {
                self.visit_expr(arg);
            }
        }
        // `resp.status == 200`: comparisons take their operands by reference
        fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
            use crate::analyse::{binary_uses, Use};
            if binary_uses(&b.op) == (Use::Borrow, Use::Borrow) {
                self.borrowed_place(&b.left);
                self.borrowed_place(&b.right);
            } else {
                syn::visit::visit_expr_binary(self, b);
            }
        }
    }
    let mut roots = Roots(HashSet::new());
    syn::visit::Visit::visit_expr(&mut roots, expr);
    roots.0
}

/// What ends the function's body (see [`Emitter::body_tail`]).
struct BodyTail {
    blocks: Vec<BlockId>,
    heads: HashSet<String>,
    arm_bindings: Vec<usize>,
}

/// `value;` for a value nobody receives (nothing for none).
fn discard(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) if v.to_string() != "()" => quote!(#v;),
        _ => TokenStream::new(),
    }
}

/// `continue` → `continue 'poll` in generated jump code.
fn replace_continue(code: TokenStream, label: &syn::Lifetime) -> TokenStream {
    let mut out = TokenStream::new();
    for tree in code {
        match tree {
            TokenTree::Ident(ident) if ident == "continue" => {
                out.extend(quote!(continue #label));
            }
            TokenTree::Group(group) => {
                let mut new =
                    Group::new(group.delimiter(), replace_continue(group.stream(), label));
                new.set_span(group.span());
                out.extend([TokenTree::Group(new)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

/// Whether the code that `output` is used in needs it `mut` (a method call
/// on it, or `&mut output`).
fn needs_mut(output: &Ident, code: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = code.clone().into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == output => {
                let dot_after =
                    matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '.');
                let mut_before =
                    i >= 1 && matches!(&trees[i - 1], TokenTree::Ident(m) if m == "mut");
                if dot_after || mut_before {
                    return true;
                }
            }
            TokenTree::Group(group) if needs_mut(output, &group.stream()) => return true,
            _ => {}
        }
    }
    false
}

/// A statement that is a block which always leaves (the code of a jump),
/// written without its braces.
fn flatten(stmt: syn::Stmt) -> TokenStream {
    if let syn::Stmt::Expr(Expr::Block(b), _) = &stmt {
        if b.label.is_none() && b.attrs.is_empty() && stmt_diverges(&stmt) {
            let stmts = &b.block.stmts;
            return quote!(#(#stmts)*);
        }
    }
    stmt.into_token_stream()
}

/// Whether a statement always leaves: it is (or ends in) `return`,
/// `break` or `continue`.
fn stmt_diverges(stmt: &syn::Stmt) -> bool {
    match stmt {
        syn::Stmt::Expr(e, _) => expr_diverges(e),
        _ => false,
    }
}

fn expr_diverges(expr: &Expr) -> bool {
    let block_diverges = |block: &syn::Block| match block.stmts.last() {
        Some(last) => stmt_diverges(last) || is_jump_block(block),
        None => false,
    };
    match expr {
        Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) => true,
        Expr::Block(b) if b.label.is_none() => block_diverges(&b.block),
        // `unsafe { return .. }`: a statement that reads pinned locals.
        Expr::Unsafe(b) => block_diverges(&b.block),
        Expr::Match(m) => !m.arms.is_empty() && m.arms.iter().all(|arm| expr_diverges(&arm.body)),
        // `if c { return x } else { break }` (a `while` whose body always
        // leaves): the code after it never runs.
        Expr::If(i) => {
            block_diverges(&i.then_branch)
                && i.else_branch
                    .as_ref()
                    .is_some_and(|(_, e)| expr_diverges(e))
        }
        Expr::Paren(p) => expr_diverges(&p.expr),
        _ => false,
    }
}

/// A block that ends in `continue;` (generated jump code).
fn is_jump_block(block: &syn::Block) -> bool {
    matches!(
        block.stmts.last(),
        Some(syn::Stmt::Expr(Expr::Continue(_), _))
    ) || matches!(
        block.stmts.last(),
        Some(syn::Stmt::Expr(Expr::Return(_), _))
    )
}

/// Names the result of a split statement moves (so they need no rebinding).
fn moved_names(result: &Expr) -> HashSet<String> {
    crate::analyse::mentions(result)
        .into_iter()
        .filter(|m| m.usage == crate::analyse::Use::Move)
        .map(|m| m.name)
        .collect()
}

/// The branches of an `if`, as tokens: `{ .. } else { .. }`.
fn if_branches(e: &syn::ExprIf) -> TokenStream {
    let then = &e.then_branch;
    let otherwise = e.else_branch.as_ref().map(|(token, e)| quote!(#token #e));
    quote!(#then #otherwise)
}
