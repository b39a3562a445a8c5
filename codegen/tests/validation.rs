//! The runtime's validator against descriptors the generator writes: every rule of
//! `docs/IDL.md` §11 refuses a crafted bad buffer and names the field; good buffers pass.

use interop::validate::{validate, Problem, ValidationError};
use interop_codegen::descriptor::{self, Descriptor};
use interop_idl::model::{Model, TypeKind};
use interop_idl::{check_sources, MemoryLoader, Options};
use proptest::prelude::*;

const SCHEMA: &str = r#"
package v;
enum Mode: i8 { Back = -1, Idle = 0, Run = 1 }
flags Caps: u16 { A = 0x1, B = 0x4 }
struct Inner { flag: bool, mode: Mode }
union Choice: u8 { Nothing = 0, Number(u32) = 1, Text(string<3>) = 2 }
struct Message {
    a: u8,
    name: string<5>,
    caps: Caps,
    inners: vec<Inner, 3>,
    maybe: optional<u32>,
    choice: Choice,
    blob: bytes<2>,
    switches: [bool; 2],
}
service S { rpc send(message: Message, count: u16) -> (ok: bool); }
"#;

struct Fixture {
    model: Model,
    descriptor: Descriptor,
}

impl Fixture {
    fn new(schema: &str) -> Fixture {
        let mut loader = MemoryLoader::new();
        loader.insert("v.idl", schema);
        let compilation = check_sources(&["v.idl"], &loader, &Options::default());
        assert!(
            compilation.is_ok(),
            "{}",
            compilation.render_diagnostics(false)
        );
        let model = compilation.model.unwrap();
        let package = model.packages[0].name.clone();
        let descriptor = descriptor::for_package(&model, &package);
        Fixture { model, descriptor }
    }

    fn size(&self, ty: &str) -> usize {
        self.model.find_type_loosely(ty).unwrap().size as usize
    }

    /// The offset of a field of a struct.
    fn offset(&self, ty: &str, field: &str) -> usize {
        let TypeKind::Struct(structure) = &self.model.find_type_loosely(ty).unwrap().kind else {
            panic!()
        };
        structure
            .fields
            .iter()
            .find(|f| f.name == field)
            .unwrap()
            .offset as usize
    }

    fn check(&self, record: &str, bytes: &[u8]) -> Result<(), ValidationError> {
        let index = self
            .descriptor
            .index_of(record)
            .unwrap_or_else(|| panic!("no record {record}"));
        validate(&self.descriptor.bytes, index, bytes)
    }
}

/// A valid `Message`: all zero except what zero would make invalid (nothing here).
fn valid(fixture: &Fixture) -> Vec<u8> {
    let mut bytes = vec![0u8; fixture.size("Message")];
    // A non-trivial but valid value: name "héé" (5 bytes), two inners, maybe = 7, Text("ok").
    let name = fixture.offset("Message", "name");
    bytes[name..name + 4].copy_from_slice(&5u32.to_le_bytes());
    bytes[name + 4..name + 9].copy_from_slice("héé".as_bytes());
    let caps = fixture.offset("Message", "caps");
    bytes[caps] = 0x5;
    let inners = fixture.offset("Message", "inners");
    bytes[inners] = 2;
    bytes[inners + 4] = 1; // inners[0].flag
    bytes[inners + 5] = 0xff; // inners[0].mode = Back (-1)
    bytes[inners + 7] = 1; // inners[1].mode = Run
    let maybe = fixture.offset("Message", "maybe");
    bytes[maybe] = 1;
    bytes[maybe + 4..maybe + 8].copy_from_slice(&7u32.to_le_bytes());
    let choice = fixture.offset("Message", "choice");
    bytes[choice] = 2;
    bytes[choice + 4..choice + 8].copy_from_slice(&2u32.to_le_bytes());
    bytes[choice + 8..choice + 10].copy_from_slice(b"ok");
    bytes
}

fn refused(fixture: &Fixture, bytes: &[u8]) -> ValidationError {
    fixture
        .check("v.Message", bytes)
        .expect_err("the buffer must be refused")
}

#[test]
fn a_valid_message_passes() {
    let fixture = Fixture::new(SCHEMA);
    fixture.check("v.Message", &valid(&fixture)).unwrap();
    fixture
        .check("v.Message", &vec![0; fixture.size("Message")])
        .unwrap();
}

#[test]
fn wrong_size_is_refused() {
    let fixture = Fixture::new(SCHEMA);
    let mut bytes = valid(&fixture);
    bytes.push(0);
    let error = refused(&fixture, &bytes);
    assert_eq!(
        error.problem,
        Problem::WrongSize {
            expected: bytes.len() as u64 - 1,
            found: bytes.len() as u64
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "invalid `v.Message`: {} bytes, but the type has {}",
            bytes.len(),
            bytes.len() - 1
        )
    );
}

#[test]
fn unknown_enum_value_names_the_field() {
    let fixture = Fixture::new(SCHEMA);
    let mut bytes = valid(&fixture);
    bytes[fixture.offset("Message", "inners") + 7] = 5; // inners[1].mode
    let error = refused(&fixture, &bytes);
    assert_eq!(
        (error.field.as_str(), error.problem.clone()),
        ("inners[1].mode", Problem::UnknownEnumValue(5))
    );
    assert_eq!(
        error.to_string(),
        format!(
            "invalid `v.Message`: field `inners[1].mode` at byte {}: 5 is not a value of the enum",
            error.offset
        )
    );
}

#[test]
fn unknown_flag_bits() {
    let fixture = Fixture::new(SCHEMA);
    let mut bytes = valid(&fixture);
    bytes[fixture.offset("Message", "caps")] = 0x7;
    let error = refused(&fixture, &bytes);
    assert_eq!(
        (error.field.as_str(), error.problem),
        ("caps", Problem::UnknownFlags(0x2))
    );
}

#[test]
fn bools_are_zero_or_one() {
    let fixture = Fixture::new(SCHEMA);
    let mut bytes = valid(&fixture);
    bytes[fixture.offset("Message", "inners") + 4] = 2;
    assert_eq!(refused(&fixture, &bytes).field, "inners[0].flag");
    let mut bytes = valid(&fixture);
    bytes[fixture.offset("Message", "switches") + 1] = 7;
    let error = refused(&fixture, &bytes);
    assert_eq!(
        (error.field.as_str(), error.problem),
        ("switches[1]", Problem::InvalidBool(7))
    );
}

#[test]
fn lengths_above_capacity() {
    let fixture = Fixture::new(SCHEMA);
    for (field, capacity) in [("name", 5), ("inners", 3), ("blob", 2)] {
        let mut bytes = valid(&fixture);
        let at = fixture.offset("Message", field);
        bytes[at..at + 4].copy_from_slice(&(capacity + 1u32).to_le_bytes());
        let error = refused(&fixture, &bytes);
        assert_eq!(
            (error.field.as_str(), error.problem),
            (
                field,
                Problem::LengthOverCapacity {
                    len: capacity + 1,
                    capacity
                }
            )
        );
    }
}

#[test]
fn strings_must_be_utf8() {
    let fixture = Fixture::new(SCHEMA);
    let mut bytes = valid(&fixture);
    bytes[fixture.offset("Message", "name") + 4 + 2] = 0xff;
    let error = refused(&fixture, &bytes);
    assert_eq!(
        (error.field.as_str(), error.problem),
        ("name", Problem::InvalidUtf8 { at: 1 })
    );
    // Bytes beyond `len` are not text: no check.
    let mut bytes = valid(&fixture);
    let name = fixture.offset("Message", "name");
    bytes[name..name + 4].copy_from_slice(&1u32.to_le_bytes());
    fixture
        .check("v.Message", &bytes)
        .expect("only the first `len` bytes are text");
}

#[test]
fn union_tags_and_payloads() {
    let fixture = Fixture::new(SCHEMA);
    let choice = fixture.offset("Message", "choice");
    let mut bytes = valid(&fixture);
    bytes[choice] = 9;
    let error = refused(&fixture, &bytes);
    assert_eq!(
        (error.field.as_str(), error.problem),
        ("choice", Problem::UnknownTag(9))
    );
    let mut bytes = valid(&fixture);
    bytes[choice + 4..choice + 8].copy_from_slice(&4u32.to_le_bytes());
    let error = refused(&fixture, &bytes);
    assert_eq!(
        error.field, "choice(Text)",
        "the active variant's payload is checked"
    );
    assert!(matches!(
        error.problem,
        Problem::LengthOverCapacity {
            len: 4,
            capacity: 3
        }
    ));
}

#[test]
fn optional_present_is_zero_or_one_and_absent_values_are_not_read() {
    let fixture = Fixture::new(SCHEMA);
    let maybe = fixture.offset("Message", "maybe");
    let mut bytes = valid(&fixture);
    bytes[maybe] = 2;
    let error = refused(&fixture, &bytes);
    assert_eq!(
        (error.field.as_str(), error.problem),
        ("maybe", Problem::InvalidBool(2))
    );
    let mut bytes = valid(&fixture);
    bytes[maybe] = 0;
    fixture
        .check("v.Message", &bytes)
        .expect("an absent value's bytes are not checked");
}

#[test]
fn padding_must_be_zero_everywhere() {
    let fixture = Fixture::new(SCHEMA);
    let message = |field: &str| fixture.offset("Message", field);
    let places = [
        ("struct padding after `a`", message("a") + 1, ""),
        ("string tail", message("name") + 9, "name"),
        ("optional gap", message("maybe") + 1, "maybe"),
        ("union gap after the tag", message("choice") + 1, "choice"),
        ("bytes tail", message("blob") + 6, "blob"),
        ("struct tail", fixture.size("Message") - 1, ""),
    ];
    for (what, at, field) in places {
        let mut bytes = valid(&fixture);
        bytes[at] = 1;
        let error = refused(&fixture, &bytes);
        assert_eq!(
            (error.problem.clone(), error.field.as_str(), error.offset),
            (Problem::NonZeroPadding, field, at as u64),
            "{what}"
        );
    }
}

#[test]
fn vec_elements_beyond_len_are_not_checked() {
    let fixture = Fixture::new(SCHEMA);
    let mut bytes = valid(&fixture);
    bytes[fixture.offset("Message", "inners") + 4 + 2 * 2] = 9; // inners[2].flag, len is 2
    fixture.check("v.Message", &bytes).unwrap();
}

#[test]
fn generated_messages_are_records_too() {
    let fixture = Fixture::new(SCHEMA);
    let request = fixture.model.packages[0].services[0].methods[0]
        .params
        .as_ref()
        .unwrap();
    let mut bytes = vec![0u8; request.size as usize];
    fixture.check("v.SSendRequest", &bytes).unwrap();
    let inners = request.layout.fields[0].offset as usize + fixture.offset("Message", "inners");
    bytes[inners] = 4;
    let error = fixture.check("v.SSendRequest", &bytes).unwrap_err();
    assert_eq!(
        (error.type_name.as_str(), error.field.as_str()),
        ("v.SSendRequest", "message.inners")
    );
}

#[test]
fn deep_types_validate_without_recursion() {
    let mut schema = String::from("package v;\n");
    for level in 0..3000 {
        schema.push_str(&format!(
            "struct S{level} {{ flag: bool, next: S{} }}\n",
            level + 1
        ));
    }
    schema.push_str("struct S3000 { flag: bool }\n");
    let fixture = Fixture::new(&schema);
    let size = fixture.size("S0");
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut bytes = vec![0u8; size];
            fixture.check("v.S0", &bytes).unwrap();
            bytes[size - 1] = 3;
            fixture
                .check("v.S0", &bytes)
                .unwrap_err()
                .field
                .matches("next")
                .count()
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), 3000);
}

#[test]
fn malformed_descriptors_are_errors() {
    for descriptor in [
        &b""[..],
        b"IDSC",
        b"XXXX\x01\0\0\0\0",
        b"IDSC\x02\0\0\0\0",
        b"IDSC\x01\x01\0\0\0\xff\0\0\0",
    ] {
        let error = validate(descriptor, 0, &[0; 4]).unwrap_err();
        assert!(
            matches!(error.problem, Problem::BadDescriptor(_)),
            "{descriptor:?}: {error}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random messages against a real descriptor: a verdict, never a panic.
    #[test]
    fn random_messages_get_a_verdict(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
        let fixture = Fixture::new(SCHEMA);
        let _ = fixture.check("v.Message", &bytes);
    }

    /// Damaged descriptors: an error, never a panic or an endless walk.
    #[test]
    fn damaged_descriptors_never_panic(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        message in prop::collection::vec(any::<u8>(), 0..80),
        index in 0u32..8,
    ) {
        let fixture = Fixture::new(SCHEMA);
        let mut descriptor = fixture.descriptor.bytes.clone();
        for (at, byte) in flips {
            let at = at.index(descriptor.len());
            descriptor[at] = byte;
        }
        let _ = validate(&descriptor, index, &message);
    }
}
