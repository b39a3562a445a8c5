//! Union classes (base `_Union`): `{ tag, payload }` with a nested `Tag` IntEnum of the
//! variants and a nested `Payload` ctypes union of their payloads plus `_raw`, the payload
//! area's bytes.

use std::collections::HashSet;

use interop_idl::model::{TypeDef, UnionDef};

use super::fields::{assertion, ClassFields};
use super::naming::unique;
use super::templates::{render, UnionTemplate, VariantView};
use super::text::{comments, type_docstring};
use super::type_exprs::scalar_ctype;
use super::PackageGen;
use crate::names::{python_enum_member, python_member};

impl PackageGen<'_> {
    /// The class of union `def`, whose variants and layout are `union`.
    pub(super) fn union_class(&mut self, def: &TypeDef, union: &UnionDef) -> String {
        let name = self.global(&self.package.name, &def.name);
        let mut variants: Vec<VariantView> = Vec::with_capacity(union.variants.len());
        let (mut fields_used, mut members_used) = (HashSet::new(), HashSet::new());
        for variant in &union.variants {
            let field = unique(python_member(&variant.name), &mut fields_used);
            let (ctype, conv) = match &variant.payload {
                Some(payload) => {
                    let ctype = self.ctype(payload);
                    // `conv` is written in the union's class body, where `Tag` and `Payload`
                    // are its own.
                    self.shadowed = &["Tag", "Payload"];
                    let conv = self.conv(payload);
                    self.shadowed = &[];
                    (Some(ctype), conv)
                }
                None => (None, "None".into()),
            };
            variants.push(VariantView {
                comments: comments(&variant.docs, "        ", "# "),
                idl: variant.name.clone(),
                member: unique(python_enum_member(&variant.name), &mut members_used),
                field,
                tag: variant.tag,
                ctype,
                conv,
            });
        }

        let mut fields = ClassFields::default();
        fields.field("tag", scalar_ctype(union.tag), 0);
        let mut paddings = union.padding.iter().peekable();
        while let Some(pad) = paddings.next_if(|pad| pad.offset <= union.payload_offset) {
            fields.pad(pad.offset, pad.size);
        }
        fields.field("payload", "Payload", union.payload_offset);
        for pad in paddings {
            fields.pad(pad.offset, pad.size);
        }
        // Every payload, and `_raw`, starts at the payload area's first byte.
        let payload_offsets = variants
            .iter()
            .filter(|variant| variant.ctype.is_some())
            .map(|variant| (variant.field.as_str(), 0))
            .chain([("_raw", 0)]);
        let payload_assertion = assertion(
            &format!("{name}.Payload"),
            union.payload_size,
            payload_offsets,
        );
        render(&UnionTemplate {
            decorator: self.decorator(&def.qualified_name, &def.fingerprint, &[]),
            docstring: type_docstring(&def.docs, "union", &def.qualified_name, def.size),
            variants,
            payload_size: union.payload_size,
            payload_assertion,
            assertion: fields.assertion(&name, def.size),
            fields: fields.fields,
            name,
        })
    }
}
