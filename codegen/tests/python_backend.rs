//! The Python backend: generated modules imported and used by a real `python3 -W error` (one
//! process per scenario), keywords as identifiers, every scalar and nested container, packages
//! importing each other, the client, handler and publisher classes (which import without the
//! `interop` package and say how to install it when used), and a snapshot of the module
//! generated for the samples.

use std::path::{Path, PathBuf};
use std::process::Command;

use interop_codegen::GeneratedFile;
use interop_idl::{check_files, Options};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Checks `root` (and what it imports) and generates its Python modules.
fn generate(root: &Path) -> Vec<GeneratedFile> {
    let compilation = check_files(&[root], &Options::default());
    let model = compilation
        .model
        .as_ref()
        .unwrap_or_else(|| panic!("{} checks: {:#?}", root.display(), compilation.diagnostics));
    interop_codegen::python::generate(model)
}

/// A fresh folder under the target's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("python_backend")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes schema files into a fresh folder and returns it.
fn schemas(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

/// Writes `files` and `script` into `dir`, runs `python3 -W error script.py` there, and
/// returns its standard output; fails the test with both streams if it does not succeed or
/// writes anything to standard error.
fn run_python(dir: &Path, files: &[GeneratedFile], script: &str) -> String {
    for file in files {
        std::fs::write(dir.join(&file.path), &file.contents).unwrap();
    }
    std::fs::write(dir.join("script.py"), script).unwrap();
    let output = Command::new("python3")
        .args(["-W", "error", "script.py"])
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.is_empty(),
        "python3 failed in {}:\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        dir.display()
    );
    stdout
}

fn module<'f>(files: &'f [GeneratedFile], path: &str) -> &'f GeneratedFile {
    files
        .iter()
        .find(|file| file.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} was generated"))
}

#[test]
fn sample_round_trips_through_python() {
    let files = generate(&workspace().join("samples/fleet/control.idl"));
    let mut paths: Vec<_> = files
        .iter()
        .map(|file| file.path.display().to_string())
        .collect();
    paths.sort();
    assert_eq!(paths, ["fleet_control.py", "fleet_geometry.py"]);
    let dir = scratch("sample");
    let out = run_python(&dir, &files, SAMPLE_SCRIPT);
    assert_eq!(out, SAMPLE_OUTPUT, "python3 printed:\n{out}");

    // The module embeds the package's descriptor, and each class names its record in it.
    let compilation = check_files(
        &[workspace().join("samples/fleet/control.idl")],
        &Options::default(),
    );
    let descriptor = interop_codegen::descriptor::for_package(
        compilation.model.as_ref().unwrap(),
        "fleet.control",
    );
    assert_eq!(
        std::fs::read(dir.join("descriptor.bin")).unwrap(),
        descriptor.bytes
    );
    let control = &module(&files, "fleet_control.py").contents;
    for name in ["Vehicle", "Order", "FleetControlDispatchRequest"] {
        let index = descriptor
            .index_of(&format!("fleet.control.{name}"))
            .unwrap();
        assert!(
            control.contains(&format!("@_type(\"fleet.control.{name}\", {index},")),
            "{name}"
        );
    }
}

const SAMPLE_SCRIPT: &str = r#"
import ctypes
import fleet_control as fc
import fleet_geometry as fg

v = fc.Vehicle(id=7, kind=fc.Kind.Truck)
v.name.set("van 7")
v.pose.position.latitude = 48.5
v.pose.altitude.set(12.5)
v.source = "Manual"
v.capabilities = fc.Capability.Lift | fc.Capability.Night
v.charge = 80
v.odometer_km = 2**40
v.service_due = True
v.firmware = [1, 2, 3]
v.telemetry.set(b"\x00\xff")
v.type = -3
v.match = {"mission": 9, "priority": -1, "deadline_ms": 1000}
print(ctypes.sizeof(fc.Vehicle), len(bytes(v)), fc.Vehicle.name.offset, fc.Vehicle.match_.offset)
print(str(v.name), len(v.name), v.kind is fc.Kind.Truck, v.source is fg.Source.Manual, v.match_.get().mission)
print(v.to_dict())
print(v)
print(bytes(v)[:16].hex(), bytes(v)[fc.Vehicle.odometer_km.offset:][:8].hex())
assert fc.Vehicle.from_dict(v.to_dict()) == v
assert bytes(fc.Vehicle.from_dict(v.to_dict())) == bytes(v)

buffer = bytearray(bytes(v))
view = fc.Vehicle.from_buffer(buffer)
view.charge = 42
print(buffer[fc.Vehicle.charge.offset], view.name, view.pose.altitude.get(), view.telemetry.get())

order = fc.Order()
order.set("Drive")
order.payload.Drive.append({"at": {"latitude": 1.0, "longitude": 2.0}, "dwell_s": 5, "note": "gate 3"})
order.payload.Drive.append(fc.Waypoint(dwell_s=6))
print(repr(order.tag), order.variant()[0], len(order.payload.Drive), [w.dwell_s for w in order.payload.Drive])
print(order.to_dict())
say = fc.Order(Say="hello")
print(repr(say), fc.Order.from_dict({"Halt": None}).variant(), fc.Order.from_dict(say.to_dict()) == say)
request = fc.FleetControlDispatchRequest(vehicle=7, order=say, priority=2)
print(request)
method = fc.FleetControl.get_vehicle
print(hex(method.id), method.fingerprint.hex()[:16], method.request.__name__, method.reply.__name__, method.error.__name__)
print([m.name for m in fc.FleetControl.methods])
with open("descriptor.bin", "wb") as file:
    file.write(fc.DESCRIPTOR)
print(fc.DESCRIPTOR[:4], fc.Vehicle._descriptor_index_, fc.MAX_WAYPOINTS, fc.MAX_SPEED, fg.METRES_PER_DEGREE)

for action in (lambda: v.name.set("x" * 17), lambda: setattr(v, "charge", 256), lambda: setattr(v, "kind", 9)):
    try:
        action()
    except ValueError as error:
        print("ValueError:", error)
"#;

const SAMPLE_OUTPUT: &str = r#"152 152 8 120
van 7 5 True True 9
{'id': 7, 'kind': 'Truck', 'name': 'van 7', 'pose': {'position': {'latitude': 48.5, 'longitude': 0.0}, 'heading': 0.0, 'altitude': 12.5}, 'source': 'Manual', 'capabilities': ['Lift', 'Night'], 'charge': 80, 'odometer_km': 1099511627776, 'service_due': True, 'firmware': [1, 2, 3], 'telemetry': b'\x00\xff', 'type': -3, 'match': {'mission': 9, 'priority': -1, 'deadline_ms': 1000}}
Vehicle(id=7, kind=Kind.Truck, name='van 7', pose=Pose(position=Point(latitude=48.5, longitude=0.0), heading=0.0, altitude=12.5), source=Source.Manual, capabilities=Capability.Lift|Capability.Night, charge=80, odometer_km=1099511627776, service_due=True, firmware=[1, 2, 3], telemetry=b'\x00\xff', type_=-3, match_=Assignment(mission=9, priority=-1, deadline_ms=1000))
07000000020000000500000076616e20 0000000000010000
42 van 7 12.5 b'\x00\xff'
<Tag.Drive: 2> Drive 2 [5, 6]
{'Drive': [{'at': {'latitude': 1.0, 'longitude': 2.0}, 'dwell_s': 5, 'note': 'gate 3'}, {'at': {'latitude': 0.0, 'longitude': 0.0}, 'dwell_s': 6, 'note': None}]}
Order(Say='hello') ('Halt', None) True
FleetControlDispatchRequest(vehicle=7, order=Order(Say='hello'), priority=2)
0x1dcd7b58 39770a1651d20748 FleetControlGetVehicleRequest FleetControlGetVehicleReply Fault
['get_vehicle', 'dispatch', 'in_zone', 'ping', 'report', 'moved', 'low_battery']
b'IDSC' 2 32 27.5 111320.0
ValueError: 17 bytes do not fit in string<16> (at most 16 bytes)
ValueError: Vehicle.charge: 256 does not fit in u8 (0 to 255)
ValueError: Vehicle.kind: 9 is not a value of Kind
"#;

#[test]
fn keywords_as_identifiers() {
    let dir = schemas(
        "keywords",
        &[("def.idl", KEYWORDS_DEF), ("main.idl", KEYWORDS_MAIN)],
    );
    let files = generate(&dir.join("main.idl"));
    let out = run_python(&dir, &files, KEYWORDS_SCRIPT);
    assert_eq!(out, KEYWORDS_OUTPUT, "python3 printed:\n{out}");
}

/// A package whose module name (`def`) is a Python keyword.
const KEYWORDS_DEF: &str = r#"
/// A package named like a Python keyword.
package def;

/// Docs with """ triple quotes """, a backslash \ and a final quote"
struct None { True: u8, class: u16 }

enum lambda: u8 { None = 0, True, False, match, mro, _sunder_, name, value }
flags int: u8 { if = 1, else = 2 }
"#;

const KEYWORDS_MAIN: &str = r#"
package kw.types;
import "def.idl";

const from: u32 = 4;
const DESCRIPTOR: u8 = 1;
const len: u8 = 2;

struct class {
    def: u32,
    lambda: def.lambda,
    self: None,
    import: string<4>,
    from: vec<def.None, from>,
    type: optional<u8>,
    match: [bool; 2],
    _pad0: u8,
    to_dict: u8,
    copy: u8,
    _fields_: u8,
    _fields: u8,
    cls: u8,
    ctypes: u8,
    len: u8,
    flags: int,
    __init__: u8,
}

union type: u8 { None = 0, True(class) = 1, lambda(string<3>) = 2, Tag(u8) = 3, Payload = 4, _raw(u16) = 5 }
struct Tag { x: u8 }
union yield: u8 { a(Tag) = 1, b(Payload) = 2, c([Tag; 2]) = 3 }
struct Payload { y: u8 }
struct object { x: u8 }
struct str { s: string<2> }

service async {
    rpc await(self: u8, None: class) -> (True: u8) error def.lambda;
    rpc methods() -> type;
    oneway qualified_name(lambda: def.lambda);
    event del(pass: bool);
}
"#;

const KEYWORDS_SCRIPT: &str = r#"
import importlib
import kw_types as k
d = importlib.import_module("def")

print(sorted(n for n in k.__all__))
print(k.from_, k.DESCRIPTOR_, k.len_, k.DESCRIPTOR[:4])
print(list(d.lambda_), list(d.int_), d.None_.__doc__.strip())
c = k.class_(def_=1, lambda_="None", self_={"True": 1, "class": 2}, import_="abcd")
c.from_.append({"True": 3, "class": 4})
c.type = 7
c.match = [True, False]
c._pad0__ = 5
c.to_dict_ = 6
c.copy_ = 13
assert c.copy().copy_ == 13
c._fields__ = 7
c._fields___ = 8
c.cls_ = 9
c.ctypes_ = 10
c.len = 11
c.flags = ["if", "else"]
c.__init___ = 12
print(c)
print(c.to_dict())
assert k.class_.from_dict(c.to_dict()) == c
print(c.lambda_ is d.lambda_.None_, c.self_.True_, c.from_[0].class_)

u = k.type_(True_=c)
print(u.variant()[0], u.tag, k.type_.from_dict(u.to_dict()) == u)
for name, value in (("None", None), ("lambda", "abc"), ("Tag", 5), ("Payload", None), ("_raw", 65535)):
    u.set(name, value)
    print(repr(u), u.to_dict())
y = k.yield_(a={"x": 1})
print(y, k.yield_(b={"y": 2}), k.yield_(c=[{"x": 3}, {"x": 4}]))
print(k.object_(x=1), k.str_(s="hi"))

s = k.async_
print(s.qualified_name, [m.name for m in s.methods], s.await_.error is d.lambda_)
print(s.methods_.reply.__name__, s.qualified_name_.request.__name__, s.del_.kind)
print(k.asyncAwaitRequest(self_=1, None_=c).None_.def_, k.asyncDelEvent(pass_=True))
for stub in (k.asyncClient, k.asyncHandler, k.asyncPublisher):
    print(stub.__name__, sorted(name for name in vars(stub) if not name.startswith("_")))
try:
    k.asyncClient.connect("pipe://nowhere")
except ImportError as error:
    print("ImportError:", "pip install runtime/python" in str(error))
"#;

const KEYWORDS_OUTPUT: &str = r#"['DESCRIPTOR', 'DESCRIPTOR_', 'Payload', 'Tag', 'asyncAwaitReply', 'asyncAwaitRequest', 'asyncClient', 'asyncDelEvent', 'asyncHandler', 'asyncMethodsReply', 'asyncPublisher', 'asyncQualifiedNameRequest', 'async_', 'class_', 'from_', 'len_', 'object_', 'str_', 'type_', 'yield_']
4 1 2 b'IDSC'
[<lambda_.None_: 0>, <lambda_.True_: 1>, <lambda_.False_: 2>, <lambda_.match_: 3>, <lambda_.mro_: 4>, <lambda_._sunder__: 5>, <lambda_.name: 6>, <lambda_.value: 7>] [<int_.if_: 1>, <int_.else_: 2>] Docs with """ triple quotes """, a backslash \ and a final quote"
class_(def_=1, lambda_=lambda_.None_, self_=None_(True_=1, class_=2), import_='abcd', from_=[None_(True_=3, class_=4)], type_=7, match_=[True, False], _pad0__=5, to_dict_=6, copy_=13, _fields__=7, _fields___=8, cls_=9, ctypes_=10, len=11, flags=int_.if_|int_.else_, __init___=12)
{'def': 1, 'lambda': 'None', 'self': {'True': 1, 'class': 2}, 'import': 'abcd', 'from': [{'True': 3, 'class': 4}], 'type': 7, 'match': [True, False], '_pad0': 5, 'to_dict': 6, 'copy': 13, '_fields_': 7, '_fields': 8, 'cls': 9, 'ctypes': 10, 'len': 11, 'flags': ['if', 'else'], '__init__': 12}
True 1 4
True 1 True
type_(None_=None) {'None': None}
type_(lambda_='abc') {'lambda': 'abc'}
type_(Tag=5) {'Tag': 5}
type_(Payload=None) {'Payload': None}
type_(_raw__=65535) {'_raw': 65535}
yield_(a=Tag(x=1)) yield_(b=Payload(y=2)) yield_(c=[Tag(x=3), Tag(x=4)])
object_(x=1) str_(s='hi')
kw.types.async ['await', 'methods', 'qualified_name', 'del'] True
asyncMethodsReply asyncQualifiedNameRequest event
1 asyncDelEvent(pass_=True)
asyncClient ['await_', 'client', 'close', 'connect', 'events', 'from_node', 'loan_await_', 'loan_qualified_name_', 'methods_', 'next_event', 'qualified_name_', 'set_timeout', 'subscribe_del_', 'unsubscribe_del_']
asyncHandler ['await_', 'methods_', 'qualified_name_']
asyncPublisher ['publish_del_', 'publisher']
ImportError: True
"#;

#[test]
fn every_type_and_packages_importing_each_other() {
    let dir = schemas(
        "every_type",
        &[
            ("base.idl", EVERY_BASE),
            ("mid.idl", EVERY_MID),
            ("top.idl", EVERY_TOP),
        ],
    );
    let files = generate(&dir.join("top.idl"));
    let mut paths: Vec<_> = files
        .iter()
        .map(|file| file.path.display().to_string())
        .collect();
    paths.sort();
    assert_eq!(paths, ["every_base.py", "every_mid.py", "every_top.py"]);
    let top = &module(&files, "every_top.py").contents;
    assert!(
        top.contains("from . import every_base as _every_base"),
        "{top}"
    );
    assert!(
        top.contains("from . import every_mid as _every_mid"),
        "{top}"
    );
    let out = run_python(&dir, &files, EVERY_SCRIPT);
    assert_eq!(out, EVERY_OUTPUT, "python3 printed:\n{out}");
}

const EVERY_BASE: &str = r#"
package every.base;

enum Small: i8 { Low = -128, Zero = 0, High = 127 }
enum Big: u64 { Max = 0xFFFF_FFFF_FFFF_FFFF, One = 1 }
enum Wide: i64 { Min = -0x8000_0000_0000_0000 }
flags Bits: u64 { A = 1, Top = 0x8000_0000_0000_0000 }

/// Every scalar.
struct Scalars {
    b: bool, u8: u8, u16: u16, u32: u32, u64: u64,
    i8: i8, i16: i16, i32: i32, i64: i64, f32: f32, f64: f64,
}

/// The worked example of docs/IDL.md.
struct S { a: u8, b: string<5>, c: f64 }

/// The union example of docs/IDL.md.
union U: u8 { A([u8; 3]) = 1, B(u16), C }

/// A union without any payload.
union Bare: u16 { X = 1, Y = 2 }
"#;

const EVERY_MID: &str = r#"
package every.mid;
import "base.idl";

struct Nested {
    labels: vec<optional<string<5>>, 3>,
    grid: [[u8; 2]; 4],
    names: [string<3>; 2],
    rows: vec<[u16; 3], 2>,
    kinds: vec<Small, 2>,
    bits: [Bits; 2],
    maybe_small: optional<Small>,
    maybe_union: optional<U>,
    blob: bytes<3>,
    doubles: vec<f64, 2>,
    opt_f64: optional<f64>,
}

union Choice: u32 { Empty = 0, Scalars(every.base.Scalars) = 1, Nested(Nested) = 2, Bare(Bare) = 3, Many(vec<S, 2>) = 4 }
"#;

const EVERY_TOP: &str = r#"
package every.top;
import "mid.idl";
import "base.idl";

struct Top {
    choice: Choice,
    base: optional<every.base.S>,
    wide: every.base.Wide,
    big: [every.base.Big; 1],
}

service Svc {
    rpc go(top: Top, small: Small) -> (choice: Choice, bits: Bits) error Small;
}
"#;

const EVERY_SCRIPT: &str = r#"
import ctypes
import every_base as b
import every_mid as m
import every_top as t

limits = dict(b=True, u8=255, u16=65535, u32=2**32 - 1, u64=2**64 - 1, i8=-128, i16=-32768,
              i32=-2**31, i64=-2**63, f32=1.5, f64=-2.25)
s = b.Scalars(**limits)
assert b.Scalars.from_buffer_copy(bytes(s)).to_dict() == limits
print(ctypes.sizeof(b.Scalars), bytes(s).hex())
for field, value in (("u8", 256), ("i8", -129), ("u64", 2**64), ("i64", 2**63), ("u16", -1)):
    try:
        setattr(s, field, value)
    except ValueError as error:
        print(error)

example = b.S(a=1, b="hello", c=2.0)
print(ctypes.sizeof(b.S), b.S.b.offset, b.S.c.offset, bytes(example).hex())
u = b.U(B=0x1234)
print(ctypes.sizeof(b.U), b.U.payload.offset, bytes(u).hex(), b.U(A=[1, 2, 3]).to_dict(), b.U(C=None))
bare = b.Bare(Y=None)
print(ctypes.sizeof(b.Bare), ctypes.sizeof(b.Bare.Payload), bytes(bare).hex(), bare.to_dict())
print(list(b.Small), b.Big.Max == 2**64 - 1, b.Wide.Min, b.Bits.Top | b.Bits.A)

n = m.Nested()
n.labels.append("abc")
n.labels.append(None)
n.labels.append("hello")
try:
    n.labels.append("x")
except ValueError as error:
    print(error)
n.grid = [[1, 2], [3, 4], [5, 6], [7, 8]]
n.names[1].set("xyz")
n.rows.append([1, 2, 3])
n.kinds.extend(["Low", b.Small.High])
n.bits = [["A", "Top"], 0]
n.maybe_small.set("Zero")
n.maybe_union.set({"A": [9, 8, 7]})
n.blob.set(b"\x01\x02\x03")
n.doubles.set([0.5, 1.5])
n.opt_f64.set(3.25)
print([label.get() if label else None for label in n.labels], [list(row) for row in n.grid], str(n.names[1]))
print(n)
data = n.to_dict()
print(data)
copy = m.Nested.from_dict(data)
assert copy == n and bytes(copy) == bytes(n), (copy, n)
print(ctypes.sizeof(m.Nested), m.Nested.opt_f64.offset, m._OptionalF64.value.offset, m._Vec2OfF64.items.offset)

choice = m.Choice(Nested=n)
view = m.Choice.from_buffer(bytearray(bytes(choice)))
print(view.variant()[0], view.payload.Nested.labels[2], view == choice)
for name, value in (("Empty", None), ("Scalars", limits), ("Bare", {"X": None}), ("Many", [{"a": 1}, {"c": 2.5}])):
    choice.set(name, value)
    again = m.Choice.from_dict(choice.to_dict())
    assert again == choice and bytes(again) == bytes(choice), name
    print(choice.to_dict())

top = t.Top(choice={"Many": []}, base={"a": 3, "b": "hi"}, wide="Min", big=["Max"])
print(top)
assert t.Top.from_dict(top.to_dict()) == top
method = t.Svc.go
print(method.request.__name__, method.reply.__name__, method.error is b.Small, len(method.fingerprint))
reply = method.reply(choice=("Bare", "Y"), bits=["Top"])
print(reply.to_dict(), t.SvcGoRequest._descriptor_index_, t.DESCRIPTOR[:5])
"#;

const EVERY_OUTPUT: &str = r#"48 01ffffffffffffffffffffffffffffff800000800000008000000000000000800000c03f0000000000000000000002c0
Scalars.u8: 256 does not fit in u8 (0 to 255)
Scalars.i8: -129 does not fit in i8 (-128 to 127)
Scalars.u64: 18446744073709551616 does not fit in u64 (0 to 18446744073709551615)
Scalars.i64: 9223372036854775808 does not fit in i64 (-9223372036854775808 to 9223372036854775807)
Scalars.u16: -1 does not fit in u16 (0 to 65535)
24 4 16 010000000500000068656c6c6f0000000000000000000040
6 2 020034120000 {'A': [1, 2, 3]} U(C=None)
2 0 0200 {'Y': None}
[<Small.Low: -128>, <Small.Zero: 0>, <Small.High: 127>] True -9223372036854775808 9223372036854775809
vec<optional<string<5>>, 3> is full (at most 3 items)
['abc', None, 'hello'] [[1, 2], [3, 4], [5, 6], [7, 8]] xyz
Nested(labels=['abc', None, 'hello'], grid=[[1, 2], [3, 4], [5, 6], [7, 8]], names=['', 'xyz'], rows=[[1, 2, 3]], kinds=[Small.Low, Small.High], bits=[Bits.A|Bits.Top, Bits(0)], maybe_small=Small.Zero, maybe_union=U(A=[9, 8, 7]), blob=b'\x01\x02\x03', doubles=[0.5, 1.5], opt_f64=3.25)
{'labels': ['abc', None, 'hello'], 'grid': [[1, 2], [3, 4], [5, 6], [7, 8]], 'names': ['', 'xyz'], 'rows': [[1, 2, 3]], 'kinds': ['Low', 'High'], 'bits': [['A', 'Top'], []], 'maybe_small': 'Zero', 'maybe_union': {'A': [9, 8, 7]}, 'blob': b'\x01\x02\x03', 'doubles': [0.5, 1.5], 'opt_f64': 3.25}
184 168 8 8
Nested 'hello' True
{'Empty': None}
{'Scalars': {'b': True, 'u8': 255, 'u16': 65535, 'u32': 4294967295, 'u64': 18446744073709551615, 'i8': -128, 'i16': -32768, 'i32': -2147483648, 'i64': -9223372036854775808, 'f32': 1.5, 'f64': -2.25}}
{'Bare': {'X': None}}
{'Many': [{'a': 1, 'b': '', 'c': 0.0}, {'a': 0, 'b': '', 'c': 2.5}]}
Top(choice=Choice(Many=[]), base=S(a=3, b='hi', c=0.0), wide=Wide.Min, big=[Big.Max])
SvcGoRequest SvcGoReply True 32
{'choice': {'Bare': {'Y': None}}, 'bits': ['Top']} 1 b'IDSC\x01'
"#;

#[test]
fn sample_modules_snapshot() {
    for file in generate(&workspace().join("samples/fleet/control.idl")) {
        insta::assert_snapshot!(file.path.display().to_string(), file.contents);
    }
}
