//! Nodes from C: one process of a deployment manifest, which serves what the manifest says it
//! provides and connects to what it uses over the transports the manifest chose.

use std::ffi::{c_char, c_int, c_void};

use super::client::interop_client;
use super::server::{create, interop_handler, interop_server, Handlers};
use super::service::{self, interop_service};
use super::status::{self, Failure, INTEROP_OK};
use crate::Node;

/// One process (node) of a deployment manifest: it listens where the manifest says, serves
/// the services the node provides and connects to those it uses. Create it with
/// [`interop_node_open`] or [`interop_node_from_env`], free it with [`interop_node_free`].
///
/// Not thread-safe: use it from one thread at a time. Its server (from
/// [`interop_node_server`]) runs its loop; clients it connects are independent handles.
#[allow(non_camel_case_types)]
pub struct interop_node {
    /// Boxed, so that `server` may point into it.
    node: Box<Node>,
    /// The handle of the node's server.
    server: interop_server,
}

impl interop_node {
    /// A node and the handle of its server.
    fn new(node: Node) -> interop_node {
        let mut node = Box::new(node);
        let server = interop_server::of_node(node.server());
        interop_node { node, server }
    }
}

/// The node behind `node`.
///
/// # Safety
/// A non-null `node` must be a live node, not in use by another thread.
unsafe fn node<'a>(node: *mut interop_node) -> Result<&'a mut Node, Failure> {
    // SAFETY: as the caller vouches.
    unsafe { status::non_null_mut(node, "node") }.map(|node| &mut *node.node)
}

/// Opens node `node_name` of the deployment manifest at `manifest_path`: it listens on the
/// endpoints the manifest plans for it. `*out` is freed with [`interop_node_free`].
///
/// # Safety
/// `manifest_path` and `node_name` must be NUL-terminated strings, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_node_open(
    manifest_path: *const c_char,
    node_name: *const c_char,
    out: *mut *mut interop_node,
) -> c_int {
    status::run("interop_node_open", || unsafe {
        let manifest = status::text(manifest_path, "manifest_path")?;
        let name = status::text(node_name, "node_name")?;
        create(out, || Ok(interop_node::new(Node::open(manifest, name)?)))
    })
}

/// Opens the node named by the environment variable `INTEROP_NODE` in the manifest named by
/// `INTEROP_MANIFEST`, as deployment tools start processes. `*out` is freed with
/// [`interop_node_free`].
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn interop_node_from_env(out: *mut *mut interop_node) -> c_int {
    status::run("interop_node_from_env", || unsafe {
        create(out, || Ok(interop_node::new(Node::from_env()?)))
    })
}

/// Serves `service`, which the manifest must list in the node's `provides`, with C handlers
/// as [`interop_server_serve`](super::server::interop_server_serve) takes them.
///
/// # Safety
/// `node` must be a live node used by no other thread; `service` a valid description;
/// `handlers` readable for `handler_count` entries; `user_data` valid until the node is freed.
#[no_mangle]
pub unsafe extern "C" fn interop_node_serve(
    node: *mut interop_node,
    service: *const interop_service,
    handlers: *const interop_handler,
    handler_count: usize,
    user_data: *mut c_void,
) -> c_int {
    status::run("interop_node_serve", || unsafe {
        let node = self::node(node)?;
        node.serve(Handlers::new(service, handlers, handler_count, user_data)?)?;
        Ok(INTEROP_OK)
    })
}

/// Connects to `service`, which the manifest must list in the node's `uses`, over the
/// transport and with the timeout the manifest plans for that link. On success `*out` is the
/// new client, freed with [`interop_client_free`](super::client::interop_client_free).
///
/// # Safety
/// `node` must be a live node; `service` a valid description; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_node_connect(
    node: *const interop_node,
    service: *const interop_service,
    out: *mut *mut interop_client,
) -> c_int {
    status::run("interop_node_connect", || unsafe {
        let node = &status::non_null(node, "node")?.node;
        let service = service::resolve(service)?;
        create(out, || {
            Ok(interop_client::new(
                node.connect(service.descriptor)?,
                service,
            ))
        })
    })
}

/// The node's server, to run its loop (`interop_server_run`, or `interop_server_run_once`
/// with `interop_server_fd`), stop it (`interop_server_handle_new`) and publish events
/// (`interop_publisher_new`). It is borrowed from the node: valid until
/// [`interop_node_free`], and never freed by the caller.
///
/// # Safety
/// `node` must be a live node used by no other thread; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_node_server(
    node: *mut interop_node,
    out: *mut *mut interop_server,
) -> c_int {
    status::run("interop_node_server", || unsafe {
        let out = status::non_null_mut(out, "out")?;
        *out = std::ptr::null_mut();
        *out = &mut status::non_null_mut(node, "node")?.server;
        Ok(INTEROP_OK)
    })
}

/// Stops listening, closes every connection of the node's server and frees the node; NULL is
/// ignored. Clients it connected stay valid until freed.
///
/// # Safety
/// A non-null `node` must be a live node, its server not running, not used again.
#[no_mangle]
pub unsafe extern "C" fn interop_node_free(node: *mut interop_node) {
    status::run_void("interop_node_free", || {
        if !node.is_null() {
            // SAFETY: the caller hands the node back.
            drop(unsafe { Box::from_raw(node) });
        }
    })
}
