//! Stage 5: the states, and which value each one stores.
//!
//! In: the function and its lowered [`Program`]. Out: a [`Layout`]: the
//! enum's name, its `Start` fields (the arguments), and for every `.await` a
//! state with the sub-future's slot and the values saved across it.
//!
//! A value is saved across an `.await` when the code after it reads it, or
//! when it is still owned there and so must be dropped later (a guard kept
//! for its `Drop`). "Still owned" follows the uses [`analyse`] reads off the
//! syntax: a move (`f(x)`) ends ownership, an assignment starts it again, a
//! borrow changes nothing.
//!
//! Names are chosen for the reader: the state for `let url = build_url().await`
//! is `WaitingForUrl`; otherwise it is named after what is awaited
//! (`tick().await` → `WaitingForTick`). Saved fields keep the user's names;
//! each stored value has one type parameter, named after it (`url: Url`,
//! `build_url_future: Awaitee<BuildUrlFuture>`), shared by every state that
//! stores it.
//!
//! [`analyse`]: crate::analyse

use proc_macro2::Span;
use syn::Ident;

use crate::analyse::{self, Use};
use crate::lower::{Op, Program, SplitKind, Step};
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
    /// One per `.await`, in order.
    pub states: Vec<State>,
    /// Every binding of the body, by id.
    pub bindings: Vec<Binding>,
    /// For each op of the program: the bindings it declares that outlive it
    /// (a `let`'s), and the bindings it hides by declaring the same name.
    pub ops: Vec<OpBindings>,
    /// For each `.await`: the op and step it is.
    pub await_at: Vec<(usize, usize)>,
}

/// What one op of the program does to the bindings in scope.
#[derive(Default)]
pub struct OpBindings {
    /// Declared by a `let` (they live on after the statement).
    pub declares: Vec<usize>,
    /// Earlier bindings that this op's `let` shadows.
    pub shadows: Vec<usize>,
    /// The statement's own temporaries and await outputs.
    pub scoped: Vec<usize>,
}

/// A binding of the body (parameter, `let`, temporary or await output).
pub struct Binding {
    /// The identifier code uses for it (the user's, with its span).
    pub ident: Ident,
    /// Whether it is declared `mut`.
    pub mutable: bool,
    /// The identifier used for it once a later `let` has shadowed its name.
    pub hidden: Ident,
    /// Whether some state saves it while it is shadowed.
    pub saved_hidden: bool,
}

/// The state for one `.await`.
pub struct State {
    /// `WaitingForUrl`.
    pub name: Ident,
    /// `build_url_future`: the field holding the sub-future.
    pub awaitee: Ident,
    /// `BuildUrlFuture`: its type parameter.
    pub awaitee_param: Ident,
    /// The values saved across the await, in declaration order.
    pub saved: Vec<Saved>,
    /// Whether the sub-future borrows saved values, so that it must be built
    /// after they are in their place in the state.
    pub future_borrows_saved: bool,
}

/// One value saved in a state.
pub struct Saved {
    /// Which binding.
    pub binding: usize,
    /// The field that holds it.
    pub field: Ident,
    /// The field's type parameter.
    pub param: Ident,
    /// The identifier it is bound to again when the state is left: the user's
    /// own, or a hidden one if a later `let` shadowed the name.
    pub restore_as: Ident,
    /// Whether the sub-future's expression borrows it.
    pub borrowed_by_future: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    Declare(usize),
    Mention {
        binding: usize,
        usage: Use,
        in_future: Option<usize>,
    },
    Await(usize),
    EndScope(usize),
}

struct Timeline {
    bindings: Vec<Binding>,
    events: Vec<Event>,
    scope: Vec<usize>,
}

impl Timeline {
    fn declare(&mut self, ident: Ident, mutable: bool) -> usize {
        let id = self.bindings.len();
        let plain = syn::ext::IdentExt::unraw(&ident);
        let hidden = Ident::new(&format!("{plain}_shadowed{id}"), Span::mixed_site());
        self.bindings.push(Binding {
            ident,
            mutable,
            hidden,
            saved_hidden: false,
        });
        self.scope.push(id);
        self.events.push(Event::Declare(id));
        id
    }

    fn resolve(&self, name: &str) -> Option<usize> {
        self.scope
            .iter()
            .rev()
            .copied()
            .find(|&id| self.bindings[id].ident == name)
    }

    fn mention_all(&mut self, mentions: Vec<analyse::Mention>, in_future: Option<usize>) {
        for mention in mentions {
            let name = if mention.name == "self" {
                "__self".to_string()
            } else {
                mention.name
            };
            if let Some(binding) = self.resolve(&name) {
                self.events.push(Event::Mention {
                    binding,
                    usage: mention.usage,
                    in_future,
                });
            }
        }
    }

    fn end_scope(&mut self, from: usize) {
        while self.scope.len() > from {
            let id = self.scope.pop().expect("scope is not empty");
            self.events.push(Event::EndScope(id));
        }
    }
}

impl Layout {
    /// Computes the layout of `function`'s state machine.
    pub fn of(function: &AsyncFn, program: &Program) -> Layout {
        let mut timeline = Timeline {
            bindings: Vec::new(),
            events: Vec::new(),
            scope: Vec::new(),
        };
        let mut start_bindings = Vec::new();
        for param in &function.params {
            match &param.binding {
                ParamBinding::Ident { mutable } => {
                    start_bindings.push(Some(timeline.declare(param.field.clone(), *mutable)));
                }
                ParamBinding::Pattern(pat) => {
                    for declared in analyse::bindings(pat) {
                        timeline.declare(declared.ident, declared.mutable);
                    }
                    start_bindings.push(None);
                }
            }
        }
        let mut op_bindings = Vec::new();
        let mut await_at = vec![(0, 0); program.awaits.len()];
        for (op_index, op) in program.ops.iter().enumerate() {
            let mut this = OpBindings::default();
            match op {
                Op::Stmt(stmt) => {
                    timeline.mention_all(analyse::stmt_mentions(stmt), None);
                    if let syn::Stmt::Local(local) = stmt {
                        for declared in analyse::bindings(&local.pat) {
                            this.shadows
                                .extend(timeline.resolve(&declared.ident.to_string()));
                            this.declares
                                .push(timeline.declare(declared.ident, declared.mutable));
                        }
                    }
                }
                Op::Tail(expr) => timeline.mention_all(analyse::mentions(expr), None),
                Op::Split(split) => {
                    let scope_start = timeline.scope.len();
                    for (step_index, step) in split.steps.iter().enumerate() {
                        match step {
                            Step::Temp(temp) => {
                                timeline.mention_all(analyse::mentions(&temp.expr), None);
                                this.scoped.push(timeline.declare(temp.ident.clone(), true));
                            }
                            Step::Await(index) => {
                                let point = &program.awaits[*index];
                                timeline
                                    .mention_all(analyse::mentions(&point.future), Some(*index));
                                timeline.events.push(Event::Await(*index));
                                await_at[*index] = (op_index, step_index);
                                this.scoped
                                    .push(timeline.declare(point.output.clone(), false));
                            }
                        }
                    }
                    let usage_of_result = match &split.kind {
                        SplitKind::Let(pat) if analyse::is_wildcard(pat) => Use::Borrow,
                        _ => Use::Move,
                    };
                    let mut mentions = analyse::mentions(&split.result);
                    if usage_of_result == Use::Borrow {
                        mentions.iter_mut().for_each(|m| m.usage = Use::Borrow);
                    }
                    timeline.mention_all(mentions, None);
                    // The statement's temporaries end with it; a `let`'s
                    // bindings start after it.
                    let split_bindings: Vec<usize> = timeline.scope.drain(scope_start..).collect();
                    for id in split_bindings.into_iter().rev() {
                        timeline.events.push(Event::EndScope(id));
                    }
                    if let SplitKind::Let(pat) = &split.kind {
                        for declared in analyse::bindings(pat) {
                            this.shadows
                                .extend(timeline.resolve(&declared.ident.to_string()));
                            this.declares
                                .push(timeline.declare(declared.ident, declared.mutable));
                        }
                    }
                }
            }
            op_bindings.push(this);
        }
        timeline.end_scope(0);
        let mut layout = Self::from_timeline(function, program, timeline, start_bindings);
        layout.ops = op_bindings;
        layout.await_at = await_at;
        layout
    }

    fn from_timeline(
        function: &AsyncFn,
        program: &Program,
        mut timeline: Timeline,
        start_bindings: Vec<Option<usize>>,
    ) -> Layout {
        let enum_name = Ident::new(&enum_name(function), Span::call_site());
        let mut params = Unique::with(&[&enum_name.to_string()]);
        let mut type_params = Vec::new();
        let mut binding_params: Vec<Option<Ident>> = vec![None; timeline.bindings.len()];
        let mut param_for =
            |id: usize, type_params: &mut Vec<Ident>, params: &mut Unique| -> Ident {
                binding_params[id]
                    .get_or_insert_with(|| {
                        let name = timeline.bindings[id].ident.to_string();
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

        let mut state_names = Unique::with(&["Start", "Done", "Poisoned"]);
        let mut hidden_saves = Vec::new();
        let mut states = Vec::new();
        for point in &program.awaits {
            let position = timeline
                .events
                .iter()
                .position(|e| *e == Event::Await(point.index))
                .expect("every await is on the timeline");
            // Bindings in scope at the await, in declaration order.
            let mut in_scope = Vec::new();
            for event in &timeline.events[..position] {
                match event {
                    Event::Declare(id) => in_scope.push(*id),
                    Event::EndScope(id) => in_scope.retain(|x| x != id),
                    _ => {}
                }
            }
            let mut saved = Vec::new();
            let mut fields = Unique::default();
            for &id in &in_scope {
                let mut owned = true;
                let mut borrowed_by_future = false;
                let mut live_after = false;
                for (i, event) in timeline.events.iter().enumerate() {
                    if let Event::Mention {
                        binding,
                        usage,
                        in_future,
                    } = *event
                    {
                        if binding != id {
                            continue;
                        }
                        if i > position {
                            live_after = true;
                        } else {
                            match usage {
                                Use::Move => owned = false,
                                Use::Assign => owned = true,
                                Use::Borrow => {}
                            }
                            if in_future == Some(point.index) && usage == Use::Borrow {
                                borrowed_by_future = true;
                            }
                        }
                    }
                }
                if !(owned || live_after) {
                    continue;
                }
                let ident = &timeline.bindings[id].ident;
                let name = ident.to_string();
                let visible = in_scope
                    .iter()
                    .rev()
                    .find(|&&other| timeline.bindings[other].ident == name)
                    == Some(&id);
                let (field, restore_as) = if visible && name.starts_with("r#") {
                    (ident.clone(), ident.clone())
                } else if visible {
                    (Ident::new(&fields.name(&name), ident.span()), ident.clone())
                } else {
                    let field =
                        Ident::new(&fields.name(&format!("{name}_shadowed")), Span::call_site());
                    (field, timeline.bindings[id].hidden.clone())
                };
                if !visible {
                    hidden_saves.push(id);
                }
                saved.push(Saved {
                    binding: id,
                    field,
                    param: param_for(id, &mut type_params, &mut params),
                    restore_as,
                    borrowed_by_future: borrowed_by_future && visible,
                });
            }
            let callee_name = callee(&point.future);
            let state_base = match &point.binds {
                Some(ident) => format!("WaitingFor{}", camel(&ident.to_string())),
                None => format!("WaitingFor{}", camel(&callee_name)),
            };
            let name = Ident::new(&state_names.name(&state_base), Span::call_site());
            let awaitee = Ident::new(
                &fields.name(&format!("{callee_name}_future")),
                Span::call_site(),
            );
            let awaitee_param = Ident::new(
                &params.name(&camel(&awaitee.to_string())),
                Span::call_site(),
            );
            type_params.push(awaitee_param.clone());
            let future_borrows_saved = saved.iter().any(|s| s.borrowed_by_future);
            states.push(State {
                name,
                awaitee,
                awaitee_param,
                saved,
                future_borrows_saved,
            });
        }
        for id in hidden_saves {
            timeline.bindings[id].saved_hidden = true;
        }
        Layout {
            enum_name,
            type_params,
            start,
            states,
            bindings: timeline.bindings,
            ops: Vec::new(),
            await_at: Vec::new(),
        }
    }
}

/// `fetch_two` → `FetchTwo`, unless the function itself mentions a
/// `FetchTwo` (its own return type, say): the enum is an item in the body and
/// would shadow it, so it becomes `FetchTwoFuture` (or `FetchTwoFuture2`...).
fn enum_name(function: &AsyncFn) -> String {
    let mut used = std::collections::HashSet::new();
    let mut tokens = quote::ToTokens::to_token_stream(&function.sig);
    tokens.extend(quote::ToTokens::to_token_stream(&function.body));
    collect_idents(tokens, &mut used);
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

fn collect_idents(tokens: proc_macro2::TokenStream, out: &mut std::collections::HashSet<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => {
                out.insert(ident.to_string());
            }
            proc_macro2::TokenTree::Group(group) => collect_idents(group.stream(), out),
            _ => {}
        }
    }
}
