//! The interop IDL front end: grammar, syntax tree, checks, byte layouts, fingerprints and
//! diagnostics.
//!
//! Data flows one way: text → [`ast`] (by [`parser`]) → checks → [`model::Model`], which
//! holds every type with its [`layout`] and fingerprint and is the only thing backends read.
//!
//! ```
//! use interop_idl::{check_sources, MemoryLoader, Options};
//!
//! let mut files = MemoryLoader::new();
//! files.insert("demo.idl", "package demo; struct S { a: u8, b: string<5>, c: f64 }");
//! let compilation = check_sources(&["demo.idl"], &files, &Options::default());
//! let model = compilation.model.expect("no errors");
//! let s = model.find_type("demo.S").unwrap();
//! assert_eq!((s.size, s.align), (24, 8));
//! ```

#![warn(missing_docs)]

pub mod ast;
mod check;
pub mod diagnostic;
pub mod fingerprint;
mod graph;
pub mod layout;
mod loader;
pub mod model;
pub mod parser;
pub mod printer;
pub mod source;
mod suggest;

use std::path::{Path, PathBuf};

pub use diagnostic::{Code, Diagnostic};
pub use model::Model;
pub use source::{DiskLoader, FileId, MemoryLoader, SourceLoader, SourceMap, Span};

/// The largest message allowed unless configured otherwise: 16 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 16 * 1024 * 1024;

/// Settings of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Requests, replies and events larger than this many bytes are errors.
    pub max_message_size: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        }
    }
}

/// The outcome of checking a set of schema files.
pub struct Compilation {
    /// Every file read, including imports; diagnostics point into these.
    pub sources: SourceMap,
    /// The checked model, present when there is no error.
    pub model: Option<Model>,
    /// Every error found, ordered by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    /// Whether the schemas are free of errors.
    pub fn is_ok(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The diagnostics rendered for a terminal, rustc-style; `color` adds ANSI styles.
    pub fn render_diagnostics(&self, color: bool) -> String {
        diagnostic::render(&self.diagnostics, &self.sources, color)
    }

    /// The diagnostics in their JSON form.
    pub fn json_diagnostics(&self) -> Vec<diagnostic::JsonDiagnostic> {
        diagnostic::to_json(&self.diagnostics, &self.sources)
    }

    /// The path of every file read, roots and imports.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        (0..self.sources.len()).map(|index| self.sources.path(FileId(index as u32)))
    }
}

/// Checks schema files on disk and everything they import.
pub fn check_files<P: AsRef<Path>>(paths: &[P], options: &Options) -> Compilation {
    check_sources(paths, &DiskLoader, options)
}

/// Checks schema files read through `loader` and everything they import.
pub fn check_sources<P: AsRef<Path>>(
    paths: &[P],
    loader: &dyn SourceLoader,
    options: &Options,
) -> Compilation {
    let roots: Vec<PathBuf> = paths
        .iter()
        .map(|path| path.as_ref().to_path_buf())
        .collect();
    let loaded = loader::load(&roots, loader);
    let (model, diagnostics) = check::check(&loaded, options);
    log::debug!(
        "checked {} files: {} errors",
        loaded.sources.len(),
        diagnostics.len()
    );
    Compilation {
        sources: loaded.sources,
        model,
        diagnostics,
    }
}
