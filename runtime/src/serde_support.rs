//! What `serde` support of generated code shares (feature `serde`): the JSON shape of the
//! inline containers, arrays longer than the 32 elements serde handles, and zeroed padding.
//!
//! The shape: a `string<N>` is a string, a `bytes<N>` an array of numbers, a `vec<T, N>` an
//! array, an `optional<T>` the value or `null`; deserializing refuses what does not fit.

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Error as _, Serialize, Serializer};

use crate::containers::CapacityError;

/// The value of skipped padding: every byte zero.
pub fn zeroed<T: zerocopy::FromZeros>() -> T {
    T::new_zeroed()
}

/// Serializes the bytes of a `string<N>` as a string; fails when they are not UTF-8.
pub fn serialize_text<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    let text = core::str::from_utf8(bytes).map_err(S::Error::custom)?;
    serializer.serialize_str(text)
}

/// Finishes deserializing a `string<N>`, `bytes<N>` or `vec<T, N>` from the result of its
/// `TryFrom`, reporting a value that does not fit as an error that names the capacity.
pub fn fit<T, E: serde::de::Error>(made: Result<T, CapacityError>, kind: &str) -> Result<T, E> {
    made.map_err(|error| {
        E::custom(format_args!(
            "{} {} do not fit in {kind} (capacity {})",
            error.needed,
            if kind.starts_with("vec") {
                "elements"
            } else {
                "bytes"
            },
            error.capacity
        ))
    })
}

/// Serializes a used slice of a container as a sequence.
pub fn serialize_items<T: Serialize, S: Serializer>(
    items: &[T],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(items)
}

/// Deserializes a sequence into a `Vec` (then checked against a container's capacity).
pub fn deserialize_items<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    Vec::deserialize(deserializer)
}

/// Arrays of any length as sequences, for `#[serde(with = "interop::serde_support::array")]`
/// (serde itself handles arrays of at most 32 elements).
pub mod array {
    use super::*;

    /// An array, or a reference to one.
    pub trait Array {
        /// The element type.
        type Item;
        /// The elements.
        fn items(&self) -> &[Self::Item];
    }

    impl<T, const N: usize> Array for [T; N] {
        type Item = T;
        fn items(&self) -> &[T] {
            self
        }
    }

    impl<A: Array + ?Sized> Array for &A {
        type Item = A::Item;
        fn items(&self) -> &[A::Item] {
            (**self).items()
        }
    }

    /// Serializes the array as a sequence.
    pub fn serialize<A, S>(value: &A, serializer: S) -> Result<S::Ok, S::Error>
    where
        A: Array,
        A::Item: Serialize,
        S: Serializer,
    {
        serializer.collect_seq(value.items())
    }

    /// Deserializes a sequence of exactly `N` elements.
    pub fn deserialize<'de, T, const N: usize, D>(deserializer: D) -> Result<[T; N], D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        let items: Vec<T> = Vec::deserialize(deserializer)?;
        let found = items.len();
        items
            .try_into()
            .map_err(|_| D::Error::invalid_length(found, &format!("{N} elements").as_str()))
    }
}

#[cfg(test)]
// The test declares containers for their JSON shape alone; most of their methods go unused.
#[allow(dead_code)]
mod tests {
    crate::inline_string!(String3: string<3>, size 8, serde);
    crate::inline_bytes!(Bytes2: bytes<2>, size 8, serde);
    crate::inline_vec!(Vec2OfU16: [u16; 2], items at 4, size 8, align 4, serde);
    crate::inline_optional!(OptionalU32: u32, value at 4, size 8, align 4, serde);

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Big(#[serde(with = "super::array")] [u8; 40]);

    #[test]
    fn containers_as_json() {
        let text = String3::try_from("abc").unwrap();
        assert_eq!(serde_json::to_string(&text).unwrap(), "\"abc\"");
        assert_eq!(
            serde_json::from_str::<String3>("\"ab\"").unwrap().as_str(),
            Ok("ab")
        );
        let error = serde_json::from_str::<String3>("\"abcd\"").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("4 bytes do not fit in string<3> (capacity 3)"),
            "{error}"
        );
        let bytes = Bytes2::try_from(&[1, 2][..]).unwrap();
        assert_eq!(serde_json::to_string(&bytes).unwrap(), "[1,2]");
        assert!(serde_json::from_str::<Bytes2>("[1,2,3]").is_err());
        let items = Vec2OfU16::try_from(&[7][..]).unwrap();
        assert_eq!(serde_json::to_string(&items).unwrap(), "[7]");
        assert_eq!(serde_json::from_str::<Vec2OfU16>("[7]").unwrap(), items);
        let error = serde_json::from_str::<Vec2OfU16>("[1,2,3]").unwrap_err();
        assert!(
            error.to_string().contains("3 elements do not fit"),
            "{error}"
        );
        let absent = OptionalU32::default();
        assert_eq!(serde_json::to_string(&absent).unwrap(), "null");
        let present = OptionalU32::from(Some(5));
        assert_eq!(serde_json::from_str::<OptionalU32>("5").unwrap(), present);
        let big = Big([3; 40]);
        let json = serde_json::to_string(&big).unwrap();
        assert_eq!(serde_json::from_str::<Big>(&json).unwrap(), big);
        assert!(serde_json::from_str::<Big>("[1,2]").is_err());
    }
}
