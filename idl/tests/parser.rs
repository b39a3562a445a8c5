//! The parser, construct by construct, and round trips of every sample through the printer.

use std::path::{Path, PathBuf};

use interop_idl::ast::*;
use interop_idl::{check_files, check_sources, parser, MemoryLoader, Options, SourceMap};

fn parse(text: &str) -> SchemaFile {
    let mut sources = SourceMap::new();
    let file = sources.add("test.idl".into(), text.to_owned());
    parser::parse(file, text)
        .unwrap_or_else(|d| panic!("{}", interop_idl::diagnostic::render(&[d], &sources, false)))
}

fn only_item(text: &str) -> Item {
    let mut file = parse(text);
    assert_eq!(file.items.len(), 1);
    file.items.remove(0)
}

fn int(expr: &Expr) -> u128 {
    match expr.kind {
        ExprKind::Int(value) => value,
        ref other => panic!("not an integer literal: {other:?}"),
    }
}

#[test]
fn package_with_doc_and_imports() {
    let file = parse("/// The docs.\n///\n/// More.\npackage a.b_c.d2;\nimport \"x.idl\";\nimport \"../y/z.idl\";\n");
    assert_eq!(file.package.text, "a.b_c.d2");
    assert_eq!(file.docs.0, ["The docs.", "", "More."]);
    let imports: Vec<&str> = file
        .imports
        .iter()
        .map(|import| import.path.as_str())
        .collect();
    assert_eq!(imports, ["x.idl", "../y/z.idl"]);
    assert!(file.items.is_empty());
}

#[test]
fn spans_point_at_the_source() {
    let text = "package p;\nstruct Vehicle { id: u32 }\n";
    let item = only_item(text);
    assert_eq!(&text[item.name.span.range()], "Vehicle");
    assert_eq!(&text[item.span.range()], "struct Vehicle");
    let ItemKind::Struct(decl) = item.kind else {
        panic!()
    };
    assert_eq!(&text[decl.fields[0].ty.span.range()], "u32");
    assert_eq!(&text[decl.fields[0].span.range()], "id: u32");
    let text = "package p;\nenum E { /// A.\n A = 1 }\nunion U { V(u8) = 2 }\n";
    let file = parse(text);
    let (ItemKind::Enum(e), ItemKind::Union(u)) = (&file.items[0].kind, &file.items[1].kind) else {
        panic!()
    };
    assert_eq!(&text[e.members[0].span.range()], "/// A.\n A = 1");
    assert_eq!(&text[u.variants[0].span.range()], "V(u8) = 2");
}

#[test]
fn constants_and_expressions() {
    let item = only_item("package p;\nconst N: u32 = -(1 + 0x10) * 0b11 / 2 - pkg.OTHER;");
    let ItemKind::Const(decl) = item.kind else {
        panic!()
    };
    assert_eq!(decl.ty.kind, TypeRefKind::Scalar(Scalar::U32));
    // Precedence: ((-(1 + 16)) * 3 / 2) - pkg.OTHER
    let ExprKind::Binary(BinaryOp::Sub, lhs, rhs) = decl.value.kind else {
        panic!("{:?}", decl.value)
    };
    assert!(matches!(&rhs.kind, ExprKind::Name(name) if name.text == "pkg.OTHER"));
    let ExprKind::Binary(BinaryOp::Div, product, two) = lhs.kind else {
        panic!()
    };
    assert_eq!(int(&two), 2);
    let ExprKind::Binary(BinaryOp::Mul, negated, three) = product.kind else {
        panic!()
    };
    assert_eq!(int(&three), 3);
    let ExprKind::Neg(paren) = negated.kind else {
        panic!()
    };
    let ExprKind::Paren(sum) = paren.kind else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::Add, one, sixteen) = sum.kind else {
        panic!()
    };
    assert_eq!((int(&one), int(&sixteen)), (1, 16));
}

#[test]
fn literals() {
    let values = [
        "1_000",
        "0xFF_ff",
        "0b1010_0101",
        "0",
        "340282366920938463463374607431768211455",
    ];
    let expected = [1000, 0xffff, 0b1010_0101, 0, u128::MAX];
    for (text, expected) in values.iter().zip(expected) {
        let ItemKind::Const(decl) = only_item(&format!("package p; const X: u64 = {text};")).kind
        else {
            panic!()
        };
        assert_eq!(int(&decl.value), expected, "{text}");
    }
    for (text, expected) in [
        ("2.5", 2.5),
        ("1e3", 1000.0),
        ("6.02E+23", 6.02e23),
        ("1_0.2_5", 10.25),
    ] {
        let ItemKind::Const(decl) = only_item(&format!("package p; const X: f64 = {text};")).kind
        else {
            panic!()
        };
        assert_eq!(decl.value.kind, ExprKind::Float(expected), "{text}");
    }
    let ItemKind::Const(decl) = only_item("package p; const X: bool = false;").kind else {
        panic!()
    };
    assert_eq!(decl.value.kind, ExprKind::Bool(false));
}

#[test]
fn enums_with_and_without_values() {
    let item = only_item("package p;\n/// Mode.\nenum Mode: u8 {\n  /// Off.\n  Idle = 0,\n  Running,\n  Fault = 10,\n}");
    assert_eq!(item.docs.0, ["Mode."]);
    let ItemKind::Enum(decl) = item.kind else {
        panic!()
    };
    assert_eq!(
        decl.repr.map(|r| r.kind),
        Some(TypeRefKind::Scalar(Scalar::U8))
    );
    let names: Vec<&str> = decl.members.iter().map(|m| m.name.text.as_str()).collect();
    assert_eq!(names, ["Idle", "Running", "Fault"]);
    assert_eq!(decl.members[0].docs.0, ["Off."]);
    assert!(decl.members[1].value.is_none());
    assert_eq!(int(decl.members[2].value.as_ref().unwrap()), 10);
    let ItemKind::Enum(decl) = only_item("package p; enum E { A }").kind else {
        panic!()
    };
    assert!(
        decl.repr.is_none(),
        "the default repr is left to the checker"
    );
}

#[test]
fn flags() {
    let ItemKind::Flags(decl) =
        only_item("package p; flags Caps: u32 { Camera = 0x1, Lidar = 0b10, }").kind
    else {
        panic!()
    };
    assert_eq!(decl.members.len(), 2);
    assert_eq!(int(decl.members[1].value.as_ref().unwrap()), 2);
}

#[test]
fn structs_with_every_container() {
    let item = only_item(
        "package p;\nstruct S {\n  a: bool, b: string<32>, c: bytes<N>, d: vec<Joint, 4>, e: [f32; 3],\n  f: optional<f64>, g: q.Pose, h: vec<[optional<u8>; 2], 2>,\n}",
    );
    let ItemKind::Struct(decl) = item.kind else {
        panic!()
    };
    let kinds: Vec<&TypeRefKind> = decl.fields.iter().map(|f| &f.ty.kind).collect();
    assert_eq!(kinds[0], &TypeRefKind::Scalar(Scalar::Bool));
    assert!(matches!(kinds[1], TypeRefKind::String(n) if int(n) == 32));
    assert!(
        matches!(kinds[2], TypeRefKind::Bytes(Expr { kind: ExprKind::Name(n), .. }) if n.text == "N")
    );
    assert!(
        matches!(kinds[3], TypeRefKind::Vec(t, n) if int(n) == 4 && matches!(&t.kind, TypeRefKind::Named(j) if j.text == "Joint"))
    );
    assert!(
        matches!(kinds[4], TypeRefKind::Array(t, n) if int(n) == 3 && t.kind == TypeRefKind::Scalar(Scalar::F32))
    );
    assert!(
        matches!(kinds[5], TypeRefKind::Optional(t) if t.kind == TypeRefKind::Scalar(Scalar::F64))
    );
    assert!(matches!(kinds[6], TypeRefKind::Named(name) if name.text == "q.Pose"));
    assert!(
        matches!(kinds[7], TypeRefKind::Vec(t, _) if matches!(&t.kind, TypeRefKind::Array(inner, _) if matches!(inner.kind, TypeRefKind::Optional(_))))
    );
}

#[test]
fn unions() {
    let ItemKind::Union(decl) = only_item(
        "package p;\nunion C: u16 {\n  Stop = 1,\n  MoveTo(g.Pose) = 2,\n  Say(string<64>),\n}",
    )
    .kind
    else {
        panic!()
    };
    assert_eq!(
        decl.repr.map(|r| r.kind),
        Some(TypeRefKind::Scalar(Scalar::U16))
    );
    assert!(decl.variants[0].payload.is_none());
    assert_eq!(int(decl.variants[0].tag.as_ref().unwrap()), 1);
    assert!(
        matches!(&decl.variants[1].payload, Some(TypeRef { kind: TypeRefKind::Named(n), .. }) if n.text == "g.Pose")
    );
    assert!(decl.variants[2].tag.is_none());
}

#[test]
fn services_with_every_method_form() {
    let item = only_item(
        "package p;\nservice T {\n  /// Doc.\n  rpc get(robot: u16) -> Status;\n  rpc set(mode: Mode) -> (previous: Mode) error Fault;\n  rpc ping() -> ();\n  oneway beat(seq: u64);\n  event changed(status: Status, at: i64);\n}",
    );
    let ItemKind::Service(decl) = item.kind else {
        panic!()
    };
    let [get, set, ping, beat, changed] = &decl.methods[..] else {
        panic!()
    };
    assert_eq!(
        (get.kind, get.docs.0.as_slice()),
        (MethodKind::Rpc, &["Doc.".to_owned()][..])
    );
    assert!(
        matches!(&get.results, Some(Results::Type(t)) if matches!(&t.kind, TypeRefKind::Named(n) if n.text == "Status"))
    );
    assert!(
        matches!(&set.results, Some(Results::Named(fields)) if fields[0].name.text == "previous")
    );
    assert!(
        matches!(&set.error, Some(TypeRef { kind: TypeRefKind::Named(n), .. }) if n.text == "Fault")
    );
    assert!(ping.params.is_empty());
    assert!(matches!(&ping.results, Some(Results::Named(fields)) if fields.is_empty()));
    assert_eq!(
        (beat.kind, beat.results.is_none()),
        (MethodKind::Oneway, true)
    );
    assert_eq!((changed.kind, changed.params.len()), (MethodKind::Event, 2));
}

#[test]
fn comments_and_keywords_as_names() {
    let file = parse(
        "package p; // trailing\n/* block\n comment */ //// four slashes are ordinary\nstruct type { match: u8, error: u8, event: u8, string: u8, None: u8 }\nservice class { rpc error(goto: u8) -> (self: u8); }",
    );
    assert_eq!(file.items[0].name.text, "type");
    assert!(
        file.items[0].docs.0.is_empty(),
        "`////` is not a doc comment"
    );
    let ItemKind::Service(decl) = &file.items[1].kind else {
        panic!()
    };
    assert_eq!(decl.methods[0].name.text, "error");
}

#[test]
fn byte_order_mark_is_ignored() {
    let compilation = check_sources(
        &["bom.idl"],
        MemoryLoader::new().insert("bom.idl", "\u{feff}package p;\nstruct S { x: Vehicel }"),
        &Options::default(),
    );
    let rendered = compilation.render_diagnostics(false);
    assert!(
        rendered.contains("bom.idl:2:15"),
        "offsets after the mark are unchanged:\n{rendered}"
    );
}

#[test]
fn syntax_errors_never_panic_and_point_inside_the_text() {
    for text in [
        "",
        "package",
        "package p; struct",
        "package p; struct S { a: vec<u8 }",
        "package p; enum E: { A }",
        "package p; const X: u8 = ;",
    ] {
        let mut sources = SourceMap::new();
        let file = sources.add("t.idl".into(), text.to_owned());
        let diagnostic = parser::parse(file, text).expect_err(text);
        assert!(
            diagnostic.primary.span.end as usize <= text.len(),
            "{text:?}"
        );
    }
}

/// The sample schemas, one set per folder (a folder's schemas are checked together; schemas
/// of different folders may declare the same package).
fn samples() -> Vec<Vec<PathBuf>> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples");
    let mut sets = Vec::new();
    let mut folders = vec![folder];
    while let Some(folder) = folders.pop() {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "idl") {
                found.push(path);
            }
        }
        if !found.is_empty() {
            found.sort();
            sets.push(found);
        }
    }
    assert!(
        sets.iter().map(Vec::len).sum::<usize>() >= 2,
        "the samples hold at least two schemas"
    );
    sets
}

/// Every sample, printed back from its tree, parses to the same tree and checks to the same
/// model (names, types, layouts, fingerprints and doc comments).
#[test]
fn samples_round_trip_through_the_printer() {
    for originals in samples() {
        round_trip_through_the_printer(&originals);
    }
}

fn round_trip_through_the_printer(originals: &[PathBuf]) {
    let original = check_files(originals, &Options::default());
    assert!(original.is_ok(), "{}", original.render_diagnostics(false));
    let mut printed = MemoryLoader::new();
    for path in originals {
        let text = std::fs::read_to_string(path).unwrap();
        let tree = parse(&text);
        let again = tree.to_string();
        assert_eq!(
            parse(&again).to_string(),
            again,
            "printing is stable for {}",
            path.display()
        );
        printed.insert(path, again);
    }
    let reprinted = check_sources(originals, &printed, &Options::default());
    assert!(reprinted.is_ok(), "{}", reprinted.render_diagnostics(false));
    let mut expected = original.model.unwrap();
    let mut actual = reprinted.model.unwrap();
    // The file lists differ only in how the paths were spelled (canonical on disk).
    for package in expected
        .packages
        .iter_mut()
        .chain(actual.packages.iter_mut())
    {
        package.files.clear();
    }
    assert_eq!(actual, expected);
}
