//! How the tool shows what the IDL front end found: diagnostics for people or as JSON.

use std::io::IsTerminal;

use clap::ValueEnum;
use interop_idl::{Compilation, Options};

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style, with source lines and carets, on standard error.
    #[default]
    Human,
    /// A JSON array on standard output, for editors and CI.
    Json,
}

/// Options shared by every command that reads schemas.
#[derive(clap::Args, Debug)]
pub struct SchemaArgs {
    /// Largest request, reply or event allowed, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = interop_idl::DEFAULT_MAX_MESSAGE_SIZE)]
    pub max_message_size: u64,
}

impl SchemaArgs {
    /// The checker's options.
    pub fn options(&self) -> Options {
        Options {
            max_message_size: self.max_message_size,
        }
    }
}

/// Prints the diagnostics of a compilation, if any, in human form on standard error.
pub fn print_human(compilation: &Compilation) {
    if compilation.diagnostics.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", compilation.render_diagnostics(color));
    let count = compilation.diagnostics.len();
    eprintln!(
        "error: {count} error{} found",
        if count == 1 { "" } else { "s" }
    );
}

/// Prints the diagnostics of a compilation as a JSON array on standard output.
pub fn print_json(compilation: &Compilation) {
    let json = serde_json::to_string_pretty(&compilation.json_diagnostics())
        .expect("diagnostics serialize");
    println!("{json}");
}
