//! Feeds arbitrary bytes to the checker as a schema file that may import a second, equally
//! arbitrary one, and exercises everything that runs on the result: the checker itself, the
//! diagnostic renderers (plain, colored and JSON) and the model's serialization.
//!
//! Input layout: the first byte holds flags, the rest is split at the first `0xff` byte (never
//! valid UTF-8) into the root file and the imported file.
//! - bit 0: prefix the root file with `package fuzz; import "other.idl";` so that the
//!   imported file is read even before the fuzzer has discovered the syntax of imports;
//! - bit 1: check with a tiny message size limit, so that `MessageTooLarge` paths run.

#![no_main]

use interop_idl::{check_sources, MemoryLoader, Options};
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] = b"package fuzz; import \"other.idl\";\n";

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let (root, other) = match rest.iter().position(|&byte| byte == 0xff) {
        Some(split) => (&rest[..split], &rest[split + 1..]),
        None => (rest, &[][..]),
    };
    let mut root_file = Vec::with_capacity(HEADER.len() + root.len());
    if flags & 1 != 0 {
        root_file.extend_from_slice(HEADER);
    }
    root_file.extend_from_slice(root);

    let mut files = MemoryLoader::new();
    files.insert("main.idl", root_file);
    files.insert("other.idl", other.to_vec());
    let options = if flags & 2 != 0 {
        Options {
            max_message_size: 16,
        }
    } else {
        Options::default()
    };

    let compilation = check_sources(&["main.idl"], &files, &options);
    let rendered = compilation.render_diagnostics(false);
    let _ = compilation.render_diagnostics(true);
    let json = serde_json::to_string(&compilation.json_diagnostics()).expect("diagnostics as JSON");
    assert_eq!(compilation.model.is_some(), compilation.is_ok());
    assert_eq!(rendered.is_empty(), compilation.is_ok());
    match &compilation.model {
        Some(model) => {
            let text = serde_json::to_string(model).expect("the model serializes");
            let back: interop_idl::Model = serde_json::from_str(&text).expect("and reads back");
            assert_eq!(&back, model);
        }
        None => assert!(json.len() > 2),
    }
});
