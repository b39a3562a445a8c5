//! The validation descriptor: a compact binary table of the types of one package, embedded in
//! every generated file, from which the runtime's single validator checks received bytes
//! (`docs/IDL.md` §11) in every language.
//!
//! # Format (version 1, all integers little-endian)
//!
//! ```text
//! descriptor := "IDSC" version:u8 count:u32 offset:u32[count] record[count]
//! record     := kind:u8 size:u64 align:u64 name:str body
//!   kind 1 struct (also generated messages): fields:u32 (name:str offset:u64 ty)[fields]
//!                                             paddings:u32 (offset:u64 size:u64)[paddings]
//!   kind 2 enum:  repr:u8 members:u32 value:i64[members]
//!   kind 3 flags: repr:u8 mask:u64
//!   kind 4 union: tag:u8 payload_offset:u64 paddings:u32 (offset:u64 size:u64)[paddings]
//!                 variants:u32 (tag:i64 name:str has_payload:u8 ty?)[variants]
//! ty         := scalar:u8 (1 bool, 2 u8, 3 u16, 4 u32, 5 u64, 6 i8, 7 i16, 8 i32, 9 i64,
//!                          10 f32, 11 f64)
//!             | 0x20 size:u64 index:u32                       a record of this table
//!             | 0x21 size:u64 len:u32 ty                      [T; len]
//!             | 0x22 size:u64 capacity:u32                    string<capacity>
//!             | 0x23 size:u64 capacity:u32                    bytes<capacity>
//!             | 0x24 size:u64 capacity:u32 items_offset:u64 ty   vec<T, capacity>
//!             | 0x25 size:u64 value_offset:u64 ty             optional<T>
//! str        := len:u16 utf8[len]
//! ```
//!
//! Member values and tags are stored as their low 64 bits (the value reinterpreted in the
//! underlying type, which is at most 64 bits wide). Records are written in the order of
//! [`Descriptor::names`]: the package's types, then its generated messages, then the types of
//! other packages they use.

use std::collections::HashMap;

use interop_idl::model::{
    EnumDef, Model, Padding, Scalar, StructDef, Ty, TyKind, TypeDef, TypeKind,
};

/// The magic bytes that open every descriptor.
pub const MAGIC: &[u8; 4] = b"IDSC";

/// The format version written by this generator.
pub const VERSION: u8 = 1;

/// The descriptor of one package: its bytes and the names of its records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    /// The encoded table.
    pub bytes: Vec<u8>,
    /// The qualified name of each record, by index: types as `package.Type`, generated
    /// messages as `package.MessageName`.
    pub names: Vec<String>,
}

impl Descriptor {
    /// The index of a record by qualified name.
    pub fn index_of(&self, qualified_name: &str) -> Option<u32> {
        self.names
            .iter()
            .position(|name| name == qualified_name)
            .map(|index| index as u32)
    }
}

/// One record to encode.
enum Record<'m> {
    Type(&'m TypeDef),
    Message {
        name: String,
        size: u64,
        align: u64,
        layout: &'m StructDef,
    },
}

/// Builds the descriptor of `package`: its types, its services' messages and every type of
/// another package they use.
pub fn for_package(model: &Model, package: &str) -> Descriptor {
    let mut records: Vec<Record<'_>> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let own = model
        .packages
        .iter()
        .find(|p| p.name == package)
        .expect("package of the model");
    for ty in &own.types {
        index.insert(ty.qualified_name.clone(), records.len() as u32);
        records.push(Record::Type(ty));
    }
    for method in own.services.iter().flat_map(|service| &service.methods) {
        for message in [&method.params, &method.results].into_iter().flatten() {
            index.insert(format!("{package}.{}", message.name), records.len() as u32);
            records.push(Record::Message {
                name: format!("{package}.{}", message.name),
                size: message.size,
                align: message.align,
                layout: &message.layout,
            });
        }
    }
    // Add the foreign types used, transitively, until none is missing: first the error types
    // of the methods (an error enum of another package may appear in no message).
    let mut next = 0;
    let mut errors: Vec<&str> = own
        .services
        .iter()
        .flat_map(|service| &service.methods)
        .filter_map(|method| method.error.as_deref())
        .collect();
    while next < records.len() || !errors.is_empty() {
        let mut used = std::mem::take(&mut errors);
        if next < records.len() {
            record_types(&records[next], &mut used);
            next += 1;
        }
        for name in used {
            if !index.contains_key(name) {
                let def = model
                    .find_type(name)
                    .expect("the model holds every type it names");
                index.insert(name.to_owned(), records.len() as u32);
                records.push(Record::Type(def));
            }
        }
    }
    let names: Vec<String> = records
        .iter()
        .map(|record| match record {
            Record::Type(def) => def.qualified_name.clone(),
            Record::Message { name, .. } => name.clone(),
        })
        .collect();
    let encoded: Vec<Vec<u8>> = records
        .iter()
        .map(|record| encode_record(record, &index))
        .collect();
    let mut bytes = Vec::new();
    bytes.extend_from_slice(MAGIC);
    bytes.push(VERSION);
    put_u32(&mut bytes, records.len() as u64);
    let mut offset = bytes.len() + 4 * records.len();
    for record in &encoded {
        put_u32(&mut bytes, offset as u64);
        offset += record.len();
    }
    encoded
        .iter()
        .for_each(|record| bytes.extend_from_slice(record));
    Descriptor { bytes, names }
}

fn record_types<'m>(record: &Record<'m>, out: &mut Vec<&'m str>) {
    let mut visit = |ty: &'m Ty| named_in(ty, out);
    match record {
        Record::Type(def) => match &def.kind {
            TypeKind::Struct(structure) => structure.fields.iter().for_each(|f| visit(&f.ty)),
            TypeKind::Union(union) => union
                .variants
                .iter()
                .filter_map(|v| v.payload.as_ref())
                .for_each(visit),
            TypeKind::Enum(_) | TypeKind::Flags(_) => {}
        },
        Record::Message { layout, .. } => layout.fields.iter().for_each(|f| visit(&f.ty)),
    }
}

fn named_in<'m>(ty: &'m Ty, out: &mut Vec<&'m str>) {
    match &ty.kind {
        TyKind::Named { name, .. } => out.push(name),
        TyKind::Array { element, .. } | TyKind::Vec { element, .. } => named_in(element, out),
        TyKind::Optional { value, .. } => named_in(value, out),
        TyKind::Scalar { .. } | TyKind::String { .. } | TyKind::Bytes { .. } => {}
    }
}

fn encode_record(record: &Record<'_>, index: &HashMap<String, u32>) -> Vec<u8> {
    let mut out = Vec::new();
    match record {
        Record::Type(def) => {
            let kind = match def.kind {
                TypeKind::Struct(_) => 1,
                TypeKind::Enum(_) => 2,
                TypeKind::Flags(_) => 3,
                TypeKind::Union(_) => 4,
            };
            out.push(kind);
            put_u64(&mut out, def.size);
            put_u64(&mut out, def.align);
            put_str(&mut out, &def.qualified_name);
            match &def.kind {
                TypeKind::Struct(structure) => put_struct(&mut out, structure, index),
                TypeKind::Enum(members) => put_enum(&mut out, members),
                TypeKind::Flags(members) => {
                    out.push(scalar_code(members.repr));
                    let mask = members
                        .members
                        .iter()
                        .fold(0u64, |mask, member| mask | member.value as u64);
                    out.extend_from_slice(&mask.to_le_bytes());
                }
                TypeKind::Union(union) => {
                    out.push(scalar_code(union.tag));
                    put_u64(&mut out, union.payload_offset);
                    put_paddings(&mut out, &union.padding);
                    put_u32(&mut out, union.variants.len() as u64);
                    for variant in &union.variants {
                        out.extend_from_slice(&(variant.tag as i64).to_le_bytes());
                        put_str(&mut out, &variant.name);
                        match &variant.payload {
                            Some(payload) => {
                                out.push(1);
                                put_ty(&mut out, payload, index);
                            }
                            None => out.push(0),
                        }
                    }
                }
            }
        }
        Record::Message {
            name,
            size,
            align,
            layout,
        } => {
            out.push(1);
            put_u64(&mut out, *size);
            put_u64(&mut out, *align);
            put_str(&mut out, name);
            put_struct(&mut out, layout, index);
        }
    }
    out
}

fn put_struct(out: &mut Vec<u8>, structure: &StructDef, index: &HashMap<String, u32>) {
    put_u32(out, structure.fields.len() as u64);
    for field in &structure.fields {
        put_str(out, &field.name);
        put_u64(out, field.offset);
        put_ty(out, &field.ty, index);
    }
    put_paddings(out, &structure.padding);
}

fn put_enum(out: &mut Vec<u8>, members: &EnumDef) {
    out.push(scalar_code(members.repr));
    put_u32(out, members.members.len() as u64);
    for member in &members.members {
        out.extend_from_slice(&(member.value as i64).to_le_bytes());
    }
}

fn put_paddings(out: &mut Vec<u8>, padding: &[Padding]) {
    put_u32(out, padding.len() as u64);
    for gap in padding {
        put_u64(out, gap.offset);
        put_u64(out, gap.size);
    }
}

fn put_ty(out: &mut Vec<u8>, ty: &Ty, index: &HashMap<String, u32>) {
    match &ty.kind {
        TyKind::Scalar { scalar } => out.push(scalar_code(*scalar)),
        TyKind::Named { name, .. } => {
            out.push(0x20);
            put_u64(out, ty.size);
            put_u32(out, u64::from(index[name]));
        }
        TyKind::Array { element, len } => {
            out.push(0x21);
            put_u64(out, ty.size);
            put_u32(out, *len);
            put_ty(out, element, index);
        }
        TyKind::String { capacity } | TyKind::Bytes { capacity } => {
            out.push(if matches!(ty.kind, TyKind::String { .. }) {
                0x22
            } else {
                0x23
            });
            put_u64(out, ty.size);
            put_u32(out, *capacity);
        }
        TyKind::Vec {
            element,
            capacity,
            items_offset,
        } => {
            out.push(0x24);
            put_u64(out, ty.size);
            put_u32(out, *capacity);
            put_u64(out, *items_offset);
            put_ty(out, element, index);
        }
        TyKind::Optional {
            value,
            value_offset,
        } => {
            out.push(0x25);
            put_u64(out, ty.size);
            put_u64(out, *value_offset);
            put_ty(out, value, index);
        }
    }
}

/// The descriptor's code for a scalar.
pub fn scalar_code(scalar: Scalar) -> u8 {
    match scalar {
        Scalar::Bool => 1,
        Scalar::U8 => 2,
        Scalar::U16 => 3,
        Scalar::U32 => 4,
        Scalar::U64 => 5,
        Scalar::I8 => 6,
        Scalar::I16 => 7,
        Scalar::I32 => 8,
        Scalar::I64 => 9,
        Scalar::F32 => 10,
        Scalar::F64 => 11,
    }
}

/// Counts, lengths, capacities and indices: the checker bounds each by `u32::MAX`.
fn put_u32(out: &mut Vec<u8>, value: u64) {
    let value = u32::try_from(value).expect("counts and capacities fit 32 bits");
    out.extend_from_slice(&value.to_le_bytes());
}

/// Sizes and offsets, which a declared type may take beyond 32 bits.
fn put_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    let len = u16::try_from(text.len()).expect("names are shorter than 64 KiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}
