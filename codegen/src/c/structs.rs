//! Structs and unions as C structs: fields, tag and payload at the model's offsets, a padding
//! member for every padding range, and static assertions of every size, alignment and offset.

use std::collections::HashSet;

use interop_idl::model::{Field, Padding, StructDef, TypeDef, UnionDef};

use super::comments::doc_comment;
use super::constants::int_literal;
use super::idents::{member_ident, padding_names, unique_member};
use super::templates::{render, Assert, Define, Member, StructTemplate};
use super::PackageGen;
use crate::names::c_scalar_type;

impl PackageGen<'_> {
    /// A struct (declared or generated message): fields and padding members in offset order.
    pub(super) fn structure(
        &mut self,
        name: &str,
        docs: String,
        structure: &StructDef,
        size: u64,
        align: u64,
        defines: Vec<Define>,
    ) -> String {
        let field_names: Vec<String> = structure
            .fields
            .iter()
            .map(|field| member_ident(&field.name))
            .collect();
        let mut taken: HashSet<String> = field_names.iter().cloned().collect();
        let pad_names = padding_names(&structure.padding, &mut taken);
        /// A field or a padding range, with its member name.
        enum Part<'a> {
            Field(&'a Field, &'a str),
            Pad(&'a Padding, &'a str),
        }
        let mut parts: Vec<(u64, Part<'_>)> = structure
            .fields
            .iter()
            .zip(&field_names)
            .map(|(field, ident)| (field.offset, Part::Field(field, ident)))
            .chain(
                structure
                    .padding
                    .iter()
                    .zip(&pad_names)
                    .map(|(pad, ident)| (pad.offset, Part::Pad(pad, ident))),
            )
            .collect();
        parts.sort_by_key(|(offset, _)| *offset);
        let mut members = Vec::new();
        let mut asserts = vec![Assert::size(name, size), Assert::alignment(name, align)];
        for (offset, part) in parts {
            match part {
                Part::Field(field, ident) => {
                    members.push(Member {
                        docs: doc_comment(&field.docs, "    "),
                        decl: self.decl(&field.ty, ident),
                        union_members: Vec::new(),
                    });
                    asserts.push(Assert::offset(name, ident, offset));
                }
                Part::Pad(pad, ident) => {
                    members.push(Member::padding(ident, pad.size));
                    asserts.push(Assert::offset(name, ident, offset));
                }
            }
        }
        render(&StructTemplate {
            docs,
            name: name.to_owned(),
            members,
            defines,
            asserts,
            helpers: String::new(),
        })
    }

    /// A union: its tag, the inline union of its payloads and its padding members.
    pub(super) fn union(&mut self, def: &TypeDef, union: &UnionDef) -> String {
        let name = format!("{}_{}", self.prefix, def.name);
        let variant_names: Vec<String> = union
            .variants
            .iter()
            .map(|variant| member_ident(&variant.name))
            .collect();
        let mut inner_taken: HashSet<String> = variant_names.iter().cloned().collect();
        let bytes_name = unique_member("_bytes".to_owned(), &mut inner_taken);
        let mut taken: HashSet<String> = ["tag".to_owned(), "payload".to_owned()].into();
        let pad_names = padding_names(&union.padding, &mut taken);

        let mut defines: Vec<Define> = union
            .variants
            .iter()
            .map(|variant| Define {
                docs: doc_comment(&variant.docs, ""),
                name: self.macro_name(&[&def.name, &variant.name]),
                value: format!(
                    "(({}){})",
                    c_scalar_type(union.tag),
                    int_literal(variant.tag, union.tag, false)
                ),
            })
            .collect();
        self.type_metadata(
            &def.name,
            &def.fingerprint.to_hex(),
            &def.qualified_name,
            &mut defines,
        );

        // (offset, member name, member) in offset order: the tag, the payload (when any
        // variant has one) and the padding ranges of the model.
        let mut parts: Vec<(u64, String, Member)> = vec![(
            0,
            "tag".to_owned(),
            Member::plain(format!("{} tag", c_scalar_type(union.tag))),
        )];
        if union.payload_size > 0 {
            let mut inner = Vec::new();
            for (variant, ident) in union.variants.iter().zip(&variant_names) {
                if let Some(payload) = &variant.payload {
                    inner.push(Member {
                        docs: doc_comment(&variant.docs, "        "),
                        decl: self.decl(payload, ident),
                        union_members: Vec::new(),
                    });
                }
            }
            inner.push(Member {
                docs: "        /** The payload area as bytes. */\n".to_owned(),
                decl: format!("uint8_t {bytes_name}[{}]", union.payload_size),
                union_members: Vec::new(),
            });
            let payload = Member {
                docs: String::new(),
                decl: "payload".to_owned(),
                union_members: inner,
            };
            parts.push((union.payload_offset, "payload".to_owned(), payload));
        }
        for (pad, ident) in union.padding.iter().zip(&pad_names) {
            parts.push((pad.offset, ident.clone(), Member::padding(ident, pad.size)));
        }
        parts.sort_by_key(|(offset, _, _)| *offset);
        let mut asserts = vec![
            Assert::size(&name, def.size),
            Assert::alignment(&name, def.align),
        ];
        for (offset, ident, _) in &parts {
            asserts.push(Assert::offset(&name, ident, *offset));
        }
        if union.payload_size > 0 {
            asserts.push(Assert {
                condition: format!(
                    "sizeof(((const {name} *)0)->payload) == {}",
                    union.payload_size
                ),
                message: format!("{name}.payload: size"),
            });
        }
        render(&StructTemplate {
            docs: doc_comment(&def.docs, ""),
            name,
            members: parts.into_iter().map(|(_, _, member)| member).collect(),
            defines,
            asserts,
            helpers: String::new(),
        })
    }
}
