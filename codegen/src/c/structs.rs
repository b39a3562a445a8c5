//! Structs and unions as C structs: fields, tag and payload at the model's offsets, a padding
//! member for every padding range, and static assertions of every size, alignment and offset.

use std::borrow::Cow;

use interop_idl::model::{Padding, StructDef, TypeDef, UnionDef};

use super::comments::{doc_comment, DocComment};
use super::constants::int_literal;
use super::idents::{padding_names, unique_member};
use super::templates::{Define, Member, MemberDecl, PayloadMember, StructTemplate};
use super::{push_block, PackageGen};
use crate::names::c_scalar_type;

impl<'m> PackageGen<'m> {
    /// Emits a struct (declared or generated message): fields and padding members in offset
    /// order.
    pub(super) fn emit_structure(
        &mut self,
        name: &str,
        docs: DocComment<'_>,
        structure: &'m StructDef,
        size: u64,
        align: u64,
        defines: Vec<Define<'_>>,
    ) {
        let field_names: Vec<Cow<'m, str>> = structure
            .fields
            .iter()
            .map(|field| self.member_name(&field.name))
            .collect();
        let mut blocks = std::mem::take(&mut self.blocks);
        let pad_names = padding_names(&structure.padding, field_names.iter().map(|n| &**n));
        let mut members = Vec::with_capacity(field_names.len() + pad_names.len());
        for (field, ident) in structure.fields.iter().zip(&field_names) {
            members.push(Member {
                name: ident,
                offset: field.offset,
                docs: doc_comment(&field.docs, "    "),
                decl: MemberDecl::Typed(self.decl(&field.ty, ident)),
                union_members: Vec::new(),
            });
        }
        push_padding(&mut members, &structure.padding, &pad_names);
        let template = StructTemplate {
            docs,
            name,
            size,
            align,
            members,
            defines,
            payload_size: None,
            helpers: None,
        };
        push_block(&mut blocks, &template);
        drop(template);
        self.blocks = blocks;
    }

    /// Emits a union: its tag, the inline union of its payloads and its padding members.
    pub(super) fn emit_union(&mut self, def: &'m TypeDef, union: &'m UnionDef) {
        let name = [&self.prefix, "_", &def.name].concat();
        let variant_names: Vec<Cow<'m, str>> = union
            .variants
            .iter()
            .map(|variant| self.member_name(&variant.name))
            .collect();
        let mut inner_taken = variant_names
            .iter()
            .map(|name| name.clone().into_owned())
            .collect();
        let bytes_name = unique_member("_bytes".to_owned(), &mut inner_taken);
        let pad_names = padding_names(&union.padding, ["tag", "payload"]);

        let tag_type = c_scalar_type(union.tag);
        let mut defines: Vec<Define<'m>> = union
            .variants
            .iter()
            .map(|variant| Define {
                docs: doc_comment(&variant.docs, ""),
                name: self.macro_name(&[&def.name, &variant.name]),
                value: [
                    "((",
                    tag_type,
                    ")",
                    &int_literal(variant.tag, union.tag, false),
                    ")",
                ]
                .concat(),
            })
            .collect();
        self.type_metadata(
            &def.name,
            &def.fingerprint,
            &def.qualified_name,
            &mut defines,
        );
        let mut blocks = std::mem::take(&mut self.blocks);

        let tag_decl = [tag_type, " tag"].concat();
        let mut members = vec![Member::plain("tag", 0, MemberDecl::Text(&tag_decl))];
        if union.payload_size > 0 {
            let mut payloads = Vec::with_capacity(union.variants.len() + 1);
            for (variant, ident) in union.variants.iter().zip(&variant_names) {
                if let Some(payload) = &variant.payload {
                    payloads.push(PayloadMember {
                        docs: doc_comment(&variant.docs, "        "),
                        decl: MemberDecl::Typed(self.decl(payload, ident)),
                    });
                }
            }
            payloads.push(PayloadMember {
                docs: doc_comment("The payload area as bytes.", "        "),
                decl: MemberDecl::Bytes {
                    name: &bytes_name,
                    len: union.payload_size,
                },
            });
            members.push(Member {
                name: "payload",
                offset: union.payload_offset,
                docs: DocComment::NONE,
                decl: MemberDecl::Text("payload"),
                union_members: payloads,
            });
        }
        push_padding(&mut members, &union.padding, &pad_names);
        let template = StructTemplate {
            docs: doc_comment(&def.docs, ""),
            name: &name,
            size: def.size,
            align: def.align,
            members,
            defines,
            payload_size: (union.payload_size > 0).then_some(union.payload_size),
            helpers: None,
        };
        push_block(&mut blocks, &template);
        drop(template);
        self.blocks = blocks;
    }
}

/// Adds the padding (`uint8_t _pad0[3]`, named `names`) to `members`, then puts them all in
/// offset order (stable, and no two members share an offset).
fn push_padding<'a>(members: &mut Vec<Member<'a>>, padding: &[Padding], names: &'a [String]) {
    for (pad, ident) in padding.iter().zip(names) {
        let decl = MemberDecl::Bytes {
            name: ident,
            len: pad.size,
        };
        members.push(Member::plain(ident, pad.offset, decl));
    }
    members.sort_by_key(|member| member.offset);
}
