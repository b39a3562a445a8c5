//! The interop runtime: what generated code stands on today (the re-exported `zerocopy`,
//! [`include_idl!`] and the [`validate`] routine of received bytes); transports, the event
//! loop, the wire protocol and manifests are not implemented yet.
//!
//! Feature `serde`: `Serialize`/`Deserialize` for the inline containers declared with a
//! trailing `, serde`, and `interop::serde` for code generated with `Builder::serde(true)`.

#![warn(missing_docs)]

// So that `interop::...` paths, which the container macros' zerocopy derives name, resolve in
// this crate's own tests too.
extern crate self as interop;

pub mod containers;
pub mod endpoint;
pub mod manifest;
#[cfg(feature = "serde")]
pub mod serde_support;
pub mod service;
#[cfg(target_os = "linux")]
pub mod shm;
pub mod validate;

/// Re-exported (feature `serde`) so that code generated with `Builder::serde(true)` needs no
/// dependency but this crate: its derives name `#[serde(crate = "interop::serde")]`.
#[cfg(feature = "serde")]
pub use serde;

/// Re-exported so that generated code needs no dependency but this crate: its derives name
/// `#[zerocopy(crate = "interop::zerocopy")]`.
pub use zerocopy;

/// Includes the Rust generated for an IDL package by `interop_codegen::Builder` in a build
/// script: `interop::include_idl!("fleet.control");` inside the module that stands for the
/// package (`mod fleet { mod control { ... } }`, so that paths between packages resolve).
#[macro_export]
macro_rules! include_idl {
    ($package:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $package, ".rs"));
    };
}
