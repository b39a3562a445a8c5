//! Prints a syntax tree back as canonical IDL text (ordinary comments are not kept).

use std::fmt::{self, Display, Formatter, Write};

use crate::ast::*;

impl Display for SchemaFile {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        docs(f, &self.docs, "")?;
        writeln!(f, "package {};", self.package.text)?;
        for import in &self.imports {
            writeln!(f, "import \"{}\";", import.path)?;
        }
        for item in &self.items {
            writeln!(f)?;
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

impl Display for Item {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        docs(f, &self.docs, "")?;
        let name = &self.name.text;
        match &self.kind {
            ItemKind::Const(decl) => writeln!(f, "const {name}: {} = {};", decl.ty, decl.value),
            ItemKind::Enum(decl) | ItemKind::Flags(decl) => {
                write!(f, "{} {name}", self.kind.keyword())?;
                repr(f, decl.repr.as_ref())?;
                writeln!(f, " {{")?;
                for member in &decl.members {
                    docs(f, &member.docs, "    ")?;
                    write!(f, "    {}", member.name.text)?;
                    if let Some(value) = &member.value {
                        write!(f, " = {value}")?;
                    }
                    writeln!(f, ",")?;
                }
                writeln!(f, "}}")
            }
            ItemKind::Struct(decl) => {
                writeln!(f, "struct {name} {{")?;
                for field in &decl.fields {
                    docs(f, &field.docs, "    ")?;
                    writeln!(f, "    {},", FieldText(field))?;
                }
                writeln!(f, "}}")
            }
            ItemKind::Union(decl) => {
                write!(f, "union {name}")?;
                repr(f, decl.repr.as_ref())?;
                writeln!(f, " {{")?;
                for variant in &decl.variants {
                    docs(f, &variant.docs, "    ")?;
                    write!(f, "    {}", variant.name.text)?;
                    if let Some(payload) = &variant.payload {
                        write!(f, "({payload})")?;
                    }
                    if let Some(tag) = &variant.tag {
                        write!(f, " = {tag}")?;
                    }
                    writeln!(f, ",")?;
                }
                writeln!(f, "}}")
            }
            ItemKind::Service(decl) => {
                writeln!(f, "service {name} {{")?;
                for method in &decl.methods {
                    docs(f, &method.docs, "    ")?;
                    write!(
                        f,
                        "    {} {}({})",
                        method.kind.keyword(),
                        method.name.text,
                        FieldList(&method.params)
                    )?;
                    match &method.results {
                        Some(Results::Type(ty)) => write!(f, " -> {ty}")?,
                        Some(Results::Named(fields)) => write!(f, " -> ({})", FieldList(fields))?,
                        None => {}
                    }
                    if let Some(error) = &method.error {
                        write!(f, " error {error}")?;
                    }
                    writeln!(f, ";")?;
                }
                writeln!(f, "}}")
            }
        }
    }
}

fn docs(f: &mut Formatter<'_>, docs: &Docs, indent: &str) -> fmt::Result {
    docs.0.iter().try_for_each(|line| {
        if line.is_empty() {
            writeln!(f, "{indent}///")
        } else {
            writeln!(f, "{indent}/// {line}")
        }
    })
}

fn repr(f: &mut Formatter<'_>, repr: Option<&TypeRef>) -> fmt::Result {
    match repr {
        Some(ty) => write!(f, ": {ty}"),
        None => Ok(()),
    }
}

struct FieldText<'a>(&'a Field);

impl Display for FieldText<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.name.text, self.0.ty)
    }
}

/// Parameters or named results: on one line, or one per line when any has a doc comment.
struct FieldList<'a>(&'a [Field]);

impl Display for FieldList<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.0.iter().any(|field| !field.docs.0.is_empty()) {
            writeln!(f)?;
            for field in self.0 {
                docs(f, &field.docs, "        ")?;
                writeln!(f, "        {},", FieldText(field))?;
            }
            return f.write_str("    ");
        }
        for (index, field) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", FieldText(field))?;
        }
        Ok(())
    }
}

impl Display for TypeRef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TypeRefKind::Scalar(scalar) => f.write_str(scalar.name()),
            TypeRefKind::Named(name) => f.write_str(&name.text),
            TypeRefKind::Array(element, len) => write!(f, "[{element}; {len}]"),
            TypeRefKind::String(capacity) => write!(f, "string<{capacity}>"),
            TypeRefKind::Bytes(capacity) => write!(f, "bytes<{capacity}>"),
            TypeRefKind::Vec(element, capacity) => write!(f, "vec<{element}, {capacity}>"),
            TypeRefKind::Optional(value) => write!(f, "optional<{value}>"),
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Int(value) => write!(f, "{value}"),
            ExprKind::Float(value) => {
                // `{:?}` always keeps a decimal point or exponent, so the text reads as a float.
                write!(f, "{value:?}")
            }
            ExprKind::Bool(value) => write!(f, "{value}"),
            ExprKind::Name(name) => f.write_str(&name.text),
            ExprKind::Neg(inner) => {
                f.write_char('-')?;
                write!(f, "{inner}")
            }
            ExprKind::Binary(op, lhs, rhs) => write!(f, "{lhs} {} {rhs}", op.symbol()),
            ExprKind::Paren(inner) => write!(f, "({inner})"),
        }
    }
}
