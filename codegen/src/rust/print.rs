//! Printing the items built as syntax (the service stubs, serde's union implementations)
//! through `prettyplease`, touched up the way people lay out code.

use syn::{File, Item};

/// The text of `items`, a blank line between two items.
pub(crate) fn items(items: Vec<Item>) -> String {
    if items.is_empty() {
        return String::new();
    }
    let file = File {
        shebang: None,
        attrs: Vec::new(),
        items,
    };
    tidy(&prettyplease::unparse(&file))
}

/// Touches up prettyplease's output: a blank line between items, as people write them.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut previous = "";
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let previous_trimmed = previous.trim_start();
        let same_indent = previous.len() - previous_trimmed.len() == indent;
        let starts_item = [
            "///",
            "#[",
            "pub ",
            "pub(crate) ",
            "impl",
            "const ",
            "fn ",
            "mod ",
            "enum ",
            "struct ",
        ]
        .iter()
        .any(|start| trimmed.starts_with(start));
        let previous_ends_item = previous_trimmed == "}"
            || previous_trimmed == "};"
            || (previous_trimmed.ends_with(';')
                && !previous_trimmed.starts_with("///")
                && indent == 0)
            || (previous_trimmed.ends_with(';') && previous_trimmed.starts_with("pub const "));
        if same_indent && starts_item && previous_ends_item {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}
