//! Printing a package's items: Rust items through `prettyplease`, and the invocations of the
//! runtime's macros (`interop::assert_layout!`, `interop::impl_flags!`...) directly, since
//! prettyplease cannot lay out macro arguments: on one line, or wrapped after commas.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::{File, Item, ItemMacro};

/// The longest line written.
const WIDTH: usize = 100;
const INDENT: &str = "    ";

/// The text of `items`, a blank line between two items.
pub(crate) fn items(items: Vec<Item>) -> String {
    let mut out = String::new();
    let mut run: Vec<Item> = Vec::new();
    for item in items {
        match runtime_macro_call(&item) {
            Some(call) => {
                flush(&mut run, &mut out);
                separate(&mut out);
                out.push_str(&call);
            }
            None => run.push(item),
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Prints the items of `run` with prettyplease, and empties it.
fn flush(run: &mut Vec<Item>, out: &mut String) {
    if run.is_empty() {
        return;
    }
    let file = File {
        shebang: None,
        attrs: Vec::new(),
        items: std::mem::take(run),
    };
    separate(out);
    out.push_str(&super::tidy(&prettyplease::unparse(&file)));
}

/// A blank line before the next item, unless it is the first.
fn separate(out: &mut String) {
    if !out.is_empty() {
        out.push('\n');
    }
}

/// `interop::name!(arguments);` as text, when `item` invokes a macro of the runtime.
fn runtime_macro_call(item: &Item) -> Option<String> {
    let Item::Macro(ItemMacro {
        mac, ident: None, ..
    }) = item
    else {
        return None;
    };
    let segments: Vec<String> = mac
        .path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    if segments.len() != 2 || segments[0] != "interop" {
        return None;
    }
    Some(macro_call(&segments.join("::"), &mac.tokens))
}

/// `path!(arguments);`, wrapped as rustfmt wraps a long call: the arguments on their own
/// lines, broken after commas.
fn macro_call(path: &str, arguments: &TokenStream) -> String {
    let pieces = argument_pieces(arguments);
    let one_line = format!("{path}!({});\n", pieces.concat());
    if one_line.len() <= WIDTH + 1 {
        return one_line;
    }
    let mut out = format!("{path}!(\n");
    let mut line = String::from(INDENT);
    for piece in pieces {
        let piece = if line.len() == INDENT.len() {
            piece.trim_start()
        } else {
            &piece
        };
        if line.len() > INDENT.len() && line.len() + piece.len() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(INDENT);
            line.push_str(piece.trim_start());
        } else {
            line.push_str(piece);
        }
    }
    out.push_str(line.trim_end());
    out.push_str("\n);\n");
    out
}

/// The arguments as pieces that end after a comma: `Vehicle: size 152,`, ` align 8,`...
/// Tokens are separated by a space, except before a comma or a colon.
fn argument_pieces(arguments: &TokenStream) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for token in arguments.clone() {
        match &token {
            TokenTree::Punct(punct)
                if matches!(punct.as_char(), ',' | ':') && punct.spacing() == Spacing::Alone =>
            {
                piece.push(punct.as_char());
                if punct.as_char() == ',' {
                    pieces.push(std::mem::take(&mut piece));
                }
            }
            _ => {
                if !(pieces.is_empty() && piece.is_empty()) {
                    piece.push(' ');
                }
                piece.push_str(&token.to_string());
            }
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use proc_macro2::Literal;
    use quote::{format_ident, quote};

    use super::macro_call;

    #[test]
    fn short_calls_stay_on_one_line() {
        assert_eq!(
            macro_call("interop::assert_layout", &quote!(Kind: size 1, align 1)),
            "interop::assert_layout!(Kind: size 1, align 1);\n"
        );
    }

    #[test]
    fn long_calls_wrap_after_commas() {
        let fields = (0..30).map(|index| {
            let field = format_ident!("field_{index}");
            let offset = Literal::usize_unsuffixed(index * 8);
            quote!(, #field at #offset)
        });
        let text = macro_call(
            "interop::assert_layout",
            &quote!(Wide: size 240, align 8 #(#fields)*),
        );
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
