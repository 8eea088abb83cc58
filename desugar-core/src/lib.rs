//! The transform behind `#[desugar]`, as a normal library so that tests and
//! tools can run it without the compiler.
//!
//! `#[desugar]` turns an `async fn` into the explicit enum state machine the
//! compiler would build for it. The work is split into stages, each in its own
//! module; follow one `.await` through them by name:
//!
//! | stage | module | in | out |
//! |---|---|---|---|
//! | 1 | [`args`] | the attribute's arguments (`pin(..)`, `trace`, `tied_lifetimes`) | [`args::Args`] |
//! | 2 | [`parse`] | the item under the attribute | [`parse::AsyncFn`]: signature pieces and body |
//! | 2a | [`pin_macros`] | the body | the body where `tokio::pin!(x)`, `pin_mut!(x)` and `let p = pin!(e);` are written out, with the pinned value in a local of its own (`pinned_x`) that the layout keeps in place |
//! | 2b | [`unshadow`] | the body | the body with one name per local: a `let` that reuses a name gets a fresh one (`line_2`) |
//! | 2c | [`guards`], [`chains`], [`rests`], [`captures`] | the body | the body where no `match` guard awaits (the arms are tried by reference, then the one taken runs), no `let` chain holding an `.await` is left (`if let A = a && let B = b.await`: nested `if`s), the `_`s of an awaiting arm that moves part of a temporary out bind hidden names (`Either::Left((msg, _rest))`), so that the rest lives to the end of the `match`, and a closure that only copies the locals it captures is `move` (`move \|x\| x * factor`) |
//! | 2d | [`rebind`] | the body, and the pattern bindings the layout must keep in place | the body where they are bound again as plain locals (`Some(line) => { let line_2 = line; .. }`); stages 3 to 5 then run again |
//! | 3 | [`lower`] | the body | [`lower::Program`]: blocks of verbatim statements, temporaries and `.await`s pulled out in evaluation order, and the `if`/`match`/loop/block constructs that hold `.await`s |
//! | 4 | [`analyse`] | a program | which bindings each statement declares and mentions, and how (moved, borrowed, assigned) |
//! | 5 | [`layout`] | a program and its mentions | [`layout::Layout`]: a flow graph, liveness and ownership at each state, the states (awaits, loop heads, join points), which values each one stores or keeps in a slot, and their names |
//! | 6 | [`emit`] | all of the above | the plain `fn`, its state enum and the step closure (with `trace`, plus one `desugar_runtime::trace` call per event) |
//! | 7 | [`diagram`](mod@diagram) | the generated code, with the program and layout | [`diagram::StateGraph`]: states and triggered transitions, as Mermaid, DOT or SVG (also [`diagram()`]); its Mermaid is added to the function's docs |
//!
//! [`edition`] tells the edition of the crate being compiled (its rules for
//! temporaries differ). [`signature`] rewrites the function's signature (`async fn f(x: &T) -> R`
//! becomes `fn f<'life0>(x: &'life0 T) -> impl Future<Output = R> + ...`), and
//! [`rewrite`] turns `?`, `return` and `self` in the body into what they mean
//! inside the step closure. [`names`] picks readable names.
//!
//! ```
//! let item = quote::quote! {
//!     async fn add_slowly(a: u32, b: u32) -> u32 {
//!         let x = yield_once(a).await;
//!         let y = yield_once(b).await;
//!         x + y
//!     }
//! };
//! let expanded = desugar_core::expand(Default::default(), item);
//! let code = desugar_core::pretty(expanded).unwrap();
//! assert!(code.contains("enum AddSlowly"));
//! assert!(code.contains("WaitingForX"));
//! ```

/// The methods of a `syn::visit_mut::VisitMut` impl of a stage that
/// rewrites the body (2c): it looks into macro arguments that read as
/// expressions (`format!("{}", { .. })`), and leaves closures, `async`
/// blocks and nested items alone (what is inside them is theirs).
macro_rules! visit_the_body_only {
    () => {
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            crate::rewrite::MacroExprs::visit_mut(mac, |e| self.visit_expr_mut(e));
        }
        fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
        fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
    };
}

pub mod analyse;
pub mod args;
pub mod captures;
pub mod chains;
pub mod diagram;
pub mod edition;
pub mod emit;
pub mod guards;
pub mod layout;
pub mod lower;
pub mod names;
pub mod parse;
pub mod pin_macros;
pub mod rebind;
pub mod rests;
pub mod rewrite;
pub mod signature;
pub mod unshadow;

use proc_macro2::TokenStream;

/// Runs the whole transform: `#[desugar(args)] item` to the generated code.
///
/// Never panics on bad input: errors become `compile_error!`s on the user's
/// tokens, followed by the item as written (without `async` lowering) so that
/// the rest of the crate does not drown in follow-on errors.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_in(edition::Edition::Rust2024, args, item)
}

/// [`expand`] for a crate of the given edition (`#[desugar]` passes the one
/// rustc compiles with: see [`edition`]).
pub fn expand_in(edition: edition::Edition, args: TokenStream, item: TokenStream) -> TokenStream {
    // `const async fn` is not Rust: the compiler's own error on the item as
    // written says so best.
    if is_const_async(&item) {
        return item;
    }
    // A bug in the transform must not surface as "proc macro panicked":
    // it becomes an error on the function that says what happened.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        try_expand_in(edition, args, item.clone())
    }))
    .unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".to_string());
        Err(syn::Error::new(
            proc_macro2::Span::call_site(),
            format!(
                "internal error in #[desugar] ({message}); this is a bug in desugar: \
                 please report it with this function"
            ),
        ))
    });
    match result {
        Ok(tokens) => tokens,
        Err(error) => {
            let mut tokens = error.to_compile_error();
            // The item as written (still `async`) follows the error, so that
            // callers type-check against the intended signature.
            tokens.extend(item);
            tokens
        }
    }
}

/// Whether the item is a `const async fn`.
fn is_const_async(item: &TokenStream) -> bool {
    // Without a `const` among the item's own tokens (outside its
    // delimited groups: attributes, parameters, body) it is not one, and the
    // item need not be parsed twice.
    fn has_const(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => ident == "const",
            proc_macro2::TokenTree::Group(group) => {
                group.delimiter() == proc_macro2::Delimiter::None && has_const(group.stream())
            }
            _ => false,
        })
    }
    has_const(item.clone())
        && syn::parse2::<syn::ImplItemFn>(item.clone())
            .is_ok_and(|f| f.sig.constness.is_some() && f.sig.asyncness.is_some())
}

/// Like [`expand`], but returns the error instead of turning it into tokens.
pub fn try_expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    try_expand_in(edition::Edition::Rust2024, args, item)
}

/// [`try_expand`] for a crate of the given edition.
pub fn try_expand_in(
    edition: edition::Edition,
    args: TokenStream,
    item: TokenStream,
) -> syn::Result<TokenStream> {
    let (function, program, layout, tokens) = stages_in(edition, args, item)?;
    // The diagram goes into the function's docs (a line instead for a large
    // machine); should the generated code ever not be readable as a state
    // machine, it goes without.
    let states = layout.states.iter().filter(|s| s.reachable).count() + 2;
    if states > diagram::DOC_STATES {
        return Ok(diagram::attach_summary(tokens, &layout.enum_name, states));
    }
    match diagram::StateGraph::of(&function, &program, &layout, &tokens) {
        Ok(graph) => Ok(diagram::attach(tokens, &graph)),
        Err(_) => Ok(tokens),
    }
}

/// Runs the same stages as [`try_expand`] and returns the state graph of
/// the generated machine (see [`diagram`](mod@diagram)).
pub fn diagram(args: TokenStream, item: TokenStream) -> syn::Result<diagram::StateGraph> {
    let (function, program, layout, tokens) = stages(args, item)?;
    diagram::StateGraph::of(&function, &program, &layout, &tokens)
}

/// Stages 1 to 6: the function, its program and layout, and the generated
/// code (without the diagram in its docs).
fn stages(
    args: TokenStream,
    item: TokenStream,
) -> syn::Result<(parse::AsyncFn, lower::Program, layout::Layout, TokenStream)> {
    stages_in(edition::Edition::Rust2024, args, item)
}

fn stages_in(
    edition: edition::Edition,
    args: TokenStream,
    item: TokenStream,
) -> syn::Result<(parse::AsyncFn, lower::Program, layout::Layout, TokenStream)> {
    let args = args::Args::parse(args)?;
    let (function, program, layout) = machine(&args, item, edition)?;
    let tokens = emit::emit(&args, &function, &program, &layout);
    Ok((function, program, layout, tokens))
}

/// Parse, lower and lay out (stages 1 to 4). When the layout finds pattern
/// bindings that must stay in place, stage 2d binds them again as plain
/// locals and the body is lowered and laid out once more.
fn machine(
    args: &args::Args,
    item: TokenStream,
    edition: edition::Edition,
) -> syn::Result<(parse::AsyncFn, lower::Program, layout::Layout)> {
    let mut function = parse::AsyncFn::parse(item)?;
    function.edition = edition;
    let mut program = lower::Program::lower(&function)?;
    let mut layout = layout::Layout::of(&function, &program, args);
    if !layout.rebind.is_empty() {
        function.rebind(&layout.rebind);
        program = lower::Program::lower(&function)?;
        layout = layout::Layout::of(&function, &program, args);
    }
    layout::check(&program, &layout)?;
    Ok((function, program, layout))
}

pub fn layout_of(args: TokenStream, item: TokenStream) -> syn::Result<layout::Layout> {
    let args = args::Args::parse(args)?;
    Ok(machine(&args, item, edition::Edition::Rust2024)?.2)
}

pub fn pretty(tokens: TokenStream) -> Option<String> {
    let file: syn::File = syn::parse2(tokens).ok()?;
    Some(prettyplease::unparse(&file))
}
