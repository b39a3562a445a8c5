//! The checker never panics and never exhausts the stack, whatever it is given: arbitrary
//! bytes, damaged copies of the sample schemas, and inputs built to nest or chain as deep as
//! possible. Every check runs on a thread with a 2 MiB stack, less than a main thread gets,
//! and renders its diagnostics (and serializes its model) so that those paths run too.

use interop_idl::model::ConstValue;
use interop_idl::{check_sources, Code, MemoryLoader, Model, Options};
use proptest::prelude::*;
use proptest::sample::select;

const CONTROL: &str = include_str!("../../samples/fleet/control.idl");
const GEOMETRY: &str = include_str!("../../samples/fleet/geometry.idl");

/// The stack every check runs on.
const STACK: usize = 2 << 20;

/// What a check produced, reduced to what the tests look at.
#[derive(Debug)]
struct Outcome {
    model: Option<Model>,
    codes: Vec<Code>,
    rendered: String,
}

impl Outcome {
    fn has(&self, code: Code) -> bool {
        self.codes.contains(&code)
    }

    fn model(&self) -> &Model {
        self.model
            .as_ref()
            .unwrap_or_else(|| panic!("expected a model, got:\n{}", self.rendered))
    }
}

/// Checks `files` from the first one on a thread with a [`STACK`]-sized stack, and verifies
/// that the result is self-consistent.
fn check_on_small_stack(files: Vec<(String, Vec<u8>)>) -> Outcome {
    std::thread::Builder::new()
        .name("check".into())
        .stack_size(STACK)
        .spawn(move || {
            let mut loader = MemoryLoader::new();
            for (path, contents) in &files {
                loader.insert(path, contents.clone());
            }
            let compilation = check_sources(&[&files[0].0], &loader, &Options::default());
            let rendered = compilation.render_diagnostics(false);
            let _ = compilation.render_diagnostics(true);
            let json = serde_json::to_string(&compilation.json_diagnostics()).expect("json");
            assert_eq!(compilation.model.is_some(), compilation.is_ok());
            assert_eq!(rendered.is_empty(), compilation.is_ok(), "{rendered}");
            if let Some(model) = &compilation.model {
                let text = serde_json::to_string(model).expect("the model serializes");
                let back: Model = serde_json::from_str(&text).expect("and reads back");
                assert_eq!(&back, model);
            } else {
                assert!(json.len() > 2);
            }
            Outcome {
                model: compilation.model,
                codes: compilation.diagnostics.iter().map(|d| d.code).collect(),
                rendered,
            }
        })
        .expect("spawn the checking thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn one_file(text: impl Into<Vec<u8>>) -> Outcome {
    check_on_small_stack(vec![("main.idl".to_owned(), text.into())])
}

fn samples(control: Vec<u8>, geometry: Vec<u8>) -> Outcome {
    check_on_small_stack(vec![
        ("control.idl".to_owned(), control),
        ("geometry.idl".to_owned(), geometry),
    ])
}

#[test]
fn the_samples_check_on_a_small_stack() {
    let outcome = samples(CONTROL.into(), GEOMETRY.into());
    assert!(outcome.model().find_type("fleet.control.Vehicle").is_some());
}

// ---------------------------------------------------------------------------------------------
// Arbitrary input
// ---------------------------------------------------------------------------------------------

/// Tokens of the language, to build inputs that get further than the first character.
const TOKENS: &[&str] = &[
    "package",
    "import",
    "const",
    "enum",
    "flags",
    "struct",
    "union",
    "service",
    "rpc",
    "oneway",
    "event",
    "error",
    "string",
    "bytes",
    "vec",
    "optional",
    "bool",
    "u8",
    "u16",
    "u32",
    "u64",
    "i8",
    "i16",
    "i32",
    "i64",
    "f32",
    "f64",
    "true",
    "false",
    "p",
    "q.r",
    "S",
    "T",
    "x",
    "y",
    "0",
    "1",
    "7",
    "0x10",
    "0b1",
    "1.5",
    "1e3",
    "99999999999999999999999999999999999999999",
    "18446744073709551616",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ";",
    ":",
    ",",
    "=",
    "+",
    "-",
    "*",
    "/",
    "->",
    ".",
    "\"b.idl\"",
    "\"main.idl\"",
    "\"",
    "///",
    "// c\n",
    "/*",
    "*/",
    "\n",
    "é",
    "\u{feff}",
    "\0",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(select(TOKENS.to_vec()), 0..80).prop_map(|tokens| tokens.join(" "))
}

/// A small valid file for the arbitrary one to import, and one that imports it back.
const B_IDL: &str = "package b; import \"main.idl\"; struct S { x: u8 } const N: u32 = 3;";

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(256)
    })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let outcome = one_file(bytes.clone());
        if std::str::from_utf8(&bytes).is_err() {
            prop_assert!(outcome.has(Code::InvalidUtf8), "{}", outcome.rendered);
        }
        // The same bytes imported by a valid file.
        check_on_small_stack(vec![
            ("root.idl".to_owned(), b"package root; import \"main.idl\";".to_vec()),
            ("main.idl".to_owned(), bytes),
        ]);
    }

    #[test]
    fn arbitrary_token_sequences(
        header in any::<bool>(),
        soup in token_soup(),
        imported in token_soup(),
    ) {
        let main = if header {
            format!("package main; import \"b.idl\"; {soup}")
        } else {
            soup
        };
        check_on_small_stack(vec![
            ("main.idl".to_owned(), main.into_bytes()),
            ("b.idl".to_owned(), format!("{B_IDL} {imported}").into_bytes()),
        ]);
    }
}

// ---------------------------------------------------------------------------------------------
// Damaged samples
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Mutation {
    InsertByte(usize, u8),
    InsertToken(usize, &'static str),
    Delete(usize, usize),
    Replace(usize, u8),
    /// Copies a slice somewhere else.
    Duplicate(usize, usize, usize),
    /// Swaps two bytes (often turns a bracket or name into another).
    Swap(usize, usize),
}

impl Mutation {
    fn apply(&self, text: &mut Vec<u8>) {
        let at = |index: usize| index % (text.len() + 1);
        match *self {
            Mutation::InsertByte(index, byte) => {
                let index = at(index);
                text.insert(index, byte);
            }
            Mutation::InsertToken(index, token) => {
                let index = at(index);
                text.splice(index..index, token.bytes());
            }
            Mutation::Delete(index, len) => {
                let start = at(index);
                let end = (start + len).min(text.len());
                text.drain(start..end);
            }
            Mutation::Replace(index, byte) if !text.is_empty() => {
                let index = index % text.len();
                text[index] = byte;
            }
            Mutation::Duplicate(from, len, to) => {
                let start = at(from);
                let slice = text[start..(start + len).min(text.len())].to_vec();
                let to = at(to);
                text.splice(to..to, slice);
            }
            Mutation::Swap(a, b) if !text.is_empty() => {
                let (a, b) = (a % text.len(), b % text.len());
                text.swap(a, b);
            }
            Mutation::Replace(..) | Mutation::Swap(..) => {}
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let index = any::<usize>();
    prop_oneof![
        (index, any::<u8>()).prop_map(|(i, b)| Mutation::InsertByte(i, b)),
        (index, select(TOKENS.to_vec())).prop_map(|(i, t)| Mutation::InsertToken(i, t)),
        (index, 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (index, any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
        (index, 1usize..200, index).prop_map(|(f, n, t)| Mutation::Duplicate(f, n, t)),
        (index, index).prop_map(|(a, b)| Mutation::Swap(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(192)
    })]

    #[test]
    fn damaged_samples(
        control in prop::collection::vec(mutation(), 0..5),
        geometry in prop::collection::vec(mutation(), 0..3),
    ) {
        let mut control_text = CONTROL.as_bytes().to_vec();
        control.iter().for_each(|m| m.apply(&mut control_text));
        let mut geometry_text = GEOMETRY.as_bytes().to_vec();
        geometry.iter().for_each(|m| m.apply(&mut geometry_text));
        let unchanged = control_text == CONTROL.as_bytes() && geometry_text == GEOMETRY.as_bytes();
        let outcome = samples(control_text, geometry_text);
        if unchanged {
            prop_assert!(outcome.model.is_some(), "{}", outcome.rendered);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Deep nesting and long chains
// ---------------------------------------------------------------------------------------------

/// Set in the child process that runs one isolated test.
const CHILD: &str = "INTEROP_ROBUSTNESS_CHILD";

/// Runs `body` in a child process (this test binary, filtered to test `name`), so that a
/// stack overflow, which aborts the process, fails only this test and says so.
fn isolated(name: &str, body: impl FnOnce()) {
    if std::env::var_os(CHILD).is_some() {
        body();
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("run the test binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`{name}` failed in its own process ({}):\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("1 passed"),
        "`{name}` did not run:\n{stdout}"
    );
}

#[test]
fn vec_nested_ten_thousand_levels() {
    isolated("vec_nested_ten_thousand_levels", || {
        let depth = 10_000;
        let text = format!(
            "package p; struct S {{ f: {}u8{} }}",
            "vec<".repeat(depth),
            ", 1>".repeat(depth)
        );
        let outcome = one_file(text);
        assert!(outcome.has(Code::TooDeep), "{}", outcome.rendered);
    });
}

#[test]
fn optional_and_array_nested_ten_thousand_levels() {
    isolated("optional_and_array_nested_ten_thousand_levels", || {
        let depth = 10_000;
        let text = format!(
            "package p; union U {{ A({}[u8; 1]{}) }}",
            "optional<[".repeat(depth),
            "; 1]>".repeat(depth)
        );
        let outcome = one_file(text);
        assert!(outcome.has(Code::TooDeep), "{}", outcome.rendered);
    });
}

#[test]
fn hundred_thousand_parentheses() {
    isolated("hundred_thousand_parentheses", || {
        let depth = 100_000;
        let text = format!(
            "package p; const C: u32 = {}1{};",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let outcome = one_file(text);
        assert!(outcome.has(Code::TooDeep), "{}", outcome.rendered);
        // Unbalanced: only opening parentheses.
        let outcome = one_file(format!("package p; const C: u32 = {}1;", "(".repeat(depth)));
        assert!(outcome.has(Code::TooDeep), "{}", outcome.rendered);
    });
}

#[test]
fn hundred_thousand_unary_minus_signs() {
    isolated("hundred_thousand_unary_minus_signs", || {
        let count = 100_000; // even: the value is 1
        let text = format!("package p; const C: i64 = {}1;", "- ".repeat(count));
        let outcome = one_file(text);
        match &outcome.model {
            Some(model) => assert_eq!(model.packages[0].consts[0].value, ConstValue::Int(1)),
            None => assert!(outcome.has(Code::TooDeep), "{}", outcome.rendered),
        }
        // Without spaces, `--` is still two signs.
        let text = format!("package p; const C: i64 = {}1;", "-".repeat(count + 1));
        let outcome = one_file(text);
        match &outcome.model {
            Some(model) => assert_eq!(model.packages[0].consts[0].value, ConstValue::Int(-1)),
            None => assert!(outcome.has(Code::TooDeep), "{}", outcome.rendered),
        }
    });
}

#[test]
fn two_hundred_thousand_term_sum() {
    isolated("two_hundred_thousand_term_sum", || {
        let terms = 200_000;
        let text = format!("package p; const C: u64 = 1{};", "+1".repeat(terms - 1));
        let outcome = one_file(text);
        assert!(outcome.has(Code::TooDeep), "{}", outcome.rendered);
        // As an array length and mixed with products.
        let text = format!(
            "package p; struct S {{ a: [u8; 1{}] }}",
            "*1-1+1".repeat(terms / 3)
        );
        let outcome = one_file(text);
        assert!(outcome.has(Code::TooDeep), "{}", outcome.rendered);
    });
}

#[test]
fn chain_of_five_thousand_structs() {
    isolated("chain_of_five_thousand_structs", || {
        let count = 5_000;
        // S0 contains S1 contains ... S4999; declared outermost first, so every use is forward.
        let mut text = String::from("package p;\n");
        for index in 0..count - 1 {
            text.push_str(&format!(
                "struct S{index} {{ tag: u8, next: S{} }}\n",
                index + 1
            ));
        }
        text.push_str(&format!("struct S{} {{ last: u16 }}\n", count - 1));
        let outcome = one_file(text);
        let model = outcome.model();
        // Each level adds a byte of tag and one of padding before the 2-aligned inner struct.
        for (index, def) in model.packages[0].types.iter().enumerate() {
            assert_eq!(def.name, format!("S{index}"));
            assert_eq!((def.size, def.align), (2 * (count - index) as u64, 2));
        }
    });
}

#[test]
fn chain_of_five_thousand_structs_that_double() {
    isolated("chain_of_five_thousand_structs_that_double", || {
        // Each struct holds two of the next: the first's size would be 2^5000 bytes.
        let count = 5_000;
        let mut text = String::from("package p;\n");
        for index in 0..count - 1 {
            text.push_str(&format!(
                "struct S{index} {{ pair: [S{}; 2] }}\n",
                index + 1
            ));
        }
        text.push_str(&format!("struct S{} {{ last: u8 }}\n", count - 1));
        let outcome = one_file(text);
        assert!(outcome.has(Code::TypeTooLarge), "{}", outcome.rendered);
    });
}

#[test]
fn ring_of_five_thousand_structs() {
    isolated("ring_of_five_thousand_structs", || {
        let count = 5_000;
        let mut text = String::from("package p;\n");
        for index in 0..count {
            text.push_str(&format!(
                "struct S{index} {{ next: S{} }}\n",
                (index + 1) % count
            ));
        }
        let outcome = one_file(text);
        assert!(outcome.has(Code::RecursiveType), "{}", outcome.rendered);
    });
}

#[test]
fn chain_of_five_thousand_consts() {
    isolated("chain_of_five_thousand_consts", || {
        let count = 5_000;
        // K0 = K1 + 1, K1 = K2 + 1, ..., K4999 = 7.
        let mut text = String::from("package p;\n");
        for index in 0..count - 1 {
            text.push_str(&format!("const K{index}: u32 = K{} + 1;\n", index + 1));
        }
        text.push_str(&format!("const K{}: u32 = 7;\n", count - 1));
        text.push_str("struct S { data: [u8; K0] }\n");
        let outcome = one_file(text);
        let model = outcome.model();
        let expected = 7 + (count as i128 - 1);
        assert_eq!(model.packages[0].consts[0].value, ConstValue::Int(expected));
        assert_eq!(model.packages[0].types[0].size, expected as u64);
    });
}

#[test]
fn ring_of_five_thousand_consts() {
    isolated("ring_of_five_thousand_consts", || {
        let count = 5_000;
        let mut text = String::from("package p;\n");
        for index in 0..count {
            text.push_str(&format!(
                "const K{index}: u32 = K{} + 1;\n",
                (index + 1) % count
            ));
        }
        let outcome = one_file(text);
        assert!(outcome.has(Code::RecursiveConst), "{}", outcome.rendered);
    });
}

#[test]
fn chain_of_five_thousand_imports() {
    isolated("chain_of_five_thousand_imports", || {
        let count = 5_000;
        // f0 imports f1 imports ... f4999; each struct holds the next file's.
        let mut files = Vec::new();
        for index in 0..count {
            let text = if index + 1 < count {
                format!(
                    "package c{index}; import \"f{next}.idl\"; struct S {{ a: u8, b: c{next}.S }}",
                    next = index + 1
                )
            } else {
                format!("package c{index}; struct S {{ a: u8 }}")
            };
            files.push((format!("f{index}.idl"), text.into_bytes()));
        }
        let outcome = check_on_small_stack(files.clone());
        let model = outcome.model();
        assert_eq!(model.packages.len(), count);
        assert_eq!(model.find_type("c0.S").map(|s| s.size), Some(count as u64));
        // Closing the ring is an import cycle.
        files[count - 1].1 = format!("package c{}; import \"f0.idl\";", count - 1).into_bytes();
        let outcome = check_on_small_stack(files);
        assert!(outcome.has(Code::ImportCycle), "{}", outcome.rendered);
    });
}

#[test]
fn long_names_and_lines() {
    isolated("long_names_and_lines", || {
        let name = "x".repeat(100_000);
        let package = vec!["a"; 20_000].join(".");
        let text = format!("/// {name}\npackage {package};\nstruct {name} {{ {name}: u8 }}");
        let outcome = one_file(text);
        assert_eq!(outcome.model().packages[0].types[0].name, name);
        // A syntax error at the end of a very long line still renders.
        let outcome = one_file(format!("package p; struct S {{ {name}: u8 }} ?"));
        assert!(outcome.has(Code::Syntax), "{}", outcome.rendered);
        // An unterminated block comment and string.
        let outcome = one_file(format!("package p; /* {name}"));
        assert!(!outcome.codes.is_empty());
        let outcome = one_file(format!("package p; import \"{name}"));
        assert!(!outcome.codes.is_empty());
    });
}
