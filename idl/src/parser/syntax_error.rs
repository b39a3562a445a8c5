//! Turns pest's parse errors into diagnostics a person can act on.

use pest::error::{ErrorVariant, InputLocation};

use super::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Converts a pest error on `text` into a diagnostic.
pub(super) fn convert(file: FileId, text: &str, error: pest::error::Error<Rule>) -> Diagnostic {
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    };
    let rules = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { message } => {
            // pest's own guards: its call budget and its native stack check.
            let span = Span::new(file, position..position);
            return Diagnostic::error(
                Code::TooDeep,
                span,
                format!("the parser gave up: {message}"),
            )
            .with_help("simplify the nesting around this place");
        }
    };
    // pest names literal tokens (`;`, `}`) only in its parse attempts, by their text; those
    // attempts also know the furthest position any rule reached, the most telling place.
    let (position, rules, tokens) = match error.parse_attempts() {
        Some(attempts) if attempts.max_position >= position => {
            let tokens: Vec<String> = attempts
                .expected_tokens()
                .iter()
                .map(ToString::to_string)
                .collect();
            let rules = if attempts.max_position == position {
                rules
            } else {
                Vec::new()
            };
            (attempts.max_position, rules, tokens)
        }
        _ => (position, rules, Vec::new()),
    };
    let expected = describe_expected(&rules, &tokens);
    let found = Found::at(text, position);

    if let Some((start, length)) = stray_doc_comment(text, position, &found) {
        return Diagnostic::error(Code::Syntax, Span::new(file, start..start + length),
            "doc comment is not followed by anything it could document")
            .with_label("this `///` comment documents nothing")
            .with_help("put it right before an item, field, variant or method, or use `//` for an ordinary comment");
    }

    let sentence = format!(
        "expected {}, found {}",
        join_alternatives(&expected),
        found.describe()
    );
    // A separator missing at the end of a line is best shown where it belongs.
    let before = &text[..position];
    let separator = ["`;`", "`,`"]
        .into_iter()
        .find(|separator| expected.iter().any(|e| e == separator));
    if let Some(separator) =
        separator.filter(|_| before.trim_end_matches([' ', '\t']).ends_with('\n'))
    {
        let end = end_of_previous_token(text, position);
        let help = if separator == "`;`" {
            "end the declaration with `;`"
        } else {
            "separate the members with `,`"
        };
        return Diagnostic::error(Code::Syntax, Span::new(file, end..end), sentence)
            .with_label(format!("{separator} expected here"))
            .with_help(help);
    }
    let span = Span::new(file, position..position + found.length());
    let diagnostic = Diagnostic::error(Code::Syntax, span, sentence)
        .with_label(format!("unexpected {}", found.describe()));
    match help_for(&expected, position) {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// A hint for the common mistakes, keyed on what the grammar expected.
fn help_for(expected: &[String], position: usize) -> Option<String> {
    let expects = |what: &str| expected.iter().any(|e| e == what);
    if position == 0 || expects("`package`") {
        Some("a schema starts with its package: `package robot.telemetry;`".into())
    } else if expects("`->`") {
        Some("an rpc declares its results: `-> Reply`, `-> (a: u32)` or `-> ()`; a call without a reply is `oneway`".into())
    } else if expects("a method (`rpc`, `oneway` or `event`)") {
        Some("a service holds methods such as `rpc get(id: u32) -> Item;`".into())
    } else if expects("an item") {
        Some("top-level declarations are `struct`, `enum`, `flags`, `union`, `const`, `service` and `import`".into())
    } else if expects("a type") {
        Some("a type is a scalar (`u32`, `f64`, `bool`...), `string<N>`, `bytes<N>`, `vec<T, N>`, `[T; N]`, `optional<T>` or a declared name".into())
    } else {
        Some(format!("write {} here", join_alternatives(expected)))
    }
}

fn describe_expected(rules: &[Rule], tokens: &[String]) -> Vec<String> {
    let mut expected: Vec<String> = Vec::new();
    let mut add = |description: String| {
        if !expected.contains(&description) {
            expected.push(description);
        }
    };
    for rule in rules {
        if let Some(description) = describe_rule(*rule) {
            add(description.to_owned());
        }
    }
    for token in tokens {
        if let Some(description) = describe_token(token) {
            add(description);
        }
    }
    if expected.is_empty() {
        expected.push("valid syntax".to_owned());
    }
    expected
}

fn describe_rule(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident | Rule::path => "a name",
        Rule::package_decl => "`package`",
        Rule::import_decl | Rule::item => "an item",
        Rule::string_lit => "a quoted path",
        Rule::kw_const => "`const`",
        Rule::kw_enum => "`enum`",
        Rule::kw_flags => "`flags`",
        Rule::kw_struct => "`struct`",
        Rule::kw_union => "`union`",
        Rule::kw_service => "`service`",
        Rule::kw_rpc | Rule::kw_oneway | Rule::kw_event | Rule::method => {
            "a method (`rpc`, `oneway` or `event`)"
        }
        Rule::kw_error | Rule::error_clause => "`error`",
        Rule::repr => "`:`",
        Rule::field => "a field",
        Rule::enum_member => "a member",
        Rule::variant => "a variant",
        Rule::variant_payload => "`(`",
        Rule::params => "`(`",
        Rule::results => "results",
        Rule::type_ref
        | Rule::scalar
        | Rule::named_type
        | Rule::array_type
        | Rule::string_type
        | Rule::bytes_type
        | Rule::vec_type
        | Rule::optional_type => "a type",
        Rule::expr | Rule::int_lit | Rule::float_lit | Rule::bool_lit => "a constant expression",
        Rule::neg | Rule::add | Rule::sub | Rule::mul | Rule::div => "an operator",
        Rule::EOI => "end of file",
        _ => return None,
    })
}

/// Literal tokens worth naming; the rest (`///`, comment openers) would only confuse.
fn describe_token(token: &str) -> Option<String> {
    match token {
        "///" | "//" | "////" | "/*" | "\"" | " " | "\t" | "\r" | "\n" => None,
        // Character ranges (`a..z`) and pest's built-in rules say nothing useful.
        _ if token.contains("..") || token.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
            None
        }
        // `/` also opens every comment, so pest expects it nearly everywhere: say nothing.
        "/" => None,
        "+" | "-" | "*" => Some("an operator".to_owned()),
        // The first characters of the scalar keywords.
        "u" | "i" | "f" | "8" | "16" | "32" | "64" => Some("a type".to_owned()),
        "bool" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64"
        | "string" | "bytes" | "vec" | "optional" | "[" => Some("a type".to_owned()),
        "0x" | "0b" | "0X" | "0B" | "true" | "false" => Some("a constant expression".to_owned()),
        _ => Some(format!("`{token}`")),
    }
}

fn join_alternatives(expected: &[String]) -> String {
    match expected {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// What stands where parsing stopped.
enum Found<'a> {
    EndOfFile,
    DocComment(usize),
    Word(&'a str),
    Symbol(char),
}

impl<'a> Found<'a> {
    fn at(text: &'a str, position: usize) -> Found<'a> {
        let rest = text.get(position..).unwrap_or("");
        if rest.starts_with("///") && !rest.starts_with("////") {
            return Found::DocComment(rest.find('\n').unwrap_or(rest.len()));
        }
        let word_length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        match rest.chars().next() {
            None => Found::EndOfFile,
            Some(_) if word_length > 0 => Found::Word(&rest[..word_length]),
            Some(symbol) => Found::Symbol(symbol),
        }
    }

    fn describe(&self) -> String {
        match self {
            Found::EndOfFile => "end of file".to_owned(),
            Found::DocComment(_) => "a doc comment".to_owned(),
            Found::Word(word) => format!("`{word}`"),
            Found::Symbol(symbol) if symbol.is_control() => format!("{symbol:?}"),
            Found::Symbol(symbol) => format!("`{symbol}`"),
        }
    }

    fn length(&self) -> usize {
        match self {
            Found::EndOfFile => 0,
            Found::DocComment(length) => *length,
            Found::Word(word) => word.len(),
            Found::Symbol(symbol) => symbol.len_utf8(),
        }
    }
}

/// A doc comment at `position`, or on the line just before it when the grammar stopped after
/// consuming it (a `///` before a closing brace): its start and length.
fn stray_doc_comment(text: &str, position: usize, found: &Found<'_>) -> Option<(usize, usize)> {
    if let Found::DocComment(length) = found {
        return Some((position, *length));
    }
    let before = text[..position].trim_end();
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = &before[line_start..];
    let indent = line.len() - line.trim_start().len();
    let line = line.trim_start();
    (line.starts_with("///") && !line.starts_with("////"))
        .then_some((line_start + indent, line.len()))
}

/// The offset just past the last non-blank character before `position`, so that a missing `;`
/// is reported at the end of the line it belongs to rather than at the start of the next.
fn end_of_previous_token(text: &str, position: usize) -> usize {
    text[..position].trim_end().len()
}
