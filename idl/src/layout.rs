//! The layout engine: sizes, alignments, offsets and padding, exactly as `docs/IDL.md` §Layout
//! states them. Every function is pure and checked: `None` means the size does not fit 64 bits.

use crate::model::Padding;

/// The size and alignment of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    /// Size in bytes, always a multiple of `align`.
    pub size: u64,
    /// Alignment in bytes, a power of two.
    pub align: u64,
}

/// Where each field of a struct sits, and the padding around them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructLayout {
    /// The offset of each field, in declaration order.
    pub offsets: Vec<u64>,
    /// The gaps between fields and after the last one.
    pub padding: Vec<Padding>,
    /// The struct's size and alignment.
    pub extent: Extent,
}

/// Where the payload of a tagged union sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnionLayout {
    /// Offset of the payload, the first offset after the tag aligned for every variant.
    pub payload_offset: u64,
    /// The largest variant's size, rounded up to the payload's alignment.
    pub payload_size: u64,
    /// The gap after the tag and after the payload.
    pub padding: Vec<Padding>,
    /// The union's size and alignment.
    pub extent: Extent,
}

/// Rounds `offset` up to a multiple of `align` (a power of two).
pub fn align_up(offset: u64, align: u64) -> Option<u64> {
    debug_assert!(align.is_power_of_two());
    Some(offset.checked_add(align - 1)? & !(align - 1))
}

/// A scalar of `size` bytes: naturally aligned.
pub fn scalar(size: u64) -> Extent {
    Extent { size, align: size }
}

/// `[T; len]`: `len` elements back to back, aligned as `T`.
pub fn array(element: Extent, len: u64) -> Option<Extent> {
    Some(Extent {
        size: element.size.checked_mul(len)?,
        align: element.align,
    })
}

/// `string<N>` and `bytes<N>`: `{ len: u32, data: [u8; N] }`, alignment 4.
pub fn string(capacity: u64) -> Option<Extent> {
    structure(&[scalar(4), array(scalar(1), capacity)?]).map(|layout| layout.extent)
}

/// `vec<T, N>`: `{ len: u32, items: [T; N] }`; returns the extent and the offset of `items`.
pub fn vec(element: Extent, capacity: u64) -> Option<(Extent, u64)> {
    let layout = structure(&[scalar(4), array(element, capacity)?])?;
    Some((layout.extent, layout.offsets[1]))
}

/// `optional<T>`: `{ present: bool, value: T }`; returns the extent and the offset of `value`.
pub fn optional(value: Extent) -> Option<(Extent, u64)> {
    let layout = structure(&[scalar(1), value])?;
    Some((layout.extent, layout.offsets[1]))
}

/// A struct of `fields` in declaration order: each field at the next offset aligned for it,
/// alignment the largest of the fields', size rounded up to the alignment.
pub fn structure(fields: &[Extent]) -> Option<StructLayout> {
    let mut offsets = Vec::with_capacity(fields.len());
    let mut padding = Vec::new();
    let mut end = 0u64;
    let mut align = 1u64;
    for field in fields {
        let offset = align_up(end, field.align)?;
        push_padding(&mut padding, end, offset);
        offsets.push(offset);
        end = offset.checked_add(field.size)?;
        align = align.max(field.align);
    }
    let size = align_up(end, align)?;
    push_padding(&mut padding, end, size);
    Some(StructLayout {
        offsets,
        padding,
        extent: Extent { size, align },
    })
}

/// A tagged union `{ tag, payload }`: the payload at the first offset after the tag aligned
/// for the most aligned variant, sized for the largest; alignment the largest of all.
pub fn tagged_union(tag: Extent, variants: &[Extent]) -> Option<UnionLayout> {
    let payload_align = variants
        .iter()
        .map(|variant| variant.align)
        .max()
        .unwrap_or(1);
    let largest = variants
        .iter()
        .map(|variant| variant.size)
        .max()
        .unwrap_or(0);
    let payload = Extent {
        size: align_up(largest, payload_align)?,
        align: payload_align,
    };
    let layout = structure(&[tag, payload])?;
    Some(UnionLayout {
        payload_offset: layout.offsets[1],
        payload_size: payload.size,
        padding: layout.padding,
        extent: layout.extent,
    })
}

fn push_padding(padding: &mut Vec<Padding>, from: u64, to: u64) {
    if to > from {
        padding.push(Padding {
            offset: from,
            size: to - from,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const U8: Extent = Extent { size: 1, align: 1 };
    const U16: Extent = Extent { size: 2, align: 2 };
    const U32: Extent = Extent { size: 4, align: 4 };
    const F64: Extent = Extent { size: 8, align: 8 };

    #[test]
    fn spec_worked_example() {
        // struct S { a: u8, b: string<5>, c: f64 }
        let b = string(5).unwrap();
        assert_eq!(b, Extent { size: 12, align: 4 });
        let s = structure(&[U8, b, F64]).unwrap();
        assert_eq!(s.offsets, vec![0, 4, 16]);
        assert_eq!(s.extent, Extent { size: 24, align: 8 });
        assert_eq!(s.padding, vec![Padding { offset: 1, size: 3 }]);
    }

    #[test]
    fn struct_tail_padding_rounds_to_alignment() {
        let s = structure(&[U32, U8]).unwrap();
        assert_eq!(s.extent, Extent { size: 8, align: 4 });
        assert_eq!(s.padding, vec![Padding { offset: 5, size: 3 }]);
    }

    #[test]
    fn containers() {
        assert_eq!(string(0).unwrap(), U32);
        assert_eq!(string(1).unwrap(), Extent { size: 8, align: 4 });
        assert_eq!(vec(F64, 2).unwrap(), (Extent { size: 24, align: 8 }, 8));
        assert_eq!(vec(U8, 3).unwrap(), (Extent { size: 8, align: 4 }, 4));
        assert_eq!(vec(U16, 1).unwrap(), (Extent { size: 8, align: 4 }, 4));
        assert_eq!(optional(F64).unwrap(), (Extent { size: 16, align: 8 }, 8));
        assert_eq!(optional(U8).unwrap(), (Extent { size: 2, align: 1 }, 1));
        assert_eq!(array(U16, 3).unwrap(), Extent { size: 6, align: 2 });
    }

    #[test]
    fn union_payload_follows_the_most_aligned_variant() {
        // u8 tag; variants [u8; 3] and u16: payload at 2, sized 4 (3 rounded to 2), total 6.
        let layout = tagged_union(U8, &[array(U8, 3).unwrap(), U16]).unwrap();
        assert_eq!(layout.payload_offset, 2);
        assert_eq!(layout.payload_size, 4);
        assert_eq!(layout.extent, Extent { size: 6, align: 2 });
        // A tag wider than every variant sets the alignment.
        let layout = tagged_union(U32, &[U8]).unwrap();
        assert_eq!(
            (layout.payload_offset, layout.extent),
            (4, Extent { size: 8, align: 4 })
        );
        // Only payload-less variants: just the tag.
        let layout = tagged_union(U8, &[]).unwrap();
        assert_eq!((layout.payload_offset, layout.extent), (1, U8));
    }

    #[test]
    fn overflow_is_refused() {
        assert_eq!(array(F64, u64::MAX / 4), None);
        assert_eq!(align_up(u64::MAX, 8), None);
        let huge = Extent {
            size: u64::MAX - 1,
            align: 1,
        };
        assert!(structure(&[U8, huge, U8]).is_none());
    }
}
