//! Inline container classes (`_String16`, `_Bytes24`, `_Vec32OfWaypoint`, `_OptionalF32`):
//! their `len`/`data`, `len`/`items` and `present`/`value` fields on the support code's
//! `_String`, `_Bytes`, `_Vec` and `_Optional` bases.

use interop_idl::model::{Ty, TyKind, STRING_DATA_OFFSET};

use super::fields::ClassFields;
use super::templates::{render, StructTemplate};
use super::text::docstring;
use super::PackageGen;

impl PackageGen<'_> {
    /// The class named `class` of container type `ty`.
    pub(super) fn container_item(&mut self, class: &str, ty: &Ty) -> String {
        let mut attributes = Vec::new();
        let mut fields = ClassFields::default();
        let base = match &ty.kind {
            TyKind::String { capacity } | TyKind::Bytes { capacity } => {
                attributes.push(format!("_capacity_ = {capacity}"));
                fields.field("len", "ctypes.c_uint32", 0);
                let data = format!("ctypes.c_uint8 * {capacity}");
                fields.field("data", data, STRING_DATA_OFFSET);
                let end = STRING_DATA_OFFSET + capacity;
                fields.pad(end, ty.size - end);
                if matches!(ty.kind, TyKind::String { .. }) {
                    "_String"
                } else {
                    "_Bytes"
                }
            }
            TyKind::Vec {
                element,
                capacity,
                items_offset,
            } => {
                attributes.push(format!("_capacity_ = {capacity}"));
                attributes.push(format!("_item_ = {}", self.conv(element)));
                fields.field("len", "ctypes.c_uint32", 0);
                fields.pad(4, items_offset - 4);
                let items = Ty {
                    kind: TyKind::Array {
                        element: element.clone(),
                        len: *capacity,
                    },
                    size: element.size * capacity,
                    align: element.align,
                };
                let ctype = self.ctype(&items);
                fields.field("items", ctype, *items_offset);
                let end = items_offset + items.size;
                fields.pad(end, ty.size - end);
                "_Vec"
            }
            TyKind::Optional {
                value,
                value_offset,
            } => {
                attributes.push(format!("_item_ = {}", self.conv(value)));
                fields.field("present", "_c_bool", 0);
                fields.pad(1, value_offset - 1);
                let ctype = self.ctype(value);
                fields.field("value", ctype, *value_offset);
                let end = value_offset + value.size;
                fields.pad(end, ty.size - end);
                "_Optional"
            }
            TyKind::Scalar { .. } | TyKind::Named { .. } | TyKind::Array { .. } => {
                unreachable!("only containers get a class")
            }
        };
        attributes.insert(0, format!("_idl_ = \"{ty}\""));
        render(&StructTemplate {
            decorator: None,
            name: class.to_owned(),
            base,
            docstring: docstring(&ty.to_string(), "    "),
            attributes,
            assertion: fields.assertion(class, ty.size),
            fields: fields.fields,
            converters: Vec::new(),
        })
    }
}
