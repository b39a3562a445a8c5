//! How a field's type is written in Python: the ctypes type that stores it, the converter of
//! the support code that reads, writes and dumps it, and the type hint of what reading it
//! returns.

use std::borrow::Cow;

use interop_idl::model::{Scalar, Ty, TyKind, TypeKind};

use super::PackageGen;
use crate::names::container_name;

/// How a type is written in Python: the ctypes type that stores it, the converter that reads,
/// writes and dumps it, and the hint of what reading it returns.
pub(super) struct TypeExprs {
    pub(super) ctype: Cow<'static, str>,
    pub(super) conv: Cow<'static, str>,
    pub(super) hint: Cow<'static, str>,
}

impl PackageGen<'_> {
    /// The name of the container class of `ty` (`_String16`, `_Vec32OfWaypoint`...).
    pub(super) fn container_class(&self, ty: &Ty) -> String {
        let name = container_name(ty, &self.package.name).expect("a container type");
        let mut class = String::with_capacity(name.len() + 1);
        class.push('_');
        class.push_str(&name);
        class
    }

    /// How `ty` is written, all three ways at once (they share the class a type refers to).
    pub(super) fn exprs(&mut self, ty: &Ty) -> TypeExprs {
        match &ty.kind {
            TyKind::Scalar { scalar } => TypeExprs {
                ctype: scalar_ctype(*scalar).into(),
                conv: scalar_conv(*scalar).into(),
                hint: scalar_hint(*scalar).into(),
            },
            TyKind::Named { name, .. } => {
                let (def, class) = self.named_class(name);
                let (ctype, wrapper) = match &def.kind {
                    TypeKind::Enum(members) => (scalar_ctype(members.repr).into(), "_Enum("),
                    TypeKind::Flags(members) => (scalar_ctype(members.repr).into(), "_Flags("),
                    TypeKind::Struct(_) | TypeKind::Union(_) => (class.clone().into(), "_Nested("),
                };
                TypeExprs {
                    ctype,
                    conv: wrapped(wrapper, &class).into(),
                    hint: class.into(),
                }
            }
            TyKind::Array { element, len } => {
                let inner = self.exprs(element);
                let ctype = if inner.ctype.contains(' ') {
                    format!("({}) * {len}", inner.ctype)
                } else {
                    format!("{} * {len}", inner.ctype)
                };
                // A nested array's elements are hinted as arrays again.
                let element_hint = match element.kind {
                    TyKind::Array { .. } => &inner.hint,
                    _ => &inner.ctype,
                };
                TypeExprs {
                    hint: format!("ctypes.Array[{element_hint}]").into(),
                    conv: format!("_Array({}, {len})", inner.conv).into(),
                    ctype: ctype.into(),
                }
            }
            TyKind::String { .. }
            | TyKind::Bytes { .. }
            | TyKind::Vec { .. }
            | TyKind::Optional { .. } => {
                let class = self.container_class(ty);
                TypeExprs {
                    ctype: class.clone().into(),
                    conv: wrapped("_Nested(", &class).into(),
                    hint: class.into(),
                }
            }
        }
    }

    /// The ctypes type that stores `ty`.
    pub(super) fn ctype(&mut self, ty: &Ty) -> Cow<'static, str> {
        self.exprs(ty).ctype
    }

    /// The converter (support code) that reads, writes and dumps `ty`.
    pub(super) fn conv(&mut self, ty: &Ty) -> Cow<'static, str> {
        self.exprs(ty).conv
    }

    /// The type hint of a field of type `ty` (what reading it returns).
    pub(super) fn hint(&mut self, ty: &Ty) -> Cow<'static, str> {
        self.exprs(ty).hint
    }
}

/// `wrapper` (which ends in `(`), then `class` and `)`.
fn wrapped(wrapper: &str, class: &str) -> String {
    let mut text = String::with_capacity(wrapper.len() + class.len() + 1);
    text.push_str(wrapper);
    text.push_str(class);
    text.push(')');
    text
}

/// The type hint of a scalar.
fn scalar_hint(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Bool => "bool",
        Scalar::F32 | Scalar::F64 => "float",
        _ => "int",
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
