//! The names of a header: its macros and identifiers kept unique, members escaped, and the
//! C spelling of types and declarations.

use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;

use interop_idl::model::{Padding, Ty, TyKind};

use super::templates::writable;
use super::PackageGen;
use crate::decimal::write_u64;
use crate::names::{c_ident, c_scalar_type, file_name};
use crate::Language;
use rustc_hash::FxHashSet;

impl<'m> PackageGen<'m> {
    /// A macro name not yet taken in this header: `name`, with trailing `_`s while taken (see
    /// [`unique_member`]).
    pub(super) fn unique_macro(&mut self, name: &mut String) -> Rc<str> {
        loop {
            let candidate: Rc<str> = Rc::from(name.as_str());
            if self.macros.insert(Rc::clone(&candidate)) {
                return candidate;
            }
            name.push('_');
        }
    }

    /// A typedef or function name not yet taken in this header.
    pub(super) fn unique_ident(&mut self, name: String) -> String {
        unique_member(name, &mut self.idents)
    }

    /// `FLEET_CONTROL_` + the parts upper-cased and joined by `_`, made unique.
    pub(super) fn macro_name(&mut self, parts: &[&str]) -> Rc<str> {
        let mut name = std::mem::take(&mut self.name_buffer);
        name.clear();
        name.push_str(&self.macro_prefix);
        for part in parts {
            name.push('_');
            let start = name.len();
            name.push_str(part);
            name[start..].make_ascii_uppercase();
        }
        let name_macro = self.unique_macro(&mut name);
        self.name_buffer = name;
        name_macro
    }

    /// Notes that the header uses a declared type (`fleet.geometry.Pose`): its C name
    /// (`fleet_geometry_Pose`), and the header of its package when that is another package.
    pub(super) fn note_declared(&mut self, qualified: &'m str) {
        if self.declared.contains_key(qualified) {
            return;
        }
        let (owner, _) = qualified.rsplit_once('.').expect("qualified name");
        if owner != self.package.name {
            self.includes.insert(file_name(owner, Language::C));
        }
        self.declared.insert(qualified, qualified.replace('.', "_"));
    }

    /// The C name of a declared type (`fleet.geometry.Pose` → `fleet_geometry_Pose`), noting
    /// the header to include when it belongs to another package.
    pub(super) fn named(&mut self, qualified: &'m str) -> String {
        self.note_declared(qualified);
        self.declared[qualified].clone()
    }

    /// A field or variant name as a C member name ([`member_ident`]), found once per name.
    pub(super) fn member_name(&mut self, name: &'m str) -> Cow<'m, str> {
        if let Some(ident) = self.member_names.get(name) {
            return ident.clone();
        }
        let ident = member_ident(name);
        self.member_names.insert(name, ident.clone());
        ident
    }

    /// The C type of a non-array type. Declared types must have been noted
    /// ([`Self::note_declared`]) and containers emitted.
    pub(super) fn type_name(&self, ty: &Ty) -> &str {
        match &ty.kind {
            TyKind::Scalar { scalar } => c_scalar_type(*scalar),
            TyKind::Named { name, .. } => self
                .declared
                .get(name.as_str())
                .expect("declared types are noted before use"),
            TyKind::Array { .. } => unreachable!("arrays are declarators, not type names"),
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => self.container(ty),
        }
    }

    /// The C name of a container type of the model, emitted before.
    fn container(&self, ty: &Ty) -> &str {
        let index = self
            .container_at
            .get(&std::ptr::from_ref(ty))
            .expect("containers are emitted before use");
        &self.container_names[*index]
    }

    /// A declaration of `declarator` with type `ty`: `float gains[3]`, `uint8_t beacon[4][2]`.
    pub(super) fn decl<'a>(&'a self, ty: &'a Ty, declarator: &'a str) -> Decl<'a> {
        let mut base = ty;
        while let TyKind::Array { element, .. } = &base.kind {
            base = element;
        }
        Decl {
            base: self.type_name(base),
            declarator,
            ty,
        }
    }
}

/// A declaration of a declarator with a type (see [`PackageGen::decl`]).
pub(super) struct Decl<'a> {
    /// The C type without the array dimensions.
    base: &'a str,
    declarator: &'a str,
    /// The whole type, whose array dimensions follow the declarator.
    ty: &'a Ty,
}

impl Decl<'_> {
    pub(super) fn write_to(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(self.base)?;
        out.write_str(" ")?;
        out.write_str(self.declarator)?;
        let mut ty = self.ty;
        while let TyKind::Array { element, len } = &ty.kind {
            out.write_str("[")?;
            write_u64(out, *len)?;
            out.write_str("]")?;
            ty = element;
        }
        Ok(())
    }
}

writable!(Decl);

/// A field or variant name as a C member name.
pub(super) fn member_ident(name: &str) -> Cow<'_, str> {
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
        Cow::Owned(format!("{name}_"))
    } else {
        escaped
    }
}

/// Names for padding members (`_pad0`, `_pad1`...), avoiding the names of the other
/// `members`. (Two padding names never meet: each has its own number.)
pub(super) fn padding_names<'n>(
    padding: &[Padding],
    members: impl IntoIterator<Item = &'n str>,
) -> Vec<String> {
    let clashing: Vec<&str> = members
        .into_iter()
        .filter(|member| member.starts_with("_pad"))
        .collect();
    (0..padding.len())
        .map(|index| {
            let mut name = String::with_capacity(8);
            name.push_str("_pad");
            write_u64(&mut name, index as u64).expect("writing to a String");
            while clashing.contains(&name.as_str()) {
                name.push('_');
            }
            name
        })
        .collect()
}

/// `name`, or `name` with trailing `_`s when it is in `taken`, now taken: the one rule for
/// the members of a struct and the macros and identifiers of a header.
pub(super) fn unique_member(mut name: String, taken: &mut FxHashSet<String>) -> String {
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
