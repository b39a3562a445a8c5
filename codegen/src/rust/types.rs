//! Constants, structs (and generated messages), enums and flags.

use interop_idl::model::{
    Const, ConstValue, EnumDef, Field, Padding, Scalar, StructDef, TypeDef, TypeKind,
};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{docs, ident, rust_type, Ctx, Scope};
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
pub(crate) fn type_def(ctx: &Ctx<'_>, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(structure) => {
            let summary = format!(
                "IDL `struct {}`: size {}, alignment {}.",
                def.qualified_name, def.size, def.align
            );
            let mut out = struct_def(
                ctx,
                &def.name,
                &docs::with(&def.docs, &summary),
                structure,
                def.size,
                def.align,
            );
            out.extend(fingerprint_impl(
                &ident(&def.name),
                &def.fingerprint.0,
                &def.qualified_name,
            ));
            out.extend(super::described(
                ctx,
                &ident(&def.name),
                &def.qualified_name,
            ));
            out
        }
        TypeKind::Enum(members) => enum_def(ctx, def, members),
        TypeKind::Flags(members) => flags_def(ctx, def, members),
        TypeKind::Union(union) => super::unions::union_def(ctx, def, union),
    }
}

/// A struct of the schema or a generated message: its definition, `Default`, `Debug` and
/// layout assertions.
pub(crate) fn struct_def(
    ctx: &Ctx<'_>,
    name: &str,
    doc: &TokenStream,
    layout: &StructDef,
    size: u64,
    align: u64,
) -> TokenStream {
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
    shape.tokens()
}

/// One field of a generated struct, or one run of padding.
pub(crate) struct Slot {
    pub ident: Ident,
    /// The name `Debug` shows; `None` for padding.
    pub shown: Option<String>,
    pub ty: TokenStream,
    pub doc: TokenStream,
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
            ty: rust_type(&field.ty, package, scope),
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
            ty: quote!([u8; #size]),
            doc: TokenStream::new(),
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
    pub doc: TokenStream,
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
    pub(crate) fn tokens(&self) -> TokenStream {
        let StructShape {
            name, doc, allow, ..
        } = self;
        let has_padding = self.slots.iter().any(|slot| slot.shown.is_none());
        let derive_default =
            !self.custom_default && self.slots.iter().all(|slot| slot.derives_default);
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
        let fields = self.slots.iter().map(|slot| {
            let Slot { ident, ty, doc, .. } = slot;
            let serde = match (&slot.shown, self.serde) {
                (_, false) => TokenStream::new(),
                (None, true) => {
                    quote!(#[serde(skip, default = "interop::serde_support::zeroed")])
                }
                (Some(shown), true) => {
                    let mut attrs = super::serde_rename(ident, shown);
                    if slot.serde_array {
                        attrs.extend(quote!(#[serde(with = "interop::serde_support::array")]));
                    }
                    attrs
                }
            };
            if slot.shown.is_some() {
                quote!(#doc #serde pub #ident: #ty)
            } else {
                quote!(#serde pub(crate) #ident: #ty)
            }
        });
        let mut out = quote! {
            #doc
            #allow
            #[repr(C)]
            #[derive(#(#derives,)* #zerocopy)]
            #zerocopy_crate
            #serde_crate
            pub struct #name {
                #(#fields,)*
            }
        };
        if !derive_default && !self.custom_default {
            let values = self.slots.iter().map(|slot| {
                let Slot { ident, default, .. } = slot;
                quote!(#ident: #default)
            });
            out.extend(quote! {
                impl Default for #name {
                    fn default() -> Self {
                        Self { #(#values,)* }
                    }
                }
            });
        }
        if self.debug && has_padding {
            let shown = &self.idl_name;
            let fields = self.slots.iter().filter_map(|slot| {
                let label = slot.shown.as_ref()?;
                let ident = &slot.ident;
                Some(quote!(.field(#label, &self.#ident)))
            });
            out.extend(quote! {
                impl core::fmt::Debug for #name {
                    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        f.debug_struct(#shown) #(#fields)* .finish()
                    }
                }
            });
        }
        let offsets: Vec<(Ident, u64)> = self
            .slots
            .iter()
            .filter(|slot| slot.shown.is_some())
            .map(|slot| (slot.ident.clone(), slot.offset))
            .collect();
        out.extend(layout_asserts(
            &quote!(#name),
            self.size,
            self.align,
            &offsets,
        ));
        out
    }
}

/// `const _: () = { assert!(size_of::<T>() == N); ... };`
pub(crate) fn layout_asserts(
    ty: &TokenStream,
    size: u64,
    align: u64,
    offsets: &[(Ident, u64)],
) -> TokenStream {
    let size = super::usize_lit(size);
    let align = super::usize_lit(align);
    let offsets = offsets.iter().map(|(field, offset)| {
        let offset = super::usize_lit(*offset);
        quote!(assert!(core::mem::offset_of!(#ty, #field) == #offset);)
    });
    quote! {
        const _: () = {
            assert!(size_of::<#ty>() == #size);
            assert!(align_of::<#ty>() == #align);
            #(#offsets)*
        };
    }
}

/// `impl T { pub const FINGERPRINT: [u8; 32] = ...; }`
pub(crate) fn fingerprint_impl(
    name: &Ident,
    fingerprint: &[u8; 32],
    qualified: &str,
) -> TokenStream {
    let constant = fingerprint_const(fingerprint, qualified);
    quote! {
        impl #name {
            #constant
        }
    }
}

/// `pub const FINGERPRINT: [u8; 32] = ...;`
pub(crate) fn fingerprint_const(fingerprint: &[u8; 32], qualified: &str) -> TokenStream {
    let value = super::fingerprint_expr(fingerprint);
    let doc = docs::attrs(&format!(
        "SHA-256 over the canonical description of `{qualified}`: peers that agree on it agree on \
         its layout."
    ));
    quote! {
        #doc
        pub const FINGERPRINT: [u8; 32] = #value;
    }
}

fn enum_def(ctx: &Ctx<'_>, def: &TypeDef, members: &EnumDef) -> TokenStream {
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
    let arms = members.members.iter().map(|member| {
        let variant = ident(&member.name);
        let value = int_lit(member.value, members.repr);
        quote!(#value => Some(Self::#variant),)
    });
    let (zerocopy, zerocopy_crate) = super::zerocopy_derives(false);
    let fingerprint = fingerprint_const(&def.fingerprint.0, &def.qualified_name);
    let mut out = quote! {
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

        impl #name {
            #fingerprint

            /// The member with this value, if there is one.
            pub const fn from_value(value: #repr) -> Option<Self> {
                match value {
                    #(#arms)*
                    _ => None,
                }
            }

            /// The member's value.
            pub const fn value(self) -> #repr {
                self as #repr
            }
        }
    };
    out.extend(layout_asserts(&quote!(#name), def.size, def.align, &[]));
    out.extend(super::described(ctx, &name, &def.qualified_name));
    out
}

fn flags_def(ctx: &Ctx<'_>, def: &TypeDef, members: &EnumDef) -> TokenStream {
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
    let consts: Vec<(Ident, &str, TokenStream, TokenStream)> = members
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
    let all = if consts.is_empty() {
        quote!(0)
    } else {
        let names = consts
            .iter()
            .map(|(constant, ..)| quote!(Self::#constant.0));
        quote!(#(#names)|*)
    };
    let debug_names = consts
        .iter()
        .map(|(constant, shown, ..)| quote!((Self::#constant, #shown)));
    let opening = format!("{}(", def.name);
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
    let fingerprint = fingerprint_const(&def.fingerprint.0, &def.qualified_name);
    let mut out = quote! {
        #doc
        #allow
        #[repr(transparent)]
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash, #zerocopy #serde_derives)]
        #zerocopy_crate
        #serde_crate
        pub struct #name(pub #repr);

        impl #name {
            #fingerprint

            #(#const_items)*

            /// No bit set.
            pub const fn empty() -> Self {
                Self(0)
            }

            /// Every bit the schema defines.
            pub const fn all() -> Self {
                Self(#all)
            }

            /// The raw bits.
            pub const fn bits(self) -> #repr {
                self.0
            }

            /// The set with these bits, or `None` if one of them is not defined by the schema.
            pub const fn from_bits(bits: #repr) -> Option<Self> {
                if bits & !Self::all().0 == 0 {
                    Some(Self(bits))
                } else {
                    None
                }
            }

            /// Whether no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// Whether every bit of `other` is set in `self`.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether `self` and `other` have a bit in common.
            pub const fn intersects(self, other: Self) -> bool {
                self.0 & other.0 != 0
            }

            /// Sets the bits of `other`.
            pub fn insert(&mut self, other: Self) {
                self.0 |= other.0;
            }

            /// Clears the bits of `other`.
            pub fn remove(&mut self, other: Self) {
                self.0 &= !other.0;
            }

            const NAMES: &'static [(Self, &'static str)] = &[#(#debug_names),*];
        }

        impl core::ops::BitOr for #name {
            type Output = Self;
            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl core::ops::BitOrAssign for #name {
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }

        impl core::ops::BitAnd for #name {
            type Output = Self;
            fn bitand(self, other: Self) -> Self {
                Self(self.0 & other.0)
            }
        }

        impl core::ops::BitAndAssign for #name {
            fn bitand_assign(&mut self, other: Self) {
                self.0 &= other.0;
            }
        }

        impl core::ops::Not for #name {
            type Output = Self;
            /// The defined bits that are not set.
            fn not(self) -> Self {
                Self(!self.0 & Self::all().0)
            }
        }

        /// Shows the set bits by name: `Capability(LIFT | CAMERA)`.
        impl core::fmt::Debug for #name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(#opening)?;
                let mut rest = self.0;
                let mut first = true;
                for (flag, shown) in Self::NAMES {
                    if self.contains(*flag) {
                        f.write_str(if first { "" } else { " | " })?;
                        f.write_str(shown)?;
                        rest &= !flag.0;
                        first = false;
                    }
                }
                if rest != 0 || first {
                    f.write_str(if first { "" } else { " | " })?;
                    write!(f, "{rest:#x}")?;
                }
                f.write_str(")")
            }
        }
    };
    out.extend(layout_asserts(&quote!(#name), def.size, def.align, &[]));
    out.extend(super::described(ctx, &name, &def.qualified_name));
    out
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
