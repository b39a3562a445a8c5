//! `interopc check` on a generated schema of 5,000 types and 500 methods.
//!
//! Three measurements in one run, so the figures can be read as ratios on any machine:
//! copying the text (the floor: touching every byte once), parsing alone, and the full check
//! (parse, resolve, evaluate, lay out, fingerprint).

#[path = "support/generated_schema.rs"]
mod generated_schema;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use interop_idl::{check_sources, parser, MemoryLoader, Options, SourceMap};

fn check(c: &mut Criterion) {
    let files = generated_schema::generate(5000, 500, 10);
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let mut loader = MemoryLoader::new();
    for (path, text) in &files {
        loader.insert(path, text.as_str());
    }
    let root = [files[0].0.as_str()];
    let compilation = check_sources(&root, &loader, &Options::default());
    assert!(
        compilation.is_ok(),
        "{}",
        compilation.render_diagnostics(false)
    );

    let mut group = c.benchmark_group("check_5000_types_500_methods");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("baseline_copy_text", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(_, text)| std::hint::black_box(text.clone()).len())
                .sum::<usize>()
        })
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            let mut sources = SourceMap::new();
            for (path, text) in &files {
                let file = sources.add(path.into(), text.clone());
                parser::parse(file, sources.text(file)).expect("generated schema parses");
            }
        })
    });
    group.bench_function("check", |b| {
        b.iter(|| check_sources(&root, &loader, &Options::default()))
    });
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
