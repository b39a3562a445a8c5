//! The subcommands.

mod check;
mod describe;
mod generate;
mod layout;
mod plan;

use std::process::ExitCode;

/// What `interopc` can do.
#[derive(clap::Subcommand)]
pub enum Command {
    Check(check::Args),
    Generate(generate::Args),
    Layout(layout::Args),
    Describe(describe::Args),
    Plan(plan::Args),
}

impl Command {
    /// Runs the command; the exit code is 1 when a schema or a manifest has errors.
    pub fn run(self) -> ExitCode {
        match self {
            Command::Check(args) => check::run(args),
            Command::Generate(args) => generate::run(args),
            Command::Layout(args) => layout::run(args),
            Command::Describe(args) => describe::run(args),
            Command::Plan(args) => plan::run(args),
        }
    }
}

/// Checks `files`, printing diagnostics on standard error; the model when there is no error.
fn checked_model(
    files: &[std::path::PathBuf],
    schema: &crate::report::SchemaArgs,
) -> Option<interop_idl::Model> {
    let compilation = interop_idl::check_files(files, &schema.options());
    crate::report::print_human(&compilation);
    compilation.model
}
