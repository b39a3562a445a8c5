//! Doc comments: the schema's `///` text carried over as `#[doc]` attributes (printed as
//! `///`), with every code block turned into a `text` block so that rustdoc never compiles
//! schema examples as Rust doctests.

use proc_macro2::TokenStream;
use quote::ToTokens;

use super::syntax;

/// Doc comments: lines of text, each as it follows `///` (a space and the text, or nothing),
/// kept in one string, each line ended by `\n`. They become `#[doc]` attributes in a syntax
/// tree ([`Docs::attrs`]), and in `quote!` as `#doc`.
#[derive(Clone, Default)]
pub(crate) struct Docs(String);

impl Docs {
    /// The lines, each as it follows `///`.
    pub(crate) fn lines(&self) -> impl Iterator<Item = &str> {
        self.0.lines()
    }

    /// The `#[doc = ...]` attributes.
    pub(crate) fn attrs(&self) -> impl Iterator<Item = syn::Attribute> + '_ {
        self.lines().map(syntax::doc_attr)
    }
}

impl ToTokens for Docs {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for attr in self.attrs() {
            attr.to_tokens(tokens);
        }
    }
}

/// `#[doc = ...]` attributes for `text` (several paragraphs allowed).
pub(crate) fn attrs(text: &str) -> Docs {
    let mut lines = String::new();
    match plain_line(text) {
        Some("") => {}
        Some(line) => wrap_into(line, WIDTH, &mut lines),
        None => {
            for line in rustdoc_safe(text) {
                wrap_into(&line, WIDTH, &mut lines);
            }
        }
    }
    Docs(lines)
}

/// `text` when it is one line of prose that [`rustdoc_safe`] would keep as it is (no line
/// break, tab, fence or indented code), without trailing spaces.
fn plain_line(text: &str) -> Option<&str> {
    let trimmed = text.trim_start();
    let plain = !text.contains(['\n', '\t', '\r'])
        && text.len() - trimmed.len() < 4
        && !trimmed.starts_with("```")
        && !trimmed.starts_with("~~~");
    plain.then(|| text.trim_end())
}

/// The schema's docs followed by a paragraph the generator adds (`extra`), or `extra` alone.
pub(crate) fn with(docs: &str, extra: &str) -> Docs {
    let docs = docs.trim();
    if docs.is_empty() {
        attrs(extra)
    } else if extra.is_empty() {
        attrs(docs)
    } else {
        attrs(&format!("{docs}\n\n{extra}"))
    }
}

/// The schema's docs, or `fallback` when it has none.
pub(crate) fn or(docs: &str, fallback: &str) -> Docs {
    if docs.trim().is_empty() {
        attrs(fallback)
    } else {
        attrs(docs.trim())
    }
}

/// The longest line of prose kept as is.
const WIDTH: usize = 90;

/// Appends `line` to `out` as doc lines (each after a space, an empty line as nothing),
/// wrapped at word boundaries when it is prose longer than `width`; code blocks, list items,
/// headings, tables and indented lines are left alone (rewrapping those could change what
/// they mean). Fences toggle whether the lines that follow are code.
fn wrap_into(line: &str, width: usize, out: &mut String) {
    let in_code = (out.contains("```") || out.contains("~~~"))
        && out.lines().filter(|line| is_fence(line)).count() % 2 == 1;
    let trimmed = line.trim_start();
    let special = in_code
        || is_fence(line)
        || line.len() <= width
        || line.starts_with(' ')
        || ["- ", "* ", "+ ", "#", "|", ">"]
            .iter()
            .any(|start| trimmed.starts_with(start))
        || trimmed.split_once(". ").is_some_and(|(number, _)| {
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())
        });
    if special {
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
        return;
    }
    let mut column = 0;
    for word in line.split(' ').filter(|word| !word.is_empty()) {
        if column > 0 && column + 1 + word.len() > width {
            out.push('\n');
            column = 0;
        }
        // After `///`, or between two words.
        out.push(' ');
        if column > 0 {
            column += 1;
        }
        column += word.len();
        out.push_str(word);
    }
    out.push('\n');
}

/// Whether a doc line opens or closes a code block.
fn is_fence(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("```") || trimmed.starts_with("~~~")
}

/// The lines of `text` with fenced code blocks marked `text` (whatever language they named)
/// and indented code blocks fenced as `text`, tabs expanded (clippy warns about tabs in docs).
pub(crate) fn rustdoc_safe(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    let mut indented = false;
    let mut previous_blank = true;
    for raw in text.lines() {
        let line = raw.replace('\t', "    ").trim_end().to_owned();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(marker) = &fence {
            let closes = trimmed.starts_with(marker.as_str())
                && trimmed
                    .trim_start_matches(marker.chars().next().unwrap())
                    .is_empty();
            out.push(line.clone());
            if closes {
                fence = None;
            }
            previous_blank = false;
            continue;
        }
        if indented {
            if trimmed.is_empty() || indent >= 4 {
                out.push(line.get(4..).unwrap_or("").to_owned());
                continue;
            }
            // Drop the blank lines that ended the block, then close it.
            let mut blanks = 0;
            while out.last().is_some_and(|last| last.is_empty()) {
                out.pop();
                blanks += 1;
            }
            out.push("```".to_owned());
            for _ in 0..blanks {
                out.push(String::new());
            }
            indented = false;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let symbol = trimmed.chars().next().unwrap();
            let marker: String = trimmed.chars().take_while(|&c| c == symbol).collect();
            out.push(format!("{}{marker}text", &line[..indent]));
            fence = Some(marker);
            previous_blank = false;
            continue;
        }
        if indent >= 4 && previous_blank && !trimmed.is_empty() {
            out.push("```text".to_owned());
            out.push(line[4..].to_owned());
            indented = true;
            continue;
        }
        previous_blank = trimmed.is_empty();
        out.push(line);
    }
    if indented {
        while out.last().is_some_and(|last| last.is_empty()) {
            out.pop();
        }
        out.push("```".to_owned());
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.first().is_some_and(|first| first.is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|last| last.is_empty()) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rustdoc_safe;

    #[test]
    fn fences_become_text() {
        let lines =
            rustdoc_safe("Example:\n```\nstruct S { a: u8 }\n```\nand\n```rust\nfn f() {}\n```");
        assert_eq!(
            lines,
            [
                "Example:",
                "```text",
                "struct S { a: u8 }",
                "```",
                "and",
                "```text",
                "fn f() {}",
                "```"
            ]
        );
    }

    #[test]
    fn indented_blocks_are_fenced() {
        let lines = rustdoc_safe("Like this:\n\n    let x = 1;\n    x + 1\n\nDone.");
        assert_eq!(
            lines,
            [
                "Like this:",
                "",
                "```text",
                "let x = 1;",
                "x + 1",
                "```",
                "",
                "Done."
            ]
        );
    }

    #[test]
    fn long_prose_is_wrapped() {
        let long = "word ".repeat(30);
        let mut text = String::new();
        super::wrap_into(long.trim(), 40, &mut text);
        super::wrap_into(&format!("- {long}"), 40, &mut text);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[..lines.len() - 1]
                .iter()
                .all(|line| line.len() <= 41 && line.starts_with(" word")),
            "{lines:?}"
        );
        assert!(lines.last().unwrap().starts_with(" - word"));
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(rustdoc_safe("```c\nint x;"), ["```text", "int x;", "```"]);
        assert_eq!(rustdoc_safe("a\n\tb"), ["a", "    b"]);
    }
}
