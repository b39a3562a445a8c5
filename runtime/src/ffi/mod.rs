//! The stable C ABI of the runtime (`include/interop.h`, generated from this module by
//! cbindgen; `docs/C_ABI.md`).
//!
//! - Every function returns an `int` status: `INTEROP_OK` (0), `INTEROP_REMOTE_ERROR` (1) when
//!   a call was answered with the method's IDL error value, or a negative `INTEROP_E_*` code;
//!   `interop_last_error()` then says what went wrong, where, and what to do.
//! - No panic crosses the ABI, null pointers are refused, and every message is validated
//!   against its descriptor before anyone reads it.
//! - Services are described by `interop_service` (generated C declares them `static const`),
//!   methods by their index in it.
//! - A node (`interop_node`) is one process of a deployment manifest: it serves and connects
//!   as the manifest plans.
//! - Handles are opaque: `interop_client` and `interop_server` are used by one thread at a
//!   time; `interop_server_handle` and `interop_publisher` by any thread.

mod client;
mod node;
mod server;
mod service;
mod status;

pub use client::*;
pub use node::*;
pub use server::*;
pub use service::*;
pub use status::*;
