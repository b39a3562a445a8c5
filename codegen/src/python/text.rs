//! Python source text: comments and docstrings from doc comments, float literals, hex digits,
//! and lists wrapped to [`WIDTH`] columns.

use std::fmt;

/// The longest line the generator aims for when it wraps a call.
pub(super) const WIDTH: usize = 99;

/// A float literal Python reads back as the same value.
pub(super) fn python_float(value: f64) -> String {
    let text = format!("{value:?}");
    if text.contains(['.', 'e', 'E']) || text.contains("inf") || text.contains("NaN") {
        text
    } else {
        format!("{text}.0")
    }
}

/// Bytes shown as lowercase hex digits, two per byte, written straight into the output.
pub(super) struct Hex<'a>(pub(super) &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut buffer = [0u8; 128];
        for chunk in self.0.chunks(buffer.len() / 2) {
            for (pair, byte) in buffer.chunks_exact_mut(2).zip(chunk) {
                pair[0] = DIGITS[usize::from(byte >> 4)];
                pair[1] = DIGITS[usize::from(byte & 0xf)];
            }
            let digits = std::str::from_utf8(&buffer[..chunk.len() * 2]).expect("ASCII digits");
            f.write_str(digits)?;
        }
        Ok(())
    }
}

/// Doc text as comment lines, each with `indent` and `marker`, ending in a newline (or empty).
pub(super) fn comments(docs: &str, indent: &str, marker: &str) -> String {
    let docs = docs.trim_end();
    if docs.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for line in docs.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(&format!("{indent}{}\n", marker.trim_end()));
        } else {
            out.push_str(&format!("{indent}{marker}{line}\n"));
        }
    }
    out
}

/// A docstring at `indent`, without a trailing newline.
pub(super) fn docstring(text: &str, indent: &str) -> String {
    let text = text
        .trim()
        .replace('\\', "\\\\")
        .replace("\"\"\"", "\\\"\\\"\\\"");
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() == 1 && !text.ends_with('"') && indent.len() + text.len() + 6 <= WIDTH {
        return format!("{indent}\"\"\"{text}\"\"\"");
    }
    let mut out = format!("{indent}\"\"\"");
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line.trim_end());
    }
    out.push('\n');
    out.push_str(indent);
    out.push_str("\"\"\"");
    out
}

/// The docstring of a class: its doc comment, or what it is.
pub(super) fn type_docstring(docs: &str, keyword: &str, qualified_name: &str, size: u64) -> String {
    if docs.trim().is_empty() {
        let text = if keyword == "service" {
            format!("Service {qualified_name}.")
        } else {
            format!("{keyword} {qualified_name} ({size} bytes).")
        };
        docstring(&text, "    ")
    } else {
        docstring(docs, "    ")
    }
}

/// Items separated by ", " packed into lines of at most [`WIDTH`] columns, each ending in ",".
pub(super) fn pack(items: &[String], indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for item in items {
        if !line.is_empty() && indent.len() + line.len() + 1 + item.len() + 1 > WIDTH {
            lines.push(format!("{indent}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(item);
        line.push(',');
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}
