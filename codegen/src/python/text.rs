//! Python source text: comments and docstrings from doc comments, float literals, numbers and
//! hex digits, and lists wrapped to [`WIDTH`] columns.

use std::borrow::Cow;
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
        let mut buffer = [0u8; 128];
        for chunk in self.0.chunks(buffer.len() / 2) {
            for (index, byte) in chunk.iter().enumerate() {
                let pair = &HEX_PAIRS[usize::from(*byte)];
                buffer[2 * index] = pair[0];
                buffer[2 * index + 1] = pair[1];
            }
            let digits = std::str::from_utf8(&buffer[..chunk.len() * 2]).expect("ASCII digits");
            f.write_str(digits)?;
        }
        Ok(())
    }
}

/// The two lowercase hex digits of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0u8; 2]; 256];
    let mut byte = 0;
    while byte < 256 {
        pairs[byte] = [DIGITS[byte >> 4], DIGITS[byte & 0xf]];
        byte += 1;
    }
    pairs
};

/// Doc text as comment lines, each with `indent` and `marker`, ending in a newline (or empty).
pub(super) fn comments(docs: &str, indent: &str, marker: &str) -> String {
    let docs = docs.trim_end();
    if docs.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(docs.len() + 16);
    for line in docs.lines() {
        let line = line.trim_end();
        out.push_str(indent);
        if line.is_empty() {
            out.push_str(marker.trim_end());
        } else {
            out.push_str(marker);
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A docstring at `indent`, without a trailing newline.
pub(super) fn docstring(text: &str, indent: &str) -> String {
    let text = escape_docstring(text.trim());
    let one_line = !text.is_empty() && !text.contains('\n');
    if one_line && !text.ends_with('"') && indent.len() + text.len() + 6 <= WIDTH {
        let mut out = String::with_capacity(indent.len() + text.len() + 6);
        out.push_str(indent);
        out.push_str("\"\"\"");
        out.push_str(&text);
        out.push_str("\"\"\"");
        return out;
    }
    let mut out = String::with_capacity(2 * indent.len() + text.len() + 16);
    out.push_str(indent);
    out.push_str("\"\"\"");
    for (index, line) in text.lines().enumerate() {
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

/// `text` with its backslashes doubled and its `"""` escaped, to sit in a docstring.
fn escape_docstring(text: &str) -> Cow<'_, str> {
    if text.contains('\\') || text.contains("\"\"\"") {
        let escaped = text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
        Cow::Owned(escaped)
    } else {
        Cow::Borrowed(text)
    }
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

/// Items separated by ", " packed into lines of at most [`WIDTH`] columns, each starting with
/// an indent and ending in ",\n", written straight into the output.
pub(super) struct Packed<'o> {
    out: &'o mut String,
    indent: &'o str,
    /// The length of the current line after its indent; zero before its first item.
    line: usize,
}

impl<'o> Packed<'o> {
    /// Lines of items indented by `indent`, appended to `out`.
    pub(super) fn new(out: &'o mut String, indent: &'o str) -> Self {
        Packed {
            out,
            indent,
            line: 0,
        }
    }

    /// Appends `item`, on a new line when it does not fit on the current one.
    pub(super) fn item(&mut self, item: &str) {
        if self.line > 0 && self.indent.len() + self.line + 1 + item.len() + 1 > WIDTH {
            self.out.push('\n');
            self.line = 0;
        }
        if self.line == 0 {
            self.out.push_str(self.indent);
        } else {
            self.out.push(' ');
            self.line += 1;
        }
        self.out.push_str(item);
        self.out.push(',');
        self.line += item.len() + 1;
    }

    /// Ends the last line.
    pub(super) fn finish(self) {
        if self.line > 0 {
            self.out.push('\n');
        }
    }
}
