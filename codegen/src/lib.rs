//! Code generation for the interop IDL: Rust, C and Python backends reading the checked model
//! of `interop-idl`, and the builder that `build.rs` files use.
//!
//! Not yet implemented: this crate holds no code so far.
