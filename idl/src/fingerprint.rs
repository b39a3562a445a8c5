//! Fingerprints: SHA-256 over a canonical description of a type's or a method's layout, names
//! and types (never its comments). Peers compare them when they connect.
//!
//! A type that refers to another type includes that type's fingerprint, so a change anywhere
//! below a type changes the type's fingerprint too. `docs/IDL.md` gives the canonical forms.

use std::fmt::{self, Write as _};

use ring::digest;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::{Message, MethodKind, StructDef, Ty, TyKind, TypeDef, TypeKind};

/// A SHA-256 digest, shown and serialized as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> Fingerprint {
        let digest = digest::digest(&digest::SHA256, bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(digest.as_ref());
        Fingerprint(out)
    }

    /// The first 16 hex digits, enough for a person to compare two fingerprints.
    pub fn short(&self) -> String {
        self.to_string()[..16].to_owned()
    }
}

impl Fingerprint {
    /// The 64 lowercase hex digits, without going through `fmt` (fingerprints of nested types
    /// are written into every canonical description, so this is on the checker's hot path).
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(64);
        for byte in self.0 {
            hex.push(DIGITS[usize::from(byte >> 4)] as char);
            hex.push(DIGITS[usize::from(byte & 0xf)] as char);
        }
        hex
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let invalid = || serde::de::Error::custom("a fingerprint is 64 hex digits");
        if text.len() != 64 || !text.is_ascii() {
            return Err(invalid());
        }
        let mut out = [0u8; 32];
        for (index, byte) in out.iter_mut().enumerate() {
            *byte =
                u8::from_str_radix(&text[2 * index..2 * index + 2], 16).map_err(|_| invalid())?;
        }
        Ok(Fingerprint(out))
    }
}

/// The wire id of a method: the first four bytes of the SHA-256 of its qualified name
/// (`fleet.control.FleetControl.get_vehicle`), little-endian.
pub fn method_id(qualified_name: &str) -> u32 {
    let digest = Fingerprint::of(qualified_name.as_bytes());
    u32::from_le_bytes([digest.0[0], digest.0[1], digest.0[2], digest.0[3]])
}

/// The fingerprint of a declared type; `named` gives the fingerprints of the types it uses.
pub(crate) fn of_type(def: &TypeDef, named: &dyn Fn(&str) -> Fingerprint) -> Fingerprint {
    let mut out = String::new();
    let header = |out: &mut String, keyword: &str| {
        write!(
            out,
            "{keyword} {} size={} align={}",
            def.qualified_name, def.size, def.align
        )
    };
    match &def.kind {
        TypeKind::Struct(structure) => {
            header(&mut out, "struct").expect("writing to a String");
            fields(&mut out, structure, named);
        }
        TypeKind::Enum(members) | TypeKind::Flags(members) => {
            header(&mut out, def.kind.keyword()).expect("writing to a String");
            out.push_str(&format!(" repr={} {{", members.repr.name()));
            for member in &members.members {
                out.push_str(&format!("{}={};", member.name, member.value));
            }
            out.push('}');
        }
        TypeKind::Union(union) => {
            header(&mut out, "union").expect("writing to a String");
            out.push_str(&format!(
                " tag={} payload={} {{",
                union.tag.name(),
                union.payload_offset
            ));
            for variant in &union.variants {
                out.push_str(&variant.name);
                if let Some(payload) = &variant.payload {
                    out.push('(');
                    ty(&mut out, payload, named);
                    out.push(')');
                }
                out.push_str(&format!("={};", variant.tag));
            }
            out.push('}');
        }
    }
    Fingerprint::of(out.as_bytes())
}

/// The fingerprint of a generated request, reply or event struct.
pub(crate) fn of_message(message: &Message, named: &dyn Fn(&str) -> Fingerprint) -> Fingerprint {
    let mut out = format!(
        "message {} size={} align={}",
        message.name, message.size, message.align
    );
    fields(&mut out, &message.layout, named);
    Fingerprint::of(out.as_bytes())
}

/// What a method's fingerprint covers.
pub(crate) struct MethodShape<'a> {
    pub qualified_name: &'a str,
    pub kind: MethodKind,
    pub id: u32,
    pub params: Option<&'a Message>,
    pub results: Option<&'a Message>,
    pub single_result: bool,
    pub error: Option<Fingerprint>,
}

/// The fingerprint of a method: its name, kind, id, messages and error type.
pub(crate) fn of_method(shape: &MethodShape<'_>) -> Fingerprint {
    let part = |fingerprint: Option<Fingerprint>| {
        fingerprint.map_or_else(|| "none".to_owned(), |fingerprint| fingerprint.to_string())
    };
    let text = format!(
        "{} {} id={} params={} results={} single={} error={}",
        shape.kind.keyword(),
        shape.qualified_name,
        shape.id,
        part(shape.params.map(|message| message.fingerprint)),
        part(shape.results.map(|message| message.fingerprint)),
        shape.single_result,
        part(shape.error),
    );
    Fingerprint::of(text.as_bytes())
}

fn fields(out: &mut String, structure: &StructDef, named: &dyn Fn(&str) -> Fingerprint) {
    out.push_str(" {");
    for field in &structure.fields {
        out.push_str(&field.name);
        out.push(':');
        ty(out, &field.ty, named);
        out.push_str(&format!("@{};", field.offset));
    }
    out.push('}');
}

fn ty(out: &mut String, ty: &Ty, named: &dyn Fn(&str) -> Fingerprint) {
    match &ty.kind {
        TyKind::Scalar { scalar } => out.push_str(scalar.name()),
        TyKind::Named { name, .. } => {
            out.push_str(name);
            out.push('#');
            out.push_str(&named(name).to_hex());
        }
        TyKind::Array { element, len } => {
            out.push('[');
            self::ty(out, element, named);
            out.push_str(&format!(";{len}]"));
        }
        TyKind::String { capacity } => out.push_str(&format!("string<{capacity}>")),
        TyKind::Bytes { capacity } => out.push_str(&format!("bytes<{capacity}>")),
        TyKind::Vec {
            element, capacity, ..
        } => {
            out.push_str("vec<");
            self::ty(out, element, named);
            out.push_str(&format!(",{capacity}>"));
        }
        TyKind::Optional { value, .. } => {
            out.push_str("optional<");
            self::ty(out, value, named);
            out.push('>');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            Fingerprint::of(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hex_round_trip() {
        let fingerprint = Fingerprint::of(b"interop");
        let json = serde_json::to_string(&fingerprint).unwrap();
        assert_eq!(
            serde_json::from_str::<Fingerprint>(&json).unwrap(),
            fingerprint
        );
        assert!(serde_json::from_str::<Fingerprint>("\"zz\"").is_err());
    }
}
