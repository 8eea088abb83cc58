//! Finding the `#[desugar]` functions of a file.
//!
//! In: the path of a Rust source file. Out: [`Found`] functions, each with
//! its attribute's arguments, its tokens (without the attribute), the module
//! path it lives in and the file it was read from. Out-of-line modules
//! (`mod support;`, `#[path = "seeds/fetch_data.rs"] mod desugared;`) are
//! read too, as the compiler would find them; [`inline_modules`] turns a file
//! and its module files into one self-contained [`syn::File`] for the
//! scratch crates of `--sizes` and `--html`.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::spanned::Spanned;

use crate::report::Diag;

/// A source file as read.
pub struct SourceFile {
    /// Its path, as given or as found from a module declaration.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

impl SourceFile {
    /// The lines `first..=last` (1-based) of the file.
    pub fn lines(&self, first: usize, last: usize) -> String {
        let lines: Vec<&str> = self
            .text
            .lines()
            .skip(first.saturating_sub(1))
            .take(last + 1 - first.max(1))
            .collect();
        lines.join("\n")
    }
}

/// One `#[desugar]` function.
pub struct Found {
    /// Its name.
    pub name: String,
    /// The modules it is in, from the file's root (`["desugared"]`).
    pub mod_path: Vec<String>,
    /// For a method, the `impl` block's self type (`Client`).
    pub self_ty: Option<String>,
    /// The file it was read from.
    pub file: Rc<SourceFile>,
    /// The attribute's arguments (`trace` in `#[desugar(trace)]`).
    pub args: TokenStream,
    /// The function without its `#[desugar]` attribute.
    pub item: TokenStream,
    /// Its first and last line in [`Found::file`] (1-based, attributes
    /// included).
    pub lines: (usize, usize),
    /// Why the compiler cannot lay out its future on its own (type or
    /// const parameters, `impl Trait` arguments), if so.
    pub generic: Option<String>,
}

impl Found {
    /// `desugared::fetch_data`, `Client::get`.
    pub fn path(&self) -> String {
        let mut parts = self.mod_path.clone();
        if let Some(ty) = &self.self_ty {
            parts.push(ty.clone());
        }
        parts.push(self.name.clone());
        parts.join("::")
    }

    /// The function as written (from the file).
    pub fn source(&self) -> String {
        self.file.lines(self.lines.0, self.lines.1)
    }
}

/// Whether an attribute is `#[desugar]` (or `#[desugar_runtime::desugar]`,
/// `#[desugar_macro::desugar]`), with or without arguments.
pub fn is_desugar(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [last] => last == "desugar",
        [krate, last] => {
            last == "desugar" && (krate == "desugar_runtime" || krate == "desugar_macro")
        }
        _ => false,
    }
}

/// The arguments of a `#[desugar]` attribute.
fn attr_args(attr: &syn::Attribute) -> TokenStream {
    match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => TokenStream::new(),
    }
}

/// Reads a file.
pub fn read(path: &Path) -> Result<Rc<SourceFile>, Diag> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diag::plain(format!("cannot read {}: {e}", path.display())))?;
    Ok(Rc::new(SourceFile {
        path: path.to_path_buf(),
        text,
    }))
}

/// Parses a file as Rust.
pub fn parse(file: &Rc<SourceFile>) -> Result<syn::File, Diag> {
    syn::parse_file(&file.text).map_err(|e| {
        let message = format!("cannot parse this file as Rust: {e}");
        Diag::syn(file.clone(), syn::Error::new(e.span(), message))
    })
}

/// Where the children of a module file live: the file's own directory for
/// the file given on the command line and for `mod.rs`, else `dir/stem/`.
fn child_dir(file: &Path, root: bool) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if root || stem == "mod" || stem == "main" || stem == "lib" {
        dir
    } else {
        dir.join(stem)
    }
}

/// The file of an out-of-line module declared at the top level of `file`
/// (or in inline modules `inline` deep inside it).
fn module_file(file: &Path, root: bool, inline: &[String], module: &syn::ItemMod) -> PathBuf {
    let path_attr = module.attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    });
    let mut dir = if path_attr.is_some() && inline.is_empty() {
        file.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        child_dir(file, root)
    };
    for m in inline {
        dir.push(m);
    }
    if let Some(path) = path_attr {
        return dir.join(path);
    }
    let name = module.ident.to_string();
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        flat
    } else {
        dir.join(name).join("mod.rs")
    }
}

/// Every `#[desugar]` function of the file and of its module files.
pub fn find(path: &Path) -> Result<Vec<Found>, Diag> {
    let file = read(path)?;
    let syntax = parse(&file)?;
    let mut found = Vec::new();
    walk(&file, true, &syntax.items, &mut Vec::new(), &[], &mut found)?;
    Ok(found)
}

fn walk(
    file: &Rc<SourceFile>,
    root: bool,
    items: &[syn::Item],
    mod_path: &mut Vec<String>,
    inline: &[String],
    found: &mut Vec<Found>,
) -> Result<(), Diag> {
    for item in items {
        match item {
            syn::Item::Fn(f) => {
                if let Some(attr) = f.attrs.iter().find(|a| is_desugar(a)) {
                    let mut f = f.clone();
                    f.attrs.retain(|a| !is_desugar(a));
                    let generic = generic_reason(&f.sig, None);
                    found.push(make(
                        file,
                        mod_path,
                        None,
                        attr,
                        &f.sig,
                        item,
                        f.to_token_stream(),
                        generic,
                    ));
                }
            }
            syn::Item::Impl(block) => {
                let self_ty = block.self_ty.to_token_stream().to_string().replace(' ', "");
                for impl_item in &block.items {
                    if let syn::ImplItem::Fn(f) = impl_item {
                        if let Some(attr) = f.attrs.iter().find(|a| is_desugar(a)) {
                            let mut f = f.clone();
                            f.attrs.retain(|a| !is_desugar(a));
                            let generic = generic_reason(&f.sig, Some(&block.generics));
                            found.push(make(
                                file,
                                mod_path,
                                Some(self_ty.clone()),
                                attr,
                                &f.sig,
                                impl_item,
                                f.to_token_stream(),
                                generic,
                            ));
                        }
                    }
                }
            }
            syn::Item::Mod(module) => {
                let name = module.ident.to_string();
                mod_path.push(name.clone());
                match &module.content {
                    Some((_, items)) => {
                        let mut inner = inline.to_vec();
                        inner.push(name);
                        walk(file, root, items, mod_path, &inner, found)?;
                    }
                    None => {
                        let child = module_file(&file.path, root, inline, module);
                        match read(&child) {
                            Ok(child_file) => {
                                let syntax = parse(&child_file)?;
                                walk(&child_file, false, &syntax.items, mod_path, &[], found)?;
                            }
                            Err(_) => eprintln!(
                                "note: module `{}` not found at {}: not searched",
                                mod_path.join("::"),
                                child.display()
                            ),
                        }
                    }
                }
                mod_path.pop();
            }
            _ => {}
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn make(
    file: &Rc<SourceFile>,
    mod_path: &[String],
    self_ty: Option<String>,
    attr: &syn::Attribute,
    sig: &syn::Signature,
    whole: &dyn Spanned,
    item: TokenStream,
    generic: Option<String>,
) -> Found {
    let span = whole.span();
    Found {
        name: sig.ident.to_string(),
        mod_path: mod_path.to_vec(),
        self_ty,
        file: file.clone(),
        args: attr_args(attr),
        item,
        lines: (span.start().line, span.end().line),
        generic,
    }
}

/// Why a function's future has no one layout (it is generic), if so.
fn generic_reason(sig: &syn::Signature, outer: Option<&syn::Generics>) -> Option<String> {
    let has_params = |g: &syn::Generics| {
        g.params
            .iter()
            .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
    };
    if has_params(&sig.generics) || outer.is_some_and(has_params) {
        return Some("it has type or const parameters".into());
    }
    let impl_arg = sig.inputs.iter().any(|input| match input {
        syn::FnArg::Typed(t) => {
            t.ty.to_token_stream()
                .into_iter()
                .any(|tt| matches!(tt, proc_macro2::TokenTree::Ident(ref i) if i == "impl"))
        }
        _ => false,
    });
    impl_arg.then(|| "it takes `impl Trait` arguments".into())
}

/// The file with its out-of-line modules read into it (`mod m;` becomes
/// `mod m { .. }`), for a scratch crate elsewhere; `edit` changes each
/// `#[desugar]` attribute (to remove it, or to add `trace`).
pub fn inline_modules(
    path: &Path,
    edit: &dyn Fn(&mut Vec<syn::Attribute>),
) -> Result<syn::File, Diag> {
    let file = read(path)?;
    let mut syntax = parse(&file)?;
    inline_items(&file.path, true, &mut syntax.items, &[], edit)?;
    Ok(syntax)
}

fn inline_items(
    path: &Path,
    root: bool,
    items: &mut [syn::Item],
    inline: &[String],
    edit: &dyn Fn(&mut Vec<syn::Attribute>),
) -> Result<(), Diag> {
    for item in items {
        match item {
            syn::Item::Fn(f) => edit(&mut f.attrs),
            syn::Item::Impl(block) => {
                for impl_item in &mut block.items {
                    if let syn::ImplItem::Fn(f) = impl_item {
                        edit(&mut f.attrs);
                    }
                }
            }
            syn::Item::Mod(module) => match &mut module.content {
                Some((_, items)) => {
                    let mut inner = inline.to_vec();
                    inner.push(module.ident.to_string());
                    inline_items(path, root, items, &inner, edit)?;
                }
                None => {
                    let child = module_file(path, root, inline, module);
                    let child_file = read(&child)?;
                    let mut syntax = parse(&child_file)?;
                    inline_items(&child, false, &mut syntax.items, &[], edit)?;
                    module.attrs.retain(|a| !a.path().is_ident("path"));
                    for mut attr in syntax.attrs {
                        attr.style = syn::AttrStyle::Inner(Default::default());
                        module.attrs.push(attr);
                    }
                    module.content = Some((Default::default(), syntax.items));
                    module.semi = None;
                }
            },
            _ => {}
        }
    }
    Ok(())
}

/// Whether the file has a `fn main` at its top level.
pub fn has_main(syntax: &syn::File) -> bool {
    syntax
        .items
        .iter()
        .any(|item| matches!(item, syn::Item::Fn(f) if f.sig.ident == "main"))
}
