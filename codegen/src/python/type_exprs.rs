//! How a field's type is written in Python: the ctypes type that stores it, the converter of
//! the support code that reads, writes and dumps it, and the type hint of what reading it
//! returns.

use interop_idl::model::{Scalar, Ty, TyKind, TypeDef, TypeKind};

use super::PackageGen;
use crate::names::container_name;

impl<'m> PackageGen<'m> {
    /// The name of the container class of `ty` (`_String16`, `_Vec32OfWaypoint`...).
    pub(super) fn container_class(&self, ty: &Ty) -> String {
        format!(
            "_{}",
            container_name(ty, &self.package.name).expect("a container type")
        )
    }

    /// The declared type named `qualified_name`, of any package.
    fn named_def(&self, qualified_name: &str) -> &'m TypeDef {
        self.model
            .find_type(qualified_name)
            .expect("the model holds every type it names")
    }

    /// The ctypes type that stores `ty`.
    pub(super) fn ctype(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => scalar_ctype(*scalar).to_owned(),
            TyKind::Named { name, .. } => match &self.named_def(name).kind {
                TypeKind::Enum(members) | TypeKind::Flags(members) => {
                    scalar_ctype(members.repr).to_owned()
                }
                TypeKind::Struct(_) | TypeKind::Union(_) => self.class_ref(name),
            },
            TyKind::Array { element, len } => {
                let element = self.ctype(element);
                if element.contains(' ') {
                    format!("({element}) * {len}")
                } else {
                    format!("{element} * {len}")
                }
            }
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => self.container_class(ty),
        }
    }

    /// The converter (support code) that reads, writes and dumps `ty`.
    pub(super) fn conv(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => scalar_conv(*scalar).to_owned(),
            TyKind::Named { name, .. } => {
                let class = self.class_ref(name);
                match &self.named_def(name).kind {
                    TypeKind::Enum(_) => format!("_Enum({class})"),
                    TypeKind::Flags(_) => format!("_Flags({class})"),
                    TypeKind::Struct(_) | TypeKind::Union(_) => format!("_Nested({class})"),
                }
            }
            TyKind::Array { element, len } => format!("_Array({}, {len})", self.conv(element)),
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => {
                format!("_Nested({})", self.container_class(ty))
            }
        }
    }

    /// The type hint of a field of type `ty` (what reading it returns).
    pub(super) fn hint(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Scalar { scalar } => match scalar {
                Scalar::Bool => "bool".to_owned(),
                Scalar::F32 | Scalar::F64 => "float".to_owned(),
                _ => "int".to_owned(),
            },
            TyKind::Named { name, .. } => self.class_ref(name),
            TyKind::Array { .. } => format!("ctypes.Array[{}]", self.array_element_hint(ty)),
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => self.container_class(ty),
        }
    }

    /// The hint of the elements of array `ty`: `ctypes.Array[...]` again for a nested array.
    fn array_element_hint(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Array { element, .. } => match &element.kind {
                TyKind::Array { .. } => {
                    format!("ctypes.Array[{}]", self.array_element_hint(element))
                }
                _ => self.ctype(element),
            },
            _ => self.ctype(ty),
        }
    }
}

/// The ctypes type of a scalar (`_c_bool` is the support code's one-byte bool).
pub(super) fn scalar_ctype(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Bool => "_c_bool",
        Scalar::U8 => "ctypes.c_uint8",
        Scalar::U16 => "ctypes.c_uint16",
        Scalar::U32 => "ctypes.c_uint32",
        Scalar::U64 => "ctypes.c_uint64",
        Scalar::I8 => "ctypes.c_int8",
        Scalar::I16 => "ctypes.c_int16",
        Scalar::I32 => "ctypes.c_int32",
        Scalar::I64 => "ctypes.c_int64",
        Scalar::F32 => "ctypes.c_float",
        Scalar::F64 => "ctypes.c_double",
    }
}

/// The support code's range-checking converter of a scalar.
fn scalar_conv(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Bool => "_BOOL",
        Scalar::U8 => "_U8",
        Scalar::U16 => "_U16",
        Scalar::U32 => "_U32",
        Scalar::U64 => "_U64",
        Scalar::I8 => "_I8",
        Scalar::I16 => "_I16",
        Scalar::I32 => "_I32",
        Scalar::I64 => "_I64",
        Scalar::F32 => "_F32",
        Scalar::F64 => "_F64",
    }
}
