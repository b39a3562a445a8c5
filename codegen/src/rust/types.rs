//! Constants, structs (and generated messages), enums and flags, written as text (see
//! [`super::source`]).

use std::fmt::Write;

use interop_idl::model::{
    Const, ConstValue, EnumDef, Field, Padding, Scalar, StructDef, Ty, TypeDef, TypeKind,
};

use super::docs::{self, Docs};
use super::source::{self, line, list_attr};
use super::{rust_name, Ctx, Scope};
use crate::names;

/// `pub const NAME: T = value;`
pub(crate) fn constant(out: &mut String, constant: &Const) {
    let value = match constant.value {
        ConstValue::Int(value) => int_text(value, constant.ty),
        ConstValue::Float(value) => float_text(value, constant.ty),
        ConstValue::Bool(value) => value.to_string(),
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
    source::docs(out, 0, &doc);
    allow_attr(out, 0, &super::naming_lints(&[], &[], &[&constant.name]));
    let _ = writeln!(
        out,
        "pub const {}: {} = {value};",
        rust_name(&constant.name),
        constant.ty.name()
    );
}

/// `#[allow(lints)]`, unless there are none.
pub(crate) fn allow_attr(out: &mut String, depth: usize, lints: &[&str]) {
    if !lints.is_empty() {
        list_attr(out, depth, "allow", lints);
    }
}

/// The items of one declared type, each followed by a blank line.
pub(crate) fn type_def(ctx: &Ctx<'_>, def: &TypeDef, out: &mut String) {
    match &def.kind {
        TypeKind::Struct(structure) => {
            let summary = format!(
                "IDL `struct {}`: size {}, alignment {}.",
                def.qualified_name, def.size, def.align
            );
            struct_items(
                ctx,
                &def.name,
                &docs::with(&def.docs, &summary),
                structure,
                def.size,
                def.align,
                out,
            );
            identity_item(
                ctx,
                &rust_name(&def.name),
                &def.qualified_name,
                &def.fingerprint.0,
                out,
            );
        }
        TypeKind::Enum(members) => enum_def(ctx, def, members, out),
        TypeKind::Flags(members) => flags_def(ctx, def, members, out),
        TypeKind::Union(union) => super::unions::union_def(ctx, def, union, out),
    }
}

/// A struct of the schema or a generated message: its definition, `Default`, `Debug` and
/// layout assertions, each followed by a blank line.
pub(crate) fn struct_items(
    ctx: &Ctx<'_>,
    name: &str,
    doc: &Docs,
    layout: &StructDef,
    size: u64,
    align: u64,
    out: &mut String,
) {
    let package = &ctx.package.name;
    let fields = field_slots(&layout.fields, package, Scope::Package);
    let slots = merge_padding(fields, &layout.padding);
    let field_names: Vec<&str> = layout
        .fields
        .iter()
        .map(|field| field.name.as_str())
        .collect();
    let shape = StructShape {
        name: rust_name(name),
        idl_name: name,
        doc,
        lints: super::naming_lints(&[name], &field_names, &[]),
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
    shape.write(out);
}

/// One field of a generated struct, or one run of padding.
pub(crate) struct Slot<'a> {
    /// The Rust identifier (`r#type`, `_pad0`).
    pub ident: String,
    /// The name `Debug` shows; `None` for padding.
    pub shown: Option<&'a str>,
    /// The Rust type.
    pub ty: String,
    pub doc: Docs,
    pub offset: u64,
    /// The value in a `Default` implementation written out.
    pub default: SlotDefault<'a>,
    pub derives_default: bool,
    /// Whether serde needs `interop::serde_support::array` for it (an array longer than 32).
    pub serde_array: bool,
}

/// The value of a slot in a `Default` implementation written out.
pub(crate) enum SlotDefault<'a> {
    /// The default of a field of this type.
    Of(&'a Ty),
    /// `[0; N]`.
    Zeroes(u64),
    /// As written.
    Text(&'static str),
}

impl std::fmt::Display for SlotDefault<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SlotDefault::Of(ty) => f.write_str(&super::default_text(ty)),
            SlotDefault::Zeroes(len) => write!(f, "[0; {len}]"),
            SlotDefault::Text(text) => f.write_str(text),
        }
    }
}

/// The fields of a struct as slots.
pub(crate) fn field_slots<'a>(fields: &'a [Field], package: &str, scope: Scope) -> Vec<Slot<'a>> {
    fields
        .iter()
        .map(|field| Slot {
            ident: rust_name(&field.name),
            shown: Some(&field.name),
            ty: super::type_text(&field.ty, package, scope),
            doc: docs::with(
                &field.docs,
                &format!("`{}: {}` at offset {}.", field.name, field.ty, field.offset),
            ),
            offset: field.offset,
            default: SlotDefault::Of(&field.ty),
            derives_default: super::derives_default(&field.ty),
            serde_array: super::needs_serde_array(&field.ty),
        })
        .collect()
}

/// `_pad0: [u8; N]`...: the padding of the model, between the fields in offset order.
pub(crate) fn merge_padding<'a>(mut slots: Vec<Slot<'a>>, padding: &[Padding]) -> Vec<Slot<'a>> {
    for (index, gap) in padding.iter().enumerate() {
        slots.push(Slot {
            ident: format!("_pad{index}"),
            shown: None,
            ty: format!("[u8; {}]", gap.size),
            doc: Docs::default(),
            offset: gap.offset,
            default: SlotDefault::Zeroes(gap.size),
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
pub(crate) struct StructShape<'a> {
    /// The Rust identifier.
    pub name: String,
    /// The name `Debug` shows.
    pub idl_name: &'a str,
    pub doc: &'a Docs,
    /// The naming lints to allow.
    pub lints: Vec<&'static str>,
    pub slots: Vec<Slot<'a>>,
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

impl StructShape<'_> {
    /// The struct, its `Default` when it cannot derive it, its `Debug` when it holds padding,
    /// and its layout assertions, each followed by a blank line.
    pub(crate) fn write(&self, out: &mut String) {
        let has_padding = self.slots.iter().any(|slot| slot.shown.is_none());
        let derive_default =
            !self.custom_default && self.slots.iter().all(|slot| slot.derives_default);
        self.definition(has_padding, derive_default, out);
        if !derive_default && !self.custom_default {
            self.default_impl(out);
        }
        if self.debug && has_padding {
            self.debug_impl(out);
        }
        let offsets: Vec<(&str, u64)> = self
            .slots
            .iter()
            .filter(|slot| slot.shown.is_some())
            .map(|slot| (slot.ident.as_str(), slot.offset))
            .collect();
        layout_asserts(&self.name, self.size, self.align, &offsets, out);
    }

    /// `pub struct Name { ... }` with its attributes.
    fn definition(&self, has_padding: bool, derive_default: bool, out: &mut String) {
        let mut derives = vec!["Clone", "Copy"];
        if self.debug && !has_padding {
            derives.push("Debug");
        }
        if derive_default {
            derives.push("Default");
        }
        match self.equality {
            Equality::DeriveEq => derives.extend(["PartialEq", "Eq"]),
            Equality::DerivePartialEq => derives.push("PartialEq"),
        }
        source::docs(out, 0, self.doc);
        allow_attr(out, 0, &self.lints);
        line(out, 0, "#[repr(C)]");
        derive_attrs(out, derives, self.from_bytes, self.serde);
        let _ = writeln!(out, "pub struct {} {{", self.name);
        for slot in &self.slots {
            source::docs(out, 1, &slot.doc);
            match (&slot.shown, self.serde) {
                (_, false) => {}
                (None, true) => line(
                    out,
                    1,
                    "#[serde(skip, default = \"interop::serde_support::zeroed\")]",
                ),
                (Some(shown), true) => {
                    super::serde_rename_attr(out, 1, &slot.ident, shown);
                    if slot.serde_array {
                        line(out, 1, "#[serde(with = \"interop::serde_support::array\")]");
                    }
                }
            }
            let visibility = if slot.shown.is_some() {
                "pub"
            } else {
                "pub(crate)"
            };
            let _ = writeln!(out, "    {visibility} {}: {},", slot.ident, slot.ty);
        }
        out.push_str("}\n\n");
    }

    /// `interop::impl_debug!(T: field, ...)`: `Debug` for a struct with padding, which shows
    /// its fields but not the padding.
    fn debug_impl(&self, out: &mut String) {
        let mut fields = self
            .slots
            .iter()
            .filter_map(|slot| Some(labelled(&slot.ident, slot.shown?)));
        let Some(first) = fields.next() else { return };
        let mut arguments = vec![format!("{}: {first}", labelled(&self.name, self.idl_name))];
        arguments.extend(fields);
        source::macro_call(out, "interop::impl_debug", &arguments);
        out.push('\n');
    }

    /// `impl Default for Name { ... }` with every field's value written out.
    fn default_impl(&self, out: &mut String) {
        let _ = writeln!(out, "impl Default for {} {{", self.name);
        line(out, 1, "fn default() -> Self {");
        line(out, 2, "Self {");
        for slot in &self.slots {
            let _ = writeln!(out, "            {}: {},", slot.ident, slot.default);
        }
        line(out, 2, "}");
        line(out, 1, "}");
        out.push_str("}\n\n");
    }
}

/// `#[derive(...)]` with `derives`, zerocopy's (`FromBytes` or `TryFromBytes` as
/// `from_bytes` says) and serde's when `serde` is set, then the attributes that point those
/// derives at the runtime's re-exports.
fn derive_attrs(out: &mut String, mut derives: Vec<&str>, from_bytes: bool, serde: bool) {
    derives.extend(super::zerocopy_derives(from_bytes));
    if serde {
        derives.extend(super::SERDE_DERIVES);
    }
    list_attr(out, 0, "derive", &derives);
    line(out, 0, super::ZEROCOPY_CRATE);
    if serde {
        line(out, 0, super::SERDE_CRATE);
    }
}

/// `interop::assert_layout!(T: size N, align A, field at offset, ...);`: the runtime's macro
/// asserts them at compile time. Followed by a blank line.
pub(crate) fn layout_asserts(
    ty: &str,
    size: u64,
    align: u64,
    offsets: &[(&str, u64)],
    out: &mut String,
) {
    let mut arguments = Vec::with_capacity(2 + offsets.len());
    arguments.push(format!("{ty}: size {size}"));
    arguments.push(format!("align {align}"));
    arguments.extend(
        offsets
            .iter()
            .map(|(field, offset)| format!("{field} at {offset}")),
    );
    source::macro_call(out, "interop::assert_layout", &arguments);
    out.push('\n');
}

/// `name`, followed by `as "shown"` when its schema name is not the identifier without `r#`
/// (`self_ as "self"`): how the runtime's macros learn the names `Debug` shows.
fn labelled(name: &str, shown: &str) -> String {
    if name.strip_prefix("r#").unwrap_or(name) == shown {
        name.to_owned()
    } else {
        format!("{name} as {}", source::string_literal(shown))
    }
}

/// `interop::impl_described!(T: "package.T", record N, fingerprint b"...")`: the type's (or
/// message's) `FINGERPRINT` and its record in the package's validation descriptor. Followed by
/// a blank line.
pub(crate) fn identity_item(
    ctx: &Ctx<'_>,
    rust_name: &str,
    qualified_name: &str,
    fingerprint: &[u8; 32],
    out: &mut String,
) {
    let record = ctx.descriptor.record(qualified_name);
    source::macro_call(
        out,
        "interop::impl_described",
        &[
            format!("{rust_name}: {}", source::string_literal(qualified_name)),
            format!("record {record}"),
            format!("fingerprint {}", source::byte_string_literal(fingerprint)),
        ],
    );
    out.push('\n');
}

/// The layout assertion and identity of an enum or flags type (an integer, no fields).
fn integer_type_checks(ctx: &Ctx<'_>, def: &TypeDef, name: &str, out: &mut String) {
    layout_asserts(name, def.size, def.align, &[], out);
    identity_item(ctx, name, &def.qualified_name, &def.fingerprint.0, out);
}

fn enum_def(ctx: &Ctx<'_>, def: &TypeDef, members: &EnumDef, out: &mut String) {
    let name = rust_name(&def.name);
    let repr = members.repr.name();
    let summary = format!(
        "IDL `enum {}: {repr}`: size {}, alignment {}.",
        def.qualified_name, def.size, def.align
    );
    let member_names: Vec<&str> = members
        .members
        .iter()
        .map(|member| member.name.as_str())
        .collect();
    let mut type_names = vec![def.name.as_str()];
    type_names.extend(&member_names);
    source::docs(out, 0, &docs::with(&def.docs, &summary));
    allow_attr(out, 0, &super::naming_lints(&type_names, &[], &[]));
    if super::shares_variant_words(&def.name, &member_names) {
        line(out, 0, super::VARIANT_NAMES_ALLOW);
    }
    let _ = writeln!(out, "#[repr({repr})]");
    let derives = vec![
        "Clone",
        "Copy",
        "Debug",
        "Default",
        "PartialEq",
        "Eq",
        "Hash",
    ];
    derive_attrs(out, derives, false, ctx.serde);
    let _ = writeln!(out, "pub enum {name} {{");
    let mut values = Vec::with_capacity(members.members.len() + 1);
    values.push(format!("{name}: {repr}"));
    for (index, member) in members.members.iter().enumerate() {
        let doc = docs::or(
            &member.docs,
            &format!("`{}.{}` = {}.", def.name, member.name, member.value),
        );
        source::docs(out, 1, &doc);
        if index == 0 {
            line(out, 1, "#[default]");
        }
        let variant = rust_name(&member.name);
        if ctx.serde {
            super::serde_rename_attr(out, 1, &variant, &member.name);
        }
        let value = int_text(member.value, members.repr);
        let _ = writeln!(out, "    {variant} = {value},");
        values.push(format!("{variant} = {value}"));
    }
    out.push_str("}\n\n");
    source::macro_call(out, "interop::impl_enum", &values);
    out.push('\n');
    integer_type_checks(ctx, def, &name, out);
}

fn flags_def(ctx: &Ctx<'_>, def: &TypeDef, members: &EnumDef, out: &mut String) {
    let name = rust_name(&def.name);
    let repr = members.repr.name();
    let summary = format!(
        "IDL `flags {}: {repr}`, a set of bits: size {}, alignment {}.",
        def.qualified_name, def.size, def.align
    );
    source::docs(out, 0, &docs::with(&def.docs, &summary));
    allow_attr(out, 0, &super::naming_lints(&[&def.name], &[], &[]));
    line(out, 0, "#[repr(transparent)]");
    let derives = vec!["Clone", "Copy", "Default", "PartialEq", "Eq", "Hash"];
    derive_attrs(out, derives, true, ctx.serde);
    if ctx.serde {
        line(out, 0, "#[serde(transparent)]");
    }
    let _ = writeln!(out, "pub struct {name}(pub {repr});\n");
    let mut labels = Vec::with_capacity(members.members.len() + 1);
    labels.push(format!("{}: {repr}", labelled(&name, &def.name)));
    if members.members.is_empty() {
        let _ = writeln!(out, "impl {name} {{}}\n");
    } else {
        let _ = writeln!(out, "impl {name} {{");
        for (index, member) in members.members.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            let doc = docs::or(
                &member.docs,
                &format!("`{}.{}` = {:#x}.", def.name, member.name, member.value),
            );
            source::docs(out, 1, &doc);
            let constant = rust_name(&names::shouty_snake_case(&member.name));
            let _ = writeln!(
                out,
                "    pub const {constant}: Self = Self({});",
                bits_text(member.value, members.repr)
            );
            labels.push(format!(
                "{constant} {}",
                source::string_literal(&member.name)
            ));
        }
        out.push_str("}\n\n");
    }
    source::macro_call(out, "interop::impl_flags", &labels);
    out.push('\n');
    integer_type_checks(ctx, def, &name, out);
}

/// An integer literal of type `repr`; negative values of signed types are written with a
/// leading minus, values given beyond the type's width are wrapped into it.
pub(crate) fn int_text(value: i128, repr: Scalar) -> String {
    let bits = scalar_bits(repr);
    if is_signed(repr) {
        let shift = 128 - bits;
        let wrapped = (value << shift) >> shift;
        wrapped.to_string()
    } else {
        let mask = if bits == 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        (value as u128 & mask).to_string()
    }
}

/// A flag's bits: hexadecimal for unsigned types.
fn bits_text(value: i128, repr: Scalar) -> String {
    if is_signed(repr) {
        int_text(value, repr)
    } else {
        let mask = (1u128 << scalar_bits(repr)) - 1;
        format!("{:#x}", value as u128 & mask)
    }
}

fn float_text(value: f64, ty: Scalar) -> String {
    let (text, name) = if ty == Scalar::F32 {
        (format!("{:?}", value as f32), "f32")
    } else {
        (format!("{value:?}"), "f64")
    };
    if value.is_nan() {
        format!("{name}::NAN")
    } else if value.is_infinite() || (ty == Scalar::F32 && (value as f32).is_infinite()) {
        if value > 0.0 {
            format!("{name}::INFINITY")
        } else {
            format!("{name}::NEG_INFINITY")
        }
    } else {
        text
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
