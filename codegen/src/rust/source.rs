//! Rust source written directly as text, laid out exactly as `prettyplease` lays out the same
//! syntax tree (the tests print both and compare them).
//!
//! The items every type of a schema has (its struct or enum with doc comments, attributes and
//! fields; its constants; the invocations of the runtime's macros) are regular enough to be
//! written without building a syntax tree first, and a big schema is thousands of them: writing
//! them as text is what keeps generation fast. Code whose layout depends on more than a few
//! lengths (the service stubs) still goes through `quote`, `syn` and `prettyplease`.

use super::docs::Docs;

/// One level of indentation.
pub(crate) const INDENT: &str = "    ";

/// The column `prettyplease` tries to stay within, and the least room it assumes on a line
/// however deep it is indented.
const MARGIN: usize = 89;
const MIN_SPACE: usize = 60;

/// The longest line of a macro invocation, as rustfmt wraps them.
const MACRO_WIDTH: usize = 100;

/// How many columns `prettyplease` allows after `depth` levels of indentation.
pub(crate) fn room(depth: usize) -> usize {
    MARGIN.saturating_sub(INDENT.len() * depth).max(MIN_SPACE)
}

/// `depth` levels of indentation.
pub(crate) fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
}

/// One line at `depth`.
pub(crate) fn line(out: &mut String, depth: usize, text: &str) {
    indent(out, depth);
    out.push_str(text);
    out.push('\n');
}

/// The doc comments `docs`, one `///` line each.
pub(crate) fn docs(out: &mut String, depth: usize, docs: &Docs) {
    for text in docs.lines() {
        indent(out, depth);
        out.push_str("///");
        out.push_str(text.trim_end_matches(' '));
        out.push('\n');
    }
}

/// `#[name(arguments)]`: on one line when it fits, else one argument per line, as
/// `prettyplease` breaks an attribute's list.
pub(crate) fn list_attr(out: &mut String, depth: usize, name: &str, arguments: &[&str]) {
    let width = "#[".len()
        + name.len()
        + "(".len()
        + arguments
            .iter()
            .map(|argument| argument.len())
            .sum::<usize>()
        + ", ".len() * arguments.len().saturating_sub(1)
        + ")]".len();
    indent(out, depth);
    out.push_str("#[");
    out.push_str(name);
    out.push('(');
    if width <= room(depth) {
        for (index, argument) in arguments.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            out.push_str(argument);
        }
    } else {
        out.push('\n');
        for (index, argument) in arguments.iter().enumerate() {
            indent(out, depth + 1);
            out.push_str(argument);
            if index + 1 < arguments.len() {
                out.push(',');
            }
            out.push('\n');
        }
        indent(out, depth);
    }
    out.push_str(")]\n");
}

/// `path!(arguments);` at the top level, wrapped as rustfmt wraps a long call: the arguments on
/// their own lines, broken after commas.
pub(crate) fn macro_call<S: AsRef<str>>(out: &mut String, path: &str, arguments: &[S]) {
    let one_line = path.len()
        + "!(".len()
        + arguments
            .iter()
            .map(|argument| argument.as_ref().len())
            .sum::<usize>()
        + ", ".len() * arguments.len().saturating_sub(1)
        + ");".len();
    out.push_str(path);
    out.push_str("!(");
    if one_line <= MACRO_WIDTH {
        for (index, argument) in arguments.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            out.push_str(argument.as_ref());
        }
        out.push_str(");\n");
        return;
    }
    out.push('\n');
    let mut column = 0;
    for (index, argument) in arguments.iter().enumerate() {
        let argument = argument.as_ref();
        let last = index + 1 == arguments.len();
        let width = argument.len() + usize::from(!last);
        if column > 0 && column + 1 + width > MACRO_WIDTH {
            out.push('\n');
            column = 0;
        }
        if column == 0 {
            out.push_str(INDENT);
            column = INDENT.len();
        } else {
            out.push(' ');
            column += 1;
        }
        out.push_str(argument);
        if !last {
            out.push(',');
        }
        column += width;
    }
    out.push_str("\n);\n");
}

/// `prefix(parameters) suffix {` at `depth`, with the parameters one per line when it does
/// not fit, as `prettyplease` breaks a signature.
pub(crate) fn fn_signature(
    out: &mut String,
    depth: usize,
    prefix: &str,
    parameters: &[&str],
    suffix: &str,
) {
    let width = prefix.len()
        + "(".len()
        + parameters
            .iter()
            .map(|parameter| parameter.len())
            .sum::<usize>()
        + ", ".len() * parameters.len().saturating_sub(1)
        + ")".len()
        + suffix.len()
        + " {".len();
    indent(out, depth);
    out.push_str(prefix);
    out.push('(');
    if width <= room(depth) {
        out.push_str(&parameters.join(", "));
    } else {
        out.push('\n');
        for parameter in parameters {
            indent(out, depth + 1);
            out.push_str(parameter);
            out.push_str(",\n");
        }
        indent(out, depth);
    }
    out.push(')');
    out.push_str(suffix);
    out.push_str(" {\n");
}

/// A chain of method calls as one statement: on one line when it fits, else one call a line,
/// as `prettyplease` breaks a chain.
pub(crate) fn method_chain(out: &mut String, depth: usize, calls: &[String]) {
    let width: usize = calls.iter().map(String::len).sum();
    if width <= room(depth) {
        indent(out, depth);
        for call in calls {
            out.push_str(call);
        }
        out.push('\n');
        return;
    }
    for (index, call) in calls.iter().enumerate() {
        indent(out, depth + usize::from(index > 0));
        out.push_str(call);
        out.push('\n');
    }
}

/// `pattern => body,` on one line when it fits (the comma aside), else `pattern => {` with
/// the body, a chain of calls, on the lines after it, as `prettyplease` lays out a match arm.
pub(crate) fn match_arm(out: &mut String, depth: usize, pattern: &str, body: &[String]) {
    let width = pattern.len() + " => ".len() + body.iter().map(String::len).sum::<usize>();
    if width <= room(depth) {
        indent(out, depth);
        out.push_str(pattern);
        out.push_str(" => ");
        for call in body {
            out.push_str(call);
        }
        out.push_str(",\n");
        return;
    }
    indent(out, depth);
    out.push_str(pattern);
    out.push_str(" => {\n");
    method_chain(out, depth + 1, body);
    indent(out, depth);
    out.push_str("}\n");
}

/// A Rust string literal of `text` (as `proc_macro2` writes one).
pub(crate) fn string_literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// A Rust byte string literal of `bytes`, as `proc_macro2` writes one: printable ASCII as
/// is, `\0`, `\t`, `\n`, `\r`, `\"` and `\\` escaped by name, every other byte as `\xNN`.
pub(crate) fn byte_string_literal(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 3 + 3);
    out.push_str("b\"");
    for (index, &byte) in bytes.iter().enumerate() {
        match byte {
            // `\x00` before a digit, which would otherwise read as an octal escape.
            b'\0' => out.push_str(match bytes.get(index + 1) {
                Some(b'0'..=b'7') => "\\x00",
                _ => "\\0",
            }),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b' '..=b'~' => out.push(char::from(byte)),
            _ => {
                out.push_str("\\x");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xF)]));
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::{byte_string_literal, macro_call};

    #[test]
    fn byte_strings_are_written_as_proc_macro2_writes_them() {
        let bytes: Vec<u8> = (0..=255).chain([0, b'7', 0, b'8', 0]).collect();
        assert_eq!(
            byte_string_literal(&bytes),
            proc_macro2::Literal::byte_string(&bytes).to_string()
        );
    }

    fn call(path: &str, arguments: &[String]) -> String {
        let mut out = String::new();
        macro_call(&mut out, path, arguments);
        out
    }

    #[test]
    fn short_calls_stay_on_one_line() {
        assert_eq!(
            call(
                "interop::assert_layout",
                &["Kind: size 1".to_owned(), "align 1".to_owned()]
            ),
            "interop::assert_layout!(Kind: size 1, align 1);\n"
        );
    }

    #[test]
    fn long_calls_wrap_after_commas() {
        let mut arguments = vec!["Wide: size 240".to_owned(), "align 8".to_owned()];
        arguments.extend((0..30).map(|index| format!("field_{index} at {}", index * 8)));
        let text = call("interop::assert_layout", &arguments);
        assert!(
            text.starts_with(
                "interop::assert_layout!(\n    Wide: size 240, align 8, field_0 at 0,"
            ),
            "{text}"
        );
        assert!(text.ends_with(" field_29 at 232\n);\n"), "{text}");
        assert!(text.lines().all(|line| line.len() <= 100), "{text}");
        assert!(
            text.lines().skip(1).all(|line| !line.ends_with(' ')),
            "{text}"
        );
    }
}
