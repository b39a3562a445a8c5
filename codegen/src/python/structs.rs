//! Struct classes (base `_Struct`): the declared structs, and the generated message structs of
//! a package's services.

use std::collections::HashSet;

use interop_idl::model::{Fingerprint, Message, Method, MethodKind, Service, StructDef};

use super::fields::ClassFields;
use super::naming::unique;
use super::templates::{render, ConverterView, FieldView, StructTemplate};
use super::text::{comments, type_docstring};
use super::type_exprs::TypeExprs;
use super::PackageGen;
use crate::names::python_member;

/// What a struct class states about itself besides its fields.
pub(super) struct ClassInfo<'a> {
    pub(super) name: &'a str,
    pub(super) qualified_name: &'a str,
    pub(super) fingerprint: &'a Fingerprint,
    pub(super) docs: &'a str,
    /// `struct` or `message`.
    pub(super) keyword: &'static str,
    pub(super) size: u64,
}

impl<'m> PackageGen<'m> {
    /// Emits the message structs of every method of `service`, each after its containers.
    pub(super) fn emit_messages(&mut self, service: &'m Service) {
        let package = self.package;
        for method in &service.methods {
            for message in [&method.params, &method.results].into_iter().flatten() {
                for field in &message.layout.fields {
                    self.emit_containers(&field.ty);
                }
                let qualified = format!("{}.{}", package.name, message.name);
                let docs = format!(
                    "The {} of {}.",
                    role(message, method),
                    method.qualified_name
                );
                let info = ClassInfo {
                    name: &message.name,
                    qualified_name: &qualified,
                    fingerprint: &message.fingerprint,
                    docs: &docs,
                    keyword: "message",
                    size: message.size,
                };
                let item = self.struct_class(&info, &message.layout);
                self.items.push(item);
            }
        }
    }

    /// A declared struct or a generated message.
    pub(super) fn struct_class(&mut self, info: &ClassInfo<'_>, layout: &StructDef) -> String {
        let ClassInfo {
            name,
            qualified_name,
            docs,
            keyword,
            size,
            ..
        } = *info;
        let mut fields = ClassFields::with_capacity(layout.fields.len() + layout.padding.len());
        let mut converters = Vec::with_capacity(layout.fields.len());
        let mut renamed = Vec::new();
        let mut paddings = layout.padding.iter().peekable();
        let mut used = HashSet::with_capacity(layout.fields.len());
        for field in &layout.fields {
            while let Some(pad) = paddings.next_if(|pad| pad.offset < field.offset) {
                fields.pad(pad.offset, pad.size);
            }
            let python = unique(python_member(&field.name), &mut used);
            if python != field.name {
                renamed.push((python.clone(), field.name.clone()));
            }
            let TypeExprs { ctype, conv, hint } = self.exprs(&field.ty);
            let view = FieldView {
                comments: comments(&field.docs, "        ", "# "),
                name: python.clone(),
                ctype,
            };
            fields.push(view, field.offset);
            converters.push(ConverterView {
                name: python,
                conv,
                hint,
            });
        }
        for pad in paddings {
            fields.pad(pad.offset, pad.size);
        }
        let class = self.global(&self.package.name, name);
        render(&StructTemplate {
            decorator: Some(self.decorator(qualified_name, info.fingerprint, &renamed)),
            docstring: type_docstring(docs, keyword, qualified_name, size),
            base: "_Struct",
            attributes: Vec::new(),
            assertion: fields.assertion(&class, size),
            fields: fields.fields,
            converters,
            name: class,
        })
    }
}

/// What a message is to its method: the request, reply or event.
fn role(message: &Message, method: &Method) -> &'static str {
    let is_params = method
        .params
        .as_ref()
        .is_some_and(|params| params.name == message.name);
    match (method.kind, is_params) {
        (MethodKind::Event, _) => "event",
        (_, true) => "request",
        (_, false) => "reply",
    }
}
