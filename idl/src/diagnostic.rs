//! Diagnostics: what went wrong, where, and how to fix it; rendered for people or as JSON.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::source::{SourceMap, Span};

/// The class of a diagnostic. Each class has a stable code (`E0101`) and a slug (`syntax`)
/// that tools can match on; `docs/IDL.md` lists them all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A file could not be read.
    Io,
    /// A file is not valid UTF-8.
    InvalidUtf8,
    /// The text does not follow the grammar.
    Syntax,
    /// Brackets, parentheses or expressions nest deeper than the parser allows.
    TooDeep,
    /// A chain of imports leads back to where it started.
    ImportCycle,
    /// A package name is not a dotted lowercase path.
    InvalidPackageName,
    /// A name that is not defined.
    UndefinedName,
    /// An unqualified name defined in several imported packages.
    AmbiguousName,
    /// A qualified name whose package this file does not import.
    PackageNotImported,
    /// A name used for the wrong kind of thing (a type where a constant is expected...).
    WrongKind,
    /// An item name that would hide a built-in type or literal.
    ReservedName,
    /// Two items, fields, variants, methods or generated messages with one name.
    DuplicateName,
    /// Two enum or flags members with one value, or two union variants with one tag.
    DuplicateValue,
    /// A struct or union that contains itself, directly or through others.
    RecursiveType,
    /// A constant that depends on itself.
    RecursiveConst,
    /// A struct, enum, flags or union without members.
    EmptyType,
    /// An enum, flags or union tag type that is not an integer scalar.
    InvalidRepr,
    /// An enum, flags or union tag value that does not fit the underlying type.
    ValueOutOfRange,
    /// A flags value that is not a single bit.
    NotSingleBit,
    /// A capacity or array length that is not a positive integer.
    InvalidLength,
    /// A constant whose type is not a scalar, or whose value does not fit its type.
    ConstOutOfRange,
    /// A constant expression that mixes kinds of values (a boolean in arithmetic...).
    ConstTypeMismatch,
    /// Division by zero or overflow while evaluating a constant expression.
    ConstArithmetic,
    /// A method's `error` type that is not an enum.
    ErrorNotEnum,
    /// A type whose size cannot be represented.
    TypeTooLarge,
    /// A message larger than the configured maximum.
    MessageTooLarge,
    /// Two methods of a service whose wire ids collide.
    MethodIdCollision,
}

impl Code {
    /// The stable code, such as `E0101`.
    pub fn code(self) -> &'static str {
        match self {
            Code::Io => "E0001",
            Code::InvalidUtf8 => "E0002",
            Code::Syntax => "E0101",
            Code::TooDeep => "E0102",
            Code::ImportCycle => "E0201",
            Code::InvalidPackageName => "E0202",
            Code::UndefinedName => "E0301",
            Code::AmbiguousName => "E0302",
            Code::PackageNotImported => "E0303",
            Code::WrongKind => "E0304",
            Code::ReservedName => "E0305",
            Code::DuplicateName => "E0401",
            Code::DuplicateValue => "E0402",
            Code::RecursiveType => "E0501",
            Code::RecursiveConst => "E0502",
            Code::EmptyType => "E0503",
            Code::InvalidRepr => "E0601",
            Code::ValueOutOfRange => "E0602",
            Code::NotSingleBit => "E0603",
            Code::InvalidLength => "E0604",
            Code::ConstOutOfRange => "E0701",
            Code::ConstTypeMismatch => "E0702",
            Code::ConstArithmetic => "E0703",
            Code::ErrorNotEnum => "E0801",
            Code::TypeTooLarge => "E0901",
            Code::MessageTooLarge => "E0902",
            Code::MethodIdCollision => "E0903",
        }
    }
}

/// A place in the source with what to say about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The span the label points at.
    pub span: Span,
    /// A short text shown beside the carets (may be empty).
    pub message: String,
}

impl Label {
    /// A label at `span` saying `message`.
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One error found in a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The class of error.
    pub code: Code,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Where it is wrong.
    pub primary: Label,
    /// Related places, such as the first definition of a duplicate.
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error of class `code` at `span`.
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Sets the text beside the primary carets.
    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    /// Adds a related place.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label::new(span, message));
        self
    }

    /// Sets the one-line fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    fn to_codespan(&self) -> cs::Diagnostic<crate::FileId> {
        let primary = cs::Label::primary(self.primary.span.file, self.primary.span.range())
            .with_message(&self.primary.message);
        let secondary = self.secondary.iter().map(|label| {
            cs::Label::secondary(label.span.file, label.span.range()).with_message(&label.message)
        });
        let diagnostic = cs::Diagnostic::error()
            .with_code(self.code.code())
            .with_message(&self.message)
            .with_labels(std::iter::once(primary).chain(secondary).collect());
        match &self.help {
            Some(help) => diagnostic.with_notes(vec![format!("help: {help}")]),
            None => diagnostic,
        }
    }
}

/// Renders diagnostics the way rustc does: header, `path:line:col`, the source line with carets
/// under the span, related places, and the fix. With `color`, ANSI escapes style the output.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for diagnostic in diagnostics {
        // Spans always come from `sources`, so rendering cannot miss a file; should it ever,
        // the plain one-line form below still says what is wrong.
        if term::emit_to_write_style(&mut buffer, &config, sources, &diagnostic.to_codespan())
            .is_err()
        {
            buffer.clear();
            return render_short(diagnostics, sources);
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn render_short(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let place = JsonLocation::of(diagnostic.primary.span, sources);
            format!(
                "{}:{}:{}: error[{}]: {}\n",
                place.file,
                place.line,
                place.column,
                diagnostic.code.code(),
                diagnostic.message
            )
        })
        .collect()
}

/// A diagnostic as editors and CI read it (`--format json`).
#[derive(Clone, Debug, Serialize)]
pub struct JsonDiagnostic {
    /// Always `"error"` for now.
    pub severity: &'static str,
    /// The stable code, such as `E0301`.
    pub code: &'static str,
    /// The class slug, such as `undefined-name`.
    pub kind: Code,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub location: JsonLocation,
    /// The text beside the carets.
    pub label: String,
    /// Related places.
    pub related: Vec<JsonRelated>,
    /// How to fix it.
    pub help: Option<String>,
}

/// A span with its file, one-based line and column of both ends, and byte offsets.
#[derive(Clone, Debug, Serialize)]
pub struct JsonLocation {
    /// The file's path as given or found through imports.
    pub file: String,
    /// Line of the first byte.
    pub line: usize,
    /// Column of the first byte (in characters).
    pub column: usize,
    /// Line of the end.
    pub end_line: usize,
    /// Column of the end (exclusive).
    pub end_column: usize,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
}

impl JsonLocation {
    fn of(span: Span, sources: &SourceMap) -> JsonLocation {
        let start = sources.line_column(span.file, span.start as usize);
        let end = sources.line_column(span.file, span.end as usize);
        JsonLocation {
            file: sources.path(span.file).display().to_string(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            start: span.start,
            end: span.end,
        }
    }
}

/// A related place of a [`JsonDiagnostic`].
#[derive(Clone, Debug, Serialize)]
pub struct JsonRelated {
    /// Where.
    pub location: JsonLocation,
    /// What it is.
    pub message: String,
}

/// Converts diagnostics to their JSON form.
pub fn to_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> Vec<JsonDiagnostic> {
    diagnostics
        .iter()
        .map(|diagnostic| JsonDiagnostic {
            severity: "error",
            code: diagnostic.code.code(),
            kind: diagnostic.code,
            message: diagnostic.message.clone(),
            location: JsonLocation::of(diagnostic.primary.span, sources),
            label: diagnostic.primary.message.clone(),
            related: diagnostic
                .secondary
                .iter()
                .map(|label| JsonRelated {
                    location: JsonLocation::of(label.span, sources),
                    message: label.message.clone(),
                })
                .collect(),
            help: diagnostic.help.clone(),
        })
        .collect()
}
