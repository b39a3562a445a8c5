//! The build.rs builder outside a build script: output folder, languages and errors.

use std::path::{Path, PathBuf};

use interop_codegen::{BuildError, Builder, Language};

fn folder(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&folder);
    folder
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples/fleet/control.idl")
}

#[test]
fn compiles_the_sample_into_the_folder() {
    let out = folder("builder-ok");
    let written = Builder::new()
        .file(sample())
        .out_dir(&out)
        .cargo_instructions(false)
        .compile()
        .unwrap();
    let mut names: Vec<String> = written
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["fleet.control.rs", "fleet.geometry.rs"],
        "Rust alone by default"
    );
    let all = Builder::new()
        .file(sample())
        .out_dir(&out)
        .languages(Language::ALL)
        .cargo_instructions(false)
        .compile()
        .unwrap();
    assert_eq!(all.len(), 6);
}

#[test]
fn schema_errors_read_like_interopc_check() {
    let out = folder("builder-error");
    std::fs::create_dir_all(&out).unwrap();
    let schema = out.join("bad.idl");
    std::fs::write(
        &schema,
        "package p;\nstruct S { v: Vehicel }\nstruct Vehicle { id: u32 }\n",
    )
    .unwrap();
    let error = Builder::new()
        .file(&schema)
        .out_dir(&out)
        .cargo_instructions(false)
        .compile()
        .unwrap_err();
    assert!(matches!(error, BuildError::Schema { .. }));
    let shown = format!("{error:?}");
    assert!(
        shown.contains("error[E0301]: cannot find type `Vehicel`"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("{}:2:15", schema.display())),
        "{shown}"
    );
    assert!(shown.contains("did you mean `Vehicle`?"), "{shown}");
}

#[test]
fn missing_inputs_are_explained() {
    let error = Builder::new()
        .out_dir(folder("builder-empty"))
        .compile()
        .unwrap_err();
    assert!(
        error.to_string().contains("call `Builder::file`"),
        "{error}"
    );
    if std::env::var_os("OUT_DIR").is_none() {
        let error = Builder::new()
            .file(sample())
            .cargo_instructions(false)
            .compile()
            .unwrap_err();
        assert!(error.to_string().contains("OUT_DIR is not set"), "{error}");
    }
}
