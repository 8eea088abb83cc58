//! The edition of the crate being compiled, where the rules differ.
//!
//! In: the command line of the process the macro runs in. Out: an
//! [`Edition`]. Edition 2024 changed when some temporaries are dropped: those
//! of an `if let` scrutinee before the `else` branch (2021: after it), those
//! of a block's tail expression before the block's locals (2021: after
//! them). A proc macro has no stable way to ask for the edition, but it runs
//! inside `rustc`, whose arguments say it (`--edition=2021`):
//!
//! ```text
//! rustc --crate-name app --edition=2021 src/lib.rs ...   →  Edition::Before2024
//! rustc --crate-name app --edition=2024 src/lib.rs ...   →  Edition::Rust2024
//! rustc --crate-name app src/lib.rs                      →  Edition::Before2024 (2015)
//! (not rustc: rust-analyzer, tests, the CLI)             →  Edition::Rust2024
//! ```

/// Which rules for temporaries apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Edition {
    /// Edition 2015, 2018 or 2021.
    Before2024,
    /// Edition 2024 (or later).
    #[default]
    Rust2024,
}

impl Edition {
    /// The edition rustc was told to compile with, from its arguments
    /// (`std::env::args()` in a proc macro). An argument file (`@path`)
    /// is read too. Without an `--edition`, a rustc command line means
    /// rustc's default, 2015; anything else (not rustc) means 2024.
    pub fn from_rustc_args(args: impl IntoIterator<Item = String>) -> Edition {
        let mut args: Vec<String> = args.into_iter().collect();
        let files: Vec<String> = args
            .iter()
            .filter_map(|a| a.strip_prefix('@'))
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .collect();
        args.extend(files.iter().flat_map(|f| f.lines().map(String::from)));
        let mut value = None;
        for (i, arg) in args.iter().enumerate() {
            if let Some(v) = arg.strip_prefix("--edition=") {
                value = Some(v.to_string());
            } else if arg == "--edition" {
                value = args.get(i + 1).cloned();
            }
        }
        match value {
            Some(v) => match v.parse::<u32>() {
                Ok(year) if year < 2024 => Edition::Before2024,
                _ => Edition::Rust2024,
            },
            None if args.iter().any(|a| a == "--crate-name") => Edition::Before2024,
            None => Edition::Rust2024,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(args: &str) -> Edition {
        Edition::from_rustc_args(args.split(' ').map(String::from))
    }

    #[test]
    fn reads_rustc_flags() {
        assert_eq!(
            of("rustc --crate-name a --edition=2021 src/lib.rs"),
            Edition::Before2024
        );
        assert_eq!(
            of("rustc --crate-name a --edition 2018 x.rs"),
            Edition::Before2024
        );
        assert_eq!(
            of("rustc --crate-name a --edition=2024 x.rs"),
            Edition::Rust2024
        );
        assert_eq!(of("rustc --crate-name a x.rs"), Edition::Before2024);
        assert_eq!(of("proc-macro-srv"), Edition::Rust2024);
    }
}
