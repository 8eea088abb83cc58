//! The state diagram (`desugar_core::diagram`): the graphs of the seed's
//! examples, loops and `?`, agreement with the generated code, and the
//! Mermaid, DOT and SVG texts.

use std::collections::HashSet;

use desugar_core::diagram::{NodeKind, StateGraph, Trigger, RUNTIME};
use proc_macro2::TokenStream;
use quote::quote;

fn graph(item: TokenStream) -> StateGraph {
    desugar_core::diagram(TokenStream::new(), item).expect("the example desugars")
}

/// The edges as `(from, to, trigger)`.
fn edges(graph: &StateGraph) -> Vec<(&str, &str, Trigger)> {
    graph
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.trigger))
        .collect()
}

fn names(graph: &StateGraph) -> Vec<&str> {
    graph.states.iter().map(|s| s.name.as_str()).collect()
}

fn fetch_two() -> TokenStream {
    quote! {
        async fn fetch_two(a: &str, b: &str) -> Result<(Bytes, Bytes), Error> {
            let r1 = fetch(a).await?;
            let r2 = fetch(b).await?;
            Ok((r1, r2))
        }
    }
}

fn fetch_data() -> TokenStream {
    quote! {
        async fn fetch_data() -> String {
            let url = build_url().await;
            let response = http_get(url).await;
            response.body
        }
    }
}

/// Seed 000's picture: Start, polling fetch(a), polling fetch(b), complete;
/// first poll, a resolved, b resolved; the runtime's poll and Pending/Ready.
#[test]
fn fetch_two_is_the_seed_picture() {
    let g = graph(fetch_two());
    assert_eq!(g.function, "fetch_two");
    assert_eq!(g.enum_name, "FetchTwo");
    assert_eq!(
        names(&g),
        ["Start", "WaitingForR1", "WaitingForR2", "Done", "Poisoned"]
    );
    let kinds: Vec<NodeKind> = g.states.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            NodeKind::Start,
            NodeKind::Await,
            NodeKind::Await,
            NodeKind::Done,
            NodeKind::Poisoned
        ]
    );
    assert_eq!(g.states[1].description, "waiting for `fetch(a)`");
    assert_eq!(g.states[2].description, "waiting for `fetch(b)`");
    let e = edges(&g);
    for wanted in [
        (RUNTIME, "Start", Trigger::Poll),
        ("Start", "WaitingForR1", Trigger::FirstPoll),
        ("WaitingForR1", RUNTIME, Trigger::Pending),
        ("WaitingForR1", "WaitingForR2", Trigger::Ready),
        ("WaitingForR1", "Done", Trigger::TryError),
        ("WaitingForR2", RUNTIME, Trigger::Pending),
        ("WaitingForR2", "Done", Trigger::TryError),
        ("WaitingForR2", "Done", Trigger::Return),
        ("Done", RUNTIME, Trigger::Output),
        ("WaitingForR1", "Poisoned", Trigger::Panic),
        ("Done", "Done", Trigger::PolledAfterDone),
    ] {
        assert!(e.contains(&wanted), "missing {wanted:?} in {e:?}");
    }
    // Nothing skips a state: no edge from Start to Done or to WaitingForR2.
    assert!(!e
        .iter()
        .any(|&(f, t, _)| f == "Start" && t != "WaitingForR1" && t != "Poisoned"));
    let labels: Vec<String> = g.edges.iter().map(|e| e.label()).collect();
    assert!(labels.contains(&"first poll".to_string()), "{labels:?}");
    assert!(
        labels.contains(&"`fetch(a)` Ready".to_string()),
        "{labels:?}"
    );
    assert!(
        labels.contains(&"`fetch(b)` Ready, return".to_string()),
        "{labels:?}"
    );
    assert!(
        labels.contains(&"`fetch(a)` Ready, `?` error".to_string()),
        "{labels:?}"
    );
}

/// Seed 003's `FetchData`: Start, WaitingForUrl, WaitingForResponse, Done.
#[test]
fn fetch_data_matches_the_seed() {
    let g = graph(fetch_data());
    assert_eq!(
        names(&g),
        [
            "Start",
            "WaitingForUrl",
            "WaitingForResponse",
            "Done",
            "Poisoned"
        ]
    );
    let flow: Vec<(&str, &str, Trigger)> = edges(&g)
        .into_iter()
        .filter(|(_, _, t)| !t.dashed())
        .collect();
    assert_eq!(
        flow,
        [
            (RUNTIME, "Start", Trigger::Poll),
            ("Start", "WaitingForUrl", Trigger::FirstPoll),
            ("WaitingForUrl", RUNTIME, Trigger::Pending),
            ("WaitingForUrl", "WaitingForResponse", Trigger::Ready),
            ("WaitingForResponse", RUNTIME, Trigger::Pending),
            ("WaitingForResponse", "Done", Trigger::Return),
            ("Done", RUNTIME, Trigger::Output),
        ]
    );
}

#[test]
fn loop_with_question_mark_has_loop_back_break_and_error_path() {
    let g = graph(quote! {
        async fn sum(reader: Reader, limit: u32) -> Result<u32, Error> {
            let mut total = 0;
            loop {
                let n = reader.next().await?;
                if n == 0 {
                    break;
                }
                total += n;
                if total > limit {
                    continue;
                }
                tick().await;
            }
            log(total).await;
            Ok(total)
        }
    });
    let heads: Vec<&str> = g
        .states
        .iter()
        .filter(|s| s.kind == NodeKind::LoopHead)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(heads.len(), 1, "{:?}", names(&g));
    let head = heads[0];
    let e = edges(&g);
    let into_head: Vec<_> = e.iter().filter(|&&(_, t, _)| t == head).collect();
    // Entered from Start, looped back to from the `continue` (after the
    // first `.await`) and from the end of the body (after `tick()`).
    assert!(
        into_head.contains(&&("Start", head, Trigger::FirstPoll)),
        "{e:?}"
    );
    assert!(
        into_head.contains(&&("WaitingForN", head, Trigger::LoopBack)),
        "{e:?}"
    );
    assert!(
        into_head.contains(&&("WaitingForTick", head, Trigger::LoopBack)),
        "{e:?}"
    );
    // `?` on the awaited value inside the loop.
    assert!(
        e.contains(&("WaitingForN", "Done", Trigger::TryError)),
        "{e:?}"
    );
    // `break` out of the loop to the code after it, which runs on to the
    // `.await` there.
    assert!(
        e.contains(&("WaitingForN", "AfterLoop", Trigger::Break)),
        "{e:?}"
    );
    assert!(
        e.contains(&("AfterLoop", "WaitingForLog", Trigger::Next)),
        "{e:?}"
    );
    assert!(e.contains(&(head, "WaitingForN", Trigger::Next)), "{e:?}");
    assert!(
        e.contains(&("WaitingForLog", "Done", Trigger::Return)),
        "{e:?}"
    );
}

#[test]
fn if_join_edges() {
    let g = graph(quote! {
        async fn pick(flag: bool) -> u32 {
            let x = if flag { yield_once(1).await } else { 2 };
            x + 1
        }
    });
    let join = g
        .states
        .iter()
        .find(|s| s.kind == NodeKind::Join)
        .expect("a join state");
    let e = edges(&g);
    assert!(
        e.iter().any(|&(f, t, tr)| f.starts_with("WaitingFor")
            && t == join.name
            && tr == Trigger::Join),
        "{e:?}"
    );
    assert!(
        e.contains(&(join.name.as_str(), "Done", Trigger::Return)),
        "{e:?}"
    );
}

/// The state-to-state assignments of the generated code, read as text: the
/// variant after every `*state = Enum::`.
fn assigned_variants(code: &str, enum_name: &str) -> Vec<String> {
    let needle = format!("= {enum_name}::");
    let mut found = Vec::new();
    for (at, _) in code.match_indices(&needle) {
        let before = &code[..at];
        if !before.trim_end().ends_with("state") {
            continue;
        }
        let rest = &code[at + needle.len()..];
        let variant: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        found.push(variant);
    }
    found
}

/// The `#[desugar]` items of a snapshot source, without the attribute.
fn desugared_items(source: &str) -> Vec<TokenStream> {
    fn strip(attrs: &mut Vec<syn::Attribute>) -> bool {
        let had = attrs.iter().any(|a| a.path().is_ident("desugar"));
        attrs.retain(|a| !a.path().is_ident("desugar"));
        had
    }
    let file: syn::File = syn::parse_str(source).expect("example parses");
    let mut items = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Fn(mut f) => items.extend(strip(&mut f.attrs).then(|| quote!(#f))),
            syn::Item::Impl(i) => {
                for item in i.items {
                    if let syn::ImplItem::Fn(mut f) = item {
                        if strip(&mut f.attrs) {
                            items.push(quote!(#f));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    items
}

/// Every transition the generated code makes is an edge, and every edge
/// between states is a transition the generated code makes: checked on the
/// expansion snapshots' examples and on the tests' own.
#[test]
fn edges_agree_with_the_emitted_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/expand");
    let mut items = vec![fetch_two(), fetch_data()];
    for entry in std::fs::read_dir(&dir).expect("tests/expand") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".rs") && !name.ends_with(".expanded.rs") {
            items.extend(desugared_items(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(items.len() > 10, "only {} examples", items.len());
    for item in items {
        let g = graph(item.clone());
        let code = desugar_core::pretty(desugar_core::expand(TokenStream::new(), item))
            .expect("the expansion parses");
        let declared: HashSet<&str> = names(&g).into_iter().collect();
        // Every variant of the enum is a state of the graph.
        for state in &g.states {
            assert!(
                code.contains(&format!("{}::{}", g.enum_name, state.name)),
                "{}: state {} not in the code",
                g.function,
                state.name
            );
        }
        let assigned = assigned_variants(&code, &g.enum_name);
        assert!(!assigned.is_empty(), "{}: no assignments found", g.function);
        for variant in &assigned {
            assert!(declared.contains(variant.as_str()), "{variant}");
            let into: Vec<_> = g.edges_into(variant).collect();
            assert!(
                !into.is_empty(),
                "{}: the code stores {variant}, no edge enters it",
                g.function
            );
        }
        let assigned: HashSet<&str> = assigned.iter().map(String::as_str).collect();
        for edge in &g.edges {
            if edge.to == RUNTIME || edge.from == RUNTIME || edge.trigger.dashed() {
                continue;
            }
            assert!(
                assigned.contains(edge.to.as_str()),
                "{}: edge {edge:?} but the code never stores {}",
                g.function,
                edge.to
            );
        }
        // One `return Pending` per await state, one Pending edge each.
        let pending_returns = code.matches("return ::core::task::Poll::Pending").count();
        let pending_edges = g
            .edges
            .iter()
            .filter(|e| e.trigger == Trigger::Pending)
            .count();
        let awaits = g
            .states
            .iter()
            .filter(|s| s.kind == NodeKind::Await)
            .count();
        assert_eq!(pending_edges, awaits, "{}", g.function);
        // A panic edge from every state that runs user code, and the code
        // leaves `Poisoned` behind there.
        if g.edges.iter().any(|e| e.trigger == Trigger::Panic) {
            assert!(code.contains(&format!("{}::Poisoned", g.enum_name)));
        }
        assert!(pending_returns >= pending_edges, "{}", g.function);
    }
}

/// Brackets, parentheses and braces balance, and quotes pair up.
fn balanced(text: &str) -> bool {
    let mut stack = Vec::new();
    let mut in_quote = false;
    for c in text.chars() {
        if c == '"' {
            in_quote = !in_quote;
            continue;
        }
        if in_quote {
            continue;
        }
        match c {
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let open = stack.pop();
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open != Some(want) {
                    return false;
                }
            }
            _ => {}
        }
    }
    stack.is_empty() && !in_quote
}

#[test]
fn mermaid_is_sane() {
    for g in [graph(fetch_two()), graph(fetch_data())] {
        let text = g.mermaid();
        assert!(text.starts_with("flowchart TD\n"), "{text}");
        assert!(balanced(&text), "{text}");
        let mut declared = HashSet::new();
        let mut edges = 0;
        for line in text.lines().skip(1) {
            let line = line.trim();
            if let Some((from, rest)) = line
                .split_once(" -->|")
                .or_else(|| line.split_once(" -.->|"))
            {
                let (label, to) = rest.rsplit_once("| ").expect("labelled edge");
                assert!(label.starts_with('"') && label.ends_with('"'), "{line}");
                assert!(declared.contains(from), "{from} undeclared: {text}");
                assert!(declared.contains(to), "{to} undeclared: {text}");
                edges += 1;
            } else {
                let name: String = line.chars().take_while(|c| c.is_alphanumeric()).collect();
                assert!(!name.is_empty(), "{line}");
                assert!(balanced(&line[name.len()..]), "{line}");
                declared.insert(name);
            }
        }
        assert_eq!(edges, g.edges.len());
        assert_eq!(declared.len(), g.states.len() + 1, "states and the runtime");
    }
}

#[test]
fn dot_is_sane() {
    for g in [graph(fetch_two()), graph(fetch_data())] {
        let text = g.dot();
        assert!(text.starts_with(&format!("digraph {} {{", g.enum_name)));
        assert!(balanced(&text), "{text}");
        let mut declared = HashSet::new();
        let mut edges = 0;
        for line in text.lines() {
            let line = line.trim();
            assert!(
                line.ends_with(';') || line.ends_with('{') || line == "}",
                "{line}"
            );
            if let Some((from, rest)) = line.split_once(" -> ") {
                let to = rest.split_whitespace().next().unwrap();
                assert!(declared.contains(from), "{from} undeclared");
                assert!(declared.contains(to), "{to} undeclared");
                edges += 1;
            } else if line.contains("[label=") && !line.starts_with("node ") {
                declared.insert(line.split_whitespace().next().unwrap().to_string());
            }
        }
        assert_eq!(edges, g.edges.len());
        assert_eq!(declared.len(), g.states.len() + 1);
        // And a DOT parser reads it.
        layout::gv::DotParser::new(&text)
            .process()
            .expect("layout-rs parses the DOT");
    }
}

#[test]
fn svg_is_well_formed_and_names_every_state() {
    let g = graph(quote! {
        async fn retry(max: u32) -> Result<u32, String> {
            let mut n = 0;
            loop {
                n += 1;
                match attempt(n).await {
                    Ok(value) => break Ok(value),
                    Err(e) if n < max => {
                        yield_once(()).await;
                        continue;
                    }
                    Err(e) => break Err(e),
                }
            }
        }
    });
    let svg = g.svg();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    for state in &g.states {
        assert!(text.contains(&state.name), "{} not in the SVG", state.name);
    }
    assert!(text.contains("runtime"));
    assert!(text.contains("loop back"), "edge labels are drawn");
}

#[test]
fn diagram_is_in_the_docs_after_the_users() {
    let code = desugar_core::pretty(desugar_core::expand(
        TokenStream::new(),
        quote! {
            /// Fetches the data.
            #[inline]
            async fn fetch_data() -> String {
                let url = build_url().await;
                http_get(url).await.body
            }
        },
    ))
    .unwrap();
    let users = code.find("/// Fetches the data.").expect("the user's doc");
    let section = code
        .find("/// # State machine")
        .expect("the diagram's section");
    let function = code.find("fn fetch_data").unwrap();
    assert!(users < section && section < function, "{code}");
    assert!(
        code.contains("///     Start -->|\"first poll\"| WaitingForUrl"),
        "{code}"
    );
}

#[test]
fn large_machines_get_one_line_of_docs() {
    let awaits = desugar_core::diagram::DOC_STATES;
    let body = (0..awaits).map(|i| {
        let x = quote::format_ident!("x{i}");
        quote!(let #x = step(#i).await;)
    });
    let item = quote! {
        async fn long() -> u32 {
            #(#body)*
            0
        }
    };
    let g = graph(item.clone());
    assert_eq!(
        g.states.len(),
        awaits + 3,
        "Start, the awaits, Done, Poisoned"
    );
    let code = desugar_core::pretty(desugar_core::expand(TokenStream::new(), item)).unwrap();
    let docs = code.find("/// # State machine").expect("the section");
    let function = code.find("fn long").unwrap();
    let section = &code[docs..function];
    assert!(
        section.contains(&format!("has {} states", awaits + 2)),
        "{section}"
    );
    assert!(!section.contains("flowchart"), "{section}");
    assert!(section.lines().count() < 6, "{section}");
}
