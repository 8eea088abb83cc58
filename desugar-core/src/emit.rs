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
//! poll it at once. At the end it stores `Done` and returns `Ready`.
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
//!   (`&mut *(buf as *mut _)`). They stay valid because the values do not
//!   move until the sub-future is dropped: the state stays put while pinned,
//!   the `Awaitee` is the state's first field (dropped first if the whole
//!   future is dropped), and on `Ready` it is dropped before anything moves.
//!   Rust still checks the borrows *within* the expression.
//!
//! [`Awaitee`]: ../../desugar_runtime/struct.Awaitee.html

use std::collections::HashSet;

use proc_macro2::{Delimiter, Group, Ident, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::visit_mut::VisitMut;
use syn::Expr;

use crate::args::Args;
use crate::layout::Layout;
use crate::lower::{Op, Program, SplitKind, Step};
use crate::parse::{AsyncFn, ParamBinding};
use crate::rewrite::{self, Rewriter};
use crate::signature::{self, hidden};

/// Emits the generated function.
pub fn emit(_args: &Args, function: &AsyncFn, program: &Program, layout: &Layout) -> TokenStream {
    let signature::Rewritten {
        sig,
        closure_output,
    } = signature::rewrite(function);
    let emitter = Emitter {
        function,
        program,
        layout,
        rewriter: Rewriter {
            enum_name: layout.enum_name.clone(),
        },
    };
    let attrs = &function.attrs;
    let vis = &function.vis;
    let enum_def = emitter.enum_def();
    let start = emitter.start_value();
    let arms = emitter.arms();
    let state = rewrite::state();
    let pinned = hidden("pinned");
    let cx = hidden("cx");
    let machine = hidden("machine");
    let output = closure_output.map(|t| quote!(-> ::core::task::Poll<#t>));
    let items = &program.items;
    quote! {
        #(#attrs)*
        #vis #sig {
            #(#items)*
            #enum_def
            #[allow(unreachable_code, unused_mut, unused_variables, clippy::all)]
            let #machine = ::desugar_runtime::StateMachine::new(#start, |mut #pinned, #cx| #output {
                loop {
                    let #state = unsafe { ::core::pin::Pin::get_unchecked_mut(#pinned.as_mut()) };
                    match #state {
                        #arms
                    }
                }
            });
            #machine
        }
    }
}

struct Emitter<'a> {
    function: &'a AsyncFn,
    program: &'a Program,
    layout: &'a Layout,
    rewriter: Rewriter,
}

/// What one arm knows while its code is written: which bindings currently
/// live under their hidden name because a `let` shadowed them.
#[derive(Default)]
struct Arm {
    hidden: HashSet<usize>,
}

impl Emitter<'_> {
    fn enum_def(&self) -> TokenStream {
        let name = &self.layout.enum_name;
        let params = &self.layout.type_params;
        let generics = if params.is_empty() {
            quote!()
        } else {
            quote!(<#(#params),*>)
        };
        let fn_name = self.function.sig.ident.to_string();
        let doc_enum =
            format!(" The states of `{fn_name}`: `Start`, one state per `.await`, and `Done`.");
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
            .zip(&self.program.awaits)
            .map(|(state, point)| {
                let variant = &state.name;
                let awaitee = &state.awaitee;
                let param = &state.awaitee_param;
                let fields = state.saved.iter().rev().map(|s| {
                    let field = &s.field;
                    let param = &s.param;
                    quote!(#field: #param)
                });
                let kept: Vec<String> = state
                    .saved
                    .iter()
                    .map(|s| format!("`{}`", s.field))
                    .collect();
                let mut doc = format!(" Waiting for `{}`", compact(&point.future));
                if kept.is_empty() {
                    doc.push('.');
                } else {
                    doc.push_str(&format!("; keeps {} for later.", kept.join(", ")));
                }
                quote! {
                    #[doc = #doc]
                    #variant { #awaitee: ::desugar_runtime::Awaitee<#param>, #(#fields),* },
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
        }
    }

    fn start_value(&self) -> TokenStream {
        let name = &self.layout.enum_name;
        if self.layout.start.is_empty() {
            return quote!(#name::Start);
        }
        let fields = self.function.params.iter().enumerate().map(|(i, param)| {
            let field = &param.field;
            let value = signature::start_value(self.function, i);
            if matches!(&function_input(self.function, i), syn::FnArg::Typed(_)) {
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
        arms.extend(self.start_arm());
        for (k, state) in self.layout.states.iter().enumerate() {
            let variant = &state.name;
            let awaitee = &state.awaitee;
            let output = &self.program.awaits[k].output;
            let cx = hidden("cx");
            let take = self.take(
                quote!(#name::#variant),
                state.saved.iter().map(|s| {
                    (
                        s.field.clone(),
                        s.restore_as.clone(),
                        self.layout.bindings[s.binding].mutable,
                    )
                }),
                false,
            );
            let mut arm = Arm::default();
            for s in &state.saved {
                if s.restore_as != self.layout.bindings[s.binding].ident {
                    arm.hidden.insert(s.binding);
                }
            }
            let (op, step) = self.layout.await_at[k];
            let code = self.code_from(op, step + 1, Some(k), &mut arm);
            arms.extend(quote! {
                #name::#variant { #awaitee, .. } => {
                    let #output = match unsafe { ::core::pin::Pin::new_unchecked(#awaitee) }.poll(#cx) {
                        ::core::task::Poll::Ready(#output) => #output,
                        ::core::task::Poll::Pending => return ::core::task::Poll::Pending,
                    };
                    #take
                    #code
                }
            });
        }
        arms.extend(quote! {
            #name::Done => ::core::panic!("`async fn` resumed after completion"),
            #name::Poisoned => ::core::panic!("`async fn` resumed after panicking"),
        });
        arms
    }

    /// `let Name::Variant { a, mut b, .. } = mem::replace(state, Name::Poisoned) else { unreachable!() };`
    fn take(
        &self,
        variant: TokenStream,
        fields: impl Iterator<Item = (Ident, Ident, bool)>,
        all: bool,
    ) -> TokenStream {
        let name = &self.layout.enum_name;
        let state = rewrite::state();
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
                        let pat = self.rewriter.pat(pat);
                        quote!(let #pat = #field;)
                    }
                    ParamBinding::Ident { mutable } => {
                        let mutability = mutable.then(|| quote!(mut));
                        quote!(let #mutability #field = #field;)
                    }
                });
            }
        }
        let code = self.code_from(0, 0, None, &mut Arm::default());
        let pattern = if self.layout.start.is_empty() {
            quote!(#name::Start)
        } else {
            quote!(#name::Start { .. })
        };
        quote! {
            #pattern => {
                #take
                #binds
                #code
            }
        }
    }

    /// The code of the body from step `first_step` of op `first_op` on, up
    /// to the next suspension or the end. `resumed` is the await this arm
    /// resumes after, if any.
    fn code_from(
        &self,
        first_op: usize,
        first_step: usize,
        resumed: Option<usize>,
        arm: &mut Arm,
    ) -> TokenStream {
        let mut out = TokenStream::new();
        for (i, op) in self.program.ops.iter().enumerate().skip(first_op) {
            for &shadowed in &self.layout.ops[i].shadows {
                let binding = &self.layout.bindings[shadowed];
                if binding.saved_hidden && !arm.hidden.contains(&shadowed) {
                    let (hidden, ident) = (&binding.hidden, &binding.ident);
                    out.extend(quote!(let mut #hidden = #ident;));
                    arm.hidden.insert(shadowed);
                }
            }
            match op {
                Op::Stmt(stmt) => out.extend(self.rewriter.stmt(stmt).into_token_stream()),
                Op::Tail(expr) => {
                    out.extend(
                        self.rewriter
                            .finish(self.rewriter.expr(expr).into_token_stream()),
                    );
                    return out;
                }
                Op::Split(split) => {
                    let start = if i == first_op { first_step } else { 0 };
                    let remaining = &split.steps[start..];
                    if let Some(at) = remaining.iter().position(|s| matches!(s, Step::Await(_))) {
                        for step in &remaining[..at] {
                            if let Step::Temp(temp) = step {
                                let ident = &temp.ident;
                                let expr = self.rewriter.expr(&temp.expr);
                                out.extend(quote!(let mut #ident = #expr;));
                            }
                        }
                        let Step::Await(k) = remaining[at] else {
                            unreachable!()
                        };
                        out.extend(self.suspend(k, arm));
                        return out;
                    }
                    // The statement finishes in this arm. Values of the
                    // statement restored here are bound again inside a block
                    // so that they are dropped at the end of the statement,
                    // as temporaries are, unless the result moves them.
                    let result = self.rewriter.expr(&split.result);
                    let mut rebinds = TokenStream::new();
                    if let Some(resumed) = resumed.filter(|_| i == first_op) {
                        let moved = moved_names(&split.result);
                        for &id in &self.layout.ops[i].scoped {
                            let ident = &self.layout.bindings[id].ident;
                            let declared_before = self.layout.states[resumed]
                                .saved
                                .iter()
                                .any(|s| s.binding == id)
                                || self.program.awaits[resumed].output == *ident;
                            if declared_before && !moved.contains(&ident.to_string()) {
                                rebinds.extend(quote!(let #ident = #ident;));
                            }
                        }
                    }
                    let value = if rebinds.is_empty() {
                        quote!(#result)
                    } else {
                        quote!({ #rebinds #result })
                    };
                    match &split.kind {
                        SplitKind::Let(pat) => {
                            let pat = self.rewriter.pat(pat);
                            out.extend(quote!(let #pat = #value;));
                        }
                        SplitKind::Expr => out.extend(quote!(#value;)),
                        SplitKind::Tail => {
                            out.extend(self.rewriter.finish(value));
                            return out;
                        }
                    }
                }
            }
            for &declared in &self.layout.ops[i].declares {
                arm.hidden.remove(&declared);
            }
        }
        // A body that ends in `return value;` has already returned.
        if !ends_in_return(self.program) {
            out.extend(self.rewriter.finish(quote!(())));
        }
        out
    }

    /// Stores the values that live across await `k` and its sub-future in
    /// the state for `k`, then polls it (`continue`).
    fn suspend(&self, k: usize, arm: &Arm) -> TokenStream {
        let name = &self.layout.enum_name;
        let state_info = &self.layout.states[k];
        let variant = &state_info.name;
        let awaitee = &state_info.awaitee;
        let state = rewrite::state();
        let fields: Vec<TokenStream> = state_info
            .saved
            .iter()
            .rev()
            .map(|s| {
                let field = &s.field;
                let binding = &self.layout.bindings[s.binding];
                let value = if arm.hidden.contains(&s.binding) {
                    &binding.hidden
                } else {
                    &binding.ident
                };
                if field == value {
                    quote!(#field)
                } else {
                    quote!(#field: #value)
                }
            })
            .collect();
        let future = self.rewriter.expr(&self.program.awaits[k].future);
        if !state_info.future_borrows_saved {
            return quote! {
                *#state = #name::#variant {
                    #awaitee: ::desugar_runtime::Awaitee::new(#future),
                    #(#fields,)*
                };
                continue;
            };
        }
        // The sub-future borrows values it is stored next to: put them in
        // place first, then build it from references into the state.
        let borrowed: Vec<&Ident> = state_info
            .saved
            .iter()
            .filter(|s| s.borrowed_by_future)
            .map(|s| &s.field)
            .collect();
        let future = deref_names(future, &borrowed);
        let future_ident = hidden("future");
        quote! {
            *#state = #name::#variant {
                #awaitee: ::desugar_runtime::Awaitee::empty(),
                #(#fields,)*
            };
            let #name::#variant { #(#borrowed,)* .. } = &mut *#state else {
                ::core::unreachable!()
            };
            let (#(#borrowed,)*) = unsafe { (#(::desugar_runtime::detach(#borrowed),)*) };
            let #future_ident = #future;
            let #name::#variant { #awaitee, .. } = &mut *#state else {
                ::core::unreachable!()
            };
            unsafe { ::core::pin::Pin::new_unchecked(#awaitee) }.set(#future_ident);
            continue;
        }
    }
}

fn ends_in_return(program: &Program) -> bool {
    match program.ops.last() {
        Some(Op::Stmt(syn::Stmt::Expr(Expr::Return(_), _))) => true,
        Some(Op::Split(split)) => {
            matches!(split.kind, SplitKind::Expr) && matches!(split.result, Expr::Return(_))
        }
        _ => false,
    }
}

fn function_input(function: &AsyncFn, index: usize) -> &syn::FnArg {
    &function.sig.inputs[index]
}

/// Names the result of a split statement moves (so they need no rebinding).
fn moved_names(result: &Expr) -> HashSet<String> {
    crate::analyse::mentions(result)
        .into_iter()
        .filter(|m| m.usage == crate::analyse::Use::Move)
        .map(|m| m.name)
        .collect()
}

/// `buf` → `(*buf)` for each name in `names`, in `expr`.
fn deref_names(expr: Expr, names: &[&Ident]) -> Expr {
    struct Deref<'a>(&'a [&'a Ident]);
    impl Deref<'_> {
        fn hit(&self, ident: &Ident) -> bool {
            self.0.contains(&ident)
        }
    }
    impl VisitMut for Deref<'_> {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::Path(p) = expr {
                if let Some(ident) = p.path.get_ident() {
                    if p.qself.is_none() && self.hit(ident) {
                        let ident = ident.clone();
                        *expr = syn::parse_quote!((*#ident));
                        return;
                    }
                }
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
        fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
            if field.colon_token.is_none() {
                field.colon_token = Some(Default::default());
            }
            syn::visit_mut::visit_field_value_mut(self, field);
        }
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            mac.tokens = deref_tokens(mac.tokens.clone(), self.0);
        }
    }
    let mut expr = expr;
    Deref(names).visit_expr_mut(&mut expr);
    expr
}

fn deref_tokens(tokens: TokenStream, names: &[&Ident]) -> TokenStream {
    let mut out = Vec::new();
    let mut previous_dot = false;
    for tree in tokens {
        let is_dot = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '.');
        match &tree {
            TokenTree::Ident(ident) if !previous_dot && names.contains(&ident) => {
                let mut group = Group::new(Delimiter::Parenthesis, quote!(*#ident));
                group.set_span(ident.span());
                out.push(TokenTree::Group(group));
            }
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), deref_tokens(group.stream(), names));
                new.set_span(group.span());
                out.push(TokenTree::Group(new));
            }
            other => out.push(other.clone()),
        }
        previous_dot = is_dot;
    }
    out.into_iter().collect()
}

/// Token text without the spaces `to_string` puts everywhere: for doc
/// comments.
pub fn compact(tokens: &impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = out.chars().last().unwrap_or(' ');
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let tight_after = matches!(prev, '(' | '[' | '.' | '&' | '!' | ':' | '<');
            let tight_before = matches!(
                next,
                '(' | ')' | '[' | ']' | '.' | ',' | '?' | ';' | ':' | '>' | '<'
            );
            if tight_after || tight_before {
                continue;
            }
        }
        out.push(c);
    }
    out.replace("& mut", "&mut")
}
