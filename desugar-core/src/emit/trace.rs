//! `#[desugar(trace)]`: what each poll reports (the state entered, the
//! sub-future polled and ready, the value returned), and the names the
//! trace shows for sub-futures.

use super::*;

impl Emitter<'_> {
    /// `trace::enter("WaitingForUrl");` at the top of a state's arm, with
    /// `#[desugar(trace)]`; nothing without.
    pub(super) fn trace_enter(&self, state: &str) -> Option<TokenStream> {
        self.rewriter
            .trace
            .then(|| quote!(::desugar_runtime::trace::enter(#state);))
    }

    /// With `#[desugar(trace)]`, the calls around polling await `k`'s
    /// sub-future: `trace::poll("build_url");` before,
    /// `trace::ready_as("url");` (or `trace::ready();`) once it is ready.
    pub(super) fn trace_await(&self, k: usize) -> (Option<TokenStream>, Option<TokenStream>) {
        if !self.rewriter.trace {
            return (None, None);
        }
        let point = &self.program.awaits[k];
        let callee = callee(&point.future);
        let ready = match &point.binds {
            Some(binding) => {
                let binding = self.function.source_name(binding);
                quote!(::desugar_runtime::trace::ready_as(#binding);)
            }
            None => quote!(::desugar_runtime::trace::ready();),
        };
        (
            Some(quote!(::desugar_runtime::trace::poll(#callee);)),
            Some(ready),
        )
    }

    /// The value the function's body ends with, as written, for the trace:
    /// the tail expression with the outputs of the `.await`s just before
    /// it written as those `.await`s again.
    pub(super) fn shown_end(&self, block: BlockId, value: &Option<TokenStream>) -> String {
        let b = &self.program.blocks[block];
        let Some(tail) = &b.tail else {
            return match value {
                Some(value) => rewrite::shown(value),
                None => "()".to_string(),
            };
        };
        self.with_outputs(block, b.nodes.len(), || {
            rewrite::shown(&self.rewriter.as_awaits(&tail.result))
        })
    }

    /// Runs `f` with [`Rewriter::outputs`] set to the `.await`s of the
    /// statement that ends at node `end` of `block` (the awaits right
    /// before it), with `#[desugar(trace)]`.
    pub(super) fn with_outputs<R>(&self, block: BlockId, end: usize, f: impl FnOnce() -> R) -> R {
        if !self.rewriter.trace {
            return f();
        }
        let outputs = self.program.blocks[block].nodes[..end]
            .iter()
            .rev()
            .take_while(|node| matches!(node, Node::Await(_) | Node::Temp(_)))
            .filter_map(|node| match node {
                Node::Await(k) => {
                    let point = &self.program.awaits[*k];
                    Some((point.output.clone(), point.future.clone()))
                }
                _ => None,
            })
            .collect();
        let previous = self.rewriter.outputs.replace(outputs);
        let result = f();
        self.rewriter.outputs.replace(previous);
        result
    }
}

/// The sub-future of an `.await` as the trace names it: the callee
/// (`build_url` for `build_url()`, `Client::get` for `Client::get(url)`,
/// `reader.read` for `reader.read(&mut buf)`), or short source text.
pub(super) fn callee(future: &Expr) -> String {
    fn path(path: &syn::Path) -> String {
        // From the last segment that names a type (`Client::get`), or the
        // last one (`tokio::time::sleep` is `sleep`).
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let from = segments
            .iter()
            .rposition(|s| s.starts_with(|c: char| c.is_uppercase()))
            .filter(|&i| i + 1 < segments.len())
            .unwrap_or(segments.len().saturating_sub(1));
        segments[from..].join("::")
    }
    match future {
        Expr::Call(call) => match &*call.func {
            Expr::Path(p) if p.qself.is_none() => path(&p.path),
            _ => rewrite::shown(future),
        },
        Expr::MethodCall(call) => match &*call.receiver {
            receiver @ (Expr::Path(_) | Expr::Field(_)) => {
                format!("{}.{}", rewrite::shown(receiver), call.method)
            }
            _ => call.method.to_string(),
        },
        Expr::Macro(m) => format!("{}!", path(&m.mac.path)),
        Expr::Paren(p) => callee(&p.expr),
        _ => rewrite::shown(future),
    }
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
