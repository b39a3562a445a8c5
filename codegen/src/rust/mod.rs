//! The Rust backend: one module per package (`fleet.control.rs`), built with `quote` and
//! formatted with `prettyplease`, meant to be included with `interop::include_idl!` inside the
//! module that stands for the package (`mod fleet { mod control { ... } }`).
//!
//! Every layout (offsets, sizes, padding) comes from the checked model; this backend only
//! writes it down, and asserts it at compile time so that a Rust layout that disagrees with the
//! model fails to build.

mod containers;
mod docs;
mod print;
mod services;
mod source;
mod stubs;
mod syntax;
mod types;
mod unions;

use interop_idl::model::{Model, Package, Scalar, Ty, TyKind};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::descriptor::{self, Descriptor};
use crate::names;
use crate::{GeneratedFile, Language, GENERATOR};

/// Options of the Rust backend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Whether generated types implement serde's `Serialize` and `Deserialize` (through
    /// `interop::serde`, so the crate that includes them enables the `serde` feature of
    /// `interop`): structs as objects with the IDL field names, enums by member name, flags
    /// as their bits, unions as `{"Variant": value}` (or `"Variant"`), strings as strings,
    /// bytes and vecs as arrays, optionals as the value or `null`.
    pub serde: bool,
}

impl Options {
    /// The default options with serde support on or off.
    pub fn with_serde(mut self, serde: bool) -> Options {
        self.serde = serde;
        self
    }
}

/// Generates one Rust file per package of `model` with the default [`Options`].
pub fn generate(model: &Model) -> Vec<GeneratedFile> {
    generate_with(model, &Options::default())
}

/// Generates one Rust file per package of `model`, spread over the available cores.
pub fn generate_with(model: &Model, options: &Options) -> Vec<GeneratedFile> {
    crate::generate_with(model, &[Language::Rust], options)
}

/// What the generation of one package needs to know.
pub(crate) struct Ctx<'m> {
    pub model: &'m Model,
    pub package: &'m Package,
    pub descriptor: &'m PackageDescriptor,
    /// Whether to implement serde's traits.
    pub serde: bool,
}

/// A package's validation descriptor, and the index of each of its records by name.
pub(crate) struct PackageDescriptor {
    pub descriptor: Descriptor,
    records: FxHashMap<String, u32>,
}

impl PackageDescriptor {
    fn of(model: &Model, package: &Package) -> PackageDescriptor {
        let descriptor = descriptor::for_package(model, &package.name);
        let mut records = FxHashMap::default();
        for (index, name) in descriptor.names.iter().enumerate() {
            let index = u32::try_from(index).expect("a descriptor has at most u32::MAX records");
            records.entry(name.clone()).or_insert(index);
        }
        PackageDescriptor {
            descriptor,
            records,
        }
    }

    /// The index of the record of the type or message `qualified_name` (`fleet.control.Kind`).
    pub(crate) fn record(&self, qualified_name: &str) -> u32 {
        *self
            .records
            .get(qualified_name)
            .unwrap_or_else(|| panic!("the package's descriptor has no record {qualified_name}"))
    }
}

/// What a job costs (see [`crate::parallel`]), in units of what the C backend spends on one
/// type, as measured on a schema of 1,000 types: a type or message here, and one method's
/// stubs, built as syntax and printed by `prettyplease`.
const TYPE_COST: usize = 3;
const METHOD_STUBS_COST: usize = 25;

/// The generation of the Rust file of `package` as jobs, each writing one piece of it (the
/// package's types and messages; each service's descriptor and stubs; the inline
/// containers), to be joined in order by [`join_pieces`]. `descriptor` holds the package's
/// validation descriptor once a job has computed it.
pub(crate) fn package_jobs<'a>(
    model: &'a Model,
    package: &'a Package,
    options: &'a Options,
    descriptor: &'a OnceLock<PackageDescriptor>,
) -> Vec<crate::parallel::Job<'a, String>> {
    let ctx = move || Ctx {
        model,
        package,
        descriptor: descriptor.get_or_init(|| PackageDescriptor::of(model, package)),
        serde: options.serde,
    };
    let mut jobs: Vec<crate::parallel::Job<'a, String>> = Vec::new();
    jobs.push((
        crate::package_cost(package) * TYPE_COST,
        Box::new(move || head(&ctx())),
    ));
    for service in &package.services {
        jobs.push((
            service.methods.len() * METHOD_STUBS_COST,
            Box::new(move || {
                let ctx = ctx();
                let mut text = String::new();
                services::descriptor(&ctx, service, &mut text);
                text.push_str(&print::items(syntax::parse_items(stubs::stubs(
                    &ctx, service,
                ))));
                text.push('\n');
                text
            }),
        ));
    }
    jobs.push((1, Box::new(move || containers::module(&ctx()))));
    jobs
}

/// The Rust file from the pieces [`package_jobs`] wrote, in order: every piece's items are
/// followed by a blank line, which the file does not end with.
pub(crate) fn join_pieces(pieces: Vec<String>) -> String {
    let mut text = pieces.concat();
    text.truncate(text.trim_end_matches('\n').len());
    text.push('\n');
    text
}

/// The file's header, constants, descriptor, types and messages, each item followed by a
/// blank line.
fn head(ctx: &Ctx<'_>) -> String {
    let package = ctx.package;
    let mut text = format!(
        "// Generated by {GENERATOR} from package `{}`. Do not edit.\n",
        package.name
    );
    if !package.docs.trim().is_empty() {
        text.push_str("//\n");
        for line in package.docs.lines() {
            text.push_str(format!("// {line}").trim_end());
            text.push('\n');
        }
    }
    text.push('\n');
    for constant in &package.consts {
        types::constant(&mut text, constant);
        text.push('\n');
    }
    descriptor_const(ctx, &mut text);
    for def in &package.types {
        types::type_def(ctx, def, &mut text);
    }
    for service in &package.services {
        services::messages(ctx, service, &mut text);
    }
    text
}

/// `pub const DESCRIPTOR: &[u8] = b"...";`, followed by a blank line.
fn descriptor_const(ctx: &Ctx<'_>, out: &mut String) {
    let doc = docs::attrs(&format!(
        "The validation descriptor of package `{}`: the table from which \
         `interop::validate` checks received bytes of its types and messages.",
        ctx.package.name
    ));
    source::docs(out, 0, &doc);
    out.push_str("pub const DESCRIPTOR: &[u8] = ");
    out.push_str(&source::byte_string_literal(
        &ctx.descriptor.descriptor.bytes,
    ));
    out.push_str(";\n\n");
}

/// An identifier for a name of the schema, escaped if it is a Rust keyword.
pub(crate) fn ident(name: &str) -> Ident {
    let escaped = names::rust_ident(name);
    match escaped.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&escaped, Span::call_site()),
    }
}

/// An identifier the backend makes up (`_pad0`, `set_drive`, `FLEET_CONTROL`).
pub(crate) fn made_ident(name: &str) -> Ident {
    ident(name)
}

/// [`ident`] as text: `r#type`, `Vehicle`.
pub(crate) fn rust_name(name: &str) -> String {
    names::rust_ident(name)
}

/// Where the code being generated sits: the package's module, or its `inline` module of
/// containers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Package,
    Inline,
}

/// The Rust type of `ty`, as written in `scope` of package `package`: `u8`, `[f32; 3]`,
/// `inline::String16`, `super::geometry::Pose`.
pub(crate) fn type_text(ty: &Ty, package: &str, scope: Scope) -> String {
    match &ty.kind {
        TyKind::Scalar { scalar } => scalar.name().to_owned(),
        TyKind::Named { name, .. } => declared_type_text(name, package, scope),
        TyKind::Array { element, len } => {
            format!("[{}; {len}]", type_text(element, package, scope))
        }
        TyKind::String { .. }
        | TyKind::Bytes { .. }
        | TyKind::Vec { .. }
        | TyKind::Optional { .. } => {
            let name = rust_name(&names::container_name(ty, package).expect("a container"));
            match scope {
                Scope::Package => format!("inline::{name}"),
                Scope::Inline => name,
            }
        }
    }
}

/// The path to the declared type `qualified` from `scope` of package `from`: `Pose` in the
/// same package, `super::geometry::Pose` from `fleet.control` to `fleet.geometry`.
pub(crate) fn declared_type_text(qualified: &str, from: &str, scope: Scope) -> String {
    let (owner, name) = qualified.rsplit_once('.').expect("a qualified name");
    let common = from
        .split('.')
        .zip(owner.split('.'))
        .take_while(|(a, b)| a == b)
        .count();
    let mut up = from.split('.').count() - common;
    if scope == Scope::Inline {
        up += 1;
    }
    let mut path = String::new();
    for _ in 0..up {
        path.push_str("super::");
    }
    for segment in owner.split('.').skip(common) {
        path.push_str(&rust_name(segment));
        path.push_str("::");
    }
    path.push_str(&rust_name(name));
    path
}

/// The Rust type of `ty` as tokens, as written in `scope` of package `package`.
pub(crate) fn rust_type(ty: &Ty, package: &str, scope: Scope) -> TokenStream {
    type_tokens(&type_text(ty, package, scope))
}

/// [`declared_type_text`] as tokens.
pub(crate) fn type_path(qualified: &str, from: &str, scope: Scope) -> TokenStream {
    type_tokens(&declared_type_text(qualified, from, scope))
}

fn type_tokens(text: &str) -> TokenStream {
    text.parse()
        .unwrap_or_else(|error| panic!("the Rust backend wrote a type that does not lex: {error}"))
}

/// The value a field takes in a `Default` implementation written out by hand.
pub(crate) fn default_text(ty: &Ty) -> String {
    match &ty.kind {
        TyKind::Scalar {
            scalar: Scalar::Bool,
        } => "false".to_owned(),
        TyKind::Scalar {
            scalar: Scalar::F32 | Scalar::F64,
        } => "0.0".to_owned(),
        TyKind::Scalar { .. } => "0".to_owned(),
        TyKind::Array { element, len } => format!("[{}; {len}]", default_text(element)),
        _ => "Default::default()".to_owned(),
    }
}

/// Whether `#[derive(Default)]` works for a field of this type (the standard library
/// implements `Default` for arrays of at most 32 elements).
pub(crate) fn derives_default(ty: &Ty) -> bool {
    match &ty.kind {
        TyKind::Array { element, len } => *len <= 32 && derives_default(element),
        _ => true,
    }
}

/// Whether every bit pattern is a valid value of `ty` (zerocopy's `FromBytes`): false for
/// bools, enums, optionals and whatever holds one outside a `vec` (which stores such elements
/// as raw bytes).
pub(crate) fn is_from_bytes(model: &Model, ty: &Ty) -> bool {
    use interop_idl::model::{NamedKind, TypeKind};
    match &ty.kind {
        TyKind::Scalar { scalar } => *scalar != Scalar::Bool,
        TyKind::Named { name, kind } => match kind {
            NamedKind::Enum => false,
            NamedKind::Flags | NamedKind::Union => true,
            NamedKind::Struct => match model.find_type(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(def)) => def
                    .fields
                    .iter()
                    .all(|field| is_from_bytes(model, &field.ty)),
                _ => false,
            },
        },
        TyKind::Array { element, .. } => is_from_bytes(model, element),
        // Elements that are not `FromBytes` are stored as raw bytes.
        TyKind::String { .. } | TyKind::Bytes { .. } | TyKind::Vec { .. } => true,
        TyKind::Optional { .. } => false,
    }
}

/// Whether `ty` can be `Eq` (it holds no float).
pub(crate) fn is_eq(model: &Model, ty: &Ty) -> bool {
    use interop_idl::model::{NamedKind, TypeKind};
    match &ty.kind {
        TyKind::Scalar { scalar } => !matches!(scalar, Scalar::F32 | Scalar::F64),
        TyKind::Named { name, kind } => match kind {
            NamedKind::Enum | NamedKind::Flags | NamedKind::Union => true,
            NamedKind::Struct => match model.find_type(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(def)) => {
                    def.fields.iter().all(|field| is_eq(model, &field.ty))
                }
                _ => false,
            },
        },
        TyKind::Array { element, .. } | TyKind::Vec { element, .. } => is_eq(model, element),
        TyKind::String { .. } | TyKind::Bytes { .. } => true,
        TyKind::Optional { value, .. } => is_eq(model, value),
    }
}

/// The naming lints a schema's own spelling would trip: `struct point`, a field `dwellS`, a
/// const `max`.
pub(crate) fn naming_lints(
    type_names: &[&str],
    value_names: &[&str],
    const_names: &[&str],
) -> Vec<&'static str> {
    let mut lints = Vec::new();
    if type_names.iter().any(|name| !is_camel(name)) {
        lints.push("non_camel_case_types");
    }
    if value_names
        .iter()
        .any(|name| name.chars().any(char::is_uppercase))
    {
        lints.push("non_snake_case");
    }
    if const_names
        .iter()
        .any(|name| name.chars().any(char::is_lowercase))
    {
        lints.push("non_upper_case_globals");
    }
    if type_names.iter().any(|name| {
        name.len() > 1
            && name.chars().all(|c| !c.is_lowercase())
            && name.chars().filter(|c| c.is_uppercase()).count() > 1
    }) {
        lints.push("clippy::upper_case_acronyms");
    }
    lints
}

/// [`naming_lints`] as an `#[allow(...)]` attribute in tokens, or nothing.
pub(crate) fn naming_allows(
    type_names: &[&str],
    value_names: &[&str],
    const_names: &[&str],
) -> TokenStream {
    let lints = naming_lints(type_names, value_names, const_names);
    if lints.is_empty() {
        TokenStream::new()
    } else {
        type_tokens(&format!("#[allow({})]", lints.join(", ")))
    }
}

fn is_camel(name: &str) -> bool {
    let trimmed = name.trim_matches('_');
    trimmed.is_empty() || (!trimmed.starts_with(char::is_lowercase) && !trimmed.contains('_'))
}

/// The attribute that allows [`shares_variant_words`].
pub(crate) const VARIANT_NAMES_ALLOW: &str = "#[allow(clippy::enum_variant_names)]";

/// Whether clippy would complain that every variant shares a word with the others or with the
/// enum.
pub(crate) fn shares_variant_words(enum_name: &str, variants: &[&str]) -> bool {
    let words: Vec<Vec<String>> = variants
        .iter()
        .map(|name| names::camel_words(name))
        .collect();
    let shared = |pick: fn(&Vec<String>) -> Option<&String>| {
        variants.len() >= 2 && words.iter().all(|w| w.len() > 1) && {
            let first = pick(&words[0]);
            words.iter().all(|w| pick(w) == first)
        }
    };
    let mentions_enum = variants.iter().any(|variant| {
        let (variant, enum_name) = (variant.to_lowercase(), enum_name.to_lowercase());
        variant != enum_name && (variant.starts_with(&enum_name) || variant.ends_with(&enum_name))
    });
    shared(|w| w.first()) || shared(|w| w.last()) || mentions_enum
}

/// [`VARIANT_NAMES_ALLOW`] in tokens when [`shares_variant_words`], or nothing.
pub(crate) fn variant_names_allow(enum_name: &str, variants: &[&str]) -> TokenStream {
    if shares_variant_words(enum_name, variants) {
        type_tokens(VARIANT_NAMES_ALLOW)
    } else {
        TokenStream::new()
    }
}

/// The zerocopy derives of a struct-like type.
pub(crate) fn zerocopy_derives(from_bytes: bool) -> [&'static str; 4] {
    [
        if from_bytes {
            "interop::zerocopy::FromBytes"
        } else {
            "interop::zerocopy::TryFromBytes"
        },
        "interop::zerocopy::IntoBytes",
        "interop::zerocopy::KnownLayout",
        "interop::zerocopy::Immutable",
    ]
}

/// The attribute that points zerocopy's derives at the runtime's re-export.
pub(crate) const ZEROCOPY_CRATE: &str = "#[zerocopy(crate = \"interop::zerocopy\")]";

/// serde's derives, through the runtime's re-export.
pub(crate) const SERDE_DERIVES: [&str; 2] =
    ["interop::serde::Serialize", "interop::serde::Deserialize"];

/// The attribute every serde derive carries.
pub(crate) const SERDE_CRATE: &str = "#[serde(crate = \"interop::serde\")]";

/// The IDL name of a field or variant when its Rust name is not it (`self_`; serde already
/// strips `r#`).
fn serde_name<'a>(rust: &str, idl: &'a str) -> Option<&'a str> {
    (rust.strip_prefix("r#").unwrap_or(rust) != idl).then_some(idl)
}

/// `#[serde(rename = "type")]` when the Rust name of a field or variant is not its IDL name.
pub(crate) fn serde_rename_attr(out: &mut String, depth: usize, rust: &str, idl: &str) {
    if let Some(idl) = serde_name(rust, idl) {
        let rename = format!("rename = {}", source::string_literal(idl));
        source::list_attr(out, depth, "serde", &[&rename]);
    }
}

/// [`serde_rename_attr`] in tokens.
pub(crate) fn serde_rename(rust: &Ident, idl: &str) -> TokenStream {
    match serde_name(&rust.to_string(), idl) {
        Some(idl) => quote!(#[serde(rename = #idl)]),
        None => TokenStream::new(),
    }
}

/// Whether serde's own implementations handle `ty` (arrays of at most 32 elements), or the
/// outermost array needs `interop::serde_support::array`.
pub(crate) fn needs_serde_array(ty: &Ty) -> bool {
    matches!(&ty.kind, TyKind::Array { len, .. } if *len > 32)
}
