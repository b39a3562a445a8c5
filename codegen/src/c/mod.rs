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
//! askama templates and what they lay out. The maps and sets of names use `rustc-hash`, several
//! times cheaper than the standard hasher for such short keys. Each block is rendered straight
//! into the header's text: the templates write borrowed values
//! (declarations, doc comments, hex rows) rather than strings built beforehand.

mod comments;
mod constants;
mod containers;
mod enums;
mod idents;
pub mod service;
mod structs;
mod templates;
mod types;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::rc::Rc;

use askama::Template;
use interop_idl::model::{Message, Package, Ty, TypeDef};
use interop_idl::Model;

use crate::descriptor;
use crate::names::{c_macro_prefix, c_prefix, file_name};
use crate::{GeneratedFile, Language, GENERATOR};
use comments::comment_body;
use rustc_hash::{FxHashMap, FxHashSet};
use templates::{render_into, HeaderTemplate};

// The rest of what `service` shares with the other sections of a header (through `super::`).
use comments::doc_comment;
use constants::hex_rows;
use idents::{member_ident, unique_member};
use templates::Define;

/// Macros every generated header defines (under `#ifndef`), which no generated name may take.
const COMMON_MACROS: &[&str] = &["INTEROP_STATIC_ASSERT", "INTEROP_ALIGNOF"];

/// Generates one header per package of `model`.
pub fn generate(model: &Model) -> Vec<GeneratedFile> {
    crate::generate(model, &[Language::C])
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
    /// The bytes of the package's validation descriptor.
    descriptor: Vec<u8>,
    /// The descriptor index of each record, by qualified name.
    indices: FxHashMap<String, u32>,
    /// This package's types, by qualified name.
    own_types: FxHashMap<&'m str, &'m TypeDef>,
    /// Macro names taken so far in this header.
    macros: FxHashSet<Rc<str>>,
    /// Ordinary identifiers (typedefs, functions) taken so far in this header.
    idents: FxHashSet<String>,
    /// The C name of every container emitted so far, in emission order.
    container_names: Vec<String>,
    /// The index in `container_names` of every container emitted so far, by container name.
    containers: FxHashMap<String, usize>,
    /// The index in `container_names` of each container type of the model met so far, by
    /// address (the types of the fields, variants and containers of this header).
    container_at: FxHashMap<*const Ty, usize>,
    /// Declared types emitted or being emitted.
    visited: FxHashSet<&'m str>,
    /// The C name of every declared type this header uses, by qualified name.
    declared: FxHashMap<&'m str, String>,
    /// The C name of every field and variant name met so far.
    member_names: FxHashMap<&'m str, Cow<'m, str>>,
    /// The headers of other packages this one uses.
    includes: BTreeSet<String>,
    /// The rendered definitions so far, in order, each after a blank line.
    blocks: String,
    /// A reusable list of the containers of one type.
    container_buffer: Vec<&'m Ty>,
    /// A reusable buffer for the name of a container.
    key_buffer: String,
    /// A reusable buffer for the name of a macro.
    name_buffer: String,
}

impl<'m> PackageGen<'m> {
    /// The generator of `package`, with the names of its types and messages taken.
    fn new(model: &'m Model, package: &'m Package) -> Self {
        let prefix = c_prefix(&package.name);
        let definitions = package.types.len() + messages(package).count();
        // Each definition takes its typedef's name, and two macros or more.
        let mut idents = FxHashSet::with_capacity_and_hasher(2 * definitions, Default::default());
        for def in &package.types {
            idents.insert([&prefix, "_", &def.name].concat());
        }
        for message in messages(package) {
            idents.insert([&prefix, "_", &message.name].concat());
        }
        let mut macros = FxHashSet::with_capacity_and_hasher(4 * definitions, Default::default());
        macros.extend(COMMON_MACROS.iter().map(|name| Rc::from(*name)));
        let descriptor = descriptor::for_package(model, &package.name);
        PackageGen {
            indices: descriptor
                .names
                .into_iter()
                .enumerate()
                .map(|(index, name)| (name, index as u32))
                .collect(),
            descriptor: descriptor.bytes,
            own_types: package
                .types
                .iter()
                .map(|def| (def.qualified_name.as_str(), def))
                .collect(),
            package,
            macro_prefix: c_macro_prefix(&package.name),
            prefix,
            macros,
            idents,
            container_names: Vec::new(),
            containers: FxHashMap::default(),
            container_at: FxHashMap::default(),
            visited: FxHashSet::with_capacity_and_hasher(package.types.len(), Default::default()),
            declared: FxHashMap::default(),
            member_names: FxHashMap::default(),
            includes: BTreeSet::new(),
            blocks: String::with_capacity(BLOCK_BYTES * (definitions + 1)),
            container_buffer: Vec::new(),
            key_buffer: String::new(),
            name_buffer: String::new(),
        }
    }

    /// The header: constants, types and messages in definition order, services, descriptor.
    fn generate(mut self) -> GeneratedFile {
        let path = file_name(&self.package.name, Language::C);
        let guard =
            self.unique_macro(&mut ["INTEROP_GENERATED_", &self.macro_prefix, "_H"].concat());
        let consts = self.consts();
        for def in &self.package.types {
            self.emit_type(def);
        }
        self.emit_messages();
        let descriptor_function = self.unique_ident(format!("{}_descriptor", self.prefix));
        let descriptor_array = self.unique_ident(format!("{}_descriptor_bytes", self.prefix));
        let services = self.services(&descriptor_array);
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
            guard: &guard,
            includes: &self.includes,
            runtime: !self.package.services.is_empty(),
            consts: &consts,
            blocks: &self.blocks,
            services: &services,
            descriptor_function: &descriptor_function,
            descriptor_array: &descriptor_array,
            descriptor: &self.descriptor,
        };
        // The blocks, the descriptor's rows (6 bytes a byte and 5 a row of 16), the services
        // and the rest.
        let methods: usize = self
            .package
            .services
            .iter()
            .map(|service| service.methods.len() + 1)
            .sum();
        let mut contents = String::with_capacity(
            self.blocks.len()
                + self.descriptor.len() * 7
                + methods * METHOD_BYTES
                + HeaderTemplate::SIZE_HINT
                + 4096,
        );
        render_into(&header, &mut contents);
        GeneratedFile {
            path: path.into(),
            contents,
        }
    }
}

/// About the most bytes of one type's block, to reserve the text of the blocks at once.
const BLOCK_BYTES: usize = 2048;

/// About the most bytes of the stubs of one method, to reserve the text of a header at once.
const METHOD_BYTES: usize = 6144;

/// Renders `template` at the end of `blocks`, after a blank line.
fn push_block<T: Template>(blocks: &mut String, template: &T) {
    blocks.push_str("\n\n");
    render_into(template, blocks);
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
