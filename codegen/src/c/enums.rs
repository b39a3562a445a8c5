//! Enums and flags: a fixed-width typedef, one macro per member, the mask of flags and the
//! name function of enums.

use interop_idl::model::{EnumDef, TypeDef};

use super::comments::doc_comment;
use super::constants::int_literal;
use super::templates::{render, Define, ScalarTypeTemplate};
use super::PackageGen;
use crate::names::c_scalar_type;

impl PackageGen<'_> {
    /// The block of an enum, or of flags when `flags`.
    pub(super) fn scalar_type(&mut self, def: &TypeDef, members: &EnumDef, flags: bool) -> String {
        let name = format!("{}_{}", self.prefix, def.name);
        let mut defines: Vec<Define> = members
            .members
            .iter()
            .map(|member| Define {
                docs: doc_comment(&member.docs, ""),
                name: self.macro_name(&[&def.name, &member.name]),
                value: format!(
                    "(({name}){})",
                    int_literal(member.value, members.repr, flags)
                ),
            })
            .collect();
        let member_names = members
            .members
            .iter()
            .zip(&defines)
            .map(|(member, define)| (define.name.clone(), member.name.clone()))
            .collect();
        if flags {
            let mask = members
                .members
                .iter()
                .fold(0i128, |mask, member| mask | member.value);
            defines.push(Define {
                docs: "/** Every member: the bits a valid value may have. */\n".to_owned(),
                name: self.macro_name(&[&def.name, "ALL"]),
                value: format!("(({name}){})", int_literal(mask, members.repr, true)),
            });
        }
        self.type_metadata(
            &def.name,
            &def.fingerprint.to_hex(),
            &def.qualified_name,
            &mut defines,
        );
        let name_function = (!flags).then(|| self.unique_ident(format!("{name}_name")));
        render(&ScalarTypeTemplate {
            docs: doc_comment(&def.docs, ""),
            keyword: if flags { "flags" } else { "enum" },
            name,
            base: c_scalar_type(members.repr),
            members: defines,
            name_function,
            member_names,
        })
    }
}
