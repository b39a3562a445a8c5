//! Constants, structs (and generated messages), enums and flags.

use interop_idl::model::{
    Const, ConstValue, EnumDef, Field, Padding, Scalar, StructDef, TypeDef, TypeKind,
};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use syn::{FieldMutability, Fields, FieldsNamed, Item, ItemStruct, VisRestricted, Visibility};

use super::docs::{self, Docs};
use super::{ident, syntax, Ctx, Scope};
use crate::names;

/// `pub const NAME: T = value;`
pub(crate) fn constant(constant: &Const) -> TokenStream {
    let name = ident(&constant.name);
    let ty = super::scalar_type(constant.ty);
    let value = match constant.value {
        ConstValue::Int(value) => int_lit(value, constant.ty),
        ConstValue::Float(value) => float_lit(value, constant.ty),
        ConstValue::Bool(value) => quote!(#value),
    };
    let shown = match constant.value {
        ConstValue::Int(value) => value.to_string(),
        ConstValue::Float(value) => value.to_string(),
        ConstValue::Bool(value) => value.to_string(),
    };
    let doc = docs::or(
        &constant.docs,
        &format!("`{}: {} = {shown}`.", constant.name, constant.ty.name()),
    );
    let allow = super::naming_allows(&[], &[], &[&constant.name]);
    quote! {
        #doc
        #allow
        pub const #name: #ty = #value;
    }
}

/// The items of one declared type.
pub(crate) fn type_def(ctx: &Ctx<'_>, def: &TypeDef) -> Vec<Item> {
    match &def.kind {
        TypeKind::Struct(structure) => {
            let summary = format!(
                "IDL `struct {}`: size {}, alignment {}.",
                def.qualified_name, def.size, def.align
            );
            let mut items = struct_items(
                ctx,
                &def.name,
                &docs::with(&def.docs, &summary),
                structure,
                def.size,
                def.align,
            );
            items.push(identity_item(
                ctx,
                &ident(&def.name),
                &def.qualified_name,
                &def.fingerprint.0,
            ));
            items
        }
        TypeKind::Enum(members) => enum_def(ctx, def, members),
        TypeKind::Flags(members) => flags_def(ctx, def, members),
        TypeKind::Union(union) => super::unions::union_def(ctx, def, union),
    }
}

/// A struct of the schema or a generated message: its definition, `Default`, `Debug` and
/// layout assertions, as tokens.
pub(crate) fn struct_def(
    ctx: &Ctx<'_>,
    name: &str,
    doc: &Docs,
    layout: &StructDef,
    size: u64,
    align: u64,
) -> TokenStream {
    syntax::items_tokens(&struct_items(ctx, name, doc, layout, size, align))
}

/// A struct of the schema or a generated message: its definition, `Default`, `Debug` and
/// layout assertions.
fn struct_items(
    ctx: &Ctx<'_>,
    name: &str,
    doc: &Docs,
    layout: &StructDef,
    size: u64,
    align: u64,
) -> Vec<Item> {
    let package = &ctx.package.name;
    let fields = field_slots(&layout.fields, package, Scope::Package);
    let slots = merge_padding(fields, &layout.padding);
    let field_names: Vec<&str> = layout
        .fields
        .iter()
        .map(|field| field.name.as_str())
        .collect();
    let shape = StructShape {
        name: ident(name),
        idl_name: name.to_owned(),
        doc: doc.clone(),
        allow: super::naming_allows(&[name], &field_names, &[]),
        slots,
        size,
        align,
        from_bytes: layout
            .fields
            .iter()
            .all(|field| super::is_from_bytes(ctx.model, &field.ty)),
        equality: if layout
            .fields
            .iter()
            .all(|field| super::is_eq(ctx.model, &field.ty))
        {
            Equality::DeriveEq
        } else {
            Equality::DerivePartialEq
        },
        debug: true,
        custom_default: false,
        serde: ctx.serde,
    };
    shape.items()
}

/// One field of a generated struct, or one run of padding.
pub(crate) struct Slot {
    pub ident: Ident,
    /// The name `Debug` shows; `None` for padding.
    pub shown: Option<String>,
    pub ty: syn::Type,
    pub doc: Docs,
    pub offset: u64,
    pub default: TokenStream,
    pub derives_default: bool,
    /// Whether serde needs `interop::serde_support::array` for it (an array longer than 32).
    pub serde_array: bool,
}

/// The fields of a struct as slots.
pub(crate) fn field_slots(fields: &[Field], package: &str, scope: Scope) -> Vec<Slot> {
    fields
        .iter()
        .map(|field| Slot {
            ident: ident(&field.name),
            shown: Some(field.name.clone()),
            ty: super::syn_type(&field.ty, package, scope),
            doc: docs::with(
                &field.docs,
                &format!("`{}: {}` at offset {}.", field.name, field.ty, field.offset),
            ),
            offset: field.offset,
            default: super::default_expr(&field.ty),
            derives_default: super::derives_default(&field.ty),
            serde_array: super::needs_serde_array(&field.ty),
        })
        .collect()
}

/// `_pad0: [u8; N]`...: the padding of the model, between the fields in offset order.
pub(crate) fn merge_padding(mut slots: Vec<Slot>, padding: &[Padding]) -> Vec<Slot> {
    for (index, gap) in padding.iter().enumerate() {
        let size = super::usize_lit(gap.size);
        slots.push(Slot {
            ident: format_ident!("_pad{}", index),
            shown: None,
            ty: syntax::array_type(syntax::path_type([format_ident!("u8")]), gap.size),
            doc: Docs::default(),
            offset: gap.offset,
            default: quote!([0; #size]),
            derives_default: gap.size <= 32,
            serde_array: false,
        });
    }
    // Stable: a zero-sized field keeps its place before a field at the same offset.
    slots.sort_by_key(|slot| slot.offset);
    slots
}

/// How a generated struct compares.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Equality {
    /// Derives `PartialEq` and `Eq`.
    DeriveEq,
    /// Derives `PartialEq` (it holds floats).
    DerivePartialEq,
}

/// A `#[repr(C)]` struct with explicit padding.
pub(crate) struct StructShape {
    pub name: Ident,
    pub idl_name: String,
    pub doc: Docs,
    pub allow: TokenStream,
    pub slots: Vec<Slot>,
    pub size: u64,
    pub align: u64,
    pub from_bytes: bool,
    pub equality: Equality,
    /// Whether to show the fields with `Debug` (false: the caller implements it).
    pub debug: bool,
    /// Whether the caller implements `Default`.
    pub custom_default: bool,
    /// Whether to derive serde's traits (false: none, or the caller implements them).
    pub serde: bool,
}

impl StructShape {
    /// The struct, its `Default` when it cannot derive it, its `Debug` when it holds padding,
    /// and its layout assertions.
    pub(crate) fn items(self) -> Vec<Item> {
        let name = self.name.clone();
        let has_padding = self.slots.iter().any(|slot| slot.shown.is_none());
        let derive_default =
            !self.custom_default && self.slots.iter().all(|slot| slot.derives_default);
        let mut items = Vec::new();
        if !derive_default && !self.custom_default {
            let values = self.slots.iter().map(|slot| {
                let Slot { ident, default, .. } = slot;
                quote!(#ident: #default)
            });
            items.extend(syntax::parse_items(quote! {
                impl Default for #name {
                    fn default() -> Self {
                        Self { #(#values,)* }
                    }
                }
            }));
        }
        if self.debug && has_padding {
            let type_name = labelled(&name, &self.idl_name);
            let fields = self
                .slots
                .iter()
                .filter_map(|slot| Some(labelled(&slot.ident, slot.shown.as_ref()?)));
            items.push(syntax::runtime_macro(
                "impl_debug",
                quote!(#type_name: #(#fields),*),
            ));
        }
        let offsets: Vec<(Ident, u64)> = self
            .slots
            .iter()
            .filter(|slot| slot.shown.is_some())
            .map(|slot| (slot.ident.clone(), slot.offset))
            .collect();
        let asserts = layout_asserts(&name, self.size, self.align, &offsets);
        items.insert(
            0,
            Item::Struct(self.definition(has_padding, derive_default)),
        );
        items.push(asserts);
        items
    }

    /// `pub struct Name { ... }` with its attributes.
    fn definition(self, has_padding: bool, derive_default: bool) -> ItemStruct {
        let mut derives = vec![quote!(Clone), quote!(Copy)];
        if self.debug && !has_padding {
            derives.push(quote!(Debug));
        }
        if derive_default {
            derives.push(quote!(Default));
        }
        match self.equality {
            Equality::DeriveEq => derives.extend([quote!(PartialEq), quote!(Eq)]),
            Equality::DerivePartialEq => derives.push(quote!(PartialEq)),
        }
        let (zerocopy, zerocopy_crate) = super::zerocopy_derives(self.from_bytes);
        let serde_crate = if self.serde {
            derives.extend([
                quote!(interop::serde::Serialize),
                quote!(interop::serde::Deserialize),
            ]);
            super::serde_crate()
        } else {
            TokenStream::new()
        };
        let mut attrs: Vec<syn::Attribute> = self.doc.attrs().collect();
        attrs.extend(syntax::parse_attrs(&self.allow));
        attrs.push(syntax::list_attr("repr", quote!(C)));
        attrs.push(syntax::list_attr("derive", quote!(#(#derives,)* #zerocopy)));
        attrs.extend(syntax::parse_attrs(&zerocopy_crate));
        attrs.extend(syntax::parse_attrs(&serde_crate));
        let serde = self.serde;
        let fields = self.slots.into_iter().map(|slot| {
            let mut attrs: Vec<syn::Attribute> = slot.doc.attrs().collect();
            let serde = match (&slot.shown, serde) {
                (_, false) => TokenStream::new(),
                (None, true) => {
                    quote!(#[serde(skip, default = "interop::serde_support::zeroed")])
                }
                (Some(shown), true) => {
                    let mut attrs = super::serde_rename(&slot.ident, shown);
                    if slot.serde_array {
                        attrs.extend(quote!(#[serde(with = "interop::serde_support::array")]));
                    }
                    attrs
                }
            };
            attrs.extend(syntax::parse_attrs(&serde));
            let vis = if slot.shown.is_some() {
                Visibility::Public(Default::default())
            } else {
                Visibility::Restricted(VisRestricted {
                    pub_token: Default::default(),
                    paren_token: Default::default(),
                    in_token: None,
                    path: Box::new(syntax::word_path("crate")),
                })
            };
            syn::Field {
                attrs,
                vis,
                mutability: FieldMutability::None,
                ident: Some(slot.ident),
                colon_token: Some(Default::default()),
                ty: slot.ty,
            }
        });
        ItemStruct {
            attrs,
            vis: Visibility::Public(Default::default()),
            struct_token: Default::default(),
            ident: self.name,
            generics: Default::default(),
            fields: Fields::Named(FieldsNamed {
                brace_token: Default::default(),
                named: fields.collect(),
            }),
            semi_token: None,
        }
    }
}

/// `interop::assert_layout!(T: size N, align A, field at offset, ...);`: the runtime's macro
/// asserts them at compile time.
pub(crate) fn layout_asserts(ty: &Ident, size: u64, align: u64, offsets: &[(Ident, u64)]) -> Item {
    let size = super::usize_lit(size);
    let align = super::usize_lit(align);
    let offsets = offsets.iter().map(|(field, offset)| {
        let offset = super::usize_lit(*offset);
        quote!(, #field at #offset)
    });
    syntax::runtime_macro(
        "assert_layout",
        quote!(#ty: size #size, align #align #(#offsets)*),
    )
}

/// `name`, followed by `as "shown"` when its schema name is not the identifier without `r#`
/// (`self_ as "self"`): how the runtime's macros learn the names `Debug` shows.
fn labelled(name: &Ident, shown: &str) -> TokenStream {
    let text = name.to_string();
    if text.strip_prefix("r#").unwrap_or(&text) == shown {
        quote!(#name)
    } else {
        quote!(#name as #shown)
    }
}

/// `interop::impl_described!(T: "package.T", record N, fingerprint b"...")`: the type's (or
/// message's) `FINGERPRINT` and its record in the package's validation descriptor.
pub(crate) fn identity_item(
    ctx: &Ctx<'_>,
    rust_name: &Ident,
    qualified_name: &str,
    fingerprint: &[u8; 32],
) -> Item {
    let record = ctx.descriptor.index_of(qualified_name).unwrap_or_else(|| {
        panic!(
            "the descriptor of {} has no record {qualified_name}",
            ctx.package.name
        )
    });
    let record = Literal::u32_unsuffixed(record);
    let fingerprint = Literal::byte_string(fingerprint);
    syntax::runtime_macro(
        "impl_described",
        quote!(#rust_name: #qualified_name, record #record, fingerprint #fingerprint),
    )
}

/// The layout assertion and identity of an enum or flags type (an integer, no fields).
fn integer_type_checks(ctx: &Ctx<'_>, def: &TypeDef, name: &Ident) -> [Item; 2] {
    [
        layout_asserts(name, def.size, def.align, &[]),
        identity_item(ctx, name, &def.qualified_name, &def.fingerprint.0),
    ]
}

fn enum_def(ctx: &Ctx<'_>, def: &TypeDef, members: &EnumDef) -> Vec<Item> {
    let name = ident(&def.name);
    let repr = super::scalar_type(members.repr);
    let summary = format!(
        "IDL `enum {}: {}`: size {}, alignment {}.",
        def.qualified_name,
        members.repr.name(),
        def.size,
        def.align
    );
    let doc = docs::with(&def.docs, &summary);
    let member_names: Vec<&str> = members
        .members
        .iter()
        .map(|member| member.name.as_str())
        .collect();
    let mut type_names = vec![def.name.as_str()];
    type_names.extend(&member_names);
    let allow = super::naming_allows(&type_names, &[], &[]);
    let allow_variants = super::variant_names_allow(&def.name, &member_names);
    let variants = members.members.iter().enumerate().map(|(index, member)| {
        let doc = docs::or(
            &member.docs,
            &format!("`{}.{}` = {}.", def.name, member.name, member.value),
        );
        let variant = ident(&member.name);
        let value = int_lit(member.value, members.repr);
        let default = if index == 0 {
            quote!(#[default])
        } else {
            TokenStream::new()
        };
        let rename = if ctx.serde {
            super::serde_rename(&variant, &member.name)
        } else {
            TokenStream::new()
        };
        quote!(#doc #default #rename #variant = #value)
    });
    let (serde_derives, serde_crate) = if ctx.serde {
        (
            quote!(, interop::serde::Serialize, interop::serde::Deserialize),
            super::serde_crate(),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let values = members.members.iter().map(|member| {
        let variant = ident(&member.name);
        let value = int_lit(member.value, members.repr);
        quote!(, #variant = #value)
    });
    let (zerocopy, zerocopy_crate) = super::zerocopy_derives(false);
    let tokens = quote! {
        #doc
        #allow
        #allow_variants
        #[repr(#repr)]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, #zerocopy #serde_derives)]
        #zerocopy_crate
        #serde_crate
        pub enum #name {
            #(#variants,)*
        }
    };
    let mut items = syntax::parse_items(tokens);
    items.push(syntax::runtime_macro(
        "impl_enum",
        quote!(#name: #repr #(#values)*),
    ));
    items.extend(integer_type_checks(ctx, def, &name));
    items
}

fn flags_def(ctx: &Ctx<'_>, def: &TypeDef, members: &EnumDef) -> Vec<Item> {
    let name = ident(&def.name);
    let repr = super::scalar_type(members.repr);
    let summary = format!(
        "IDL `flags {}: {}`, a set of bits: size {}, alignment {}.",
        def.qualified_name,
        members.repr.name(),
        def.size,
        def.align
    );
    let doc = docs::with(&def.docs, &summary);
    let allow = super::naming_allows(&[&def.name], &[], &[]);
    let consts: Vec<(Ident, &str, TokenStream, Docs)> = members
        .members
        .iter()
        .map(|member| {
            let doc = docs::or(
                &member.docs,
                &format!("`{}.{}` = {:#x}.", def.name, member.name, member.value),
            );
            (
                ident(&names::shouty_snake_case(&member.name)),
                member.name.as_str(),
                bits_lit(member.value, members.repr),
                doc,
            )
        })
        .collect();
    let const_items = consts
        .iter()
        .map(|(constant, _, value, doc)| quote!(#doc pub const #constant: Self = Self(#value);));
    let labels = consts
        .iter()
        .map(|(constant, shown, ..)| quote!(, #constant #shown));
    let (serde_derives, serde_crate) = if ctx.serde {
        let krate = super::serde_crate();
        (
            quote!(, interop::serde::Serialize, interop::serde::Deserialize),
            quote!(#krate #[serde(transparent)]),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let (zerocopy, zerocopy_crate) = super::zerocopy_derives(true);
    let type_name = labelled(&name, &def.name);
    let tokens = quote! {
        #doc
        #allow
        #[repr(transparent)]
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash, #zerocopy #serde_derives)]
        #zerocopy_crate
        #serde_crate
        pub struct #name(pub #repr);

        impl #name {
            #(#const_items)*
        }

    };
    let mut items = syntax::parse_items(tokens);
    items.push(syntax::runtime_macro(
        "impl_flags",
        quote!(#type_name: #repr #(#labels)*),
    ));
    items.extend(integer_type_checks(ctx, def, &name));
    items
}

/// An integer literal of type `repr`; negative values of signed types are written with a
/// leading minus, values given beyond the type's width are wrapped into it.
pub(crate) fn int_lit(value: i128, repr: Scalar) -> TokenStream {
    let bits = scalar_bits(repr);
    if is_signed(repr) {
        let shift = 128 - bits;
        let wrapped = (value << shift) >> shift;
        let magnitude = Literal::u128_unsuffixed(wrapped.unsigned_abs());
        if wrapped < 0 {
            quote!(-#magnitude)
        } else {
            quote!(#magnitude)
        }
    } else {
        let mask = if bits == 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        let literal = Literal::u128_unsuffixed(value as u128 & mask);
        quote!(#literal)
    }
}

/// A flag's bits: hexadecimal for unsigned types.
fn bits_lit(value: i128, repr: Scalar) -> TokenStream {
    if is_signed(repr) {
        int_lit(value, repr)
    } else {
        let mask = (1u128 << scalar_bits(repr)) - 1;
        format!("{:#x}", value as u128 & mask)
            .parse()
            .expect("a hexadecimal literal")
    }
}

fn float_lit(value: f64, ty: Scalar) -> TokenStream {
    let (text, name) = if ty == Scalar::F32 {
        (format!("{:?}", value as f32), quote!(f32))
    } else {
        (format!("{value:?}"), quote!(f64))
    };
    if value.is_nan() {
        quote!(#name::NAN)
    } else if value.is_infinite() || (ty == Scalar::F32 && (value as f32).is_infinite()) {
        if value > 0.0 {
            quote!(#name::INFINITY)
        } else {
            quote!(#name::NEG_INFINITY)
        }
    } else if let Some(positive) = text.strip_prefix('-') {
        let literal: TokenStream = positive.parse().expect("a float literal");
        quote!(-#literal)
    } else {
        text.parse().expect("a float literal")
    }
}

fn scalar_bits(scalar: Scalar) -> u32 {
    match scalar {
        Scalar::Bool | Scalar::U8 | Scalar::I8 => 8,
        Scalar::U16 | Scalar::I16 => 16,
        Scalar::U32 | Scalar::I32 | Scalar::F32 => 32,
        Scalar::U64 | Scalar::I64 | Scalar::F64 => 64,
    }
}

fn is_signed(scalar: Scalar) -> bool {
    matches!(scalar, Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64)
}
