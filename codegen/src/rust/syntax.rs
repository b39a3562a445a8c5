//! The bridge from tokens written with `quote!` to syntax trees that `prettyplease` prints.

use proc_macro2::{Span, TokenStream};
use syn::{AttrStyle, Attribute, Expr, ExprLit, Item, Lit, LitStr, Meta, MetaNameValue};

/// `#[doc = "text"]`.
pub(crate) fn doc_attr(text: &str) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: Meta::NameValue(MetaNameValue {
            path: syn::Ident::new("doc", Span::call_site()).into(),
            eq_token: Default::default(),
            value: Expr::Lit(ExprLit {
                attrs: Vec::new(),
                lit: Lit::Str(LitStr::new(text, Span::call_site())),
            }),
        }),
    }
}

/// The items that `tokens` (written with `quote!`) stand for.
pub(crate) fn parse_items(tokens: TokenStream) -> Vec<Item> {
    if tokens.is_empty() {
        return Vec::new();
    }
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => file.items,
        Err(error) => panic!("the Rust backend produced tokens that do not parse: {error}"),
    }
}
