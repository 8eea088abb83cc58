//! Readable names for the generated code.
//!
//! In: user identifiers and expressions. Out: `CamelCase` state and type
//! parameter names, `snake_case` field names, and de-duplicated sets of them.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use syn::Expr;

/// A hidden local the machine keeps next to the user's local `local`,
/// named after it: `items_scope`, `rc_storage`, `l_dying` (`suffix` is
/// `scope`, `storage`, `dying`). Hygienic, so it never meets a user's name.
pub fn companion(local: &Ident, suffix: &str) -> Ident {
    let plain = syn::ext::IdentExt::unraw(local);
    Ident::new(&format!("{plain}_{suffix}"), Span::mixed_site())
}

/// `fetch_two` → `FetchTwo`, `r1` → `R1`, `__self` → `This`.
pub fn camel(name: &str) -> String {
    let name = name.trim_start_matches("r#");
    if name == "__self" || name == "self" {
        return "This".to_string();
    }
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        out.push_str("Value");
    }
    out
}

/// `HttpGet` / `http_get` → `http_get`.
pub fn snake(name: &str) -> String {
    let name = name.trim_start_matches("r#");
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The segments of a path expression (`Box::new` → `["Box", "new"]`);
/// none for any other expression.
pub fn path_segments(expr: &Expr) -> Vec<String> {
    match expr {
        Expr::Path(p) => p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// The name of what an awaited expression calls: `fetch(a)` → `fetch`,
/// `conn.next_line()` → `next_line`, `fut` → `fut`, anything else → `future`.
pub fn callee(expr: &Expr) -> String {
    match expr {
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) => path
                .path
                .segments
                .last()
                .map(|s| snake(&s.ident.to_string()))
                .unwrap_or_else(|| "future".into()),
            other => callee(other),
        },
        Expr::MethodCall(call) => snake(&call.method.to_string()),
        Expr::Path(path) => path
            .path
            .segments
            .last()
            .map(|s| snake(&s.ident.to_string()))
            .unwrap_or_else(|| "future".into()),
        Expr::Paren(p) => callee(&p.expr),
        Expr::Group(g) => callee(&g.expr),
        Expr::Field(f) => match &f.member {
            syn::Member::Named(ident) => snake(&ident.to_string()),
            syn::Member::Unnamed(_) => "future".into(),
        },
        _ => "future".into(),
    }
}

/// Every identifier in `tokens`, macro arguments included, and the names
/// format strings capture (`"{prefix}"`).
pub fn idents_in(tokens: TokenStream) -> HashSet<String> {
    fn collect(tokens: TokenStream, out: &mut HashSet<String>) {
        let named = named_format_arguments(&tokens);
        let names = named_arguments(&tokens);
        for (i, tree) in tokens.into_iter().enumerate() {
            match tree {
                TokenTree::Ident(ident) if !named.contains(&i) => {
                    out.insert(ident.to_string());
                }
                TokenTree::Group(group) => collect(group.stream(), out),
                // `"{prefix}"` in a format macro names `prefix`, unless an
                // argument is named so
                TokenTree::Literal(lit) => out.extend(
                    inline_format_args(&TokenStream::from(TokenTree::Literal(lit)))
                        .into_iter()
                        .filter(|n| !names.contains(n)),
                ),
                _ => {}
            }
        }
    }
    let mut out = HashSet::new();
    collect(tokens, &mut out);
    out
}

/// How often each identifier occurs in `tokens`.
pub fn name_counts(tokens: TokenStream) -> HashMap<String, usize> {
    fn collect(tokens: TokenStream, out: &mut HashMap<String, usize>) {
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) => *out.entry(ident.to_string()).or_default() += 1,
                TokenTree::Group(group) => collect(group.stream(), out),
                _ => {}
            }
        }
    }
    let mut out = HashMap::new();
    collect(tokens, &mut out);
    out
}

/// `tokens` with each identifier that names a local (not one right after a
/// single `.`: a field or a method) replaced by what `replace` gives for
/// it, if anything; groups are walked too.
pub fn replace_locals(
    tokens: &TokenStream,
    replace: &impl Fn(&Ident) -> Option<TokenTree>,
) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let named = named_format_arguments(tokens);
    let mut out = Vec::new();
    let (mut previous_dot, mut dot_before) = (false, false);
    for (i, tree) in trees.into_iter().enumerate() {
        let is_dot = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '.');
        let field = previous_dot && !dot_before;
        out.push(match tree {
            TokenTree::Ident(ident) if !field && !named.contains(&i) => {
                replace(&ident).unwrap_or(TokenTree::Ident(ident))
            }
            TokenTree::Group(group) => {
                let mut new = proc_macro2::Group::new(
                    group.delimiter(),
                    replace_locals(&group.stream(), replace),
                );
                new.set_span(group.span());
                TokenTree::Group(new)
            }
            other => other,
        });
        dot_before = previous_dot;
        previous_dot = is_dot;
    }
    out.into_iter().collect()
}

/// The positions (among the top-level trees of a macro's arguments) of
/// the names of named format arguments: `n` in `format!("{n}", n = x)`.
fn named_format_arguments(tokens: &TokenStream) -> Vec<usize> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let is_comma = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ',');
    let is_assign = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Alone);
    (0..trees.len())
        .filter(|&i| {
            matches!(trees[i], TokenTree::Ident(_))
                && i > 0
                && is_comma(&trees[i - 1])
                && is_assign(trees.get(i + 1))
        })
        .collect()
}

/// `new` (a macro's arguments, rewritten from `old`) with `name = value`
/// appended for each name a format string of `old` captures inline
/// (`"{line}"`) that `value_of` gives a value for, unless it is passed by
/// name already: the rewritten value is then what the string shows.
pub fn pass_captured_by_name(
    old: &TokenStream,
    mut new: TokenStream,
    value_of: impl Fn(&str) -> Option<TokenStream>,
) -> TokenStream {
    let mut named = named_arguments(old);
    named.extend(named_arguments(&new));
    let mut captured = inline_format_args(old);
    captured.sort();
    captured.dedup();
    for name in captured {
        if named.contains(&name) {
            continue;
        }
        if let Some(value) = value_of(&name) {
            let ends_with_comma = matches!(
                new.clone().into_iter().last(),
                Some(TokenTree::Punct(p)) if p.as_char() == ','
            );
            let comma = (!ends_with_comma).then(|| quote::quote!(,));
            let ident = proc_macro2::Ident::new(&name, proc_macro2::Span::call_site());
            new.extend(quote::quote!(#comma #ident = #value));
        }
    }
    new
}

/// The names of named format arguments (`n` in `format!("{n}", n = x)`):
/// they name an argument, not a local.
pub fn named_arguments(tokens: &TokenStream) -> Vec<String> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    named_format_arguments(tokens)
        .into_iter()
        .map(|i| trees[i].to_string())
        .collect()
}

/// Whether any of `names` appears in `tokens` as an identifier, or as a
/// name a format string captures (`"{items:?}"`).
pub fn mentions_any(tokens: &TokenStream, names: &[Ident]) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let is_dot = |i: usize| matches!(&trees[i], TokenTree::Punct(p) if p.as_char() == '.');
    // `format!("{n}", n = x)`: `n` names an argument, not a local
    let named = named_format_arguments(tokens);
    let named_names = named_arguments(tokens);
    trees.iter().enumerate().any(|(i, tree)| match tree {
        // A name right after one `.` is a field or a method (`locals.items`),
        // not the local; after `..` (a range or a base struct) it is.
        TokenTree::Ident(ident) => {
            let field = i >= 1 && is_dot(i - 1) && !(i >= 2 && is_dot(i - 2));
            !field && !named.contains(&i) && names.contains(ident)
        }
        TokenTree::Group(g) => mentions_any(&g.stream(), names),
        TokenTree::Literal(lit) => {
            let captured = inline_format_args(&TokenStream::from(TokenTree::Literal(lit.clone())));
            names.iter().any(|n| {
                let n = n.to_string();
                captured.contains(&n) && !named_names.contains(&n)
            })
        }
        _ => false,
    })
}

/// Hands out unique names: the first `Fetch` is `Fetch`, the next `Fetch2`.
#[derive(Debug, Default)]
pub struct Unique {
    seen: HashMap<String, usize>,
}

impl Unique {
    /// A set that already holds `taken`.
    pub fn with(taken: &[&str]) -> Unique {
        let mut unique = Unique::default();
        for name in taken {
            unique.seen.insert(name.to_string(), 1);
        }
        unique
    }

    /// `base`, or `base2`, `base3`... if it was handed out before.
    pub fn name(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        loop {
            let count = self.seen.entry(candidate.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                return candidate;
            }
            let n = *count;
            candidate = format!("{base}{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(candidate.clone(), 1);
                return candidate;
            }
        }
    }
}

/// The names a format string in `tokens` captures inline: `s` and `n` in
/// `"{s} {n:>4}"` (not positions, `{0}`, or escaped braces `{{`).
pub fn inline_format_args(tokens: &TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for tree in tokens.clone() {
        match tree {
            TokenTree::Literal(lit) => {
                if let Ok(syn::Lit::Str(s)) =
                    syn::parse2::<syn::Lit>(TokenStream::from(TokenTree::Literal(lit)))
                {
                    let value = s.value();
                    let mut rest = value.as_str();
                    while let Some(open) = rest.find('{') {
                        rest = &rest[open + 1..];
                        if let Some(after) = rest.strip_prefix('{') {
                            rest = after;
                            continue;
                        }
                        let end = rest.find(['}', ':']).unwrap_or(rest.len());
                        let name = rest[..end].trim();
                        let first = name.chars().next();
                        if first.is_some_and(|c| c == '_' || c.is_alphabetic()) {
                            out.push(name.to_string());
                        }
                    }
                }
            }
            TokenTree::Group(group) => out.extend(inline_format_args(&group.stream())),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(camel("fetch_two"), "FetchTwo");
        assert_eq!(camel("r1"), "R1");
        assert_eq!(camel("__self"), "This");
        assert_eq!(snake("HttpGet"), "http_get");
        assert_eq!(snake("next_line"), "next_line");
    }

    #[test]
    fn unique_names() {
        let mut u = Unique::default();
        assert_eq!(u.name("Fetch"), "Fetch");
        assert_eq!(u.name("Fetch"), "Fetch2");
        assert_eq!(u.name("Fetch"), "Fetch3");
        let mut v = Unique::with(&["X"]);
        assert_eq!(v.name("X"), "X2");
    }

    #[test]
    fn callees() {
        let e: Expr = syn::parse_quote!(fetch(a));
        assert_eq!(callee(&e), "fetch");
        let e: Expr = syn::parse_quote!(conn.next_line());
        assert_eq!(callee(&e), "next_line");
        let e: Expr = syn::parse_quote!(tokio::time::sleep(d));
        assert_eq!(callee(&e), "sleep");
    }
}
