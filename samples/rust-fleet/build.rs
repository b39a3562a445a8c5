//! Generates the fleet schema's Rust; the C headers and Python modules of the fleet and bulk
//! schemas, which the C and Python programs of the tests use (`$OUT_DIR/polyglot`); the bulk
//! schema's Rust (`bulk-server`); and an older version of the fleet service in Rust and Python,
//! which the tests use to show what a fingerprint mismatch looks like.

use interop_codegen::Language;

fn main() -> Result<(), interop_codegen::BuildError> {
    interop_codegen::Builder::new()
        .file("../fleet/control.idl")
        .compile()?;
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    interop_codegen::Builder::new()
        .files(["../fleet/control.idl", "idl/bulk.idl"])
        .languages([Language::C, Language::Python])
        .out_dir(format!("{out}/polyglot"))
        .compile()?;
    interop_codegen::Builder::new()
        .file("idl/control_v0.idl")
        .languages([Language::Rust, Language::Python])
        .out_dir(format!("{out}/v0"))
        .compile()?;
    interop_codegen::Builder::new()
        .file("idl/bulk.idl")
        .out_dir(format!("{out}/bulk"))
        .compile()?;
    Ok(())
}
