//! The ways frames travel: socket streams (pipe and tcp), shared-memory rings and in-process
//! calls, with the buffers they share.

pub(crate) mod buffer;
pub(crate) mod frames;
pub(crate) mod inproc;
pub(crate) mod socket;
