//! Enum and flags classes: `enum.IntEnum` and `enum.IntFlag` with the IDL's member names.

use std::collections::HashSet;

use interop_idl::model::{EnumDef, TypeDef};

use super::naming::unique;
use super::templates::{render, EnumTemplate, MemberView};
use super::text::{comments, type_docstring};
use super::PackageGen;
use crate::names::python_enum_member;

impl PackageGen<'_> {
    /// The class of enum `def` (of flags `def` when `flags`), whose members are `members`.
    pub(super) fn enum_class(&mut self, def: &TypeDef, members: &EnumDef, flags: bool) -> String {
        let name = self.global(&self.package.name, &def.name);
        let mut renamed = Vec::new();
        let mut used = HashSet::new();
        let members = members
            .members
            .iter()
            .map(|member| {
                let python = unique(python_enum_member(&member.name), &mut used);
                if python != member.name {
                    renamed.push((python.clone(), member.name.clone()));
                }
                MemberView {
                    comments: comments(&member.docs, "    ", "# "),
                    name: python,
                    value: member.value,
                }
            })
            .collect();
        let keyword = if flags { "flags" } else { "enum" };
        render(&EnumTemplate {
            decorator: self.decorator(&def.qualified_name, &def.fingerprint, &renamed),
            name,
            base: if flags { "IntFlag" } else { "IntEnum" },
            docstring: type_docstring(&def.docs, keyword, &def.qualified_name, def.size),
            members,
        })
    }
}
