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
//! Fields and variants keep their IDL names, escaped by [`c_ident`](crate::names::c_ident) plus the few macros C
//! compilers predefine in their default GNU modes (`linux`, `unix`, `i386`) and the macros of
//! `<stdint.h>`. Macro names are the package prefix, the type and the member upper-cased:
//! `FLEET_CONTROL_FAULT_UNKNOWNVEHICLE`. Should two generated names of a header still meet (a
//! member `All` of flags, which meets the `_ALL` mask), the later one gets a trailing `_`.
//!
//! # Code map
//!
//! [`generate`] runs one package generator per package (here). It writes the constants
//! (`constants`), then every type and message in definition order (`types`): enums and flags
//! (`enums`), structs, unions and messages (`structs`), inline containers (`containers`); then
//! the services ([`service`]) and the descriptor. `idents` keeps the names of a header unique
//! and spells C types, `comments` turns IDL docs into C comments, and `templates` holds the
//! askama templates and what they lay out.

mod comments;
mod constants;
mod containers;
mod enums;
mod idents;
pub mod service;
mod structs;
mod templates;
mod types;

use std::collections::{BTreeSet, HashMap, HashSet};

use interop_idl::model::{Message, Package, TypeDef};
use interop_idl::Model;

use crate::descriptor::{self, Descriptor};
use crate::names::{c_macro_prefix, c_prefix, file_name};
use crate::{GeneratedFile, Language, GENERATOR};
use comments::comment_body;
use constants::hex_rows;
use templates::{render, HeaderTemplate};

// The rest of what `service` shares with the other sections of a header (through `super::`).
use comments::doc_comment;
use idents::{member_ident, unique_member};
use templates::Define;

/// Macros every generated header defines (under `#ifndef`), which no generated name may take.
const COMMON_MACROS: &[&str] = &["INTEROP_STATIC_ASSERT", "INTEROP_ALIGNOF"];

/// Generates one header per package of `model`.
pub fn generate(model: &Model) -> Vec<GeneratedFile> {
    model
        .packages
        .iter()
        .map(|package| generate_package(model, package))
        .collect()
}

/// Generates the header of `package`, one of `model`'s packages.
pub(crate) fn generate_package(model: &Model, package: &Package) -> GeneratedFile {
    PackageGen::new(model, package).generate()
}

/// The generation of one package's header: what it has emitted and the names it has taken so
/// far.
struct PackageGen<'m> {
    /// The package the header is for.
    package: &'m Package,
    /// The prefix of its C names: `fleet_control`.
    prefix: String,
    /// The prefix of its macros: `FLEET_CONTROL`.
    macro_prefix: String,
    /// The package's validation descriptor.
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
    /// The headers of other packages this one uses.
    includes: BTreeSet<String>,
    /// The rendered definitions so far, in order.
    blocks: Vec<String>,
}

impl<'m> PackageGen<'m> {
    /// The generator of `package`, with the names of its types and messages taken.
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

    /// The header: constants, types and messages in definition order, services, descriptor.
    fn generate(mut self) -> GeneratedFile {
        let path = file_name(&self.package.name, Language::C);
        let guard = self.unique_macro(format!("INTEROP_GENERATED_{}_H", self.macro_prefix));
        let consts = self.consts();
        for def in &self.package.types {
            self.emit_type(def);
        }
        self.emit_messages();
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
