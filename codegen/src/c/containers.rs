//! The inline containers a header uses (`fleet_control_inline_String16`,
//! `..._Vec32OfWaypoint`, `..._OptionalF32`): their typedefs and `static inline` helpers.

use std::fmt::Write;

use interop_idl::model::{Ty, TyKind, STRING_DATA_OFFSET};

use super::comments::doc_comment;
use super::templates::{
    Helpers, Member, MemberDecl, OptionalHelpersTemplate, StringHelpersTemplate, StructTemplate,
    VecHelpersTemplate,
};
use super::{push_block, PackageGen};
use crate::decimal::write_u64;
use crate::names::push_container_name;

impl<'m> PackageGen<'m> {
    /// Emits the typedef and helpers of an inline container once per header.
    pub(super) fn emit_container(&mut self, ty: &'m Ty) {
        let mut key = std::mem::take(&mut self.key_buffer);
        key.clear();
        assert!(
            push_container_name(ty, &self.package.name, &mut key),
            "a container"
        );
        let known = self.containers.get(key.as_str()).copied();
        let index = known.unwrap_or(self.container_names.len());
        self.container_at.insert(std::ptr::from_ref(ty), index);
        if known.is_some() {
            self.key_buffer = key;
            return;
        }
        let name = self.unique_ident([&self.prefix, "_inline_", &key].concat());
        self.container_names.push(name);
        self.containers.insert(key.clone(), index);
        self.key_buffer = key;
        let mut blocks = std::mem::take(&mut self.blocks);
        let name = self.container_names[index].as_str();
        let mut members = Vec::with_capacity(4);
        let mut field = |decl, ident, offset| members.push(Member::plain(ident, offset, decl));
        // Declarators and signatures that are not in the model.
        let items;
        let get_signature;
        let helpers = match &ty.kind {
            TyKind::String { capacity } | TyKind::Bytes { capacity } => {
                field(MemberDecl::Text("uint32_t len"), "len", 0);
                field(
                    MemberDecl::Bytes {
                        name: "data",
                        len: *capacity,
                    },
                    "data",
                    STRING_DATA_OFFSET,
                );
                let end = STRING_DATA_OFFSET + capacity;
                if ty.size > end {
                    let len = ty.size - end;
                    field(MemberDecl::Bytes { name: "_pad", len }, "_pad", end);
                }
                Helpers::String(StringHelpersTemplate {
                    name,
                    capacity: *capacity,
                    is_string: matches!(ty.kind, TyKind::String { .. }),
                })
            }
            TyKind::Vec {
                element,
                capacity,
                items_offset,
            } => {
                field(MemberDecl::Text("uint32_t len"), "len", 0);
                if *items_offset > 4 {
                    let len = items_offset - 4;
                    field(MemberDecl::Bytes { name: "_pad0", len }, "_pad0", 4);
                }
                items = declarator_with_len("items", *capacity);
                field(
                    MemberDecl::Typed(self.decl(element, &items)),
                    "items",
                    *items_offset,
                );
                let end = items_offset + element.size * capacity;
                if ty.size > end {
                    let len = ty.size - end;
                    field(MemberDecl::Bytes { name: "_pad1", len }, "_pad1", end);
                }
                let item_is_array = matches!(element.kind, TyKind::Array { .. });
                Helpers::Vec(VecHelpersTemplate {
                    name,
                    capacity: *capacity,
                    item_param: if item_is_array {
                        MemberDecl::Text("const void *item")
                    } else {
                        MemberDecl::Typed(self.decl(element, "item"))
                    },
                    item_is_array,
                })
            }
            TyKind::Optional {
                value,
                value_offset,
            } => {
                field(MemberDecl::Text("bool present"), "present", 0);
                if *value_offset > 1 {
                    let len = value_offset - 1;
                    field(MemberDecl::Bytes { name: "_pad0", len }, "_pad0", 1);
                }
                field(
                    MemberDecl::Typed(self.decl(value, "value")),
                    "value",
                    *value_offset,
                );
                let end = value_offset + value.size;
                if ty.size > end {
                    let len = ty.size - end;
                    field(MemberDecl::Bytes { name: "_pad1", len }, "_pad1", end);
                }
                let value_is_array = matches!(value.kind, TyKind::Array { .. });
                get_signature = if value_is_array {
                    // A function returning a pointer to an array: `const uint8_t (*f(...))[2]`.
                    let declarator = format!("(*{name}_get(const {name} *o))");
                    format!("const {}", self.decl(value, &declarator))
                } else {
                    format!(
                        "const {} *{name}_get(const {name} *o)",
                        self.type_name(value)
                    )
                };
                Helpers::Optional(OptionalHelpersTemplate {
                    name,
                    value_param: if value_is_array {
                        MemberDecl::Text("const void *value")
                    } else {
                        MemberDecl::Typed(self.decl(value, "value"))
                    },
                    value_is_array,
                    get_signature: &get_signature,
                })
            }
            TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. } => {
                unreachable!("not a container")
            }
        };
        let mut docs = String::with_capacity(64);
        write!(docs, "Inline `{ty}`.").expect("writing to a String");
        let template = StructTemplate {
            docs: doc_comment(&docs, ""),
            name,
            size: ty.size,
            align: ty.align,
            members,
            defines: Vec::new(),
            payload_size: None,
            helpers: Some(helpers),
        };
        push_block(&mut blocks, &template);
        drop(template);
        self.blocks = blocks;
    }
}

/// `name[len]`.
fn declarator_with_len(name: &str, len: u64) -> String {
    let mut declarator = String::with_capacity(name.len() + 22);
    declarator.push_str(name);
    declarator.push('[');
    write_u64(&mut declarator, len).expect("writing to a String");
    declarator.push(']');
    declarator
}
