//! The generated function's signature.
//!
//! In: `async fn name<G>(params) -> R where ...`. Out:
//! `fn name<'life0, G>(params) -> impl Future<Output = R> + Captures<...> where ...`:
//! the same name, generics and parameters, so callers do not change.
//!
//! - Elided lifetimes in parameters get names (`&T` → `&'life0 T`, `&self` →
//!   `&'life_self self`), and elided lifetimes in `R` are resolved the way
//!   elision would (the receiver's, or the only input lifetime), because the
//!   returned future must name every lifetime it captures.
//! - The future captures every lifetime (and, for methods, `Self`) through
//!   [`Captures`](../../desugar_runtime/trait.Captures.html), which works on
//!   edition 2021 and 2024 alike. Type parameters are captured by default.
//!   A free function or a `pub` method whose sub-futures borrow from
//!   several arguments at once, or (with generic types) from its own state,
//!   also gets a `'future` lifetime that every lifetime and type parameter
//!   outlives (`impl Future + 'future`): see `common_lifetime`.
//! - Parameters that are patterns become plain `argN` parameters (the body
//!   destructures them on the first poll, as the compiler does), and `mut`
//!   moves from the parameter to the binding in the body.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{FnArg, GenericParam, Lifetime, LifetimeParam, Pat, Signature, Type};

use crate::parse::{AsyncFn, ParamBinding};

/// The rewritten signature, and the output type for the step closure when it
/// can be written there (no `impl Trait` in it).
pub struct Rewritten {
    /// `fn name<...>(...) -> impl Future<Output = R> + ...`
    pub sig: Signature,
    /// `R`, with elided lifetimes named, if it holds no `impl Trait`: the
    /// return type of the state machine's step closure.
    pub closure_output: Option<Type>,
    /// `R`, with elided lifetimes named and `impl Trait` as `_`: the
    /// return type of the borrow-checking copy of the body.
    pub copy_output: Type,
}

/// What the body borrows, as far as the signature cares.
#[derive(Clone, Copy, Debug, Default)]
pub struct Borrows {
    /// Some awaited expression mentions several bindings: its sub-future may
    /// borrow from several arguments at once.
    pub from_several: bool,
    /// Some value borrows from the state itself (a sub-future built from
    /// references into its state, or a local pinned in a slot): that borrow
    /// has no lifetime of the signature, so with generic types it needs one.
    pub from_state: bool,
}

/// Rewrites the signature of `function`; `borrows` decides whether a free
/// function gets a common `'future` lifetime (see `common_lifetime`).
pub fn rewrite(function: &AsyncFn, borrows: Borrows) -> Rewritten {
    let mut sig = function.sig.clone();
    sig.asyncness = None;

    let mut namer = ElidedLifetimes {
        next: 0,
        new: Vec::new(),
    };
    let mut self_lifetime = None;
    for (input, param) in sig.inputs.iter_mut().zip(&function.params) {
        match input {
            FnArg::Receiver(receiver) => {
                if receiver.reference.is_none() {
                    // `mut self`: the binding in the body is `mut`, the parameter is not.
                    receiver.mutability = None;
                    if let Type::Path(_) = &*receiver.ty {
                        receiver.colon_token = None;
                    }
                }
                if let Some((_, lifetime)) = &mut receiver.reference {
                    let named = lifetime
                        .get_or_insert_with(|| {
                            let l = Lifetime::new("'life_self", Span::call_site());
                            namer.new.push(l.clone());
                            l
                        })
                        .clone();
                    if let Type::Reference(r) = &mut *receiver.ty {
                        r.lifetime = Some(named.clone());
                    }
                    self_lifetime = Some(named);
                } else {
                    namer.visit_type_mut(&mut receiver.ty);
                }
            }
            FnArg::Typed(typed) => {
                namer.visit_type_mut(&mut typed.ty);
                match &param.binding {
                    ParamBinding::Ident { .. } => {
                        if let Pat::Ident(ident) = &mut *typed.pat {
                            ident.mutability = None;
                        }
                    }
                    ParamBinding::Pattern(_) => {
                        let field = &param.field;
                        *typed.pat = syn::parse_quote!(#field);
                    }
                }
            }
        }
    }

    let mut output = function.output();
    let input_lifetimes = lifetimes_in_inputs(&sig);
    let output_lifetime = self_lifetime
        .clone()
        .or_else(|| match input_lifetimes.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        });
    if let Some(lifetime) = output_lifetime {
        ElidedInOutput(lifetime).visit_type_mut(&mut output);
    }

    for lifetime in namer.new.iter().rev() {
        sig.generics.params.insert(
            0,
            GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
        );
    }
    if sig.generics.lt_token.is_none() && !sig.generics.params.is_empty() {
        sig.generics.lt_token = Some(Default::default());
        sig.generics.gt_token = Some(Default::default());
    }

    let lifetimes: Vec<Lifetime> = sig
        .generics
        .lifetimes()
        .map(|l| l.lifetime.clone())
        .collect();
    let self_marker = function
        .has_receiver()
        .then(|| quote!(::core::marker::PhantomData<Self>,));
    let mut captures: TokenStream = if lifetimes.is_empty() && self_marker.is_none() {
        TokenStream::new()
    } else {
        quote!(+ ::desugar_runtime::Captures<(#(&#lifetimes (),)* #self_marker)>)
    };
    let generic_types = sig.generics.type_params().next().is_some() || impl_trait_arguments(&sig);
    let needs_common =
        (borrows.from_several && lifetimes.len() >= 2) || (borrows.from_state && generic_types);
    if needs_common && may_get_common_lifetime(function) {
        captures.extend(common_lifetime(&mut sig, &lifetimes));
    }
    sig.output = syn::parse_quote!(-> impl ::core::future::Future<Output = #output> #captures);
    let copy_output = impl_trait_inferred(output.clone());
    let closure_output = (!contains_impl_trait(&output)).then_some(output);
    Rewritten {
        sig,
        closure_output,
        copy_output,
    }
}

/// Whether `function` may get a common `'future` lifetime (see
/// `common_lifetime`): a free function, or a method with a visibility
/// qualifier (`pub`, `pub(crate)`). A method without one may be in a trait
/// impl, where the extra lifetime would not match the trait's declaration
/// (E0195); there a sub-future borrowing `self` and other arguments at once
/// is built from a reborrow of `self` with an inferred lifetime instead
/// (see `emit`).
pub fn may_get_common_lifetime(function: &AsyncFn) -> bool {
    !function.has_receiver() || !matches!(function.vis, syn::Visibility::Inherited)
}

/// With two or more lifetimes, a sub-future often borrows from several
/// arguments at once (`conn.write_all(data)` with `conn: &mut W` and
/// `data: &[u8]`): its type then holds the intersection of their lifetimes,
/// which an `impl Future + Captures<..>` type cannot name (E0700; the
/// compiler's own futures hide such types inside the coroutine). A borrow
/// of the state itself (`reader.read(&mut buf)` on a local `reader: R`) has
/// no lifetime of the signature at all, which with a type parameter `T`
/// would demand `T: 'static` (E0310). The classic fix, as async-trait does:
/// one more lifetime `'future` that every other lifetime and type parameter
/// outlives, and `impl Future + 'future`.
/// Returns the `+ 'future` bound. Only for free functions and methods with
/// a visibility qualifier: in a trait impl the extra bounds would not match
/// the trait's declaration (E0195), and a method without one may be in a
/// trait impl.
fn common_lifetime(sig: &mut Signature, lifetimes: &[Lifetime]) -> TokenStream {
    let taken: Vec<String> = lifetimes.iter().map(|l| l.ident.to_string()).collect();
    let mut name = String::from("future");
    while taken.contains(&name) {
        name.push('_');
    }
    let future = Lifetime::new(&format!("'{name}"), Span::call_site());
    let at = sig.generics.lifetimes().count();
    sig.generics.params.insert(
        at,
        GenericParam::Lifetime(LifetimeParam::new(future.clone())),
    );
    // Each bound goes where the user bounds that parameter: inline if it
    // has bounds there, else in the `where` clause if it is there, else
    // inline (clippy warns about a parameter bounded in both places).
    let in_where: Vec<String> = sig
        .generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .filter_map(|p| match p {
            syn::WherePredicate::Lifetime(l) => Some(l.lifetime.to_string()),
            syn::WherePredicate::Type(t) => {
                let ty = &t.bounded_ty;
                Some(quote!(#ty).to_string())
            }
            _ => None,
        })
        .collect();
    let mut predicates: Vec<syn::WherePredicate> = Vec::new();
    for param in sig.generics.params.iter_mut() {
        match param {
            GenericParam::Lifetime(l) if l.lifetime != future => {
                let lifetime = &l.lifetime;
                if l.bounds.is_empty() && in_where.contains(&lifetime.to_string()) {
                    predicates.push(syn::parse_quote!(#lifetime: #future));
                } else {
                    l.colon_token.get_or_insert_with(Default::default);
                    l.bounds.push(future.clone());
                }
            }
            GenericParam::Type(t) => {
                let ident = &t.ident;
                if t.bounds.is_empty() && in_where.contains(&quote!(#ident).to_string()) {
                    predicates.push(syn::parse_quote!(#ident: #future));
                } else {
                    t.colon_token.get_or_insert_with(Default::default);
                    t.bounds.push(syn::TypeParamBound::Lifetime(future.clone()));
                }
            }
            _ => {}
        }
    }
    if !predicates.is_empty() {
        sig.generics
            .make_where_clause()
            .predicates
            .extend(predicates);
    }
    // `impl Trait` arguments are type parameters without a name.
    struct Bound<'a>(&'a Lifetime);
    impl VisitMut for Bound<'_> {
        fn visit_type_impl_trait_mut(&mut self, t: &mut syn::TypeImplTrait) {
            t.bounds.push(syn::TypeParamBound::Lifetime(self.0.clone()));
            syn::visit_mut::visit_type_impl_trait_mut(self, t);
        }
    }
    for input in sig.inputs.iter_mut() {
        if let FnArg::Typed(typed) = input {
            Bound(&future).visit_type_mut(&mut typed.ty);
        }
    }
    quote!(+ #future)
}

struct ElidedLifetimes {
    next: usize,
    new: Vec<Lifetime>,
}

impl ElidedLifetimes {
    fn fresh(&mut self) -> Lifetime {
        let l = Lifetime::new(&format!("'life{}", self.next), Span::call_site());
        self.next += 1;
        self.new.push(l.clone());
        l
    }
}

impl VisitMut for ElidedLifetimes {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(self.fresh());
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
    fn visit_lifetime_mut(&mut self, l: &mut Lifetime) {
        if l.ident == "_" {
            *l = self.fresh();
        }
    }
    // `fn(&T)` and `Fn(&T)` have elision scopes of their own.
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}

struct ElidedInOutput(Lifetime);

impl VisitMut for ElidedInOutput {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(self.0.clone());
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
    fn visit_lifetime_mut(&mut self, l: &mut Lifetime) {
        if l.ident == "_" {
            *l = self.0.clone();
        }
    }
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}

fn lifetimes_in_inputs(sig: &Signature) -> Vec<Lifetime> {
    struct Collect(Vec<Lifetime>);
    impl<'ast> syn::visit::Visit<'ast> for Collect {
        fn visit_lifetime(&mut self, l: &'ast Lifetime) {
            if l.ident != "static" && !self.0.contains(l) {
                self.0.push(l.clone());
            }
        }
        fn visit_type_bare_fn(&mut self, _: &'ast syn::TypeBareFn) {}
        fn visit_parenthesized_generic_arguments(
            &mut self,
            _: &'ast syn::ParenthesizedGenericArguments,
        ) {
        }
    }
    let mut collect = Collect(Vec::new());
    for input in &sig.inputs {
        if let FnArg::Typed(t) = input {
            syn::visit::Visit::visit_type(&mut collect, &t.ty);
        }
    }
    collect.0
}

/// Whether some argument's type holds `impl Trait`.
fn impl_trait_arguments(sig: &Signature) -> bool {
    sig.inputs.iter().any(|input| match input {
        FnArg::Typed(typed) => contains_impl_trait(&typed.ty),
        FnArg::Receiver(_) => false,
    })
}

/// `Result<impl Display, E>` → `Result<_, E>`: a closure's return type
/// names the opaque type by inference.
fn impl_trait_inferred(mut ty: Type) -> Type {
    struct Infer;
    impl syn::visit_mut::VisitMut for Infer {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if matches!(ty, Type::ImplTrait(_)) {
                *ty = syn::parse_quote!(_);
            } else {
                syn::visit_mut::visit_type_mut(self, ty);
            }
        }
    }
    syn::visit_mut::VisitMut::visit_type_mut(&mut Infer, &mut ty);
    ty
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct Find(bool);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut find = Find(false);
    syn::visit::Visit::visit_type(&mut find, ty);
    find.0
}

/// The expression that moves parameter `index` into `Start`.
pub fn start_value(function: &AsyncFn, index: usize) -> TokenStream {
    match &function.sig.inputs[index] {
        FnArg::Receiver(receiver) => {
            let token = receiver.self_token;
            quote!(#token)
        }
        FnArg::Typed(_) => {
            let field = &function.params[index].field;
            quote!(#field)
        }
    }
}

/// A hygienic identifier for generated code.
pub fn hidden(name: &str) -> syn::Ident {
    format_ident!("{}", name, span = Span::mixed_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signature after `common_lifetime`, as one line of tokens.
    fn with_common_lifetime(signature: &str) -> String {
        let mut sig: Signature = syn::parse_str(signature).unwrap();
        let lifetimes = lifetimes_in_inputs(&sig);
        common_lifetime(&mut sig, &lifetimes);
        quote!(#sig).to_string()
    }

    #[test]
    fn the_common_lifetime_bound_goes_where_the_parameter_is_bounded() {
        // inline only: inline
        assert_eq!(
            with_common_lifetime("fn f<T: Display>(x: T)"),
            "fn f < 'future , T : Display + 'future > (x : T)"
        );
        // `where` only: in the `where` clause
        assert_eq!(
            with_common_lifetime("fn f<T>(x: T) where T: Display"),
            "fn f < 'future , T > (x : T) where T : Display , T : 'future"
        );
        // both: inline, so that clippy's `multiple_bound_locations` fires
        // on the user's signature no more often than natively
        assert_eq!(
            with_common_lifetime("fn f<'a, T: Display>(x: &'a T) where T: Clone, 'a: 'a"),
            "fn f < 'a , 'future , T : Display + 'future > (x : & 'a T) where T : Clone , 'a : 'a , 'a : 'future"
        );
    }
}
