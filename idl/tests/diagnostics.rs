//! One rendered diagnostic per error class: the snapshots under `snapshots/` show exactly what a
//! user sees (location, source line, carets, related places and the fix).

use interop_idl::{check_sources, Code, Compilation, MemoryLoader, Options};

/// Checks `files` (the first is the root) and returns the compilation.
fn check(files: &[(&str, &[u8])], options: &Options) -> Compilation {
    let mut loader = MemoryLoader::new();
    for (path, text) in files {
        loader.insert(path, text.to_vec());
    }
    check_sources(&[files[0].0], &loader, options)
}

/// Asserts that the schema fails with `code` among its errors and snapshots the rendering.
fn assert_error(name: &str, code: Code, files: &[(&str, &[u8])]) {
    assert_error_with(name, code, files, &Options::default());
}

fn assert_error_with(name: &str, code: Code, files: &[(&str, &[u8])], options: &Options) {
    let compilation = check(files, options);
    let rendered = compilation.render_diagnostics(false);
    assert!(
        compilation.model.is_none(),
        "{name}: a schema with errors has no model"
    );
    assert!(
        compilation.diagnostics.iter().any(|d| d.code == code),
        "{name}: expected {code:?}, got:\n{rendered}"
    );
    insta::assert_snapshot!(name, rendered);
}

#[test]
fn io_error_of_an_import() {
    assert_error(
        "io",
        Code::Io,
        &[("a.idl", b"package a;\nimport \"nowhere/b.idl\";\n")],
    );
}

#[test]
fn io_error_of_a_root_file() {
    let compilation = check_sources(&["missing.idl"], &MemoryLoader::new(), &Options::default());
    let rendered = compilation.render_diagnostics(false);
    assert_eq!(compilation.diagnostics[0].code, Code::Io);
    assert!(rendered.contains("cannot read `missing.idl`"), "{rendered}");
}

#[test]
fn invalid_utf8() {
    assert_error(
        "invalid_utf8",
        Code::InvalidUtf8,
        &[("a.idl", b"package a;\n// caf\xe9\nstruct S { a: u8 }\n")],
    );
}

#[test]
fn syntax_missing_semicolon() {
    assert_error(
        "syntax_semicolon",
        Code::Syntax,
        &[(
            "a.idl",
            b"package a;\nconst N: u32 = 4\nstruct S { a: u8 }\n",
        )],
    );
}

#[test]
fn syntax_missing_comma() {
    assert_error(
        "syntax_comma",
        Code::Syntax,
        &[(
            "a.idl",
            b"package a;\nstruct S {\n    a: u8\n    b: u16\n}\n",
        )],
    );
}

#[test]
fn syntax_rpc_without_results() {
    assert_error(
        "syntax_rpc",
        Code::Syntax,
        &[(
            "a.idl",
            b"package a;\nservice S {\n    rpc get(id: u32);\n}\n",
        )],
    );
}

#[test]
fn syntax_missing_package() {
    assert_error(
        "syntax_package",
        Code::Syntax,
        &[("a.idl", b"struct S { a: u8 }\n")],
    );
}

#[test]
fn syntax_stray_doc_comment() {
    assert_error(
        "syntax_doc",
        Code::Syntax,
        &[(
            "a.idl",
            b"package a;\nstruct S {\n    a: u8,\n    /// nothing follows\n}\n",
        )],
    );
}

#[test]
fn syntax_bad_type() {
    assert_error(
        "syntax_type",
        Code::Syntax,
        &[("a.idl", b"package a;\nstruct S { a: 42 }\n")],
    );
}

#[test]
fn too_deep() {
    let schema = format!(
        "package a;\nconst N: u32 = {}1{};\n",
        "(".repeat(40),
        ")".repeat(40)
    );
    assert_error("too_deep", Code::TooDeep, &[("a.idl", schema.as_bytes())]);
}

#[test]
fn import_cycle() {
    assert_error(
        "import_cycle",
        Code::ImportCycle,
        &[
            (
                "a.idl",
                b"package a;\nimport \"b.idl\";\nstruct A { x: u8 }\n",
            ),
            (
                "b.idl",
                b"package b;\nimport \"a.idl\";\nstruct B { y: u8 }\n",
            ),
        ],
    );
}

#[test]
fn invalid_package_name() {
    assert_error(
        "invalid_package_name",
        Code::InvalidPackageName,
        &[("a.idl", b"package Fleet.Control;\nstruct S { a: u8 }\n")],
    );
}

#[test]
fn undefined_name_with_suggestion() {
    assert_error(
        "undefined_name",
        Code::UndefinedName,
        &[(
            "a.idl",
            b"package a;\nstruct Vehicle { id: u32 }\nstruct Fleet { lead: Vehicel }\n",
        )],
    );
}

#[test]
fn undefined_name_declared_in_a_package_not_imported() {
    assert_error(
        "undefined_name_not_imported",
        Code::UndefinedName,
        &[
            (
                "a.idl",
                b"package a;\nimport \"c.idl\";\nstruct S { p: Point }\n",
            ),
            (
                "c.idl",
                b"package c;\nimport \"b.idl\";\nstruct C { x: u8 }\n",
            ),
            ("b.idl", b"package b;\nstruct Point { x: f32 }\n"),
        ],
    );
}

#[test]
fn undefined_container_keyword() {
    assert_error(
        "undefined_container",
        Code::UndefinedName,
        &[("a.idl", b"package a;\nstruct S { name: string }\n")],
    );
}

#[test]
fn ambiguous_name() {
    assert_error(
        "ambiguous_name",
        Code::AmbiguousName,
        &[
            (
                "a.idl",
                b"package a;\nimport \"b.idl\";\nimport \"c.idl\";\nstruct S { p: Point }\n",
            ),
            ("b.idl", b"package b;\nstruct Point { x: f32 }\n"),
            ("c.idl", b"package c;\nstruct Point { x: f64 }\n"),
        ],
    );
}

#[test]
fn package_not_imported() {
    assert_error(
        "package_not_imported",
        Code::PackageNotImported,
        &[
            (
                "a.idl",
                b"package a;\nimport \"c.idl\";\nstruct S { p: b.Point }\n",
            ),
            (
                "c.idl",
                b"package c;\nimport \"b.idl\";\nstruct C { x: u8 }\n",
            ),
            ("b.idl", b"package b;\nstruct Point { x: f32 }\n"),
        ],
    );
}

#[test]
fn wrong_kind() {
    assert_error(
        "wrong_kind",
        Code::WrongKind,
        &[(
            "a.idl",
            b"package a;\nconst N: u32 = 4;\nstruct S { a: N }\n",
        )],
    );
}

#[test]
fn reserved_name() {
    assert_error(
        "reserved_name",
        Code::ReservedName,
        &[("a.idl", b"package a;\nstruct string { a: u8 }\n")],
    );
}

#[test]
fn duplicate_item() {
    assert_error(
        "duplicate_item",
        Code::DuplicateName,
        &[("a.idl", b"package a;\nstruct S { a: u8 }\nenum S { A }\n")],
    );
}

#[test]
fn duplicate_field() {
    assert_error(
        "duplicate_field",
        Code::DuplicateName,
        &[(
            "a.idl",
            b"package a;\nstruct S {\n    a: u8,\n    a: u16,\n}\n",
        )],
    );
}

#[test]
fn duplicate_method() {
    assert_error(
        "duplicate_method",
        Code::DuplicateName,
        &[(
            "a.idl",
            b"package a;\nservice S {\n    rpc get() -> ();\n    oneway get(x: u8);\n}\n",
        )],
    );
}

#[test]
fn duplicate_generated_message() {
    assert_error(
        "duplicate_message",
        Code::DuplicateName,
        &[("a.idl", b"package a;\nstruct SGetRequest { a: u8 }\nservice S {\n    rpc get(id: u32) -> ();\n}\n")],
    );
}

#[test]
fn duplicate_enum_value() {
    assert_error(
        "duplicate_value",
        Code::DuplicateValue,
        &[(
            "a.idl",
            b"package a;\nenum Mode: u8 {\n    Idle = 1,\n    Busy = 1,\n}\n",
        )],
    );
}

#[test]
fn duplicate_union_tag() {
    assert_error(
        "duplicate_tag",
        Code::DuplicateValue,
        &[(
            "a.idl",
            b"package a;\nunion U {\n    A(u8) = 2,\n    B(u16) = 1,\n    C,\n}\n",
        )],
    );
}

#[test]
fn recursive_type() {
    assert_error(
        "recursive_type",
        Code::RecursiveType,
        &[("a.idl", b"package a;\nstruct Node {\n    value: u32,\n    next: optional<Link>,\n}\nunion Link { To(Node) = 1 }\n")],
    );
}

#[test]
fn recursive_const() {
    assert_error(
        "recursive_const",
        Code::RecursiveConst,
        &[(
            "a.idl",
            b"package a;\nconst A: u32 = B + 1;\nconst B: u32 = A * 2;\n",
        )],
    );
}

#[test]
fn empty_struct() {
    assert_error(
        "empty_struct",
        Code::EmptyType,
        &[("a.idl", b"package a;\nstruct Nothing {}\n")],
    );
}

#[test]
fn invalid_repr() {
    assert_error(
        "invalid_repr",
        Code::InvalidRepr,
        &[("a.idl", b"package a;\nflags F: i8 { A = 1 }\n")],
    );
}

#[test]
fn value_out_of_range() {
    assert_error(
        "value_out_of_range",
        Code::ValueOutOfRange,
        &[(
            "a.idl",
            b"package a;\nenum E: u8 {\n    Low = 254,\n    High,\n    Over,\n}\n",
        )],
    );
}

#[test]
fn not_single_bit() {
    assert_error(
        "not_single_bit",
        Code::NotSingleBit,
        &[(
            "a.idl",
            b"package a;\nflags Caps: u8 {\n    Both = 0x3,\n}\n",
        )],
    );
}

#[test]
fn invalid_length() {
    assert_error(
        "invalid_length",
        Code::InvalidLength,
        &[(
            "a.idl",
            b"package a;\nconst N: i32 = -2;\nstruct S { a: vec<u8, N> }\n",
        )],
    );
}

#[test]
fn const_out_of_range() {
    assert_error(
        "const_out_of_range",
        Code::ConstOutOfRange,
        &[("a.idl", b"package a;\nconst LIMIT: u8 = 200 + 100;\n")],
    );
}

#[test]
fn const_type_mismatch() {
    assert_error(
        "const_type_mismatch",
        Code::ConstTypeMismatch,
        &[(
            "a.idl",
            b"package a;\nconst ON: bool = true;\nconst N: u32 = ON + 1;\n",
        )],
    );
}

#[test]
fn const_division_by_zero() {
    assert_error(
        "const_division",
        Code::ConstArithmetic,
        &[(
            "a.idl",
            b"package a;\nconst ZERO: u32 = 0;\nconst N: u32 = 10 / ZERO;\n",
        )],
    );
}

#[test]
fn const_overflow() {
    assert_error(
        "const_overflow",
        Code::ConstArithmetic,
        &[("a.idl", b"package a;\nconst BIG: u64 = 0xFFFF_FFFF_FFFF_FFFF * 0xFFFF_FFFF_FFFF_FFFF * 0xFFFF_FFFF_FFFF_FFFF;\n")],
    );
}

#[test]
fn error_not_enum() {
    assert_error(
        "error_not_enum",
        Code::ErrorNotEnum,
        &[("a.idl", b"package a;\nstruct Problem { code: u16 }\nservice S {\n    rpc get() -> u32 error Problem;\n}\n")],
    );
}

#[test]
fn type_too_large() {
    assert_error(
        "type_too_large",
        Code::TypeTooLarge,
        &[(
            "a.idl",
            b"package a;\nstruct Huge { cells: [[[u64; 4294967295]; 4294967295]; 4] }\n",
        )],
    );
}

#[test]
fn message_too_large() {
    let options = Options {
        max_message_size: 1024,
    };
    assert_error_with(
        "message_too_large",
        Code::MessageTooLarge,
        &[(
            "a.idl",
            b"package a;\nservice Upload {\n    oneway chunk(data: bytes<4096>);\n}\n",
        )],
        &options,
    );
}

#[test]
fn method_id_collision() {
    // These two qualified names share the first four bytes of their SHA-256.
    assert_error(
        "method_id_collision",
        Code::MethodIdCollision,
        &[(
            "a.idl",
            b"package demo;\nservice S {\n    oneway m33467();\n    oneway m38920();\n}\n",
        )],
    );
}

#[test]
fn every_error_is_reported_in_one_run() {
    let compilation = check(
        &[(
            "a.idl",
            b"package a;\nstruct A { x: Missing }\nenum E: u8 { X = 256 }\nconst C: u8 = 1 / 0;\nstruct Empty {}\n",
        )],
        &Options::default(),
    );
    let codes: Vec<Code> = compilation.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            Code::UndefinedName,
            Code::ValueOutOfRange,
            Code::ConstArithmetic,
            Code::EmptyType
        ]
    );
}

#[test]
fn json_diagnostics_carry_location_and_fix() {
    let compilation = check(
        &[(
            "dir/a.idl",
            b"package a;\nstruct S { v: Vehicel }\nstruct Vehicle { id: u32 }\n",
        )],
        &Options::default(),
    );
    let json = serde_json::to_value(compilation.json_diagnostics()).unwrap();
    let first = &json[0];
    assert_eq!(first["code"], "E0301");
    assert_eq!(first["kind"], "undefined-name");
    assert_eq!(first["location"]["file"], "dir/a.idl");
    assert_eq!(
        (
            first["location"]["line"].as_u64(),
            first["location"]["column"].as_u64()
        ),
        (Some(2), Some(15))
    );
    assert_eq!(first["help"], "did you mean `Vehicle`?");
}

#[test]
fn duplicate_generated_message_across_services() {
    assert_error(
        "duplicate_message_across_services",
        Code::DuplicateName,
        &[("a.idl", b"package a;\nservice Foo {\n    rpc bar_baz(x: u8) -> ();\n}\nservice FooBar {\n    rpc baz(y: u64) -> ();\n}\n")],
    );
}

#[test]
fn float_literal_out_of_range() {
    assert_error(
        "float_out_of_range",
        Code::ConstOutOfRange,
        &[("a.idl", b"package a;\nconst HUGE: f64 = 1e400;\n")],
    );
}

#[test]
fn float_constant_out_of_f32_range() {
    assert_error(
        "f32_out_of_range",
        Code::ConstOutOfRange,
        &[("a.idl", b"package a;\nconst BIG: f32 = 1e39;\n")],
    );
}

#[test]
fn package_cycle_without_a_file_cycle() {
    // a1 → b1 and b2 → a2: no file imports itself back, but the packages form a circle.
    assert_error(
        "package_cycle",
        Code::ImportCycle,
        &[
            (
                "a1.idl",
                b"package a;\nimport \"b1.idl\";\nimport \"b2.idl\";\nstruct A { b: B }\n",
            ),
            ("b1.idl", b"package b;\nstruct B { x: u8 }\n"),
            (
                "b2.idl",
                b"package b;\nimport \"a2.idl\";\nstruct C { a: A2 }\n",
            ),
            ("a2.idl", b"package a;\nstruct A2 { y: u8 }\n"),
        ],
    );
}
