//! The `_fields_` of a ctypes class in layout order, with every padding range an explicit
//! `_padN` byte array, and the import-time assertion of the layout
//! (`_assert_layout(Vehicle, 152, {"id": 0, ...})`).

use super::templates::FieldView;
use super::text::{pack, WIDTH};

/// The fields of one class and the offset the model gives each of them.
#[derive(Default)]
pub(super) struct ClassFields {
    /// The fields, padding included, in layout order.
    pub(super) fields: Vec<FieldView>,
    /// Each field's name and offset, as the assertion checks them.
    offsets: Vec<(String, u64)>,
    /// How many `_padN` fields there are so far.
    pads: usize,
}

impl ClassFields {
    /// Adds field `view` at `offset`.
    pub(super) fn push(&mut self, view: FieldView, offset: u64) {
        self.offsets.push((view.name.clone(), offset));
        self.fields.push(view);
    }

    /// Adds field `name` of type `ctype` at `offset`.
    pub(super) fn field(&mut self, name: &str, ctype: String, offset: u64) {
        let view = FieldView {
            name: name.to_owned(),
            ctype,
            ..FieldView::default()
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
        assertion(class, size, &self.offsets)
    }
}

/// `_assert_layout(Class, size, {"field": offset, ...})`, wrapped to [`WIDTH`].
pub(super) fn assertion(class: &str, size: u64, offsets: &[(String, u64)]) -> String {
    let entries: Vec<String> = offsets
        .iter()
        .map(|(name, offset)| format!("\"{name}\": {offset}"))
        .collect();
    let one_line = format!(
        "_assert_layout({class}, {size}, {{{}}})",
        entries.join(", ")
    );
    if one_line.len() <= WIDTH {
        return one_line;
    }
    let mut out = format!("_assert_layout({class}, {size}, {{\n");
    for line in pack(&entries, "    ") {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("})");
    out
}
