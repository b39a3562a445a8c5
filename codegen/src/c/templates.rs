//! The askama templates of a header (under `templates/c/`), the values they lay out, and
//! their rendering.

use std::collections::BTreeSet;
use std::fmt;
use std::rc::Rc;

use askama::Template;
use interop_idl::model::Member as EnumMember;

use super::comments::DocComment;
use super::constants::{hex_rows, HexRows};
use super::idents::Decl;
use super::service::ServiceTemplate;
use crate::decimal::write_u64;

/// The whole header: its preamble, constants, type blocks, service sections and descriptor.
#[derive(Template)]
#[template(path = "c/header.h", escape = "none")]
pub(super) struct HeaderTemplate<'a> {
    pub(super) file_name: &'a str,
    pub(super) generator: &'a str,
    pub(super) package: &'a str,
    /// The IDL files of the package, by file name, joined by `, `.
    pub(super) sources: String,
    /// The package's docs as the ` * `-prefixed lines of a comment body.
    pub(super) docs: String,
    /// The include guard macro.
    pub(super) guard: &'a str,
    /// The headers of other packages whose types this one uses.
    pub(super) includes: &'a BTreeSet<String>,
    /// Whether the package has services, whose stubs use the runtime's `interop.h`.
    pub(super) runtime: bool,
    pub(super) consts: &'a [Define<'a>],
    /// The rendered types, containers and messages, in definition order, each after a blank
    /// line.
    pub(super) blocks: &'a str,
    /// The section of each service.
    pub(super) services: &'a [ServiceTemplate],
    pub(super) descriptor_function: &'a str,
    /// The file-scope array of the descriptor's bytes.
    pub(super) descriptor_array: &'a str,
    /// The descriptor's bytes.
    pub(super) descriptor: &'a [u8],
}

impl<'a> HeaderTemplate<'a> {
    /// The descriptor's bytes as rows of initializers, each on a line after a newline.
    fn descriptor_rows(&self) -> HexRows<'a> {
        hex_rows(self.descriptor, "    ")
    }
}

/// An enum or flags type: its typedef, member macros and, for enums, its name function.
#[derive(Template)]
#[template(path = "c/scalar_type.h", escape = "none")]
pub(super) struct ScalarTypeTemplate<'a> {
    pub(super) docs: DocComment<'a>,
    /// `enum` or `flags`, in a comment after the typedef.
    pub(super) keyword: &'a str,
    pub(super) name: &'a str,
    /// The fixed-width integer type of the typedef.
    pub(super) base: &'a str,
    /// The member macros (one per IDL member, in order), then the mask, fingerprint and
    /// descriptor index macros.
    pub(super) members: Vec<Define<'a>>,
    /// `Some(function name)` for enums: `const char *NAME(T value)`.
    pub(super) name_function: Option<String>,
    /// The IDL members, whose names the name function returns.
    pub(super) idl_members: &'a [EnumMember],
}

impl ScalarTypeTemplate<'_> {
    /// (macro, IDL name) of every member, for the name function.
    fn member_names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.members
            .iter()
            .zip(self.idl_members)
            .map(|(define, member)| (&*define.name, member.name.as_str()))
    }
}

/// A struct typedef (a declared struct or union, a generated message or an inline
/// container) with its macros, the static assertions of its size, alignment and member
/// offsets, and its helpers.
#[derive(Template)]
#[template(path = "c/struct.h", escape = "none")]
pub(super) struct StructTemplate<'a> {
    pub(super) docs: DocComment<'a>,
    pub(super) name: &'a str,
    pub(super) size: u64,
    pub(super) align: u64,
    /// The members in offset order.
    pub(super) members: Vec<Member<'a>>,
    pub(super) defines: Vec<Define<'a>>,
    /// The size of a union's payload, when it has one.
    pub(super) payload_size: Option<u64>,
    /// The `static inline` helpers of a container; `None` for other structs.
    pub(super) helpers: Option<Helpers<'a>>,
}

/// The helpers of an inline container.
pub(super) enum Helpers<'a> {
    String(StringHelpersTemplate<'a>),
    Vec(VecHelpersTemplate<'a>),
    Optional(OptionalHelpersTemplate<'a>),
}

impl Helpers<'_> {
    fn write_to(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            Helpers::String(helpers) => helpers.render_into(out),
            Helpers::Vec(helpers) => helpers.render_into(out),
            Helpers::Optional(helpers) => helpers.render_into(out),
        }
        .map_err(|_| fmt::Error)
    }
}

/// The helpers of a string or bytes container.
#[derive(Template)]
#[template(path = "c/string_helpers.h", escape = "none")]
pub(super) struct StringHelpersTemplate<'a> {
    pub(super) name: &'a str,
    pub(super) capacity: u64,
    /// Strings (UTF-8 text, cut on a character boundary) rather than bytes.
    pub(super) is_string: bool,
}

/// The helpers of a vec container.
#[derive(Template)]
#[template(path = "c/vec_helpers.h", escape = "none")]
pub(super) struct VecHelpersTemplate<'a> {
    pub(super) name: &'a str,
    pub(super) capacity: u64,
    /// The parameter declaration of `push`'s item: `fleet_control_Waypoint item`, or
    /// `const void *item` for arrays.
    pub(super) item_param: MemberDecl<'a>,
    pub(super) item_is_array: bool,
}

/// The helpers of an optional container.
#[derive(Template)]
#[template(path = "c/optional_helpers.h", escape = "none")]
pub(super) struct OptionalHelpersTemplate<'a> {
    pub(super) name: &'a str,
    /// The parameter declaration of `set`'s value, `const void *value` for arrays.
    pub(super) value_param: MemberDecl<'a>,
    pub(super) value_is_array: bool,
    /// The whole declarator of `get` up to its body: `const float *NAME_get(const NAME *o)`.
    pub(super) get_signature: &'a str,
}

/// `#define NAME VALUE`, with an optional doc comment before it.
pub(super) struct Define<'a> {
    pub(super) docs: DocComment<'a>,
    pub(super) name: Rc<str>,
    pub(super) value: String,
}

impl Define<'_> {
    /// A define without docs.
    pub(super) fn plain(name: Rc<str>, value: String) -> Define<'static> {
        Define {
            docs: DocComment::NONE,
            name,
            value,
        }
    }
}

/// A struct member: its name and offset (for the assertion of the offset), its doc comment,
/// and its declaration (`uint8_t _pad0[3]`) or, for a union's payload, its name and the
/// members of its inline union.
pub(super) struct Member<'a> {
    pub(super) name: &'a str,
    pub(super) offset: u64,
    pub(super) docs: DocComment<'a>,
    pub(super) decl: MemberDecl<'a>,
    pub(super) union_members: Vec<PayloadMember<'a>>,
}

impl<'a> Member<'a> {
    /// A member without docs.
    pub(super) fn plain(name: &'a str, offset: u64, decl: MemberDecl<'a>) -> Member<'a> {
        Member {
            name,
            offset,
            docs: DocComment::NONE,
            decl,
            union_members: Vec::new(),
        }
    }
}

/// A member of the inline union of a union's payloads.
pub(super) struct PayloadMember<'a> {
    pub(super) docs: DocComment<'a>,
    pub(super) decl: MemberDecl<'a>,
}

/// The declaration of a struct member or a parameter.
pub(super) enum MemberDecl<'a> {
    /// Of a type of the model: `float gains[3]`.
    Typed(Decl<'a>),
    /// An array of `len` bytes: `uint8_t _pad0[3]`.
    Bytes { name: &'a str, len: u64 },
    /// Written as it is: `uint32_t len`.
    Text(&'a str),
}

impl MemberDecl<'_> {
    fn write_to(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            MemberDecl::Typed(decl) => decl.write_to(out),
            MemberDecl::Bytes { name, len } => {
                out.write_str("uint8_t ")?;
                out.write_str(name)?;
                out.write_str("[")?;
                write_u64(out, *len)?;
                out.write_str("]")
            }
            MemberDecl::Text(text) => out.write_str(text),
        }
    }
}

writable!(Helpers, MemberDecl);

/// Implements askama's `FastWritable` (how a template writes a value without a `Formatter`)
/// and `Display` for types with a `fn write_to(&self, out: &mut dyn fmt::Write) -> fmt::Result`.
macro_rules! writable {
    ($($ty:ident),* $(,)?) => {$(
        impl askama::FastWritable for $ty<'_> {
            fn write_into(
                &self,
                dest: &mut dyn std::fmt::Write,
                _: &dyn askama::Values,
            ) -> askama::Result<()> {
                Ok(self.write_to(dest)?)
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.write_to(f)
            }
        }
    )*};
}
pub(super) use writable;

/// Renders `template` at the end of `out`.
pub(super) fn render_into<T: Template>(template: &T, out: &mut String) {
    template
        .render_into(out)
        .expect("C templates render infallibly");
}
