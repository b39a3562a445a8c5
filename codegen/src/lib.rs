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
pub mod descriptor;
pub mod names;
mod output;
mod parallel;
pub mod python;
pub mod rust;

use std::path::PathBuf;

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

/// Generates every package of `model` in each of `languages`, Rust with `rust_options`: each
/// package in each language is one job for the available cores.
pub fn generate_with(
    model: &Model,
    languages: &[Language],
    rust_options: &rust::Options,
) -> Vec<GeneratedFile> {
    let mut jobs: Vec<parallel::Job<'_, GeneratedFile>> = Vec::new();
    for &language in languages {
        for package in &model.packages {
            let cost = rust::package_cost(package) * relative_cost(language);
            jobs.push((
                cost,
                Box::new(move || match language {
                    Language::Rust => rust::generate_package(model, package, rust_options),
                    Language::C => c::generate_package(model, package),
                    Language::Python => python::generate_package(model, package),
                }),
            ));
        }
    }
    parallel::run(jobs)
}

/// What one type costs to generate in `language`, relative to the others (measured on a
/// schema of 1,000 types), so that the costliest jobs start first.
fn relative_cost(language: Language) -> usize {
    match language {
        Language::Rust => 3,
        Language::C => 1,
        Language::Python => 2,
    }
}
