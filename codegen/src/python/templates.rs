//! The askama templates of a Python module (`templates/python/`) and the views they print.

use std::borrow::Cow;

use askama::Template;

use super::text::Hex;

/// A whole module: header, imports, `__all__`, constants, support code, items, descriptor.
#[derive(Template)]
#[template(path = "python/module.py", escape = "none")]
pub(super) struct ModuleTemplate<'a> {
    pub(super) generator: &'a str,
    pub(super) package: &'a str,
    pub(super) docstring: String,
    pub(super) imports: Vec<String>,
    pub(super) exports: Vec<&'a str>,
    pub(super) consts: Vec<ConstView>,
    /// Rendered classes, in the order they are defined.
    pub(super) items: Vec<String>,
    /// The descriptor's bytes, one line of hex digits each.
    pub(super) descriptor: Vec<Hex<'a>>,
}

/// One constant: `MAX_WAYPOINTS: int = 32`.
pub(super) struct ConstView {
    pub(super) comments: String,
    pub(super) name: String,
    pub(super) hint: &'static str,
    pub(super) value: String,
}

/// An enum (`IntEnum`) or flags (`IntFlag`) class.
#[derive(Template)]
#[template(path = "python/enum.py", escape = "none")]
pub(super) struct EnumTemplate {
    pub(super) decorator: String,
    pub(super) name: String,
    pub(super) base: &'static str,
    pub(super) docstring: String,
    pub(super) members: Vec<MemberView>,
}

/// One member of an enum or flags.
pub(super) struct MemberView {
    pub(super) comments: String,
    pub(super) name: String,
    pub(super) value: i128,
}

/// A struct, message or inline container class.
#[derive(Template)]
#[template(path = "python/struct.py", escape = "none")]
pub(super) struct StructTemplate {
    /// The `@_type(...)` decorator of a declared type or message; none for a container.
    pub(super) decorator: Option<String>,
    pub(super) name: String,
    pub(super) base: &'static str,
    pub(super) docstring: String,
    /// Class attributes before `_fields_`: `_capacity_ = 16`...
    pub(super) attributes: Vec<String>,
    pub(super) fields: Vec<FieldView>,
    /// The converter and type hint of each field (none for a container).
    pub(super) converters: Vec<ConverterView>,
    pub(super) assertion: String,
}

/// One entry of a class's `_fields_`: a field, or a `_padN` byte array.
pub(super) struct FieldView {
    pub(super) comments: String,
    pub(super) name: String,
    pub(super) ctype: Cow<'static, str>,
}

/// How a class reads and writes one of its fields: its converter and its type hint.
pub(super) struct ConverterView {
    pub(super) name: String,
    pub(super) conv: Cow<'static, str>,
    pub(super) hint: Cow<'static, str>,
}

/// A union class with its nested `Tag` and `Payload`.
#[derive(Template)]
#[template(path = "python/union.py", escape = "none")]
pub(super) struct UnionTemplate {
    pub(super) decorator: String,
    pub(super) name: String,
    pub(super) docstring: String,
    pub(super) variants: Vec<VariantView>,
    pub(super) payload_size: u64,
    pub(super) fields: Vec<FieldView>,
    pub(super) payload_assertion: String,
    pub(super) assertion: String,
}

/// One variant of a union: its `Tag` member and its `Payload` field.
pub(super) struct VariantView {
    pub(super) comments: String,
    /// The IDL name, as `to_dict` and `from_dict` spell it.
    pub(super) idl: String,
    pub(super) member: String,
    pub(super) field: String,
    pub(super) tag: i128,
    /// The payload's ctypes type; none for a variant without payload.
    pub(super) ctype: Option<Cow<'static, str>>,
    pub(super) conv: Cow<'static, str>,
}

/// A service class: its qualified name and one `_Method` per method.
#[derive(Template)]
#[template(path = "python/service.py", escape = "none")]
pub(super) struct ServiceTemplate {
    pub(super) name: String,
    pub(super) docstring: String,
    pub(super) qualified_name: String,
    pub(super) methods: Vec<MethodView>,
    pub(super) methods_tuple: String,
}

/// One `_Method(...)` of a service class.
pub(super) struct MethodView {
    pub(super) comments: String,
    pub(super) name: String,
    pub(super) args: Vec<String>,
}

/// Renders a template without blank lines around it (the module template spaces the items).
pub(super) fn render<T: Template>(template: &T) -> String {
    let mut text = String::with_capacity(T::SIZE_HINT);
    template
        .render_into(&mut text)
        .expect("Python templates render infallibly");
    text.truncate(text.trim_end().len());
    let blank = text.len() - text.trim_start_matches('\n').len();
    text.drain(..blank);
    text
}
