//! Tagged unions: the raw `{ tag, payload }` struct, a borrowed view enum (`OrderRef`) and
//! setters that zero the payload first.

use interop_idl::model::{Scalar, TypeDef, UnionDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Item;

use super::docs::{self, Docs};
use super::types::{int_lit, merge_padding, Equality, Slot, StructShape};
use super::{ident, made_ident, rust_type, syntax, usize_lit, Ctx, Scope};
use crate::names;

pub(crate) fn union_def(ctx: &Ctx<'_>, def: &TypeDef, union: &UnionDef) -> Vec<Item> {
    let package = &ctx.package.name;
    let name = ident(&def.name);
    let view = format_ident!("{}Ref", def.name.trim_start_matches("r#"));
    let tag_ty = super::scalar_type(union.tag);
    let payload_size = usize_lit(union.payload_size);
    let has_payload = union
        .variants
        .iter()
        .any(|variant| variant.payload.is_some());

    // The raw struct.
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
            ident: format_ident!("_align"),
            shown: None,
            ty: syntax::array_type(syntax::path_type([format_ident!("{aligner}")]), 0),
            doc: Docs::default(),
            offset: 0,
            default: quote!([]),
            derives_default: true,
            serde_array: false,
        });
    }
    slots.push(Slot {
        ident: format_ident!("tag"),
        shown: Some("tag".to_owned()),
        ty: syntax::path_type([format_ident!("{}", union.tag.name())]),
        doc: docs::attrs("Which variant is held: one of the tag constants of this type."),
        offset: 0,
        default: quote!(0),
        derives_default: true,
        serde_array: false,
    });
    slots.push(Slot {
        ident: format_ident!("payload"),
        shown: Some("payload".to_owned()),
        ty: syntax::array_type(syntax::path_type([format_ident!("u8")]), union.payload_size),
        doc: docs::attrs(&format!(
            "The variant's value as raw bytes (at offset {}).",
            union.payload_offset
        )),
        offset: union.payload_offset,
        default: quote!([0; #payload_size]),
        derives_default: true,
        serde_array: false,
    });
    let shape = StructShape {
        name: name.clone(),
        idl_name: def.name.clone(),
        doc: docs::with(&def.docs, &summary),
        allow: super::naming_allows(&[&def.name], &[], &[]),
        slots: merge_padding(slots, &union.padding),
        size: def.size,
        align: def.align,
        from_bytes: true,
        equality: Equality::DeriveEq,
        debug: false,
        custom_default: true,
        // Implemented below, through the view.
        serde: false,
    };
    let mut items = shape.items();
    let mut out = TokenStream::new();

    // Tags, reading and writing.
    let lifetime = if has_payload {
        quote!(<'_>)
    } else {
        TokenStream::new()
    };
    let zero_payload = if union.payload_size > 0 {
        quote!(self.payload = [0; #payload_size];)
    } else {
        TokenStream::new()
    };
    let mut tag_consts = Vec::new();
    let mut arms = Vec::new();
    let mut setters = Vec::new();
    let mut from_arms = Vec::new();
    let mut view_variants = Vec::new();
    // serde: the variants of the view (with renames) and of an owned copy to deserialize.
    let mut serde_view_variants = Vec::new();
    let mut owned_variants = Vec::new();
    let mut owned_arms = Vec::new();
    for variant in &union.variants {
        let tag_const = made_ident(&names::shouty_snake_case(&variant.name));
        let tag_value = int_lit(variant.tag, union.tag);
        let shown = match &variant.payload {
            Some(payload) => format!("{}({payload})", variant.name),
            None => variant.name.clone(),
        };
        let tag_doc = docs::attrs(&format!("The tag of `{shown}`."));
        tag_consts.push(quote!(#tag_doc pub const #tag_const: #tag_ty = #tag_value;));
        let member = ident(&variant.name);
        let setter = format_ident!("set_{}", names::snake_case(&variant.name));
        let view_doc = docs::or(&variant.docs, &format!("`{shown}`, tag {}.", variant.tag));
        let setter_doc = docs::with(
            &variant.docs,
            &format!(
                "Holds `{shown}` (tag {}), zeroing the rest of the payload.",
                variant.tag
            ),
        );
        match &variant.payload {
            None => {
                arms.push(quote!(Self::#tag_const => Ok(#view::#member),));
                setters.push(quote! {
                    #setter_doc
                    pub fn #setter(&mut self) {
                        self.tag = Self::#tag_const;
                        #zero_payload
                    }
                });
                from_arms.push(quote!(#view::#member => out.#setter(),));
                view_variants.push(quote!(#view_doc #member));
                let rename = super::serde_rename(&member, &variant.name);
                serde_view_variants.push(quote!(#view_doc #rename #member));
                owned_variants.push(quote!(#rename #member));
                owned_arms.push(quote!(Owned::#member => out.#setter(),));
            }
            Some(payload) => {
                let payload_ty = rust_type(payload, package, Scope::Package);
                arms.push(quote! {
                    Self::#tag_const => {
                        interop::containers::union_payload(&self.payload, i128::from(self.tag)).map(#view::#member)
                    }
                });
                setters.push(quote! {
                    #setter_doc
                    pub fn #setter(&mut self, value: #payload_ty) {
                        self.tag = Self::#tag_const;
                        #zero_payload
                        let bytes = interop::zerocopy::IntoBytes::as_bytes(&value);
                        self.payload[..bytes.len()].copy_from_slice(bytes);
                    }
                });
                from_arms.push(quote!(#view::#member(value) => out.#setter(*value),));
                view_variants.push(quote!(#view_doc #member(&'a #payload_ty)));
                let rename = super::serde_rename(&member, &variant.name);
                let (ser_with, de_with) = if super::needs_serde_array(payload) {
                    (
                        quote!(#[serde(serialize_with = "interop::serde_support::array::serialize")]),
                        quote!(#[serde(deserialize_with = "interop::serde_support::array::deserialize")]),
                    )
                } else {
                    (TokenStream::new(), TokenStream::new())
                };
                serde_view_variants
                    .push(quote!(#view_doc #rename #member(#ser_with &'a #payload_ty)));
                owned_variants.push(quote!(#rename #member(#de_with #payload_ty)));
                owned_arms.push(quote!(Owned::#member(value) => out.#setter(value),));
            }
        }
    }
    let first_setter = union.variants.first().map(|variant| {
        let setter = format_ident!("set_{}", names::snake_case(&variant.name));
        match &variant.payload {
            None => quote!(value.#setter();),
            Some(payload) => {
                let default = super::default_expr(payload);
                quote!(value.#setter(#default);)
            }
        }
    });
    let get_doc = docs::attrs(
        "The variant held, borrowed. Fails only for bytes that did not go through validation: an \
         unknown tag, or a payload that is not a valid value of its variant's type.",
    );
    let shown_name = &def.name;
    out.extend(quote! {
        impl #name {
            #(#tag_consts)*

            #get_doc
            pub fn get(&self) -> Result<#view #lifetime, interop::containers::UnionError> {
                match self.tag {
                    #(#arms)*
                    tag => Err(interop::containers::UnionError::UnknownTag(i128::from(tag))),
                }
            }

            #(#setters)*
        }

        /// Holds the first variant, with its default value.
        impl Default for #name {
            fn default() -> Self {
                let mut value: Self = interop::zerocopy::FromZeros::new_zeroed();
                #first_setter
                value
            }
        }

        impl From<#view #lifetime> for #name {
            fn from(view: #view #lifetime) -> Self {
                let mut out = Self::default();
                match view {
                    #(#from_arms)*
                }
                out
            }
        }

        /// Shows the variant held, or the raw tag when it is unknown.
        impl core::fmt::Debug for #name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.get() {
                    Ok(view) => core::fmt::Debug::fmt(&view, f),
                    Err(_) => f.debug_struct(#shown_name).field("tag", &self.tag).finish_non_exhaustive(),
                }
            }
        }
    });

    // The view.
    let view_doc = docs::attrs(&format!(
        "The variant held by a `{}` union, borrowed from it: what `{}::get` returns.",
        def.name, def.name
    ));
    let variant_names: Vec<&str> = union
        .variants
        .iter()
        .map(|variant| variant.name.as_str())
        .collect();
    let view_name = view.to_string();
    let mut view_type_names = vec![view_name.as_str()];
    view_type_names.extend(&variant_names);
    let view_allow = super::naming_allows(&view_type_names, &[], &[]);
    let view_variant_allow = super::variant_names_allow(&view_name, &variant_names);
    let eq = union
        .variants
        .iter()
        .filter_map(|variant| variant.payload.as_ref())
        .all(|ty| super::is_eq(ctx.model, ty));
    let eq = if eq { quote!(, Eq) } else { TokenStream::new() };
    let generics = if has_payload {
        quote!(<'a>)
    } else {
        TokenStream::new()
    };
    if ctx.serde {
        out.extend(quote! {
            #view_doc
            #view_allow
            #view_variant_allow
            #[derive(Clone, Copy, Debug, PartialEq #eq, interop::serde::Serialize)]
            #[serde(crate = "interop::serde")]
            pub enum #view #generics {
                #(#serde_view_variants,)*
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
        });
    } else {
        out.extend(quote! {
            #view_doc
            #view_allow
            #view_variant_allow
            #[derive(Clone, Copy, Debug, PartialEq #eq)]
            pub enum #view #generics {
                #(#view_variants,)*
            }
        });
    }
    items.extend(syntax::parse_items(out));
    items.push(super::types::identity_item(
        ctx,
        &name,
        &def.qualified_name,
        &def.fingerprint.0,
    ));
    items
}

fn scalar_size(scalar: Scalar) -> u64 {
    match scalar {
        Scalar::Bool | Scalar::U8 | Scalar::I8 => 1,
        Scalar::U16 | Scalar::I16 => 2,
        Scalar::U32 | Scalar::I32 | Scalar::F32 => 4,
        Scalar::U64 | Scalar::I64 | Scalar::F64 => 8,
    }
}
