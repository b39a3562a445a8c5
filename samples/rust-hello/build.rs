//! Generates the Rust of the fleet schema (and of what it imports) into `OUT_DIR`, with serde
//! support so that the sample can print messages as JSON.

fn main() -> Result<(), interop_codegen::BuildError> {
    interop_codegen::Builder::new()
        .file("../fleet/control.idl")
        .serde(true)
        .compile()?;
    Ok(())
}
