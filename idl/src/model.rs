//! The checked model: every package, type, service and method of a set of schemas, with names
//! resolved, constants evaluated, byte layouts and fingerprints computed.
//!
//! It is the single input of every backend and tool. It holds no source positions and no
//! syntax, and it serializes with serde (`interopc describe` prints it as JSON).

use serde::{Deserialize, Serialize};

pub use crate::ast::{MethodKind, Scalar};
pub use crate::fingerprint::Fingerprint;

/// Everything the checker learned from a set of schema files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The packages, in the order their first file was loaded.
    pub packages: Vec<Package>,
    /// The largest message size allowed, in bytes.
    pub max_message_size: u64,
}

impl Model {
    /// The type with the given fully qualified name (`robot.telemetry.Status`).
    pub fn find_type(&self, qualified_name: &str) -> Option<&TypeDef> {
        let (package, name) = qualified_name.rsplit_once('.')?;
        let package = self
            .packages
            .iter()
            .find(|candidate| candidate.name == package)?;
        package.types.iter().find(|ty| ty.name == name)
    }

    /// The type with the given name: fully qualified, or unqualified when only one package
    /// declares it.
    pub fn find_type_loosely(&self, name: &str) -> Option<&TypeDef> {
        if let Some(found) = self.find_type(name) {
            return Some(found);
        }
        let mut matches = self.packages.iter().flat_map(|package| &package.types);
        let mut matches = matches.by_ref().filter(|ty| ty.name == name);
        let first = matches.next()?;
        matches.next().is_none().then_some(first)
    }
}

/// One package: the items of every file that declares it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Package {
    /// The dotted package path (`robot.telemetry`).
    pub name: String,
    /// The package's doc comment.
    pub docs: String,
    /// The files that declare the package, as they were given or found.
    pub files: Vec<String>,
    /// Constants, in declaration order.
    pub consts: Vec<Const>,
    /// Structs, enums, flags and unions, in declaration order.
    pub types: Vec<TypeDef>,
    /// Services, in declaration order.
    pub services: Vec<Service>,
}

/// A named constant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Const {
    /// Its name.
    pub name: String,
    /// Its doc comment.
    pub docs: String,
    /// Its declared type.
    pub ty: Scalar,
    /// Its value.
    pub value: ConstValue,
}

/// The value of a constant.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConstValue {
    /// An integer (of any integer type).
    Int(i128),
    /// A floating-point number.
    Float(f64),
    /// A boolean.
    Bool(bool),
}

/// A declared type with its layout and fingerprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    /// Its name within the package.
    pub name: String,
    /// `package.Name`.
    pub qualified_name: String,
    /// Its doc comment.
    pub docs: String,
    /// Size in bytes.
    pub size: u64,
    /// Alignment in bytes.
    pub align: u64,
    /// SHA-256 over its canonical description.
    pub fingerprint: Fingerprint,
    /// What kind of type it is, with its members.
    pub kind: TypeKind,
}

/// The kinds of declared types. Serialized externally tagged (`{"struct": {...}}`), which
/// keeps 128-bit member values readable back from JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    /// A struct.
    Struct(StructDef),
    /// An enum.
    Enum(EnumDef),
    /// A bit set.
    Flags(EnumDef),
    /// A tagged union.
    Union(UnionDef),
}

impl TypeKind {
    /// The keyword of this kind.
    pub fn keyword(&self) -> &'static str {
        match self {
            TypeKind::Struct(_) => "struct",
            TypeKind::Enum(_) => "enum",
            TypeKind::Flags(_) => "flags",
            TypeKind::Union(_) => "union",
        }
    }
}

/// The fields of a struct (or of a message) with their offsets, and the padding between them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructDef {
    /// Fields in declaration order (never reordered).
    pub fields: Vec<Field>,
    /// Every range of padding bytes between and after the fields, in order.
    pub padding: Vec<Padding>,
}

/// A field with its type and offset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// Its doc comment.
    pub docs: String,
    /// Its type, with that type's size and alignment.
    pub ty: Ty,
    /// Its offset from the start of the struct.
    pub offset: u64,
}

/// A range of padding bytes, always zero on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Padding {
    /// Offset of the first padding byte.
    pub offset: u64,
    /// Number of padding bytes.
    pub size: u64,
}

/// The members of an enum or flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumDef {
    /// The underlying integer type.
    pub repr: Scalar,
    /// Members in declaration order.
    pub members: Vec<Member>,
}

/// A member of an enum or flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// Its name.
    pub name: String,
    /// Its doc comment.
    pub docs: String,
    /// Its value (a single bit for flags).
    pub value: i128,
}

/// A tagged union: `{ tag, payload }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnionDef {
    /// The tag's integer type (at offset 0).
    pub tag: Scalar,
    /// Offset of the payload.
    pub payload_offset: u64,
    /// Size of the payload area: the largest variant, rounded up to the payload's alignment.
    pub payload_size: u64,
    /// Padding between the tag and the payload, and after the payload.
    pub padding: Vec<Padding>,
    /// Variants in declaration order.
    pub variants: Vec<Variant>,
}

/// A variant of a union.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// Its name.
    pub name: String,
    /// Its doc comment.
    pub docs: String,
    /// Its tag value.
    pub tag: i128,
    /// Its payload type, if it has one (stored at the union's `payload_offset`).
    pub payload: Option<Ty>,
}

/// A type as used by a field, a parameter or a variant, with its size and alignment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ty {
    /// Which type.
    pub kind: TyKind,
    /// Size in bytes.
    pub size: u64,
    /// Alignment in bytes.
    pub align: u64,
}

/// The forms of a [`Ty`]. Inline containers say where their inner parts sit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "form")]
pub enum TyKind {
    /// A scalar.
    Scalar {
        /// Which one.
        scalar: Scalar,
    },
    /// A declared type.
    Named {
        /// Its fully qualified name.
        name: String,
        /// Whether it is a struct, enum, flags or union.
        kind: NamedKind,
    },
    /// `[T; N]`: `len` elements, no header.
    Array {
        /// The element type.
        element: Box<Ty>,
        /// The number of elements.
        len: u64,
    },
    /// `string<N>`: `{ len: u32 at 0, data: [u8; N] at 4 }`.
    String {
        /// The most bytes it holds.
        capacity: u64,
    },
    /// `bytes<N>`: `{ len: u32 at 0, data: [u8; N] at 4 }`.
    Bytes {
        /// The most bytes it holds.
        capacity: u64,
    },
    /// `vec<T, N>`: `{ len: u32 at 0, items: [T; N] at items_offset }`.
    Vec {
        /// The element type.
        element: Box<Ty>,
        /// The most elements it holds.
        capacity: u64,
        /// Offset of the first element.
        items_offset: u64,
    },
    /// `optional<T>`: `{ present: bool at 0, value: T at value_offset }`.
    Optional {
        /// The value type.
        value: Box<Ty>,
        /// Offset of the value.
        value_offset: u64,
    },
}

/// Offset of `data` in `string<N>` and `bytes<N>`, after the `u32` length.
pub const STRING_DATA_OFFSET: u64 = 4;

/// The kind of a declared type referred to by a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)] // The names are the documentation.
pub enum NamedKind {
    Struct,
    Enum,
    Flags,
    Union,
}

/// A service and its methods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// Its name within the package.
    pub name: String,
    /// `package.Service`, as peers name it when they connect.
    pub qualified_name: String,
    /// Its doc comment.
    pub docs: String,
    /// Its methods in declaration order.
    pub methods: Vec<Method>,
}

/// A method of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Method {
    /// Its name.
    pub name: String,
    /// `package.Service.method`, from which the id derives.
    pub qualified_name: String,
    /// Its doc comment.
    pub docs: String,
    /// rpc, oneway or event.
    pub kind: MethodKind,
    /// The method's id on the wire: the first four bytes of the SHA-256 of its qualified name,
    /// little-endian.
    pub id: u32,
    /// SHA-256 over the method's name, kind, messages and error type.
    pub fingerprint: Fingerprint,
    /// The request struct of an rpc or oneway, or the event struct of an event; `None` when
    /// the parameter list is empty (no payload at all).
    pub params: Option<Message>,
    /// The reply struct of an rpc; `None` for an empty reply (`-> ()`) and for oneway and
    /// event methods.
    pub results: Option<Message>,
    /// Whether the rpc returns a single type (`-> T`): the reply struct then has one field,
    /// `result`, and the same layout as `T`.
    pub single_result: bool,
    /// The fully qualified name of the rpc's error enum, if it declares one.
    pub error: Option<String>,
}

/// A struct generated from a parameter or result list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Its generated name (`TelemetryGetStatusRequest`; see `docs/IDL.md`).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Alignment in bytes.
    pub align: u64,
    /// SHA-256 over its canonical description.
    pub fingerprint: Fingerprint,
    /// Its fields and padding.
    pub layout: StructDef,
}

impl std::fmt::Display for Ty {
    /// The type in IDL syntax, declared types by their qualified names.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            TyKind::Scalar { scalar } => f.write_str(scalar.name()),
            TyKind::Named { name, .. } => f.write_str(name),
            TyKind::Array { element, len } => write!(f, "[{element}; {len}]"),
            TyKind::String { capacity } => write!(f, "string<{capacity}>"),
            TyKind::Bytes { capacity } => write!(f, "bytes<{capacity}>"),
            TyKind::Vec {
                element, capacity, ..
            } => write!(f, "vec<{element}, {capacity}>"),
            TyKind::Optional { value, .. } => write!(f, "optional<{value}>"),
        }
    }
}
