//! The inline containers (`string<N>`, `bytes<N>`, `vec<T, N>`, `optional<T>`) a package
//! uses, as generated types in its `inline` module, with their accessors.

use interop_idl::model::{Ty, TyKind, TypeKind};
use proc_macro2::TokenStream;

use super::{made_ident, rust_type, Ctx, Scope};
use crate::names;

/// `pub mod inline { ... }` with every container the package's types and messages use, as
/// text (it ends the file); empty when they use none.
///
/// Each container is one invocation of a macro of the runtime, written out directly: the
/// macros' arguments are not Rust that prettyplease could lay out.
pub(crate) fn module(ctx: &Ctx<'_>) -> String {
    let containers = used_containers(ctx);
    if containers.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "/// The inline containers (`string<N>`, `bytes<N>`, `vec<T, N>`, `optional<T>`) used by\n\
         /// package `{}`, each a fixed-size type defined by a macro of the `interop` runtime.\n\
         pub mod inline {{\n",
        ctx.package.name
    );
    for (index, ty) in containers.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        container(ctx, ty, &mut out);
    }
    out.push_str("}\n");
    out
}

/// Every container used in the package, each once, each after the containers it holds.
fn used_containers<'m>(ctx: &Ctx<'m>) -> Vec<&'m Ty> {
    let mut all: Vec<&'m Ty> = Vec::new();
    for def in &ctx.package.types {
        match &def.kind {
            TypeKind::Struct(structure) => structure
                .fields
                .iter()
                .for_each(|field| names::containers_in(&field.ty, &mut all)),
            TypeKind::Union(union) => union
                .variants
                .iter()
                .filter_map(|variant| variant.payload.as_ref())
                .for_each(|ty| names::containers_in(ty, &mut all)),
            TypeKind::Enum(_) | TypeKind::Flags(_) => {}
        }
    }
    for method in ctx
        .package
        .services
        .iter()
        .flat_map(|service| &service.methods)
    {
        for message in [&method.params, &method.results].into_iter().flatten() {
            message
                .layout
                .fields
                .iter()
                .for_each(|field| names::containers_in(&field.ty, &mut all));
        }
    }
    let mut seen = std::collections::HashSet::new();
    all.retain(|ty| seen.insert(names::container_name(ty, &ctx.package.name)));
    all
}

/// One container: an invocation of the runtime's macro that defines it (`interop::inline_vec!`
/// and its siblings), which states its layout as the model computed it; the macro asserts it.
fn container(ctx: &Ctx<'_>, ty: &Ty, out: &mut String) {
    let package = &ctx.package.name;
    let name = names::container_name(ty, package).expect("a container");
    let name = made_ident(&name).to_string();
    let (size, align) = (ty.size, ty.align);
    let (call, element) = match &ty.kind {
        TyKind::String { capacity } => (
            format!("interop::inline_string!({name}: string<{capacity}>, size {size});"),
            None,
        ),
        TyKind::Bytes { capacity } => (
            format!("interop::inline_bytes!({name}: bytes<{capacity}>, size {size});"),
            None,
        ),
        TyKind::Vec {
            element,
            capacity,
            items_offset,
        } => {
            let element_ty = type_text(&rust_type(element, package, Scope::Inline));
            let storage = storage(ctx, element);
            (
                format!(
                    "interop::inline_vec!({name}: [{element_ty}; {capacity}], items at \
                     {items_offset}{storage}, size {size}, align {align});"
                ),
                Some(element),
            )
        }
        TyKind::Optional {
            value,
            value_offset,
        } => {
            let value_ty = type_text(&rust_type(value, package, Scope::Inline));
            let storage = storage(ctx, value);
            (
                format!(
                    "interop::inline_optional!({name}: {value_ty}, value at \
                     {value_offset}{storage}, size {size}, align {align});"
                ),
                Some(value),
            )
        }
        TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. } => {
            unreachable!("not a container")
        }
    };
    // `, serde`: the macro implements serde's traits too.
    let call = if ctx.serde {
        format!(
            "{}, serde);",
            call.strip_suffix(");").expect("a macro call")
        )
    } else {
        call
    };
    // Wrapped as rustfmt wraps a long macro call.
    const INDENT: &str = "    ";
    if INDENT.len() + call.len() <= 100 {
        out.push_str(INDENT);
        out.push_str(&call);
    } else {
        let (open, rest) = call.split_once('(').expect("a macro call");
        let arguments = rest.strip_suffix(");").expect("a macro call");
        out.push_str(&format!(
            "{INDENT}{open}(\n{INDENT}{INDENT}{arguments}\n{INDENT});"
        ));
    }
    out.push('\n');
    // Strings and bytes are `Eq` by their macro; vecs and optionals when their elements are.
    if element.is_some_and(|element| super::is_eq(ctx.model, element)) {
        out.push_str(&format!("{INDENT}impl Eq for {name} {{}}\n"));
    }
}

/// ` as bytes` when the elements are stored as raw bytes: when not every bit pattern is a
/// valid value, so that unused slots, zero on the wire, need not hold valid values.
fn storage(ctx: &Ctx<'_>, element: &Ty) -> &'static str {
    if super::is_from_bytes(ctx.model, element) {
        ""
    } else {
        " as bytes"
    }
}

/// A type's tokens as a person writes them: `super::Waypoint`, `[u8; 3]`.
fn type_text(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ;", ";")
        .replace("[ ", "[")
        .replace(" ]", "]")
}
