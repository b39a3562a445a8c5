//! Names in generated code: output files, identifiers escaped for each language, and the names
//! of the inline container types, which every backend derives the same way.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use interop_idl::model::{Scalar, Ty, TyKind};

use crate::Language;

/// The file a package is generated into (`docs/IDL.md` §12).
pub fn file_name(package: &str, language: Language) -> String {
    match language {
        Language::Rust => format!("{package}.rs"),
        Language::C => format!("{}.h", c_prefix(package)),
        Language::Python => format!("{}.py", c_prefix(package)),
    }
}

/// `fleet.control` → `fleet_control`: the prefix of C names and the Python module name.
pub fn c_prefix(package: &str) -> String {
    package.replace('.', "_")
}

/// `fleet.control` → `FLEET_CONTROL`: the prefix of C constants and macros.
pub fn c_macro_prefix(package: &str) -> String {
    c_prefix(package).to_ascii_uppercase()
}

/// A name as a Rust identifier: keywords become raw identifiers (`r#type`); the few that
/// cannot be raw (`self`, `Self`, `super`, `crate`, `_`) get a trailing underscore.
pub fn rust_ident(name: &str) -> String {
    match name {
        "self" | "Self" | "super" | "crate" | "_" => format!("{name}_"),
        _ if RUST_KEYWORDS.contains(&name) => format!("r#{name}"),
        _ => name.to_owned(),
    }
}

/// A name as a C (and C++) identifier: keywords and names the standard headers reserve or
/// define as macros get a trailing underscore.
pub fn c_ident(name: &str) -> Cow<'_, str> {
    /// `C_RESERVED` as a set, for names checked once per field of every generated type.
    static RESERVED: OnceLock<HashSet<&str>> = OnceLock::new();
    let reserved = RESERVED.get_or_init(|| C_RESERVED.iter().copied().collect());
    if reserved.contains(name)
        || name.starts_with("__")
        || (name.starts_with('_') && name[1..].starts_with(|c: char| c.is_ascii_uppercase()))
    {
        Cow::Owned(format!("{name}_"))
    } else {
        Cow::Borrowed(name)
    }
}

/// A name as a Python identifier: keywords, soft keywords and the builtins generated code uses
/// get a trailing underscore.
pub fn python_ident(name: &str) -> String {
    if PYTHON_RESERVED.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// The name of the type generated for an inline container, the same in every language (before
/// each language's prefix): `String16`, `Bytes24`, `Vec32OfWaypoint`, `OptionalF32`,
/// `OptionalString16`, `Vec4OfArray2OfU8`. Declared types of other packages are named with
/// their package (`OptionalFleetGeometryPoint`). `None` for types that need no generated
/// type (scalars, declared types and arrays, which every language writes natively).
pub fn container_name(ty: &Ty, package: &str) -> Option<String> {
    let mut name = String::new();
    push_container_name(ty, package, &mut name).then_some(name)
}

/// Appends [`container_name`] of `ty` to `out`, and says whether `ty` is a container (nothing
/// is appended for other types).
pub fn push_container_name(ty: &Ty, package: &str, out: &mut String) -> bool {
    match &ty.kind {
        TyKind::String { .. }
        | TyKind::Bytes { .. }
        | TyKind::Vec { .. }
        | TyKind::Optional { .. } => {
            write_type_part(ty, package, out);
            true
        }
        TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. } => false,
    }
}

/// Every container type used by `ty`, innermost first (each before the containers using it).
pub fn containers_in<'t>(ty: &'t Ty, out: &mut Vec<&'t Ty>) {
    match &ty.kind {
        TyKind::Vec { element, .. } | TyKind::Array { element, .. } => containers_in(element, out),
        TyKind::Optional { value, .. } => containers_in(value, out),
        TyKind::Scalar { .. }
        | TyKind::Named { .. }
        | TyKind::String { .. }
        | TyKind::Bytes { .. } => {}
    }
    if !matches!(
        ty.kind,
        TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. }
    ) {
        out.push(ty);
    }
}

/// Appends the part of a container's name that stands for `ty` to `out`.
fn write_type_part(ty: &Ty, package: &str, out: &mut String) {
    use std::fmt::Write;
    match &ty.kind {
        TyKind::Scalar { scalar } => out.push_str(scalar_part(*scalar)),
        TyKind::Named { name, .. } => {
            let (owner, simple) = name.rsplit_once('.').expect("qualified name");
            if owner != package {
                write_pascal_path(owner, out);
            }
            out.push_str(simple);
        }
        TyKind::Array { element, len } => {
            let _ = write!(out, "Array{len}Of");
            write_type_part(element, package, out);
        }
        TyKind::String { capacity } => {
            let _ = write!(out, "String{capacity}");
        }
        TyKind::Bytes { capacity } => {
            let _ = write!(out, "Bytes{capacity}");
        }
        TyKind::Vec {
            element, capacity, ..
        } => {
            let _ = write!(out, "Vec{capacity}Of");
            write_type_part(element, package, out);
        }
        TyKind::Optional { value, .. } => {
            out.push_str("Optional");
            write_type_part(value, package, out);
        }
    }
}

fn scalar_part(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Bool => "Bool",
        Scalar::U8 => "U8",
        Scalar::U16 => "U16",
        Scalar::U32 => "U32",
        Scalar::U64 => "U64",
        Scalar::I8 => "I8",
        Scalar::I16 => "I16",
        Scalar::I32 => "I32",
        Scalar::I64 => "I64",
        Scalar::F32 => "F32",
        Scalar::F64 => "F64",
    }
}

/// Appends `fleet.geometry` as `FleetGeometry` to `out`.
fn write_pascal_path(package: &str, out: &mut String) {
    for part in package.split(['.', '_']).filter(|part| !part.is_empty()) {
        let mut chars = part.chars();
        let first = chars.next().expect("non-empty part");
        out.push(first.to_ascii_uppercase());
        out.push_str(chars.as_str());
    }
}

/// The fixed-width C type of a scalar (`uint16_t`, `double`, `bool`).
pub fn c_scalar_type(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Bool => "bool",
        Scalar::U8 => "uint8_t",
        Scalar::U16 => "uint16_t",
        Scalar::U32 => "uint32_t",
        Scalar::U64 => "uint64_t",
        Scalar::I8 => "int8_t",
        Scalar::I16 => "int16_t",
        Scalar::I32 => "int32_t",
        Scalar::I64 => "int64_t",
        Scalar::F32 => "float",
        Scalar::F64 => "double",
    }
}

/// Rust's strict and reserved keywords (2021 edition), which raw identifiers can escape.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// C11 and C++17 keywords, and identifiers the standard headers generated C includes define
/// (`bool`, `true`, `offsetof`, `NULL`, the fixed-width integer types...).
const C_RESERVED: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "_Alignas",
    "_Alignof",
    "_Atomic",
    "_Bool",
    "_Complex",
    "_Generic",
    "_Imaginary",
    "_Noreturn",
    "_Static_assert",
    "_Thread_local",
    "alignas",
    "alignof",
    "and",
    "and_eq",
    "asm",
    "bitand",
    "bitor",
    "catch",
    "char16_t",
    "char32_t",
    "class",
    "compl",
    "concept",
    "constexpr",
    "const_cast",
    "decltype",
    "delete",
    "dynamic_cast",
    "explicit",
    "export",
    "friend",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "not",
    "not_eq",
    "nullptr",
    "operator",
    "or",
    "or_eq",
    "private",
    "protected",
    "public",
    "reinterpret_cast",
    "requires",
    "static_assert",
    "static_cast",
    "template",
    "this",
    "thread_local",
    "throw",
    "try",
    "typeid",
    "typename",
    "using",
    "virtual",
    "wchar_t",
    "xor",
    "xor_eq",
    "bool",
    "true",
    "false",
    "NULL",
    "offsetof",
    "size_t",
    "ptrdiff_t",
    "int8_t",
    "int16_t",
    "int32_t",
    "int64_t",
    "uint8_t",
    "uint16_t",
    "uint32_t",
    "uint64_t",
    "errno",
    "assert",
    "memcpy",
    "memset",
    "strlen",
];

/// Python keywords and soft keywords, and the names generated modules use themselves.
const PYTHON_RESERVED: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "match", "case", "type", "_", "ctypes", "enum", "typing", "self", "cls",
];

/// A name bound at the top level of a generated Python module (a type, message, service or
/// constant): [`python_ident`], then a trailing underscore for names that start with `_` (the
/// module keeps those for itself: its support code, container classes and module aliases), for
/// the builtins the module's code calls, and for `DESCRIPTOR`.
pub fn python_global(name: &str) -> String {
    let ident = python_ident(name);
    if ident.starts_with('_') || PYTHON_GLOBALS_RESERVED.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// A name bound in a class of a generated Python module (a field, a variant, a service's
/// method): [`python_ident`], then a trailing underscore for names that start with `_` (padding
/// fields `_pad0`, ctypes' `_fields_`...), for the methods the classes define (`to_dict`,
/// `from_buffer`...), and for `qualified_name` and `methods` of service classes.
pub fn python_member(name: &str) -> String {
    let ident = python_ident(name);
    if ident.starts_with('_') || PYTHON_MEMBERS_RESERVED.contains(&ident.as_str()) {
        unspecial(format!("{ident}_"))
    } else {
        ident
    }
}

/// A member of a generated Python `IntEnum` or `IntFlag` (also a union's tag): [`python_ident`],
/// then a trailing underscore for `mro` and the `_sunder_` and `__dunder__` names `enum`
/// reserves.
pub fn python_enum_member(name: &str) -> String {
    let ident = python_ident(name);
    if ident == "mro" || is_sunder(&ident) || is_dunder(&ident) {
        unspecial(format!("{ident}_"))
    } else {
        ident
    }
}

/// One more `_` when an escaped name became a `_sunder_` or `__dunder__` name.
fn unspecial(mut name: String) -> String {
    if is_sunder(&name) || is_dunder(&name) {
        name.push('_');
    }
    name
}

/// `_name_`, as Python's `enum` module defines it.
fn is_sunder(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() > 2
        && bytes[0] == b'_'
        && bytes[bytes.len() - 1] == b'_'
        && bytes[1] != b'_'
        && bytes[bytes.len() - 2] != b'_'
}

/// `__name__`, as Python's `enum` module defines it.
fn is_dunder(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() > 4
        && name.starts_with("__")
        && name.ends_with("__")
        && bytes[2] != b'_'
        && bytes[bytes.len() - 3] != b'_'
}

/// Builtins the code of a generated Python module calls, and its own public names.
const PYTHON_GLOBALS_RESERVED: &[&str] = &[
    "AssertionError",
    "AttributeError",
    "ImportError",
    "IndexError",
    "KeyError",
    "NotImplemented",
    "TypeError",
    "ValueError",
    "DESCRIPTOR",
    "bool",
    "bytearray",
    "bytes",
    "classmethod",
    "dict",
    "enumerate",
    "float",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hex",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "memoryview",
    "min",
    "next",
    "object",
    "range",
    "repr",
    "set",
    "setattr",
    "slice",
    "str",
    "super",
    "tuple",
];

/// Attributes the classes of a generated Python module define besides their fields.
const PYTHON_MEMBERS_RESERVED: &[&str] = &[
    "copy",
    "to_dict",
    "from_dict",
    "from_buffer",
    "from_buffer_copy",
    "from_address",
    "from_param",
    "in_dll",
    "qualified_name",
    "methods",
    "mro",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(rust_ident("type"), "r#type");
        assert_eq!(rust_ident("self"), "self_");
        assert_eq!(rust_ident("vehicle"), "vehicle");
        assert_eq!(c_ident("class"), "class_");
        assert_eq!(c_ident("bool"), "bool_");
        assert_eq!(c_ident("_Private"), "_Private_");
        assert_eq!(c_ident("speed"), "speed");
        assert_eq!(python_ident("None"), "None_");
        assert_eq!(python_ident("match"), "match_");
        assert_eq!(python_ident("speed"), "speed");
    }

    #[test]
    fn files_and_prefixes() {
        assert_eq!(
            file_name("fleet.control", Language::Rust),
            "fleet.control.rs"
        );
        assert_eq!(file_name("fleet.control", Language::C), "fleet_control.h");
        assert_eq!(
            file_name("fleet.control", Language::Python),
            "fleet_control.py"
        );
        assert_eq!(c_macro_prefix("fleet.control"), "FLEET_CONTROL");
        let mut path = String::new();
        write_pascal_path("fleet.geo_data", &mut path);
        assert_eq!(path, "FleetGeoData");
    }
}

/// `FleetControl` → `fleet_control`, `HTTPServer` → `http_server`: a name in snake case, for
/// the names a backend derives (setters such as `set_drive`).
pub fn snake_case(name: &str) -> String {
    camel_words(name).join("_").to_lowercase()
}

/// `FleetControl` → `FLEET_CONTROL`, `Night` → `NIGHT`: a name in upper snake case, for the
/// constants a backend derives (flag bits, union tags, service descriptors).
pub fn shouty_snake_case(name: &str) -> String {
    camel_words(name).join("_").to_uppercase()
}

/// `low_battery` → `LowBattery`: a name in upper camel case, for the variants a backend derives
/// (a service's events).
pub fn pascal_case(name: &str) -> String {
    camel_words(name)
        .iter()
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// The words of a name written in camel case, snake case or a mix (`HTTPServer2Go` →
/// `HTTP`, `Server2`, `Go`; `dwell_s` → `dwell`, `s`).
pub fn camel_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_uppercase() && !word.is_empty() {
            let previous = chars[index - 1];
            let next_is_lower = chars.get(index + 1).is_some_and(|next| next.is_lowercase());
            if previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_is_lower)
            {
                words.push(std::mem::take(&mut word));
            }
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod case_tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake_case("FleetControl"), "fleet_control");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("dwell_s"), "dwell_s");
        assert_eq!(shouty_snake_case("LowBattery"), "LOW_BATTERY");
        assert_eq!(shouty_snake_case("Night"), "NIGHT");
        assert_eq!(shouty_snake_case("Vec2Of"), "VEC2_OF");
        assert_eq!(camel_words("UnknownVehicle"), ["Unknown", "Vehicle"]);
    }
}

#[cfg(test)]
mod python_tests {
    use super::*;

    #[test]
    fn python_escaping_by_scope() {
        assert_eq!(python_global("Vehicle"), "Vehicle");
        assert_eq!(python_global("class"), "class_");
        assert_eq!(python_global("bytes"), "bytes_");
        assert_eq!(python_global("DESCRIPTOR"), "DESCRIPTOR_");
        assert_eq!(python_global("_Hidden"), "_Hidden_");
        assert_eq!(python_member("speed"), "speed");
        assert_eq!(python_member("to_dict"), "to_dict_");
        assert_eq!(python_member("_pad0"), "_pad0__");
        assert_eq!(python_member("_fields_"), "_fields__");
        assert_eq!(python_member("__init__"), "__init___");
        assert_eq!(python_enum_member("Van"), "Van");
        assert_eq!(python_enum_member("name"), "name");
        assert_eq!(python_enum_member("mro"), "mro_");
        assert_eq!(python_enum_member("_missing_"), "_missing__");
        assert_eq!(python_enum_member("None"), "None_");
    }
}
