//! The inline containers a header uses (`fleet_control_inline_String16`,
//! `..._Vec32OfWaypoint`, `..._OptionalF32`): their typedefs and `static inline` helpers.

use interop_idl::model::{Ty, TyKind, STRING_DATA_OFFSET};

use super::templates::{
    render, Assert, Member, OptionalHelpersTemplate, StringHelpersTemplate, StructTemplate,
    VecHelpersTemplate,
};
use super::PackageGen;
use crate::names::container_name;

impl PackageGen<'_> {
    /// Emits the typedef and helpers of an inline container once per header.
    pub(super) fn emit_container(&mut self, ty: &Ty) {
        let key = container_name(ty, &self.package.name).expect("a container");
        if self.containers.contains_key(&key) {
            return;
        }
        let name = self.unique_ident(format!("{}_inline_{key}", self.prefix));
        let mut members = Vec::new();
        let mut asserts = vec![
            Assert::size(&name, ty.size),
            Assert::alignment(&name, ty.align),
        ];
        let helpers;
        match &ty.kind {
            TyKind::String { capacity } | TyKind::Bytes { capacity } => {
                let is_string = matches!(ty.kind, TyKind::String { .. });
                members.push(Member::plain("uint32_t len".to_owned()));
                members.push(Member::plain(format!("uint8_t data[{capacity}]")));
                asserts.push(Assert::offset(&name, "len", 0));
                asserts.push(Assert::offset(&name, "data", STRING_DATA_OFFSET));
                let end = STRING_DATA_OFFSET + capacity;
                if ty.size > end {
                    members.push(Member::padding("_pad", ty.size - end));
                    asserts.push(Assert::offset(&name, "_pad", end));
                }
                helpers = render(&StringHelpersTemplate {
                    name: &name,
                    capacity: *capacity,
                    is_string,
                });
            }
            TyKind::Vec {
                element,
                capacity,
                items_offset,
            } => {
                members.push(Member::plain("uint32_t len".to_owned()));
                asserts.push(Assert::offset(&name, "len", 0));
                if *items_offset > 4 {
                    members.push(Member::padding("_pad0", items_offset - 4));
                    asserts.push(Assert::offset(&name, "_pad0", 4));
                }
                members.push(Member::plain(
                    self.decl(element, &format!("items[{capacity}]")),
                ));
                asserts.push(Assert::offset(&name, "items", *items_offset));
                let end = items_offset + element.size * capacity;
                if ty.size > end {
                    members.push(Member::padding("_pad1", ty.size - end));
                    asserts.push(Assert::offset(&name, "_pad1", end));
                }
                let item_is_array = matches!(element.kind, TyKind::Array { .. });
                let item_param = if item_is_array {
                    "const void *item".to_owned()
                } else {
                    self.decl(element, "item")
                };
                helpers = render(&VecHelpersTemplate {
                    name: &name,
                    capacity: *capacity,
                    item_param,
                    item_is_array,
                });
            }
            TyKind::Optional {
                value,
                value_offset,
            } => {
                members.push(Member::plain("bool present".to_owned()));
                asserts.push(Assert::offset(&name, "present", 0));
                if *value_offset > 1 {
                    members.push(Member::padding("_pad0", value_offset - 1));
                    asserts.push(Assert::offset(&name, "_pad0", 1));
                }
                members.push(Member::plain(self.decl(value, "value")));
                asserts.push(Assert::offset(&name, "value", *value_offset));
                let end = value_offset + value.size;
                if ty.size > end {
                    members.push(Member::padding("_pad1", ty.size - end));
                    asserts.push(Assert::offset(&name, "_pad1", end));
                }
                let value_is_array = matches!(value.kind, TyKind::Array { .. });
                let value_param = if value_is_array {
                    "const void *value".to_owned()
                } else {
                    self.decl(value, "value")
                };
                let get_signature = if value_is_array {
                    // A function returning a pointer to an array: `const uint8_t (*f(...))[2]`.
                    format!(
                        "const {}",
                        self.decl(value, &format!("(*{name}_get(const {name} *o))"))
                    )
                } else {
                    format!(
                        "const {} *{name}_get(const {name} *o)",
                        self.type_name(value)
                    )
                };
                helpers = render(&OptionalHelpersTemplate {
                    name: &name,
                    value_param,
                    value_is_array,
                    get_signature,
                });
            }
            TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. } => {
                unreachable!("not a container")
            }
        }
        let docs = format!("/** Inline `{}`. */\n", ty);
        self.containers.insert(key, name.clone());
        let block = render(&StructTemplate {
            docs,
            name,
            members,
            defines: Vec::new(),
            asserts,
            helpers,
        });
        self.blocks.push(block);
    }
}
