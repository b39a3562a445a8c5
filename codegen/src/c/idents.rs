//! The names of a header: its macros and identifiers kept unique, members escaped, and the
//! C spelling of types and declarations.

use std::collections::HashSet;

use interop_idl::model::{Padding, Ty, TyKind};

use super::PackageGen;
use crate::names::{c_ident, c_prefix, c_scalar_type, container_name, file_name};
use crate::Language;

impl PackageGen<'_> {
    /// A macro name not yet taken in this header (a trailing `_` added until it is free).
    pub(super) fn unique_macro(&mut self, name: String) -> String {
        unique_member(name, &mut self.macros)
    }

    /// A typedef or function name not yet taken in this header.
    pub(super) fn unique_ident(&mut self, name: String) -> String {
        unique_member(name, &mut self.idents)
    }

    /// `FLEET_CONTROL_` + the parts upper-cased and joined by `_`.
    pub(super) fn macro_name(&mut self, parts: &[&str]) -> String {
        let mut name = self.macro_prefix.clone();
        for part in parts {
            name.push('_');
            name.push_str(&part.to_ascii_uppercase());
        }
        self.unique_macro(name)
    }

    /// The C name of a declared type (`fleet.geometry.Pose` → `fleet_geometry_Pose`), noting
    /// the header to include when it belongs to another package.
    pub(super) fn named(&mut self, qualified: &str) -> String {
        let (owner, simple) = qualified.rsplit_once('.').expect("qualified name");
        if owner != self.package.name {
            self.includes.insert(file_name(owner, Language::C));
        }
        format!("{}_{simple}", c_prefix(owner))
    }

    /// The C type of a non-array type.
    pub(super) fn type_name(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => c_scalar_type(*scalar).to_owned(),
            TyKind::Named { name, .. } => self.named(name),
            TyKind::Array { .. } => unreachable!("arrays are declarators, not type names"),
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => {
                let key = container_name(ty, &self.package.name).expect("a container");
                self.containers
                    .get(&key)
                    .cloned()
                    .expect("containers are emitted before use")
            }
        }
    }

    /// A declaration of `declarator` with type `ty`: `float gains[3]`, `uint8_t beacon[4][2]`.
    pub(super) fn decl(&mut self, ty: &Ty, declarator: &str) -> String {
        match &ty.kind {
            TyKind::Array { element, len } => self.decl(element, &format!("{declarator}[{len}]")),
            _ => format!("{} {declarator}", self.type_name(ty)),
        }
    }
}

/// A field or variant name as a C member name.
pub(super) fn member_ident(name: &str) -> String {
    let escaped = c_ident(name);
    if escaped != name {
        return escaped;
    }
    // Predefined by gcc and clang in their default GNU modes, and the macros of <stdint.h>,
    // which would replace a member name as well as a keyword would.
    const PREDEFINED: &[&str] = &[
        "linux",
        "unix",
        "i386",
        "typeof",
        "typeof_unqual",
        "SIZE_MAX",
        "PTRDIFF_MIN",
        "PTRDIFF_MAX",
    ];
    let stdint = [
        "INT",
        "UINT",
        "INTMAX",
        "UINTMAX",
        "INTPTR",
        "UINTPTR",
        "SIG_ATOMIC",
        "WCHAR",
        "WINT",
    ]
    .iter()
    .any(|stem| {
        name.strip_prefix(stem).is_some_and(|rest| {
            let rest = rest
                .strip_prefix("_LEAST")
                .or_else(|| rest.strip_prefix("_FAST"))
                .unwrap_or(rest);
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            matches!(rest, "_MIN" | "_MAX" | "_C")
        })
    });
    if PREDEFINED.contains(&name) || stdint {
        format!("{name}_")
    } else {
        escaped
    }
}

/// Names for padding members (`_pad0`, `_pad1`...), avoiding the names in `taken`.
pub(super) fn padding_names(padding: &[Padding], taken: &mut HashSet<String>) -> Vec<String> {
    (0..padding.len())
        .map(|index| unique_member(format!("_pad{index}"), taken))
        .collect()
}

/// `name`, or `name` with trailing `_`s when it is in `taken`, now taken: the one rule for
/// the members of a struct and the macros and identifiers of a header.
pub(super) fn unique_member(mut name: String, taken: &mut HashSet<String>) -> String {
    while !taken.insert(name.clone()) {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names() {
        assert_eq!(member_ident("class"), "class_");
        assert_eq!(member_ident("linux"), "linux_");
        assert_eq!(member_ident("UINT8_MAX"), "UINT8_MAX_");
        assert_eq!(member_ident("INT_LEAST16_MIN"), "INT_LEAST16_MIN_");
        assert_eq!(member_ident("INTERVAL"), "INTERVAL");
        assert_eq!(member_ident("speed"), "speed");
    }
}
