//! The behaviour of generated flags types, written once: generated code declares the type
//! (`pub struct Capability(pub u16);`) with its constants, and invokes [`impl_flags!`](crate::impl_flags)
//! for the set operations and `Debug`.

use core::fmt;
use core::ops::{BitAnd, Not};

/// Implements the set operations of a generated flags type `struct Name(pub Bits)` whose
/// constants are listed with their schema names: `empty`, `all`, `bits`, `from_bits`,
/// `is_empty`, `contains`, `intersects`, `insert`, `remove`, the operators `|`, `&`, `!` (the
/// defined bits that are not set) and their assignments, and `Debug`, which shows the set bits
/// by schema name: `Capability(Lift | Camera)`, undefined bits in hexadecimal.
///
/// ```
/// #[derive(Clone, Copy, PartialEq, Eq)]
/// pub struct Capability(pub u16);
///
/// impl Capability {
///     pub const LIFT: Self = Self(0x2);
///     pub const CAMERA: Self = Self(0x4);
/// }
///
/// interop::impl_flags!(Capability: u16, LIFT "Lift", CAMERA "Camera");
///
/// let mut set = Capability::LIFT | Capability::CAMERA;
/// assert_eq!(format!("{set:?}"), "Capability(Lift | Camera)");
/// set.remove(Capability::LIFT);
/// assert_eq!(set, Capability::CAMERA);
/// assert_eq!(Capability::from_bits(0x8), None);
/// assert_eq!(format!("{:?}", !Capability::all()), "Capability(0x0)");
/// ```
#[macro_export]
macro_rules! impl_flags {
    ($name:ident $(as $shown:literal)?: $bits:ty $(, $flag:ident $label:literal)* $(,)?) => {
        impl $name {
            /// No bit set.
            #[inline]
            pub const fn empty() -> Self {
                Self(0)
            }

            /// Every bit the schema defines.
            #[inline]
            pub const fn all() -> Self {
                Self(0 $(| Self::$flag.0)*)
            }

            /// The raw bits.
            #[inline]
            pub const fn bits(self) -> $bits {
                self.0
            }

            /// The set with these bits, or `None` if one of them is not defined by the schema.
            #[inline]
            pub const fn from_bits(bits: $bits) -> Option<Self> {
                if bits & !Self::all().0 == 0 {
                    Some(Self(bits))
                } else {
                    None
                }
            }

            /// Whether no bit is set.
            #[inline]
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// Whether every bit of `other` is set in `self`.
            #[inline]
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether `self` and `other` have a bit in common.
            #[inline]
            pub const fn intersects(self, other: Self) -> bool {
                self.0 & other.0 != 0
            }

            /// Sets the bits of `other`.
            #[inline]
            pub fn insert(&mut self, other: Self) {
                self.0 |= other.0;
            }

            /// Clears the bits of `other`.
            #[inline]
            pub fn remove(&mut self, other: Self) {
                self.0 &= !other.0;
            }
        }

        impl core::ops::BitOr for $name {
            type Output = Self;

            #[inline]
            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl core::ops::BitOrAssign for $name {
            #[inline]
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }

        impl core::ops::BitAnd for $name {
            type Output = Self;

            #[inline]
            fn bitand(self, other: Self) -> Self {
                Self(self.0 & other.0)
            }
        }

        impl core::ops::BitAndAssign for $name {
            #[inline]
            fn bitand_assign(&mut self, other: Self) {
                self.0 &= other.0;
            }
        }

        impl core::ops::Not for $name {
            type Output = Self;

            /// The defined bits that are not set.
            #[inline]
            fn not(self) -> Self {
                Self(!self.0 & Self::all().0)
            }
        }

        /// Shows the set bits by schema name: `Capability(Lift | Camera)`.
        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::flags::fmt_flags(
                    $crate::__schema_name!($name $(as $shown)?),
                    &[$((Self::$flag.0, $label)),*],
                    self.0,
                    f,
                )
            }
        }
    };
}

/// Writes `Name(A | B | 0x100)`: the labels of the flags (`(bits, label)`) whose bits are all
/// set in `bits`, then the bits no label covers in hexadecimal, or `Name(0x0)` when none is set.
#[doc(hidden)]
pub fn fmt_flags<B>(
    name: &str,
    flags: &[(B, &str)],
    bits: B,
    f: &mut core::fmt::Formatter<'_>,
) -> core::fmt::Result
where
    B: Copy + Default + PartialEq + BitAnd<Output = B> + Not<Output = B> + fmt::LowerHex,
{
    let none = B::default();
    f.write_str(name)?;
    f.write_str("(")?;
    let mut rest = bits;
    let mut first = true;
    for &(flag, label) in flags {
        if bits & flag == flag {
            f.write_str(if first { "" } else { " | " })?;
            f.write_str(label)?;
            rest = rest & !flag;
            first = false;
        }
    }
    if rest != none || first {
        f.write_str(if first { "" } else { " | " })?;
        write!(f, "{rest:#x}")?;
    }
    f.write_str(")")
}
