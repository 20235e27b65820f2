//! `validate()` on operation inputs and `validate_at(path)` on the shapes they hold: client-side
//! checks of `@length`, `@range` and `@pattern`, run before a request is sent.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::Context;
use crate::ir::Bounds;
use crate::ir::{DataKind, DataShape, Member, Primitive, Role, Target};
use crate::rust::names;

/// The check method of a structure: `validate()` for inputs, `validate_at()` for shapes
/// reachable from inputs that hold constrained members, nothing otherwise.
pub fn for_structure(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let mut uses_patterns = false;
    let body: Vec<TokenStream> = members
        .iter()
        .map(|member| {
            let field = names::field_ident(&member.name);
            let checks = checks(
                context,
                member,
                quote!(value),
                quote!(path),
                &member.name,
                &mut uses_patterns,
            );
            if checks.is_empty() {
                TokenStream::new()
            } else if shape.is_plain(member) {
                quote!({ let value = &self.#field; #checks })
            } else {
                quote!(if let Some(value) = &self.#field { #checks })
            }
        })
        .collect();
    method(shape, body, uses_patterns)
}

/// The check method of a union: only the variant that is set is checked.
pub fn for_union(context: &Context, shape: &DataShape, members: &[Member]) -> TokenStream {
    let mut uses_patterns = false;
    let body = members
        .iter()
        .map(|member| {
            let variant = names::variant_ident(&member.name);
            let checks = checks(
                context,
                member,
                quote!(value),
                quote!(path),
                &member.name,
                &mut uses_patterns,
            );
            if checks.is_empty() {
                TokenStream::new()
            } else {
                quote!(if let Self::#variant(value) = self { #checks })
            }
        })
        .collect();
    method(shape, body, uses_patterns)
}

fn method(shape: &DataShape, body: Vec<TokenStream>, uses_patterns: bool) -> TokenStream {
    let has_checks = body.iter().any(|check| !check.is_empty());
    let patterns = if uses_patterns {
        quote!(patterns)
    } else {
        quote!(_patterns)
    };
    match shape.role {
        Role::Input(_) => {
            let label = names::type_name(&shape.name);
            let path = has_checks.then(|| quote!(let path = #label;));
            quote! {
                /// Checks the model's `@length`, `@range` and `@pattern` constraints on every
                /// member that is set; the error names the member and the rule it breaks.
                pub fn validate(&self) -> Result<(), ivschat_runtime::constraint::ConstraintViolation> {
                    self.validate_with(true)
                }

                /// Like [`validate`](Self::validate), checking `@pattern` only when `patterns`:
                /// model patterns are sometimes stricter than the service, so the client skips
                /// them unless configured to check them.
                pub fn validate_with(&self, #patterns: bool) -> Result<(), ivschat_runtime::constraint::ConstraintViolation> {
                    #path
                    #(#body)*
                    Ok(())
                }
            }
        }
        _ if shape.usage.input && shape.checks_constraints && has_checks => quote! {
            /// Checks the model's constraints on every member that is set (`@pattern` only when
            /// `patterns`); `path` names this value in the error.
            pub fn validate_at(&self, path: &str, #patterns: bool) -> Result<(), ivschat_runtime::constraint::ConstraintViolation> {
                #(#body)*
                Ok(())
            }
        },
        _ => TokenStream::new(),
    }
}

/// Statements that check `value` (an expression of type `&T`) for `member`, reported under
/// `parent` / `name`. Empty when there is nothing to check.
fn checks(
    context: &Context,
    member: &Member,
    value: TokenStream,
    parent: TokenStream,
    name: &str,
    uses_patterns: &mut bool,
) -> TokenStream {
    let service = context.service;
    let mut out = scalar_checks(context, member, &value, &parent, name, uses_patterns);
    let Target::Shape(shape) = member.target else {
        return out;
    };
    let kind = &service.shape(shape).kind;
    if matches!(kind, DataKind::List { .. } | DataKind::Map { .. }) {
        let length = member.constraints.length.as_ref();
        out.extend(length.map(|bounds| length_check(&parent, name, quote!(#value.len()), bounds)));
    }
    match kind {
        DataKind::List {
            member: element,
            sparse,
        } => {
            out.extend(list_checks(
                context,
                element,
                *sparse,
                &value,
                &parent,
                name,
                uses_patterns,
            ));
        }
        DataKind::Map {
            key,
            value: entry,
            sparse,
        } => {
            out.extend(map_checks(
                context,
                (key, entry),
                *sparse,
                &value,
                &parent,
                name,
                uses_patterns,
            ));
        }
        DataKind::Structure(_) | DataKind::Union(_) if service.shape(shape).checks_constraints => {
            let checks_patterns = service.shape(shape).checks_patterns;
            *uses_patterns |= checks_patterns;
            out.extend(nested_validation(checks_patterns, &value, &parent, name));
        }
        _ => {}
    }
    out
}

/// The check of a structure or union member by its own `validate_at`; only shapes that reach
/// a pattern take the caller's pattern flag, others get `false`.
fn nested_validation(
    checks_patterns: bool,
    value: &TokenStream,
    parent: &TokenStream,
    name: &str,
) -> TokenStream {
    let patterns = if checks_patterns {
        quote!(patterns)
    } else {
        quote!(false)
    };
    quote! {
        #value.validate_at(&ivschat_runtime::constraint::member_path(#parent, #name), #patterns)?;
    }
}

/// A length check of `measure` against `bounds`.
fn length_check(
    parent: &TokenStream,
    name: &str,
    measure: TokenStream,
    bounds: &Bounds,
) -> TokenStream {
    let min = bound_u64(bounds.min);
    let max = bound_u64(bounds.max);
    quote!(ivschat_runtime::constraint::length(#parent, #name, #measure, #min, #max)?;)
}

/// The checks of a scalar member: string length and pattern, blob length, number range.
fn scalar_checks(
    context: &Context,
    member: &Member,
    value: &TokenStream,
    parent: &TokenStream,
    name: &str,
    uses_patterns: &mut bool,
) -> TokenStream {
    let service = context.service;
    let constraints = &member.constraints;
    let mut out = TokenStream::new();
    let length = |measure: TokenStream| {
        constraints
            .length
            .as_ref()
            .map(|bounds| length_check(parent, name, measure, bounds))
    };
    match service.primitive_of(member.target) {
        Some(Primitive::String) => {
            out.extend(length(
                quote!(ivschat_runtime::constraint::string_length(#value)),
            ));
            if let Some(pattern) = &constraints.pattern {
                *uses_patterns = true;
                out.extend(pattern_check(parent, name, value, pattern));
            }
        }
        // A streaming body is checked when its length is known before it is read.
        Some(Primitive::Blob) if service.is_streaming(member.target) => {
            if let Some(check) = length(quote!(known as usize)) {
                out.extend(quote!(if let Some(known) = #value.length() { #check }));
            }
        }
        Some(Primitive::Blob) => out.extend(length(quote!(#value.as_bytes().len()))),
        Some(Primitive::Long) => {
            if let Some(range) = &constraints.range {
                let min = bound_i64(range.min);
                let max = bound_i64(range.max);
                out.extend(quote!(ivschat_runtime::constraint::range_i64(#parent, #name, *#value, #min, #max)?;));
            }
        }
        Some(
            Primitive::Byte
            | Primitive::Short
            | Primitive::Integer
            | Primitive::Float
            | Primitive::Double,
        ) => {
            if let Some(range) = &constraints.range {
                let min = bound_f64(range.min);
                let max = bound_f64(range.max);
                out.extend(quote!(ivschat_runtime::constraint::range(#parent, #name, *#value, #min, #max)?;));
            }
        }
        _ => {}
    }
    out
}

/// The check of a string `value` against `pattern`, when the caller asks for patterns.
fn pattern_check(
    parent: &TokenStream,
    name: &str,
    value: &TokenStream,
    pattern: &str,
) -> TokenStream {
    quote! {
        if patterns {
            static PATTERN: ivschat_runtime::constraint::Pattern = ivschat_runtime::constraint::Pattern::new(#pattern);
            ivschat_runtime::constraint::pattern(#parent, #name, #value, &PATTERN)?;
        }
    }
}

/// The checks of each element of a list.
fn list_checks(
    context: &Context,
    element: &Member,
    sparse: bool,
    value: &TokenStream,
    parent: &TokenStream,
    name: &str,
    uses_patterns: &mut bool,
) -> TokenStream {
    let inner = checks(
        context,
        element,
        quote!(element),
        quote!(&element_path),
        "",
        uses_patterns,
    );
    if inner.is_empty() {
        return inner;
    }
    let inner = if sparse {
        quote!(if let Some(element) = element { #inner })
    } else {
        inner
    };
    quote! {
        for (index, element) in #value.iter().enumerate() {
            let element_path = ivschat_runtime::constraint::element_path(#parent, #name, index);
            #inner
        }
    }
}

/// The checks of each key and entry of a map.
fn map_checks(
    context: &Context,
    (key, entry): (&Member, &Member),
    sparse: bool,
    value: &TokenStream,
    parent: &TokenStream,
    name: &str,
    uses_patterns: &mut bool,
) -> TokenStream {
    let key_checks = checks(
        context,
        key,
        quote!(key),
        quote!(&element_path),
        "",
        uses_patterns,
    );
    let entry_checks = checks(
        context,
        entry,
        quote!(entry),
        quote!(&element_path),
        "",
        uses_patterns,
    );
    let entry_checks = if sparse && !entry_checks.is_empty() {
        quote!(if let Some(entry) = entry { #entry_checks })
    } else {
        entry_checks
    };
    if key_checks.is_empty() && entry_checks.is_empty() {
        return TokenStream::new();
    }
    // Only the keys when only they are checked (clippy's `for_kv_map`).
    let each = if entry_checks.is_empty() {
        quote!(key in #value.keys())
    } else {
        quote!((key, entry) in #value)
    };
    quote! {
        for #each {
            let element_path = ivschat_runtime::constraint::element_path(#parent, #name, key);
            #key_checks
            #entry_checks
        }
    }
}

fn bound_u64(bound: Option<f64>) -> TokenStream {
    match bound {
        Some(value) => {
            let literal = Literal::u64_unsuffixed(value.max(0.0) as u64);
            quote!(Some(#literal))
        }
        None => quote!(None),
    }
}

fn bound_i64(bound: Option<f64>) -> TokenStream {
    match bound {
        Some(value) => {
            let literal = Literal::i64_unsuffixed(value as i64);
            quote!(Some(#literal))
        }
        None => quote!(None),
    }
}

fn bound_f64(bound: Option<f64>) -> TokenStream {
    match bound {
        Some(value) => {
            let literal = Literal::f64_unsuffixed(value);
            quote!(Some(#literal))
        }
        None => quote!(None),
    }
}
