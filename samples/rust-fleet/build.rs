//! Generates the fleet schema: its Rust, the C headers and Python modules that the C and
//! Python fleet programs of the interop matrix test use (`$OUT_DIR/polyglot`), and an older
//! version of its service that the tests use to show what a fingerprint mismatch looks like.

use interop_codegen::Language;

fn main() -> Result<(), interop_codegen::BuildError> {
    interop_codegen::Builder::new()
        .file("../fleet/control.idl")
        .compile()?;
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    interop_codegen::Builder::new()
        .file("../fleet/control.idl")
        .languages([Language::C, Language::Python])
        .out_dir(format!("{out}/polyglot"))
        .compile()?;
    interop_codegen::Builder::new()
        .file("idl/control_v0.idl")
        .out_dir(format!("{out}/v0"))
        .compile()?;
    interop_codegen::Builder::new()
        .file("idl/bulk.idl")
        .out_dir(format!("{out}/bulk"))
        .compile()?;
    interop_codegen::Builder::new()
        .files(["../fleet/control.idl", "idl/bulk.idl"])
        .languages([interop_codegen::Language::Python])
        .out_dir(format!("{out}/python"))
        .compile()?;
    Ok(())
}
