//! What the inline containers and unions of generated code share: their errors, the checked
//! read of a union's payload, and the macros that state the layout and `Debug` of generated
//! structs.

use core::fmt;

use zerocopy::{FromZeros, Immutable, IntoBytes, KnownLayout, TryFromBytes};

/// A value does not fit the capacity of an inline container (`string<N>`, `bytes<N>`,
/// `vec<T, N>`). The container is left unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacityError {
    /// The most the container holds (bytes or elements).
    pub capacity: usize,
    /// How many it would have needed.
    pub needed: usize,
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} items do not fit in a capacity of {}",
            self.needed, self.capacity
        )
    }
}

impl std::error::Error for CapacityError {}

/// A union's tag or payload is not one the schema allows: bytes that did not go through
/// validation, or that were changed by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnionError {
    /// No variant has this tag.
    UnknownTag(i128),
    /// The payload of the variant with this tag holds an invalid value (an unknown enum
    /// value, a bool other than 0 or 1...).
    InvalidPayload(i128),
}

impl fmt::Display for UnionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnionError::UnknownTag(tag) => write!(f, "no union variant has tag {tag}"),
            UnionError::InvalidPayload(tag) => write!(
                f,
                "the payload of the union variant with tag {tag} is invalid"
            ),
        }
    }
}

impl std::error::Error for UnionError {}

/// Reads the payload of the union variant with tag `tag` as a `T`, checking its bytes (enum
/// values, bools) in place.
pub fn union_payload<T>(payload: &[u8], tag: i128) -> Result<&T, UnionError>
where
    T: TryFromBytes + KnownLayout + Immutable,
{
    match T::try_ref_from_prefix(payload) {
        Ok((value, _)) => Ok(value),
        Err(_) => Err(UnionError::InvalidPayload(tag)),
    }
}

// The behaviour of the inline containers, written once: generated code declares each container
// with one of the macros below (`inline_string!`, `inline_bytes!`, `inline_vec!`,
// `inline_optional!`), which define the `#[repr(C)]` struct and thin methods over these
// functions.

/// How many of a container's slots are used: its `len`, never more than `capacity`.
#[inline]
pub fn used(len: u32, capacity: usize) -> usize {
    (len as usize).min(capacity)
}

/// Replaces the bytes of a `string<N>` or `bytes<N>`, zeroing the unused ones; fails, leaving
/// them unchanged, when `bytes` does not fit.
pub fn set_bytes(len: &mut u32, data: &mut [u8], bytes: &[u8]) -> Result<(), CapacityError> {
    if bytes.len() > data.len() {
        return Err(CapacityError {
            capacity: data.len(),
            needed: bytes.len(),
        });
    }
    data[..bytes.len()].copy_from_slice(bytes);
    data[bytes.len()..].fill(0);
    *len = bytes.len() as u32;
    Ok(())
}

/// Shows the bytes of a `string<N>` as a string literal, escaping them when they are not
/// UTF-8 (`debug`), or as plain text.
pub fn fmt_text(bytes: &[u8], debug: bool, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match (core::str::from_utf8(bytes), debug) {
        (Ok(text), true) => fmt::Debug::fmt(text, f),
        (Ok(text), false) => f.write_str(text),
        (Err(_), true) => write!(f, "b\"{}\"", bytes.escape_ascii()),
        (Err(_), false) => write!(f, "{}", bytes.escape_ascii()),
    }
}

/// Appends `value` to the elements of a `vec<T, N>` stored as `[T; N]`.
pub fn push<T: Copy>(len: &mut u32, items: &mut [T], value: T) -> Result<(), CapacityError> {
    let used = used(*len, items.len());
    let slot = items.get_mut(used).ok_or(CapacityError {
        capacity: used,
        needed: used + 1,
    })?;
    *slot = value;
    *len = used as u32 + 1;
    Ok(())
}

/// Removes the last element of a `vec<T, N>` stored as `[T; N]`, zeroing its slot.
pub fn pop<T: Copy + FromZeros>(len: &mut u32, items: &mut [T]) -> Option<T> {
    let last = used(*len, items.len()).checked_sub(1)?;
    let value = core::mem::replace(&mut items[last], T::new_zeroed());
    *len = last as u32;
    Some(value)
}

/// Replaces the elements of a `vec<T, N>` stored as `[T; N]`, zeroing the unused slots.
pub fn set_items<T: Copy + FromZeros>(
    len: &mut u32,
    items: &mut [T],
    values: &[T],
) -> Result<(), CapacityError> {
    if values.len() > items.len() {
        return Err(CapacityError {
            capacity: items.len(),
            needed: values.len(),
        });
    }
    items[..values.len()].copy_from_slice(values);
    items[values.len()..]
        .iter_mut()
        .for_each(|slot| *slot = T::new_zeroed());
    *len = values.len() as u32;
    Ok(())
}

/// The first `len` elements of a `vec<T, N>` stored as bytes, checked in place; `None` when
/// they are not valid `T`s (bytes that did not go through validation).
pub fn raw_items<T>(items: &[u8], len: u32) -> Option<&[T]>
where
    T: TryFromBytes + Immutable,
{
    let used = used(len, items.len() / size_of::<T>().max(1));
    <[T]>::try_ref_from_bytes(&items[..used * size_of::<T>()]).ok()
}

/// The first `len` elements of a `vec<T, N>` stored as bytes, checked in place, to change.
pub fn raw_items_mut<T>(items: &mut [u8], len: u32) -> Option<&mut [T]>
where
    T: TryFromBytes + IntoBytes,
{
    let used = used(len, items.len() / size_of::<T>().max(1));
    <[T]>::try_mut_from_bytes(&mut items[..used * size_of::<T>()]).ok()
}

/// Appends `value` to a `vec<T, N>` stored as bytes.
pub fn raw_push<T: IntoBytes + Immutable>(
    len: &mut u32,
    items: &mut [u8],
    value: &T,
) -> Result<(), CapacityError> {
    let size = size_of::<T>();
    let capacity = items.len() / size.max(1);
    let used = used(*len, capacity);
    if used == capacity {
        return Err(CapacityError {
            capacity,
            needed: used + 1,
        });
    }
    items[used * size..(used + 1) * size].copy_from_slice(value.as_bytes());
    *len = used as u32 + 1;
    Ok(())
}

/// Removes the last element of a `vec<T, N>` stored as bytes, zeroing its slot; `None` when
/// it is empty or the element's bytes are not a valid `T`.
pub fn raw_pop<T: TryFromBytes>(len: &mut u32, items: &mut [u8]) -> Option<T> {
    let size = size_of::<T>();
    let last = used(*len, items.len() / size.max(1)).checked_sub(1)?;
    let slot = &mut items[last * size..(last + 1) * size];
    let value = T::try_read_from_bytes(slot).ok()?;
    slot.fill(0);
    *len = last as u32;
    Some(value)
}

/// Replaces the elements of a `vec<T, N>` stored as bytes, zeroing the unused slots.
pub fn raw_set<T: IntoBytes + Immutable>(
    len: &mut u32,
    items: &mut [u8],
    values: &[T],
) -> Result<(), CapacityError> {
    let capacity = items.len() / size_of::<T>().max(1);
    if values.len() > capacity {
        return Err(CapacityError {
            capacity,
            needed: values.len(),
        });
    }
    let bytes = values.as_bytes();
    items[..bytes.len()].copy_from_slice(bytes);
    items[bytes.len()..].fill(0);
    *len = values.len() as u32;
    Ok(())
}

/// The message of the panic when a container's used slots hold bytes that are not a valid
/// value: only bytes that did not go through `interop::validate` can.
pub const INVALID_SLOTS: &str =
    "the container holds invalid values: check received bytes with interop::validate::view";

/// Defines the generated type of a `string<N>`: `{ len: u32, data: [u8; N] }` padded to
/// `size` bytes, with `as_str`, `set` and the other accessors.
///
/// A trailing `, serde` also implements serde's traits (feature `serde` of this crate).
///
/// ```
/// interop::inline_string!(String5: string<5>, size 12);
///
/// let mut name = String5::try_from("abc").unwrap();
/// assert_eq!(name.as_str(), Ok("abc"));
/// assert!(name.set("too long").is_err());
/// assert_eq!(format!("{name:?}"), "\"abc\"");
/// ```
#[macro_export]
macro_rules! inline_string {
    ($name:ident : string<$capacity:literal>, size $size:literal $(, $serde:ident)?) => {
        $crate::__inline_bytes!($name, $capacity, $size, "string");
        $($crate::__inline_serde!($serde, string, $name, $capacity);)?

        impl $name {
            /// The bytes used.
            #[inline]
            pub fn as_bytes(&self) -> &[u8] {
                &self.data[..self.len()]
            }

            /// The text. Fails only for bytes that did not go through validation and are
            /// not UTF-8.
            #[inline]
            pub fn as_str(&self) -> Result<&str, core::str::Utf8Error> {
                core::str::from_utf8(self.as_bytes())
            }

            /// Replaces the text, zeroing the unused bytes; fails, leaving it unchanged, when
            /// `text` is longer than [`Self::CAPACITY`] bytes.
            #[inline]
            pub fn set(&mut self, text: &str) -> Result<(), $crate::containers::CapacityError> {
                $crate::containers::set_bytes(&mut self.len, &mut self.data, text.as_bytes())
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::containers::CapacityError;

            #[inline]
            fn try_from(text: &str) -> Result<Self, Self::Error> {
                let mut value = Self::default();
                value.set(text)?;
                Ok(value)
            }
        }

        /// Shows the text as a string literal (bytes that are not UTF-8 escaped).
        impl core::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::containers::fmt_text(self.as_bytes(), true, f)
            }
        }

        impl core::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::containers::fmt_text(self.as_bytes(), false, f)
            }
        }
    };
}

/// Defines the generated type of a `bytes<N>`: `{ len: u32, data: [u8; N] }` padded to
/// `size` bytes, with `as_slice`, `set` and the other accessors.
///
/// A trailing `, serde` also implements serde's traits (feature `serde` of this crate).
///
/// ```
/// interop::inline_bytes!(Bytes3: bytes<3>, size 8);
///
/// let mut data = Bytes3::default();
/// data.set(&[1, 0x41]).unwrap();
/// assert_eq!(data.as_slice(), [1, 0x41]);
/// assert_eq!(format!("{data:?}"), "b\"\\x01A\"");
/// ```
#[macro_export]
macro_rules! inline_bytes {
    ($name:ident : bytes<$capacity:literal>, size $size:literal $(, $serde:ident)?) => {
        $crate::__inline_bytes!($name, $capacity, $size, "bytes");
        $($crate::__inline_serde!($serde, bytes, $name, $capacity);)?

        impl $name {
            /// The bytes used.
            #[inline]
            pub fn as_slice(&self) -> &[u8] {
                &self.data[..self.len()]
            }

            /// Replaces the bytes, zeroing the unused ones; fails, leaving them unchanged, when
            /// `bytes` is longer than [`Self::CAPACITY`].
            #[inline]
            pub fn set(&mut self, bytes: &[u8]) -> Result<(), $crate::containers::CapacityError> {
                $crate::containers::set_bytes(&mut self.len, &mut self.data, bytes)
            }
        }

        impl TryFrom<&[u8]> for $name {
            type Error = $crate::containers::CapacityError;

            #[inline]
            fn try_from(bytes: &[u8]) -> Result<Self, Self::Error> {
                let mut value = Self::default();
                value.set(bytes)?;
                Ok(value)
            }
        }

        /// Shows the bytes as a byte string literal: `b"\x01AB"`.
        impl core::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "b\"{}\"", self.as_slice().escape_ascii())
            }
        }
    };
}

/// Gives a generated type its identity: `FINGERPRINT`, the SHA-256 of the canonical description
/// of its layout, names and types (the type is named by its schema name), and its record in
/// the package's validation descriptor (`DESCRIPTOR`, a constant of the module invoking the
/// macro), through [`validate::Described`](crate::validate::Described).
///
/// ```
/// mod geo {
///     pub const DESCRIPTOR: &[u8] = b"";
///     pub struct Pair(pub u16);
///
///     interop::impl_described!(
///         Pair: "geo.Pair", record 3, fingerprint b"0123456789abcdef0123456789abcdef"
///     );
/// }
///
/// assert_eq!(geo::Pair::FINGERPRINT[0], b'0');
/// assert_eq!(<geo::Pair as interop::validate::Described>::DESCRIPTOR_INDEX, 3);
/// ```
#[macro_export]
macro_rules! impl_described {
    ($name:ident: $schema:literal, record $record:literal, fingerprint $fingerprint:literal) => {
        impl $name {
            /// SHA-256 over the canonical description of the type's layout, names and types:
            /// peers that agree on it agree on its layout.
            ///
            #[doc = concat!("The type is `", $schema, "` in its schema.")]
            pub const FINGERPRINT: [u8; 32] = *$fingerprint;
        }

        impl $crate::validate::Described for $name {
            const DESCRIPTOR: &'static [u8] = self::DESCRIPTOR;
            const DESCRIPTOR_INDEX: u32 = $record;
        }
    };
}

/// The conversions of a generated enum from and to its underlying integer: `from_value`
/// (`None` for a value that is no member's) and `value`.
///
/// ```
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// #[repr(u8)]
/// pub enum Kind { Van = 1, r#Truck = 2 }
///
/// interop::impl_enum!(Kind: u8, Van = 1, r#Truck = 2);
///
/// assert_eq!(Kind::from_value(2), Some(Kind::Truck));
/// assert_eq!(Kind::from_value(3), None);
/// assert_eq!(Kind::Van.value(), 1);
/// ```
#[macro_export]
macro_rules! impl_enum {
    ($name:ident: $repr:ty $(, $member:ident = $value:literal)* $(,)?) => {
        impl $name {
            /// The member with this value, if there is one.
            pub const fn from_value(value: $repr) -> Option<Self> {
                match value {
                    $($value => Some(Self::$member),)*
                    _ => None,
                }
            }

            /// The member's value.
            pub const fn value(self) -> $repr {
                self as $repr
            }
        }
    };
}

/// Asserts at compile time that a generated type has the layout the generator computed: its
/// size, its alignment and the offset of each named field.
///
/// ```
/// #[repr(C)]
/// pub struct Pair { pub tag: u8, pub r#type: u32 }
///
/// interop::assert_layout!(Pair: size 8, align 4, tag at 0, r#type at 4);
/// ```
#[macro_export]
macro_rules! assert_layout {
    ($name:ident: size $size:literal, align $align:literal $(, $field:ident at $at:literal)* $(,)?) => {
        const _: () = {
            assert!(size_of::<$name>() == $size);
            assert!(align_of::<$name>() == $align);
            $(assert!(core::mem::offset_of!($name, $field) == $at);)*
        };
    };
}

/// Implements `Debug` for a generated struct that holds padding: it shows the fields listed,
/// by their schema names (an `r#` prefix dropped, or the name given with `as`), and not the
/// padding.
///
/// ```
/// #[repr(C)]
/// pub struct Reading { pub r#type: u8, _pad0: [u8; 3], pub self_: u32 }
///
/// interop::impl_debug!(Reading: r#type, self_ as "self");
///
/// let reading = Reading { r#type: 1, _pad0: [0; 3], self_: 7 };
/// assert_eq!(format!("{reading:?}"), "Reading { type: 1, self: 7 }");
/// ```
#[macro_export]
macro_rules! impl_debug {
    ($name:ident $(as $shown:literal)?: $($field:ident $(as $label:literal)?),* $(,)?) => {
        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct($crate::__schema_name!($name $(as $shown)?))
                    $(.field($crate::__schema_name!($field $(as $label)?), &self.$field))*
                    .finish()
            }
        }
    };
}

/// The schema's name of a generated item: the one given with `as`, or the identifier without
/// its `r#` prefix.
#[doc(hidden)]
#[macro_export]
macro_rules! __schema_name {
    ($name:ident) => {
        $crate::containers::schema_name(stringify!($name))
    };
    ($name:ident as $shown:literal) => {
        $shown
    };
}

/// `name` without the `r#` of a raw identifier.
#[doc(hidden)]
pub fn schema_name(name: &'static str) -> &'static str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The length API of a string, bytes or vec container, inside its `impl` block.
#[doc(hidden)]
#[macro_export]
macro_rules! __inline_length {
    ($capacity:literal, $unit:literal) => {
        #[doc = concat!("The most ", $unit, " it holds.")]
        pub const CAPACITY: usize = $capacity;

        #[doc = concat!("How many ", $unit, " are used (never more than [`Self::CAPACITY`], whatever `len` says).")]
        #[inline]
        pub fn len(&self) -> usize {
            $crate::containers::used(self.len, $capacity)
        }

        /// Whether none is used.
        #[inline]
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }
    };
}

/// What `inline_string!` and `inline_bytes!` share.
#[doc(hidden)]
#[macro_export]
macro_rules! __inline_bytes {
    ($name:ident, $capacity:literal, $size:literal, $kind:literal) => {
        #[doc = concat!("`", $kind, "<", stringify!($capacity), ">`: `len` bytes of `data` used, the rest zero.")]
        #[repr(C)]
        #[derive(
            Clone,
            Copy,
            $crate::zerocopy::FromBytes,
            $crate::zerocopy::IntoBytes,
            $crate::zerocopy::KnownLayout,
            $crate::zerocopy::Immutable
        )]
        #[zerocopy(crate = "interop::zerocopy")]
        #[allow(non_camel_case_types)] // Named after the schema's types: `Vec2Ofpoint_3d`.
        pub struct $name {
            /// How many bytes of `data` are used.
            pub len: u32,
            /// The bytes, `len` of them used.
            pub data: [u8; $capacity],
            _pad: [u8; $size - 4 - $capacity],
        }

        $crate::assert_layout!($name: size $size, align 4, data at 4);

        impl $name {
            $crate::__inline_length!($capacity, "bytes");

            /// Empties it, zeroing the bytes.
            #[inline]
            pub fn clear(&mut self) {
                *self = Self::default();
            }
        }

        /// Empty, every byte zero.
        impl Default for $name {
            #[inline]
            fn default() -> Self {
                $crate::zerocopy::FromZeros::new_zeroed()
            }
        }

        impl PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.data[..self.len()] == other.data[..other.len()]
            }
        }

        impl Eq for $name {}
    };
}

/// Defines the generated type of a `vec<T, N>`: `{ len: u32, items }` with `items` at byte
/// `items at`, padded to `size` bytes, aligned to `align`, with `push`, `as_slice`, `iter` and
/// the other accessors. A trailing `, serde` also implements serde's traits (feature `serde`).
///
/// `items` is `[T; N]` when every bit pattern is a valid `T` (zerocopy's `FromBytes`), and the
/// raw `[u8; N * size_of::<T>()]` (`as bytes`) otherwise, so that the unused slots, zero on
/// the wire, need not be valid `T`s; the accessors read the used elements in place.
///
/// ```
/// #[derive(Clone, Copy, Debug, PartialEq, interop::zerocopy::TryFromBytes,
///          interop::zerocopy::IntoBytes, interop::zerocopy::KnownLayout,
///          interop::zerocopy::Immutable)]
/// #[zerocopy(crate = "interop::zerocopy")]
/// #[repr(u8)]
/// pub enum Color { Red = 1, Green = 2 }
///
/// interop::inline_vec!(Vec2OfColor: [Color; 2], items at 4 as bytes, size 8, align 4);
/// interop::inline_vec!(Vec3OfU64: [u64; 3], items at 8, size 32, align 8);
///
/// let mut colors = Vec2OfColor::default();
/// colors.push(Color::Green).unwrap();
/// assert_eq!(colors.as_slice(), [Color::Green]);
/// assert_eq!(colors.items, [2, 0]);
/// let numbers = Vec3OfU64::try_from(&[1, 2][..]).unwrap();
/// assert_eq!(numbers.iter().sum::<u64>(), 3);
/// ```
#[macro_export]
macro_rules! inline_vec {
    ($name:ident : [$element:ty; $capacity:literal], items at $at:literal as bytes,
     size $size:literal, align $align:literal $(, $serde:ident)?) => {
        $($crate::__inline_serde!($serde, vec, $name, $element, $capacity);)?
        $crate::__inline_vec!(
            $name,
            $element,
            $capacity,
            $at,
            $size,
            $align,
            [u8; $capacity * size_of::<$element>()]
        );

        impl $name {
            /// The elements used.
            ///
            /// # Panics
            ///
            /// When they are not valid values, which only bytes that did not go through
            /// `interop::validate` can hold.
            #[inline]
            pub fn as_slice(&self) -> &[$element] {
                $crate::containers::raw_items(&self.items, self.len)
                    .expect($crate::containers::INVALID_SLOTS)
            }

            /// The elements used, to change in place.
            ///
            /// # Panics
            ///
            /// As [`Self::as_slice`].
            #[inline]
            pub fn as_mut_slice(&mut self) -> &mut [$element] {
                $crate::containers::raw_items_mut(&mut self.items, self.len)
                    .expect($crate::containers::INVALID_SLOTS)
            }

            /// Appends an element; fails, leaving it unchanged, when it is full.
            #[inline]
            pub fn push(
                &mut self,
                value: $element,
            ) -> Result<(), $crate::containers::CapacityError> {
                $crate::containers::raw_push(&mut self.len, &mut self.items, &value)
            }

            /// Removes the last element, zeroing its slot, and returns it.
            #[inline]
            pub fn pop(&mut self) -> Option<$element> {
                $crate::containers::raw_pop(&mut self.len, &mut self.items)
            }

            /// Replaces the elements with `values`, zeroing the unused slots; fails, leaving it
            /// unchanged, when there are more than [`Self::CAPACITY`].
            #[inline]
            pub fn set(
                &mut self,
                values: &[$element],
            ) -> Result<(), $crate::containers::CapacityError> {
                $crate::containers::raw_set(&mut self.len, &mut self.items, values)
            }
        }

        /// Shows the elements used as a list.
        impl core::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match $crate::containers::raw_items::<$element>(&self.items, self.len) {
                    Some(items) => f.debug_list().entries(items).finish(),
                    None => f.write_str("[<invalid>]"),
                }
            }
        }
    };
    ($name:ident : [$element:ty; $capacity:literal], items at $at:literal,
     size $size:literal, align $align:literal $(, $serde:ident)?) => {
        $($crate::__inline_serde!($serde, vec, $name, $element, $capacity);)?
        $crate::__inline_vec!(
            $name,
            $element,
            $capacity,
            $at,
            $size,
            $align,
            [$element; $capacity]
        );

        impl $name {
            /// The elements used.
            #[inline]
            pub fn as_slice(&self) -> &[$element] {
                &self.items[..self.len()]
            }

            /// The elements used, to change in place.
            #[inline]
            pub fn as_mut_slice(&mut self) -> &mut [$element] {
                let len = self.len();
                &mut self.items[..len]
            }

            /// Appends an element; fails, leaving it unchanged, when it is full.
            #[inline]
            pub fn push(
                &mut self,
                value: $element,
            ) -> Result<(), $crate::containers::CapacityError> {
                $crate::containers::push(&mut self.len, &mut self.items, value)
            }

            /// Removes the last element, zeroing its slot, and returns it.
            #[inline]
            pub fn pop(&mut self) -> Option<$element> {
                $crate::containers::pop(&mut self.len, &mut self.items)
            }

            /// Replaces the elements with `values`, zeroing the unused slots; fails, leaving it
            /// unchanged, when there are more than [`Self::CAPACITY`].
            #[inline]
            pub fn set(
                &mut self,
                values: &[$element],
            ) -> Result<(), $crate::containers::CapacityError> {
                $crate::containers::set_items(&mut self.len, &mut self.items, values)
            }
        }

        /// Shows the elements used as a list.
        impl core::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.as_slice()).finish()
            }
        }
    };
}

/// What both storages of `inline_vec!` share.
#[doc(hidden)]
#[macro_export]
macro_rules! __inline_vec {
    ($name:ident, $element:ty, $capacity:literal, $at:literal, $size:literal, $align:literal,
     $items:ty) => {
        #[doc = concat!("`vec<", stringify!($element), ", ", stringify!($capacity), ">`: `len` elements of `items` used, the rest zero.")]
        #[repr(C, align($align))]
        #[derive(
            Clone,
            Copy,
            $crate::zerocopy::FromBytes,
            $crate::zerocopy::IntoBytes,
            $crate::zerocopy::KnownLayout,
            $crate::zerocopy::Immutable
        )]
        #[zerocopy(crate = "interop::zerocopy")]
        #[allow(non_camel_case_types)] // Named after the schema's types: `Vec2Ofpoint_3d`.
        pub struct $name {
            /// How many elements of `items` are used.
            pub len: u32,
            _gap: [u8; $at - 4],
            /// The elements, `len` of them used; the others are zero bytes.
            pub items: $items,
            _pad: [u8; $size - $at - $capacity * size_of::<$element>()],
        }

        $crate::assert_layout!($name: size $size, align $align, items at $at);

        impl $name {
            $crate::__inline_length!($capacity, "elements");

            /// The element at `index`, if it is used.
            #[inline]
            pub fn get(&self, index: usize) -> Option<&$element> {
                self.as_slice().get(index)
            }

            /// Iterates over the elements used.
            #[inline]
            pub fn iter(&self) -> core::slice::Iter<'_, $element> {
                self.as_slice().iter()
            }

            /// Removes every element, zeroing the slots.
            #[inline]
            pub fn clear(&mut self) {
                *self = Self::default();
            }
        }

        /// Empty, every byte zero.
        impl Default for $name {
            #[inline]
            fn default() -> Self {
                $crate::zerocopy::FromZeros::new_zeroed()
            }
        }

        impl<'a> IntoIterator for &'a $name {
            type Item = &'a $element;
            type IntoIter = core::slice::Iter<'a, $element>;

            #[inline]
            fn into_iter(self) -> Self::IntoIter {
                self.iter()
            }
        }

        impl TryFrom<&[$element]> for $name {
            type Error = $crate::containers::CapacityError;

            #[inline]
            fn try_from(values: &[$element]) -> Result<Self, Self::Error> {
                let mut value = Self::default();
                value.set(values)?;
                Ok(value)
            }
        }

        impl PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_slice() == other.as_slice()
            }
        }
    };
}

/// Defines the generated type of an `optional<T>`: `{ present: bool, value }` with `value` at
/// byte `value at`, padded to `size` bytes, aligned to `align`, with `get`, `set` and `clear`.
/// A trailing `, serde` also implements serde's traits (feature `serde` of this crate).
///
/// `value` is a `T` when every bit pattern is a valid `T` (zerocopy's `FromBytes`), and its
/// raw bytes (`as bytes`) otherwise, so that the value of an absent optional, zero on the wire,
/// need not be a valid `T`.
///
/// ```
/// #[derive(Clone, Copy, Debug, PartialEq, interop::zerocopy::TryFromBytes,
///          interop::zerocopy::IntoBytes, interop::zerocopy::KnownLayout,
///          interop::zerocopy::Immutable)]
/// #[zerocopy(crate = "interop::zerocopy")]
/// #[repr(u8)]
/// pub enum Color { Red = 1, Green = 2 }
///
/// interop::inline_optional!(OptionalColor: Color, value at 1 as bytes, size 2, align 1);
/// interop::inline_optional!(OptionalF64: f64, value at 8, size 16, align 8);
///
/// let mut color = OptionalColor::default();
/// assert_eq!(color.get(), None);
/// color.set(Color::Red);
/// assert_eq!(color.get(), Some(&Color::Red));
/// assert_eq!(Option::from(OptionalF64::from(Some(0.5))), Some(0.5));
/// ```
#[macro_export]
macro_rules! inline_optional {
    ($name:ident : $value:ty, value at $at:literal as bytes, size $size:literal,
     align $align:literal $(, $serde:ident)?) => {
        $($crate::__inline_serde!($serde, optional, $name, $value);)?
        $crate::__inline_optional!($name, $value, $at, $size, $align, [u8; size_of::<$value>()]);

        impl $name {
            /// The value, if present.
            ///
            /// # Panics
            ///
            /// When it is present but not a valid value, which only bytes that did not go
            /// through `interop::validate` can hold.
            #[inline]
            pub fn get(&self) -> Option<&$value> {
                self.present.then(|| {
                    $crate::zerocopy::TryFromBytes::try_ref_from_bytes(&self.value[..])
                        .ok()
                        .expect($crate::containers::INVALID_SLOTS)
                })
            }

            /// The value, if present, to change in place.
            ///
            /// # Panics
            ///
            /// As [`Self::get`].
            #[inline]
            pub fn get_mut(&mut self) -> Option<&mut $value> {
                self.present.then(|| {
                    $crate::zerocopy::TryFromBytes::try_mut_from_bytes(&mut self.value[..])
                        .ok()
                        .expect($crate::containers::INVALID_SLOTS)
                })
            }

            /// Sets the value.
            #[inline]
            pub fn set(&mut self, value: $value) {
                self.present = true;
                self.value = $crate::zerocopy::transmute!(value);
            }
        }
    };
    ($name:ident : $value:ty, value at $at:literal, size $size:literal, align $align:literal
     $(, $serde:ident)?) => {
        $($crate::__inline_serde!($serde, optional, $name, $value);)?
        $crate::__inline_optional!($name, $value, $at, $size, $align, $value);

        impl $name {
            /// The value, if present.
            #[inline]
            pub fn get(&self) -> Option<&$value> {
                self.present.then_some(&self.value)
            }

            /// The value, if present, to change in place.
            #[inline]
            pub fn get_mut(&mut self) -> Option<&mut $value> {
                self.present.then_some(&mut self.value)
            }

            /// Sets the value.
            #[inline]
            pub fn set(&mut self, value: $value) {
                self.present = true;
                self.value = value;
            }
        }
    };
}

/// What both storages of `inline_optional!` share.
#[doc(hidden)]
#[macro_export]
macro_rules! __inline_optional {
    ($name:ident, $value:ty, $at:literal, $size:literal, $align:literal, $storage:ty) => {
        #[doc = concat!("`optional<", stringify!($value), ">`: `value` is meaningful when `present`, and zero bytes otherwise.")]
        #[repr(C, align($align))]
        #[derive(
            Clone,
            Copy,
            $crate::zerocopy::FromZeros,
            $crate::zerocopy::IntoBytes,
            $crate::zerocopy::KnownLayout,
            $crate::zerocopy::Immutable
        )]
        #[zerocopy(crate = "interop::zerocopy")]
        #[allow(non_camel_case_types)] // Named after the schema's types: `Vec2Ofpoint_3d`.
        pub struct $name {
            /// Whether `value` holds a value.
            pub present: bool,
            _gap: [u8; $at - 1],
            /// The value, meaningful when `present`; zero bytes otherwise.
            pub value: $storage,
            _pad: [u8; $size - $at - size_of::<$value>()],
        }

        $crate::assert_layout!($name: size $size, align $align, value at $at);

        impl $name {
            /// Removes the value, zeroing its bytes.
            #[inline]
            pub fn clear(&mut self) {
                *self = Self::default();
            }

            /// Whether a value is present.
            #[inline]
            pub fn is_some(&self) -> bool {
                self.present
            }

            /// Whether no value is present.
            #[inline]
            pub fn is_none(&self) -> bool {
                !self.present
            }
        }

        /// Absent, every byte zero.
        impl Default for $name {
            #[inline]
            fn default() -> Self {
                $crate::zerocopy::FromZeros::new_zeroed()
            }
        }

        impl From<Option<$value>> for $name {
            #[inline]
            fn from(value: Option<$value>) -> Self {
                let mut out = Self::default();
                if let Some(value) = value {
                    out.set(value);
                }
                out
            }
        }

        impl From<$name> for Option<$value> {
            #[inline]
            fn from(value: $name) -> Self {
                value.get().copied()
            }
        }

        impl PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.get() == other.get()
            }
        }

        /// Shows `Some(value)` or `None`.
        impl core::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Debug::fmt(&self.get(), f)
            }
        }
    };
}

/// `Serialize` and `Deserialize` for a container declared with a trailing `, serde` (feature
/// `serde` of this crate): a string as a string, bytes and vecs as arrays, an optional as its
/// value or `null`; deserializing refuses a value longer than the capacity.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __inline_serde {
    (serde, string, $name:ident, $capacity:literal) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                $crate::serde_support::serialize_text(self.as_bytes(), serializer)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let text = <String as $crate::serde::Deserialize>::deserialize(deserializer)?;
                $crate::serde_support::fit(
                    Self::try_from(text.as_str()),
                    concat!("string<", stringify!($capacity), ">"),
                )
            }
        }
    };
    (serde, bytes, $name:ident, $capacity:literal) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                $crate::serde_support::serialize_items(self.as_slice(), serializer)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let bytes: Vec<u8> = $crate::serde_support::deserialize_items(deserializer)?;
                $crate::serde_support::fit(
                    Self::try_from(&bytes[..]),
                    concat!("bytes<", stringify!($capacity), ">"),
                )
            }
        }
    };
    (serde, vec, $name:ident, $element:ty, $capacity:literal) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                $crate::serde_support::serialize_items(self.as_slice(), serializer)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let items: Vec<$element> = $crate::serde_support::deserialize_items(deserializer)?;
                $crate::serde_support::fit(
                    Self::try_from(&items[..]),
                    concat!(
                        "vec<",
                        stringify!($element),
                        ", ",
                        stringify!($capacity),
                        ">"
                    ),
                )
            }
        }
    };
    (serde, optional, $name:ident, $value:ty) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                $crate::serde::Serialize::serialize(&self.get(), serializer)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let value: Option<$value> = $crate::serde::Deserialize::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }
    };
}

/// Without feature `serde` of this crate, a container declared with `, serde` fails to build
/// with a message that says what to enable.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __inline_serde {
    (serde, $($rest:tt)*) => {
        compile_error!(
            "code generated with serde support needs the `serde` feature of the `interop` \
             crate: interop = { version = \"...\", features = [\"serde\"] }"
        );
    };
}
