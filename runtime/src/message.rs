//! What the runtime asks of generated message types, and the stand-ins for messages and errors
//! that a method does not have.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, TryFromBytes};

use crate::validate::{self, Described, ValidationError};

/// A generated message struct (or [`Empty`]): a fixed layout that can be viewed in place in
/// received bytes and built in place in a send buffer.
pub trait Message: TryFromBytes + IntoBytes + KnownLayout + Immutable + Default {}

impl<T: TryFromBytes + IntoBytes + KnownLayout + Immutable + Default> Message for T {}

/// The message of a method that has none (`ping()`, `-> ()`): no bytes at all.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct Empty {}

/// The error of a method declared without `error`: it has no values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoError {}

/// A method's IDL error type (a generated enum), or [`NoError`]: how it travels in an `Error`
/// frame.
pub trait ErrorValue: Sized {
    /// The value's bytes on the wire.
    fn to_bytes(&self) -> Vec<u8>;
    /// Reads and validates a value received from the peer.
    fn from_bytes(bytes: &[u8]) -> Result<Self, ValidationError>;
}

impl<T> ErrorValue for T
where
    T: Described + TryFromBytes + IntoBytes + KnownLayout + Immutable + Copy,
{
    fn to_bytes(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }

    fn from_bytes(bytes: &[u8]) -> Result<T, ValidationError> {
        validate::validate(T::DESCRIPTOR, T::DESCRIPTOR_INDEX, bytes)?;
        T::try_read_from_bytes(bytes).map_err(|_| ValidationError {
            type_name: validate::record_name_and_size(T::DESCRIPTOR, T::DESCRIPTOR_INDEX)
                .map_or("?", |(name, _)| name)
                .to_owned(),
            field: String::new(),
            offset: 0,
            problem: validate::Problem::BadDescriptor(
                "the type refuses bytes its descriptor accepts; regenerate the code",
            ),
        })
    }
}

impl ErrorValue for NoError {
    fn to_bytes(&self) -> Vec<u8> {
        match *self {}
    }

    fn from_bytes(_: &[u8]) -> Result<NoError, ValidationError> {
        Err(ValidationError {
            type_name: "(no error type)".to_owned(),
            field: String::new(),
            offset: 0,
            problem: validate::Problem::BadDescriptor(
                "an error arrived for a method declared without `error`",
            ),
        })
    }
}

/// Views validated bytes as `T` in place; `None` when `T` refuses bytes its descriptor
/// accepted, which means the generated code and the runtime do not match.
pub(crate) fn view<T: Message>(bytes: &[u8]) -> Option<&T> {
    T::try_ref_from_bytes(bytes).ok()
}

/// Writes `T::default()` into `bytes` and returns it, so that a handler or a loan fills the
/// message in place; `None` when `bytes` do not have `T`'s size and alignment, which means the
/// generated code and the runtime do not match.
pub(crate) fn init<T: Message>(bytes: &mut [u8]) -> Option<&mut T> {
    let value = T::default();
    let source = value.as_bytes();
    if source.len() != bytes.len() {
        return None;
    }
    bytes.copy_from_slice(source);
    T::try_mut_from_bytes(bytes).ok()
}

/// The message that explains a mismatch found by [`view`] or [`init`].
pub(crate) fn mismatch<T>() -> String {
    format!(
        "the bytes of `{}` do not match its descriptor: the generated code and the runtime come \
         from different versions; regenerate the code",
        std::any::type_name::<T>()
    )
}
