//! The layout engine against a C compiler.
//!
//! For every checked model, a C11 translation unit is generated: each declared type, each
//! inline container (`string<N>`, `bytes<N>`, `vec<T, N>`, `optional<T>`, arrays) and each
//! generated message becomes a C type built from the model's *type structure* (`TyKind` and
//! field order only), followed by `_Static_assert`s that compare gcc's `sizeof`, `_Alignof`
//! and `offsetof` with the sizes, alignments and offsets the model computed. gcc derives the
//! layout on its own, so the two must agree byte for byte, as `docs/IDL.md` §Layout promises.
//!
//! The property test generates random valid schemas and also checks that the model's type
//! structure is exactly the one written in the schema, so that the C declarations describe
//! what the schema says and not merely what the checker understood.
//!
//! Requires `gcc` (a C11 compiler targeting a 64-bit ABI where `uint64_t` and `double` are
//! 8-byte aligned, such as x86-64 or AArch64); the tests fail when it is missing.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use interop_idl::model::{
    Message, NamedKind, Padding, Scalar, StructDef, Ty, TyKind, TypeDef, TypeKind,
};
use interop_idl::{check_sources, MemoryLoader, Model, Options};
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------------
// C from the model
// ---------------------------------------------------------------------------------------------

/// The C type of a scalar.
fn c_scalar(scalar: Scalar) -> &'static str {
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

/// A C identifier for a dotted IDL name, under a prefix that keeps every kind of generated
/// name apart (`t_` types, `p_` union payloads, `c_` containers, `m_` messages).
fn c_name(prefix: &str, dotted: &str) -> String {
    format!("{prefix}{}", dotted.replace('.', "__"))
}

/// The C member name of a field or variant. The prefix keeps IDL names that are C keywords
/// (`int`, `struct`, `_Bool`), macros of the standard headers (`bool`, `true`, `NULL`,
/// `offsetof`) or reserved identifiers out of C's way, and it cannot make two names collide.
fn c_member(prefix: &str, name: &str) -> String {
    format!("{prefix}{name}")
}

/// Writes C declarations and static assertions for a model.
struct CEmitter<'m> {
    types: HashMap<&'m str, &'m TypeDef>,
    emitted: HashSet<&'m str>,
    containers: HashMap<String, String>,
    out: String,
    asserts: usize,
}

impl<'m> CEmitter<'m> {
    fn new(model: &'m Model) -> Self {
        let types = model
            .packages
            .iter()
            .flat_map(|package| &package.types)
            .map(|ty| (ty.qualified_name.as_str(), ty))
            .collect();
        let mut out = String::new();
        out.push_str("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
        out.push_str("_Static_assert(sizeof(bool) == 1, \"bool is one byte\");\n");
        out.push_str("_Static_assert(sizeof(float) == 4, \"float is four bytes\");\n");
        out.push_str("_Static_assert(sizeof(double) == 8, \"double is eight bytes\");\n\n");
        CEmitter {
            types,
            emitted: HashSet::new(),
            containers: HashMap::new(),
            out,
            asserts: 0,
        }
    }

    /// The whole translation unit for `model`.
    fn translation_unit(model: &'m Model) -> (String, usize) {
        let mut emitter = CEmitter::new(model);
        for package in &model.packages {
            for ty in &package.types {
                emitter.declared(&ty.qualified_name);
            }
            for service in &package.services {
                for method in &service.methods {
                    for message in [&method.params, &method.results].into_iter().flatten() {
                        emitter.message(&package.name, message);
                    }
                }
            }
        }
        (emitter.out, emitter.asserts)
    }

    fn assert_eq(&mut self, expr: &str, value: u64, what: &str) {
        writeln!(
            self.out,
            "_Static_assert({expr} == {value}u, \"{}\");",
            what.replace('\\', "\\\\").replace('"', "\\\"")
        )
        .unwrap();
        self.asserts += 1;
    }

    /// Asserts `sizeof` and `_Alignof` of a C type.
    fn assert_extent(&mut self, c_type: &str, size: u64, align: u64, what: &str) {
        self.assert_eq(&format!("sizeof({c_type})"), size, &format!("{what}: size"));
        self.assert_eq(
            &format!("_Alignof({c_type})"),
            align,
            &format!("{what}: alignment"),
        );
    }

    /// The C type of a field, variant or element type, declaring whatever it needs first.
    fn ty(&mut self, ty: &'m Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => c_scalar(*scalar).to_owned(),
            TyKind::Named { name, kind } => {
                let declared = self.declared(name);
                let actual = match &self.types[name.as_str()].kind {
                    TypeKind::Struct(_) => NamedKind::Struct,
                    TypeKind::Enum(_) => NamedKind::Enum,
                    TypeKind::Flags(_) => NamedKind::Flags,
                    TypeKind::Union(_) => NamedKind::Union,
                };
                assert_eq!(*kind, actual, "the kind recorded for a use of `{name}`");
                declared
            }
            _ => self.container(ty),
        }
    }

    /// A typedef for an inline container or array (one per distinct type), with assertions.
    fn container(&mut self, ty: &'m Ty) -> String {
        let key = ty.to_string();
        if let Some(name) = self.containers.get(&key) {
            return name.clone();
        }
        // The parts first: they may declare containers of their own.
        let part = match &ty.kind {
            TyKind::Array { element, .. } | TyKind::Vec { element, .. } => self.ty(element),
            TyKind::Optional { value, .. } => self.ty(value),
            _ => String::new(),
        };
        let name = format!("c_{}", self.containers.len());
        let what = format!("`{key}`");
        let mut inner = Vec::new();
        let declaration = match &ty.kind {
            TyKind::Array { len, .. } => format!("typedef {part} {name}[{len}];"),
            TyKind::String { capacity } | TyKind::Bytes { capacity } => {
                inner.push(("data", interop_idl::model::STRING_DATA_OFFSET));
                format!("typedef struct {{ uint32_t len; uint8_t data[{capacity}]; }} {name};")
            }
            TyKind::Vec {
                capacity,
                items_offset,
                ..
            } => {
                inner.push(("items", *items_offset));
                format!("typedef struct {{ uint32_t len; {part} items[{capacity}]; }} {name};")
            }
            TyKind::Optional { value_offset, .. } => {
                inner.push(("value", *value_offset));
                format!("typedef struct {{ bool present; {part} value; }} {name};")
            }
            TyKind::Scalar { .. } | TyKind::Named { .. } => unreachable!("not a container"),
        };
        writeln!(self.out, "{declaration}").unwrap();
        self.assert_extent(&name, ty.size, ty.align, &what);
        for (member, offset) in inner {
            self.assert_eq(
                &format!("offsetof({name}, {member})"),
                offset,
                &format!("{what}: offset of {member}"),
            );
        }
        self.out.push('\n');
        self.containers.insert(key, name.clone());
        name
    }

    /// The C name of a declared type, declaring it (and what it uses) on first use.
    fn declared(&mut self, qualified_name: &'m str) -> String {
        let name = c_name("t_", qualified_name);
        if !self.emitted.insert(qualified_name) {
            return name;
        }
        let def = *self
            .types
            .get(qualified_name)
            .unwrap_or_else(|| panic!("`{qualified_name}` is used but not declared"));
        let what = format!("{} {qualified_name}", def.kind.keyword());
        match &def.kind {
            TypeKind::Enum(enum_def) | TypeKind::Flags(enum_def) => {
                writeln!(self.out, "typedef {} {name};", c_scalar(enum_def.repr)).unwrap();
                self.assert_extent(&name, def.size, def.align, &what);
            }
            TypeKind::Struct(struct_def) => {
                self.structure(&name, struct_def, def.size, def.align, &what);
            }
            TypeKind::Union(union_def) => {
                let tag = c_scalar(union_def.tag);
                let mut members = Vec::new();
                for variant in &union_def.variants {
                    if let Some(payload) = &variant.payload {
                        let c_type = self.ty(payload);
                        let what = format!("{what}, variant {}", variant.name);
                        self.assert_extent(&c_type, payload.size, payload.align, &what);
                        members.push(format!("{c_type} {};", c_member("v_", &variant.name)));
                    }
                }
                if members.is_empty() {
                    writeln!(self.out, "typedef struct {{ {tag} tag; }} {name};").unwrap();
                    // No payload: it would sit right after the tag and take no room.
                    self.assert_eq(
                        &format!("sizeof({tag})"),
                        union_def.payload_offset,
                        &format!("{what}: payload offset"),
                    );
                    assert_eq!(union_def.payload_size, 0, "{what}: payload size");
                } else {
                    let payload = c_name("p_", qualified_name);
                    writeln!(
                        self.out,
                        "typedef union {{ {} }} {payload};",
                        members.join(" ")
                    )
                    .unwrap();
                    writeln!(
                        self.out,
                        "typedef struct {{ {tag} tag; {payload} payload; }} {name};"
                    )
                    .unwrap();
                    self.assert_eq(
                        &format!("offsetof({name}, tag)"),
                        0,
                        &format!("{what}: tag offset"),
                    );
                    self.assert_eq(
                        &format!("offsetof({name}, payload)"),
                        union_def.payload_offset,
                        &format!("{what}: payload offset"),
                    );
                    self.assert_eq(
                        &format!("sizeof({payload})"),
                        union_def.payload_size,
                        &format!("{what}: payload size"),
                    );
                }
                self.assert_extent(&name, def.size, def.align, &what);
                check_padding(
                    &[
                        (0, union_def.tag.size()),
                        (union_def.payload_offset, union_def.payload_size),
                    ],
                    def.size,
                    &union_def.padding,
                    &what,
                );
            }
        }
        self.out.push('\n');
        name
    }

    /// A struct typedef with assertions on every field.
    fn structure(&mut self, name: &str, def: &'m StructDef, size: u64, align: u64, what: &str) {
        let mut members = Vec::new();
        for field in &def.fields {
            let c_type = self.ty(&field.ty);
            members.push((c_type, c_member("f_", &field.name)));
        }
        let body: String = members
            .iter()
            .map(|(c_type, member)| format!(" {c_type} {member};"))
            .collect();
        writeln!(self.out, "typedef struct {{{body} }} {name};").unwrap();
        for (field, (c_type, member)) in def.fields.iter().zip(&members) {
            let what = format!("{what}, field {}", field.name);
            self.assert_eq(
                &format!("offsetof({name}, {member})"),
                field.offset,
                &format!("{what}: offset"),
            );
            self.assert_extent(c_type, field.ty.size, field.ty.align, &what);
        }
        self.assert_extent(name, size, align, what);
        let extents: Vec<(u64, u64)> = def
            .fields
            .iter()
            .map(|field| (field.offset, field.ty.size))
            .collect();
        check_padding(&extents, size, &def.padding, what);
    }

    fn message(&mut self, package: &str, message: &'m Message) {
        let name = c_name("m_", &format!("{package}.{}", message.name));
        let what = format!("message {package}.{}", message.name);
        self.structure(&name, &message.layout, message.size, message.align, &what);
        self.out.push('\n');
    }
}

/// The model's padding must be exactly the gaps its parts leave (parts given in order as
/// `(offset, size)`); with gcc agreeing on the offsets and sizes, these are C's gaps too.
fn check_padding(parts: &[(u64, u64)], size: u64, padding: &[Padding], what: &str) {
    let mut expected = Vec::new();
    let mut end = 0;
    for &(offset, part_size) in parts.iter().chain([&(size, 0)]) {
        assert!(offset >= end, "{what}: parts overlap at offset {offset}");
        if offset > end {
            expected.push(Padding {
                offset: end,
                size: offset - end,
            });
        }
        end = offset + part_size;
    }
    assert_eq!(padding, expected.as_slice(), "{what}: padding");
}

/// Compiles C source with gcc; `Err` holds gcc's complaints.
fn gcc(source: &str) -> Result<(), String> {
    let mut child = Command::new("gcc")
        .args([
            "-std=c11",
            "-fsyntax-only",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-x",
            "c",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("cannot run gcc (required by this test; install it): {error}")
        });
    let mut stdin = child.stdin.take().expect("piped stdin");
    let source = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(source.as_bytes()));
    let output = child.wait_with_output().expect("gcc runs");
    writer
        .join()
        .expect("writer thread")
        .expect("source written to gcc");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "gcc failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Generates C for `model`, compiles it, and says what went wrong if anything did.
fn compare_with_gcc(model: &Model) -> Result<usize, String> {
    let (source, asserts) = CEmitter::translation_unit(model);
    gcc(&source).map_err(|error| format!("{error}\n--- C source ---\n{source}"))?;
    Ok(asserts)
}

// ---------------------------------------------------------------------------------------------
// The sample schemas
// ---------------------------------------------------------------------------------------------

#[test]
fn fleet_sample_layout_matches_gcc() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/fleet/control.idl");
    let compilation = interop_idl::check_files(&[path], &Options::default());
    let model = compilation
        .model
        .as_ref()
        .unwrap_or_else(|| panic!("{}", compilation.render_diagnostics(false)));
    let asserts = compare_with_gcc(model).unwrap_or_else(|error| panic!("{error}"));
    // Both packages (control and the geometry it imports), every type and every message.
    assert_eq!(model.packages.len(), 2);
    assert!(asserts > 150, "only {asserts} assertions");
}

#[test]
fn emitter_catches_a_wrong_offset() {
    // The comparison is only worth something if a wrong number makes gcc fail.
    let mut files = MemoryLoader::new();
    files.insert(
        "s.idl",
        "package demo; struct S { a: u8, b: string<5>, c: f64 }",
    );
    let compilation = check_sources(&["s.idl"], &files, &Options::default());
    let mut model = compilation.model.expect("valid schema");
    compare_with_gcc(&model).unwrap_or_else(|error| panic!("{error}"));
    let TypeKind::Struct(def) = &mut model.packages[0].types[0].kind else {
        panic!("a struct");
    };
    // `c` moved from 16 to 24, the padding and size moved along: consistent, but wrong.
    def.fields[2].offset = 24;
    def.padding = vec![
        Padding { offset: 1, size: 3 },
        Padding {
            offset: 16,
            size: 8,
        },
    ];
    model.packages[0].types[0].size = 32;
    let error = compare_with_gcc(&model).expect_err("gcc must see the wrong offset");
    assert!(error.contains("struct demo.S, field c: offset"), "{error}");
    assert!(error.contains("struct demo.S: size"), "{error}");
    // Padding that disagrees with the fields is caught before gcc runs.
    let TypeKind::Struct(def) = &mut model.packages[0].types[0].kind else {
        unreachable!()
    };
    def.padding.pop();
    let refused = std::panic::catch_unwind(|| CEmitter::translation_unit(&model));
    assert!(refused.is_err(), "inconsistent padding should be refused");
}

// ---------------------------------------------------------------------------------------------
// Random schemas
// ---------------------------------------------------------------------------------------------

/// A length as written: a literal, or one of the constants `C0 = 1`, `C1 = 2`, `C2 = 3`.
#[derive(Clone, Copy, Debug)]
enum Len {
    Lit(u64),
    Const(usize),
}

impl Len {
    fn value(self) -> u64 {
        match self {
            Len::Lit(n) => n,
            Len::Const(index) => index as u64 + 1,
        }
    }

    fn written(self) -> String {
        match self {
            Len::Lit(n) if n % 2 == 0 => format!("{n:#x}"),
            Len::Lit(n) => n.to_string(),
            Len::Const(index) => format!("C{index}"),
        }
    }
}

const CONSTS: &str = "const C0: u32 = 1;\nconst C1: u32 = C0 + 1;\nconst C2: u32 = (C1 * 3) / 2;\n";

/// A type as written in a random schema.
#[derive(Clone, Debug)]
enum GenTy {
    Scalar(Scalar),
    /// One of the types declared before the one using it, picked modulo their number.
    Named(usize),
    Array(Box<GenTy>, Len),
    String(Len),
    Bytes(Len),
    Vec(Box<GenTy>, Len),
    Optional(Box<GenTy>),
}

#[derive(Clone, Debug)]
enum GenDecl {
    Struct(Vec<(usize, GenTy)>),
    Union(Option<Scalar>, Vec<(usize, Option<GenTy>)>),
    Enum(Option<Scalar>, usize),
    Flags(Option<Scalar>, usize),
}

#[derive(Clone, Debug)]
struct GenSchema {
    package: &'static str,
    decls: Vec<(bool, GenDecl)>,
    /// Parameter, result and event types of a service, and whether the rpc returns `-> T`.
    service: Option<(GenTy, GenTy, GenTy, bool)>,
}

const INTEGERS: [Scalar; 8] = [
    Scalar::U8,
    Scalar::U16,
    Scalar::U32,
    Scalar::U64,
    Scalar::I8,
    Scalar::I16,
    Scalar::I32,
    Scalar::I64,
];
const UNSIGNED: [Scalar; 4] = [Scalar::U8, Scalar::U16, Scalar::U32, Scalar::U64];

/// Member names that trouble C: keywords, macros of the standard headers, typedef names,
/// names the generated C uses itself, and IDL keywords that are contextual.
const MEMBER_NAMES: &[&str] = &[
    "type",
    "match",
    "int",
    "char",
    "struct",
    "union",
    "static",
    "default",
    "bool",
    "true",
    "false",
    "string",
    "bytes",
    "vec",
    "optional",
    "error",
    "event",
    "rpc",
    "service",
    "const",
    "enum",
    "flags",
    "import",
    "package",
    "offsetof",
    "NULL",
    "len",
    "data",
    "items",
    "present",
    "value",
    "tag",
    "payload",
    "_Bool",
    "register",
    "do",
    "if",
    "while",
    "sizeof",
    "typedef",
    "volatile",
    "unsigned",
    "long",
    "double",
    "void",
    "extern",
    "inline",
    "restrict",
    "goto",
    "switch",
    "case",
    "_Alignof",
    "_Static_assert",
    "uint8_t",
    "size_t",
    "INT8_MAX",
    "u8",
    "f64",
    "x",
];

/// Type names (valid in the IDL) that are C keywords or otherwise awkward in C.
const TYPE_NAMES: &[&str] = &[
    "int", "struct", "char", "union", "static", "type", "match", "_Bool", "size_t", "NULL",
];

const PACKAGES: &[&str] = &["gen", "int.struct", "a.b_c.d9", "layout.static_"];

fn len() -> impl Strategy<Value = Len> {
    prop_oneof![
        3 => (1u64..=4).prop_map(Len::Lit),
        1 => (0usize..3).prop_map(Len::Const),
    ]
}

fn gen_ty() -> impl Strategy<Value = GenTy> {
    let leaf = prop_oneof![
        5 => select(Scalar::ALL.to_vec()).prop_map(GenTy::Scalar),
        3 => (0usize..8).prop_map(GenTy::Named),
        1 => (1u64..=12).prop_map(|n| GenTy::String(Len::Lit(n))),
        1 => len().prop_map(GenTy::Bytes),
    ];
    let nested = leaf.clone().prop_recursive(3, 8, 1, |inner| {
        prop_oneof![
            (inner.clone(), len()).prop_map(|(element, n)| GenTy::Array(Box::new(element), n)),
            (inner.clone(), len()).prop_map(|(element, n)| GenTy::Vec(Box::new(element), n)),
            inner.prop_map(|value| GenTy::Optional(Box::new(value))),
        ]
    });
    prop_oneof![2 => leaf, 3 => nested]
}

fn gen_decl() -> impl Strategy<Value = GenDecl> {
    let name = 0..MEMBER_NAMES.len() * 2;
    prop_oneof![
        4 => prop::collection::vec((name.clone(), gen_ty()), 1..=5).prop_map(GenDecl::Struct),
        3 => (
            prop::option::of(select(INTEGERS.to_vec())),
            prop::collection::vec((name, prop::option::weighted(0.7, gen_ty())), 1..=5),
        )
            .prop_map(|(tag, variants)| GenDecl::Union(tag, variants)),
        1 => (prop::option::of(select(INTEGERS.to_vec())), 1usize..=4)
            .prop_map(|(repr, n)| GenDecl::Enum(repr, n)),
        1 => (prop::option::of(select(UNSIGNED.to_vec())), 1usize..=4)
            .prop_map(|(repr, n)| GenDecl::Flags(repr, n)),
    ]
}

fn gen_schema() -> impl Strategy<Value = GenSchema> {
    (
        select(PACKAGES.to_vec()),
        prop::collection::vec((any::<bool>(), gen_decl()), 1..=8),
        prop::option::of((gen_ty(), gen_ty(), gen_ty(), any::<bool>())),
    )
        .prop_map(|(package, decls, service)| GenSchema {
            package,
            decls,
            service,
        })
}

/// Unique member names: a troublesome one when free, else `m{index}`.
fn member_names(seeds: impl Iterator<Item = usize>) -> Vec<String> {
    let mut used = HashSet::new();
    seeds
        .enumerate()
        .map(|(index, seed)| match MEMBER_NAMES.get(seed) {
            Some(name) if used.insert(*name) => (*name).to_owned(),
            _ => format!("m{index}"),
        })
        .collect()
}

impl GenSchema {
    fn type_names(&self) -> Vec<String> {
        self.decls
            .iter()
            .enumerate()
            .map(|(index, (awkward, _))| match TYPE_NAMES.get(index) {
                Some(name) if *awkward => (*name).to_owned(),
                _ => format!("T{index}"),
            })
            .collect()
    }

    /// The type as written (`qualified == false`) or as the model displays it.
    fn ty(&self, ty: &GenTy, earlier: usize, qualified: bool) -> String {
        match ty {
            GenTy::Scalar(scalar) => scalar.name().to_owned(),
            GenTy::Named(_) if earlier == 0 => "u16".to_owned(),
            GenTy::Named(pick) => {
                let name = &self.type_names()[pick % earlier];
                if qualified {
                    format!("{}.{name}", self.package)
                } else {
                    name.clone()
                }
            }
            GenTy::Array(element, n) => {
                let element = self.ty(element, earlier, qualified);
                match qualified {
                    true => format!("[{element}; {}]", n.value()),
                    false => format!("[{element}; {}]", n.written()),
                }
            }
            GenTy::String(n) | GenTy::Bytes(n) => {
                let keyword = if matches!(ty, GenTy::String(_)) {
                    "string"
                } else {
                    "bytes"
                };
                match qualified {
                    true => format!("{keyword}<{}>", n.value()),
                    false => format!("{keyword}< {} >", n.written()),
                }
            }
            GenTy::Vec(element, n) => {
                let element = self.ty(element, earlier, qualified);
                match qualified {
                    true => format!("vec<{element}, {}>", n.value()),
                    false => format!("vec<{element},{}>", n.written()),
                }
            }
            GenTy::Optional(value) => {
                format!("optional<{}>", self.ty(value, earlier, qualified))
            }
        }
    }

    fn text(&self) -> String {
        let names = self.type_names();
        let mut text = format!("/// Generated.\npackage {};\n\n{CONSTS}\n", self.package);
        for (index, ((_, decl), name)) in self.decls.iter().zip(&names).enumerate() {
            match decl {
                GenDecl::Struct(fields) => {
                    writeln!(text, "struct {name} {{").unwrap();
                    let field_names = member_names(fields.iter().map(|(seed, _)| *seed));
                    for ((_, ty), field) in fields.iter().zip(field_names) {
                        writeln!(text, "    {field}: {},", self.ty(ty, index, false)).unwrap();
                    }
                }
                GenDecl::Union(tag, variants) => {
                    let tag = tag.map_or(String::new(), |tag| format!(": {}", tag.name()));
                    writeln!(text, "union {name}{tag} {{").unwrap();
                    let variant_names = member_names(variants.iter().map(|(seed, _)| *seed));
                    for ((_, payload), variant) in variants.iter().zip(variant_names) {
                        match payload {
                            Some(ty) => {
                                writeln!(text, "    {variant}({}),", self.ty(ty, index, false))
                            }
                            None => writeln!(text, "    {variant},"),
                        }
                        .unwrap();
                    }
                }
                GenDecl::Enum(repr, members) | GenDecl::Flags(repr, members) => {
                    let keyword = if matches!(decl, GenDecl::Enum(..)) {
                        "enum"
                    } else {
                        "flags"
                    };
                    let repr = repr.map_or(String::new(), |repr| format!(": {}", repr.name()));
                    writeln!(text, "{keyword} {name}{repr} {{").unwrap();
                    for member in 0..*members {
                        writeln!(text, "    A{member},").unwrap();
                    }
                }
            }
            text.push_str("}\n\n");
        }
        if let Some((params, results, event, single)) = &self.service {
            let all = self.decls.len();
            let (params, results, event) = (
                self.ty(params, all, false),
                self.ty(results, all, false),
                self.ty(event, all, false),
            );
            let results = if *single {
                results
            } else {
                format!("(ok: bool, out: {results})")
            };
            writeln!(
                text,
                "service Svc {{\n    rpc call(int: {params}, b: u8) -> {results};\n    \
                 oneway note(x: {params});\n    event changed(value: {event}, seq: u64);\n}}"
            )
            .unwrap();
        }
        text
    }

    /// Checks that the model holds exactly the declarations written, with the same types.
    fn check_structure(&self, model: &Model) -> Result<(), String> {
        let package = match model.packages.as_slice() {
            [package] => package,
            packages => return Err(format!("{} packages", packages.len())),
        };
        if package.name != self.package || package.types.len() != self.decls.len() {
            return Err(format!(
                "package {} with {} types",
                package.name,
                package.types.len()
            ));
        }
        let names = self.type_names();
        for (index, ((_, decl), def)) in self.decls.iter().zip(&package.types).enumerate() {
            let what = format!("type {index} ({})", def.name);
            if def.name != names[index] {
                return Err(format!("{what}: expected the name {}", names[index]));
            }
            let same = |expected: &str, actual: &Ty| -> Result<(), String> {
                let actual = actual.to_string();
                if actual == expected {
                    Ok(())
                } else {
                    Err(format!("{what}: expected `{expected}`, found `{actual}`"))
                }
            };
            match (decl, &def.kind) {
                (GenDecl::Struct(fields), TypeKind::Struct(def)) => {
                    let field_names = member_names(fields.iter().map(|(seed, _)| *seed));
                    if def.fields.len() != fields.len() {
                        return Err(format!("{what}: {} fields", def.fields.len()));
                    }
                    for (((_, ty), name), field) in fields.iter().zip(&field_names).zip(&def.fields)
                    {
                        if &field.name != name {
                            return Err(format!("{what}: field {name} is {}", field.name));
                        }
                        same(&self.ty(ty, index, true), &field.ty)?;
                    }
                }
                (GenDecl::Union(tag, variants), TypeKind::Union(def)) => {
                    if def.tag != tag.unwrap_or(Scalar::U8) || def.variants.len() != variants.len()
                    {
                        return Err(format!("{what}: tag or variants differ: {def:?}"));
                    }
                    let variant_names = member_names(variants.iter().map(|(seed, _)| *seed));
                    for (tag, (((_, payload), name), variant)) in variants
                        .iter()
                        .zip(&variant_names)
                        .zip(&def.variants)
                        .enumerate()
                    {
                        if &variant.name != name || variant.tag != tag as i128 {
                            return Err(format!("{what}: variant {name}: {variant:?}"));
                        }
                        match (payload, &variant.payload) {
                            (None, None) => {}
                            (Some(expected), Some(actual)) => {
                                same(&self.ty(expected, index, true), actual)?
                            }
                            _ => return Err(format!("{what}: variant {name}: {variant:?}")),
                        }
                    }
                }
                (GenDecl::Enum(repr, members), TypeKind::Enum(def))
                | (GenDecl::Flags(repr, members), TypeKind::Flags(def)) => {
                    if def.repr != repr.unwrap_or(Scalar::U32) || def.members.len() != *members {
                        return Err(format!("{what}: {def:?}"));
                    }
                }
                (_, kind) => return Err(format!("{what}: is a {}", kind.keyword())),
            }
        }
        let methods: usize = package
            .services
            .iter()
            .map(|service| service.methods.len())
            .sum();
        if methods != 3 * usize::from(self.service.is_some()) {
            return Err(format!("{methods} methods"));
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Failures print the schema; there is no source tree to keep regressions in.
        failure_persistence: None,
        ..ProptestConfig::with_cases(48)
    })]

    #[test]
    fn random_schema_layout_matches_gcc(schema in gen_schema()) {
        let text = schema.text();
        let mut files = MemoryLoader::new();
        files.insert("gen.idl", text.as_str());
        // Sizes grow quickly through nested containers; they are not what this test is about.
        let options = Options { max_message_size: u64::MAX };
        let compilation = check_sources(&["gen.idl"], &files, &options);
        let Some(model) = &compilation.model else {
            return Err(TestCaseError::fail(format!(
                "the schema does not check:\n{}\n--- schema ---\n{text}",
                compilation.render_diagnostics(false)
            )));
        };
        if let Err(error) = schema.check_structure(model) {
            return Err(TestCaseError::fail(format!(
                "the model differs from the schema: {error}\n--- schema ---\n{text}"
            )));
        }
        if let Err(error) = compare_with_gcc(model) {
            return Err(TestCaseError::fail(format!("{error}\n--- schema ---\n{text}")));
        }
    }
}
