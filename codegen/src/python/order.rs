//! The order of definitions: ctypes needs a class before a use by value, so every declared
//! type is emitted after the types of its package it holds, and after its inline containers.

use interop_idl::model::{Ty, TyKind, TypeDef, TypeKind};

use super::structs::ClassInfo;
use super::PackageGen;
use crate::names::containers_in;

impl<'m> PackageGen<'m> {
    /// Emits a declared type of this package after everything it holds by value.
    pub(super) fn emit_type(&mut self, def: &'m TypeDef) {
        if !self.emitted.insert(&def.qualified_name) {
            return;
        }
        match &def.kind {
            TypeKind::Struct(structure) => {
                for field in &structure.fields {
                    self.emit_dependencies(&field.ty);
                }
                let info = ClassInfo {
                    name: &def.name,
                    qualified_name: &def.qualified_name,
                    fingerprint: &def.fingerprint,
                    docs: &def.docs,
                    keyword: "struct",
                    size: def.size,
                };
                let item = self.struct_class(&info, structure);
                self.items.push(item);
            }
            TypeKind::Union(union) => {
                for payload in union.variants.iter().filter_map(|v| v.payload.as_ref()) {
                    self.emit_dependencies(payload);
                }
                let item = self.union_class(def, union);
                self.items.push(item);
            }
            TypeKind::Enum(members) => {
                let item = self.enum_class(def, members, false);
                self.items.push(item);
            }
            TypeKind::Flags(members) => {
                let item = self.enum_class(def, members, true);
                self.items.push(item);
            }
        }
    }

    /// Emits the declared types of this package that `ty` uses, then its containers.
    fn emit_dependencies(&mut self, ty: &'m Ty) {
        self.emit_named(ty);
        self.emit_containers(ty);
    }

    /// Emits the declared types of this package that `ty` names, at any depth.
    fn emit_named(&mut self, ty: &'m Ty) {
        match &ty.kind {
            TyKind::Named { name, .. } => {
                let model = self.model;
                if let Some(def) = self.own_type(name) {
                    self.emit_type(def);
                } else {
                    debug_assert!(model.find_type(name).is_some(), "the model holds {name}");
                }
            }
            TyKind::Array { element, .. } | TyKind::Vec { element, .. } => self.emit_named(element),
            TyKind::Optional { value, .. } => self.emit_named(value),
            TyKind::Scalar { .. } | TyKind::String { .. } | TyKind::Bytes { .. } => {}
        }
    }

    /// Emits the container classes `ty` uses that this module does not define yet.
    pub(super) fn emit_containers(&mut self, ty: &'m Ty) {
        let mut used = Vec::new();
        containers_in(ty, &mut used);
        for container in used {
            let name = self.container_class(container);
            if !self.containers.contains(&name) {
                let item = self.container_item(&name, container);
                self.items.push(item);
                self.containers.insert(name);
            }
        }
    }
}
