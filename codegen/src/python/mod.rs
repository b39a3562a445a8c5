//! The Python backend: one module per package (`fleet_control.py`) of plain `ctypes` classes
//! whose fields carry the IDL's names, usable with nothing but the standard library (no
//! native library is loaded).
//!
//! Everything about a layout (offsets, sizes, padding) is read from the checked model; the
//! module states it with explicit `_padN` fields and checks it when imported
//! (`_assert_layout(Vehicle, 152, {"id": 0, ...})`, an `AssertionError` naming the class and
//! field on any difference, which `python -O` does not remove). Rust code here decides *what*
//! to emit; the askama templates under `templates/python/` decide how it reads, and
//! `templates/python/support.py` is the support code every module carries.
//!
//! # What a module holds
//!
//! For package `fleet.control`, in this order:
//!
//! - a header naming the generator, the package's doc comment as the module docstring,
//!   `from __future__ import annotations`, `import ctypes`, `import enum`, and the modules of
//!   the other packages whose types it uses (see *Imports*);
//! - `__all__` and the package's constants (`MAX_WAYPOINTS: int = 32`);
//! - the support code (private names starting with `_`);
//! - every declared type, after the types it holds (ctypes needs a class before a use by
//!   value), each preceded by the inline containers it uses:
//!   - enums as `enum.IntEnum`, flags as `enum.IntFlag`, with the IDL's member names;
//!   - structs as `ctypes.LittleEndianStructure` subclasses (base `_Struct`), one field per IDL
//!     field with its IDL name and fixed-width little-endian ctypes type, and a
//!     `_padN` byte array for every padding range of the model (no `_pack_`: with every gap
//!     explicit, ctypes' natural alignment places every field where the model does, on every
//!     host, which the import-time assertions prove);
//!   - unions as `{ tag, payload }` (base `_Union`) with a nested `Tag` IntEnum and a nested
//!     `Payload` ctypes union of the variants plus `_raw`, the payload area's bytes;
//!   - inline containers as `_String16`, `_Bytes24`, `_Vec32OfWaypoint`, `_OptionalF32`
//!     (`"_" + names::container_name`) with their `len`/`data`, `len`/`items`,
//!     `present`/`value` fields;
//! - the generated message structs of the services (`FleetControlGetVehicleRequest`);
//! - per service, a class with its `qualified_name` and one `_Method` per method (`name`,
//!   `qualified_name`, `kind`, `id`, `fingerprint` as bytes, `request`, `reply`, `error`,
//!   `single_result`), and `methods`, all of them in order; then its `<Service>Client`,
//!   `<Service>Handler` and `<Service>Publisher` over the `interop` package ([`stubs`]);
//! - `DESCRIPTOR`, the validation descriptor ([`crate::descriptor`]) as bytes.
//!
//! Every declared type and message carries `_qualified_name_`, `_fingerprint_` (32 bytes) and
//! `_descriptor_index_` (its record in this module's `DESCRIPTOR`).
//!
//! # The Python API of the generated classes
//!
//! Fields are read and written as attributes named as in the IDL (escaped, see *Names*).
//! `_fields_` holds every field with its IDL name and its storage type (an enum field is its
//! underlying integer); the class attribute of each field is then replaced by a converting
//! descriptor (`_Field`, a `property` whose reader is ctypes' own where no conversion is
//! needed) that keeps ctypes' `offset` and `size`. So:
//!
//! - scalars read as `int`, `float` or `bool`; a write is range-checked (`ValueError` naming
//!   the field instead of ctypes' silent truncation);
//! - an enum or flags field is stored as its integer (its ctypes type is the underlying integer
//!   type) and reads as the `IntEnum`/`IntFlag` member (the bare `int` for a value the enum
//!   does not know); it takes a member, its name or its value;
//! - structs, unions, containers and arrays read as ctypes views into the same buffer, and take
//!   a plain Python value on assignment: `v.name = "van 7"`, `v.pose = {"heading": 90.0}`,
//!   `v.firmware = [1, 2, 3]`, `v.match = None`;
//! - `string<N>`: `str(s)`, `s.get()`, `s.set("x")` (`ValueError` naming the capacity when the
//!   UTF-8 does not fit), `len(s)` in bytes, `s == "x"`, `s.clear()`;
//! - `bytes<N>`: `bytes(b)`, `b.get()`, `b.set(data)`, `len(b)`, `b == b"x"`, `b.clear()`;
//! - `vec<T, N>`: `len(v)`, `v[i]`, `v[i] = x`, slices, iteration, `v.append(x)`,
//!   `v.extend(xs)`, `v.set(xs)`, `v.get()` (a list), `v.clear()`; `ValueError` when full;
//! - `optional<T>`: `o.get()` (the value or `None`), `o.set(x)` (`None` clears), `o.clear()`,
//!   `bool(o)`, `o.present`;
//! - unions: `u.tag` (a `Tag` member), `u.variant()` (or `u.get()`) → `(name, value)`,
//!   `u.set("Say", "hello")`, `Order(Say="hello")`, `u.payload.Say` (the raw ctypes view);
//! - structs and unions: `Vehicle(id=7, name="van")`, `to_dict()`, `Vehicle.from_dict(d)`
//!   (keys are the IDL's names; enums by name, flags as lists of names, strings as `str`,
//!   bytes as `bytes`, vecs and arrays as lists, an absent optional as `None`, a union as
//!   `{variant: value}`), `==` by value, a `repr` that prints strings as text;
//! - zero-copy views as ctypes provides them: `Vehicle.from_buffer(bytearray)`,
//!   `Vehicle.from_buffer_copy(data)`, `bytes(vehicle)`, `ctypes.sizeof(Vehicle)`,
//!   `Vehicle.name.offset`.
//!
//! Structs, unions and containers refuse attributes that are not fields (`v.nmae = ...` is an
//! `AttributeError`, where ctypes would silently keep it aside). An IDL name that had to be
//! escaped still works where Python's syntax allows it: `v.type` and `v.match` are `v.type_`
//! and `v.match_`; `Vehicle(type=3)` and `from_dict` take both spellings.
//!
//! # Names
//!
//! Types, fields, variants, members and methods keep their IDL names, escaped with
//! [`python_ident`] and, depending on where the name is bound, [`python_global`],
//! [`python_member`] or [`python_enum_member`] (a trailing `_`), then made unique within their
//! scope with more trailing underscores (IDL names `type` and `type_` in one struct become
//! `type_` and `type__`). `to_dict` and `from_dict` keep the IDL's names unescaped. A union's
//! nested `Tag` and `Payload` classes cannot meet a variant (variants are `Tag` members and
//! `Payload` fields); where a union refers to a declared type named `Tag` or `Payload`, it
//! does so through `globals()`.
//!
//! # Imports
//!
//! All generated modules sit in one folder. A module imports the module of each other package
//! whose types it uses under a private alias, relative to its own package when it is part of
//! one (`from . import fleet_geometry as _fleet_geometry`) and as a top-level module otherwise
//! (`import fleet_geometry as _fleet_geometry`), so the folder works both on `sys.path` and as
//! a Python package.

mod stubs;

use std::collections::{BTreeSet, HashMap, HashSet};

use askama::Template;
use interop_idl::model::{
    ConstValue, EnumDef, MethodKind, Package, Padding, Scalar, StructDef, Ty, TyKind, TypeDef,
    TypeKind, UnionDef, STRING_DATA_OFFSET,
};
use interop_idl::Model;

use crate::descriptor::{self, Descriptor};
use crate::names::{
    c_prefix, container_name, containers_in, file_name, python_enum_member, python_global,
    python_ident, python_member,
};
use crate::{GeneratedFile, Language, GENERATOR};

/// The longest line the generator aims for when it wraps a call.
const WIDTH: usize = 99;

/// Generates one module per package of `model`.
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
#[template(path = "python/module.py", escape = "none")]
struct ModuleTemplate<'a> {
    generator: &'a str,
    package: &'a str,
    docstring: String,
    imports: Vec<String>,
    exports: Vec<String>,
    consts: Vec<ConstView>,
    items: Vec<String>,
    descriptor: Vec<String>,
}

struct ConstView {
    comments: String,
    name: String,
    hint: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "python/enum.py", escape = "none")]
struct EnumTemplate {
    decorator: String,
    name: String,
    base: &'static str,
    docstring: String,
    members: Vec<MemberView>,
}

struct MemberView {
    comments: String,
    name: String,
    value: i128,
}

#[derive(Template)]
#[template(path = "python/struct.py", escape = "none")]
struct StructTemplate {
    decorator: Option<String>,
    name: String,
    base: &'static str,
    docstring: String,
    /// Class attributes before `_fields_`: `_capacity_ = 16`...
    attributes: Vec<String>,
    fields: Vec<FieldView>,
    converters: Vec<FieldView>,
    hints: Vec<FieldView>,
    assertion: String,
}

#[derive(Default)]
struct FieldView {
    comments: String,
    name: String,
    ctype: String,
    conv: String,
    hint: String,
}

#[derive(Template)]
#[template(path = "python/union.py", escape = "none")]
struct UnionTemplate {
    decorator: String,
    name: String,
    docstring: String,
    variants: Vec<VariantView>,
    payload_size: u64,
    fields: Vec<FieldView>,
    payload_assertion: String,
    assertion: String,
}

struct VariantView {
    comments: String,
    idl: String,
    member: String,
    field: String,
    tag: i128,
    ctype: Option<String>,
    conv: String,
}

#[derive(Template)]
#[template(path = "python/service.py", escape = "none")]
struct ServiceTemplate {
    name: String,
    docstring: String,
    qualified_name: String,
    methods: Vec<MethodView>,
    methods_tuple: String,
}

struct MethodView {
    comments: String,
    name: String,
    args: Vec<String>,
}

/// Renders a template without blank lines around it (the module template spaces the items).
fn render<T: Template>(template: &T) -> String {
    let text = template
        .render()
        .expect("Python templates render infallibly");
    text.trim_end().trim_start_matches('\n').to_owned()
}

// ---------------------------------------------------------------------------------------------
// One package
// ---------------------------------------------------------------------------------------------

/// What a struct class states about itself besides its fields.
struct ClassInfo<'a> {
    name: &'a str,
    qualified_name: &'a str,
    fingerprint: String,
    docs: &'a str,
    /// `struct` or `message`.
    keyword: &'static str,
    size: u64,
}

struct PackageGen<'m> {
    model: &'m Model,
    package: &'m Package,
    descriptor: Descriptor,
    /// Qualified names of the declared types emitted so far.
    emitted: HashSet<String>,
    /// Names of the container classes emitted so far.
    containers: HashSet<String>,
    /// Rendered classes, in the order they must be defined.
    items: Vec<String>,
    /// Other packages whose module this one uses.
    imports: BTreeSet<String>,
    /// The module-level Python name of every item, by package and IDL name.
    globals: HashMap<String, HashMap<String, String>>,
    /// Module-level names hidden where the class being written refers to them (a union's
    /// nested `Tag` and `Payload` hide a declared type of those names).
    shadowed: &'static [&'static str],
}

impl<'m> PackageGen<'m> {
    fn new(model: &'m Model, package: &'m Package) -> Self {
        PackageGen {
            model,
            package,
            descriptor: descriptor::for_package(model, &package.name),
            emitted: HashSet::new(),
            containers: HashSet::new(),
            items: Vec::new(),
            imports: BTreeSet::new(),
            shadowed: &[],
            globals: HashMap::new(),
        }
    }

    fn generate(mut self) -> GeneratedFile {
        let package = self.package;
        for def in &package.types {
            self.emit_type(def);
        }
        for service in &package.services {
            for method in &service.methods {
                for message in [&method.params, &method.results].into_iter().flatten() {
                    for field in &message.layout.fields {
                        self.emit_containers(&field.ty);
                    }
                    let qualified = format!("{}.{}", package.name, message.name);
                    let docs = format!(
                        "The {} of {}.",
                        role(method.kind, message, method),
                        method.qualified_name
                    );
                    let info = ClassInfo {
                        name: &message.name,
                        qualified_name: &qualified,
                        fingerprint: message.fingerprint.to_string(),
                        docs: &docs,
                        keyword: "message",
                        size: message.size,
                    };
                    let item = self.struct_class(&info, &message.layout);
                    self.items.push(item);
                }
            }
        }
        for service in &package.services {
            let item = self.service_class(service);
            self.items.push(item);
            let item = self.service_stubs(service);
            self.items.push(item);
        }

        let mut exports: Vec<String> = global_order(package)
            .iter()
            .map(|(key, _)| self.global(&package.name, key))
            .collect();
        exports.push("DESCRIPTOR".to_owned());

        let consts = package
            .consts
            .iter()
            .map(|c| {
                let name = self.global(&package.name, &c.name);
                let (hint, value) = match c.value {
                    ConstValue::Int(value) => ("int", value.to_string()),
                    ConstValue::Float(value) => ("float", python_float(value)),
                    ConstValue::Bool(value) => {
                        ("bool", if value { "True" } else { "False" }.to_owned())
                    }
                };
                ConstView {
                    comments: comments(&c.docs, "", "#: "),
                    name,
                    hint,
                    value,
                }
            })
            .collect();

        let imports = self
            .imports
            .iter()
            .map(|other| import_statement(&c_prefix(other)))
            .collect();
        let docstring = if package.docs.trim().is_empty() {
            docstring(&format!("Types of package {}.", package.name), "")
        } else {
            docstring(&package.docs, "")
        };
        let descriptor = self
            .descriptor
            .bytes
            .chunks(40)
            .map(|chunk| chunk.iter().map(|byte| format!("{byte:02x}")).collect())
            .collect();
        let module = ModuleTemplate {
            generator: GENERATOR,
            package: &package.name,
            docstring,
            imports,
            exports,
            consts,
            items: self.items,
            descriptor,
        };
        let mut contents = render(&module);
        contents.push('\n');
        GeneratedFile {
            path: file_name(&package.name, Language::Python).into(),
            contents,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Ordering
    // -----------------------------------------------------------------------------------------

    /// Emits a declared type of this package after everything it holds by value.
    fn emit_type(&mut self, def: &'m TypeDef) {
        if !self.emitted.insert(def.qualified_name.clone()) {
            return;
        }
        match &def.kind {
            TypeKind::Struct(structure) => {
                for field in &structure.fields {
                    self.emit_dependencies(&field.ty);
                }
                let info = ClassInfo {
                    name: &def.name,
                    qualified_name: &def.qualified_name,
                    fingerprint: def.fingerprint.to_string(),
                    docs: &def.docs,
                    keyword: "struct",
                    size: def.size,
                };
                let item = self.struct_class(&info, structure);
                self.items.push(item);
            }
            TypeKind::Union(union) => {
                for payload in union.variants.iter().filter_map(|v| v.payload.as_ref()) {
                    self.emit_dependencies(payload);
                }
                let item = self.union_class(def, union);
                self.items.push(item);
            }
            TypeKind::Enum(members) => {
                let item = self.enum_class(def, members, false);
                self.items.push(item);
            }
            TypeKind::Flags(members) => {
                let item = self.enum_class(def, members, true);
                self.items.push(item);
            }
        }
    }

    /// Emits the declared types of this package that `ty` uses, then its containers.
    fn emit_dependencies(&mut self, ty: &'m Ty) {
        self.emit_named(ty);
        self.emit_containers(ty);
    }

    fn emit_named(&mut self, ty: &'m Ty) {
        match &ty.kind {
            TyKind::Named { name, .. } => {
                let model = self.model;
                if let Some(def) = self.own_type(name) {
                    self.emit_type(def);
                } else {
                    debug_assert!(model.find_type(name).is_some(), "the model holds {name}");
                }
            }
            TyKind::Array { element, .. } | TyKind::Vec { element, .. } => self.emit_named(element),
            TyKind::Optional { value, .. } => self.emit_named(value),
            TyKind::Scalar { .. } | TyKind::String { .. } | TyKind::Bytes { .. } => {}
        }
    }

    fn own_type(&self, qualified_name: &str) -> Option<&'m TypeDef> {
        let (package, name) = qualified_name.rsplit_once('.')?;
        if package != self.package.name {
            return None;
        }
        self.package.types.iter().find(|def| def.name == name)
    }

    fn emit_containers(&mut self, ty: &'m Ty) {
        let mut used = Vec::new();
        containers_in(ty, &mut used);
        for container in used {
            let name = self.container_class(container);
            if self.containers.insert(name.clone()) {
                let item = self.container_item(&name, container);
                self.items.push(item);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Type expressions
    // -----------------------------------------------------------------------------------------

    /// How a module-level class of any package is named from this module.
    fn class_ref(&mut self, qualified_name: &str) -> String {
        let (package, name) = qualified_name.rsplit_once('.').expect("qualified name");
        let name = self.global(package, name);
        if package == self.package.name {
            if self.shadowed.contains(&name.as_str()) {
                format!("globals()[\"{name}\"]")
            } else {
                name
            }
        } else {
            self.imports.insert(package.to_owned());
            format!("{}.{}", module_alias(&c_prefix(package)), name)
        }
    }

    /// The module-level Python name of item `name` of `package` (see [`global_names`]).
    fn global(&mut self, package: &str, name: &str) -> String {
        let model = self.model;
        let names = self.globals.entry(package.to_owned()).or_insert_with(|| {
            let package = model
                .packages
                .iter()
                .find(|p| p.name == package)
                .expect("a package of the model");
            global_names(package)
        });
        names
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} is an item of {package}"))
    }

    fn container_class(&self, ty: &Ty) -> String {
        format!(
            "_{}",
            container_name(ty, &self.package.name).expect("a container type")
        )
    }

    fn named_def(&self, qualified_name: &str) -> &'m TypeDef {
        self.model
            .find_type(qualified_name)
            .expect("the model holds every type it names")
    }

    /// The ctypes type that stores `ty`.
    fn ctype(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => scalar_ctype(*scalar).to_owned(),
            TyKind::Named { name, .. } => match &self.named_def(name).kind {
                TypeKind::Enum(members) | TypeKind::Flags(members) => {
                    scalar_ctype(members.repr).to_owned()
                }
                TypeKind::Struct(_) | TypeKind::Union(_) => self.class_ref(name),
            },
            TyKind::Array { element, len } => {
                let element = self.ctype(element);
                if element.contains(' ') {
                    format!("({element}) * {len}")
                } else {
                    format!("{element} * {len}")
                }
            }
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => self.container_class(ty),
        }
    }

    /// The converter (support code) that reads, writes and dumps `ty`.
    fn conv(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => scalar_conv(*scalar).to_owned(),
            TyKind::Named { name, .. } => {
                let class = self.class_ref(name);
                match &self.named_def(name).kind {
                    TypeKind::Enum(_) => format!("_Enum({class})"),
                    TypeKind::Flags(_) => format!("_Flags({class})"),
                    TypeKind::Struct(_) | TypeKind::Union(_) => format!("_Nested({class})"),
                }
            }
            TyKind::Array { element, len } => format!("_Array({}, {len})", self.conv(element)),
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => {
                format!("_Nested({})", self.container_class(ty))
            }
        }
    }

    /// The type hint of a field of type `ty` (what reading it returns).
    fn hint(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => match scalar {
                Scalar::Bool => "bool".to_owned(),
                Scalar::F32 | Scalar::F64 => "float".to_owned(),
                _ => "int".to_owned(),
            },
            TyKind::Named { name, .. } => self.class_ref(name),
            TyKind::Array { .. } => format!("ctypes.Array[{}]", self.array_element_hint(ty)),
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => self.container_class(ty),
        }
    }

    fn array_element_hint(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Array { element, .. } => match &element.kind {
                TyKind::Array { .. } => {
                    format!("ctypes.Array[{}]", self.array_element_hint(element))
                }
                _ => self.ctype(element),
            },
            _ => self.ctype(ty),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Classes
    // -----------------------------------------------------------------------------------------

    fn decorator(
        &self,
        qualified_name: &str,
        fingerprint: &str,
        renamed: &[(String, String)],
    ) -> String {
        let index = self
            .descriptor
            .index_of(qualified_name)
            .expect("the descriptor holds every type and message of its package");
        let mut rest = vec![format!("\"{fingerprint}\"")];
        if !renamed.is_empty() {
            let pairs: Vec<String> = renamed
                .iter()
                .map(|(py, idl)| format!("\"{py}\": \"{idl}\""))
                .collect();
            rest.push(format!("{{{}}}", pairs.join(", ")));
        }
        // `@_type("fleet.control.Kind", 0, "6f81...")`, or the fingerprint (and the renamed
        // members) on continuation lines.
        let head = format!("@_type(\"{qualified_name}\", {index}, ");
        let one_line = format!("{head}{})", rest.join(", "));
        if one_line.len() <= WIDTH {
            return one_line;
        }
        let mut out = head.trim_end().to_owned();
        let last = rest.len() - 1;
        for (position, arg) in rest.iter().enumerate() {
            let end = if position == last { ")" } else { "," };
            out.push_str(&format!("\n       {arg}{end}"));
        }
        out
    }

    fn enum_class(&mut self, def: &TypeDef, members: &EnumDef, flags: bool) -> String {
        let name = self.global(&self.package.name, &def.name);
        let mut renamed = Vec::new();
        let mut used = HashSet::new();
        let members = members
            .members
            .iter()
            .map(|member| {
                let python = unique(python_enum_member(&member.name), &mut used);
                if python != member.name {
                    renamed.push((python.clone(), member.name.clone()));
                }
                MemberView {
                    comments: comments(&member.docs, "    ", "# "),
                    name: python,
                    value: member.value,
                }
            })
            .collect();
        let keyword = if flags { "flags" } else { "enum" };
        render(&EnumTemplate {
            decorator: self.decorator(&def.qualified_name, &def.fingerprint.to_string(), &renamed),
            name,
            base: if flags { "IntFlag" } else { "IntEnum" },
            docstring: type_docstring(&def.docs, keyword, &def.qualified_name, def.size),
            members,
        })
    }

    /// A declared struct or a generated message.
    fn struct_class(&mut self, info: &ClassInfo<'_>, layout: &StructDef) -> String {
        let ClassInfo {
            name,
            qualified_name,
            docs,
            keyword,
            size,
            ..
        } = *info;
        let mut fields = Vec::new();
        let mut converters = Vec::new();
        let mut hints = Vec::new();
        let mut renamed = Vec::new();
        let mut offsets = Vec::new();
        let mut paddings = layout.padding.iter().peekable();
        let mut pad_index = 0;
        let mut used = HashSet::new();
        let mut push_pad =
            |fields: &mut Vec<FieldView>, offsets: &mut Vec<(String, u64)>, pad: &Padding| {
                let name = format!("_pad{pad_index}");
                pad_index += 1;
                offsets.push((name.clone(), pad.offset));
                fields.push(FieldView {
                    name,
                    ctype: pad_ctype(pad.size),
                    ..FieldView::default()
                });
            };
        for field in &layout.fields {
            while let Some(pad) = paddings.next_if(|pad| pad.offset < field.offset) {
                push_pad(&mut fields, &mut offsets, pad);
            }
            let python = unique(python_member(&field.name), &mut used);
            if python != field.name {
                renamed.push((python.clone(), field.name.clone()));
            }
            offsets.push((python.clone(), field.offset));
            fields.push(FieldView {
                comments: comments(&field.docs, "        ", "# "),
                name: python.clone(),
                ctype: self.ctype(&field.ty),
                ..FieldView::default()
            });
            converters.push(FieldView {
                name: python.clone(),
                conv: self.conv(&field.ty),
                ..FieldView::default()
            });
            hints.push(FieldView {
                name: python,
                hint: self.hint(&field.ty),
                ..FieldView::default()
            });
        }
        for pad in paddings {
            push_pad(&mut fields, &mut offsets, pad);
        }
        let class = self.global(&self.package.name, name);
        render(&StructTemplate {
            decorator: Some(self.decorator(qualified_name, &info.fingerprint, &renamed)),
            docstring: type_docstring(docs, keyword, qualified_name, size),
            base: "_Struct",
            attributes: Vec::new(),
            fields,
            converters,
            hints,
            assertion: assertion(&class, size, &offsets),
            name: class,
        })
    }

    fn union_class(&mut self, def: &TypeDef, union: &UnionDef) -> String {
        let name = self.global(&self.package.name, &def.name);
        let mut variants = Vec::new();
        let mut payload_offsets = Vec::new();
        let (mut fields_used, mut members_used) = (HashSet::new(), HashSet::new());
        for variant in &union.variants {
            let field = unique(python_member(&variant.name), &mut fields_used);
            let (ctype, conv) = match &variant.payload {
                Some(payload) => {
                    payload_offsets.push((field.clone(), 0));
                    (Some(self.ctype(payload)), self.conv(payload))
                }
                None => (None, "None".to_owned()),
            };
            // `conv` is written in the union's class body, where `Tag` and `Payload` are its own.
            let conv = {
                self.shadowed = &["Tag", "Payload"];
                let conv = variant
                    .payload
                    .as_ref()
                    .map(|payload| self.conv(payload))
                    .unwrap_or(conv);
                self.shadowed = &[];
                conv
            };
            variants.push(VariantView {
                comments: comments(&variant.docs, "        ", "# "),
                idl: variant.name.clone(),
                member: unique(python_enum_member(&variant.name), &mut members_used),
                field,
                tag: variant.tag,
                ctype,
                conv,
            });
        }
        payload_offsets.push(("_raw".to_owned(), 0));

        let mut fields = vec![FieldView {
            name: "tag".to_owned(),
            ctype: scalar_ctype(union.tag).to_owned(),
            ..FieldView::default()
        }];
        let mut offsets = vec![("tag".to_owned(), 0)];
        let mut payload_done = false;
        for (pad_index, pad) in union.padding.iter().enumerate() {
            if !payload_done && pad.offset > union.payload_offset {
                fields.push(FieldView {
                    name: "payload".to_owned(),
                    ctype: "Payload".to_owned(),
                    ..FieldView::default()
                });
                offsets.push(("payload".to_owned(), union.payload_offset));
                payload_done = true;
            }
            let pad_name = format!("_pad{pad_index}");
            offsets.push((pad_name.clone(), pad.offset));
            fields.push(FieldView {
                name: pad_name,
                ctype: pad_ctype(pad.size),
                ..FieldView::default()
            });
        }
        if !payload_done {
            fields.push(FieldView {
                name: "payload".to_owned(),
                ctype: "Payload".to_owned(),
                ..FieldView::default()
            });
            offsets.push(("payload".to_owned(), union.payload_offset));
        }
        render(&UnionTemplate {
            decorator: self.decorator(&def.qualified_name, &def.fingerprint.to_string(), &[]),
            docstring: type_docstring(&def.docs, "union", &def.qualified_name, def.size),
            variants,
            payload_size: union.payload_size,
            fields,
            payload_assertion: assertion(
                &format!("{name}.Payload"),
                union.payload_size,
                &payload_offsets,
            ),
            assertion: assertion(&name, def.size, &offsets),
            name,
        })
    }

    fn container_item(&mut self, class: &str, ty: &Ty) -> String {
        let mut attributes = Vec::new();
        let mut fields = Vec::new();
        let mut offsets = Vec::new();
        let mut pad_index = 0;
        let field = |fields: &mut Vec<FieldView>,
                     offsets: &mut Vec<(String, u64)>,
                     name: &str,
                     ctype: String,
                     offset: u64| {
            offsets.push((name.to_owned(), offset));
            fields.push(FieldView {
                name: name.to_owned(),
                ctype,
                ..FieldView::default()
            });
        };
        let mut pad = |fields: &mut Vec<FieldView>,
                       offsets: &mut Vec<(String, u64)>,
                       offset: u64,
                       size: u64| {
            if size > 0 {
                let name = format!("_pad{pad_index}");
                pad_index += 1;
                offsets.push((name.clone(), offset));
                fields.push(FieldView {
                    name,
                    ctype: pad_ctype(size),
                    ..FieldView::default()
                });
            }
        };
        let base = match &ty.kind {
            TyKind::String { capacity } | TyKind::Bytes { capacity } => {
                attributes.push(format!("_capacity_ = {capacity}"));
                field(
                    &mut fields,
                    &mut offsets,
                    "len",
                    "ctypes.c_uint32".to_owned(),
                    0,
                );
                field(
                    &mut fields,
                    &mut offsets,
                    "data",
                    format!("ctypes.c_uint8 * {capacity}"),
                    STRING_DATA_OFFSET,
                );
                let end = STRING_DATA_OFFSET + capacity;
                pad(&mut fields, &mut offsets, end, ty.size - end);
                if matches!(ty.kind, TyKind::String { .. }) {
                    "_String"
                } else {
                    "_Bytes"
                }
            }
            TyKind::Vec {
                element,
                capacity,
                items_offset,
            } => {
                attributes.push(format!("_capacity_ = {capacity}"));
                attributes.push(format!("_item_ = {}", self.conv(element)));
                field(
                    &mut fields,
                    &mut offsets,
                    "len",
                    "ctypes.c_uint32".to_owned(),
                    0,
                );
                pad(&mut fields, &mut offsets, 4, items_offset - 4);
                let items = TyKind::Array {
                    element: element.clone(),
                    len: *capacity,
                };
                let items = Ty {
                    kind: items,
                    size: element.size * capacity,
                    align: element.align,
                };
                let ctype = self.ctype(&items);
                field(&mut fields, &mut offsets, "items", ctype, *items_offset);
                let end = items_offset + items.size;
                pad(&mut fields, &mut offsets, end, ty.size - end);
                "_Vec"
            }
            TyKind::Optional {
                value,
                value_offset,
            } => {
                attributes.push(format!("_item_ = {}", self.conv(value)));
                field(
                    &mut fields,
                    &mut offsets,
                    "present",
                    "_c_bool".to_owned(),
                    0,
                );
                pad(&mut fields, &mut offsets, 1, value_offset - 1);
                let ctype = self.ctype(value);
                field(&mut fields, &mut offsets, "value", ctype, *value_offset);
                let end = value_offset + value.size;
                pad(&mut fields, &mut offsets, end, ty.size - end);
                "_Optional"
            }
            TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. } => {
                unreachable!("only containers get a class")
            }
        };
        attributes.insert(0, format!("_idl_ = \"{ty}\""));
        render(&StructTemplate {
            decorator: None,
            name: class.to_owned(),
            base,
            docstring: docstring(&ty.to_string(), "    "),
            attributes,
            fields,
            converters: Vec::new(),
            hints: Vec::new(),
            assertion: assertion(class, ty.size, &offsets),
        })
    }

    fn service_class(&mut self, service: &interop_idl::model::Service) -> String {
        let package = &self.package.name;
        let mut used = HashSet::new();
        let methods = service
            .methods
            .iter()
            .map(|method| {
                let kind = match method.kind {
                    MethodKind::Rpc => "rpc",
                    MethodKind::Oneway => "oneway",
                    MethodKind::Event => "event",
                };
                let mut args = vec![
                    format!("\"{}\"", method.name),
                    format!("\"{}\"", method.qualified_name),
                    format!("\"{kind}\""),
                    format!("0x{:08X}", method.id),
                    format!("\"{}\"", method.fingerprint),
                ];
                if let Some(params) = &method.params {
                    args.push(format!(
                        "request={}",
                        self.class_ref(&format!("{package}.{}", params.name))
                    ));
                }
                if let Some(results) = &method.results {
                    args.push(format!(
                        "reply={}",
                        self.class_ref(&format!("{package}.{}", results.name))
                    ));
                }
                if let Some(error) = &method.error {
                    args.push(format!("error={}", self.class_ref(error)));
                }
                if method.single_result {
                    args.push("single_result=True".to_owned());
                }
                MethodView {
                    comments: comments(&method.docs, "    ", "#: "),
                    name: unique(python_member(&method.name), &mut used),
                    args,
                }
            })
            .collect::<Vec<_>>();
        let names: Vec<String> = methods.iter().map(|m| m.name.clone()).collect();
        let methods_tuple = match names.len() {
            0 => "()".to_owned(),
            1 => format!("({},)", names[0]),
            _ => {
                let one_line = format!("({})", names.join(", "));
                if one_line.len() + 14 <= WIDTH {
                    one_line
                } else {
                    let mut text = "(\n".to_owned();
                    for line in pack(&names, "        ") {
                        text.push_str(&line);
                        text.push('\n');
                    }
                    text.push_str("    )");
                    text
                }
            }
        };
        render(&ServiceTemplate {
            name: self.global(&self.package.name, &service.name),
            docstring: type_docstring(&service.docs, "service", &service.qualified_name, 0),
            qualified_name: service.qualified_name.clone(),
            methods,
            methods_tuple,
        })
    }
}

/// The module-level Python names of a package's items (constants, types, messages, services,
/// in this order), escaped with [`python_global`] and made unique with trailing underscores.
fn global_names(package: &Package) -> HashMap<String, String> {
    let mut used = HashSet::new();
    global_order(package)
        .into_iter()
        .map(|(key, name)| (key, unique(python_global(&name), &mut used)))
        .collect()
}

/// The module-level items of a package, in the order of `__all__`: each one's key (its IDL
/// name; see [`stubs::role_key`] for a service's client, handler and publisher) and the name
/// it is spelled from.
fn global_order(package: &Package) -> Vec<(String, String)> {
    let mut items: Vec<&str> = Vec::new();
    items.extend(package.consts.iter().map(|c| c.name.as_str()));
    items.extend(package.types.iter().map(|t| t.name.as_str()));
    for method in package.services.iter().flat_map(|s| &s.methods) {
        for message in [&method.params, &method.results].into_iter().flatten() {
            items.push(&message.name);
        }
    }
    items.extend(package.services.iter().map(|s| s.name.as_str()));
    let mut order: Vec<(String, String)> = items
        .into_iter()
        .map(|name| (name.to_owned(), name.to_owned()))
        .collect();
    for service in &package.services {
        for role in stubs::ROLES {
            order.push((
                stubs::role_key(&service.name, role),
                format!("{}{role}", service.name),
            ));
        }
    }
    order
}

/// `name`, or `name` with as many trailing underscores as make it unused in `used`.
fn unique(mut name: String, used: &mut HashSet<String>) -> String {
    while used.contains(&name) {
        name.push('_');
    }
    used.insert(name.clone());
    name
}

/// What a message is to its method: the request, reply or event.
fn role(
    kind: MethodKind,
    message: &interop_idl::model::Message,
    method: &interop_idl::model::Method,
) -> &'static str {
    let is_params = method
        .params
        .as_ref()
        .is_some_and(|params| params.name == message.name);
    match (kind, is_params) {
        (MethodKind::Event, _) => "event",
        (_, true) => "request",
        (_, false) => "reply",
    }
}

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

fn scalar_ctype(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Bool => "_c_bool",
        Scalar::U8 => "ctypes.c_uint8",
        Scalar::U16 => "ctypes.c_uint16",
        Scalar::U32 => "ctypes.c_uint32",
        Scalar::U64 => "ctypes.c_uint64",
        Scalar::I8 => "ctypes.c_int8",
        Scalar::I16 => "ctypes.c_int16",
        Scalar::I32 => "ctypes.c_int32",
        Scalar::I64 => "ctypes.c_int64",
        Scalar::F32 => "ctypes.c_float",
        Scalar::F64 => "ctypes.c_double",
    }
}

fn scalar_conv(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Bool => "_BOOL",
        Scalar::U8 => "_U8",
        Scalar::U16 => "_U16",
        Scalar::U32 => "_U32",
        Scalar::U64 => "_U64",
        Scalar::I8 => "_I8",
        Scalar::I16 => "_I16",
        Scalar::I32 => "_I32",
        Scalar::I64 => "_I64",
        Scalar::F32 => "_F32",
        Scalar::F64 => "_F64",
    }
}

fn pad_ctype(size: u64) -> String {
    format!("ctypes.c_uint8 * {size}")
}

/// A float literal Python reads back as the same value.
fn python_float(value: f64) -> String {
    let text = format!("{value:?}");
    if text.contains(['.', 'e', 'E']) || text.contains("inf") || text.contains("NaN") {
        text
    } else {
        format!("{text}.0")
    }
}

/// The private alias of another package's module.
fn module_alias(module: &str) -> String {
    format!("_{module}")
}

/// The statement importing a sibling module (see the module docs).
fn import_statement(module: &str) -> String {
    let alias = module_alias(module);
    if python_ident(module) != module {
        // A keyword cannot follow `import`: go through importlib.
        return format!(
            "import importlib as _importlib\n\n{alias} = _importlib.import_module(\n    (\".\" if __package__ else \"\") + \"{module}\", __package__ or None\n)"
        );
    }
    format!("if __package__:\n    from . import {module} as {alias}\nelse:\n    import {module} as {alias}")
}

/// Doc text as comment lines, each with `indent` and `marker`, ending in a newline (or empty).
fn comments(docs: &str, indent: &str, marker: &str) -> String {
    let docs = docs.trim_end();
    if docs.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for line in docs.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(&format!("{indent}{}\n", marker.trim_end()));
        } else {
            out.push_str(&format!("{indent}{marker}{line}\n"));
        }
    }
    out
}

/// A docstring at `indent`, without a trailing newline.
fn docstring(text: &str, indent: &str) -> String {
    let text = text
        .trim()
        .replace('\\', "\\\\")
        .replace("\"\"\"", "\\\"\\\"\\\"");
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() == 1 && !text.ends_with('"') && indent.len() + text.len() + 6 <= WIDTH {
        return format!("{indent}\"\"\"{text}\"\"\"");
    }
    let mut out = format!("{indent}\"\"\"");
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line.trim_end());
    }
    out.push('\n');
    out.push_str(indent);
    out.push_str("\"\"\"");
    out
}

/// The docstring of a class: its doc comment, or what it is.
fn type_docstring(docs: &str, keyword: &str, qualified_name: &str, size: u64) -> String {
    if docs.trim().is_empty() {
        let text = if keyword == "service" {
            format!("Service {qualified_name}.")
        } else {
            format!("{keyword} {qualified_name} ({size} bytes).")
        };
        docstring(&text, "    ")
    } else {
        docstring(docs, "    ")
    }
}

/// `_assert_layout(Class, size, {"field": offset, ...})`, wrapped to [`WIDTH`].
fn assertion(class: &str, size: u64, offsets: &[(String, u64)]) -> String {
    let entries: Vec<String> = offsets
        .iter()
        .map(|(name, offset)| format!("\"{name}\": {offset}"))
        .collect();
    let one_line = format!(
        "_assert_layout({class}, {size}, {{{}}})",
        entries.join(", ")
    );
    if one_line.len() <= WIDTH {
        return one_line;
    }
    let mut out = format!("_assert_layout({class}, {size}, {{\n");
    for line in pack(&entries, "    ") {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("})");
    out
}

/// Items separated by ", " packed into lines of at most [`WIDTH`] columns, each ending in ",".
fn pack(items: &[String], indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for item in items {
        if !line.is_empty() && indent.len() + line.len() + 1 + item.len() + 1 > WIDTH {
            lines.push(format!("{indent}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(item);
        line.push(',');
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}
