//! Writes the benchmark schema to a folder, so that `interopc check` can be timed on it.
//!
//! ```text
//! cargo run --release -p interop-idl --example generate_schema -- /tmp/bench-schema 5000 500
//! interopc check /tmp/bench-schema/p9.idl
//! ```

#[path = "../benches/support/generated_schema.rs"]
mod generated_schema;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let folder = std::path::PathBuf::from(args.next().unwrap_or_else(|| "bench-schema".to_owned()));
    let types = args
        .next()
        .map_or(5000, |n| n.parse().expect("TYPES is a number"));
    let methods = args
        .next()
        .map_or(500, |n| n.parse().expect("METHODS is a number"));
    std::fs::create_dir_all(&folder)?;
    let files = generated_schema::generate(types, methods, 10);
    for (path, text) in &files {
        std::fs::write(folder.join(path), text)?;
    }
    println!("{}", folder.join(&files[0].0).display());
    Ok(())
}
