//! `interopc generate`: Rust, C and Python for a set of schemas.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use interop_codegen::{generate_with, rust, stale_files, write_files, Language, Written};

use crate::report::SchemaArgs;

/// A language to generate, as named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Lang {
    /// One Rust module per package (`fleet.control.rs`).
    Rust,
    /// One C11 header per package (`fleet_control.h`).
    C,
    /// One Python module per package (`fleet_control.py`).
    Python,
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Language {
        match lang {
            Lang::Rust => Language::Rust,
            Lang::C => Language::C,
            Lang::Python => Language::Python,
        }
    }
}

/// Generate Rust, C and Python for schema files (and everything they import): one file per
/// package and language. Files whose content would not change are left untouched.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  interopc generate samples/fleet/control.idl --out generated\n  interopc generate samples/fleet/control.idl --lang c --lang python --out include\n  interopc generate samples/fleet/control.idl --out generated --check"
)]
pub struct Args {
    /// Schema files (imports are followed and generated too).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Language to generate; repeat for several. All three when omitted.
    #[arg(long = "lang", value_enum, value_name = "LANG")]
    languages: Vec<Lang>,

    /// Folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Write nothing; exit with 1 if any file in DIR is missing or out of date.
    #[arg(long)]
    check: bool,

    /// Make the generated Rust types implement serde's `Serialize` and `Deserialize` (the
    /// crate that includes them enables the `serde` feature of `interop`).
    #[arg(long)]
    serde: bool,

    #[command(flatten)]
    schema: SchemaArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let Some(model) = super::checked_model(&args.files, &args.schema) else {
        return ExitCode::FAILURE;
    };
    let languages: Vec<Language> = if args.languages.is_empty() {
        Language::ALL.to_vec()
    } else {
        args.languages.iter().map(|&lang| lang.into()).collect()
    };
    let rust_options = rust::Options::default().with_serde(args.serde);
    let files = generate_with(&model, &languages, &rust_options);
    if args.check {
        return match stale_files(&args.out, &files) {
            Ok(stale) if stale.is_empty() => {
                eprintln!(
                    "ok: {} generated files in {} are up to date",
                    files.len(),
                    args.out.display()
                );
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for path in &stale {
                    eprintln!("out of date: {}", path.display());
                }
                eprintln!(
                    "error: {} of {} generated files are out of date",
                    stale.len(),
                    files.len()
                );
                eprintln!("help: run the same command without `--check` to update them");
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", args.out.display());
                ExitCode::FAILURE
            }
        };
    }
    match write_files(&args.out, &files) {
        Ok(written) => {
            for (path, outcome) in &written {
                let verb = match outcome {
                    Written::Created => "created",
                    Written::Updated => "updated",
                    Written::Unchanged => "unchanged",
                };
                eprintln!("{verb:>9} {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot write to {}: {error}", args.out.display());
            eprintln!("help: check that the folder is writable, or choose another with `--out`");
            ExitCode::FAILURE
        }
    }
}
