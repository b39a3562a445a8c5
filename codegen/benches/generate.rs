//! Generating Rust, C and Python for a schema of 1,000 types (and 100 methods).
//!
//! The baseline, measured in the same run, is checking the schema (parse, resolve, lay out,
//! fingerprint): generation is reported as a ratio to it.

#[path = "../../idl/benches/support/generated_schema.rs"]
mod generated_schema;

use criterion::{criterion_group, criterion_main, Criterion};
use interop_codegen::{generate, Language};
use interop_idl::{check_sources, MemoryLoader, Options};

fn generate_all(c: &mut Criterion) {
    let files = generated_schema::generate(1000, 100, 4);
    let mut loader = MemoryLoader::new();
    for (path, text) in &files {
        loader.insert(path, text.as_str());
    }
    let root = [files[0].0.as_str()];
    let model = check_sources(&root, &loader, &Options::default())
        .model
        .expect("the generated schema is clean");

    let mut group = c.benchmark_group("generate_1000_types");
    group.sample_size(20);
    group.bench_function("baseline_check", |b| {
        b.iter(|| check_sources(&root, &loader, &Options::default()))
    });
    for (name, languages) in [
        ("rust", &[Language::Rust][..]),
        ("c", &[Language::C][..]),
        ("python", &[Language::Python][..]),
        ("all_three", &Language::ALL[..]),
    ] {
        group.bench_function(name, |b| b.iter(|| generate(&model, languages)));
    }
    group.finish();
}

criterion_group!(benches, generate_all);
criterion_main!(benches);
