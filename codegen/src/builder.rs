//! The `build.rs` face of the generator, in the manner of prost-build and tonic-build.

use std::fmt;
use std::path::{Path, PathBuf};

use interop_idl::{check_files, Options, DEFAULT_MAX_MESSAGE_SIZE};

use crate::{generate_with, output, rust, Language};

/// Generates code for IDL files from a build script.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), interop_codegen::BuildError> {
///     interop_codegen::Builder::new().file("idl/fleet/control.idl").compile()?;
///     Ok(())
/// }
/// ```
///
/// and in the crate, one module per package:
///
/// ```ignore
/// pub mod fleet {
///     pub mod control {
///         interop::include_idl!("fleet.control");
///     }
///     pub mod geometry {
///         interop::include_idl!("fleet.geometry");
///     }
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    files: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    languages: Vec<Language>,
    max_message_size: u64,
    cargo_instructions: bool,
    serde: bool,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder::new()
    }
}

impl Builder {
    /// A builder that generates Rust into `OUT_DIR`, for no files yet.
    pub fn new() -> Builder {
        Builder {
            files: Vec::new(),
            out_dir: None,
            languages: vec![Language::Rust],
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            cargo_instructions: true,
            serde: false,
        }
    }

    /// Adds a schema file (its imports are followed). Relative paths are relative to the
    /// crate's folder, where Cargo runs build scripts.
    pub fn file(mut self, path: impl AsRef<Path>) -> Builder {
        self.files.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds several schema files.
    pub fn files<P: AsRef<Path>>(mut self, paths: impl IntoIterator<Item = P>) -> Builder {
        self.files
            .extend(paths.into_iter().map(|path| path.as_ref().to_path_buf()));
        self
    }

    /// Writes into `folder` instead of the `OUT_DIR` Cargo gives build scripts.
    pub fn out_dir(mut self, folder: impl AsRef<Path>) -> Builder {
        self.out_dir = Some(folder.as_ref().to_path_buf());
        self
    }

    /// Generates these languages instead of Rust alone.
    pub fn languages(mut self, languages: impl IntoIterator<Item = Language>) -> Builder {
        self.languages = languages.into_iter().collect();
        self
    }

    /// Refuses requests, replies and events larger than `bytes` (default 16 MiB).
    pub fn max_message_size(mut self, bytes: u64) -> Builder {
        self.max_message_size = bytes;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every schema file read (default: yes).
    /// Turn it off when calling the builder outside a build script.
    pub fn cargo_instructions(mut self, enabled: bool) -> Builder {
        self.cargo_instructions = enabled;
        self
    }

    /// Whether the generated Rust types implement serde's `Serialize` and `Deserialize`
    /// (default: no). They name `interop::serde`, so the crate enables the runtime's feature:
    /// `interop = { version = "...", features = ["serde"] }`.
    pub fn serde(mut self, enabled: bool) -> Builder {
        self.serde = enabled;
        self
    }

    /// Checks the schemas and writes the generated files; returns their paths.
    ///
    /// A schema error fails with the same diagnostics `interopc check` prints.
    pub fn compile(self) -> Result<Vec<PathBuf>, BuildError> {
        if self.files.is_empty() {
            return Err(BuildError::NoFiles);
        }
        let out_dir = match self.out_dir {
            Some(folder) => folder,
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let compilation = check_files(
            &self.files,
            &Options {
                max_message_size: self.max_message_size,
            },
        );
        if self.cargo_instructions {
            // Every file read, so that fixing an error or editing an import rebuilds.
            for file in compilation.files() {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        let Some(model) = &compilation.model else {
            return Err(BuildError::Schema {
                diagnostics: compilation.render_diagnostics(false),
            });
        };
        let rust_options = rust::Options::default().with_serde(self.serde);
        let files = generate_with(model, &self.languages, &rust_options);
        let written = output::write_files(&out_dir, &files).map_err(|error| BuildError::Io {
            folder: out_dir.clone(),
            error,
        })?;
        Ok(written.into_iter().map(|(path, _)| path).collect())
    }
}

/// Why [`Builder::compile`] failed.
pub enum BuildError {
    /// No schema file was given.
    NoFiles,
    /// `OUT_DIR` is not set (outside a build script) and no output folder was given.
    NoOutDir,
    /// The schemas have errors; the diagnostics are rendered as `interopc check` shows them.
    Schema {
        /// The rendered diagnostics.
        diagnostics: String,
    },
    /// Writing the generated files failed.
    Io {
        /// The output folder.
        folder: PathBuf,
        /// What went wrong.
        error: std::io::Error,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::NoFiles => write!(
                f,
                "no IDL file to compile: call `Builder::file` with a schema path"
            ),
            BuildError::NoOutDir => {
                write!(
                    f,
                    "OUT_DIR is not set: run from a build script, or call `Builder::out_dir`"
                )
            }
            BuildError::Schema { diagnostics } => {
                write!(f, "the IDL schemas have errors:\n\n{diagnostics}")
            }
            BuildError::Io { folder, error } => write!(
                f,
                "cannot write generated code to {}: {error}",
                folder.display()
            ),
        }
    }
}

/// Shows the same text as `Display`: `fn main() -> Result<(), BuildError>` prints errors with
/// `Debug`, and a build script's failure should read like `interopc check`.
impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {}
