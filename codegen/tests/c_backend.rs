//! The C backend with real compilers: the generated headers compile warning-free with
//! `gcc -std=c11 -Wall -Wextra -Werror -pedantic` and with `g++ -std=c++17`, where their
//! `_Static_assert`s prove that gcc lays every type out as the model says; a C program fills a
//! sample message through the helpers and prints it.
//!
//! Headers of packages with services include the runtime's `interop.h`: every compilation
//! here passes `-I runtime/include`.
//!
//! Requires `gcc` and `g++` (the tests fail when they are missing).

use std::path::{Path, PathBuf};
use std::process::Command;

use interop_codegen::{c, descriptor};
use interop_idl::model::{Message, MethodKind};
use interop_idl::{check_files, check_sources, MemoryLoader, Model, Options};

const C_FLAGS: &[&str] = &[
    "-std=c11",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-pedantic",
    // Stricter than required, to keep the headers clean for demanding users.
    "-Wconversion",
    "-Wsign-conversion",
    "-Wshadow",
    "-Wcast-qual",
    "-Wstrict-prototypes",
    "-Wmissing-prototypes",
    "-Wundef",
];

const CXX_FLAGS: &[&str] = &[
    "-std=c++17",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-pedantic",
    "-Wconversion",
    "-Wsign-conversion",
    "-Wshadow",
    "-Wcast-qual",
    "-Wold-style-cast",
    "-Wundef",
];

fn sample_model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples/fleet/control.idl");
    let compilation = check_files(&[path], &Options::default());
    let rendered = compilation.render_diagnostics(false);
    compilation
        .model
        .unwrap_or_else(|| panic!("the sample checks:\n{rendered}"))
}

fn model_of(files: &[(&str, &str)]) -> Model {
    let mut loader = MemoryLoader::new();
    for (path, text) in files {
        loader.insert(*path, *text);
    }
    let roots: Vec<&str> = files.iter().map(|(path, _)| *path).collect();
    let compilation = check_sources(&roots, &loader, &Options::default());
    let rendered = compilation.render_diagnostics(false);
    compilation
        .model
        .unwrap_or_else(|| panic!("the schema checks:\n{rendered}"))
}

/// A fresh folder under the target's temporary folder holding the headers of `model`.
fn write_headers(test: &str, model: &Model) -> (PathBuf, Vec<String>) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("c_backend")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut names = Vec::new();
    for file in c::generate(model) {
        std::fs::write(dir.join(&file.path), &file.contents).unwrap();
        names.push(file.path.display().to_string());
    }
    (dir, names)
}

/// The folder of the runtime's C header, `interop.h`.
fn runtime_include() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/include")
}

/// Runs a compiler in `dir` (with the runtime's header on the include path) and fails with its
/// output when it does not succeed.
fn compile(dir: &Path, compiler: &str, flags: &[&str], args: &[&str]) {
    let output = Command::new(compiler)
        .current_dir(dir)
        .args(flags)
        .arg("-I")
        .arg(runtime_include())
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{compiler} could not run: {error}"));
    assert!(
        output.status.success(),
        "{compiler} {} {} failed:\n{}{}",
        flags.join(" "),
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A translation unit including every header, compiled as C11 and as C++17 (syntax only).
fn compile_headers(dir: &Path, headers: &[String]) {
    let mut unit: String = headers
        .iter()
        .map(|header| format!("#include \"{header}\"\n"))
        .collect();
    // Included twice: the include guards hold.
    unit.push_str(&unit.clone());
    unit.push_str("int main(void) { return 0; }\n");
    std::fs::write(dir.join("all.c"), &unit).unwrap();
    std::fs::write(dir.join("all.cpp"), unit.replace("(void)", "()")).unwrap();
    compile(dir, "gcc", C_FLAGS, &["-fsyntax-only", "all.c"]);
    compile(dir, "g++", CXX_FLAGS, &["-fsyntax-only", "all.cpp"]);
}

/// Fills a vehicle through the helpers and prints it; valid C11 and C++17 alike.
const VEHICLE_PROGRAM: &str = r#"
#include <stdio.h>
#include "fleet_control.h"
#include "fleet_geometry.h"

int main(void) {
    fleet_control_Vehicle v;
    memset(&v, 0, sizeof v);
    v.id = 7;
    v.kind = FLEET_CONTROL_KIND_TRUCK;
    /* 15 ASCII bytes and a 2-byte character: the character does not fit in 16 and is left out whole. */
    size_t dropped = fleet_control_inline_String16_set(&v.name, "ABCDEFGHIJKLMNO\xc3\xa9xyz");
    printf("name=%.*s len=%zu dropped=%zu\n", (int)fleet_control_inline_String16_len(&v.name),
           fleet_control_inline_String16_data(&v.name), fleet_control_inline_String16_len(&v.name), dropped);
    printf("fits=%zu\n", fleet_control_inline_String16_set(&v.name, "VAN-42"));
    uint8_t raw[3] = {1, 2, 3};
    dropped = fleet_control_inline_Bytes24_set(&v.telemetry, raw, sizeof raw);
    printf("telemetry dropped=%zu len=%zu last=%u\n", dropped, fleet_control_inline_Bytes24_len(&v.telemetry), (unsigned)fleet_control_inline_Bytes24_data(&v.telemetry)[2]);
    v.pose.position.latitude = 48.5;
    fleet_geometry_inline_OptionalF32_set(&v.pose.altitude, 310.25f);
    v.source = FLEET_GEOMETRY_SOURCE_MANUAL;
    v.capabilities = (fleet_control_Capability)(FLEET_CONTROL_CAPABILITY_LIFT | FLEET_CONTROL_CAPABILITY_NIGHT);
    v.odometer_km = UINT64_C(12345678901);
    v.type = -3;
    fleet_control_Assignment job;
    memset(&job, 0, sizeof job);
    job.mission = 99;
    job.priority = -1;
    fleet_control_inline_OptionalAssignment_set(&v.match, job);
    const fleet_control_Assignment *got = fleet_control_inline_OptionalAssignment_get(&v.match);

    fleet_control_Order order;
    memset(&order, 0, sizeof order);
    order.tag = FLEET_CONTROL_ORDER_DRIVE;
    fleet_control_Waypoint stop;
    memset(&stop, 0, sizeof stop);
    int pushed = 0;
    while (fleet_control_inline_Vec32OfWaypoint_push(&order.payload.Drive, stop)) {
        pushed++;
    }
    fleet_control_inline_OptionalString260 note;
    memset(&note, 0, sizeof note);
    fleet_control_inline_OptionalString260_clear(&note);

    printf("id=%u kind=%s source=%u caps=0x%x all=0x%x\n", (unsigned)v.id, fleet_control_Kind_name(v.kind),
           (unsigned)v.source, (unsigned)v.capabilities, (unsigned)FLEET_CONTROL_CAPABILITY_ALL);
    printf("altitude=%.2f present=%d\n", (double)fleet_geometry_inline_OptionalF32_get(&v.pose.altitude)[0],
           (int)v.pose.altitude.present);
    printf("odometer=%llu type=%d mission=%llu priority=%d\n", (unsigned long long)v.odometer_km, (int)v.type,
           (unsigned long long)got->mission, (int)got->priority);
    printf("pushed=%d len=%zu note=%s unknown=%s\n", pushed, fleet_control_inline_Vec32OfWaypoint_len(&order.payload.Drive),
           fleet_control_inline_OptionalString260_get(&note) == NULL ? "absent" : "present",
           fleet_control_Kind_name((fleet_control_Kind)9) == NULL ? "null" : "named");
    size_t length = 0;
    const uint8_t *descriptor = fleet_control_descriptor(&length);
    printf("descriptor=%c%c%c%c length=%zu index=%u\n", descriptor[0], descriptor[1], descriptor[2], descriptor[3],
           length, (unsigned)FLEET_CONTROL_VEHICLE_DESCRIPTOR_INDEX);
    printf("get_vehicle=0x%08x fingerprint=%02x%02x\n", (unsigned)FLEET_CONTROL_FLEETCONTROL_GET_VEHICLE_ID,
           (unsigned)fleet_control_FleetControl_get_vehicle_fingerprint()[0],
           (unsigned)fleet_control_FleetControl_get_vehicle_fingerprint()[1]);
    const interop_service *service = fleet_control_FleetControl_service();
    printf("service=%s methods=%zu descriptor=%d\n", service->qualified_name, service->method_count,
           service->descriptor == descriptor && service->descriptor_len == length);
    for (size_t i = 0; i < service->method_count; i++) {
        const interop_method *m = &service->methods[i];
        printf("%s %s kind=%u id=0x%08x records=%lld,%lld,%lld\n", m->qualified_name, m->name, (unsigned)m->kind,
               (unsigned)m->id, (long long)m->params_record, (long long)m->results_record, (long long)m->error_record);
    }
    printf("indexes=%d %d count=%u\n", (int)FLEET_CONTROL_FLEETCONTROL_GET_VEHICLE_INDEX,
           (int)FLEET_CONTROL_FLEETCONTROL_LOW_BATTERY_INDEX, (unsigned)FLEET_CONTROL_FLEETCONTROL_METHOD_COUNT);
    printf("consts=%u %d %d %.1f %.0f\n", (unsigned)FLEET_CONTROL_NOTE_BYTES, (int)FLEET_CONTROL_MIN_CHARGE,
           (int)FLEET_CONTROL_ACCEPTING, (double)FLEET_CONTROL_MAX_SPEED, FLEET_GEOMETRY_METRES_PER_DEGREE);
    return 0;
}
"#;

fn run(dir: &Path, program: &str) -> String {
    let output = Command::new(dir.join(program)).output().unwrap();
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn sample_headers_compile_and_fill_a_vehicle() {
    let model = sample_model();
    let (dir, headers) = write_headers("sample", &model);
    assert_eq!(headers, ["fleet_control.h", "fleet_geometry.h"]);
    std::fs::write(dir.join("vehicle.c"), VEHICLE_PROGRAM).unwrap();
    std::fs::write(dir.join("vehicle.cpp"), VEHICLE_PROGRAM).unwrap();
    compile(&dir, "gcc", C_FLAGS, &["vehicle.c", "-o", "vehicle_c"]);
    // The same program as C++ (C-style casts are what a C program writes).
    let cxx_flags: Vec<&str> = CXX_FLAGS
        .iter()
        .copied()
        .filter(|flag| *flag != "-Wold-style-cast")
        .collect();
    compile(
        &dir,
        "g++",
        &cxx_flags,
        &["vehicle.cpp", "-o", "vehicle_cpp"],
    );

    let control = model
        .packages
        .iter()
        .find(|package| package.name == "fleet.control")
        .unwrap();
    let get_vehicle = &control.services[0].methods[0];
    let descriptor = descriptor::for_package(&model, "fleet.control");
    let fingerprint = get_vehicle.fingerprint.to_hex();
    // The description, as the Rust backend and the descriptor see the service.
    let record = |name: Option<String>| {
        name.map_or(-1, |name| i64::from(descriptor.index_of(&name).unwrap()))
    };
    let service = &control.services[0];
    let mut description = format!(
        "service={} methods={} descriptor=1\n",
        service.qualified_name,
        service.methods.len()
    );
    for method in &service.methods {
        let message = |message: &Option<Message>| {
            message
                .as_ref()
                .map(|message| format!("fleet.control.{}", message.name))
        };
        description += &format!(
            "{} {} kind={} id=0x{:08x} records={},{},{}\n",
            method.qualified_name,
            method.name,
            // INTEROP_METHOD_RPC, _ONEWAY, _EVENT
            match method.kind {
                MethodKind::Rpc => 0,
                MethodKind::Oneway => 1,
                MethodKind::Event => 2,
            },
            method.id,
            record(message(&method.params)),
            record(message(&method.results)),
            record(method.error.clone()),
        );
    }
    description += &format!("indexes=0 6 count={}\n", service.methods.len());
    let expected = format!(
        "name=ABCDEFGHIJKLMNO len=15 dropped=5\n\
         fits=0\n\
         telemetry dropped=0 len=3 last=3\n\
         id=7 kind=Truck source=10 caps=0x102 all=0x107\n\
         altitude=310.25 present=1\n\
         odometer=12345678901 type=-3 mission=99 priority=-1\n\
         pushed=32 len=32 note=absent unknown=null\n\
         descriptor=IDSC length={} index={}\n\
         get_vehicle=0x{:08x} fingerprint={}\n\
         {description}\
         consts=260 20 1 27.5 111320\n",
        descriptor.bytes.len(),
        descriptor.index_of("fleet.control.Vehicle").unwrap(),
        get_vehicle.id,
        &fingerprint[..4],
    );
    assert_eq!(run(&dir, "vehicle_c"), expected);
    assert_eq!(run(&dir, "vehicle_cpp"), expected);
}

#[test]
fn sample_headers_snapshot() {
    for file in c::generate(&sample_model()) {
        insta::assert_snapshot!(file.path.display().to_string(), file.contents);
    }
}

#[test]
fn keywords_as_identifiers() {
    let main = r#"
/// Keywords of C, C++, Rust and Python everywhere.
package int.union;

import "names.idl";

const default: u32 = 3;
const NULL: u8 = 1;
const None: bool = false;

enum class: u8 { None = 0, goto, int, register, _Bool, NULL, ALL, Descriptor_Index }
flags inline: u16 { bool = 1, true = 2, All = 4 }

struct struct {
    type: u32, goto: class, class: inline, match: string<4>, None: optional<class>,
    int: vec<u8, 2>, struct: u8, inline: u8, bool: bool, union: u8, default: u8,
    register: u8, this: u8, new: u8, template: u8, typename: u8, linux: u8, unix: u8,
    UINT8_MAX: u8, INT64_C: u8, _pad0: u8, _pad1: u16, len: u8, data: u8, tag: u8, payload: u8,
    _Bool: u8, __x: u64, offsetof: u8, errno: u8, assert: u8, self: u8, fn: u8, def: u8,
    lambda: u8, not: u8, and: u8, or: u8, auto: u8, restrict: u8, char: u8, void: u8,
    sizeof: u8, typeof: u8, static_assert: u8, thread_local: u8, true: u8, false: u8, descriptor: u8,
    string: u8, vec: u8, optional: u8, error: u8, package: u8, import: u8, i386: u8, size_t: u8,
}

union union: u8 { goto = 1, class(u8), _bytes(u16), int(string<3>), default(struct), tag(kw.names.descriptor) }

service switch {
    /// `goto` /* with */ a comment ??/
    rpc goto(int: u32, type: class) -> (match: u8, None: bool) error class;
    rpc return(struct: struct) -> union;
    oneway None();
    event default(union: union);
    rpc register() -> ();
    rpc user_data(status: u8) -> u8;
    oneway loan_goto(answer: u8);
    event service();
}

service empty {}
"#;
    let names = r#"
package kw.names;

struct descriptor { case: u8, for: u8, while: u16 }
struct descriptor_bytes { x: u8 }
struct inline_OptionalU8 { x: optional<u8> }
"#;
    let model = model_of(&[("main.idl", main), ("names.idl", names)]);
    let (dir, headers) = write_headers("keywords", &model);
    assert_eq!(headers, ["int_union.h", "kw_names.h"]);
    let int_union = std::fs::read_to_string(dir.join("int_union.h")).unwrap();
    for expected in [
        "    uint32_t type;\n",
        "    int_union_class goto_;\n",
        "    uint8_t linux_;\n",
        "    uint8_t _pad0_[1];\n",
        "#define INT_UNION_INLINE_ALL_ ((int_union_inline)0x7)\n",
        "#define INT_UNION_CLASS_DESCRIPTOR_INDEX_ ",
        "#include \"interop.h\"\n",
        // Stubs: handler members are escaped, and meet `user_data`; functions meet each other.
        "    int (*goto_)(void *user_data, const int_union_switchGotoRequest *request, \
         int_union_switchGotoReply *reply, int_union_class *error);\n",
        "    int (*user_data_)(void *user_data, ",
        "    void (*None)(void *user_data);\n",
        "static inline int int_union_switch_loan_goto(interop_client *client, \
         int_union_switchGotoRequest **request)",
        "static inline int int_union_switch_loan_goto_(interop_client *client, \
         const int_union_switchLoanGotoRequest *message)",
        "static inline int int_union_switch_subscribe_default(interop_client *client)",
        "static inline const interop_service *int_union_switch_service(void)",
        "static inline int int_union_switch_subscribe_service(interop_client *client)",
        "static inline const interop_service *int_union_empty_service(void)",
        "        INT_UNION_EMPTY_NAME, NULL, INT_UNION_EMPTY_METHOD_COUNT,\n",
    ] {
        assert!(
            int_union.contains(expected),
            "int_union.h lacks {expected:?}:\n{int_union}"
        );
    }
    let names = std::fs::read_to_string(dir.join("kw_names.h")).unwrap();
    for expected in [
        "static inline const uint8_t *kw_names_descriptor_(size_t *length)",
        "static const uint8_t kw_names_descriptor_bytes_[",
        "typedef struct kw_names_inline_OptionalU8_ {",
    ] {
        assert!(
            names.contains(expected),
            "kw_names.h lacks {expected:?}:\n{names}"
        );
    }
    assert!(
        !names.contains("#include \"interop.h\""),
        "a package without services needs no runtime:\n{names}"
    );
    compile_headers(&dir, &headers);
}

/// A package named `interop` takes the prefix of the header's own macros. (Its header is
/// `interop.h`, the name of the runtime's: it cannot share a folder with a header that
/// includes the runtime's, so this schema has no services.)
#[test]
fn a_package_named_interop() {
    let interop = r#"
package interop;

const STATIC_ASSERT: u8 = 1;
const ALIGNOF: u8 = 2;
const GENERATED_INTEROP_H: u8 = 3;

struct descriptor { case: u8, for: u8, while: u16 }
struct inline_OptionalU8 { x: optional<u8> }
"#;
    let model = model_of(&[("interop.idl", interop)]);
    let (dir, headers) = write_headers("interop", &model);
    assert_eq!(headers, ["interop.h"]);
    let interop = std::fs::read_to_string(dir.join("interop.h")).unwrap();
    for expected in [
        "#define INTEROP_STATIC_ASSERT_ ((uint8_t)1)\n",
        "#define INTEROP_GENERATED_INTEROP_H_ ((uint8_t)3)\n",
        "static inline const uint8_t *interop_descriptor_(size_t *length)",
        "typedef struct interop_inline_OptionalU8_ {",
    ] {
        assert!(
            interop.contains(expected),
            "interop.h lacks {expected:?}:\n{interop}"
        );
    }
    compile_headers(&dir, &headers);
}

#[test]
fn an_error_enum_of_another_package_that_no_message_uses() {
    let faults = "package app.faults;\nenum Fault: u16 { Busy = 1 }\n";
    let main = r#"
package app.main;
import "faults.idl";
service Jobs { rpc start(id: u32) -> (job: u64) error app.faults.Fault; }
"#;
    let model = model_of(&[("main.idl", main), ("faults.idl", faults)]);
    let descriptor = interop_codegen::descriptor::for_package(&model, "app.main");
    let fault = descriptor
        .index_of("app.faults.Fault")
        .expect("the error enum has a record");
    let (dir, headers) = write_headers("foreign_error", &model);
    let main = std::fs::read_to_string(dir.join("app_main.h")).unwrap();
    assert!(
        main.contains(&format!(", {fault}}},\n")),
        "the method's error record is {fault}:\n{main}"
    );
    compile_headers(&dir, &headers);
}

#[test]
fn every_scalar_nested_containers_and_packages() {
    let app = r#"
/// The application: uses both other packages.
package demo.app;

import "shapes.idl";
import "base.idl";

const BIG: u64 = 18_446_744_073_709_551_615;
const SMALL: i64 = -9_223_372_036_854_775_808;
const LOW: i32 = -2_147_483_648;
const HIGH: u32 = 4_000_000_000;
const TINY: f32 = 0.1;
const HALF: f64 = -0.5;
const ON: bool = true;

enum Wide: u64 { Zero = 0, Max = 18_446_744_073_709_551_615 }
enum Signed: i64 { Min = -9_223_372_036_854_775_808, Minus = -1, Max = 9_223_372_036_854_775_807 }
enum Small: i8 { Neg = -128, Pos = 127 }
flags Bits: u64 { Low = 1, High = 0x8000000000000000 }
flags Narrow: u8 { A = 1, B = 0x80 }

struct Scalars {
    a: bool, b: u8, c: u16, d: u32, e: u64, f: i8, g: i16, h: i32, i: i64, j: f32, k: f64,
}

/// Containers inside containers.
struct Nested {
    notes: vec<optional<string<5>>, 3>,
    beacon: [[u8; 2]; 4],
    grid: vec<[[i16; 3]; 2], 2>,
    maybe_grid: optional<[u8; 3]>,
    wide: vec<f64, 2>,
    blob: bytes<1>,
    deep: optional<vec<optional<demo.base.Point>, 2>>,
    shapes: vec<demo.shapes.Shape, 2>,
    flag: optional<bool>,
    scalars: [Scalars; 2],
}

union Empty: u16 { A = 1, B = 2 }
union Mixed: u32 { None = 0, One(u8), Many(vec<u64, 3>), Text(string<7>), Grid([[u8; 3]; 3]) }
union Tiny: i8 { Neg = -1, Byte(u8) = 5 }

struct Holder { empty: Empty, mixed: Mixed, tiny: Tiny, bits: Bits, wide: Wide, small: Small, signed: Signed, narrow: Narrow }

service App {
    rpc mirror(holder: Holder, nested: Nested) -> Holder;
    rpc shape(s: demo.shapes.Shape) -> (p: demo.base.Point, area: f64);
    event tick(at: u64);
}
"#;
    let shapes = r#"
package demo.shapes;
import "base.idl";
union Shape: u8 { Dot(demo.base.Point) = 1, Box([demo.base.Point; 2]), Poly(vec<demo.base.Point, 4>), Nothing }
struct Labeled { shape: Shape, label: string<9>, at: optional<demo.base.Point> }
"#;
    let base = r#"
package demo.base;
struct Point { x: f32, y: f32, z: optional<f64> }
enum Unit: u8 { Metre = 1 }
"#;
    let model = model_of(&[("app.idl", app), ("shapes.idl", shapes), ("base.idl", base)]);
    let (dir, headers) = write_headers("nested", &model);
    assert_eq!(headers, ["demo_app.h", "demo_shapes.h", "demo_base.h"]);
    let app = std::fs::read_to_string(dir.join("demo_app.h")).unwrap();
    for expected in [
        "#include \"demo_base.h\"\n#include \"demo_shapes.h\"\n",
        "    uint8_t beacon[4][2];\n",
        "    int16_t items[2][2][3];\n",
    ] {
        assert!(app.contains(expected), "demo_app.h lacks {expected:?}");
    }
    compile_headers(&dir, &headers);
}
