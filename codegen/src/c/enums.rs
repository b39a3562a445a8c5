//! Enums and flags: a fixed-width typedef, one macro per member, the mask of flags and the
//! name function of enums.

use interop_idl::model::{EnumDef, TypeDef};

use super::comments::doc_comment;
use super::constants::int_literal;
use super::templates::{Define, ScalarTypeTemplate};
use super::{push_block, PackageGen};
use crate::names::c_scalar_type;

impl<'m> PackageGen<'m> {
    /// Emits the block of an enum, or of flags when `flags`.
    pub(super) fn emit_scalar_type(&mut self, def: &'m TypeDef, members: &'m EnumDef, flags: bool) {
        let name = [&self.prefix, "_", &def.name].concat();
        let mut defines: Vec<Define<'m>> = members
            .members
            .iter()
            .map(|member| Define {
                docs: doc_comment(&member.docs, ""),
                name: self.macro_name(&[&def.name, &member.name]),
                value: [
                    "((",
                    &name,
                    ")",
                    &int_literal(member.value, members.repr, flags),
                    ")",
                ]
                .concat(),
            })
            .collect();
        if flags {
            let mask = members
                .members
                .iter()
                .fold(0i128, |mask, member| mask | member.value);
            defines.push(Define {
                docs: doc_comment("Every member: the bits a valid value may have.", ""),
                name: self.macro_name(&[&def.name, "ALL"]),
                value: [
                    "((",
                    &name,
                    ")",
                    &int_literal(mask, members.repr, true),
                    ")",
                ]
                .concat(),
            });
        }
        self.type_metadata(
            &def.name,
            &def.fingerprint,
            &def.qualified_name,
            &mut defines,
        );
        let name_function = (!flags).then(|| self.unique_ident(format!("{name}_name")));
        let template = ScalarTypeTemplate {
            docs: doc_comment(&def.docs, ""),
            keyword: if flags { "flags" } else { "enum" },
            name: &name,
            base: c_scalar_type(members.repr),
            members: defines,
            name_function,
            idl_members: &members.members,
        };
        push_block(&mut self.blocks, &template);
    }
}
