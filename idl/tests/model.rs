//! The checked model: constants, layouts, messages, method ids and fingerprints.

use interop_idl::fingerprint::method_id;
use interop_idl::model::*;
use interop_idl::{check_sources, MemoryLoader, Options};

fn model_of(files: &[(&str, &str)]) -> Model {
    let mut loader = MemoryLoader::new();
    for (path, text) in files {
        loader.insert(path, *text);
    }
    let compilation = check_sources(&[files[0].0], &loader, &Options::default());
    assert!(
        compilation.is_ok(),
        "{}",
        compilation.render_diagnostics(false)
    );
    compilation.model.expect("a clean check has a model")
}

fn model(text: &str) -> Model {
    model_of(&[("a.idl", text)])
}

fn struct_def(ty: &TypeDef) -> &StructDef {
    match &ty.kind {
        TypeKind::Struct(structure) => structure,
        other => panic!("not a struct: {other:?}"),
    }
}

#[test]
fn spec_worked_example() {
    let model = model("package demo;\nstruct S { a: u8, b: string<5>, c: f64 }");
    let s = model.find_type("demo.S").unwrap();
    assert_eq!((s.size, s.align), (24, 8));
    let structure = struct_def(s);
    let offsets: Vec<(&str, u64, u64)> = structure
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.offset, f.ty.size))
        .collect();
    assert_eq!(offsets, [("a", 0, 1), ("b", 4, 12), ("c", 16, 8)]);
    assert_eq!(structure.padding, [Padding { offset: 1, size: 3 }]);
}

#[test]
fn containers_carry_their_inner_offsets() {
    let model = model("package p;\nstruct S { v: vec<f64, 2>, o: optional<u16>, s: bytes<3> }");
    let fields = &struct_def(model.find_type("p.S").unwrap()).fields;
    assert!(matches!(
        fields[0].ty.kind,
        TyKind::Vec {
            items_offset: 8,
            capacity: 2,
            ..
        }
    ));
    assert_eq!((fields[0].ty.size, fields[0].ty.align), (24, 8));
    assert!(matches!(
        fields[1].ty.kind,
        TyKind::Optional {
            value_offset: 2,
            ..
        }
    ));
    assert_eq!((fields[1].offset, fields[1].ty.size), (24, 4));
    assert_eq!(
        (fields[2].offset, fields[2].ty.size, fields[2].ty.align),
        (28, 8, 4)
    );
}

#[test]
fn constants_evaluate_across_packages() {
    let model = model_of(&[
        ("a.idl", "package a;\nimport \"b.idl\";\nconst N: u32 = (b.BASE + 1) * 3 - 7 / 2;\nconst F: f32 = N / 2;\nconst NEG: i8 = -128;\nconst ON: bool = true;\nstruct S { x: [u8; N] }"),
        ("b.idl", "package b;\nconst BASE: u32 = 4;"),
    ]);
    let consts = &model.packages[0].consts;
    let value = |name: &str| consts.iter().find(|c| c.name == name).unwrap().value;
    assert_eq!(value("N"), ConstValue::Int(12));
    assert_eq!(value("F"), ConstValue::Float(6.0));
    assert_eq!(value("NEG"), ConstValue::Int(-128));
    assert_eq!(value("ON"), ConstValue::Bool(true));
    assert_eq!(model.find_type("a.S").unwrap().size, 12);
}

#[test]
fn enum_flags_and_union_values() {
    let model = model("package p;\nenum E: i16 { A = -2, B, C = 7, D }\nflags F: u8 { X, Y, Z = 0x10, W }\nunion U: u16 { None, Some(u64) = 5, Other }");
    let members = |name: &str| match &model.find_type(name).unwrap().kind {
        TypeKind::Enum(def) | TypeKind::Flags(def) => {
            def.members.iter().map(|m| m.value).collect::<Vec<_>>()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(members("p.E"), [-2, -1, 7, 8]);
    assert_eq!(members("p.F"), [1, 2, 16, 32]);
    let union = model.find_type("p.U").unwrap();
    let TypeKind::Union(def) = &union.kind else {
        panic!()
    };
    assert_eq!(
        def.variants.iter().map(|v| v.tag).collect::<Vec<_>>(),
        [0, 5, 6]
    );
    assert_eq!(
        (
            def.tag,
            def.payload_offset,
            def.payload_size,
            union.size,
            union.align
        ),
        (Scalar::U16, 8, 8, 16, 8)
    );
    assert_eq!(def.padding, [Padding { offset: 2, size: 6 }]);
    let e = model.find_type("p.E").unwrap();
    assert_eq!((e.size, e.align), (2, 2));
}

#[test]
fn services_produce_messages_ids_and_fingerprints() {
    let model = model(
        "package fleet.control;\nstruct Vehicle { id: u32 }\nenum Fault: u16 { Missing = 1 }\nservice FleetControl {\n  rpc get_vehicle(id: u32) -> Vehicle error Fault;\n  rpc set(a: u8, b: u64) -> (ok: bool);\n  rpc ping() -> ();\n  oneway beat(seq: u64);\n  event moved(vehicle: u32);\n}",
    );
    let service = &model.packages[0].services[0];
    assert_eq!(service.qualified_name, "fleet.control.FleetControl");
    let [get, set, ping, beat, moved] = &service.methods[..] else {
        panic!()
    };
    assert_eq!(get.id, method_id("fleet.control.FleetControl.get_vehicle"));
    assert_eq!(
        get.params.as_ref().unwrap().name,
        "FleetControlGetVehicleRequest"
    );
    let reply = get.results.as_ref().unwrap();
    assert_eq!(
        (reply.name.as_str(), reply.size, get.single_result),
        ("FleetControlGetVehicleReply", 4, true)
    );
    assert_eq!(reply.layout.fields[0].name, "result");
    assert_eq!(get.error.as_deref(), Some("fleet.control.Fault"));
    let request = set.params.as_ref().unwrap();
    assert_eq!(
        (
            request.size,
            request.align,
            request.layout.padding.as_slice()
        ),
        (16, 8, &[Padding { offset: 1, size: 7 }][..])
    );
    assert!(!set.single_result);
    assert!(
        ping.params.is_none() && ping.results.is_none(),
        "empty lists have no payload"
    );
    assert_eq!(
        (beat.kind, beat.results.is_none()),
        (MethodKind::Oneway, true)
    );
    assert_eq!(
        moved.params.as_ref().unwrap().name,
        "FleetControlMovedEvent"
    );
    let ids: std::collections::HashSet<u32> = service.methods.iter().map(|m| m.id).collect();
    assert_eq!(ids.len(), 5);
}

#[test]
fn method_ids_do_not_depend_on_order_or_neighbours() {
    let first = model("package p;\nservice S { rpc a() -> (); rpc b() -> (); }");
    let second =
        model("package p;\nservice S { rpc c(x: u8) -> (); rpc b() -> (); rpc a() -> (); }");
    let id = |model: &Model, name: &str| {
        model.packages[0].services[0]
            .methods
            .iter()
            .find(|m| m.name == name)
            .unwrap()
            .id
    };
    assert_eq!(id(&first, "a"), id(&second, "a"));
    assert_eq!(id(&first, "b"), id(&second, "b"));
}

#[test]
fn fingerprints_follow_layout_and_names_but_not_comments() {
    let base = "package p;\nstruct Inner { a: u8 }\nstruct Outer { inner: Inner }\nservice S { rpc get() -> Outer; }";
    let fingerprints = |text: &str| {
        let model = model(text);
        let outer = model.find_type_loosely("Outer").unwrap().fingerprint;
        let method = model.packages[0].services[0].methods[0].fingerprint;
        (outer, method)
    };
    let original = fingerprints(base);
    assert_eq!(
        fingerprints(&base.replace("struct Inner", "/// Documented.\nstruct Inner // here\n")),
        original
    );
    let renamed_field = fingerprints(&base.replace("{ a: u8 }", "{ b: u8 }"));
    let widened_field = fingerprints(&base.replace("{ a: u8 }", "{ a: u16 }"));
    let other_package = fingerprints(&base.replace("package p;", "package q;").replace("p.", "q."));
    for changed in [renamed_field, widened_field] {
        assert_ne!(
            changed.0, original.0,
            "a change inside a nested type reaches the outer type"
        );
        assert_ne!(changed.1, original.1, "and the method that returns it");
    }
    assert_ne!(other_package.1, original.1);
}

#[test]
fn model_serializes_and_reads_back() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/fleet/control.idl");
    let compilation = interop_idl::check_files(&[path], &Options::default());
    let model = compilation.model.expect("the sample is clean");
    let json = serde_json::to_string(&model).unwrap();
    let back: Model = serde_json::from_str(&json).unwrap();
    assert_eq!(back, model);
    assert_eq!(
        model.max_message_size,
        interop_idl::DEFAULT_MAX_MESSAGE_SIZE
    );
    let vehicle = model.find_type_loosely("Vehicle").unwrap();
    assert_eq!(vehicle.qualified_name, "fleet.control.Vehicle");
    assert!(vehicle.docs.contains("as the fleet knows it"));
    assert_eq!(compilation.sources.len(), 2, "the import was followed");
}

#[test]
fn packages_may_be_named_like_scalars() {
    let model = model_of(&[
        (
            "a.idl",
            "package a;\nimport \"f32.idl\";\nstruct S { p: f32.Point, q: f32 }",
        ),
        ("f32.idl", "package f32;\nstruct Point { x: f32 }"),
    ]);
    assert_eq!(model.find_type("a.S").unwrap().size, 8);
}
