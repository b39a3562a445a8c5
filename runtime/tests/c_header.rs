//! `include/interop.h` is what cbindgen makes of `src/ffi` today, and it compiles as C11 and
//! C++17 with every warning an error.

use std::path::{Path, PathBuf};
use std::process::Command;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The header generated from the sources of `src/ffi`.
fn generate() -> String {
    let dir = crate_dir();
    let config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("read cbindgen.toml");
    // cbindgen follows the `mod` declarations of `mod.rs` to the other files.
    let mut header = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut header);
    String::from_utf8(header).expect("the header is UTF-8")
}

#[test]
fn the_committed_header_is_up_to_date() {
    let path = crate_dir().join("include/interop.h");
    let generated = generate();
    if std::env::var_os("INTEROP_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write include/interop.h");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(old, new)| old != new)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "{}:{}: the committed C header differs from what src/ffi generates (first \
             difference at that line: {:?} instead of {:?}); update it with \
             `INTEROP_UPDATE_HEADER=1 cargo test -p interop --test c_header` and commit it",
            path.display(),
            line + 1,
            committed.lines().nth(line).unwrap_or("(end of file)"),
            generated.lines().nth(line).unwrap_or("(end of file)"),
        );
    }
}

/// Compiles a file including the header with `compiler` and `flags`.
fn compile(compiler: &str, flags: &[&str], extension: &str) {
    let include = crate_dir().join("include");
    let dir = std::env::temp_dir().join(format!(
        "interop-c-header-{}-{extension}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let source = dir.join(format!("includes_header.{extension}"));
    std::fs::write(
        &source,
        "#include \"interop.h\"\n#include \"interop.h\"\n\
         int main(void) { return interop_status_name(INTEROP_OK) == 0; }\n",
    )
    .expect("write the test source");
    let object = dir.join(format!("includes_header_{extension}.o"));
    let output = Command::new(compiler)
        .args(flags)
        .arg("-I")
        .arg(&include)
        .arg("-c")
        .arg(&source)
        .arg("-o")
        .arg(&object)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {compiler}: {error}; install it"));
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        output.status.success(),
        "{compiler} {} refuses include/interop.h:\n{}",
        flags.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_exists(path: &Path) {
    assert!(path.exists(), "{} is missing", path.display());
}

#[test]
fn the_header_compiles_as_c11() {
    assert_exists(&crate_dir().join("include/interop.h"));
    compile(
        "gcc",
        &["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"],
        "c",
    );
}

#[test]
fn the_header_compiles_as_cpp17() {
    assert_exists(&crate_dir().join("include/interop.h"));
    compile(
        "g++",
        &["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic"],
        "cpp",
    );
}
