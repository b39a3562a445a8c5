//! A large, realistic schema for benchmarks: packages that import each other, structs that
//! nest earlier types through every container, enums, flags, unions and services.

/// The files of a generated schema: `(path, text)`, the root (the one with the services) first.
pub fn generate(types: usize, methods: usize, packages: usize) -> Vec<(String, String)> {
    let per_package = types.div_ceil(packages);
    let mut files = Vec::with_capacity(packages);
    for package in 0..packages {
        let mut text = format!("/// Generated package {package}.\npackage bench.p{package};\n");
        if package > 0 {
            text.push_str(&format!("import \"p{}.idl\";\n", package - 1));
        }
        text.push_str(&format!(
            "\nconst CAP{package}: u32 = {} * 2 + 1;\n",
            package + 3
        ));
        let count = per_package.min(types.saturating_sub(package * per_package));
        for index in 0..count {
            text.push_str(&declaration(package, index));
        }
        if package == packages - 1 {
            text.push_str(&services(package, per_package, methods));
        }
        files.push((format!("p{package}.idl"), text));
    }
    files.reverse();
    files
}

/// One declaration: mostly structs, with enums, flags and unions mixed in.
fn declaration(package: usize, index: usize) -> String {
    let name = format!("T{package}_{index}");
    match index % 20 {
        0 | 10 => {
            format!("/// An enum.\nenum {name}: u16 {{ A{index}, B{index} = 7, C{index} }}\n")
        }
        5 => format!("flags {name}: u32 {{ X = 0x1, Y, Z = 0x10 }}\n"),
        15 if index > 3 => format!(
            "union {name}: u8 {{ None = 0, Some({}) = 1, Text(string<16>) = 2 }}\n",
            earlier_struct(package, index)
        ),
        _ => {
            let mut fields = vec![
                "    id: u64,".to_owned(),
                format!("    /// A label.\n    label: string<CAP{package}>,"),
                "    flags: u8,".to_owned(),
                "    samples: [f32; 4],".to_owned(),
            ];
            if index > 2 {
                fields.push(format!("    inner: {},", earlier_struct(package, index)));
                fields.push(format!(
                    "    maybe: optional<{}>,",
                    earlier_struct(package, index - 1)
                ));
            }
            if package > 0 && index % 3 == 0 {
                fields.push(format!(
                    "    other: bench.p{}.T{}_1,",
                    package - 1,
                    package - 1
                ));
            }
            fields.push("    list: vec<u16, 8>,".to_owned());
            format!("struct {name} {{\n{}\n}}\n", fields.join("\n"))
        }
    }
}

/// A struct declared before `index` in the same package (index 1 and 2 are always structs).
fn earlier_struct(package: usize, index: usize) -> String {
    let candidate = (index / 2).max(1);
    let candidate = if matches!(candidate % 20, 0 | 5 | 10 | 15) {
        1
    } else {
        candidate
    };
    format!("T{package}_{candidate}")
}

fn services(package: usize, per_package: usize, methods: usize) -> String {
    let mut text = String::new();
    let per_service = 50;
    for service in 0..methods.div_ceil(per_service) {
        text.push_str(&format!("service S{service} {{\n"));
        for method in 0..per_service.min(methods - service * per_service) {
            let ty = format!("T{package}_{}", 1 + (method * 7) % (per_package - 1));
            text.push_str(&match method % 4 {
                0 => format!("    rpc get{method}(id: u64) -> {ty};\n"),
                1 => format!("    rpc put{method}(value: {ty}, at: i64) -> (ok: bool, seq: u64) error T{package}_0;\n"),
                2 => format!("    oneway note{method}(value: {ty});\n"),
                _ => format!("    event changed{method}(value: {ty});\n"),
            });
        }
        text.push_str("}\n");
    }
    text
}
