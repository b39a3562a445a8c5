//! What the inline containers and unions of generated code share: their errors, and the
//! checked read of a union's payload.

use core::fmt;

use zerocopy::{Immutable, KnownLayout, TryFromBytes};

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
