//! The interop runtime: it moves the fixed layouts of generated messages between services.
//!
//! - [`Server`]: one event loop serving services on `inproc://`, `shm://`, `pipe://` and
//!   `tcp://` endpoints; [`Client`]: a blocking connection to one service, with zero-copy loans.
//! - [`wire`]: the frames and the handshake (`docs/PROTOCOL.md`); [`validate`]: the check of
//!   every received message against its descriptor.
//! - [`manifest`]: where each service runs, and so which transport each link uses.
//! - What generated code stands on: the re-exported `zerocopy`, [`include_idl!`], the inline
//!   [`containers`], [`service`] descriptors and the [`message`] traits.
//!
//! Feature `serde`: `Serialize`/`Deserialize` for the inline containers declared with a
//! trailing `, serde`, and `interop::serde` for code generated with `Builder::serde(true)`.

#![warn(missing_docs)]

// So that `interop::...` paths, which the container macros' zerocopy derives name, resolve in
// this crate's own tests too.
extern crate self as interop;

pub mod client;
pub mod containers;
pub mod endpoint;
mod error;
pub mod ffi;
pub mod flags;
pub mod manifest;
pub mod message;
mod message_check;
mod node;
#[cfg(feature = "serde")]
pub mod serde_support;
pub mod server;
pub mod service;
#[cfg(target_os = "linux")]
pub mod shm;
mod transport;
pub mod validate;
pub mod wire;

pub use client::{Client, ClientOptions};
pub use error::{CallError, Error};
pub use message::{Empty, NoError};
pub use node::{Connector, Node, MANIFEST_VAR, NODE_VAR};
pub use server::{Server, ServerHandle};

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
