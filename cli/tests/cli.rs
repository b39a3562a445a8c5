//! `interopc` as a user runs it: real processes, real files, exit codes and output.

mod support;

use std::path::{Path, PathBuf};

use support::{interopc, text, write_file};

fn sample() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../samples/fleet/control.idl")
        .display()
        .to_string()
}

/// A schema written to a fresh folder under the target directory.
fn schema(name: &str, contents: &str) -> PathBuf {
    write_file(name, "schema.idl", contents)
}

#[test]
fn check_accepts_the_sample() {
    let output = interopc(&["check", &sample()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("ok: 2 files, 2 packages"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn check_reports_every_error_with_place_and_fix() {
    let path = schema(
        "errors",
        "package p;\nstruct A { v: Vehicel }\nstruct Vehicle { id: u32 }\nenum E: u8 { X = 256 }\n",
    );
    let output = interopc(&["check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:2:15", path.display())),
        "{stderr}"
    );
    assert!(stderr.contains("^^^^^^^"), "{stderr}");
    assert!(stderr.contains("did you mean `Vehicle`?"), "{stderr}");
    assert!(stderr.contains("value 256 does not fit `u8`"), "{stderr}");
    assert!(stderr.contains("2 errors found"), "{stderr}");
}

#[test]
fn check_json_is_machine_readable() {
    let path = schema("json", "package p;\nstruct A { v: Missing }\n");
    let output = interopc(&["check", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(json[0]["code"], "E0301");
    assert_eq!(json[0]["location"]["line"], 2);
    let clean = interopc(&["check", "--format", "json", &sample()]);
    assert!(clean.status.success());
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&clean.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn check_of_a_missing_file_says_so() {
    let output = interopc(&["check", "no/such/file.idl"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("cannot read `no/such/file.idl`"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn max_message_size_is_configurable() {
    let output = interopc(&["check", "--max-message-size", "1024", &sample()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("more than the maximum of 1024 bytes"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn layout_of_one_type_shows_table_padding_and_byte_map() {
    let path = schema(
        "layout",
        "package demo;\nstruct S { a: u8, b: string<5>, c: f64 }\n",
    );
    let output = interopc(&["layout", path.to_str().unwrap(), "S"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with("struct demo.S  size 24  align 8\n  fingerprint "),
        "{stdout}"
    );
    for row in [
        "0     1      1  a: u8",
        "1     3         (padding)",
        "4    12      4  b: string<5>",
        "16     8      8  c: f64",
    ] {
        assert!(stdout.contains(row), "missing {row:?} in\n{stdout}");
    }
    assert!(
        stdout.contains("0  a . . . b b b b b b b b b b b b"),
        "{stdout}"
    );
    assert!(stdout.contains("16  c c c c c c c c"), "{stdout}");
}

#[test]
fn layout_of_methods_and_unknown_names() {
    let output = interopc(&["layout", &sample(), "FleetControl.get_vehicle"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("rpc fleet.control.FleetControl.get_vehicle  id 0x"),
        "{stdout}"
    );
    assert!(
        stdout.contains("params: struct FleetControlGetVehicleRequest  size 4  align 4"),
        "{stdout}"
    );
    assert!(stdout.contains("error fleet.control.Fault"), "{stdout}");
    let unknown = interopc(&["layout", &sample(), "Nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).contains("no type, service or method named `Nope`"));
}

#[test]
fn describe_prints_the_model_as_json() {
    let output = interopc(&["describe", &sample()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let model: interop_idl::Model =
        serde_json::from_slice(&output.stdout).expect("the model as JSON");
    let names: Vec<&str> = model.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["fleet.control", "fleet.geometry"]);
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in [
        &["--help"][..],
        &["check", "--help"],
        &["layout", "--help"],
        &["describe", "--help"],
    ] {
        let output = interopc(command);
        assert!(output.status.success());
        assert!(text(&output.stdout).contains("Examples:"), "{command:?}");
    }
    let usage = interopc(&["check"]);
    assert_eq!(usage.status.code(), Some(2), "a usage error exits with 2");
}

#[test]
fn generate_writes_every_language_once_and_checks_freshness() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-all");
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.to_str().unwrap();
    let first = interopc(&["generate", &sample(), "--out", out_arg]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "fleet.control.rs",
            "fleet.geometry.rs",
            "fleet_control.h",
            "fleet_control.py",
            "fleet_geometry.h",
            "fleet_geometry.py"
        ]
    );
    assert_eq!(
        text(&first.stderr).matches("created").count(),
        6,
        "{}",
        text(&first.stderr)
    );

    let second = interopc(&["generate", &sample(), "--out", out_arg]);
    assert_eq!(
        text(&second.stderr).matches("unchanged").count(),
        6,
        "{}",
        text(&second.stderr)
    );
    let check = interopc(&["generate", &sample(), "--out", out_arg, "--check"]);
    assert!(check.status.success(), "{}", text(&check.stderr));

    std::fs::write(out.join("fleet_control.h"), "/* edited */").unwrap();
    let stale = interopc(&["generate", &sample(), "--out", out_arg, "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = text(&stale.stderr);
    assert!(
        stderr.contains("out of date:") && stderr.contains("fleet_control.h"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 6 generated files are out of date"),
        "{stderr}"
    );

    // `--serde` changes the Rust and nothing else.
    let serde = interopc(&[
        "generate",
        &sample(),
        "--lang",
        "rust",
        "--out",
        out_arg,
        "--serde",
        "--check",
    ]);
    assert_eq!(serde.status.code(), Some(1));
    assert!(
        text(&serde.stderr).contains("2 of 2 generated files are out of date"),
        "{}",
        text(&serde.stderr)
    );
    let serde = interopc(&[
        "generate",
        &sample(),
        "--lang",
        "rust",
        "--out",
        out_arg,
        "--serde",
    ]);
    assert!(serde.status.success(), "{}", text(&serde.stderr));
    let control = std::fs::read_to_string(out.join("fleet.control.rs")).unwrap();
    assert!(
        control.contains("interop::serde::Serialize") && control.contains(", serde);"),
        "{control}"
    );
}

#[test]
fn generate_one_language_and_refuse_bad_schemas() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-c");
    let _ = std::fs::remove_dir_all(&out);
    let output = interopc(&[
        "generate",
        &sample(),
        "--lang",
        "c",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(out.join("fleet_control.h").exists() && !out.join("fleet_control.py").exists());

    let bad = schema("generate-bad", "package p;\nstruct S { a: Nope }\n");
    let failed = interopc(&[
        "generate",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(text(&failed.stderr).contains("cannot find type `Nope`"));
}
