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
//! [`python_ident`](crate::names::python_ident) and, depending on where the name is bound, [`python_global`](crate::names::python_global),
//! [`python_member`](crate::names::python_member) or [`python_enum_member`](crate::names::python_enum_member) (a trailing `_`), then made unique within their
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
//!
//! # Code map
//!
//! `PackageGen` writes one module; this file puts the module together, and each other file
//! adds one kind of thing to it: `order` the order of the classes, `structs`, `unions`,
//! `enums`, `containers`, `services` and `stubs` the classes themselves, `decorator`
//! their `@_type`, `fields` their `_fields_` and layout assertion, `type_exprs` how a
//! field's type is written, `naming` the module-level names and imports, `text` docstrings,
//! comments and wrapping, and `templates` the askama templates they fill.

mod containers;
mod decorator;
mod enums;
mod fields;
mod naming;
mod order;
mod services;
mod structs;
mod stubs;
mod templates;
mod text;
mod type_exprs;
mod unions;

use std::collections::{BTreeSet, HashMap, HashSet};

use interop_idl::model::{ConstValue, Package};
use interop_idl::Model;

use crate::descriptor::{self, Descriptor};
use crate::names::{c_prefix, file_name};
use crate::{GeneratedFile, Language, GENERATOR};
// `stubs` imports `unique`, `docstring` and `render` from this module.
use naming::{global_order, import_statement, unique, Scope};
use templates::{render, ConstView, ModuleTemplate};
use text::{comments, docstring, python_float, Hex};

/// Generates one module per package of `model`.
pub fn generate(model: &Model) -> Vec<GeneratedFile> {
    crate::generate(model, &[Language::Python])
}

/// Generates the module of `package`, one of `model`'s packages.
pub(crate) fn generate_package(model: &Model, package: &Package) -> GeneratedFile {
    PackageGen::new(model, package).generate()
}

/// The generator of one package's module: the classes written so far, in definition order,
/// and what they need from the rest of the module.
struct PackageGen<'m> {
    model: &'m Model,
    package: &'m Package,
    /// The bytes of the package's validation descriptor.
    descriptor: Vec<u8>,
    /// The index of each record of the descriptor, by qualified name.
    descriptor_index: HashMap<String, u32>,
    /// Qualified names of the declared types emitted so far.
    emitted: HashSet<&'m str>,
    /// Names of the container classes emitted so far.
    containers: HashSet<String>,
    /// Rendered classes, in the order they must be defined.
    items: Vec<String>,
    /// Other packages whose module this one uses.
    imports: BTreeSet<String>,
    /// What this module knows about its own package.
    own: Scope<'m>,
    /// What this module knows about each other package it names, by package name.
    scopes: HashMap<&'m str, Scope<'m>>,
    /// Module-level names hidden where the class being written refers to them (a union's
    /// nested `Tag` and `Payload` hide a declared type of those names).
    shadowed: &'static [&'static str],
}

impl<'m> PackageGen<'m> {
    /// A generator of the module of `package`, one of `model`'s.
    fn new(model: &'m Model, package: &'m Package) -> Self {
        let Descriptor { bytes, names } = descriptor::for_package(model, &package.name);
        let mut descriptor_index = HashMap::with_capacity(names.len());
        for (index, name) in names.into_iter().enumerate() {
            let index = u32::try_from(index).expect("a descriptor has at most u32::MAX records");
            descriptor_index.entry(name).or_insert(index);
        }
        PackageGen {
            model,
            package,
            descriptor: bytes,
            descriptor_index,
            emitted: HashSet::with_capacity(package.types.len()),
            containers: HashSet::new(),
            items: Vec::with_capacity(package.types.len()),
            imports: BTreeSet::new(),
            shadowed: &[],
            own: Scope::of(package),
            scopes: HashMap::new(),
        }
    }

    /// The whole module, in the order the module docs give.
    fn generate(mut self) -> GeneratedFile {
        let package = self.package;
        for def in &package.types {
            self.emit_type(def);
        }
        for service in &package.services {
            self.emit_messages(service);
        }
        for service in &package.services {
            let item = self.service_class(service);
            self.items.push(item);
            let item = self.service_stubs(service);
            self.items.push(item);
        }

        let consts = self.consts();
        let globals = &self.own.globals;
        let mut exports: Vec<&str> = global_order(package)
            .iter()
            .map(|(key, _)| globals[key.as_ref()].name.as_str())
            .collect();
        exports.push("DESCRIPTOR");
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
        let descriptor = self.descriptor.chunks(40).map(Hex).collect();
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

    /// The package's constants (`MAX_WAYPOINTS: int = 32`).
    fn consts(&mut self) -> Vec<ConstView> {
        let package = self.package;
        package
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
            .collect()
    }
}
