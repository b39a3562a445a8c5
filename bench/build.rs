//! Generates the benchmark's service (`idl/bench.idl`): its Rust, and the C header and Python
//! module of the C and Python clients (`$OUT_DIR/polyglot`).

use interop_codegen::Language;

fn main() -> Result<(), interop_codegen::BuildError> {
    interop_codegen::Builder::new()
        .file("idl/bench.idl")
        .compile()?;
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    interop_codegen::Builder::new()
        .file("idl/bench.idl")
        .languages([Language::C, Language::Python])
        .out_dir(format!("{out}/polyglot"))
        .compile()?;
    Ok(())
}
