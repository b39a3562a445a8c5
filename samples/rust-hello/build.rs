//! Generates the Rust of the fleet schema (and of what it imports) into `OUT_DIR`.

fn main() -> Result<(), interop_codegen::BuildError> {
    interop_codegen::Builder::new()
        .file("../fleet/control.idl")
        .compile()?;
    Ok(())
}
