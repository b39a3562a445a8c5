//! The interop runtime: transports (shared memory, pipes, TCP, in-process), the event loop,
//! the wire protocol, deployment manifests and security.
//!
//! Not yet implemented: this crate holds no code so far.
