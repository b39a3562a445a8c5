//! Tagged unions: the raw `{ tag, payload }` struct, a borrowed view enum (`OrderRef`) and
//! setters that zero the payload first, written as text (see [`super::source`]); with serde,
//! the view and the serde implementations are built as syntax and printed by `prettyplease`.

use std::fmt::Write;

use interop_idl::model::{Scalar, TypeDef, UnionDef, Variant};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{self, Docs};
use super::source::{self, fn_signature, line, match_arm};
use super::types::{int_text, merge_padding, Equality, Slot, SlotDefault, StructShape};
use super::{ident, rust_name, rust_type, type_text, Ctx, Scope};
use crate::names;

/// What the items of one union refer to.
struct UnionNames {
    /// The union's Rust name.
    name: String,
    /// The view's Rust name, `OrderRef`.
    view: String,
    /// `<'_>` after the view's name when it borrows, else nothing.
    lifetime: &'static str,
    /// `self.payload = [0; N];`, or nothing for an empty payload.
    zero_payload: Option<String>,
}

/// The items of a union, each followed by a blank line.
pub(crate) fn union_def(ctx: &Ctx<'_>, def: &TypeDef, union: &UnionDef, out: &mut String) {
    let has_payload = union
        .variants
        .iter()
        .any(|variant| variant.payload.is_some());
    let names = UnionNames {
        name: rust_name(&def.name),
        view: format!("{}Ref", def.name.trim_start_matches("r#")),
        lifetime: if has_payload { "<'_>" } else { "" },
        zero_payload: (union.payload_size > 0)
            .then(|| format!("self.payload = [0; {}];", union.payload_size)),
    };
    raw_struct(def, union, &names, out);
    methods(ctx, union, &names, out);
    conversions(def, union, &names, out);
    if ctx.serde {
        out.push_str(&super::print::items(super::syntax::parse_items(
            serde_view(ctx, def, union, &names),
        )));
        out.push('\n');
    } else {
        view(ctx, def, union, &names, out);
    }
    super::types::identity_item(
        ctx,
        &names.name,
        &def.qualified_name,
        &def.fingerprint.0,
        out,
    );
}

/// The `{ tag, payload }` struct and its layout assertions.
fn raw_struct(def: &TypeDef, union: &UnionDef, names: &UnionNames, out: &mut String) {
    let summary = format!(
        "IDL `union {}: {}`: size {}, alignment {}, payload at offset {}. Read it with `{}::get`, \
         write it with the `set_` methods.",
        def.qualified_name,
        union.tag.name(),
        def.size,
        def.align,
        union.payload_offset,
        def.name
    );
    let mut slots = Vec::new();
    if def.align > scalar_size(union.tag) {
        let aligner = match def.align {
            2 => "u16",
            4 => "u32",
            8 => "u64",
            _ => "u128",
        };
        slots.push(Slot {
            ident: "_align".to_owned(),
            shown: None,
            ty: format!("[{aligner}; 0]"),
            doc: Docs::default(),
            offset: 0,
            default: SlotDefault::Text("[]"),
            derives_default: true,
            serde_array: false,
        });
    }
    slots.push(Slot {
        ident: "tag".to_owned(),
        shown: Some("tag"),
        ty: union.tag.name().to_owned(),
        doc: docs::attrs("Which variant is held: one of the tag constants of this type."),
        offset: 0,
        default: SlotDefault::Text("0"),
        derives_default: true,
        serde_array: false,
    });
    slots.push(Slot {
        ident: "payload".to_owned(),
        shown: Some("payload"),
        ty: format!("[u8; {}]", union.payload_size),
        doc: docs::attrs(&format!(
            "The variant's value as raw bytes (at offset {}).",
            union.payload_offset
        )),
        offset: union.payload_offset,
        default: SlotDefault::Zeroes(union.payload_size),
        derives_default: true,
        serde_array: false,
    });
    StructShape {
        name: names.name.clone(),
        idl_name: &def.name,
        doc: &docs::with(&def.docs, &summary),
        lints: super::naming_lints(&[&def.name], &[], &[]),
        slots: merge_padding(slots, &union.padding),
        size: def.size,
        align: def.align,
        from_bytes: true,
        equality: Equality::DeriveEq,
        debug: false,
        custom_default: true,
        // Implemented through the view.
        serde: false,
    }
    .write(out);
}

/// The variant as the docs show it: `Say(string<64>)`.
fn shown(variant: &Variant) -> String {
    match &variant.payload {
        Some(payload) => format!("{}({payload})", variant.name),
        None => variant.name.clone(),
    }
}

fn tag_const(variant: &Variant) -> String {
    rust_name(&names::shouty_snake_case(&variant.name))
}

fn setter(variant: &Variant) -> String {
    format!("set_{}", names::snake_case(&variant.name))
}

/// `impl Order { tag constants, get, setters }`.
fn methods(ctx: &Ctx<'_>, union: &UnionDef, names: &UnionNames, out: &mut String) {
    let UnionNames { view, lifetime, .. } = names;
    let tag_ty = union.tag.name();
    let _ = writeln!(out, "impl {} {{", names.name);
    for variant in &union.variants {
        source::docs(
            out,
            1,
            &docs::attrs(&format!("The tag of `{}`.", shown(variant))),
        );
        let _ = writeln!(
            out,
            "    pub const {}: {tag_ty} = {};\n",
            tag_const(variant),
            int_text(variant.tag, union.tag)
        );
    }
    source::docs(
        out,
        1,
        &docs::attrs(
            "The variant held, borrowed. Fails only for bytes that did not go through \
             validation: an unknown tag, or a payload that is not a valid value of its \
             variant's type.",
        ),
    );
    fn_signature(
        out,
        1,
        "pub fn get",
        &["&self"],
        &format!(" -> Result<{view}{lifetime}, interop::containers::UnionError>"),
    );
    line(out, 2, "match self.tag {");
    for variant in &union.variants {
        let pattern = format!("Self::{}", tag_const(variant));
        let member = rust_name(&variant.name);
        let body = if variant.payload.is_some() {
            vec![
                "interop::containers::union_payload(&self.payload, i128::from(self.tag))"
                    .to_owned(),
                format!(".map({view}::{member})"),
            ]
        } else {
            vec![format!("Ok({view}::{member})")]
        };
        match_arm(out, 3, &pattern, &body);
    }
    line(
        out,
        3,
        "tag => Err(interop::containers::UnionError::UnknownTag(i128::from(tag))),",
    );
    line(out, 2, "}");
    line(out, 1, "}");
    for variant in &union.variants {
        out.push('\n');
        let doc = docs::with(
            &variant.docs,
            &format!(
                "Holds `{}` (tag {}), zeroing the rest of the payload.",
                shown(variant),
                variant.tag
            ),
        );
        source::docs(out, 1, &doc);
        let signature = format!("pub fn {}", setter(variant));
        match &variant.payload {
            None => fn_signature(out, 1, &signature, &["&mut self"], ""),
            Some(payload) => {
                let parameter = format!(
                    "value: {}",
                    type_text(payload, &ctx.package.name, Scope::Package)
                );
                fn_signature(out, 1, &signature, &["&mut self", &parameter], "");
            }
        }
        let _ = writeln!(out, "        self.tag = Self::{};", tag_const(variant));
        if let Some(zero) = &names.zero_payload {
            line(out, 2, zero);
        }
        if variant.payload.is_some() {
            line(
                out,
                2,
                "let bytes = interop::zerocopy::IntoBytes::as_bytes(&value);",
            );
            line(
                out,
                2,
                "self.payload[..bytes.len()].copy_from_slice(bytes);",
            );
        }
        line(out, 1, "}");
    }
    out.push_str("}\n\n");
}

/// `Default` (the first variant), `From` the view, and `Debug` through the view.
fn conversions(def: &TypeDef, union: &UnionDef, names: &UnionNames, out: &mut String) {
    let UnionNames {
        name,
        view,
        lifetime,
        ..
    } = names;
    line(
        out,
        0,
        "/// Holds the first variant, with its default value.",
    );
    let _ = writeln!(out, "impl Default for {name} {{");
    line(out, 1, "fn default() -> Self {");
    line(
        out,
        2,
        "let mut value: Self = interop::zerocopy::FromZeros::new_zeroed();",
    );
    if let Some(first) = union.variants.first() {
        let value = first
            .payload
            .as_ref()
            .map(super::default_text)
            .unwrap_or_default();
        let _ = writeln!(out, "        value.{}({value});", setter(first));
    }
    line(out, 2, "value");
    line(out, 1, "}");
    out.push_str("}\n\n");

    let _ = writeln!(out, "impl From<{view}{lifetime}> for {name} {{");
    let _ = writeln!(out, "    fn from(view: {view}{lifetime}) -> Self {{");
    line(out, 2, "let mut out = Self::default();");
    if union.variants.is_empty() {
        line(out, 2, "match view {}");
    } else {
        line(out, 2, "match view {");
        for variant in &union.variants {
            let member = rust_name(&variant.name);
            let (pattern, call) = if variant.payload.is_some() {
                (
                    format!("{view}::{member}(value)"),
                    format!("out.{}(*value)", setter(variant)),
                )
            } else {
                (
                    format!("{view}::{member}"),
                    format!("out.{}()", setter(variant)),
                )
            };
            match_arm(out, 3, &pattern, &[call]);
        }
        line(out, 2, "}");
    }
    line(out, 2, "out");
    line(out, 1, "}");
    out.push_str("}\n\n");

    line(
        out,
        0,
        "/// Shows the variant held, or the raw tag when it is unknown.",
    );
    let _ = writeln!(out, "impl core::fmt::Debug for {name} {{");
    line(
        out,
        1,
        "fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {",
    );
    line(out, 2, "match self.get() {");
    line(out, 3, "Ok(view) => core::fmt::Debug::fmt(&view, f),");
    let calls = [
        format!("f.debug_struct({})", source::string_literal(&def.name)),
        ".field(\"tag\", &self.tag)".to_owned(),
        ".finish_non_exhaustive()".to_owned(),
    ];
    match_arm(out, 3, "Err(_)", &calls);
    line(out, 2, "}");
    line(out, 1, "}");
    out.push_str("}\n\n");
}

/// The view enum, without serde.
fn view(ctx: &Ctx<'_>, def: &TypeDef, union: &UnionDef, names: &UnionNames, out: &mut String) {
    let view = &names.view;
    view_head(def, union, names, out);
    let eq = view_is_eq(ctx, union);
    let mut derives = vec!["Clone", "Copy", "Debug", "PartialEq"];
    if eq {
        derives.push("Eq");
    }
    source::list_attr(out, 0, "derive", &derives);
    let generics = if names.lifetime.is_empty() {
        ""
    } else {
        "<'a>"
    };
    let _ = writeln!(out, "pub enum {view}{generics} {{");
    for variant in &union.variants {
        source::docs(out, 1, &view_variant_doc(variant));
        let member = rust_name(&variant.name);
        match &variant.payload {
            Some(payload) => {
                let payload = type_text(payload, &ctx.package.name, Scope::Package);
                let _ = writeln!(out, "    {member}(&'a {payload}),");
            }
            None => {
                let _ = writeln!(out, "    {member},");
            }
        }
    }
    out.push_str("}\n\n");
}

/// Whether the view can derive `Eq`: no payload holds a float.
fn view_is_eq(ctx: &Ctx<'_>, union: &UnionDef) -> bool {
    union
        .variants
        .iter()
        .filter_map(|variant| variant.payload.as_ref())
        .all(|ty| super::is_eq(ctx.model, ty))
}

fn view_variant_doc(variant: &Variant) -> Docs {
    docs::or(
        &variant.docs,
        &format!("`{}`, tag {}.", shown(variant), variant.tag),
    )
}

/// The view's doc comment and lint allowances.
fn view_head(def: &TypeDef, union: &UnionDef, names: &UnionNames, out: &mut String) {
    source::docs(out, 0, &view_doc(def));
    let (type_names, variant_names) = view_names(union, names);
    super::types::allow_attr(out, 0, &super::naming_lints(&type_names, &[], &[]));
    if super::shares_variant_words(&names.view, &variant_names) {
        line(out, 0, super::VARIANT_NAMES_ALLOW);
    }
}

fn view_doc(def: &TypeDef) -> Docs {
    docs::attrs(&format!(
        "The variant held by a `{}` union, borrowed from it: what `{}::get` returns.",
        def.name, def.name
    ))
}

/// The type names the view declares (its own and its variants'), and the variants' names.
fn view_names<'a>(union: &'a UnionDef, names: &'a UnionNames) -> (Vec<&'a str>, Vec<&'a str>) {
    let variant_names: Vec<&str> = union
        .variants
        .iter()
        .map(|variant| variant.name.as_str())
        .collect();
    let mut type_names = vec![names.view.as_str()];
    type_names.extend(&variant_names);
    (type_names, variant_names)
}

/// With serde: the view (which serializes the union) and the union's `Serialize` and
/// `Deserialize`, as tokens.
fn serde_view(ctx: &Ctx<'_>, def: &TypeDef, union: &UnionDef, names: &UnionNames) -> TokenStream {
    let package = &ctx.package.name;
    let name = ident(&def.name);
    let view = format_ident!("{}", names.view);
    let mut view_variants = Vec::new();
    let mut owned_variants = Vec::new();
    let mut owned_arms = Vec::new();
    for variant in &union.variants {
        let member = ident(&variant.name);
        let setter = format_ident!("{}", setter(variant));
        let view_doc = view_variant_doc(variant);
        let rename = super::serde_rename(&member, &variant.name);
        match &variant.payload {
            None => {
                view_variants.push(quote!(#view_doc #rename #member));
                owned_variants.push(quote!(#rename #member));
                owned_arms.push(quote!(Owned::#member => out.#setter(),));
            }
            Some(payload) => {
                let payload_ty = rust_type(payload, package, Scope::Package);
                let (ser_with, de_with) = if super::needs_serde_array(payload) {
                    (
                        quote!(#[serde(serialize_with = "interop::serde_support::array::serialize")]),
                        quote!(#[serde(deserialize_with = "interop::serde_support::array::deserialize")]),
                    )
                } else {
                    (TokenStream::new(), TokenStream::new())
                };
                view_variants.push(quote!(#view_doc #rename #member(#ser_with &'a #payload_ty)));
                owned_variants.push(quote!(#rename #member(#de_with #payload_ty)));
                owned_arms.push(quote!(Owned::#member(value) => out.#setter(value),));
            }
        }
    }
    let view_doc = view_doc(def);
    let (type_names, variant_names) = view_names(union, names);
    let view_allow = super::naming_allows(&type_names, &[], &[]);
    let view_variant_allow = super::variant_names_allow(&names.view, &variant_names);
    let eq = if view_is_eq(ctx, union) {
        quote!(, Eq)
    } else {
        TokenStream::new()
    };
    let generics = if names.lifetime.is_empty() {
        TokenStream::new()
    } else {
        quote!(<'a>)
    };
    let shown_name = &def.name;
    quote! {
        #view_doc
        #view_allow
        #view_variant_allow
        #[derive(Clone, Copy, Debug, PartialEq #eq, interop::serde::Serialize)]
        #[serde(crate = "interop::serde")]
        pub enum #view #generics {
            #(#view_variants,)*
        }

        /// Externally tagged by variant name: `{"Variant": value}`, or `"Variant"` for a
        /// variant without payload. Fails for an unknown tag or an invalid payload.
        impl interop::serde::Serialize for #name {
            fn serialize<S: interop::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let view = self.get().map_err(<S::Error as interop::serde::ser::Error>::custom)?;
                interop::serde::Serialize::serialize(&view, serializer)
            }
        }

        /// Externally tagged by variant name, as it serializes.
        impl<'de> interop::serde::Deserialize<'de> for #name {
            fn deserialize<D: interop::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #view_allow
                #view_variant_allow
                #[allow(clippy::large_enum_variant)]
                #[derive(interop::serde::Deserialize)]
                #[serde(crate = "interop::serde", rename = #shown_name)]
                enum Owned {
                    #(#owned_variants,)*
                }
                let mut out = Self::default();
                match <Owned as interop::serde::Deserialize>::deserialize(deserializer)? {
                    #(#owned_arms)*
                }
                Ok(out)
            }
        }
    }
}

fn scalar_size(scalar: Scalar) -> u64 {
    match scalar {
        Scalar::Bool | Scalar::U8 | Scalar::I8 => 1,
        Scalar::U16 | Scalar::I16 => 2,
        Scalar::U32 | Scalar::I32 | Scalar::F32 => 4,
        Scalar::U64 | Scalar::I64 | Scalar::F64 => 8,
    }
}
