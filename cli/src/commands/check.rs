//! `interopc check`: report every error in a set of schemas.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::report::{self, Format, SchemaArgs};

/// Check schema files and everything they import; report every error found.
///
/// Exits with 0 when the schemas are clean and 1 when they have errors.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  interopc check samples/fleet/control.idl\n  interopc check --format json idl/*.idl"
)]
pub struct Args {
    /// Schema files to check (imports are followed).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t)]
    format: Format,

    #[command(flatten)]
    schema: SchemaArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let compilation = interop_idl::check_files(&args.files, &args.schema.options());
    match args.format {
        Format::Human => report::print_human(&compilation),
        Format::Json => report::print_json(&compilation),
    }
    if compilation.is_ok() {
        if args.format == Format::Human {
            let model = compilation
                .model
                .as_ref()
                .expect("a clean check has a model");
            let types: usize = model.packages.iter().map(|p| p.types.len()).sum();
            let methods: usize = model
                .packages
                .iter()
                .flat_map(|p| &p.services)
                .map(|s| s.methods.len())
                .sum();
            eprintln!(
                "ok: {} file{}, {} package{}, {types} types, {methods} methods",
                compilation.sources.len(),
                plural(compilation.sources.len()),
                model.packages.len(),
                plural(model.packages.len()),
            );
        }
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
