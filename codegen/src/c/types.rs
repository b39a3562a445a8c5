//! The order of a header's definitions: each declared type and generated message after the
//! types and containers it uses (C needs a definition before a use by value), with the
//! fingerprint and descriptor index macros of each.

use interop_idl::model::{Message, Method, MethodKind, Ty, TyKind, TypeDef, TypeKind};

use super::comments::doc_comment;
use super::templates::Define;
use super::PackageGen;
use crate::names::containers_in;

impl<'m> PackageGen<'m> {
    /// Emits `def` after the types of this package it contains and the containers it uses.
    pub(super) fn emit_type(&mut self, def: &'m TypeDef) {
        if !self.visited.insert(&def.qualified_name) {
            return;
        }
        let used: Vec<&'m Ty> = match &def.kind {
            TypeKind::Struct(structure) => structure.fields.iter().map(|field| &field.ty).collect(),
            TypeKind::Union(union) => union
                .variants
                .iter()
                .filter_map(|v| v.payload.as_ref())
                .collect(),
            TypeKind::Enum(_) | TypeKind::Flags(_) => Vec::new(),
        };
        self.emit_dependencies(&used);
        let block = match &def.kind {
            TypeKind::Enum(members) => self.scalar_type(def, members, false),
            TypeKind::Flags(members) => self.scalar_type(def, members, true),
            TypeKind::Struct(structure) => {
                let name = format!("{}_{}", self.prefix, def.name);
                let mut defines = Vec::new();
                self.type_metadata(
                    &def.name,
                    &def.fingerprint.to_hex(),
                    &def.qualified_name,
                    &mut defines,
                );
                self.structure(
                    &name,
                    doc_comment(&def.docs, ""),
                    structure,
                    def.size,
                    def.align,
                    defines,
                )
            }
            TypeKind::Union(union) => self.union(def, union),
        };
        self.blocks.push(block);
    }

    /// Emits the declared types of this package and the containers that `used` refer to.
    fn emit_dependencies(&mut self, used: &[&'m Ty]) {
        for ty in used {
            let mut named = Vec::new();
            named_types(ty, &mut named);
            for name in named {
                if let Some(def) = self.own_types.get(name).copied() {
                    self.emit_type(def);
                }
            }
        }
        for ty in used {
            let mut containers = Vec::new();
            containers_in(ty, &mut containers);
            for container in containers {
                self.emit_container(container);
            }
        }
    }

    /// The fingerprint and descriptor index macros of a type or message.
    pub(super) fn type_metadata(
        &mut self,
        name: &str,
        fingerprint: &str,
        qualified: &str,
        defines: &mut Vec<Define>,
    ) {
        defines.push(Define {
            docs: String::new(),
            name: self.macro_name(&[name, "FINGERPRINT"]),
            value: format!("\"{fingerprint}\""),
        });
        let index = *self
            .indices
            .get(qualified)
            .expect("the descriptor holds every type and message");
        defines.push(Define {
            docs: String::new(),
            name: self.macro_name(&[name, "DESCRIPTOR_INDEX"]),
            value: format!("{index}u"),
        });
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
        let used: Vec<&'m Ty> = message
            .layout
            .fields
            .iter()
            .map(|field| &field.ty)
            .collect();
        self.emit_dependencies(&used);
        let name = format!("{}_{}", self.prefix, message.name);
        let mut text = format!(
            "The {role} of `{}` ({}).",
            method.qualified_name,
            method.kind.keyword()
        );
        if !method.docs.is_empty() {
            text = format!("{}\n\n{text}", method.docs);
        }
        let mut defines = Vec::new();
        let qualified = format!("{}.{}", self.package.name, message.name);
        self.type_metadata(
            &message.name,
            &message.fingerprint.to_hex(),
            &qualified,
            &mut defines,
        );
        let block = self.structure(
            &name,
            doc_comment(&text, ""),
            &message.layout,
            message.size,
            message.align,
            defines,
        );
        self.blocks.push(block);
    }
}

/// The declared types a type refers to, through arrays and containers.
fn named_types<'t>(ty: &'t Ty, out: &mut Vec<&'t str>) {
    match &ty.kind {
        TyKind::Named { name, .. } => out.push(name),
        TyKind::Array { element, .. } | TyKind::Vec { element, .. } => named_types(element, out),
        TyKind::Optional { value, .. } => named_types(value, out),
        TyKind::Scalar { .. } | TyKind::String { .. } | TyKind::Bytes { .. } => {}
    }
}
