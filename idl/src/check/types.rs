//! Types: resolve and check every struct, enum, flags and union; refuse types that contain
//! themselves; lay out and fingerprint the rest, each after the types it contains.

use std::collections::HashMap;

use super::consts::out_of_range;
use super::names::Want;
use super::{scalar_of, Checker, ItemId};
use crate::ast::{self, EnumDecl, Expr, Ident, ItemKind, Scalar, TypeRef, TypeRefKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::fingerprint::{self, Fingerprint};
use crate::graph;
use crate::layout::{self, Extent};
use crate::model::{self, NamedKind, Ty, TyKind, TypeDef, TypeKind};
use crate::source::{FileId, Span};

/// A type with names resolved and lengths evaluated, before layout.
#[derive(Clone, Debug)]
pub(crate) enum Resolved {
    Scalar(Scalar),
    Named(ItemId),
    Array(Box<Resolved>, u64),
    String(u64),
    Bytes(u64),
    Vec(Box<Resolved>, u64),
    Optional(Box<Resolved>),
}

impl Resolved {
    /// Whether laying this out needs the layout of `target`.
    fn uses(&self, target: ItemId) -> bool {
        let mut found = false;
        self.for_each_named(&mut |id| found |= id == target);
        found
    }

    fn for_each_named(&self, visit: &mut dyn FnMut(ItemId)) {
        match self {
            Resolved::Named(id) => visit(*id),
            Resolved::Array(inner, _) | Resolved::Vec(inner, _) | Resolved::Optional(inner) => {
                inner.for_each_named(visit)
            }
            Resolved::Scalar(_) | Resolved::String(_) | Resolved::Bytes(_) => {}
        }
    }
}

/// A field (or parameter) with its resolved type; `ty` is `None` when resolution failed.
pub(crate) struct FieldShape<'a> {
    pub field: &'a ast::Field,
    pub ty: Option<Resolved>,
}

/// A checked declaration, ready to lay out.
enum Shape<'a> {
    Struct(Vec<FieldShape<'a>>),
    Enum(model::EnumDef),
    Flags(model::EnumDef),
    Union {
        tag: Scalar,
        variants: Vec<(&'a ast::Variant, i128, Option<Resolved>)>,
    },
}

impl Shape<'_> {
    fn resolved(&self) -> Vec<&Resolved> {
        match self {
            Shape::Struct(fields) => fields
                .iter()
                .filter_map(|field| field.ty.as_ref())
                .collect(),
            Shape::Union { variants, .. } => variants
                .iter()
                .filter_map(|(_, _, ty)| ty.as_ref())
                .collect(),
            Shape::Enum(_) | Shape::Flags(_) => Vec::new(),
        }
    }
}

/// Why a type could not be laid out.
pub(crate) enum LayoutFailure {
    /// Something it uses has no layout (an error already reported).
    Unavailable,
    /// Its size does not fit 64 bits.
    Overflow,
}

impl<'a> Checker<'a> {
    /// Checks, lays out and fingerprints every declared type.
    pub(super) fn check_types(&mut self) {
        let ids: Vec<ItemId> = (0..self.items.len())
            .filter(|&id| {
                !matches!(
                    self.items[id].item.kind,
                    ItemKind::Const(_) | ItemKind::Service(_)
                )
            })
            .collect();
        // `None`: the declaration has an error and will not be laid out. A struct with an
        // unresolved field keeps its other fields, so that a cycle through them is still found.
        let shapes: Vec<Option<(Shape<'a>, bool)>> = ids.iter().map(|&id| self.shape(id)).collect();
        let index_of: HashMap<ItemId, usize> = ids
            .iter()
            .enumerate()
            .map(|(index, &id)| (id, index))
            .collect();
        let successors: Vec<Vec<usize>> = shapes
            .iter()
            .map(|shape| {
                let mut used = Vec::new();
                for resolved in shape.iter().flat_map(|(shape, _)| shape.resolved()) {
                    resolved.for_each_named(&mut |id| used.push(index_of[&id]));
                }
                used
            })
            .collect();
        let ordering = graph::order(&successors);
        let mut recursive = vec![false; ids.len()];
        for cycle in &ordering.cycles {
            let path: Vec<ItemId> = cycle.iter().map(|&index| ids[index]).collect();
            self.report_recursive(&path, &shapes, &index_of);
            cycle.iter().for_each(|&index| recursive[index] = true);
        }
        for index in ordering.order {
            let (Some((shape, true)), false) = (&shapes[index], recursive[index]) else {
                continue;
            };
            let id = ids[index];
            match self.lay_out_type(id, shape) {
                Ok(def) => {
                    self.type_defs.insert(id, def);
                }
                Err(LayoutFailure::Unavailable) => {}
                Err(LayoutFailure::Overflow) => {
                    let item = self.items[id].item;
                    self.report(
                        Diagnostic::error(
                            Code::TypeTooLarge,
                            item.name.span,
                            format!(
                                "{} `{}` is too large: its size does not fit in 64 bits",
                                item.kind.keyword(),
                                item.name.text
                            ),
                        )
                        .with_label("too large")
                        .with_help("reduce the capacities and array lengths it uses"),
                    );
                }
            }
        }
    }

    /// Resolves and checks a declaration: its shape, and whether it is complete (free of
    /// errors). `None` when nothing of it can be used.
    fn shape(&mut self, id: ItemId) -> Option<(Shape<'a>, bool)> {
        let entry = &self.items[id];
        let (file, item) = (entry.file, entry.item);
        match &item.kind {
            ItemKind::Struct(decl) => {
                if decl.fields.is_empty() {
                    self.report_empty(item, "field", "struct Point { x: f32, y: f32 }");
                    return None;
                }
                self.check_unique(
                    "field",
                    &format!("in struct `{}`", item.name.text),
                    decl.fields.iter().map(|f| &f.name),
                );
                let fields = self.field_shapes(file, &decl.fields);
                let complete = fields.iter().all(|field| field.ty.is_some());
                Some((Shape::Struct(fields), complete))
            }
            ItemKind::Enum(decl) => self
                .enum_shape(file, item, decl, false)
                .map(|def| (Shape::Enum(def), true)),
            ItemKind::Flags(decl) => self
                .enum_shape(file, item, decl, true)
                .map(|def| (Shape::Flags(def), true)),
            ItemKind::Union(decl) => {
                let tag = self.repr(decl.repr.as_ref(), Scalar::U8, "union tag", false);
                if decl.variants.is_empty() {
                    self.report_empty(
                        item,
                        "variant",
                        "union Shape: u8 { Circle(f32) = 1, Empty = 2 }",
                    );
                    return None;
                }
                self.check_unique(
                    "variant",
                    &format!("in union `{}`", item.name.text),
                    decl.variants.iter().map(|v| &v.name),
                );
                let payloads: Vec<Option<Option<Resolved>>> = decl
                    .variants
                    .iter()
                    .map(|variant| match &variant.payload {
                        Some(ty) => self.resolve_type(file, ty).map(Some),
                        None => Some(None),
                    })
                    .collect();
                let tags = self.member_values(
                    file,
                    item,
                    decl.variants.iter().map(|v| (&v.name, v.tag.as_ref())),
                    tag,
                    false,
                );
                let (tag, tags) = (tag?, tags?);
                let variants = decl
                    .variants
                    .iter()
                    .zip(tags)
                    .zip(payloads)
                    .map(|((variant, value), payload)| Some((variant, value, payload?)))
                    .collect::<Option<Vec<_>>>()?;
                Some((Shape::Union { tag, variants }, true))
            }
            ItemKind::Const(_) | ItemKind::Service(_) => unreachable!("not a type"),
        }
    }

    fn enum_shape(
        &mut self,
        file: FileId,
        item: &ast::Item,
        decl: &EnumDecl,
        flags: bool,
    ) -> Option<model::EnumDef> {
        let repr = self.repr(decl.repr.as_ref(), Scalar::U32, item.kind.keyword(), flags);
        if decl.members.is_empty() {
            let example = if flags {
                "flags Caps: u8 { Camera = 0x1, Lidar = 0x2 }"
            } else {
                "enum Mode: u8 { Idle, Running }"
            };
            self.report_empty(item, "member", example);
            return None;
        }
        self.check_unique(
            "member",
            &format!("in {} `{}`", item.kind.keyword(), item.name.text),
            decl.members.iter().map(|m| &m.name),
        );
        let values = self.member_values(
            file,
            item,
            decl.members.iter().map(|m| (&m.name, m.value.as_ref())),
            repr,
            flags,
        )?;
        let members = decl
            .members
            .iter()
            .zip(values)
            .map(|(member, value)| model::Member {
                name: member.name.text.clone(),
                docs: member.docs.text(),
                value,
            })
            .collect();
        Some(model::EnumDef {
            repr: repr?,
            members,
        })
    }

    /// The integer type under an enum, flags or union; `None` when it is not one.
    fn repr(
        &mut self,
        written: Option<&TypeRef>,
        default: Scalar,
        what: &str,
        unsigned: bool,
    ) -> Option<Scalar> {
        let Some(written) = written else {
            return Some(default);
        };
        let scalar = scalar_of(written).filter(|scalar| scalar.integer_range().is_some());
        match scalar {
            Some(scalar)
                if !unsigned || scalar.integer_range().is_some_and(|(min, _)| min == 0) =>
            {
                Some(scalar)
            }
            _ => {
                let kind = if unsigned {
                    "an unsigned integer type (`u8`, `u16`, `u32`, `u64`)"
                } else {
                    "an integer type"
                };
                self.report(
                    Diagnostic::error(
                        Code::InvalidRepr,
                        written.span,
                        format!("the {what} type must be {kind}"),
                    )
                    .with_label("not allowed here")
                    .with_help(format!(
                        "write `{}`, or another {}",
                        default.name(),
                        if unsigned {
                            "unsigned integer type"
                        } else {
                            "integer type"
                        }
                    )),
                );
                None
            }
        }
    }

    /// The values of enum or flags members, or the tags of union variants: explicit, or
    /// implicit (the previous value plus one; for flags, the next bit). Checks that each fits
    /// the type, is unique and, for flags, is a single bit.
    fn member_values<'m>(
        &mut self,
        file: FileId,
        item: &ast::Item,
        members: impl Iterator<Item = (&'m Ident, Option<&'m Expr>)>,
        repr: Option<Scalar>,
        flags: bool,
    ) -> Option<Vec<i128>> {
        let mut values = Vec::new();
        let mut complete = true;
        let mut next: Option<i128> = Some(if flags { 1 } else { 0 });
        let mut first_with: HashMap<i128, &Ident> = HashMap::new();
        let noun = if matches!(item.kind, ItemKind::Union(_)) {
            "tag"
        } else {
            "value"
        };
        for (name, explicit) in members {
            let (value, span, what) = match explicit {
                Some(expr) => (
                    self.evaluate_integer(file, expr),
                    expr.span,
                    noun.to_owned(),
                ),
                None => (next, name.span, format!("implicit {noun}")),
            };
            let Some(value) = value else {
                complete = false;
                next = None;
                continue;
            };
            next = if flags {
                u128::try_from(value)
                    .ok()
                    .and_then(|v| v.checked_add(1))
                    .map(u128::next_power_of_two)
                    .and_then(|v| i128::try_from(v).ok())
            } else {
                value.checked_add(1)
            };
            values.push(value);
            let Some(repr) = repr else { continue };
            let (min, max) = repr.integer_range().expect("checked integer repr");
            if value < min || value > max {
                self.report(
                    out_of_range(Code::ValueOutOfRange, span, value, repr, &what).with_secondary(
                        item.name.span,
                        format!("`{}` is declared as `{}`", item.name.text, repr.name()),
                    ),
                );
                complete = false;
                continue;
            }
            if flags && (value <= 0 || value.count_ones() != 1) {
                let below = if value > 0 {
                    1i128 << (127 - value.leading_zeros())
                } else {
                    1
                };
                self.report(
                    Diagnostic::error(Code::NotSingleBit, span, format!("flags {what} {value:#x} of `{}` is not a single bit", name.text))
                        .with_label("a flags value has exactly one bit set")
                        .with_help(format!("use a power of two such as {below:#x} or {:#x}; combinations are made where the flags are used", below << 1)),
                );
                complete = false;
                continue;
            }
            if let Some(first) = first_with.get(&value) {
                self.report(
                    Diagnostic::error(
                        Code::DuplicateValue,
                        name.span,
                        format!(
                            "{noun} {value} of `{}` repeats the {noun} of `{}`",
                            name.text, first.text
                        ),
                    )
                    .with_label(format!("{noun} {value} again"))
                    .with_secondary(first.span, format!("{noun} {value} first used here"))
                    .with_help(format!(
                        "give each {} its own {noun}",
                        if noun == "tag" { "variant" } else { "member" }
                    )),
                );
                complete = false;
                continue;
            }
            first_with.insert(value, name);
        }
        complete.then_some(values)
    }

    fn report_empty(&mut self, item: &ast::Item, member: &str, example: &str) {
        self.report(
            Diagnostic::error(
                Code::EmptyType,
                item.name.span,
                format!(
                    "{} `{}` has no {member}s",
                    item.kind.keyword(),
                    item.name.text
                ),
            )
            .with_label(format!("declare at least one {member}"))
            .with_help(format!("for example: `{example}`")),
        );
    }

    /// Resolves a list of fields or parameters.
    pub(crate) fn field_shapes<'f>(
        &mut self,
        file: FileId,
        fields: &'f [ast::Field],
    ) -> Vec<FieldShape<'f>> {
        fields
            .iter()
            .map(|field| FieldShape {
                field,
                ty: self.resolve_type(file, &field.ty),
            })
            .collect()
    }

    /// Resolves the names and evaluates the lengths of a type; reports every error in it.
    pub(crate) fn resolve_type(&mut self, file: FileId, ty: &TypeRef) -> Option<Resolved> {
        match &ty.kind {
            TypeRefKind::Scalar(scalar) => Some(Resolved::Scalar(*scalar)),
            TypeRefKind::Named(name) => self.resolve(file, name, Want::Type).map(Resolved::Named),
            TypeRefKind::Array(element, len) => {
                let element = self.resolve_type(file, element);
                let len = self.length(file, len, "array length");
                Some(Resolved::Array(Box::new(element?), len?))
            }
            TypeRefKind::String(capacity) => self
                .length(file, capacity, "string capacity")
                .map(Resolved::String),
            TypeRefKind::Bytes(capacity) => self
                .length(file, capacity, "bytes capacity")
                .map(Resolved::Bytes),
            TypeRefKind::Vec(element, capacity) => {
                let element = self.resolve_type(file, element);
                let capacity = self.length(file, capacity, "vec capacity");
                Some(Resolved::Vec(Box::new(element?), capacity?))
            }
            TypeRefKind::Optional(value) => self
                .resolve_type(file, value)
                .map(|value| Resolved::Optional(Box::new(value))),
        }
    }

    /// A capacity or array length: an integer from 1 to `u32::MAX` (lengths are `u32`).
    fn length(&mut self, file: FileId, expr: &Expr, what: &str) -> Option<u64> {
        let value = self.evaluate_integer(file, expr)?;
        if (1..=i128::from(u32::MAX)).contains(&value) {
            return Some(value as u64);
        }
        let (label, help) = if value < 1 {
            ("must be at least 1", "a container holds at least one element; use `optional<T>` for a value that may be absent")
        } else {
            (
                "must be at most 4294967295",
                "lengths are stored as `u32`; use a smaller capacity",
            )
        };
        self.report(
            Diagnostic::error(
                Code::InvalidLength,
                expr.span,
                format!("{what} must be a positive integer, found {value}"),
            )
            .with_label(label)
            .with_help(help),
        );
        None
    }

    fn report_recursive(
        &mut self,
        path: &[ItemId],
        shapes: &[Option<(Shape<'_>, bool)>],
        index_of: &HashMap<ItemId, usize>,
    ) {
        let mut steps = Vec::new();
        let mut secondary = Vec::new();
        for (position, &id) in path.iter().enumerate() {
            let next = path[(position + 1) % path.len()];
            let (member, span) =
                containing_member(shapes[index_of[&id]].as_ref().map(|(shape, _)| shape), next)
                    .expect("an edge has a member");
            steps.push(format!("`{}.{member}`", self.items[id].item.name.text));
            secondary.push((
                span,
                format!("contains `{}`", self.items[next].item.name.text),
            ));
        }
        let first = self.items[path[0]].item;
        steps.push(format!("`{}`", first.name.text));
        let mut diagnostic = Diagnostic::error(
            Code::RecursiveType,
            first.name.span,
            format!("{} `{}` contains itself: {}", first.kind.keyword(), first.name.text, steps.join(" → ")),
        )
        .with_label("recursive type has infinite size")
        .with_help("every message has a fixed size: break the cycle, for example by storing an id instead of the value");
        for (span, message) in secondary {
            diagnostic = diagnostic.with_secondary(span, message);
        }
        self.report(diagnostic);
    }

    /// Lays out a checked declaration and fingerprints it.
    fn lay_out_type(&self, id: ItemId, shape: &Shape<'_>) -> Result<TypeDef, LayoutFailure> {
        let item = self.items[id].item;
        let (kind, extent) = match shape {
            Shape::Struct(fields) => {
                let (structure, extent) = self.lay_out_fields(fields)?;
                (TypeKind::Struct(structure), extent)
            }
            Shape::Enum(def) => (TypeKind::Enum(def.clone()), layout::scalar(def.repr.size())),
            Shape::Flags(def) => (
                TypeKind::Flags(def.clone()),
                layout::scalar(def.repr.size()),
            ),
            Shape::Union { tag, variants } => {
                let mut laid_out = Vec::with_capacity(variants.len());
                for (variant, tag_value, payload) in variants {
                    let payload = payload
                        .as_ref()
                        .map(|payload| self.lay_out(payload))
                        .transpose()?;
                    laid_out.push(model::Variant {
                        name: variant.name.text.clone(),
                        docs: variant.docs.text(),
                        tag: *tag_value,
                        payload,
                    });
                }
                let extents: Vec<Extent> = laid_out
                    .iter()
                    .filter_map(|v| v.payload.as_ref())
                    .map(extent_of)
                    .collect();
                let union = layout::tagged_union(layout::scalar(tag.size()), &extents)
                    .ok_or(LayoutFailure::Overflow)?;
                let def = model::UnionDef {
                    tag: *tag,
                    payload_offset: union.payload_offset,
                    payload_size: union.payload_size,
                    padding: union.padding,
                    variants: laid_out,
                };
                (TypeKind::Union(def), union.extent)
            }
        };
        let mut def = TypeDef {
            name: item.name.text.clone(),
            qualified_name: self.qualified_name(id),
            docs: item.docs.text(),
            size: extent.size,
            align: extent.align,
            fingerprint: Fingerprint([0; 32]),
            kind,
        };
        def.fingerprint = fingerprint::of_type(&def, &|name| self.fingerprint_of(name));
        Ok(def)
    }

    /// Lays out fields in order, as a struct.
    pub(crate) fn lay_out_fields(
        &self,
        fields: &[FieldShape<'_>],
    ) -> Result<(model::StructDef, Extent), LayoutFailure> {
        let tys = fields
            .iter()
            .map(|field| {
                field
                    .ty
                    .as_ref()
                    .ok_or(LayoutFailure::Unavailable)
                    .and_then(|ty| self.lay_out(ty))
            })
            .collect::<Result<Vec<Ty>, _>>()?;
        let extents: Vec<Extent> = tys.iter().map(extent_of).collect();
        let structure = layout::structure(&extents).ok_or(LayoutFailure::Overflow)?;
        let fields = fields
            .iter()
            .zip(tys)
            .zip(&structure.offsets)
            .map(|((field, ty), &offset)| model::Field {
                name: field.field.name.text.clone(),
                docs: field.field.docs.text(),
                ty,
                offset,
            })
            .collect();
        Ok((
            model::StructDef {
                fields,
                padding: structure.padding,
            },
            structure.extent,
        ))
    }

    /// Lays out a resolved type, using the layouts of the declared types it names.
    pub(crate) fn lay_out(&self, resolved: &Resolved) -> Result<Ty, LayoutFailure> {
        let ty = |kind, extent: Extent| Ty {
            kind,
            size: extent.size,
            align: extent.align,
        };
        Ok(match resolved {
            Resolved::Scalar(scalar) => ty(
                TyKind::Scalar { scalar: *scalar },
                layout::scalar(scalar.size()),
            ),
            Resolved::Named(id) => {
                let def = self.type_defs.get(id).ok_or(LayoutFailure::Unavailable)?;
                let kind = match def.kind {
                    TypeKind::Struct(_) => NamedKind::Struct,
                    TypeKind::Enum(_) => NamedKind::Enum,
                    TypeKind::Flags(_) => NamedKind::Flags,
                    TypeKind::Union(_) => NamedKind::Union,
                };
                ty(
                    TyKind::Named {
                        name: def.qualified_name.clone(),
                        kind,
                    },
                    Extent {
                        size: def.size,
                        align: def.align,
                    },
                )
            }
            Resolved::Array(element, len) => {
                let element = self.lay_out(element)?;
                let extent =
                    layout::array(extent_of(&element), *len).ok_or(LayoutFailure::Overflow)?;
                ty(
                    TyKind::Array {
                        element: Box::new(element),
                        len: *len,
                    },
                    extent,
                )
            }
            Resolved::String(capacity) => ty(
                TyKind::String {
                    capacity: *capacity,
                },
                layout::string(*capacity).ok_or(LayoutFailure::Overflow)?,
            ),
            Resolved::Bytes(capacity) => ty(
                TyKind::Bytes {
                    capacity: *capacity,
                },
                layout::string(*capacity).ok_or(LayoutFailure::Overflow)?,
            ),
            Resolved::Vec(element, capacity) => {
                let element = self.lay_out(element)?;
                let (extent, items_offset) =
                    layout::vec(extent_of(&element), *capacity).ok_or(LayoutFailure::Overflow)?;
                ty(
                    TyKind::Vec {
                        element: Box::new(element),
                        capacity: *capacity,
                        items_offset,
                    },
                    extent,
                )
            }
            Resolved::Optional(value) => {
                let value = self.lay_out(value)?;
                let (extent, value_offset) =
                    layout::optional(extent_of(&value)).ok_or(LayoutFailure::Overflow)?;
                ty(
                    TyKind::Optional {
                        value: Box::new(value),
                        value_offset,
                    },
                    extent,
                )
            }
        })
    }

    /// The fingerprint of a laid-out type, by qualified name.
    pub(crate) fn fingerprint_of(&self, qualified_name: &str) -> Fingerprint {
        let (package, name) = qualified_name.rsplit_once('.').expect("qualified name");
        let package = self
            .packages
            .iter()
            .position(|p| p.name == package)
            .expect("known package");
        self.type_defs[&self.names[&(package, name)]].fingerprint
    }
}

/// The field or variant of `shape` through which it contains `target`, with its span.
fn containing_member(shape: Option<&Shape<'_>>, target: ItemId) -> Option<(String, Span)> {
    match shape? {
        Shape::Struct(fields) => fields
            .iter()
            .find(|field| field.ty.as_ref().is_some_and(|ty| ty.uses(target)))
            .map(|field| (field.field.name.text.clone(), field.field.ty.span)),
        Shape::Union { variants, .. } => variants
            .iter()
            .find(|(_, _, ty)| ty.as_ref().is_some_and(|ty| ty.uses(target)))
            .map(|(variant, _, _)| {
                (
                    variant.name.text.clone(),
                    variant
                        .payload
                        .as_ref()
                        .map_or(variant.name.span, |ty| ty.span),
                )
            }),
        Shape::Enum(_) | Shape::Flags(_) => None,
    }
}

/// The size and alignment of a laid-out type.
pub(crate) fn extent_of(ty: &Ty) -> Extent {
    Extent {
        size: ty.size,
        align: ty.align,
    }
}
