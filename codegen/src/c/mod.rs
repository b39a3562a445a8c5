//! The C backend: one C11 header per package (`fleet_control.h`), which also compiles as C++.
//!
//! Everything about a layout (offsets, sizes, alignments, padding) is read from the checked
//! model; the header states it with explicit padding members and proves it with
//! `_Static_assert` (`static_assert` in C++) on every size, alignment and offset. Rust code here
//! decides *what* to emit; the askama templates under `templates/c/` decide how it reads.
//!
//! # What a header holds
//!
//! For package `fleet.control`, in this order:
//!
//! - the package's constants as macros of the constant's type: `FLEET_CONTROL_MAX_WAYPOINTS`;
//! - every declared type, after the types it contains (C needs a definition before a use by
//!   value), each preceded by the inline containers it uses:
//!   - enums and flags: a fixed-width typedef (`typedef uint8_t fleet_control_Kind;`), one
//!     macro per member (`FLEET_CONTROL_KIND_VAN`), `FLEET_CONTROL_CAPABILITY_ALL` for flags,
//!     and for enums `fleet_control_Kind_name(value)` (the member's name, or `NULL`);
//!   - structs: `typedef struct fleet_control_Vehicle { ... } fleet_control_Vehicle;` with a
//!     `uint8_t _padN[..]` member for every padding range of the model;
//!   - unions: `{ K tag; union { T Variant; ...; uint8_t _bytes[..]; } payload; }` with one
//!     tag macro per variant (`FLEET_CONTROL_ORDER_HALT`);
//!   - inline containers as `fleet_control_inline_String16`, `..._Vec32OfWaypoint`,
//!     `..._OptionalF32`, with small `static inline` helpers (see below);
//! - the generated message structs of the services (`fleet_control_FleetControlGetVehicleRequest`);
//! - for every type and message, its fingerprint (`FLEET_CONTROL_VEHICLE_FINGERPRINT`, hex) and
//!   its record in the validation descriptor (`FLEET_CONTROL_VEHICLE_DESCRIPTOR_INDEX`);
//! - `fleet_control_descriptor(&length)`: the validation descriptor ([`crate::descriptor`]);
//! - per service, its stubs over the runtime's C ABI ([`service`]): its description, method
//!   indexes, ids and fingerprints, typed clients, handlers and publishers. A header with
//!   services includes the runtime's `interop.h` (in `runtime/include`).
//!
//! # Helpers of the inline containers
//!
//! `S` is a string container type, `B` bytes, `V` a vec of `T`, `O` an optional of `T`:
//!
//! | helper | meaning |
//! |---|---|
//! | `size_t S_set(S *s, const char *text)` | copies a NUL-terminated string; returns the number of bytes left out (0 when it all fit); a cut never splits a UTF-8 character |
//! | `size_t S_set_n(S *s, const char *text, size_t length)` | the same from a pointer and a length |
//! | `size_t S_len(const S *s)`, `const char *S_data(const S *s)` | the bytes (not NUL-terminated) |
//! | `size_t B_set(B *b, const void *data, size_t length)` | copies bytes; returns the number left out |
//! | `size_t B_len(const B *b)`, `const uint8_t *B_data(const B *b)` | the bytes |
//! | `bool V_push(V *v, T item)` | appends; `false` when full |
//! | `size_t V_len(const V *v)`, `void V_clear(V *v)` | |
//! | `void O_set(O *o, T value)`, `void O_clear(O *o)` | |
//! | `const T *O_get(const O *o)` | the value, or `NULL` when absent |
//!
//! When `T` is an array, `V_push` and `O_set` take `const void *` pointing at the array. The
//! setters zero everything they do not write, so a value filled through them has zero padding
//! and deterministic bytes; `len` readers clamp to the capacity.
//!
//! # Names
//!
//! Fields and variants keep their IDL names, escaped by [`c_ident`] plus the few macros C
//! compilers predefine in their default GNU modes (`linux`, `unix`, `i386`) and the macros of
//! `<stdint.h>`. Macro names are the package prefix, the type and the member upper-cased:
//! `FLEET_CONTROL_FAULT_UNKNOWNVEHICLE`. Should two generated names of a header still meet (a
//! member `All` of flags, which meets the `_ALL` mask), the later one gets a trailing `_`.

use std::collections::{BTreeSet, HashMap, HashSet};

use askama::Template;
use interop_idl::model::{
    ConstValue, EnumDef, Field, Message, MethodKind, Package, Padding, Scalar, StructDef, Ty,
    TyKind, TypeDef, TypeKind, UnionDef, STRING_DATA_OFFSET,
};
use interop_idl::Model;

use crate::descriptor::{self, Descriptor};
use crate::names::{
    c_ident, c_macro_prefix, c_prefix, c_scalar_type, container_name, containers_in, file_name,
};
use crate::{GeneratedFile, Language, GENERATOR};

pub mod service;

/// Macros every generated header defines (under `#ifndef`), which no generated name may take.
const COMMON_MACROS: &[&str] = &["INTEROP_STATIC_ASSERT", "INTEROP_ALIGNOF"];

/// Generates one header per package of `model`.
pub fn generate(model: &Model) -> Vec<GeneratedFile> {
    model
        .packages
        .iter()
        .map(|package| PackageGen::new(model, package).generate())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "c/header.h", escape = "none")]
struct HeaderTemplate<'a> {
    file_name: &'a str,
    generator: &'a str,
    package: &'a str,
    sources: String,
    docs: String,
    guard: String,
    includes: Vec<String>,
    /// Whether the package has services, whose stubs use the runtime's `interop.h`.
    runtime: bool,
    consts: Vec<Define>,
    blocks: Vec<String>,
    services: Vec<String>,
    descriptor_function: String,
    /// The file-scope array of the descriptor's bytes.
    descriptor_array: String,
    descriptor_len: usize,
    descriptor_rows: Vec<String>,
}

#[derive(Template)]
#[template(path = "c/scalar_type.h", escape = "none")]
struct ScalarTypeTemplate<'a> {
    docs: String,
    keyword: &'a str,
    name: String,
    base: &'a str,
    members: Vec<Define>,
    /// `Some(function name)` for enums: `const char *NAME(T value)`.
    name_function: Option<String>,
    member_names: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "c/struct.h", escape = "none")]
struct StructTemplate {
    docs: String,
    name: String,
    members: Vec<Member>,
    defines: Vec<Define>,
    asserts: Vec<Assert>,
    helpers: String,
}

#[derive(Template)]
#[template(path = "c/string_helpers.h", escape = "none")]
struct StringHelpersTemplate<'a> {
    name: &'a str,
    capacity: u64,
    is_string: bool,
}

#[derive(Template)]
#[template(path = "c/vec_helpers.h", escape = "none")]
struct VecHelpersTemplate<'a> {
    name: &'a str,
    capacity: u64,
    /// The parameter declaration of `push`'s item: `fleet_control_Waypoint item`, or
    /// `const void *item` for arrays.
    item_param: String,
    item_is_array: bool,
}

#[derive(Template)]
#[template(path = "c/optional_helpers.h", escape = "none")]
struct OptionalHelpersTemplate<'a> {
    name: &'a str,
    value_param: String,
    value_is_array: bool,
    /// The whole declarator of `get` up to its body: `const float *NAME_get(const NAME *o)`.
    get_signature: String,
}

/// `#define NAME VALUE`, with an optional doc comment before it.
struct Define {
    docs: String,
    name: String,
    value: String,
}

/// A struct member: its doc comment (indented, ending in a newline, or empty), and either a
/// declaration (`uint8_t _pad0[3]`) or, for a union's payload, the members of an inline union.
struct Member {
    docs: String,
    decl: String,
    union_members: Vec<Member>,
}

/// `INTEROP_STATIC_ASSERT(condition, "message");`
struct Assert {
    condition: String,
    message: String,
}

// ---------------------------------------------------------------------------------------------
// One package
// ---------------------------------------------------------------------------------------------

struct PackageGen<'m> {
    package: &'m Package,
    prefix: String,
    macro_prefix: String,
    descriptor: Descriptor,
    /// The descriptor index of each record, by qualified name.
    indices: HashMap<String, u32>,
    /// This package's types, by qualified name.
    own_types: HashMap<&'m str, &'m TypeDef>,
    /// Macro names taken so far in this header.
    macros: HashSet<String>,
    /// Ordinary identifiers (typedefs, functions) taken so far in this header.
    idents: HashSet<String>,
    /// The C name of every container emitted so far, by container name.
    containers: HashMap<String, String>,
    /// Declared types emitted or being emitted.
    visited: HashSet<&'m str>,
    includes: BTreeSet<String>,
    blocks: Vec<String>,
}

impl<'m> PackageGen<'m> {
    fn new(model: &'m Model, package: &'m Package) -> Self {
        let prefix = c_prefix(&package.name);
        let mut idents = HashSet::new();
        for def in &package.types {
            idents.insert(format!("{prefix}_{}", def.name));
        }
        for message in messages(package) {
            idents.insert(format!("{prefix}_{}", message.name));
        }
        let descriptor = descriptor::for_package(model, &package.name);
        PackageGen {
            indices: descriptor
                .names
                .iter()
                .enumerate()
                .map(|(index, name)| (name.clone(), index as u32))
                .collect(),
            own_types: package
                .types
                .iter()
                .map(|def| (def.qualified_name.as_str(), def))
                .collect(),
            package,
            macro_prefix: c_macro_prefix(&package.name),
            prefix,
            descriptor,
            macros: COMMON_MACROS
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
            idents,
            containers: HashMap::new(),
            visited: HashSet::new(),
            includes: BTreeSet::new(),
            blocks: Vec::new(),
        }
    }

    fn generate(mut self) -> GeneratedFile {
        let path = file_name(&self.package.name, Language::C);
        let guard = self.unique_macro(format!("INTEROP_GENERATED_{}_H", self.macro_prefix));
        let consts = self.consts();
        for def in &self.package.types {
            self.emit_type(def);
        }
        for method in self
            .package
            .services
            .iter()
            .flat_map(|service| &service.methods)
        {
            for (role, message) in [("request", &method.params), ("reply", &method.results)] {
                if let Some(message) = message {
                    let role = if method.kind == MethodKind::Event {
                        "event"
                    } else {
                        role
                    };
                    self.emit_message(method, role, message);
                }
            }
        }
        let descriptor_function = self.unique_ident(format!("{}_descriptor", self.prefix));
        let descriptor_array = self.unique_ident(format!("{}_descriptor_bytes", self.prefix));
        let services = self.services(&descriptor_array);
        let descriptor_rows = hex_rows(&self.descriptor.bytes);
        let sources: Vec<String> = self
            .package
            .files
            .iter()
            .map(|file| {
                std::path::Path::new(file)
                    .file_name()
                    .map_or_else(|| file.clone(), |name| name.to_string_lossy().into_owned())
            })
            .collect();
        let header = HeaderTemplate {
            file_name: &path,
            generator: GENERATOR,
            package: &self.package.name,
            sources: sources.join(", "),
            docs: comment_body(&self.package.docs),
            guard,
            includes: self.includes.iter().cloned().collect(),
            runtime: !self.package.services.is_empty(),
            consts,
            blocks: std::mem::take(&mut self.blocks),
            services,
            descriptor_function,
            descriptor_array,
            descriptor_len: self.descriptor.bytes.len(),
            descriptor_rows,
        };
        GeneratedFile {
            path: path.clone().into(),
            contents: render(&header),
        }
    }

    // -- names ---------------------------------------------------------------------------------

    /// A macro name not yet taken in this header (a trailing `_` added until it is free).
    fn unique_macro(&mut self, mut name: String) -> String {
        while !self.macros.insert(name.clone()) {
            name.push('_');
        }
        name
    }

    /// A typedef or function name not yet taken in this header.
    fn unique_ident(&mut self, mut name: String) -> String {
        while !self.idents.insert(name.clone()) {
            name.push('_');
        }
        name
    }

    /// `FLEET_CONTROL_` + the parts upper-cased and joined by `_`.
    fn macro_name(&mut self, parts: &[&str]) -> String {
        let mut name = self.macro_prefix.clone();
        for part in parts {
            name.push('_');
            name.push_str(&part.to_ascii_uppercase());
        }
        self.unique_macro(name)
    }

    /// The C name of a declared type (`fleet.geometry.Pose` → `fleet_geometry_Pose`), noting
    /// the header to include when it belongs to another package.
    fn named(&mut self, qualified: &str) -> String {
        let (owner, simple) = qualified.rsplit_once('.').expect("qualified name");
        if owner != self.package.name {
            self.includes.insert(file_name(owner, Language::C));
        }
        format!("{}_{simple}", c_prefix(owner))
    }

    /// The C type of a non-array type.
    fn type_name(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => c_scalar_type(*scalar).to_owned(),
            TyKind::Named { name, .. } => self.named(name),
            TyKind::Array { .. } => unreachable!("arrays are declarators, not type names"),
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => {
                let key = container_name(ty, &self.package.name).expect("a container");
                self.containers
                    .get(&key)
                    .cloned()
                    .expect("containers are emitted before use")
            }
        }
    }

    /// A declaration of `declarator` with type `ty`: `float gains[3]`, `uint8_t beacon[4][2]`.
    fn decl(&mut self, ty: &Ty, declarator: &str) -> String {
        match &ty.kind {
            TyKind::Array { element, len } => self.decl(element, &format!("{declarator}[{len}]")),
            _ => format!("{} {declarator}", self.type_name(ty)),
        }
    }

    // -- constants -----------------------------------------------------------------------------

    fn consts(&mut self) -> Vec<Define> {
        let package = self.package;
        package
            .consts
            .iter()
            .map(|constant| {
                let value = match constant.value {
                    ConstValue::Int(value) => {
                        format!(
                            "(({}){})",
                            c_scalar_type(constant.ty),
                            int_literal(value, constant.ty, false)
                        )
                    }
                    ConstValue::Bool(value) => value.to_string(),
                    ConstValue::Float(value) => float_literal(value, constant.ty),
                };
                Define {
                    docs: doc_comment(&constant.docs, ""),
                    name: self.macro_name(&[&constant.name]),
                    value,
                }
            })
            .collect()
    }

    // -- declared types ------------------------------------------------------------------------

    /// Emits `def` after the types of this package it contains and the containers it uses.
    fn emit_type(&mut self, def: &'m TypeDef) {
        if !self.visited.insert(&def.qualified_name) {
            return;
        }
        let used: Vec<&'m Ty> = match &def.kind {
            TypeKind::Struct(structure) => structure.fields.iter().map(|field| &field.ty).collect(),
            TypeKind::Union(union) => union
                .variants
                .iter()
                .filter_map(|v| v.payload.as_ref())
                .collect(),
            TypeKind::Enum(_) | TypeKind::Flags(_) => Vec::new(),
        };
        self.emit_dependencies(&used);
        let block = match &def.kind {
            TypeKind::Enum(members) => self.scalar_type(def, members, false),
            TypeKind::Flags(members) => self.scalar_type(def, members, true),
            TypeKind::Struct(structure) => {
                let name = format!("{}_{}", self.prefix, def.name);
                let mut defines = Vec::new();
                self.type_metadata(
                    &def.name,
                    &def.fingerprint.to_hex(),
                    &def.qualified_name,
                    &mut defines,
                );
                self.structure(
                    &name,
                    doc_comment(&def.docs, ""),
                    structure,
                    def.size,
                    def.align,
                    defines,
                )
            }
            TypeKind::Union(union) => self.union(def, union),
        };
        self.blocks.push(block);
    }

    /// Emits the declared types of this package and the containers that `used` refer to.
    fn emit_dependencies(&mut self, used: &[&'m Ty]) {
        for ty in used {
            let mut named = Vec::new();
            named_types(ty, &mut named);
            for name in named {
                if let Some(def) = self.own_types.get(name).copied() {
                    self.emit_type(def);
                }
            }
        }
        for ty in used {
            let mut containers = Vec::new();
            containers_in(ty, &mut containers);
            for container in containers {
                self.emit_container(container);
            }
        }
    }

    fn scalar_type(&mut self, def: &TypeDef, members: &EnumDef, flags: bool) -> String {
        let name = format!("{}_{}", self.prefix, def.name);
        let mut defines: Vec<Define> = members
            .members
            .iter()
            .map(|member| Define {
                docs: doc_comment(&member.docs, ""),
                name: self.macro_name(&[&def.name, &member.name]),
                value: format!(
                    "(({name}){})",
                    int_literal(member.value, members.repr, flags)
                ),
            })
            .collect();
        let member_names = members
            .members
            .iter()
            .zip(&defines)
            .map(|(member, define)| (define.name.clone(), member.name.clone()))
            .collect();
        if flags {
            let mask = members
                .members
                .iter()
                .fold(0i128, |mask, member| mask | member.value);
            defines.push(Define {
                docs: "/** Every member: the bits a valid value may have. */\n".to_owned(),
                name: self.macro_name(&[&def.name, "ALL"]),
                value: format!("(({name}){})", int_literal(mask, members.repr, true)),
            });
        }
        self.type_metadata(
            &def.name,
            &def.fingerprint.to_hex(),
            &def.qualified_name,
            &mut defines,
        );
        let name_function = (!flags).then(|| self.unique_ident(format!("{name}_name")));
        render(&ScalarTypeTemplate {
            docs: doc_comment(&def.docs, ""),
            keyword: if flags { "flags" } else { "enum" },
            name,
            base: c_scalar_type(members.repr),
            members: defines,
            name_function,
            member_names,
        })
    }

    /// The fingerprint and descriptor index macros of a type or message.
    fn type_metadata(
        &mut self,
        name: &str,
        fingerprint: &str,
        qualified: &str,
        defines: &mut Vec<Define>,
    ) {
        defines.push(Define {
            docs: String::new(),
            name: self.macro_name(&[name, "FINGERPRINT"]),
            value: format!("\"{fingerprint}\""),
        });
        let index = *self
            .indices
            .get(qualified)
            .expect("the descriptor holds every type and message");
        defines.push(Define {
            docs: String::new(),
            name: self.macro_name(&[name, "DESCRIPTOR_INDEX"]),
            value: format!("{index}u"),
        });
    }

    /// A struct (declared or generated message): fields and padding members in offset order.
    fn structure(
        &mut self,
        name: &str,
        docs: String,
        structure: &StructDef,
        size: u64,
        align: u64,
        defines: Vec<Define>,
    ) -> String {
        let field_names: Vec<String> = structure
            .fields
            .iter()
            .map(|field| member_ident(&field.name))
            .collect();
        let mut taken: HashSet<String> = field_names.iter().cloned().collect();
        let pad_names = padding_names(&structure.padding, &mut taken);
        enum Part<'a> {
            Field(&'a Field, &'a str),
            Pad(&'a Padding, &'a str),
        }
        let mut parts: Vec<(u64, Part<'_>)> = structure
            .fields
            .iter()
            .zip(&field_names)
            .map(|(field, ident)| (field.offset, Part::Field(field, ident)))
            .chain(
                structure
                    .padding
                    .iter()
                    .zip(&pad_names)
                    .map(|(pad, ident)| (pad.offset, Part::Pad(pad, ident))),
            )
            .collect();
        parts.sort_by_key(|(offset, _)| *offset);
        let mut members = Vec::new();
        let mut asserts = vec![size_assert(name, size), align_assert(name, align)];
        for (offset, part) in parts {
            match part {
                Part::Field(field, ident) => {
                    members.push(Member {
                        docs: doc_comment(&field.docs, "    "),
                        decl: self.decl(&field.ty, ident),
                        union_members: Vec::new(),
                    });
                    asserts.push(offset_assert(name, ident, offset));
                }
                Part::Pad(pad, ident) => {
                    members.push(pad_member(ident, pad.size));
                    asserts.push(offset_assert(name, ident, offset));
                }
            }
        }
        render(&StructTemplate {
            docs,
            name: name.to_owned(),
            members,
            defines,
            asserts,
            helpers: String::new(),
        })
    }

    fn union(&mut self, def: &TypeDef, union: &UnionDef) -> String {
        let name = format!("{}_{}", self.prefix, def.name);
        let variant_names: Vec<String> = union
            .variants
            .iter()
            .map(|variant| member_ident(&variant.name))
            .collect();
        let mut inner_taken: HashSet<String> = variant_names.iter().cloned().collect();
        let bytes_name = unique_member("_bytes".to_owned(), &mut inner_taken);
        let mut taken: HashSet<String> = ["tag".to_owned(), "payload".to_owned()].into();
        let pad_names = padding_names(&union.padding, &mut taken);

        let mut defines: Vec<Define> = union
            .variants
            .iter()
            .map(|variant| Define {
                docs: doc_comment(&variant.docs, ""),
                name: self.macro_name(&[&def.name, &variant.name]),
                value: format!(
                    "(({}){})",
                    c_scalar_type(union.tag),
                    int_literal(variant.tag, union.tag, false)
                ),
            })
            .collect();
        self.type_metadata(
            &def.name,
            &def.fingerprint.to_hex(),
            &def.qualified_name,
            &mut defines,
        );

        // (offset, member) in offset order: the tag, the payload (when any variant has one) and
        // the padding ranges of the model.
        // (offset, member name, member) in offset order: the tag, the payload (when any
        // variant has one) and the padding ranges of the model.
        let mut parts: Vec<(u64, String, Member)> = vec![(
            0,
            "tag".to_owned(),
            plain_member(format!("{} tag", c_scalar_type(union.tag))),
        )];
        if union.payload_size > 0 {
            let mut inner = Vec::new();
            for (variant, ident) in union.variants.iter().zip(&variant_names) {
                if let Some(payload) = &variant.payload {
                    inner.push(Member {
                        docs: doc_comment(&variant.docs, "        "),
                        decl: self.decl(payload, ident),
                        union_members: Vec::new(),
                    });
                }
            }
            inner.push(Member {
                docs: "        /** The payload area as bytes. */\n".to_owned(),
                decl: format!("uint8_t {bytes_name}[{}]", union.payload_size),
                union_members: Vec::new(),
            });
            let payload = Member {
                docs: String::new(),
                decl: "payload".to_owned(),
                union_members: inner,
            };
            parts.push((union.payload_offset, "payload".to_owned(), payload));
        }
        for (pad, ident) in union.padding.iter().zip(&pad_names) {
            parts.push((pad.offset, ident.clone(), pad_member(ident, pad.size)));
        }
        parts.sort_by_key(|(offset, _, _)| *offset);
        let mut asserts = vec![size_assert(&name, def.size), align_assert(&name, def.align)];
        for (offset, ident, _) in &parts {
            asserts.push(offset_assert(&name, ident, *offset));
        }
        if union.payload_size > 0 {
            asserts.push(Assert {
                condition: format!(
                    "sizeof(((const {name} *)0)->payload) == {}",
                    union.payload_size
                ),
                message: format!("{name}.payload: size"),
            });
        }
        render(&StructTemplate {
            docs: doc_comment(&def.docs, ""),
            name,
            members: parts.into_iter().map(|(_, _, member)| member).collect(),
            defines,
            asserts,
            helpers: String::new(),
        })
    }

    // -- inline containers ---------------------------------------------------------------------

    /// Emits the typedef and helpers of an inline container once per header.
    fn emit_container(&mut self, ty: &Ty) {
        let key = container_name(ty, &self.package.name).expect("a container");
        if self.containers.contains_key(&key) {
            return;
        }
        let name = self.unique_ident(format!("{}_inline_{key}", self.prefix));
        let mut members = Vec::new();
        let mut asserts = vec![size_assert(&name, ty.size), align_assert(&name, ty.align)];
        let helpers;
        match &ty.kind {
            TyKind::String { capacity } | TyKind::Bytes { capacity } => {
                let is_string = matches!(ty.kind, TyKind::String { .. });
                members.push(plain_member("uint32_t len".to_owned()));
                members.push(plain_member(format!("uint8_t data[{capacity}]")));
                asserts.push(offset_assert(&name, "len", 0));
                asserts.push(offset_assert(&name, "data", STRING_DATA_OFFSET));
                let end = STRING_DATA_OFFSET + capacity;
                if ty.size > end {
                    members.push(pad_member("_pad", ty.size - end));
                    asserts.push(offset_assert(&name, "_pad", end));
                }
                helpers = render(&StringHelpersTemplate {
                    name: &name,
                    capacity: *capacity,
                    is_string,
                });
            }
            TyKind::Vec {
                element,
                capacity,
                items_offset,
            } => {
                members.push(plain_member("uint32_t len".to_owned()));
                asserts.push(offset_assert(&name, "len", 0));
                if *items_offset > 4 {
                    members.push(pad_member("_pad0", items_offset - 4));
                    asserts.push(offset_assert(&name, "_pad0", 4));
                }
                members.push(plain_member(
                    self.decl(element, &format!("items[{capacity}]")),
                ));
                asserts.push(offset_assert(&name, "items", *items_offset));
                let end = items_offset + element.size * capacity;
                if ty.size > end {
                    members.push(pad_member("_pad1", ty.size - end));
                    asserts.push(offset_assert(&name, "_pad1", end));
                }
                let item_is_array = matches!(element.kind, TyKind::Array { .. });
                let item_param = if item_is_array {
                    "const void *item".to_owned()
                } else {
                    self.decl(element, "item")
                };
                helpers = render(&VecHelpersTemplate {
                    name: &name,
                    capacity: *capacity,
                    item_param,
                    item_is_array,
                });
            }
            TyKind::Optional {
                value,
                value_offset,
            } => {
                members.push(plain_member("bool present".to_owned()));
                asserts.push(offset_assert(&name, "present", 0));
                if *value_offset > 1 {
                    members.push(pad_member("_pad0", value_offset - 1));
                    asserts.push(offset_assert(&name, "_pad0", 1));
                }
                members.push(plain_member(self.decl(value, "value")));
                asserts.push(offset_assert(&name, "value", *value_offset));
                let end = value_offset + value.size;
                if ty.size > end {
                    members.push(pad_member("_pad1", ty.size - end));
                    asserts.push(offset_assert(&name, "_pad1", end));
                }
                let value_is_array = matches!(value.kind, TyKind::Array { .. });
                let value_param = if value_is_array {
                    "const void *value".to_owned()
                } else {
                    self.decl(value, "value")
                };
                let get_signature = if value_is_array {
                    // A function returning a pointer to an array: `const uint8_t (*f(...))[2]`.
                    format!(
                        "const {}",
                        self.decl(value, &format!("(*{name}_get(const {name} *o))"))
                    )
                } else {
                    format!(
                        "const {} *{name}_get(const {name} *o)",
                        self.type_name(value)
                    )
                };
                helpers = render(&OptionalHelpersTemplate {
                    name: &name,
                    value_param,
                    value_is_array,
                    get_signature,
                });
            }
            TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. } => {
                unreachable!("not a container")
            }
        }
        let docs = format!("/** Inline `{}`. */\n", ty);
        self.containers.insert(key, name.clone());
        let block = render(&StructTemplate {
            docs,
            name,
            members,
            defines: Vec::new(),
            asserts,
            helpers,
        });
        self.blocks.push(block);
    }

    // -- service messages ----------------------------------------------------------------------

    fn emit_message(
        &mut self,
        method: &'m interop_idl::model::Method,
        role: &str,
        message: &'m Message,
    ) {
        let used: Vec<&'m Ty> = message
            .layout
            .fields
            .iter()
            .map(|field| &field.ty)
            .collect();
        self.emit_dependencies(&used);
        let name = format!("{}_{}", self.prefix, message.name);
        let mut text = format!(
            "The {role} of `{}` ({}).",
            method.qualified_name,
            method.kind.keyword()
        );
        if !method.docs.is_empty() {
            text = format!("{}\n\n{text}", method.docs);
        }
        let mut defines = Vec::new();
        let qualified = format!("{}.{}", self.package.name, message.name);
        self.type_metadata(
            &message.name,
            &message.fingerprint.to_hex(),
            &qualified,
            &mut defines,
        );
        let block = self.structure(
            &name,
            doc_comment(&text, ""),
            &message.layout,
            message.size,
            message.align,
            defines,
        );
        self.blocks.push(block);
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn render<T: Template>(template: &T) -> String {
    template.render().expect("C templates render infallibly")
}

/// Bytes as rows of C initializers, 16 a row: `0x49, 0x44, ...,`. (Descriptors run to hundreds
/// of kilobytes for large schemas, hence no `format!` per byte.)
fn hex_rows(bytes: &[u8]) -> Vec<String> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .chunks(16)
        .map(|row| {
            let mut text = String::with_capacity(row.len() * 6);
            for (index, byte) in row.iter().enumerate() {
                if index > 0 {
                    text.push(' ');
                }
                text.push_str("0x");
                text.push(char::from(DIGITS[usize::from(byte >> 4)]));
                text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
                text.push(',');
            }
            text
        })
        .collect()
}

/// The generated messages of a package, in declaration order.
fn messages(package: &Package) -> impl Iterator<Item = &Message> {
    package
        .services
        .iter()
        .flat_map(|service| &service.methods)
        .flat_map(|method| [&method.params, &method.results])
        .flatten()
}

/// The declared types a type refers to, through arrays and containers.
fn named_types<'t>(ty: &'t Ty, out: &mut Vec<&'t str>) {
    match &ty.kind {
        TyKind::Named { name, .. } => out.push(name),
        TyKind::Array { element, .. } | TyKind::Vec { element, .. } => named_types(element, out),
        TyKind::Optional { value, .. } => named_types(value, out),
        TyKind::Scalar { .. } | TyKind::String { .. } | TyKind::Bytes { .. } => {}
    }
}

/// An integer constant expression for `value` of an integer `scalar` type (before the cast to
/// the type): `7`, `-3`, `0x100`, `4000000000u`, `UINT64_C(1)`, `(-2147483647 - 1)`.
fn int_literal(value: i128, scalar: Scalar, hex: bool) -> String {
    let digits = |magnitude: u128| {
        if hex {
            format!("0x{magnitude:x}")
        } else {
            magnitude.to_string()
        }
    };
    let magnitude = value.unsigned_abs();
    let sign = if value < 0 { "-" } else { "" };
    match scalar {
        Scalar::U64 => format!("UINT64_C({})", digits(magnitude)),
        Scalar::I64 if value == i128::from(i64::MIN) => {
            "(-INT64_C(9223372036854775807) - 1)".to_owned()
        }
        Scalar::I64 => format!("{sign}INT64_C({})", digits(magnitude)),
        Scalar::I32 if value == i128::from(i32::MIN) => "(-2147483647 - 1)".to_owned(),
        Scalar::U32 if value > i128::from(i32::MAX) => format!("{}u", digits(magnitude)),
        _ => format!("{sign}{}", digits(magnitude)),
    }
}

/// A floating constant of `scalar`'s type: `27.5f`, `111320.0`.
fn float_literal(value: f64, scalar: Scalar) -> String {
    let text = if scalar == Scalar::F32 {
        format!("{:?}f", value as f32)
    } else {
        format!("{value:?}")
    };
    if text.contains("inf") || text.contains("NaN") {
        // Not produced by the checker today; keep the header compiling if it ever is.
        let base = if value.is_nan() {
            "(0.0 / 0.0)"
        } else if value > 0.0 {
            "(1.0 / 0.0)"
        } else {
            "(-1.0 / 0.0)"
        };
        return format!("(({}){base})", c_scalar_type(scalar));
    }
    if value.is_sign_negative() {
        format!("({text})")
    } else {
        text
    }
}

/// A field or variant name as a C member name.
fn member_ident(name: &str) -> String {
    let escaped = c_ident(name);
    if escaped != name {
        return escaped;
    }
    // Predefined by gcc and clang in their default GNU modes, and the macros of <stdint.h>,
    // which would replace a member name as well as a keyword would.
    const PREDEFINED: &[&str] = &[
        "linux",
        "unix",
        "i386",
        "typeof",
        "typeof_unqual",
        "SIZE_MAX",
        "PTRDIFF_MIN",
        "PTRDIFF_MAX",
    ];
    let stdint = [
        "INT",
        "UINT",
        "INTMAX",
        "UINTMAX",
        "INTPTR",
        "UINTPTR",
        "SIG_ATOMIC",
        "WCHAR",
        "WINT",
    ]
    .iter()
    .any(|stem| {
        name.strip_prefix(stem).is_some_and(|rest| {
            let rest = rest
                .strip_prefix("_LEAST")
                .or_else(|| rest.strip_prefix("_FAST"))
                .unwrap_or(rest);
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            matches!(rest, "_MIN" | "_MAX" | "_C")
        })
    });
    if PREDEFINED.contains(&name) || stdint {
        format!("{name}_")
    } else {
        escaped
    }
}

/// Names for padding members (`_pad0`, `_pad1`...), avoiding the names in `taken`.
fn padding_names(padding: &[Padding], taken: &mut HashSet<String>) -> Vec<String> {
    (0..padding.len())
        .map(|index| unique_member(format!("_pad{index}"), taken))
        .collect()
}

fn unique_member(mut name: String, taken: &mut HashSet<String>) -> String {
    while !taken.insert(name.clone()) {
        name.push('_');
    }
    name
}

fn plain_member(decl: String) -> Member {
    Member {
        docs: String::new(),
        decl,
        union_members: Vec::new(),
    }
}

fn pad_member(name: &str, size: u64) -> Member {
    plain_member(format!("uint8_t {name}[{size}]"))
}

fn size_assert(name: &str, size: u64) -> Assert {
    Assert {
        condition: format!("sizeof({name}) == {size}"),
        message: format!("{name}: size"),
    }
}

fn align_assert(name: &str, align: u64) -> Assert {
    Assert {
        condition: format!("INTEROP_ALIGNOF({name}) == {align}"),
        message: format!("{name}: alignment"),
    }
}

fn offset_assert(name: &str, member: &str, offset: u64) -> Assert {
    Assert {
        condition: format!("offsetof({name}, {member}) == {offset}"),
        message: format!("{name}.{member}: offset"),
    }
}

/// The text of a doc comment made safe inside `/* */`: no `*/`, no nested `/*` (-Wcomment),
/// no `??` that could start a trigraph.
fn comment_safe(line: &str) -> String {
    line.replace("*/", "* /")
        .replace("/*", "/ *")
        .replace("??", "? ?")
}

/// The lines of a comment body, ` * `-prefixed, for the file header (empty when no docs).
fn comment_body(docs: &str) -> String {
    if docs.trim().is_empty() {
        return String::new();
    }
    docs.trim_end()
        .lines()
        .map(|line| {
            let line = comment_safe(line.trim_end());
            if line.is_empty() {
                " *".to_owned()
            } else {
                format!(" * {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A doc comment at `indent`, ending in a newline; empty when there are no docs.
fn doc_comment(docs: &str, indent: &str) -> String {
    let docs = docs.trim_end();
    if docs.trim().is_empty() {
        return String::new();
    }
    let lines: Vec<&str> = docs.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {} */\n", comment_safe(lines[0].trim()));
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        let line = comment_safe(line.trim_end());
        if line.is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {line}\n"));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(int_literal(7, Scalar::U8, false), "7");
        assert_eq!(int_literal(-3, Scalar::I16, false), "-3");
        assert_eq!(int_literal(0x100, Scalar::U16, true), "0x100");
        assert_eq!(
            int_literal(4_000_000_000, Scalar::U32, false),
            "4000000000u"
        );
        assert_eq!(
            int_literal(i128::from(i32::MIN), Scalar::I32, false),
            "(-2147483647 - 1)"
        );
        assert_eq!(
            int_literal(i128::from(i64::MIN), Scalar::I64, false),
            "(-INT64_C(9223372036854775807) - 1)"
        );
        assert_eq!(
            int_literal(i128::from(u64::MAX), Scalar::U64, false),
            "UINT64_C(18446744073709551615)"
        );
        assert_eq!(float_literal(27.5, Scalar::F32), "27.5f");
        assert_eq!(float_literal(111_320.0, Scalar::F64), "111320.0");
    }

    #[test]
    fn member_names() {
        assert_eq!(member_ident("class"), "class_");
        assert_eq!(member_ident("linux"), "linux_");
        assert_eq!(member_ident("UINT8_MAX"), "UINT8_MAX_");
        assert_eq!(member_ident("INT_LEAST16_MIN"), "INT_LEAST16_MIN_");
        assert_eq!(member_ident("INTERVAL"), "INTERVAL");
        assert_eq!(member_ident("speed"), "speed");
    }

    #[test]
    fn comments() {
        assert_eq!(doc_comment("", ""), "");
        assert_eq!(doc_comment("One line.", "    "), "    /** One line. */\n");
        assert_eq!(
            doc_comment("a */ b /* c ??/", ""),
            "/** a * / b / * c ? ?/ */\n"
        );
        assert_eq!(doc_comment("a\n\nb", ""), "/**\n * a\n *\n * b\n */\n");
    }
}
