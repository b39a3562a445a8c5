//! `interopc describe`: the checked model as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::report::SchemaArgs;

/// Print the checked model (types, layouts, services, fingerprints, docs) as JSON.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  interopc describe samples/fleet/control.idl\n  interopc describe samples/fleet/control.idl | jq '.packages[].types[].name'"
)]
pub struct Args {
    /// Schema files to describe (imports are followed and described too).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    #[command(flatten)]
    schema: SchemaArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let Some(model) = super::checked_model(&args.files, &args.schema) else {
        return ExitCode::FAILURE;
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&model).expect("the model serializes")
    );
    ExitCode::SUCCESS
}
