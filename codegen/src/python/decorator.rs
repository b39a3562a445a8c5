//! The `@_type(...)` decorator of every declared type and message class: its qualified name,
//! its record in the module's `DESCRIPTOR`, its fingerprint, and the members whose Python name
//! differs from the IDL's.

use std::fmt::Write as _;

use interop_idl::model::Fingerprint;

use super::text::{Hex, WIDTH};
use super::PackageGen;
use crate::decimal::push_u64;

impl PackageGen<'_> {
    /// `@_type("fleet.control.Kind", 0, "6f81...")`, with `{"python": "idl"}` for the members
    /// in `renamed`, wrapped to [`WIDTH`].
    pub(super) fn decorator(
        &self,
        qualified_name: &str,
        fingerprint: &Fingerprint,
        renamed: &[(String, String)],
    ) -> String {
        let index = *self
            .descriptor_index
            .get(qualified_name)
            .expect("the descriptor holds every type and message of its package");
        // The arguments after the index: the fingerprint, then the renamed members, if any.
        let mut fingerprint_arg = String::with_capacity(66);
        write!(fingerprint_arg, "\"{}\"", Hex(&fingerprint.0)).expect("writing to a String");
        let mut renamed_arg = String::new();
        if !renamed.is_empty() {
            renamed_arg.push('{');
            for (position, (py, idl)) in renamed.iter().enumerate() {
                if position > 0 {
                    renamed_arg.push_str(", ");
                }
                write!(renamed_arg, "\"{py}\": \"{idl}\"").expect("writing to a String");
            }
            renamed_arg.push('}');
        }
        let mut out = String::with_capacity(WIDTH + renamed_arg.len() + 16);
        out.push_str("@_type(\"");
        out.push_str(qualified_name);
        out.push_str("\", ");
        push_u64(&mut out, u64::from(index));
        out.push(',');
        let head = out.len();
        // `@_type("fleet.control.Kind", 0, "6f81...")`, or the fingerprint (and the renamed
        // members) on continuation lines.
        let mut one_line = head + 1 + fingerprint_arg.len() + 1;
        if !renamed.is_empty() {
            one_line += 2 + renamed_arg.len();
        }
        let separator = if one_line <= WIDTH { " " } else { "\n       " };
        out.push_str(separator);
        out.push_str(&fingerprint_arg);
        if !renamed.is_empty() {
            out.push(',');
            out.push_str(separator);
            out.push_str(&renamed_arg);
        }
        out.push(')');
        out
    }
}
