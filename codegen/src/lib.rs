//! Code generation for the interop IDL: Rust, C and Python backends that read the checked
//! [`Model`] of `interop-idl` (and nothing else: no backend parses IDL or computes a layout),
//! and the [`Builder`] that `build.rs` files use.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     interop_codegen::Builder::new().file("idl/fleet.idl").compile()?;
//!     Ok(())
//! }
//! ```

#![warn(missing_docs)]

mod builder;
pub mod c;
mod decimal;
pub mod descriptor;
pub mod names;
mod output;
mod parallel;
pub mod python;
pub mod rust;

use std::path::PathBuf;
use std::sync::OnceLock;

use interop_idl::model::Package;
use interop_idl::Model;

pub use builder::{BuildError, Builder};
pub use output::{stale_files, write_files, Written};

/// The generator and its version, stated in every generated file.
pub const GENERATOR: &str = concat!("interop-codegen ", env!("CARGO_PKG_VERSION"));

/// A target language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// Rust: one module per package (`fleet.control.rs`).
    Rust,
    /// C11: one header per package (`fleet_control.h`).
    C,
    /// Python 3 with ctypes: one module per package (`fleet_control.py`).
    Python,
}

impl Language {
    /// Every language, in the order files are generated.
    pub const ALL: [Language; 3] = [Language::Rust, Language::C, Language::Python];
}

/// One generated file: its path relative to the output folder, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path, such as `fleet_control.h`.
    pub path: PathBuf,
    /// The whole text of the file.
    pub contents: String,
}

/// Generates every package of `model` in each of `languages`.
pub fn generate(model: &Model, languages: &[Language]) -> Vec<GeneratedFile> {
    generate_with(model, languages, &rust::Options::default())
}

/// Generates every package of `model` in each of `languages`, Rust with `rust_options`. The
/// work is cut into jobs for the available cores: each package in each language, and apart
/// from its package the stubs of each Rust service.
pub fn generate_with(
    model: &Model,
    languages: &[Language],
    rust_options: &rust::Options,
) -> Vec<GeneratedFile> {
    // The Rust jobs of a package share its validation descriptor, computed by the first.
    let descriptors: Vec<OnceLock<rust::PackageDescriptor>> =
        model.packages.iter().map(|_| OnceLock::new()).collect();
    // Each file with the number of consecutive jobs that write its pieces.
    let mut files: Vec<(Language, &Package, usize)> = Vec::new();
    let mut jobs: Vec<parallel::Job<'_, String>> = Vec::new();
    for &language in languages {
        for (package, descriptor) in model.packages.iter().zip(&descriptors) {
            let before = jobs.len();
            match language {
                Language::Rust => {
                    jobs.extend(rust::package_jobs(model, package, rust_options, descriptor))
                }
                Language::C => jobs.push((
                    package_cost(package),
                    Box::new(move || c::generate_package(model, package).contents),
                )),
                Language::Python => jobs.push((
                    // About twice what C costs per type.
                    package_cost(package) * 2,
                    Box::new(move || python::generate_package(model, package).contents),
                )),
            }
            files.push((language, package, jobs.len() - before));
        }
    }
    let mut pieces = parallel::run(jobs).into_iter();
    files
        .into_iter()
        .map(|(language, package, count)| {
            let pieces: Vec<String> = pieces.by_ref().take(count).collect();
            GeneratedFile {
                path: names::file_name(&package.name, language).into(),
                contents: match language {
                    Language::Rust => rust::join_pieces(pieces),
                    Language::C | Language::Python => pieces.concat(),
                },
            }
        })
        .collect()
}

/// How many types and messages `package` declares: the cost of generating it, roughly, in
/// any language.
pub(crate) fn package_cost(package: &Package) -> usize {
    let messages: usize = package
        .services
        .iter()
        .map(|service| 2 * service.methods.len())
        .sum();
    package.types.len() + messages
}
