//! The inline containers (`string<N>`, `bytes<N>`, `vec<T, N>`, `optional<T>`) a package
//! uses, as generated types in its `inline` module, with their accessors.

use interop_idl::model::{Padding, Ty, TyKind, TypeKind, STRING_DATA_OFFSET};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::{merge_padding, Equality, Slot, StructShape};
use super::{docs, made_ident, rust_type, usize_lit, Ctx, Scope};
use crate::names;

/// `pub mod inline { ... }` with every container the package's types and messages use; nothing
/// when they use none.
pub(crate) fn module(ctx: &Ctx<'_>) -> TokenStream {
    let containers = used_containers(ctx);
    if containers.is_empty() {
        return TokenStream::new();
    }
    let items = containers.iter().map(|ty| container(ctx, ty));
    let doc = docs::attrs(&format!(
        "The inline containers (`string<N>`, `bytes<N>`, `vec<T, N>`, `optional<T>`) used by \
         package `{}`, each a fixed-size type with its accessors.",
        ctx.package.name
    ));
    quote! {
        #doc
        pub mod inline {
            #(#items)*
        }
    }
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

fn container(ctx: &Ctx<'_>, ty: &Ty) -> TokenStream {
    let package = &ctx.package.name;
    let name_text = names::container_name(ty, package).expect("a container");
    let name = made_ident(&name_text);
    let allow = super::naming_allows(&[&name_text], &[], &[]);
    let doc = docs::attrs(&format!(
        "`{ty}`: size {}, alignment {}.",
        ty.size, ty.align
    ));
    let slot = |field: &str,
                field_ty: TokenStream,
                offset: u64,
                doc: &str,
                default: TokenStream,
                derives_default: bool| Slot {
        ident: made_ident(field),
        shown: Some(field.to_owned()),
        ty: field_ty,
        doc: docs::attrs(doc),
        offset,
        default,
        derives_default,
    };
    let len_doc = "How many are used; the rest is unused (zero when written by the accessors).";
    let (slots, end, from_bytes, eq, methods) = match &ty.kind {
        TyKind::String { capacity } | TyKind::Bytes { capacity } => {
            let n = usize_lit(*capacity);
            let slots = vec![
                slot(
                    "len",
                    quote!(u32),
                    0,
                    "How many bytes of `data` are used.",
                    quote!(0),
                    true,
                ),
                slot(
                    "data",
                    quote!([u8; #n]),
                    STRING_DATA_OFFSET,
                    "The bytes, `len` of them used.",
                    quote!([0; #n]),
                    *capacity <= 32,
                ),
            ];
            let text = matches!(ty.kind, TyKind::String { .. });
            (
                slots,
                STRING_DATA_OFFSET + capacity,
                true,
                true,
                byte_methods(&name, *capacity, text),
            )
        }
        TyKind::Vec {
            element,
            capacity,
            items_offset,
        } => {
            let n = usize_lit(*capacity);
            let element_ty = rust_type(element, package, Scope::Inline);
            let element_default = super::default_expr(element);
            let slots = vec![
                slot("len", quote!(u32), 0, len_doc, quote!(0), true),
                slot(
                    "items",
                    quote!([#element_ty; #n]),
                    *items_offset,
                    "The elements, `len` of them used.",
                    quote!([#element_default; #n]),
                    *capacity <= 32 && super::derives_default(element),
                ),
            ];
            let eq = super::is_eq(ctx.model, element);
            let end = items_offset + capacity * element.size;
            let methods = vec_methods(&name, &element_ty, &element_default, *capacity);
            (
                slots,
                end,
                super::is_from_bytes(ctx.model, element),
                eq,
                methods,
            )
        }
        TyKind::Optional {
            value,
            value_offset,
        } => {
            let value_ty = rust_type(value, package, Scope::Inline);
            let slots = vec![
                slot(
                    "present",
                    quote!(bool),
                    0,
                    "Whether `value` holds a value.",
                    quote!(false),
                    true,
                ),
                slot(
                    "value",
                    value_ty.clone(),
                    *value_offset,
                    "The value, meaningful when `present`.",
                    super::default_expr(value),
                    super::derives_default(value),
                ),
            ];
            let eq = super::is_eq(ctx.model, value);
            (
                slots,
                value_offset + value.size,
                false,
                eq,
                optional_methods(&name, &value_ty),
            )
        }
        TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. } => {
            unreachable!("not a container")
        }
    };
    // The gaps the model's offsets and sizes leave: after `len` or `present`, and at the end.
    let mut padding = Vec::new();
    let header = if matches!(ty.kind, TyKind::Optional { .. }) {
        1
    } else {
        4
    };
    if slots[1].offset > header {
        padding.push(Padding {
            offset: header,
            size: slots[1].offset - header,
        });
    }
    if ty.size > end {
        padding.push(Padding {
            offset: end,
            size: ty.size - end,
        });
    }
    let shape = StructShape {
        name: name.clone(),
        idl_name: name_text.clone(),
        doc,
        allow,
        slots: merge_padding(slots, &padding),
        size: ty.size,
        align: ty.align,
        from_bytes,
        equality: Equality::Manual,
        debug: false,
        custom_default: false,
    };
    let mut out = shape.tokens();
    out.extend(methods);
    if eq {
        out.extend(quote!(impl Eq for #name {}));
    }
    out
}

fn byte_methods(name: &Ident, capacity: u64, text: bool) -> TokenStream {
    let n = usize_lit(capacity);
    let capacity_doc = docs::attrs(if text {
        "The most bytes of UTF-8 it holds."
    } else {
        "The most bytes it holds."
    });
    let common = quote! {
        #capacity_doc
        pub const CAPACITY: usize = #n;

        /// How many bytes are used (never more than [`Self::CAPACITY`], whatever `len` says).
        pub fn len(&self) -> usize {
            (self.len as usize).min(Self::CAPACITY)
        }

        /// Whether no byte is used.
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }

        /// Empties it, zeroing the bytes.
        pub fn clear(&mut self) {
            self.len = 0;
            self.data = [0; #n];
        }

        fn set_bytes(&mut self, bytes: &[u8]) -> Result<(), interop::containers::CapacityError> {
            if bytes.len() > Self::CAPACITY {
                return Err(interop::containers::CapacityError { capacity: Self::CAPACITY, needed: bytes.len() });
            }
            self.data = [0; #n];
            self.data[..bytes.len()].copy_from_slice(bytes);
            self.len = bytes.len() as u32;
            Ok(())
        }
    };
    if text {
        quote! {
            impl #name {
                #common

                /// The bytes used.
                pub fn as_bytes(&self) -> &[u8] {
                    &self.data[..self.len()]
                }

                /// The text. Fails only for bytes that did not go through validation and are
                /// not UTF-8.
                pub fn as_str(&self) -> Result<&str, core::str::Utf8Error> {
                    core::str::from_utf8(self.as_bytes())
                }

                /// Replaces the text; fails, leaving it unchanged, when `text` is longer than
                /// [`Self::CAPACITY`] bytes.
                pub fn set(&mut self, text: &str) -> Result<(), interop::containers::CapacityError> {
                    self.set_bytes(text.as_bytes())
                }
            }

            impl TryFrom<&str> for #name {
                type Error = interop::containers::CapacityError;

                fn try_from(text: &str) -> Result<Self, Self::Error> {
                    let mut value = Self::default();
                    value.set(text)?;
                    Ok(value)
                }
            }

            impl PartialEq for #name {
                fn eq(&self, other: &Self) -> bool {
                    self.as_bytes() == other.as_bytes()
                }
            }

            /// Shows the text as a string literal (bytes that are not UTF-8 escaped).
            impl core::fmt::Debug for #name {
                fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    match self.as_str() {
                        Ok(text) => core::fmt::Debug::fmt(text, f),
                        Err(_) => write!(f, "b\"{}\"", self.as_bytes().escape_ascii()),
                    }
                }
            }

            impl core::fmt::Display for #name {
                fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    match self.as_str() {
                        Ok(text) => f.write_str(text),
                        Err(_) => write!(f, "{}", self.as_bytes().escape_ascii()),
                    }
                }
            }
        }
    } else {
        quote! {
            impl #name {
                #common

                /// The bytes used.
                pub fn as_slice(&self) -> &[u8] {
                    &self.data[..self.len()]
                }

                /// Replaces the bytes; fails, leaving them unchanged, when `bytes` is longer
                /// than [`Self::CAPACITY`].
                pub fn set(&mut self, bytes: &[u8]) -> Result<(), interop::containers::CapacityError> {
                    self.set_bytes(bytes)
                }
            }

            impl TryFrom<&[u8]> for #name {
                type Error = interop::containers::CapacityError;

                fn try_from(bytes: &[u8]) -> Result<Self, Self::Error> {
                    let mut value = Self::default();
                    value.set(bytes)?;
                    Ok(value)
                }
            }

            impl PartialEq for #name {
                fn eq(&self, other: &Self) -> bool {
                    self.as_slice() == other.as_slice()
                }
            }

            /// Shows the bytes as a byte string literal: `b"\x01AB"`.
            impl core::fmt::Debug for #name {
                fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    write!(f, "b\"{}\"", self.as_slice().escape_ascii())
                }
            }
        }
    }
}

fn vec_methods(
    name: &Ident,
    element: &TokenStream,
    element_default: &TokenStream,
    capacity: u64,
) -> TokenStream {
    let n = usize_lit(capacity);
    quote! {
        impl #name {
            /// The most elements it holds.
            pub const CAPACITY: usize = #n;

            /// How many elements are used (never more than [`Self::CAPACITY`], whatever `len`
            /// says).
            pub fn len(&self) -> usize {
                (self.len as usize).min(Self::CAPACITY)
            }

            /// Whether no element is used.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// The elements used.
            pub fn as_slice(&self) -> &[#element] {
                &self.items[..self.len()]
            }

            /// The elements used, to change in place.
            pub fn as_mut_slice(&mut self) -> &mut [#element] {
                let len = self.len();
                &mut self.items[..len]
            }

            /// Iterates over the elements used.
            pub fn iter(&self) -> core::slice::Iter<'_, #element> {
                self.as_slice().iter()
            }

            /// Appends an element; fails, leaving it unchanged, when it is full.
            pub fn push(&mut self, value: #element) -> Result<(), interop::containers::CapacityError> {
                let len = self.len();
                if len == Self::CAPACITY {
                    return Err(interop::containers::CapacityError { capacity: Self::CAPACITY, needed: len + 1 });
                }
                self.items[len] = value;
                self.len = len as u32 + 1;
                Ok(())
            }

            /// Removes the last element and returns it.
            pub fn pop(&mut self) -> Option<#element> {
                let len = self.len().checked_sub(1)?;
                let value = self.items[len];
                self.items[len] = #element_default;
                self.len = len as u32;
                Some(value)
            }

            /// Replaces the elements with `values`; fails, leaving it unchanged, when there are
            /// more than [`Self::CAPACITY`].
            pub fn set(&mut self, values: &[#element]) -> Result<(), interop::containers::CapacityError> {
                if values.len() > Self::CAPACITY {
                    return Err(interop::containers::CapacityError { capacity: Self::CAPACITY, needed: values.len() });
                }
                self.clear();
                self.items[..values.len()].copy_from_slice(values);
                self.len = values.len() as u32;
                Ok(())
            }

            /// Removes every element (and resets the unused ones to their default).
            pub fn clear(&mut self) {
                *self = Self::default();
            }
        }

        impl<'a> IntoIterator for &'a #name {
            type Item = &'a #element;
            type IntoIter = core::slice::Iter<'a, #element>;

            fn into_iter(self) -> Self::IntoIter {
                self.iter()
            }
        }

        impl TryFrom<&[#element]> for #name {
            type Error = interop::containers::CapacityError;

            fn try_from(values: &[#element]) -> Result<Self, Self::Error> {
                let mut value = Self::default();
                value.set(values)?;
                Ok(value)
            }
        }

        impl PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                self.as_slice() == other.as_slice()
            }
        }

        /// Shows the elements used as a list.
        impl core::fmt::Debug for #name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }
    }
}

fn optional_methods(name: &Ident, value: &TokenStream) -> TokenStream {
    quote! {
        impl #name {
            /// The value, if present.
            pub fn get(&self) -> Option<&#value> {
                if self.present {
                    Some(&self.value)
                } else {
                    None
                }
            }

            /// The value, if present, to change in place.
            pub fn get_mut(&mut self) -> Option<&mut #value> {
                if self.present {
                    Some(&mut self.value)
                } else {
                    None
                }
            }

            /// Sets the value.
            pub fn set(&mut self, value: #value) {
                self.present = true;
                self.value = value;
            }

            /// Removes the value (and resets it to its default).
            pub fn clear(&mut self) {
                *self = Self::default();
            }

            /// Whether a value is present.
            pub fn is_some(&self) -> bool {
                self.present
            }

            /// Whether no value is present.
            pub fn is_none(&self) -> bool {
                !self.present
            }
        }

        impl From<Option<#value>> for #name {
            fn from(value: Option<#value>) -> Self {
                let mut out = Self::default();
                if let Some(value) = value {
                    out.set(value);
                }
                out
            }
        }

        impl From<#name> for Option<#value> {
            fn from(value: #name) -> Self {
                value.get().copied()
            }
        }

        impl PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                self.get() == other.get()
            }
        }

        /// Shows `Some(value)` or `None`.
        impl core::fmt::Debug for #name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Debug::fmt(&self.get(), f)
            }
        }
    }
}
