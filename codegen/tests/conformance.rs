//! Cross-language conformance with real compilers and interpreters (issue 3, "Tests that must
//! exist", first bullet).
//!
//! For the sample schemas (`samples/fleet/control.idl` and its import) and for randomly
//! generated schemas (a deterministic generator seeded per case: every scalar, `string`,
//! `bytes`, `vec`, `optional`, arrays, enums, flags, unions, nested types, keyword names, one
//! package importing another), the test chooses one value tree per root type, then:
//!
//! 1. Rust, C and Python each FILL that value through their generated API (a Rust program, a C
//!    program and a Python script emitted from the value tree) and print the bytes in hex;
//! 2. the three byte strings must be identical (unused container slots, absent optional values,
//!    payload bytes beyond the active union variant and padding are zero in every writer);
//! 3. every language READS every language's bytes back and compares them field by field with
//!    the value tree (Rust through `interop::validate::view`, which also runs the runtime
//!    validator; C by `memcpy` into the struct; Python with `from_buffer_copy` and `to_dict`).
//!
//! It is batched to stay fast: one Cargo crate holds every schema's generated modules and every
//! fill/read function (target folder `target/conformance-tests`, shared between runs), one C
//! program covers every schema, one Python process runs every case. Everything it writes is
//! kept under `target/conformance-tests/work` for reproducing a failure by hand: the schemas
//! (`schemas/<case>/*.idl`), the generated code, the programs (`rust/src/main.rs`,
//! `c/conformance.c`, `py/conformance.py`) and their inputs and outputs.
//!
//! Requires `cargo`, `gcc` and `python3`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use interop_codegen::names::{
    c_ident, c_macro_prefix, c_prefix, c_scalar_type, container_name, python_global, rust_ident,
    snake_case,
};
use interop_codegen::Language;
use interop_idl::model::{Scalar, StructDef, Ty, TyKind, TypeKind, UnionDef};
use interop_idl::{check_files, Model, Options};

/// Known failures: (case, or `*` for every case; text the failure contains; why). A failure
/// matching an entry is printed and does not fail the test; everything else about the case
/// (the other writers, every reader) is still checked. Remove an entry once its fix lands (the
/// test prints a note for entries that no longer match anything).
const KNOWN: &[(&str, &str, &str)] = &[
    // Nothing is known to fail. Past entries: Rust filled unused slots with non-zero defaults
    // (fixed by byte-backed container storage); Python's keyword construction took a field
    // named `self` as its own argument (fixed with a positional-only `self`).
];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness.

/// SplitMix64: small, fast and good enough to pick values and shapes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Value trees.

#[derive(Clone, Debug)]
enum Val {
    Bool(bool),
    Int(i128),
    Float(f64),
    /// Index of the member.
    Enum(usize),
    /// Indices of the members set.
    Flags(Vec<usize>),
    Str(String),
    Bytes(Vec<u8>),
    /// A `vec` or an array.
    List(Vec<Val>),
    Opt(Option<Box<Val>>),
    /// Field values in declaration order.
    Struct(Vec<Val>),
    /// Index of the variant and its payload.
    Union(usize, Option<Box<Val>>),
}

/// What a root type is.
#[derive(Clone, Copy)]
enum Shape<'m> {
    Struct(&'m StructDef),
    Union(&'m UnionDef),
}

/// A type (or generated message struct) filled and read by every language.
struct Root<'m> {
    package: String,
    name: String,
    shape: Shape<'m>,
}

fn find_root<'m>(model: &'m Model, qualified: &str) -> Root<'m> {
    let (package, name) = qualified.rsplit_once('.').unwrap();
    if let Some(def) = model.find_type(qualified) {
        let shape = match &def.kind {
            TypeKind::Struct(s) => Shape::Struct(s),
            TypeKind::Union(u) => Shape::Union(u),
            _ => panic!("{qualified} is not a struct or union"),
        };
        return Root {
            package: package.to_owned(),
            name: name.to_owned(),
            shape,
        };
    }
    for pkg in model.packages.iter().filter(|p| p.name == package) {
        for service in &pkg.services {
            for method in &service.methods {
                for message in [&method.params, &method.results].into_iter().flatten() {
                    if message.name == name {
                        return Root {
                            package: package.to_owned(),
                            name: name.to_owned(),
                            shape: Shape::Struct(&message.layout),
                        };
                    }
                }
            }
        }
    }
    panic!("no type or message {qualified}")
}

fn owner(qualified: &str) -> (&str, &str) {
    qualified.rsplit_once('.').expect("qualified name")
}

/// Chooses values: in range, multi-byte UTF-8, vecs below capacity, optionals present and
/// absent, union variants with and without payload.
struct Chooser<'m> {
    model: &'m Model,
    rng: Rng,
    optional_turn: u64,
    union_turn: u64,
}

const TEXT_PIECES: &[&str] = &[
    "a",
    "Z",
    "7",
    " ",
    "é",
    "ß",
    "€",
    "漢",
    "字",
    "🚀",
    "\"",
    "\\",
    "'",
    "\n",
    "%d",
    "{}",
    "\0",
    "ü",
    "Ω",
    "\u{7f}",
    "\u{10ffff}",
];

impl<'m> Chooser<'m> {
    fn root(&mut self, root: &Root<'m>) -> Val {
        match root.shape {
            Shape::Struct(s) => self.structure(s),
            Shape::Union(u) => self.union(u),
        }
    }

    fn structure(&mut self, def: &StructDef) -> Val {
        Val::Struct(def.fields.iter().map(|f| self.value(&f.ty)).collect())
    }

    fn union(&mut self, def: &UnionDef) -> Val {
        self.union_turn += 1;
        let with: Vec<usize> = (0..def.variants.len())
            .filter(|&i| def.variants[i].payload.is_some())
            .collect();
        let without: Vec<usize> = (0..def.variants.len())
            .filter(|&i| def.variants[i].payload.is_none())
            .collect();
        let pool = if (self.union_turn % 3 == 0 && !without.is_empty()) || with.is_empty() {
            without
        } else {
            with
        };
        let index = *self.rng.pick(&pool);
        let payload = def.variants[index]
            .payload
            .as_ref()
            .map(|ty| Box::new(self.value(ty)));
        Val::Union(index, payload)
    }

    fn value(&mut self, ty: &Ty) -> Val {
        match &ty.kind {
            TyKind::Scalar { scalar } => self.scalar(*scalar),
            TyKind::Named { name, .. } => {
                let def = self.model.find_type(name).expect("declared type");
                match &def.kind {
                    TypeKind::Enum(e) => Val::Enum(self.rng.below(e.members.len() as u64) as usize),
                    TypeKind::Flags(e) => Val::Flags(
                        (0..e.members.len())
                            .filter(|_| self.rng.chance(50))
                            .collect(),
                    ),
                    TypeKind::Struct(s) => self.structure(s),
                    TypeKind::Union(u) => self.union(u),
                }
            }
            TyKind::Array { element, len } => {
                Val::List((0..*len).map(|_| self.value(element)).collect())
            }
            TyKind::String { capacity } => {
                let target = self.rng.below(capacity.min(&40) + 1) as usize;
                let mut text = String::new();
                for _ in 0..target {
                    let piece = *self.rng.pick(TEXT_PIECES);
                    if text.len() + piece.len() <= *capacity as usize {
                        text.push_str(piece);
                    }
                }
                Val::Str(text)
            }
            TyKind::Bytes { capacity } => {
                let len = self.rng.below(capacity.min(&40) + 1) as usize;
                Val::Bytes((0..len).map(|_| self.rng.next() as u8).collect())
            }
            TyKind::Vec {
                element, capacity, ..
            } => {
                // Strictly below the capacity, so that unused slots exist.
                let most = (*capacity - 1).min(3);
                let len = if most == 0 {
                    0
                } else {
                    1 + self.rng.below(most)
                };
                Val::List((0..len).map(|_| self.value(element)).collect())
            }
            TyKind::Optional { value, .. } => {
                self.optional_turn += 1;
                if self.optional_turn % 2 == 0 {
                    Val::Opt(Some(Box::new(self.value(value))))
                } else {
                    Val::Opt(None)
                }
            }
        }
    }

    fn scalar(&mut self, scalar: Scalar) -> Val {
        let (low, high): (i128, i128) = match scalar {
            Scalar::Bool => return Val::Bool(self.rng.chance(50)),
            Scalar::F32 => {
                let mantissa = self.rng.below(1 << 20) as i64 - (1 << 19);
                return Val::Float(mantissa as f64 / (1u64 << self.rng.below(12)) as f64);
            }
            Scalar::F64 => {
                let mantissa = self.rng.below(1 << 44) as i64 - (1 << 43);
                return Val::Float(mantissa as f64 / (1u64 << self.rng.below(30)) as f64);
            }
            Scalar::U8 => (0, u8::MAX.into()),
            Scalar::U16 => (0, u16::MAX.into()),
            Scalar::U32 => (0, u32::MAX.into()),
            Scalar::U64 => (0, u64::MAX.into()),
            Scalar::I8 => (i8::MIN.into(), i8::MAX.into()),
            Scalar::I16 => (i16::MIN.into(), i16::MAX.into()),
            Scalar::I32 => (i32::MIN.into(), i32::MAX.into()),
            Scalar::I64 => (i64::MIN.into(), i64::MAX.into()),
        };
        let value = match self.rng.below(8) {
            0 => low,
            1 => high,
            2 => 0,
            _ => low + (self.rng.next() as u128 % (high - low + 1) as u128) as i128,
        };
        Val::Int(value)
    }
}

// ---------------------------------------------------------------------------------------------
// Literals.

fn scalar_suffix(scalar: Scalar) -> &'static str {
    scalar.name()
}

fn float_text(value: f64) -> String {
    format!("{value:?}")
}

fn rust_scalar(scalar: Scalar, v: &Val) -> String {
    match v {
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => format!("({i}{})", scalar_suffix(scalar)),
        Val::Float(f) => format!("({}{})", float_text(*f), scalar_suffix(scalar)),
        _ => unreachable!(),
    }
}

fn c_int(scalar: Scalar, value: i128) -> String {
    let ty = c_scalar_type(scalar);
    match scalar {
        Scalar::U64 => format!("UINT64_C({value})"),
        Scalar::I64 if value == i64::MIN as i128 => "INT64_MIN".to_owned(),
        Scalar::I64 => format!("INT64_C({value})"),
        Scalar::I32 if value == i32::MIN as i128 => "INT32_MIN".to_owned(),
        _ if value < 0 => format!("(({ty})({value}))"),
        _ => format!("(({ty}){value}u)"),
    }
}

fn c_scalar(scalar: Scalar, v: &Val) -> String {
    match v {
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => c_int(scalar, *i),
        Val::Float(f) => format!("(({})({}))", c_scalar_type(scalar), float_text(*f)),
        _ => unreachable!(),
    }
}

/// A C string literal of any bytes, with octal escapes (which never swallow what follows).
fn c_bytes_literal(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b == b' ' || b == b'_' || b == b'.' {
            out.push(b as char);
        } else {
            write!(out, "\\{b:03o}").unwrap();
        }
    }
    out.push('"');
    out
}

fn rust_byte_string(bytes: &[u8]) -> String {
    let mut out = String::from("b\"");
    for &b in bytes {
        write!(out, "\\x{b:02x}").unwrap();
    }
    out.push('"');
    out
}

fn rust_str(text: &str) -> String {
    format!("{text:?}")
}

fn py_str(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            write!(out, "\\U{:08x}", c as u32).unwrap();
        }
    }
    out.push('"');
    out
}

fn py_bytes(bytes: &[u8]) -> String {
    let mut out = String::from("b\"");
    for &b in bytes {
        write!(out, "\\x{b:02x}").unwrap();
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// Emitters.

struct Emitter<'m> {
    model: &'m Model,
    counter: usize,
}

impl Emitter<'_> {
    fn fresh(&mut self, stem: &str) -> String {
        self.counter += 1;
        format!("{stem}{}", self.counter)
    }

    // ----- Rust -----

    fn rust_package_path(package: &str) -> String {
        let mut path = String::from("crate");
        for segment in package.split('.') {
            path.push_str("::");
            path.push_str(&rust_ident(segment));
        }
        path
    }

    fn rust_type_path(qualified: &str) -> String {
        let (package, name) = owner(qualified);
        format!("{}::{}", Self::rust_package_path(package), rust_ident(name))
    }

    /// The borrowed view enum of a union: `OrderRef` (from the IDL name, never escaped).
    fn rust_view_path(qualified: &str) -> String {
        let (package, name) = owner(qualified);
        format!("{}::{name}Ref", Self::rust_package_path(package))
    }

    fn rust_container_path(ty: &Ty, package: &str) -> String {
        format!(
            "{}::inline::{}",
            Self::rust_package_path(package),
            container_name(ty, package).unwrap()
        )
    }

    /// An expression of the Rust type of `ty` holding `v`.
    fn rust_expr(&mut self, ty: &Ty, v: &Val, package: &str) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => rust_scalar(*scalar, v),
            TyKind::Named { name, .. } => {
                let def = self.model.find_type(name).unwrap();
                let path = Self::rust_type_path(name);
                match (&def.kind, v) {
                    (TypeKind::Enum(e), Val::Enum(i)) => {
                        format!("{path}::{}", rust_ident(&e.members[*i].name))
                    }
                    (TypeKind::Flags(e), Val::Flags(set)) => {
                        let bits = flag_bits(&e.members, set);
                        format!("{path}::from_bits({bits:#x}).unwrap()")
                    }
                    _ => {
                        let var = self.fresh("v");
                        let mut out = format!("{{ let mut {var} = {path}::default(); ");
                        self.rust_fill(&var, ty, v, package, &mut out);
                        write!(out, "{var} }}").unwrap();
                        out
                    }
                }
            }
            TyKind::Array { element, .. } => {
                let Val::List(items) = v else { unreachable!() };
                let parts: Vec<String> = items
                    .iter()
                    .map(|item| self.rust_expr(element, item, package))
                    .collect();
                format!("[{}]", parts.join(", "))
            }
            _ => {
                let var = self.fresh("c");
                let path = Self::rust_container_path(ty, package);
                let mut out = format!("{{ let mut {var} = {path}::default(); ");
                self.rust_fill(&var, ty, v, package, &mut out);
                write!(out, "{var} }}").unwrap();
                out
            }
        }
    }

    /// Statements that fill the place `place` (already default) with `v`.
    fn rust_fill(&mut self, place: &str, ty: &Ty, v: &Val, package: &str, out: &mut String) {
        match (&ty.kind, v) {
            (TyKind::String { .. }, Val::Str(text)) => {
                writeln!(out, "{place}.set({}).unwrap();", rust_str(text)).unwrap();
            }
            (TyKind::Bytes { .. }, Val::Bytes(bytes)) => {
                writeln!(out, "{place}.set({}).unwrap();", rust_byte_string(bytes)).unwrap();
            }
            (TyKind::Vec { element, .. }, Val::List(items)) => {
                for item in items {
                    let expr = self.rust_expr(element, item, package);
                    writeln!(out, "{place}.push({expr}).unwrap();").unwrap();
                }
            }
            (TyKind::Optional { value, .. }, Val::Opt(inner)) => {
                if let Some(inner) = inner {
                    let expr = self.rust_expr(value, inner, package);
                    writeln!(out, "{place}.set({expr});").unwrap();
                }
            }
            (TyKind::Named { name, .. }, _) => {
                let def = self.model.find_type(name).unwrap();
                let own = owner(name).0;
                match (&def.kind, v) {
                    (TypeKind::Struct(s), Val::Struct(values)) => {
                        self.rust_fill_struct(place, s, values, own, out)
                    }
                    (TypeKind::Union(u), Val::Union(index, payload)) => {
                        self.rust_fill_union(place, u, *index, payload.as_deref(), own, out)
                    }
                    _ => {
                        let expr = self.rust_expr(ty, v, package);
                        writeln!(out, "{place} = {expr};").unwrap();
                    }
                }
            }
            _ => {
                let expr = self.rust_expr(ty, v, package);
                writeln!(out, "{place} = {expr};").unwrap();
            }
        }
    }

    fn rust_fill_struct(
        &mut self,
        place: &str,
        def: &StructDef,
        values: &[Val],
        package: &str,
        out: &mut String,
    ) {
        for (field, value) in def.fields.iter().zip(values) {
            let inner = format!("{place}.{}", rust_ident(&field.name));
            self.rust_fill(&inner, &field.ty, value, package, out);
        }
    }

    fn rust_fill_union(
        &mut self,
        place: &str,
        def: &UnionDef,
        index: usize,
        payload: Option<&Val>,
        package: &str,
        out: &mut String,
    ) {
        let variant = &def.variants[index];
        let setter = format!("set_{}", snake_case(&variant.name));
        match (&variant.payload, payload) {
            (Some(ty), Some(value)) => {
                let expr = self.rust_expr(ty, value, package);
                writeln!(out, "{place}.{setter}({expr});").unwrap();
            }
            _ => writeln!(out, "{place}.{setter}();").unwrap(),
        }
    }

    /// Statements that compare the place `place` (of the Rust type of `ty`) with `v`.
    fn rust_check(
        &mut self,
        place: &str,
        ty: &Ty,
        v: &Val,
        package: &str,
        path: &str,
        out: &mut String,
    ) {
        match (&ty.kind, v) {
            (TyKind::Scalar { scalar }, _) => {
                let lit = rust_scalar(*scalar, v);
                writeln!(out, "chk!({place} == {lit}, {path:?});").unwrap();
            }
            (TyKind::Named { name, .. }, _) => {
                let def = self.model.find_type(name).unwrap();
                let own = owner(name).0;
                match (&def.kind, v) {
                    (TypeKind::Enum(_), _) => {
                        let expr = self.rust_expr(ty, v, package);
                        writeln!(out, "chk!({place} == {expr}, {path:?});").unwrap();
                    }
                    (TypeKind::Flags(e), Val::Flags(set)) => {
                        let bits = flag_bits(&e.members, set);
                        writeln!(out, "chk!({place}.bits() == {bits:#x}, {path:?});").unwrap();
                    }
                    (TypeKind::Struct(s), Val::Struct(values)) => {
                        self.rust_check_struct(place, s, values, own, path, out)
                    }
                    (TypeKind::Union(u), Val::Union(index, payload)) => {
                        let view = Self::rust_view_path(name);
                        self.rust_check_union(
                            place,
                            &view,
                            u,
                            *index,
                            payload.as_deref(),
                            own,
                            path,
                            out,
                        )
                    }
                    _ => unreachable!(),
                }
            }
            (TyKind::Array { element, .. }, Val::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.rust_check(
                        &format!("{place}[{i}]"),
                        element,
                        item,
                        package,
                        &format!("{path}[{i}]"),
                        out,
                    );
                }
            }
            (TyKind::String { .. }, Val::Str(text)) => {
                writeln!(
                    out,
                    "chk!({place}.as_str().ok() == Some({}), {path:?});",
                    rust_str(text)
                )
                .unwrap();
            }
            (TyKind::Bytes { .. }, Val::Bytes(bytes)) => {
                writeln!(
                    out,
                    "chk!({place}.as_slice() == {}, {path:?});",
                    rust_byte_string(bytes)
                )
                .unwrap();
            }
            (TyKind::Vec { element, .. }, Val::List(items)) => {
                writeln!(
                    out,
                    "chk!({place}.len() == {}, {:?});",
                    items.len(),
                    format!("{path}.len")
                )
                .unwrap();
                for (i, item) in items.iter().enumerate() {
                    self.rust_check(
                        &format!("{place}.as_slice()[{i}]"),
                        element,
                        item,
                        package,
                        &format!("{path}[{i}]"),
                        out,
                    );
                }
            }
            (TyKind::Optional { value, .. }, Val::Opt(inner)) => match inner {
                None => writeln!(out, "chk!({place}.get().is_none(), {path:?});").unwrap(),
                Some(inner) => {
                    let var = self.fresh("x");
                    writeln!(
                        out,
                        "let Some({var}) = {place}.get() else {{ return Err(format!(\"{{}}: absent\", {path:?})); }};"
                    )
                    .unwrap();
                    writeln!(out, "let {var} = *{var};").unwrap();
                    self.rust_check(&var, value, inner, package, path, out);
                }
            },
            _ => unreachable!("{ty:?} {v:?}"),
        }
    }

    fn rust_check_struct(
        &mut self,
        place: &str,
        def: &StructDef,
        values: &[Val],
        package: &str,
        path: &str,
        out: &mut String,
    ) {
        for (field, value) in def.fields.iter().zip(values) {
            let inner = format!("{place}.{}", rust_ident(&field.name));
            let shown = if path.is_empty() {
                field.name.clone()
            } else {
                format!("{path}.{}", field.name)
            };
            self.rust_check(&inner, &field.ty, value, package, &shown, out);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rust_check_union(
        &mut self,
        place: &str,
        view: &str,
        def: &UnionDef,
        index: usize,
        payload: Option<&Val>,
        package: &str,
        path: &str,
        out: &mut String,
    ) {
        let variant = &def.variants[index];
        let member = rust_ident(&variant.name);
        let shown = format!("{path}({})", variant.name);
        match (&variant.payload, payload) {
            (Some(ty), Some(value)) => {
                let var = self.fresh("u");
                writeln!(
                    out,
                    "let Ok({view}::{member}({var})) = {place}.get() else {{ return Err(format!(\"{{}}: another variant\", {shown:?})); }};"
                )
                .unwrap();
                writeln!(out, "let {var} = *{var};").unwrap();
                self.rust_check(&var, ty, value, package, &shown, out);
            }
            _ => {
                writeln!(
                    out,
                    "chk!(matches!({place}.get(), Ok({view}::{member})), {shown:?});"
                )
                .unwrap();
            }
        }
    }

    // ----- C -----

    fn c_named(qualified: &str) -> String {
        let (package, name) = owner(qualified);
        format!("{}_{}", c_prefix(package), name)
    }

    fn c_container(ty: &Ty, package: &str) -> String {
        format!(
            "{}_inline_{}",
            c_prefix(package),
            container_name(ty, package).unwrap()
        )
    }

    fn c_macro(qualified: &str, member: &str) -> String {
        let (package, name) = owner(qualified);
        format!(
            "{}_{}_{}",
            c_macro_prefix(package),
            name.to_ascii_uppercase(),
            member.to_ascii_uppercase()
        )
    }

    /// A declaration of a variable `var` of the C type of `ty`.
    fn c_decl(ty: &Ty, package: &str, var: &str) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => format!("{} {var}", c_scalar_type(*scalar)),
            TyKind::Named { name, .. } => format!("{} {var}", Self::c_named(name)),
            TyKind::Array { element, len } => {
                Self::c_decl(element, package, &format!("{var}[{len}]"))
            }
            _ => format!("{} {var}", Self::c_container(ty, package)),
        }
    }

    fn c_fill(&mut self, place: &str, ty: &Ty, v: &Val, package: &str, out: &mut String) {
        match (&ty.kind, v) {
            (TyKind::Scalar { scalar }, _) => {
                writeln!(out, "{place} = {};", c_scalar(*scalar, v)).unwrap();
            }
            (TyKind::Named { name, .. }, _) => {
                let def = self.model.find_type(name).unwrap();
                let own = owner(name).0;
                match (&def.kind, v) {
                    (TypeKind::Enum(e), Val::Enum(i)) => {
                        writeln!(
                            out,
                            "{place} = {};",
                            Self::c_macro(name, &e.members[*i].name)
                        )
                        .unwrap();
                    }
                    (TypeKind::Flags(e), Val::Flags(set)) => {
                        let parts: Vec<String> = set
                            .iter()
                            .map(|&i| Self::c_macro(name, &e.members[i].name))
                            .collect();
                        let bits = if parts.is_empty() {
                            "0".to_owned()
                        } else {
                            parts.join(" | ")
                        };
                        writeln!(out, "{place} = ({})({bits});", Self::c_named(name)).unwrap();
                    }
                    (TypeKind::Struct(s), Val::Struct(values)) => {
                        for (field, value) in s.fields.iter().zip(values) {
                            let inner = format!("{place}.{}", c_ident(&field.name));
                            self.c_fill(&inner, &field.ty, value, own, out);
                        }
                    }
                    (TypeKind::Union(u), Val::Union(index, payload)) => {
                        self.c_fill_union(place, name, u, *index, payload.as_deref(), out)
                    }
                    _ => unreachable!(),
                }
            }
            (TyKind::Array { element, .. }, Val::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.c_fill(&format!("{place}[{i}]"), element, item, package, out);
                }
            }
            (TyKind::String { .. }, Val::Str(text)) => {
                writeln!(
                    out,
                    "(void){}_set_n(&{place}, {}, {}u);",
                    Self::c_container(ty, package),
                    c_bytes_literal(text.as_bytes()),
                    text.len()
                )
                .unwrap();
            }
            (TyKind::Bytes { .. }, Val::Bytes(bytes)) => {
                writeln!(
                    out,
                    "(void){}_set(&{place}, {}, {}u);",
                    Self::c_container(ty, package),
                    c_bytes_literal(bytes),
                    bytes.len()
                )
                .unwrap();
            }
            (TyKind::Vec { element, .. }, Val::List(items)) => {
                for item in items {
                    let var = self.fresh("t");
                    writeln!(
                        out,
                        "{{ {}; memset(&{var}, 0, sizeof {var});",
                        Self::c_decl(element, package, &var)
                    )
                    .unwrap();
                    self.c_fill(&var, element, item, package, out);
                    writeln!(
                        out,
                        "if (!{}_push(&{place}, {var})) {{ printf(\"FAIL push {place}\\n\"); }} }}",
                        Self::c_container(ty, package)
                    )
                    .unwrap();
                }
            }
            (TyKind::Optional { value, .. }, Val::Opt(inner)) => {
                if let Some(inner) = inner {
                    let var = self.fresh("t");
                    writeln!(
                        out,
                        "{{ {}; memset(&{var}, 0, sizeof {var});",
                        Self::c_decl(value, package, &var)
                    )
                    .unwrap();
                    self.c_fill(&var, value, inner, package, out);
                    writeln!(
                        out,
                        "{}_set(&{place}, {var}); }}",
                        Self::c_container(ty, package)
                    )
                    .unwrap();
                }
            }
            _ => unreachable!("{ty:?} {v:?}"),
        }
    }

    fn c_fill_union(
        &mut self,
        place: &str,
        qualified: &str,
        def: &UnionDef,
        index: usize,
        payload: Option<&Val>,
        out: &mut String,
    ) {
        let variant = &def.variants[index];
        writeln!(
            out,
            "{place}.tag = {};",
            Self::c_macro(qualified, &variant.name)
        )
        .unwrap();
        if let (Some(ty), Some(value)) = (&variant.payload, payload) {
            let inner = format!("{place}.payload.{}", c_ident(&variant.name));
            self.c_fill(&inner, ty, value, owner(qualified).0, out);
        }
    }

    fn c_check(
        &mut self,
        place: &str,
        ty: &Ty,
        v: &Val,
        package: &str,
        path: &str,
        out: &mut String,
    ) {
        match (&ty.kind, v) {
            (TyKind::Scalar { scalar }, _) => {
                writeln!(out, "CHK({place} == {}, {path:?});", c_scalar(*scalar, v)).unwrap();
            }
            (TyKind::Named { name, .. }, _) => {
                let def = self.model.find_type(name).unwrap();
                let own = owner(name).0;
                match (&def.kind, v) {
                    (TypeKind::Enum(e), Val::Enum(i)) => {
                        writeln!(
                            out,
                            "CHK({place} == {}, {path:?});",
                            Self::c_macro(name, &e.members[*i].name)
                        )
                        .unwrap();
                    }
                    (TypeKind::Flags(e), Val::Flags(set)) => {
                        let bits = flag_bits(&e.members, set);
                        writeln!(
                            out,
                            "CHK({place} == ({})UINT64_C({bits}), {path:?});",
                            Self::c_named(name)
                        )
                        .unwrap();
                    }
                    (TypeKind::Struct(s), Val::Struct(values)) => {
                        for (field, value) in s.fields.iter().zip(values) {
                            let inner = format!("{place}.{}", c_ident(&field.name));
                            let shown = join_path(path, &field.name);
                            self.c_check(&inner, &field.ty, value, own, &shown, out);
                        }
                    }
                    (TypeKind::Union(u), Val::Union(index, payload)) => {
                        let variant = &u.variants[*index];
                        let tag = Self::c_macro(name, &variant.name);
                        let shown = format!("{path}({})", variant.name);
                        writeln!(out, "CHK({place}.tag == {tag}, {shown:?});").unwrap();
                        if let (Some(ty), Some(value)) = (&variant.payload, payload) {
                            writeln!(out, "if ({place}.tag == {tag}) {{").unwrap();
                            let inner = format!("{place}.payload.{}", c_ident(&variant.name));
                            self.c_check(&inner, ty, value, own, &shown, out);
                            writeln!(out, "}}").unwrap();
                        }
                    }
                    _ => unreachable!(),
                }
            }
            (TyKind::Array { element, .. }, Val::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.c_check(
                        &format!("{place}[{i}]"),
                        element,
                        item,
                        package,
                        &format!("{path}[{i}]"),
                        out,
                    );
                }
            }
            (TyKind::String { .. } | TyKind::Bytes { .. }, Val::Str(_) | Val::Bytes(_)) => {
                let bytes = match v {
                    Val::Str(text) => text.as_bytes(),
                    Val::Bytes(bytes) => bytes,
                    _ => unreachable!(),
                };
                let helper = Self::c_container(ty, package);
                writeln!(
                    out,
                    "CHK({helper}_len(&{place}) == {n}u && memcmp({helper}_data(&{place}), {}, {n}u) == 0, {path:?});",
                    c_bytes_literal(bytes),
                    n = bytes.len()
                )
                .unwrap();
            }
            (TyKind::Vec { element, .. }, Val::List(items)) => {
                let helper = Self::c_container(ty, package);
                let n = items.len();
                writeln!(out, "CHK({helper}_len(&{place}) == {n}u, \"{path}.len\");").unwrap();
                writeln!(out, "if ({helper}_len(&{place}) == {n}u) {{").unwrap();
                for (i, item) in items.iter().enumerate() {
                    self.c_check(
                        &format!("{place}.items[{i}]"),
                        element,
                        item,
                        package,
                        &format!("{path}[{i}]"),
                        out,
                    );
                }
                writeln!(out, "}}").unwrap();
            }
            (TyKind::Optional { value, .. }, Val::Opt(inner)) => {
                let helper = Self::c_container(ty, package);
                match inner {
                    None => {
                        writeln!(out, "CHK({helper}_get(&{place}) == NULL, {path:?});").unwrap()
                    }
                    Some(inner) => {
                        writeln!(out, "CHK({helper}_get(&{place}) != NULL, {path:?});").unwrap();
                        writeln!(out, "if ({place}.present) {{").unwrap();
                        self.c_check(&format!("{place}.value"), value, inner, package, path, out);
                        writeln!(out, "}}").unwrap();
                    }
                }
            }
            _ => unreachable!("{ty:?} {v:?}"),
        }
    }

    // ----- Python -----

    /// The value as `to_dict` returns it (and `from_dict` takes it).
    fn py_value(&self, ty: &Ty, v: &Val) -> String {
        match (&ty.kind, v) {
            (TyKind::Scalar { .. }, Val::Bool(b)) => if *b { "True" } else { "False" }.to_owned(),
            (TyKind::Scalar { .. }, Val::Int(i)) => i.to_string(),
            (TyKind::Scalar { .. }, Val::Float(f)) => float_text(*f),
            (TyKind::Named { name, .. }, _) => {
                let def = self.model.find_type(name).unwrap();
                match (&def.kind, v) {
                    (TypeKind::Enum(e), Val::Enum(i)) => py_str(&e.members[*i].name),
                    (TypeKind::Flags(e), Val::Flags(set)) => {
                        let names: Vec<String> =
                            set.iter().map(|&i| py_str(&e.members[i].name)).collect();
                        format!("[{}]", names.join(", "))
                    }
                    (TypeKind::Struct(s), Val::Struct(values)) => self.py_struct(s, values),
                    (TypeKind::Union(u), Val::Union(index, payload)) => {
                        self.py_union(u, *index, payload.as_deref())
                    }
                    _ => unreachable!(),
                }
            }
            (TyKind::Array { element, .. } | TyKind::Vec { element, .. }, Val::List(items)) => {
                let parts: Vec<String> = items.iter().map(|i| self.py_value(element, i)).collect();
                format!("[{}]", parts.join(", "))
            }
            (TyKind::String { .. }, Val::Str(text)) => py_str(text),
            (TyKind::Bytes { .. }, Val::Bytes(bytes)) => py_bytes(bytes),
            (TyKind::Optional { value, .. }, Val::Opt(inner)) => match inner {
                None => "None".to_owned(),
                Some(inner) => self.py_value(value, inner),
            },
            _ => unreachable!("{ty:?} {v:?}"),
        }
    }

    fn py_struct(&self, def: &StructDef, values: &[Val]) -> String {
        let parts: Vec<String> = def
            .fields
            .iter()
            .zip(values)
            .map(|(field, value)| {
                format!(
                    "{}: {}",
                    py_str(&field.name),
                    self.py_value(&field.ty, value)
                )
            })
            .collect();
        format!("{{{}}}", parts.join(", "))
    }

    fn py_union(&self, def: &UnionDef, index: usize, payload: Option<&Val>) -> String {
        let variant = &def.variants[index];
        let value = match (&variant.payload, payload) {
            (Some(ty), Some(value)) => self.py_value(ty, value),
            _ => "None".to_owned(),
        };
        format!("{{{}: {value}}}", py_str(&variant.name))
    }
}

fn join_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn flag_bits(members: &[interop_idl::model::Member], set: &[usize]) -> u64 {
    set.iter()
        .fold(0u64, |bits, &i| bits | members[i].value as u64)
}

// ---------------------------------------------------------------------------------------------
// Random schemas.

const FIELD_NAMES: &[&str] = &[
    "type", "match", "class", "None", "self", "goto", "def", "int", "fn", "async", "lambda",
    "struct", "yield", "loop", "ref", "where", "from", "await", "impl", "len", "data", "items",
    "tag", "payload", "present", "value", "speed", "name", "kind", "count", "dwell", "x", "yValue",
    "Z", "mode", "bits", "pose", "note", "extra",
];

const MEMBER_NAMES: &[&str] = &[
    "Idle", "Run", "None", "Self", "type", "Stop", "class", "Go", "Wait", "Fault", "Ok", "def",
];

const SCALARS: &[&str] = &[
    "bool", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64",
];

/// Distinct names drawn from `pool`, then `f<N>` when it runs out.
fn names_from(rng: &mut Rng, pool: &[&str], count: usize) -> Vec<String> {
    let mut pool: Vec<String> = pool.iter().map(|s| (*s).to_owned()).collect();
    rng.shuffle(&mut pool);
    (0..count)
        .map(|i| pool.get(i).cloned().unwrap_or_else(|| format!("f{i}")))
        .collect()
}

fn enum_text(rng: &mut Rng, name: &str, with_zero: bool) -> String {
    let repr = *rng.pick(&["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"]);
    let signed = repr.starts_with('i');
    let count = 2 + rng.below(3) as usize;
    let names = names_from(rng, MEMBER_NAMES, count);
    let mut start: i64 = if with_zero {
        0
    } else if signed && rng.chance(50) {
        -3
    } else {
        1 + rng.below(5) as i64
    };
    let mut members = Vec::new();
    for (i, member) in names.iter().enumerate() {
        if i == 0 {
            members.push(format!("{member} = {start}"));
        } else if rng.chance(30) {
            start += 5;
            members.push(format!("{member} = {start}"));
        } else {
            members.push(member.clone());
        }
        start += 1;
    }
    // A value that makes 0 a member when asked to, even after negative values.
    if with_zero && !members[0].ends_with("= 0") {
        unreachable!()
    }
    format!("enum {name}: {repr} {{ {} }}\n", members.join(", "))
}

fn flags_text(rng: &mut Rng, name: &str) -> String {
    let (repr, width) = *rng.pick(&[("u8", 8u32), ("u16", 16), ("u32", 32), ("u64", 64)]);
    let count = 2 + rng.below(3) as usize;
    let names = names_from(
        rng,
        &["A", "B", "Lift", "Camera", "type", "None", "Night"],
        count,
    );
    let mut bits: Vec<u32> = (0..width).collect();
    rng.shuffle(&mut bits);
    let mut chosen: Vec<u32> = bits[..count].to_vec();
    chosen[0] = width - 1; // the top bit
    chosen.sort_unstable();
    chosen.dedup();
    let members: Vec<String> = names
        .iter()
        .zip(&chosen)
        .map(|(n, b)| format!("{n} = {:#x}", 1u128 << b))
        .collect();
    format!("flags {name}: {repr} {{ {} }}\n", members.join(", "))
}

/// The schema files of random case `index`, and the roots to fill.
fn random_schema(index: usize) -> (Vec<(String, String)>, Vec<String>) {
    let mut rng = Rng::new(0xC0DE_0000 + index as u64);
    let main = format!("cf{index}.main");
    let dep = if index % 2 == 0 {
        format!("cf{index}.dep")
    } else {
        format!("cf{index}")
    };
    let inner_name = ["Inner", "type", "None", "class"][index % 4];
    let union_name = ["Choice", "match", "goto"][index % 3];
    // Half the schemas have enums without a zero member, used in vecs and optionals.
    let zero_enums = index % 2 == 0;

    let mut dep_text = format!("/// Imported by {main}.\npackage {dep};\n\n");
    dep_text += &enum_text(&mut rng, "DepMode", true);
    dep_text += &flags_text(&mut rng, "DepBits");
    let mut fields = Vec::new();
    for name in names_from(&mut rng, FIELD_NAMES, 3) {
        fields.push(format!("{name}: {}", rng.pick(SCALARS)));
    }
    fields.push(format!("label: string<{}>", 1 + rng.below(12)));
    fields.push("dep_mode: DepMode".to_owned());
    rng.shuffle(&mut fields);
    dep_text += &format!("struct DepPoint {{ {} }}\n", fields.join(", "));

    let mut text = format!(
        "/// Random conformance schema {index}.\npackage {main};\n\nimport \"dep.idl\";\n\n"
    );
    let cap = 2 + rng.below(4);
    text += &format!("const CAP: u32 = {cap};\n");
    text += &enum_text(&mut rng, "Mode", zero_enums);
    text += &flags_text(&mut rng, "Bits");
    let mut inner = Vec::new();
    for name in names_from(&mut rng, FIELD_NAMES, 4) {
        inner.push(format!("{name}: {}", rng.pick(SCALARS)));
    }
    inner.push(format!("text: string<{}>", 1 + rng.below(20)));
    inner.push("inner_mode: Mode".to_owned());
    inner.push("maybe: optional<u8>".to_owned());
    rng.shuffle(&mut inner);
    text += &format!("struct {inner_name} {{ {} }}\n", inner.join(", "));

    // The union: variants with and without payloads, tags explicit or implicit.
    let tag_repr = *rng.pick(&["u8", "u16", "u32", "i8", "i16", "i64"]);
    let mut variants: Vec<(String, Option<String>)> = vec![
        ("Nothing".into(), None),
        ("Num".into(), Some("i32".into())),
        (
            "Text".into(),
            Some(format!("string<{}>", 1 + rng.below(12))),
        ),
        ("Pt".into(), Some(format!("{dep}.DepPoint"))),
        ("Many".into(), Some("vec<u16, CAP>".into())),
        ("Grid".into(), Some("[[u8; 2]; 2]".into())),
        ("In".into(), Some(inner_name.to_owned())),
        ("None".into(), None),
        ("type".into(), Some("f64".into())),
    ];
    rng.shuffle(&mut variants);
    let mut tag: i64 = if tag_repr.starts_with('i') && rng.chance(40) {
        -2
    } else {
        rng.below(3) as i64
    };
    let parts: Vec<String> = variants
        .iter()
        .enumerate()
        .map(|(i, (name, payload))| {
            let head = match payload {
                Some(p) => format!("{name}({p})"),
                None => name.clone(),
            };
            if i == 0 {
                format!("{head} = {tag}")
            } else if rng.chance(50) {
                tag += 1;
                head
            } else {
                tag += 1 + rng.below(3) as i64;
                format!("{head} = {tag}")
            }
        })
        .collect();
    text += &format!(
        "union {union_name}: {tag_repr} {{ {} }}\n",
        parts.join(", ")
    );

    let dep_point = if rng.chance(50) {
        format!("{dep}.DepPoint")
    } else {
        "DepPoint".to_owned()
    };
    let mut types: Vec<String> = SCALARS.iter().map(|s| (*s).to_owned()).collect();
    types.extend([
        format!("string<{}>", 1 + rng.below(30)),
        format!("bytes<{}>", 1 + rng.below(30)),
        format!("vec<u32, {}>", 2 + rng.below(6)),
        format!("vec<{inner_name}, CAP>"),
        format!("vec<string<{}>, 3>", 1 + rng.below(8)),
        "optional<f64>".to_owned(),
        format!("optional<{inner_name}>"),
        format!("optional<string<{}>>", 1 + rng.below(9)),
        "optional<u8>".to_owned(),
        format!("[i16; {}]", 1 + rng.below(4)),
        "[[u8; 2]; 3]".to_owned(),
        format!("[{inner_name}; 2]"),
        "Mode".to_owned(),
        "Bits".to_owned(),
        union_name.to_owned(),
        union_name.to_owned(),
        format!("vec<{union_name}, 3>"),
        format!("optional<{union_name}>"),
        dep_point.clone(),
        format!("{dep}.DepMode"),
        "DepBits".to_owned(),
        format!("vec<{dep_point}, 3>"),
        "vec<Mode, 4>".to_owned(),
        "optional<Mode>".to_owned(),
        "vec<optional<string<5>>, 3>".to_owned(),
        "optional<vec<i8, 4>>".to_owned(),
        "[Mode; 2]".to_owned(),
        inner_name.to_owned(),
        "vec<[u8; 3], 2>".to_owned(),
        "optional<[u16; 2]>".to_owned(),
    ]);
    rng.shuffle(&mut types);
    let names = names_from(&mut rng, FIELD_NAMES, types.len());
    let root_fields: Vec<String> = names
        .iter()
        .zip(&types)
        .map(|(n, t)| format!("    {n}: {t},\n"))
        .collect();
    text += &format!(
        "\n/// Every kind of field.\nstruct Root {{\n{}}}\n",
        root_fields.concat()
    );
    text += &format!(
        "\nservice Svc {{\n    rpc call(a: u8, b: {union_name}, c: optional<{dep_point}>) -> (x: vec<Mode, 3>, y: f32);\n}}\n"
    );
    let roots = vec![
        format!("{main}.Root"),
        format!("{main}.{union_name}"),
        format!("{dep}.DepPoint"),
        format!("{main}.SvcCallRequest"),
        format!("{main}.SvcCallReply"),
    ];
    (
        vec![
            ("dep.idl".to_owned(), dep_text),
            ("main.idl".to_owned(), text),
        ],
        roots,
    )
}

// ---------------------------------------------------------------------------------------------
// The test.

const RANDOM_SCHEMAS: usize = 8;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

struct Schema {
    label: String,
    model: Model,
    roots: Vec<String>,
    seed: u64,
}

fn check(files: &[PathBuf]) -> Model {
    let compilation = check_files(files, &Options::default());
    let rendered = compilation.render_diagnostics(false);
    compilation
        .model
        .unwrap_or_else(|| panic!("the schema has errors:\n{rendered}"))
}

fn run(command: &mut Command, what: &str) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        output.status.success(),
        "{what}: {}\n{}\n{}",
        output.status,
        shorten(&String::from_utf8_lossy(&output.stdout)),
        shorten(&String::from_utf8_lossy(&output.stderr))
    );
    output
}

/// At most a few thousand characters of a program's output (hex dumps are long).
fn shorten(text: &str) -> String {
    const MOST: usize = 4000;
    if text.len() <= MOST {
        return text.to_owned();
    }
    let mut end = MOST;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} more bytes)", &text[..end], text.len() - end)
}

/// Writes `contents` unless the file already holds them, so that Cargo and the C compiler see
/// unchanged sources as unchanged.
fn write_if_changed(path: &Path, contents: impl AsRef<str>) {
    let contents = contents.as_ref();
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return;
    }
    std::fs::write(path, contents).unwrap();
}

/// `case hex` lines into a map (other lines are failures reported by the program).
fn parse_fill(text: &str, failures: &mut Vec<String>, lang: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for line in text.lines() {
        match line.split_once(' ') {
            Some((name, hex)) if !line.starts_with("FAIL") => {
                map.insert(name.to_owned(), hex.to_owned());
            }
            _ => failures.push(format!("{lang} fill: {line}")),
        }
    }
    map
}

/// The path of the field holding byte `offset` of a value of `ty`.
fn locate(model: &Model, ty: &Ty, offset: u64) -> String {
    match &ty.kind {
        TyKind::Named { name, .. } => match &model.find_type(name).unwrap().kind {
            TypeKind::Struct(s) => locate_struct(model, s, offset),
            TypeKind::Union(u) => {
                if offset >= u.payload_offset && offset < u.payload_offset + u.payload_size {
                    format!("(payload +{})", offset - u.payload_offset)
                } else if offset == 0 {
                    ".tag".to_owned()
                } else {
                    " (padding)".to_owned()
                }
            }
            _ => String::new(),
        },
        TyKind::Array { element, .. } => {
            let i = offset / element.size;
            format!("[{i}]{}", locate(model, element, offset - i * element.size))
        }
        TyKind::Vec {
            element,
            items_offset,
            ..
        } if offset >= *items_offset => {
            let i = (offset - items_offset) / element.size;
            format!(
                ".items[{i}]{}",
                locate(model, element, offset - items_offset - i * element.size)
            )
        }
        TyKind::Optional {
            value,
            value_offset,
        } if offset >= *value_offset => {
            format!(".value{}", locate(model, value, offset - value_offset))
        }
        TyKind::String { .. } | TyKind::Bytes { .. } if offset >= 4 => {
            format!(".data[{}]", offset - 4)
        }
        _ => String::new(),
    }
}

fn locate_struct(model: &Model, def: &StructDef, offset: u64) -> String {
    for field in &def.fields {
        if offset >= field.offset && offset < field.offset + field.ty.size {
            return format!(
                ".{}{}",
                field.name,
                locate(model, &field.ty, offset - field.offset)
            );
        }
    }
    " (padding)".to_owned()
}

fn first_difference(a: &str, b: &str) -> Option<u64> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return Some(a.len().min(b.len()) as u64 / 2);
    }
    (0..a.len()).find(|&i| a[i] != b[i]).map(|i| i as u64 / 2)
}

#[test]
fn rust_c_and_python_write_and_read_the_same_bytes() {
    let started = Instant::now();
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("conformance-tests");
    let work = base.join("work");
    let rust_dir = work.join("rust");
    let c_dir = work.join("c");
    let py_dir = work.join("py");
    for dir in [&rust_dir.join("src/generated"), &c_dir, &py_dir] {
        std::fs::create_dir_all(dir).unwrap();
    }

    // The schemas.
    let sample = workspace().join("samples/fleet/control.idl");
    let mut schemas = vec![Schema {
        label: "sample".to_owned(),
        model: check(&[sample]),
        roots: [
            "fleet.control.Vehicle",
            "fleet.control.Waypoint",
            "fleet.control.Order",
            "fleet.geometry.Zone",
            "fleet.geometry.Pose",
            "fleet.control.FleetControlDispatchRequest",
            "fleet.control.FleetControlInZoneReply",
            "fleet.control.FleetControlReportRequest",
            "fleet.control.FleetControlGetVehicleReply",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        seed: 1,
    }];
    for index in 0..RANDOM_SCHEMAS {
        let (files, roots) = random_schema(index);
        let dir = work.join("schemas").join(format!("random{index}"));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &files {
            write_if_changed(&dir.join(name), text);
        }
        schemas.push(Schema {
            label: format!("random{index}"),
            model: check(&[dir.join("main.idl")]),
            roots,
            seed: 1000 + index as u64,
        });
    }

    // Generated code, and the programs.
    let mut rust_modules: BTreeMap<Vec<String>, Option<String>> = BTreeMap::new();
    let mut c_includes = String::new();
    let mut py_imports = String::new();
    let mut rust_cases = String::new();
    let mut rust_table = String::new();
    let mut c_cases = String::new();
    let mut c_table = String::new();
    let mut py_cases = String::new();
    let mut case_types: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut case_number = 0usize;
    for (schema_index, schema) in schemas.iter().enumerate() {
        let model = &schema.model;
        for file in interop_codegen::generate(model, &Language::ALL) {
            let name = file.path.to_string_lossy().into_owned();
            if name.ends_with(".rs") {
                let segments: Vec<String> = name
                    .trim_end_matches(".rs")
                    .split('.')
                    .map(str::to_owned)
                    .collect();
                rust_modules.insert(segments, Some(name.clone()));
                write_if_changed(&rust_dir.join("src/generated").join(&name), &file.contents);
            } else if name.ends_with(".h") {
                writeln!(c_includes, "#include \"{name}\"").unwrap();
                write_if_changed(&c_dir.join(&name), &file.contents);
            } else {
                writeln!(py_imports, "import {}", name.trim_end_matches(".py")).unwrap();
                write_if_changed(&py_dir.join(&name), &file.contents);
            }
        }
        let mut chooser = Chooser {
            model,
            rng: Rng::new(schema.seed),
            optional_turn: 0,
            union_turn: 0,
        };
        let mut emitter = Emitter { model, counter: 0 };
        for qualified in &schema.roots {
            let root = find_root(model, qualified);
            let value = chooser.root(&root);
            let case = format!("{}/{}", schema.label, root.name);
            let n = case_number;
            case_number += 1;
            case_types.insert(case.clone(), (schema_index, qualified.clone()));
            let package = root.package.as_str();

            // Rust.
            let rust_path = format!(
                "{}::{}",
                Emitter::rust_package_path(package),
                rust_ident(&root.name)
            );
            let mut fill = String::new();
            let mut read = String::new();
            match (root.shape, &value) {
                (Shape::Struct(s), Val::Struct(values)) => {
                    emitter.rust_fill_struct("v", s, values, package, &mut fill);
                    emitter.rust_check_struct("v", s, values, package, "", &mut read);
                }
                (Shape::Union(u), Val::Union(index, payload)) => {
                    emitter.rust_fill_union("v", u, *index, payload.as_deref(), package, &mut fill);
                    emitter.rust_check_union(
                        "v",
                        &Emitter::rust_view_path(qualified),
                        u,
                        *index,
                        payload.as_deref(),
                        package,
                        "",
                        &mut read,
                    );
                }
                _ => unreachable!(),
            }
            writeln!(
                rust_cases,
                "fn fill_{n}() -> Vec<u8> {{\nlet mut v = {rust_path}::default();\n{fill}interop::zerocopy::IntoBytes::as_bytes(&v).to_vec()\n}}\n\n\
                 fn read_{n}(b: &[u8]) -> Result<(), String> {{\nlet v = interop::validate::view::<{rust_path}>(b).map_err(|e| format!(\"validation: {{e}}\"))?;\n{read}Ok(())\n}}\n"
            ).unwrap();
            writeln!(rust_table, "    ({case:?}, fill_{n}, read_{n}),").unwrap();

            // C.
            let c_type = format!("{}_{}", c_prefix(package), root.name);
            let mut fill = String::new();
            let mut read = String::new();
            match (root.shape, &value) {
                (Shape::Struct(s), Val::Struct(values)) => {
                    for (field, v) in s.fields.iter().zip(values) {
                        let place = format!("v->{}", c_ident(&field.name));
                        emitter.c_fill(&place, &field.ty, v, package, &mut fill);
                        let place = format!("r->{}", c_ident(&field.name));
                        emitter.c_check(&place, &field.ty, v, package, &field.name, &mut read);
                    }
                }
                (Shape::Union(u), Val::Union(index, payload)) => {
                    emitter.c_fill_union(
                        "(*v)",
                        qualified,
                        u,
                        *index,
                        payload.as_deref(),
                        &mut fill,
                    );
                    let variant = &u.variants[*index];
                    let tag = Emitter::c_macro(qualified, &variant.name);
                    let shown = format!("({})", variant.name);
                    writeln!(read, "CHK(r->tag == {tag}, {shown:?});").unwrap();
                    if let (Some(ty), Some(value)) = (&variant.payload, payload) {
                        writeln!(read, "if (r->tag == {tag}) {{").unwrap();
                        let inner = format!("r->payload.{}", c_ident(&variant.name));
                        emitter.c_check(&inner, ty, value, package, &shown, &mut read);
                        writeln!(read, "}}").unwrap();
                    }
                }
                _ => unreachable!(),
            }
            writeln!(
                c_cases,
                "static void fill_{n}(void) {{\n{c_type} *v = ({c_type} *)calloc(1, sizeof *v);\nif (v == NULL) {{ abort(); }}\n{fill}print_hex({case:?}, v, sizeof *v);\nfree(v);\n}}\n\n\
                 static int read_{n}(const unsigned char *b, size_t n, const char *lang) {{\nconst char *name = {case:?};\nint fails = 0;\n{c_type} *r;\nif (n != sizeof *r) {{ printf(\"FAIL %s %s c: size %zu, expected %zu\\n\", name, lang, n, sizeof *r); return 1; }}\nr = ({c_type} *)malloc(sizeof *r);\nif (r == NULL) {{ abort(); }}\nmemcpy(r, b, n);\n{read}free(r);\nreturn fails;\n}}\n"
            ).unwrap();
            writeln!(c_table, "    {{{case:?}, fill_{n}, read_{n}}},").unwrap();

            // Python.
            let expected = match (root.shape, &value) {
                (Shape::Struct(s), Val::Struct(values)) => emitter.py_struct(s, values),
                (Shape::Union(u), Val::Union(index, payload)) => {
                    emitter.py_union(u, *index, payload.as_deref())
                }
                _ => unreachable!(),
            };
            writeln!(
                py_cases,
                "    ({case:?}, {:?}, {:?}, {}, {expected}),",
                c_prefix(package),
                python_global(&root.name),
                if matches!(root.shape, Shape::Union(_)) {
                    "True"
                } else {
                    "False"
                }
            )
            .unwrap();
        }
    }

    // The Rust crate.
    let mut modules = String::new();
    emit_rust_modules(&rust_modules, &[], &mut modules);
    let main_rs = format!("{RUST_HEAD}\n{modules}\n{rust_cases}\nconst CASES: &[(&str, fn() -> Vec<u8>, fn(&[u8]) -> Result<(), String>)] = &[\n{rust_table}];\n\n{RUST_MAIN}");
    write_if_changed(&rust_dir.join("src/main.rs"), main_rs);
    let runtime = workspace().join("runtime");
    write_if_changed(&
        rust_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"conformance\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\ninterop = {{ path = {:?} }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    );
    write_if_changed(
        &rust_dir.join("Cargo.lock"),
        std::fs::read_to_string(workspace().join("Cargo.lock")).unwrap(),
    );

    // The C program.
    let c_source = format!(
        "{C_HEAD}\n{c_includes}\n{C_SUPPORT}\n{c_cases}\nstatic const struct {{ const char *name; void (*fill)(void); int (*read)(const unsigned char *, size_t, const char *); }} CASES[] = {{\n{c_table}}};\n\n{C_MAIN}"
    );
    write_if_changed(&c_dir.join("conformance.c"), c_source);

    // The Python script.
    let py_source = format!(
        "import sys\nsys.path.insert(0, {:?})\n{py_imports}\nCASES = [\n{py_cases}]\n\n{PY_MAIN}",
        py_dir.display().to_string()
    );
    write_if_changed(&py_dir.join("conformance.py"), py_source);
    eprintln!(
        "conformance: {} cases from {} schemas written in {:.1?}",
        case_number,
        schemas.len(),
        started.elapsed()
    );

    // Build: the C compiler runs while Cargo builds.
    let c_exe = c_dir.join("conformance");
    let gcc = Command::new("gcc")
        .args([
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-O0",
            "-o",
        ])
        .arg(&c_exe)
        .arg(c_dir.join("conformance.c"))
        .arg("-I")
        .arg(&c_dir)
        // Headers of packages with services include the runtime's interop.h.
        .arg("-I")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/include"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gcc runs");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = base.join("target");
    run(
        Command::new(&cargo)
            .args(["build", "--offline", "--quiet"])
            .current_dir(&rust_dir)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("RUSTC_WRAPPER")
            .env_remove("RUSTC_WORKSPACE_WRAPPER"),
        "cargo build of the Rust conformance program",
    );
    let gcc = gcc.wait_with_output().unwrap();
    assert!(
        gcc.status.success(),
        "gcc {}:\n{}",
        c_dir.join("conformance.c").display(),
        String::from_utf8_lossy(&gcc.stderr)
    );
    let rust_exe = target.join("debug/conformance");
    eprintln!("conformance: built in {:.1?}", started.elapsed());

    // Fill.
    let mut failures = Vec::new();
    let rust_out = run(Command::new(&rust_exe).arg("fill"), "Rust fill");
    let c_out = run(Command::new(&c_exe).arg("fill"), "C fill");
    let py_out = run(
        Command::new("python3")
            .arg(py_dir.join("conformance.py"))
            .arg("fill"),
        "Python fill",
    );
    let writers = [
        (
            "rust",
            parse_fill(
                &String::from_utf8_lossy(&rust_out.stdout),
                &mut failures,
                "rust",
            ),
        ),
        (
            "c",
            parse_fill(&String::from_utf8_lossy(&c_out.stdout), &mut failures, "c"),
        ),
        (
            "python",
            parse_fill(
                &String::from_utf8_lossy(&py_out.stdout),
                &mut failures,
                "python",
            ),
        ),
    ];

    // Compare.
    for (case, (schema_index, qualified)) in &case_types {
        let model = &schemas[*schema_index].model;
        let c = writers[1].1.get(case);
        for (lang, map) in [&writers[0], &writers[2]] {
            let (Some(theirs), Some(c)) = (map.get(case), c) else {
                failures.push(format!("{case}: no bytes from {lang} or c"));
                continue;
            };
            if let Some(offset) = first_difference(theirs, c) {
                let root_ty = Ty {
                    kind: TyKind::Named {
                        name: qualified.clone(),
                        kind: interop_idl::model::NamedKind::Struct,
                    },
                    size: 0,
                    align: 0,
                };
                let field = match find_root(model, qualified).shape {
                    Shape::Struct(s) => locate_struct(model, s, offset),
                    Shape::Union(_) => locate(model, &root_ty, offset),
                };
                let message = format!(
                    "{case} {lang} bytes differ from C bytes at offset {offset} ({}{field})",
                    qualified
                );
                failures.push(message);
            }
        }
    }

    // Read: every language reads every language's bytes.
    let mut input = String::new();
    for (lang, map) in &writers {
        for (case, hex) in map {
            writeln!(input, "{case} {lang} {hex}").unwrap();
        }
    }
    let input_path = work.join("bytes.txt");
    std::fs::write(&input_path, &input).unwrap();
    let readers = [
        (
            "rust",
            Command::new(&rust_exe)
                .arg("read")
                .arg(&input_path)
                .output(),
        ),
        (
            "c",
            Command::new(&c_exe).arg("read").arg(&input_path).output(),
        ),
        (
            "python",
            Command::new("python3")
                .arg(py_dir.join("conformance.py"))
                .arg("read")
                .arg(&input_path)
                .output(),
        ),
    ];
    for (reader, output) in readers {
        let output = output.unwrap_or_else(|e| panic!("{reader} reader: {e}"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut read = 0;
        for line in stdout.lines() {
            if line.starts_with("FAIL") {
                failures.push(format!("{reader} reader: {line}"));
            } else if let Some(count) = line.strip_prefix("READ ") {
                read = count.trim().parse().unwrap_or(0);
            }
        }
        if !output.status.success() && !stdout.contains("FAIL") {
            failures.push(format!(
                "{reader} reader: {}\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        if read != 3 * case_number {
            failures.push(format!(
                "{reader} reader read {read} buffers, expected {}",
                3 * case_number
            ));
        }
    }
    eprintln!(
        "conformance: {case_number} cases, 3 writers, 3 readers, {:.1?} in all (files in {})",
        started.elapsed(),
        work.display()
    );
    let mut unexpected = Vec::new();
    let mut matched = vec![false; KNOWN.len()];
    for failure in &failures {
        let known = KNOWN.iter().position(|(case, text, _)| {
            (*case == "*" || failure.contains(&format!("{case} "))) && failure.contains(text)
        });
        match known {
            Some(index) => {
                matched[index] = true;
                eprintln!("conformance: known ({}): {failure}", KNOWN[index].2);
            }
            None => unexpected.push(failure.clone()),
        }
    }
    for (index, (case, _, why)) in KNOWN.iter().enumerate() {
        if !matched[index] {
            eprintln!("conformance: note: known failure `{why}` ({case}) did not occur: remove it from KNOWN");
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} failures (reproduce with the files in {}):\n{}",
        unexpected.len(),
        work.display(),
        unexpected.join("\n")
    );
}

/// `pub mod` blocks nesting the packages, each including its generated file.
fn emit_rust_modules(
    modules: &BTreeMap<Vec<String>, Option<String>>,
    prefix: &[String],
    out: &mut String,
) {
    if let Some(Some(file)) = modules.get(prefix) {
        writeln!(out, "include!(\"generated/{file}\");").unwrap();
    }
    let mut children: Vec<&String> = modules
        .keys()
        .filter(|k| k.len() > prefix.len() && k.starts_with(prefix))
        .map(|k| &k[prefix.len()])
        .collect();
    children.dedup();
    for child in children {
        let mut path = prefix.to_vec();
        path.push(child.clone());
        writeln!(out, "pub mod {} {{", rust_ident(child)).unwrap();
        emit_rust_modules(modules, &path, out);
        writeln!(out, "}}").unwrap();
    }
}

const RUST_HEAD: &str = r#"//! Generated by codegen/tests/conformance.rs: fills and reads every case.
#![allow(warnings, clippy::all)]

macro_rules! chk {
    ($cond:expr, $path:expr) => {
        if !($cond) {
            return Err(format!("field {} differs", $path));
        }
    };
}
"#;

const RUST_MAIN: &str = r#"
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

fn work() {
    let args: Vec<String> = std::env::args().collect();
    match args[1].as_str() {
        "fill" => {
            for (name, fill, _) in CASES {
                println!("{name} {}", hex(&fill()));
            }
        }
        "read" => {
            let text = std::fs::read_to_string(&args[2]).unwrap();
            let mut count = 0;
            for line in text.lines() {
                let mut parts = line.split(' ');
                let (name, lang, hex) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
                let Some((_, _, read)) = CASES.iter().find(|(n, _, _)| *n == name) else {
                    println!("FAIL {name} {lang} rust: unknown case");
                    continue;
                };
                let bytes = unhex(hex);
                // An 8-aligned copy: `view` checks alignment as zerocopy does.
                let mut aligned = vec![0u64; bytes.len() / 8 + 1];
                let buffer = &mut interop::zerocopy::IntoBytes::as_mut_bytes(&mut aligned[..])[..bytes.len()];
                buffer.copy_from_slice(&bytes);
                count += 1;
                if let Err(error) = read(buffer) {
                    println!("FAIL {name} {lang} rust: {error}");
                }
            }
            println!("READ {count}");
        }
        other => panic!("unknown mode {other}"),
    }
}

fn main() {
    // Deep debug-mode expressions of large values want a large stack.
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(work)
        .unwrap()
        .join()
        .unwrap();
}
"#;

const C_HEAD: &str = r#"/* Generated by codegen/tests/conformance.rs: fills and reads every case. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
"#;

const C_SUPPORT: &str = r#"
#define CHK(cond, path) do { if (!(cond)) { printf("FAIL %s %s c: field %s differs\n", name, lang, path); fails++; } } while (0)

static void print_hex(const char *name, const void *data, size_t size) {
    const unsigned char *bytes = (const unsigned char *)data;
    size_t i;
    printf("%s ", name);
    for (i = 0; i < size; i++) {
        printf("%02x", bytes[i]);
    }
    printf("\n");
}
"#;

const C_MAIN: &str = r#"
static int unhex(int c) {
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

int main(int argc, char **argv) {
    size_t count = sizeof CASES / sizeof CASES[0];
    size_t i;
    if (argc >= 2 && strcmp(argv[1], "fill") == 0) {
        for (i = 0; i < count; i++) {
            CASES[i].fill();
        }
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "read") == 0) {
        FILE *file = fopen(argv[2], "rb");
        char *text;
        long size;
        char *line;
        int fails = 0;
        int read = 0;
        if (file == NULL) { perror("open"); return 2; }
        fseek(file, 0, SEEK_END);
        size = ftell(file);
        fseek(file, 0, SEEK_SET);
        text = (char *)malloc((size_t)size + 1);
        if (text == NULL || fread(text, 1, (size_t)size, file) != (size_t)size) { return 2; }
        text[size] = 0;
        fclose(file);
        for (line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
            char *name = line;
            char *lang = strchr(name, ' ');
            char *hex;
            size_t n, j;
            unsigned char *bytes;
            if (lang == NULL) { continue; }
            *lang++ = 0;
            hex = strchr(lang, ' ');
            if (hex == NULL) { continue; }
            *hex++ = 0;
            n = strlen(hex) / 2;
            bytes = (unsigned char *)malloc(n + 1);
            if (bytes == NULL) { return 2; }
            for (j = 0; j < n; j++) {
                bytes[j] = (unsigned char)(unhex(hex[2 * j]) * 16 + unhex(hex[2 * j + 1]));
            }
            for (i = 0; i < count; i++) {
                if (strcmp(CASES[i].name, name) == 0) {
                    fails += CASES[i].read(bytes, n, lang);
                    read++;
                    break;
                }
            }
            if (i == count) { printf("FAIL %s %s c: unknown case\n", name, lang); fails++; }
            free(bytes);
        }
        free(text);
        printf("READ %d\n", read);
        return fails == 0 ? 0 : 1;
    }
    fprintf(stderr, "usage: conformance fill | read FILE\n");
    return 2;
}
"#;

const PY_MAIN: &str = r#"
import ctypes
import importlib


def difference(path, got, want):
    """The first path where got and want differ, or None."""
    if isinstance(want, dict) and isinstance(got, dict):
        if list(got) != list(want):
            return f"{path}: keys {list(got)} != {list(want)}"
        for key in want:
            found = difference(f"{path}.{key}", got[key], want[key])
            if found:
                return found
        return None
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return f"{path}: {len(got)} items, expected {len(want)}"
        for index, (g, w) in enumerate(zip(got, want)):
            found = difference(f"{path}[{index}]", g, w)
            if found:
                return found
        return None
    if type(got) is not type(want) or got != want:
        return f"{path}: {got!r} != {want!r}"
    return None


def find(module, name):
    return getattr(importlib.import_module(module), name)


def fill():
    for case, module, name, is_union, data in CASES:
        cls = find(module, name)
        value = cls.from_dict(data)
        if not is_union:
            try:
                by_keywords = cls(**data)
            except Exception as error:
                print(f"FAIL {case} python: keyword construction raised {error!r}")
            else:
                if bytes(by_keywords) != bytes(value):
                    print(f"FAIL {case} python: keyword construction and from_dict give different bytes")
        print(case, bytes(value).hex())


def read(path):
    cases = {case: (module, name, data) for case, module, name, _, data in CASES}
    count = 0
    failed = False
    with open(path) as lines:
        for line in lines:
            case, lang, text = line.split()
            module, name, data = cases[case]
            cls = find(module, name)
            raw = bytes.fromhex(text)
            count += 1
            if len(raw) != ctypes.sizeof(cls):
                print(f"FAIL {case} {lang} python: size {len(raw)}, expected {ctypes.sizeof(cls)}")
                failed = True
                continue
            try:
                got = cls.from_buffer_copy(raw).to_dict()
            except Exception as error:
                print(f"FAIL {case} {lang} python: to_dict raised {error!r}")
                failed = True
                continue
            found = difference("", got, data)
            if found:
                print(f"FAIL {case} {lang} python: {found}")
                failed = True
    print(f"READ {count}")
    return failed


if sys.argv[1] == "fill":
    fill()
else:
    sys.exit(1 if read(sys.argv[2]) else 0)
"#;
