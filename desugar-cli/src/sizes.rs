//! `--sizes`: what each state holds, and how big the future is.
//!
//! In: the [`Found`] functions of a file. Out: text; per function the
//! fields of each state (from desugar-core's [`Layout`]: the sub-future
//! being awaited, the saved locals, the locals kept in slots), then, measured
//! by the compiler (`RUSTC_BOOTSTRAP=1 rustc -Zprint-type-sizes` on two
//! scratch crates: the file as written, and the file with the `#[desugar]`
//! attributes removed), the size of every state and field of the
//! `#[desugar]` enum next to those of the compiler's own future. When the
//! sizes cannot be measured, a line says why.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use desugar_core::layout::Layout;

use crate::scratch::{self, Kind};
use crate::source::{self, Found};

/// One type of `-Zprint-type-sizes` output.
#[derive(Debug, Default)]
pub struct TypeSize {
    /// The type as the compiler names it.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its variants (an enum or a future), in the order printed.
    pub variants: Vec<Variant>,
}

/// One variant of a [`TypeSize`].
#[derive(Debug, Default)]
pub struct Variant {
    /// `Suspend0`, `WaitingForUrl`.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its fields (`field`) or saved locals (`local`): name and size.
    pub fields: Vec<(String, u64)>,
}

/// Parses `-Zprint-type-sizes` output.
pub fn parse_type_sizes(text: &str) -> Vec<TypeSize> {
    fn quoted(line: &str) -> Option<(&str, &str)> {
        let start = line.find('`')? + 1;
        let end = start + line[start..].find("`:")?;
        Some((&line[start..end], &line[end + 2..]))
    }
    fn bytes(rest: &str) -> u64 {
        rest.trim()
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }
    let mut types: Vec<TypeSize> = Vec::new();
    for line in text.lines() {
        let Some(body) = line.strip_prefix("print-type-size ") else {
            continue;
        };
        let trimmed = body.trim_start();
        if let Some(rest) = trimmed.strip_prefix("type: ") {
            if let Some((name, rest)) = quoted(rest) {
                types.push(TypeSize {
                    name: name.to_string(),
                    size: bytes(rest),
                    variants: Vec::new(),
                });
            }
        } else if let Some(rest) = trimmed.strip_prefix("variant ") {
            if let (Some(ty), Some((name, rest))) = (types.last_mut(), quoted(rest)) {
                ty.variants.push(Variant {
                    name: name.to_string(),
                    size: bytes(rest),
                    fields: Vec::new(),
                });
            }
        } else if let Some(rest) = trimmed
            .strip_prefix("field ")
            .or_else(|| trimmed.strip_prefix("local "))
        {
            if let (Some(ty), Some((name, rest))) = (types.last_mut(), quoted(rest)) {
                let size = bytes(rest);
                let name = name.trim_start_matches('.').to_string();
                // Fields directly under the type (a struct) have no variant.
                match ty.variants.last_mut() {
                    Some(variant) if body.starts_with("        ") => {
                        variant.fields.push((name, size))
                    }
                    _ => {}
                }
            }
        }
    }
    types
}

/// The type's path without generic arguments.
fn base(name: &str) -> &str {
    name.split('<').next().unwrap_or(name)
}

/// What each state holds, from the layout, as lines.
pub fn fields_text(layout: &Layout) -> Vec<(String, Vec<String>)> {
    let mut states = Vec::new();
    let start: Vec<String> = layout
        .start
        .iter()
        .map(|(field, _)| format!("{field} (parameter)"))
        .collect();
    states.push(("Start".to_string(), start));
    for state in layout.states.iter().filter(|s| s.reachable) {
        let mut fields = Vec::new();
        if let Some((field, _)) = &state.awaitee {
            fields.push(format!("{field} (the future being awaited)"));
        }
        for saved in &state.saved {
            let mut note = format!("{} (saved local", saved.field);
            if saved.flagged {
                note.push_str(", DropFlag: dead, maybe moved, kept for its drop");
            } else if saved.dead {
                note.push_str(", DropOnly: dead, kept for its drop");
            }
            note.push(')');
            fields.push(note);
        }
        for &binding in &state.pinned {
            if let Some(local) = layout.pinned.iter().find(|p| p.binding == binding) {
                fields.push(format!("{} (in a slot next to the states)", local.field));
            }
        }
        states.push((state.name.to_string(), fields));
    }
    states.push(("Done".to_string(), Vec::new()));
    states
}

/// The `--sizes` report for the functions of `path`.
pub fn report(path: &Path, found: &[Found]) -> String {
    let mut out = String::new();
    let mut layouts = Vec::new();
    for f in found {
        match desugar_core::layout_of(f.args.clone(), f.item.clone()) {
            Ok(layout) => layouts.push(Some(layout)),
            Err(e) => {
                let _ = write!(out, "{}", crate::report::Diag::syn(f.file.clone(), e));
                layouts.push(None);
            }
        }
    }
    let measurable: Vec<bool> = found.iter().map(|f| f.generic.is_none()).collect();
    let measured = if measurable.iter().any(|&m| m) {
        measure(path)
    } else {
        Err("every function here is generic".to_string())
    };
    for ((f, layout), measurable) in found.iter().zip(&layouts).zip(measurable) {
        let Some(layout) = layout else { continue };
        let _ = writeln!(
            out,
            "== {} ({}:{})",
            f.path(),
            f.file.path.display(),
            f.lines.0
        );
        let _ = writeln!(
            out,
            "states of `{}` and what each one holds:",
            layout.enum_name
        );
        for (state, fields) in fields_text(layout) {
            if fields.is_empty() {
                let _ = writeln!(out, "  {state:<24} (nothing)");
            } else {
                for (i, field) in fields.iter().enumerate() {
                    let label = if i == 0 { state.as_str() } else { "" };
                    let _ = writeln!(out, "  {label:<24} {field}");
                }
            }
        }
        if let Some(why) = &f.generic {
            let _ = writeln!(
                out,
                "sizes not measured: `{}` is generic ({why}): its future has no one size",
                f.name
            );
            let _ = writeln!(out);
            continue;
        }
        let _ = measurable;
        match &measured {
            Err(why) => {
                let _ = writeln!(out, "sizes not measured: {why}");
            }
            Ok((ours, native)) => {
                let _ = write!(out, "{}", side_by_side(f, layout, ours, native));
            }
        }
        let _ = writeln!(out);
    }
    out
}

/// Builds the two scratch crates and returns their type sizes
/// (`#[desugar]`, native).
fn measure(path: &Path) -> Result<(Vec<TypeSize>, Vec<TypeSize>), String> {
    let strip = |attrs: &mut Vec<syn::Attribute>| attrs.retain(|a| !source::is_desugar(a));
    let keep = |_: &mut Vec<syn::Attribute>| {};
    let ours = source::inline_modules(path, &keep).map_err(|e| e.to_string())?;
    let native = source::inline_modules(path, &strip).map_err(|e| e.to_string())?;
    let args = ["-Zprint-type-sizes", "-Clink-dead-code"];
    let build = |name: &str, code: &syn::File| -> Result<Vec<TypeSize>, String> {
        let package = scratch::write(name, Kind::Lib, code)?;
        package
            .rustc(Kind::Lib, &args)
            .map(|text| parse_type_sizes(&text))
            .map_err(|e| {
                format!("{e}\n(the scratch crate has only desugar-runtime as a dependency, and the file is its lib.rs)")
            })
    };
    Ok((
        build("sizes_desugared", &ours)?,
        build("sizes_native", &native)?,
    ))
}

/// The types of one function: our enum and state machine, the native future.
pub fn find_types<'a>(
    f: &Found,
    layout: &Layout,
    ours: &'a [TypeSize],
    native: &'a [TypeSize],
) -> (
    Option<&'a TypeSize>,
    Option<&'a TypeSize>,
    Option<&'a TypeSize>,
) {
    let path = f.path();
    let enum_path = format!("{path}::{}", layout.enum_name);
    let ours_enum = ours.iter().find(|t| base(&t.name) == enum_path);
    let machine = ours.iter().find(|t| {
        t.name.starts_with("desugar_runtime::StateMachine<")
            && base(&t.name["desugar_runtime::StateMachine<".len()..]).trim_end_matches(',')
                == enum_path
    });
    let native_name = format!("{{async fn body of {path}()}}");
    let native_future = native.iter().find(|t| t.name == native_name);
    (ours_enum, machine, native_future)
}

fn side_by_side(f: &Found, layout: &Layout, ours: &[TypeSize], native: &[TypeSize]) -> String {
    let mut out = String::new();
    let (ours_enum, machine, native_future) = find_types(f, layout, ours, native);
    let (Some(ours_enum), Some(native_future)) = (ours_enum, native_future) else {
        let _ = writeln!(
            out,
            "sizes not measured: the compiler laid out no future for `{}` \
             (is the function reachable from the crate root?)",
            f.path()
        );
        return out;
    };
    let whole = machine.map_or(ours_enum.size, |m| m.size);
    let _ = writeln!(
        out,
        "future size: #[desugar] {whole} bytes, native async fn {} bytes ({:+})",
        native_future.size,
        whole as i64 - native_future.size as i64
    );
    // Ours in the layout's order; the compiler's in its own.
    let order: HashMap<String, usize> = fields_text(layout)
        .into_iter()
        .map(|(name, _)| name)
        .chain(["Poisoned".to_string()])
        .enumerate()
        .map(|(i, name)| (name, i))
        .collect();
    let mut our_variants: Vec<&Variant> = ours_enum.variants.iter().collect();
    our_variants.sort_by_key(|v| order.get(&v.name).copied().unwrap_or(usize::MAX));
    let native_rank = |name: &str| match name {
        "Unresumed" => 0,
        "Returned" => u64::MAX - 1,
        "Panicked" => u64::MAX,
        other => other
            .strip_prefix("Suspend")
            .and_then(|n| n.parse::<u64>().ok())
            .map_or(u64::MAX - 2, |n| n + 1),
    };
    let mut native_variants: Vec<&Variant> = native_future.variants.iter().collect();
    native_variants.sort_by_key(|v| native_rank(&v.name));
    let lines = |variants: &[&Variant]| -> Vec<(String, String)> {
        let mut lines = Vec::new();
        for v in variants {
            lines.push((v.name.clone(), format!("{} B", v.size)));
            for (field, size) in &v.fields {
                lines.push((format!("  .{field}"), format!("{size} B")));
            }
        }
        lines
    };
    let left = lines(&our_variants);
    let right = lines(&native_variants);
    let _ = writeln!(
        out,
        "per state (rustc -Zprint-type-sizes): ours is `{}`, the compiler's `{}`",
        base(&ours_enum.name),
        native_future.name
    );
    let left_title = format!("#[desugar] enum ({} B)", ours_enum.size);
    let right_title = format!("native async fn ({} B)", native_future.size);
    let _ = writeln!(out, "  {left_title:<44} | {right_title}");
    for i in 0..left.len().max(right.len()) {
        let (ln, ls) = left.get(i).cloned().unwrap_or_default();
        let (rn, rs) = right.get(i).cloned().unwrap_or_default();
        let _ = writeln!(out, "  {ln:<34} {ls:>9} | {rn:<34} {rs:>9}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_types_variants_and_fields() {
        let text = "\
print-type-size type: `{async fn body of native::holds_big_data()}`: 1040 bytes, alignment: 4 bytes
print-type-size     discriminant: 1 bytes
print-type-size     variant `Unresumed`: 0 bytes
print-type-size     variant `Suspend0`: 1036 bytes
print-type-size         local `.buf`: 1024 bytes, offset: 0 bytes, alignment: 1 bytes
print-type-size         local `.__awaitee`: 12 bytes, type: YieldOnce<i32>
print-type-size type: `desugar_runtime::Awaitee<desugar_runtime::YieldOnce<u32>>`: 12 bytes, alignment: 4 bytes
print-type-size     field `.future`: 12 bytes
";
        let types = parse_type_sizes(text);
        assert_eq!(types.len(), 2);
        assert_eq!(types[0].size, 1040);
        assert_eq!(types[0].variants[1].name, "Suspend0");
        assert_eq!(
            types[0].variants[1].fields,
            vec![("buf".to_string(), 1024), ("__awaitee".to_string(), 12)]
        );
        assert!(types[1].variants.is_empty());
    }
}
