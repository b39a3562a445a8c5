//! The askama templates of a header (under `templates/c/`), the values they lay out, and
//! their rendering.

use askama::Template;

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
    pub(super) guard: String,
    /// The headers of other packages whose types this one uses.
    pub(super) includes: Vec<String>,
    /// Whether the package has services, whose stubs use the runtime's `interop.h`.
    pub(super) runtime: bool,
    pub(super) consts: Vec<Define>,
    /// The rendered types, containers and messages, in definition order.
    pub(super) blocks: Vec<String>,
    /// The rendered section of each service.
    pub(super) services: Vec<String>,
    pub(super) descriptor_function: String,
    /// The file-scope array of the descriptor's bytes.
    pub(super) descriptor_array: String,
    pub(super) descriptor_len: usize,
    /// The descriptor's bytes as rows of initializers.
    pub(super) descriptor_rows: Vec<String>,
}

/// An enum or flags type: its typedef, member macros and, for enums, its name function.
#[derive(Template)]
#[template(path = "c/scalar_type.h", escape = "none")]
pub(super) struct ScalarTypeTemplate<'a> {
    pub(super) docs: String,
    /// `enum` or `flags`, in a comment after the typedef.
    pub(super) keyword: &'a str,
    pub(super) name: String,
    /// The fixed-width integer type of the typedef.
    pub(super) base: &'a str,
    /// The member macros, then the mask, fingerprint and descriptor index macros.
    pub(super) members: Vec<Define>,
    /// `Some(function name)` for enums: `const char *NAME(T value)`.
    pub(super) name_function: Option<String>,
    /// (macro, IDL name) of every member, for the name function.
    pub(super) member_names: Vec<(String, String)>,
}

/// A struct typedef (a declared struct or union, a generated message or an inline
/// container) with its macros, static assertions and helpers.
#[derive(Template)]
#[template(path = "c/struct.h", escape = "none")]
pub(super) struct StructTemplate {
    pub(super) docs: String,
    pub(super) name: String,
    pub(super) members: Vec<Member>,
    pub(super) defines: Vec<Define>,
    pub(super) asserts: Vec<Assert>,
    /// The rendered `static inline` helpers of a container; empty for other structs.
    pub(super) helpers: String,
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
    pub(super) item_param: String,
    pub(super) item_is_array: bool,
}

/// The helpers of an optional container.
#[derive(Template)]
#[template(path = "c/optional_helpers.h", escape = "none")]
pub(super) struct OptionalHelpersTemplate<'a> {
    pub(super) name: &'a str,
    /// The parameter declaration of `set`'s value, `const void *value` for arrays.
    pub(super) value_param: String,
    pub(super) value_is_array: bool,
    /// The whole declarator of `get` up to its body: `const float *NAME_get(const NAME *o)`.
    pub(super) get_signature: String,
}

/// `#define NAME VALUE`, with an optional doc comment before it.
pub(super) struct Define {
    pub(super) docs: String,
    pub(super) name: String,
    pub(super) value: String,
}

/// A struct member: its doc comment (indented, ending in a newline, or empty), and either a
/// declaration (`uint8_t _pad0[3]`) or, for a union's payload, the members of an inline union.
pub(super) struct Member {
    pub(super) docs: String,
    pub(super) decl: String,
    pub(super) union_members: Vec<Member>,
}

impl Member {
    /// A member without docs declared by `decl`: `uint32_t len`.
    pub(super) fn plain(decl: String) -> Member {
        Member {
            docs: String::new(),
            decl,
            union_members: Vec::new(),
        }
    }

    /// A padding member of `size` bytes: `uint8_t _pad0[3]`.
    pub(super) fn padding(name: &str, size: u64) -> Member {
        Member::plain(format!("uint8_t {name}[{size}]"))
    }
}

/// `INTEROP_STATIC_ASSERT(condition, "message");`
pub(super) struct Assert {
    pub(super) condition: String,
    pub(super) message: String,
}

impl Assert {
    /// That type `name` is `size` bytes.
    pub(super) fn size(name: &str, size: u64) -> Assert {
        Assert {
            condition: format!("sizeof({name}) == {size}"),
            message: format!("{name}: size"),
        }
    }

    /// That type `name` is aligned to `align` bytes.
    pub(super) fn alignment(name: &str, align: u64) -> Assert {
        Assert {
            condition: format!("INTEROP_ALIGNOF({name}) == {align}"),
            message: format!("{name}: alignment"),
        }
    }

    /// That `member` of type `name` is at `offset`.
    pub(super) fn offset(name: &str, member: &str, offset: u64) -> Assert {
        Assert {
            condition: format!("offsetof({name}, {member}) == {offset}"),
            message: format!("{name}.{member}: offset"),
        }
    }
}

/// The text of a template.
pub(super) fn render<T: Template>(template: &T) -> String {
    template.render().expect("C templates render infallibly")
}
