//! The `_fields_` of a ctypes class in layout order, with every padding range an explicit
//! `_padN` byte array, and the import-time assertion of the layout
//! (`_assert_layout(Vehicle, 152, {"id": 0, ...})`).

use std::borrow::Cow;

use super::templates::FieldView;
use super::text::{Packed, WIDTH};
use crate::decimal::push_u64;

/// The fields of one class and the offset the model gives each of them.
#[derive(Default)]
pub(super) struct ClassFields {
    /// The fields, padding included, in layout order.
    pub(super) fields: Vec<FieldView>,
    /// The offset of each of `fields`, as the assertion checks them.
    offsets: Vec<u64>,
    /// How many `_padN` fields there are so far.
    pads: usize,
}

impl ClassFields {
    /// Room for `count` fields, padding included.
    pub(super) fn with_capacity(count: usize) -> Self {
        ClassFields {
            fields: Vec::with_capacity(count),
            offsets: Vec::with_capacity(count),
            pads: 0,
        }
    }

    /// Adds field `view` at `offset`.
    pub(super) fn push(&mut self, view: FieldView, offset: u64) {
        self.fields.push(view);
        self.offsets.push(offset);
    }

    /// Adds field `name` of type `ctype` at `offset`.
    pub(super) fn field(&mut self, name: &str, ctype: impl Into<Cow<'static, str>>, offset: u64) {
        let view = FieldView {
            comments: String::new(),
            name: name.to_owned(),
            ctype: ctype.into(),
        };
        self.push(view, offset);
    }

    /// Adds the next `_padN` field for the `size` padding bytes at `offset`; nothing when
    /// `size` is zero.
    pub(super) fn pad(&mut self, offset: u64, size: u64) {
        if size > 0 {
            let name = format!("_pad{}", self.pads);
            self.pads += 1;
            self.field(&name, format!("ctypes.c_uint8 * {size}"), offset);
        }
    }

    /// The assertion that `class`, of `size` bytes, has these fields at these offsets.
    pub(super) fn assertion(&self, class: &str, size: u64) -> String {
        let names = self.fields.iter().map(|field| field.name.as_str());
        assertion(class, size, names.zip(self.offsets.iter().copied()))
    }
}

/// `_assert_layout(Class, size, {"field": offset, ...})` for fields given as names and
/// offsets, wrapped to [`WIDTH`].
pub(super) fn assertion<'a>(
    class: &str,
    size: u64,
    offsets: impl Iterator<Item = (&'a str, u64)> + Clone,
) -> String {
    let mut out = String::with_capacity(2 * WIDTH);
    out.push_str("_assert_layout(");
    out.push_str(class);
    out.push_str(", ");
    push_u64(&mut out, size);
    out.push_str(", {");
    let head = out.len();
    for (index, (name, offset)) in offsets.clone().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        push_entry(&mut out, name, offset);
    }
    out.push_str("})");
    if out.len() <= WIDTH {
        return out;
    }
    out.truncate(head);
    out.push('\n');
    let mut entry = String::new();
    let mut lines = Packed::new(&mut out, "    ");
    for (name, offset) in offsets {
        entry.clear();
        push_entry(&mut entry, name, offset);
        lines.item(&entry);
    }
    lines.finish();
    out.push_str("})");
    out
}

/// Appends `"name": offset`.
fn push_entry(out: &mut String, name: &str, offset: u64) {
    out.push('"');
    out.push_str(name);
    out.push_str("\": ");
    push_u64(out, offset);
}
