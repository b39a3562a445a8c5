//! Generates the benchmark's service (`idl/bench.idl`).

fn main() -> Result<(), interop_codegen::BuildError> {
    interop_codegen::Builder::new()
        .file("idl/bench.idl")
        .compile()?;
    Ok(())
}
