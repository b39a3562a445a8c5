//! The `@_type(...)` decorator of every declared type and message class: its qualified name,
//! its record in the module's `DESCRIPTOR`, its fingerprint, and the members whose Python name
//! differs from the IDL's.

use super::text::WIDTH;
use super::PackageGen;

impl PackageGen<'_> {
    /// `@_type("fleet.control.Kind", 0, "6f81...")`, with `{"python": "idl"}` for the members
    /// in `renamed`, wrapped to [`WIDTH`].
    pub(super) fn decorator(
        &self,
        qualified_name: &str,
        fingerprint: &str,
        renamed: &[(String, String)],
    ) -> String {
        let index = self
            .descriptor
            .index_of(qualified_name)
            .expect("the descriptor holds every type and message of its package");
        let mut rest = vec![format!("\"{fingerprint}\"")];
        if !renamed.is_empty() {
            let pairs: Vec<String> = renamed
                .iter()
                .map(|(py, idl)| format!("\"{py}\": \"{idl}\""))
                .collect();
            rest.push(format!("{{{}}}", pairs.join(", ")));
        }
        // `@_type("fleet.control.Kind", 0, "6f81...")`, or the fingerprint (and the renamed
        // members) on continuation lines.
        let head = format!("@_type(\"{qualified_name}\", {index}, ");
        let one_line = format!("{head}{})", rest.join(", "));
        if one_line.len() <= WIDTH {
            return one_line;
        }
        let mut out = head.trim_end().to_owned();
        let last = rest.len() - 1;
        for (position, arg) in rest.iter().enumerate() {
            let end = if position == last { ")" } else { "," };
            out.push_str(&format!("\n       {arg}{end}"));
        }
        out
    }
}
