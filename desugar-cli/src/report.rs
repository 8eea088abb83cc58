//! Error messages.
//!
//! In: a [`syn::Error`] (from parsing the file or from the transform) and
//! the file its spans point into, or a plain message. Out: text in the
//! compiler's style, `FILE:LINE:COLUMN: error: MESSAGE`, then the source
//! line and a caret under the spot, once per message the error holds.

use std::fmt;
use std::rc::Rc;

use crate::source::SourceFile;

/// An error for the user.
pub enum Diag {
    /// An error on the tokens of a file.
    Syn(Rc<SourceFile>, syn::Error),
    /// An error with no place in a file (cannot read it, ...).
    Plain(String),
}

impl Diag {
    /// An error on the tokens of `file`.
    pub fn syn(file: Rc<SourceFile>, error: syn::Error) -> Diag {
        Diag::Syn(file, error)
    }

    /// An error with no place in a file.
    pub fn plain(message: impl Into<String>) -> Diag {
        Diag::Plain(message.into())
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Diag::Plain(message) => writeln!(f, "error: {message}"),
            Diag::Syn(file, error) => {
                for one in error.clone() {
                    let start = one.span().start();
                    let end = one.span().end();
                    // Spans with no place (`Span::call_site()`) are line 0
                    // here: they point at the file's start.
                    let line = start.line.max(1);
                    let column = start.column;
                    writeln!(
                        f,
                        "{}:{}:{}: error: {}",
                        file.path.display(),
                        line,
                        column + 1,
                        one
                    )?;
                    if let Some(text) = file.text.lines().nth(line - 1) {
                        let width = if end.line == start.line && end.column > column {
                            end.column - column
                        } else {
                            1
                        };
                        let number = line.to_string();
                        let pad = " ".repeat(number.len());
                        writeln!(f, "{pad} |")?;
                        writeln!(f, "{number} | {text}")?;
                        let lead: String = text
                            .chars()
                            .take(column)
                            .map(|c| if c == '\t' { '\t' } else { ' ' })
                            .collect();
                        writeln!(f, "{pad} | {lead}{}", "^".repeat(width))?;
                    }
                }
                Ok(())
            }
        }
    }
}
