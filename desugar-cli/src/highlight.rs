//! Colouring pretty-printed Rust, simply.
//!
//! In: Rust source text and the names of the machine's states. Out: the
//! text cut into [`Piece`]s (keyword, comment, string, state name, plain),
//! written with terminal colours by [`ansi`] or as HTML `<span>`s by
//! [`html`]. A small lexer, not a parser: good enough for code that
//! `prettyplease` printed.

use std::collections::HashSet;

/// What a piece of text is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// Anything else.
    Plain,
    /// A keyword (`fn`, `match`, `let`, ...).
    Keyword,
    /// A `//` comment or doc comment.
    Comment,
    /// A string or character literal.
    Str,
    /// The name of a state, of the state enum or of its type parameters.
    State,
}

/// A piece of the text.
pub struct Piece<'a> {
    /// What it is.
    pub kind: Kind,
    /// The text.
    pub text: &'a str,
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "yield",
];

/// Cuts `text` into pieces; `states` are the names to mark as [`Kind::State`].
pub fn pieces<'a>(text: &'a str, states: &HashSet<String>) -> Vec<Piece<'a>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let push =
        |out: &mut Vec<Piece<'a>>, plain_start: &mut usize, start: usize, end: usize, kind| {
            if *plain_start < start {
                out.push(Piece {
                    kind: Kind::Plain,
                    text: &text[*plain_start..start],
                });
            }
            out.push(Piece {
                kind,
                text: &text[start..end],
            });
            *plain_start = end;
        };
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            push(&mut out, &mut plain_start, i, end, Kind::Comment);
            i = end;
        } else if c == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(bytes.len());
            push(&mut out, &mut plain_start, i, end, Kind::Str);
            i = end;
        } else if c == b'\'' {
            // A char literal ('a', '\n') or a lifetime ('a): a literal closes
            // with a quote within a few bytes.
            let close = if bytes.get(i + 1) == Some(&b'\\') {
                text[i + 2..].find('\'').map(|n| i + 2 + n)
            } else {
                text[i + 1..]
                    .char_indices()
                    .nth(1)
                    .filter(|(_, ch)| *ch == '\'')
                    .map(|(n, _)| i + 1 + n)
            };
            match close {
                Some(close) => {
                    push(&mut out, &mut plain_start, i, close + 1, Kind::Str);
                    i = close + 1;
                }
                None => i += 1,
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let mut j = i;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            let word = &text[i..j];
            if KEYWORDS.contains(&word) {
                push(&mut out, &mut plain_start, i, j, Kind::Keyword);
            } else if states.contains(word) {
                push(&mut out, &mut plain_start, i, j, Kind::State);
            }
            i = j;
        } else if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if plain_start < text.len() {
        out.push(Piece {
            kind: Kind::Plain,
            text: &text[plain_start..],
        });
    }
    out
}

/// The text with ANSI colours (the caller's stream strips them when stdout
/// is not a terminal or `NO_COLOR` is set).
pub fn ansi(text: &str, states: &HashSet<String>) -> String {
    use anstyle::{AnsiColor, Style};
    let style = |kind| match kind {
        Kind::Plain => Style::new(),
        Kind::Keyword => AnsiColor::Magenta.on_default().bold(),
        Kind::Comment => AnsiColor::BrightBlack.on_default().italic(),
        Kind::Str => AnsiColor::Green.on_default(),
        Kind::State => AnsiColor::Cyan.on_default().bold(),
    };
    let mut out = String::new();
    for piece in pieces(text, states) {
        let s = style(piece.kind);
        out.push_str(&format!("{s}{}{s:#}", piece.text));
    }
    out
}

/// HTML-escapes text.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The text as HTML, with `<span class="kw|com|str|state">`.
pub fn html(text: &str, states: &HashSet<String>) -> String {
    let mut out = String::new();
    for piece in pieces(text, states) {
        let class = match piece.kind {
            Kind::Plain => {
                out.push_str(&escape(piece.text));
                continue;
            }
            Kind::Keyword => "kw",
            Kind::Comment => "com",
            Kind::Str => "str",
            Kind::State => "state",
        };
        out.push_str(&format!(
            "<span class=\"{class}\">{}</span>",
            escape(piece.text)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_keywords_comments_strings_and_states() {
        let states: HashSet<String> = ["WaitingForUrl".to_string()].into();
        let text = "let s = \"a // b\"; // note\nFetchData::WaitingForUrl => 'x'";
        let kinds: Vec<(Kind, &str)> = pieces(text, &states)
            .into_iter()
            .filter(|p| p.kind != Kind::Plain)
            .map(|p| (p.kind, p.text))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::Keyword, "let"),
                (Kind::Str, "\"a // b\""),
                (Kind::Comment, "// note"),
                (Kind::State, "WaitingForUrl"),
                (Kind::Str, "'x'"),
            ]
        );
        // Nothing lost.
        let joined: String = pieces(text, &states).iter().map(|p| p.text).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn lifetimes_are_not_char_literals() {
        let text = "fn f<'life0>(x: &'life0 str)";
        assert!(pieces(text, &HashSet::new())
            .iter()
            .all(|p| p.kind != Kind::Str));
    }
}
