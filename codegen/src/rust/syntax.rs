//! Syntax trees built directly: the items every type has (its struct, its layout assertions)
//! are assembled as `syn` nodes rather than written as tokens and parsed back, which is where
//! generating a big schema spent most of its time. `prettyplease` prints both kinds alike.

use proc_macro2::{Ident, Span, TokenStream};
use syn::{
    AttrStyle, Attribute, Expr, ExprLit, Item, ItemMacro, Lit, LitInt, LitStr, Macro,
    MacroDelimiter, Meta, MetaList, MetaNameValue, Path, PathSegment, Type, TypeArray, TypePath,
};

/// `#[doc = "text"]`.
pub(crate) fn doc_attr(text: &str) -> Attribute {
    outer_attr(Meta::NameValue(MetaNameValue {
        path: word_path("doc"),
        eq_token: Default::default(),
        value: Expr::Lit(ExprLit {
            attrs: Vec::new(),
            lit: Lit::Str(LitStr::new(text, Span::call_site())),
        }),
    }))
}

/// `#[name(arguments)]`: `#[repr(C)]`, `#[derive(Clone, Copy)]`.
pub(crate) fn list_attr(name: &str, arguments: TokenStream) -> Attribute {
    outer_attr(Meta::List(MetaList {
        path: word_path(name),
        delimiter: MacroDelimiter::Paren(Default::default()),
        tokens: arguments,
    }))
}

fn outer_attr(meta: Meta) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: AttrStyle::Outer,
        bracket_token: Default::default(),
        meta,
    }
}

/// The attributes written as tokens (`#[allow(...)]`, `#[serde(...)]`), usually none.
pub(crate) fn parse_attrs(tokens: &TokenStream) -> Vec<Attribute> {
    if tokens.is_empty() {
        return Vec::new();
    }
    syn::parse::Parser::parse2(Attribute::parse_outer, tokens.clone()).unwrap_or_else(|error| {
        panic!("the Rust backend wrote attributes that do not parse: {error}")
    })
}

/// The path of one identifier.
pub(crate) fn word_path(word: &str) -> Path {
    path(&[word])
}

/// The type named by a path of identifiers: `u8`, `super::geometry::Pose`.
pub(crate) fn path_type(segments: impl IntoIterator<Item = Ident>) -> Type {
    Type::Path(TypePath {
        qself: None,
        path: Path {
            leading_colon: None,
            segments: segments.into_iter().map(PathSegment::from).collect(),
        },
    })
}

/// `[element; len]`.
pub(crate) fn array_type(element: Type, len: u64) -> Type {
    Type::Array(TypeArray {
        bracket_token: Default::default(),
        elem: Box::new(element),
        semi_token: Default::default(),
        len: Expr::Lit(ExprLit {
            attrs: Vec::new(),
            lit: Lit::Int(LitInt::new(&len.to_string(), Span::call_site())),
        }),
    })
}

/// A path of identifiers: `interop::validate::Described`.
fn path(segments: &[&str]) -> Path {
    Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|segment| PathSegment::from(Ident::new(segment, Span::call_site())))
            .collect(),
    }
}

/// `interop::name!(arguments);`: an invocation of a macro of the runtime.
pub(crate) fn runtime_macro(name: &str, arguments: TokenStream) -> Item {
    let mut path = word_path("interop");
    path.segments
        .push(PathSegment::from(Ident::new(name, Span::call_site())));
    Item::Macro(ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: Macro {
            path,
            bang_token: Default::default(),
            delimiter: MacroDelimiter::Paren(Default::default()),
            tokens: arguments,
        },
        semi_token: Some(Default::default()),
    })
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

/// Items as tokens again, for the callers that collect tokens.
pub(crate) fn items_tokens(items: &[Item]) -> TokenStream {
    let mut tokens = TokenStream::new();
    for item in items {
        quote::ToTokens::to_tokens(item, &mut tokens);
    }
    tokens
}
