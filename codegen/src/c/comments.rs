//! Doc comments of the IDL as C comments: `/** ... */` blocks and the file header's body.

/// The text of a doc comment made safe inside `/* */`: no `*/`, no nested `/*` (-Wcomment),
/// no `??` that could start a trigraph.
fn comment_safe(line: &str) -> String {
    line.replace("*/", "* /")
        .replace("/*", "/ *")
        .replace("??", "? ?")
}

/// The lines of `docs` inside a comment at `indent`: `{indent} * text`, or `{indent} *` for a
/// blank line.
fn comment_lines<'d>(docs: &'d str, indent: &'d str) -> impl Iterator<Item = String> + 'd {
    docs.trim_end().lines().map(move |line| {
        let line = comment_safe(line.trim_end());
        if line.is_empty() {
            format!("{indent} *")
        } else {
            format!("{indent} * {line}")
        }
    })
}

/// The lines of a comment body, ` * `-prefixed, for the file header (empty when no docs).
pub(super) fn comment_body(docs: &str) -> String {
    if docs.trim().is_empty() {
        return String::new();
    }
    comment_lines(docs, "").collect::<Vec<_>>().join("\n")
}

/// A doc comment at `indent`, ending in a newline; empty when there are no docs.
pub(super) fn doc_comment(docs: &str, indent: &str) -> String {
    let docs = docs.trim_end();
    if docs.trim().is_empty() {
        return String::new();
    }
    let lines: Vec<&str> = docs.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {} */\n", comment_safe(lines[0].trim()));
    }
    let mut out = format!("{indent}/**\n");
    for line in comment_lines(docs, indent) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments() {
        assert_eq!(doc_comment("", ""), "");
        assert_eq!(doc_comment("One line.", "    "), "    /** One line. */\n");
        assert_eq!(
            doc_comment("a */ b /* c ??/", ""),
            "/** a * / b / * c ? ?/ */\n"
        );
        assert_eq!(doc_comment("a\n\nb", ""), "/**\n * a\n *\n * b\n */\n");
        assert_eq!(comment_body(" \n"), "");
        assert_eq!(comment_body("a\n\nb ??\n"), " * a\n *\n * b ? ?");
    }
}
