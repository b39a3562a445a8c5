//! `interopc layout`: the byte layout of types and messages, as tables and byte maps.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use interop_idl::model::{EnumDef, Method, Model, Padding, StructDef, TypeDef, TypeKind, UnionDef};

use crate::report::SchemaArgs;

/// Types up to this size get a byte map unless `--no-byte-map` is given.
const BYTE_MAP_LIMIT: u64 = 256;

/// Show the byte layout of types and messages: offset, size, alignment and padding of every
/// field, the total size, alignment and fingerprint, and a map of which byte belongs to which
/// field.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  interopc layout samples/fleet/control.idl\n  interopc layout samples/fleet/control.idl Vehicle\n  interopc layout samples/fleet/control.idl FleetControl.get_vehicle"
)]
pub struct Args {
    /// The schema file (imports are followed).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Only this type (`Vehicle` or `fleet.control.Vehicle`), service (`FleetControl`) or
    /// method (`FleetControl.get_vehicle`); every type and service when omitted.
    #[arg(value_name = "TYPE")]
    name: Option<String>,

    /// Leave out the byte maps.
    #[arg(long)]
    no_byte_map: bool,

    #[command(flatten)]
    schema: SchemaArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let Some(model) = super::checked_model(std::slice::from_ref(&args.file), &args.schema) else {
        return ExitCode::FAILURE;
    };
    let printer = Printer {
        byte_maps: !args.no_byte_map,
    };
    let output = match &args.name {
        None => printer.everything(&model),
        Some(name) => match printer.named(&model, name) {
            Some(output) => output,
            None => {
                eprintln!(
                    "error: no type, service or method named `{name}` in {}",
                    args.file.display()
                );
                eprintln!(
                    "help: run `interopc layout {}` to list them all",
                    args.file.display()
                );
                return ExitCode::FAILURE;
            }
        },
    };
    print!("{output}");
    ExitCode::SUCCESS
}

struct Printer {
    byte_maps: bool,
}

impl Printer {
    fn everything(&self, model: &Model) -> String {
        let mut out = String::new();
        for package in &model.packages {
            for ty in &package.types {
                out.push_str(&self.type_def(ty));
                out.push('\n');
            }
            for service in &package.services {
                for method in &service.methods {
                    out.push_str(&self.method(method));
                    out.push('\n');
                }
            }
        }
        out
    }

    /// A type, a service or a method, found by simple or qualified name.
    fn named(&self, model: &Model, name: &str) -> Option<String> {
        if let Some(ty) = model.find_type_loosely(name) {
            return Some(self.type_def(ty));
        }
        let services = model.packages.iter().flat_map(|package| &package.services);
        for service in services {
            let matches =
                |candidate: &str| candidate == service.name || candidate == service.qualified_name;
            if matches(name) {
                return Some(
                    service
                        .methods
                        .iter()
                        .map(|method| self.method(method) + "\n")
                        .collect(),
                );
            }
            if let Some((service_part, method_name)) = name.rsplit_once('.') {
                if matches(service_part) {
                    return service
                        .methods
                        .iter()
                        .find(|m| m.name == method_name)
                        .map(|m| self.method(m));
                }
            }
        }
        None
    }

    fn type_def(&self, ty: &TypeDef) -> String {
        let mut out = format!(
            "{} {}  size {}  align {}\n  fingerprint {}\n",
            ty.kind.keyword(),
            ty.qualified_name,
            ty.size,
            ty.align,
            ty.fingerprint
        );
        match &ty.kind {
            TypeKind::Struct(structure) => out.push_str(&self.structure(structure, ty.size)),
            TypeKind::Enum(members) | TypeKind::Flags(members) => {
                out.push_str(&enumeration(members))
            }
            TypeKind::Union(union) => out.push_str(&self.union(union, ty.size)),
        }
        out
    }

    fn method(&self, method: &Method) -> String {
        let mut out = format!(
            "{} {}  id {:#010x}\n  fingerprint {}\n",
            method.kind.keyword(),
            method.qualified_name,
            method.id,
            method.fingerprint
        );
        if let Some(error) = &method.error {
            writeln!(out, "  error {error}").expect("writing to a String");
        }
        let messages = [("params", &method.params), ("results", &method.results)];
        for (role, message) in messages {
            match message {
                Some(message) => {
                    writeln!(
                        out,
                        "  {role}: struct {}  size {}  align {}",
                        message.name, message.size, message.align
                    )
                    .expect("writing to a String");
                    out.push_str(&indent(&self.structure(&message.layout, message.size)));
                }
                None if role == "params" || method.kind == interop_idl::model::MethodKind::Rpc => {
                    writeln!(out, "  {role}: none (no payload)").expect("writing to a String");
                }
                None => {}
            }
        }
        out
    }

    fn structure(&self, structure: &StructDef, size: u64) -> String {
        let mut rows = vec![[
            "offset".to_owned(),
            "size".to_owned(),
            "align".to_owned(),
            "field".to_owned(),
        ]];
        let mut padding = structure.padding.iter().peekable();
        let mut spans = Vec::new();
        for (index, field) in structure.fields.iter().enumerate() {
            while let Some(gap) = padding.next_if(|gap| gap.offset < field.offset) {
                rows.push(padding_row(gap));
            }
            rows.push([
                field.offset.to_string(),
                field.ty.size.to_string(),
                field.ty.align.to_string(),
                format!("{}: {}", field.name, field.ty),
            ]);
            spans.push((field.offset, field.ty.size, key(index), field.name.clone()));
        }
        rows.extend(padding.map(padding_row));
        let mut out = table(&rows);
        if self.byte_maps {
            out.push_str(&byte_map(size, &spans));
        }
        out
    }

    fn union(&self, union: &UnionDef, size: u64) -> String {
        let mut out = format!(
            "  tag {} at 0, payload at {} ({} bytes)\n",
            union.tag.name(),
            union.payload_offset,
            union.payload_size
        );
        let mut rows = vec![[
            "tag".to_owned(),
            "size".to_owned(),
            "align".to_owned(),
            "variant".to_owned(),
        ]];
        for variant in &union.variants {
            let (size, align, payload) = match &variant.payload {
                Some(ty) => (ty.size.to_string(), ty.align.to_string(), format!("({ty})")),
                None => ("0".to_owned(), String::new(), String::new()),
            };
            rows.push([
                variant.tag.to_string(),
                size,
                align,
                format!("{}{payload}", variant.name),
            ]);
        }
        out.push_str(&table(&rows));
        if self.byte_maps {
            let tag_size = union.tag.size();
            let spans = [
                (0, tag_size, 'a', "tag".to_owned()),
                (
                    union.payload_offset,
                    union.payload_size,
                    'b',
                    "payload".to_owned(),
                ),
            ];
            out.push_str(&byte_map(size, &spans));
        }
        out
    }
}

fn enumeration(members: &EnumDef) -> String {
    let mut rows = vec![[
        "value".to_owned(),
        "hex".to_owned(),
        String::new(),
        format!("member ({})", members.repr.name()),
    ]];
    for member in &members.members {
        rows.push([
            member.value.to_string(),
            format!("{:#x}", member.value),
            String::new(),
            member.name.clone(),
        ]);
    }
    table(&rows)
}

fn padding_row(gap: &Padding) -> [String; 4] {
    [
        gap.offset.to_string(),
        gap.size.to_string(),
        String::new(),
        "(padding)".to_owned(),
    ]
}

/// Numbers right-aligned, the last column left-aligned, two spaces of indent.
fn table(rows: &[[String; 4]]) -> String {
    let widths: Vec<usize> = (0..3)
        .map(|column| rows.iter().map(|row| row[column].len()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let line = format!(
            "  {:>w0$}  {:>w1$}  {:>w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A letter per field: `a`–`z`, then `A`–`Z`, then `0`–`9`, then `*`.
fn key(index: usize) -> char {
    const KEYS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    KEYS.get(index).map_or('*', |&byte| byte as char)
}

/// Sixteen bytes a row, each shown by its field's key, padding as `.`, with a legend.
fn byte_map(size: u64, spans: &[(u64, u64, char, String)]) -> String {
    if size == 0 || size > BYTE_MAP_LIMIT {
        return String::new();
    }
    let mut owner = vec!['.'; size as usize];
    for &(offset, length, key, _) in spans {
        for byte in offset..(offset + length).min(size) {
            owner[byte as usize] = key;
        }
    }
    let mut out = String::from("  bytes:\n");
    for (row, chunk) in owner.chunks(16).enumerate() {
        let cells: Vec<String> = chunk.iter().map(char::to_string).collect();
        writeln!(out, "  {:>6}  {}", row * 16, cells.join(" ")).expect("writing to a String");
    }
    let legend: Vec<String> = spans
        .iter()
        .map(|(_, _, key, name)| format!("{key} {name}"))
        .collect();
    writeln!(out, "  legend: {}  . padding", legend.join("  ")).expect("writing to a String");
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}
