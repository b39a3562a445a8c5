//! Doc comments of the IDL as C comments: `/** ... */` blocks and the file header's body.

use std::fmt;

use super::templates::writable;

/// The text of a doc comment made safe inside `/* */`: no `*/`, no nested `/*` (-Wcomment),
/// no `??` that could start a trigraph.
fn comment_safe(line: &str) -> String {
    line.replace("*/", "* /")
        .replace("/*", "/ *")
        .replace("??", "? ?")
}

/// Writes `line` made safe as [`comment_safe`] does, copying it as it is when it has nothing
/// to replace (the common case, without allocating).
fn write_comment_safe(f: &mut dyn fmt::Write, line: &str) -> fmt::Result {
    let unsafe_pair = |pair: &[u8]| matches!(pair, b"*/" | b"/*" | b"??");
    if line.as_bytes().windows(2).any(unsafe_pair) {
        f.write_str(&comment_safe(line))
    } else {
        f.write_str(line)
    }
}

/// Writes the lines of `docs` inside a comment at `indent`: `{indent} * text`, or
/// `{indent} *` for a blank line, each ending in a newline.
fn write_comment_lines(f: &mut dyn fmt::Write, docs: &str, indent: &str) -> fmt::Result {
    for line in docs.trim_end().lines() {
        let line = line.trim_end();
        f.write_str(indent)?;
        if line.is_empty() {
            f.write_str(" *\n")?;
        } else {
            f.write_str(" * ")?;
            write_comment_safe(f, line)?;
            f.write_str("\n")?;
        }
    }
    Ok(())
}

/// The lines of a comment body, ` * `-prefixed, for the file header (empty when no docs).
pub(super) fn comment_body(docs: &str) -> String {
    let mut body = String::new();
    if !docs.trim().is_empty() {
        write_comment_lines(&mut body, docs, "").expect("writing to a String");
        body.pop();
    }
    body
}

/// The doc comment of `docs` at `indent`: written as nothing when there are no docs, else as
/// `/** text */` or a `/** ... */` block, ending in a newline.
pub(super) fn doc_comment<'a>(docs: &'a str, indent: &'a str) -> DocComment<'a> {
    DocComment { docs, indent }
}

/// A doc comment at an indent (see [`doc_comment`]), written where a template puts it.
#[derive(Clone, Copy)]
pub(super) struct DocComment<'a> {
    docs: &'a str,
    indent: &'a str,
}

impl DocComment<'_> {
    /// No comment at all.
    pub(super) const NONE: DocComment<'static> = DocComment {
        docs: "",
        indent: "",
    };
}

impl DocComment<'_> {
    fn write_to(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        let docs = self.docs.trim_end();
        if docs.trim_start().is_empty() {
            return Ok(());
        }
        let indent = self.indent;
        let mut lines = docs.lines();
        if let (Some(line), None) = (lines.next(), lines.next()) {
            f.write_str(indent)?;
            f.write_str("/** ")?;
            write_comment_safe(f, line.trim())?;
            return f.write_str(" */\n");
        }
        f.write_str(indent)?;
        f.write_str("/**\n")?;
        write_comment_lines(f, docs, indent)?;
        f.write_str(indent)?;
        f.write_str(" */\n")
    }
}

writable!(DocComment);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments() {
        assert_eq!(doc_comment("", "").to_string(), "");
        assert_eq!(doc_comment(" \n", "").to_string(), "");
        assert_eq!(
            doc_comment("One line.", "    ").to_string(),
            "    /** One line. */\n"
        );
        assert_eq!(
            doc_comment("a */ b /* c ??/", "").to_string(),
            "/** a * / b / * c ? ?/ */\n"
        );
        assert_eq!(
            doc_comment("a\n\nb", "").to_string(),
            "/**\n * a\n *\n * b\n */\n"
        );
        assert_eq!(
            doc_comment("a */\n  b ", "  ").to_string(),
            "  /**\n   * a * /\n   *   b\n   */\n"
        );
        assert_eq!(comment_body(" \n"), "");
        assert_eq!(comment_body("a\n\nb ??\n"), " * a\n *\n * b ? ?");
    }
}
