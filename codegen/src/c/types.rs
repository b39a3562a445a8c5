//! The order of a header's definitions: each declared type and generated message after the
//! types and containers it uses (C needs a definition before a use by value), with the
//! fingerprint and descriptor index macros of each.

use interop_idl::fingerprint::Fingerprint;
use interop_idl::model::{Message, Method, MethodKind, Ty, TyKind, TypeDef, TypeKind};

use super::comments::doc_comment;
use super::constants::HEX_DIGITS;
use super::templates::Define;
use super::PackageGen;
use crate::decimal::write_u64;
use crate::names::containers_in;

impl<'m> PackageGen<'m> {
    /// Emits `def` after the types of this package it contains and the containers it uses.
    pub(super) fn emit_type(&mut self, def: &'m TypeDef) {
        if !self.visited.insert(&def.qualified_name) {
            return;
        }
        match &def.kind {
            TypeKind::Struct(structure) => {
                self.emit_dependencies(structure.fields.iter().map(|field| &field.ty));
            }
            TypeKind::Union(union) => {
                self.emit_dependencies(union.variants.iter().filter_map(|v| v.payload.as_ref()));
            }
            TypeKind::Enum(_) | TypeKind::Flags(_) => {}
        }
        match &def.kind {
            TypeKind::Enum(members) => self.emit_scalar_type(def, members, false),
            TypeKind::Flags(members) => self.emit_scalar_type(def, members, true),
            TypeKind::Struct(structure) => {
                let name = [&self.prefix, "_", &def.name].concat();
                let mut defines = Vec::new();
                self.type_metadata(
                    &def.name,
                    &def.fingerprint,
                    &def.qualified_name,
                    &mut defines,
                );
                self.emit_structure(
                    &name,
                    doc_comment(&def.docs, ""),
                    structure,
                    def.size,
                    def.align,
                    defines,
                );
            }
            TypeKind::Union(union) => self.emit_union(def, union),
        }
    }

    /// Emits the declared types of this package and the containers that `used` refer to, and
    /// notes the packages of the others.
    fn emit_dependencies<I>(&mut self, used: I)
    where
        I: Iterator<Item = &'m Ty> + Clone,
    {
        for ty in used.clone() {
            self.emit_named_in(ty);
        }
        let mut containers = std::mem::take(&mut self.container_buffer);
        for ty in used {
            containers.clear();
            containers_in(ty, &mut containers);
            for container in containers.drain(..) {
                self.emit_container(container);
            }
        }
        self.container_buffer = containers;
    }

    /// Emits the declared types of this package that `ty` refers to (through arrays and
    /// containers) and notes the others.
    fn emit_named_in(&mut self, ty: &'m Ty) {
        match &ty.kind {
            TyKind::Named { name, .. } => {
                self.note_declared(name);
                if let Some(def) = self.own_types.get(name.as_str()).copied() {
                    self.emit_type(def);
                }
            }
            TyKind::Array { element, .. } | TyKind::Vec { element, .. } => {
                self.emit_named_in(element);
            }
            TyKind::Optional { value, .. } => self.emit_named_in(value),
            TyKind::Scalar { .. } | TyKind::String { .. } | TyKind::Bytes { .. } => {}
        }
    }

    /// The fingerprint and descriptor index macros of a type or message.
    pub(super) fn type_metadata(
        &mut self,
        name: &str,
        fingerprint: &Fingerprint,
        qualified: &str,
        defines: &mut Vec<Define<'_>>,
    ) {
        let mut value = String::with_capacity(66);
        value.push('"');
        for byte in fingerprint.0 {
            value.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            value.push(char::from(HEX_DIGITS[usize::from(byte & 0xf)]));
        }
        value.push('"');
        defines.push(Define::plain(
            self.macro_name(&[name, "FINGERPRINT"]),
            value,
        ));
        let index = *self
            .indices
            .get(qualified)
            .expect("the descriptor holds every type and message");
        let mut value = String::with_capacity(11);
        write_u64(&mut value, u64::from(index)).expect("writing to a String");
        value.push('u');
        defines.push(Define::plain(
            self.macro_name(&[name, "DESCRIPTOR_INDEX"]),
            value,
        ));
    }

    /// Emits the generated message structs of the package's services, in declaration order:
    /// each method's request (or event), then its reply.
    pub(super) fn emit_messages(&mut self) {
        for method in self
            .package
            .services
            .iter()
            .flat_map(|service| &service.methods)
        {
            for (role, message) in [("request", &method.params), ("reply", &method.results)] {
                if let Some(message) = message {
                    let role = if method.kind == MethodKind::Event {
                        "event"
                    } else {
                        role
                    };
                    self.emit_message(method, role, message);
                }
            }
        }
    }

    /// Emits the struct of `message`, the `role` (request, reply or event) of `method`.
    fn emit_message(&mut self, method: &'m Method, role: &str, message: &'m Message) {
        self.emit_dependencies(message.layout.fields.iter().map(|field| &field.ty));
        let name = [&self.prefix, "_", &message.name].concat();
        let about = [
            "The ",
            role,
            " of `",
            &method.qualified_name,
            "` (",
            method.kind.keyword(),
            ").",
        ];
        let text = if method.docs.is_empty() {
            about.concat()
        } else {
            [&[method.docs.as_str(), "\n\n"][..], &about]
                .concat()
                .concat()
        };
        let mut defines = Vec::new();
        let qualified = [&self.package.name, ".", &message.name].concat();
        self.type_metadata(
            &message.name,
            &message.fingerprint,
            &qualified,
            &mut defines,
        );
        self.emit_structure(
            &name,
            doc_comment(&text, ""),
            &message.layout,
            message.size,
            message.align,
            defines,
        );
    }
}
