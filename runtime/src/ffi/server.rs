//! Servers from C: listen on endpoints, serve services through tables of C handlers, run the
//! loop (or drive it from the caller's own loop), stop it and publish events from any thread.

use std::ffi::{c_char, c_int, c_void};
use std::os::fd::AsRawFd;
use std::ptr::NonNull;
use std::time::Duration;

use super::service::{self, interop_service, Service};
use super::status::{self, Failure, INTEROP_OK};
use crate::server::{Call, Outcome, Publisher};
use crate::service::{MethodKind, ServiceDescriptor};
use crate::{Server, ServerHandle};

/// A handler's status: the reply is written.
pub const INTEROP_HANDLER_OK: c_int = 0;
/// A handler's status: a value of the method's IDL error enum is written to `error`.
pub const INTEROP_HANDLER_ERROR: c_int = 1;

/// The handler of one method: it reads the request (`request_len` bytes; NULL and 0 for a
/// method without parameters) and writes the reply in place (`reply_len` zeroed bytes; NULL
/// and 0 for an empty reply or a one-way method), or the method's IDL error value in `error`
/// (`error_len` zeroed bytes; NULL and 0 when the method declares no error). It returns
/// `INTEROP_HANDLER_OK`, `INTEROP_HANDLER_ERROR`, or anything else for a failure, which the
/// caller receives as `INTEROP_E_FAILED`. The request was validated before the call; the
/// reply or error value is validated after it, and refused (the caller gets a failure) when
/// it is not a valid message.
///
/// Handlers of a service are called one at a time, from the thread running the server's loop
/// or, for `inproc://` clients, from the calling client's thread.
#[allow(non_camel_case_types)]
pub type interop_handler = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        request: *const c_void,
        request_len: usize,
        reply: *mut c_void,
        reply_len: usize,
        error: *mut c_void,
        error_len: usize,
    ) -> c_int,
>;

/// A server: one event loop serving services on endpoints. Create it with
/// [`interop_server_new`] or [`interop_server_bind`], free it with [`interop_server_free`].
///
/// Not thread-safe: use it from one thread at a time. To stop it from another thread, take an
/// `interop_server_handle`; to publish events from any thread, an `interop_publisher`.
///
/// The server of a node (`interop_node_server`) belongs to the node: never freed by the caller.
#[allow(non_camel_case_types)]
pub struct interop_server {
    server: Slot,
}

/// Where the server behind a handle lives.
enum Slot {
    /// Created through the ABI, freed with `interop_server_free`.
    Owned(Server),
    /// A node's, which owns it (boxed, so it does not move) and outlives the handle.
    OfNode(NonNull<Server>),
}

impl interop_server {
    /// The handle of a node's server, which must outlive it and not move.
    pub(super) fn of_node(server: &mut Server) -> interop_server {
        interop_server {
            server: Slot::OfNode(NonNull::from(server)),
        }
    }

    /// The server behind the handle.
    fn get(&mut self) -> &mut Server {
        match &mut self.server {
            Slot::Owned(server) => server,
            // SAFETY: the node owning the server outlives this handle, which it holds.
            Slot::OfNode(server) => unsafe { server.as_mut() },
        }
    }
}

/// Stops a running server from any thread. Thread-safe; it stays valid after its server is
/// freed (stopping then does nothing). Free it with [`interop_server_handle_free`].
#[allow(non_camel_case_types)]
pub struct interop_server_handle {
    handle: ServerHandle,
}

/// Publishes one service's events to its subscribers, from any thread (handlers included).
/// Thread-safe. Free it with [`interop_publisher_free`].
#[allow(non_camel_case_types)]
pub struct interop_publisher {
    publisher: Publisher,
    service: &'static Service,
}

/// The `user_data` of a service's handlers, handed back to them.
struct UserData(*mut c_void);

// SAFETY: the C caller of `interop_server_serve` agrees that its handlers and their
// `user_data` may be called from the loop's thread (and in-process clients' threads), one
// call at a time, which `Server` ensures by locking the service for each call.
unsafe impl Send for UserData {}

/// A service served by C handlers.
pub(super) struct Handlers {
    service: &'static Service,
    /// One per method, by index.
    table: Vec<interop_handler>,
    user_data: UserData,
    /// Where the handler writes an error value.
    error: Vec<u8>,
}

impl Handlers {
    /// The service `service` served by `handler_count` handlers from `handlers`, one per
    /// method (NULL for none), called with `user_data`.
    ///
    /// # Safety
    /// `service` must be a valid description and `handlers` readable for `handler_count`
    /// entries.
    pub(super) unsafe fn new(
        service: *const interop_service,
        handlers: *const interop_handler,
        handler_count: usize,
        user_data: *mut c_void,
    ) -> Result<Handlers, Failure> {
        // SAFETY: as the caller vouches.
        let service = unsafe { service::resolve(service) }?;
        let methods = service.descriptor.methods.len();
        if handler_count != methods {
            return Err(Failure::argument(format!(
                "`{}` has {methods} methods but handler_count is {handler_count}; pass one \
                 handler (or NULL) per method",
                service.descriptor.qualified_name
            )));
        }
        if handlers.is_null() && handler_count > 0 {
            return Err(Failure::argument("`handlers` is NULL"));
        }
        let table = if handler_count == 0 {
            Vec::new()
        } else {
            // SAFETY: `handlers` is non-null and readable for `handler_count` entries.
            unsafe { std::slice::from_raw_parts(handlers, handler_count) }.to_vec()
        };
        Ok(Handlers {
            service,
            table,
            user_data: UserData(user_data),
            error: Vec::new(),
        })
    }
}

impl crate::server::Service for Handlers {
    fn descriptor(&self) -> &'static ServiceDescriptor {
        self.service.descriptor
    }

    fn call(&mut self, call: Call<'_>) -> Outcome {
        let method = call.method;
        let Some(Some(handler)) = self.table.get(self.service.index_of(method) as usize) else {
            return Outcome::Failed(format!(
                "`{}` has no handler in this server; pass one to interop_server_serve",
                method.qualified_name
            ));
        };
        let error_record = self.service.error_record(method);
        self.error.clear();
        self.error.resize(self.service.size(error_record), 0);
        call.reply.fill(0);
        // SAFETY: the pointers are valid for the lengths given, for the time of the call, as
        // the handler's contract says.
        let status = unsafe {
            handler(
                self.user_data.0,
                pointer(call.request),
                call.request.len(),
                pointer_mut(call.reply),
                call.reply.len(),
                pointer_mut(&mut self.error),
                self.error.len(),
            )
        };
        let checked = match status {
            INTEROP_HANDLER_OK => self
                .service
                .check(method, method.results, call.reply, "the reply written")
                .map(|()| Outcome::Done),
            INTEROP_HANDLER_ERROR if error_record.is_some() => self
                .service
                .check(method, error_record, &self.error, "the error value written")
                .map(|()| Outcome::Error(self.error.clone())),
            INTEROP_HANDLER_ERROR => Err(format!(
                "the handler of `{}` returned INTEROP_HANDLER_ERROR, but the method declares no \
                 error type",
                method.qualified_name
            )),
            other => Err(format!(
                "the handler of `{}` failed (it returned {other})",
                method.qualified_name
            )),
        };
        checked.unwrap_or_else(|message| {
            log::warn!("{message}");
            Outcome::Failed(message)
        })
    }
}

fn pointer(bytes: &[u8]) -> *const c_void {
    if bytes.is_empty() {
        std::ptr::null()
    } else {
        bytes.as_ptr().cast()
    }
}

fn pointer_mut(bytes: &mut [u8]) -> *mut c_void {
    if bytes.is_empty() {
        std::ptr::null_mut()
    } else {
        bytes.as_mut_ptr().cast()
    }
}

/// The server behind `server`.
///
/// # Safety
/// A non-null `server` must come from [`interop_server_new`] or [`interop_server_bind`], not
/// freed, not in use by another thread.
unsafe fn server<'a>(server: *mut interop_server) -> Result<&'a mut Server, Failure> {
    // SAFETY: as the caller vouches.
    unsafe { status::non_null_mut(server, "server") }.map(interop_server::get)
}

/// Writes a new object to `out` (NULL first, on failure).
///
/// # Safety
/// A non-null `out` must be writable.
pub(super) unsafe fn create<T>(
    out: *mut *mut T,
    make: impl FnOnce() -> Result<T, Failure>,
) -> Result<c_int, Failure> {
    // SAFETY: as the caller vouches.
    let out = unsafe { status::non_null_mut(out, "out") }?;
    *out = std::ptr::null_mut();
    *out = Box::into_raw(Box::new(make()?));
    Ok(INTEROP_OK)
}

/// A server listening on nothing yet; `*out` is freed with [`interop_server_free`].
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn interop_server_new(out: *mut *mut interop_server) -> c_int {
    status::run("interop_server_new", || unsafe {
        create(out, || {
            Ok(interop_server {
                server: Slot::Owned(Server::new()?),
            })
        })
    })
}

/// A server listening on `url` (`inproc://NAME`, `shm://NAME`, `pipe://NAME` or
/// `tcp://HOST:PORT`); `*out` is freed with [`interop_server_free`].
///
/// # Safety
/// `url` must be a NUL-terminated string, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_server_bind(
    url: *const c_char,
    out: *mut *mut interop_server,
) -> c_int {
    status::run("interop_server_bind", || unsafe {
        let url = status::text(url, "url")?;
        create(out, || {
            Ok(interop_server {
                server: Slot::Owned(Server::bind(url)?),
            })
        })
    })
}

/// Listens on one more endpoint. `shm://NAME` and `pipe://NAME` share one Unix socket, which
/// serves clients of both kinds.
///
/// # Safety
/// `server` must be a live server used by no other thread; `url` a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn interop_server_listen(
    server: *mut interop_server,
    url: *const c_char,
) -> c_int {
    status::run("interop_server_listen", || unsafe {
        let server = self::server(server)?;
        server.listen(status::text(url, "url")?)?;
        Ok(INTEROP_OK)
    })
}

/// Serves `service` on every endpoint of the server, with `handlers[i]` handling the call of
/// `service->methods[i]` (`handler_count` must be `service->method_count`; NULL for a method
/// without a handler, whose calls fail, and for events). `user_data` is passed to every
/// handler; it must stay valid until the server is freed.
///
/// # Safety
/// `server` must be a live server used by no other thread; `service` a valid description;
/// `handlers` readable for `handler_count` entries.
#[no_mangle]
pub unsafe extern "C" fn interop_server_serve(
    server: *mut interop_server,
    service: *const interop_service,
    handlers: *const interop_handler,
    handler_count: usize,
    user_data: *mut c_void,
) -> c_int {
    status::run("interop_server_serve", || unsafe {
        let server = self::server(server)?;
        server.serve(Handlers::new(service, handlers, handler_count, user_data)?)?;
        Ok(INTEROP_OK)
    })
}

/// Runs the loop until [`interop_server_handle_stop`]; it returns `INTEROP_OK` then, or the
/// failure of the loop.
///
/// # Safety
/// `server` must be a live server used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn interop_server_run(server: *mut interop_server) -> c_int {
    status::run("interop_server_run", || unsafe {
        self::server(server)?.run()?;
        Ok(INTEROP_OK)
    })
}

/// Runs one turn of the loop from the caller's own loop: waits at most `timeout_ms` for
/// something to do, does it, and returns. Watch [`interop_server_fd`] for readability to know
/// when to call it, and call it with 0 while [`interop_server_is_busy`] says 1.
///
/// # Safety
/// `server` must be a live server used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn interop_server_run_once(
    server: *mut interop_server,
    timeout_ms: u32,
) -> c_int {
    status::run("interop_server_run_once", || unsafe {
        let timeout = Duration::from_millis(timeout_ms.into());
        self::server(server)?.run_once(Some(timeout))?;
        Ok(INTEROP_OK)
    })
}

/// The descriptor of the server's loop (an epoll descriptor), readable when the loop has
/// something to do; owned by the server. Negative (`INTEROP_E_ARGUMENT`) for NULL.
///
/// # Safety
/// `server` must be a live server used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn interop_server_fd(server: *mut interop_server) -> c_int {
    status::run("interop_server_fd", || unsafe {
        Ok(self::server(server)?.as_raw_fd())
    })
}

/// 1 when the loop has work left for its next turn (so the caller's loop should not sleep),
/// 0 when not; negative (`INTEROP_E_ARGUMENT`) for NULL.
///
/// # Safety
/// `server` must be a live server used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn interop_server_is_busy(server: *mut interop_server) -> c_int {
    status::run("interop_server_is_busy", || unsafe {
        Ok(c_int::from(self::server(server)?.is_busy()))
    })
}

/// Stops listening, closes every connection and frees the server; NULL is ignored. Handles
/// and publishers taken from it stay valid (they then do nothing) until freed.
///
/// # Safety
/// A non-null `server` must be a live server, not running, not used again.
#[no_mangle]
pub unsafe extern "C" fn interop_server_free(server: *mut interop_server) {
    status::run_void("interop_server_free", || {
        if server.is_null() {
            return;
        }
        // SAFETY: the caller vouches for a live server.
        if let Slot::OfNode(_) = unsafe { &(*server).server } {
            log::error!(
                "interop_server_free: this server belongs to its node and was not freed; free \
                 the node with interop_node_free"
            );
            return;
        }
        // SAFETY: the caller hands the server back, and it was boxed by this module.
        drop(unsafe { Box::from_raw(server) });
    })
}

/// A handle that stops the server from any thread; `*out` is freed with
/// [`interop_server_handle_free`].
///
/// # Safety
/// `server` must be a live server used by no other thread; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_server_handle_new(
    server: *mut interop_server,
    out: *mut *mut interop_server_handle,
) -> c_int {
    status::run("interop_server_handle_new", || unsafe {
        let handle = self::server(server)?.handle();
        create(out, || Ok(interop_server_handle { handle }))
    })
}

/// Asks the server's loop to stop: [`interop_server_run`] returns soon after. Thread-safe.
///
/// # Safety
/// `handle` must be a live handle.
#[no_mangle]
pub unsafe extern "C" fn interop_server_handle_stop(handle: *const interop_server_handle) -> c_int {
    status::run("interop_server_handle_stop", || unsafe {
        status::non_null(handle, "handle")?.handle.stop();
        Ok(INTEROP_OK)
    })
}

/// Frees a handle; NULL is ignored.
///
/// # Safety
/// A non-null `handle` must be a live handle, not used again.
#[no_mangle]
pub unsafe extern "C" fn interop_server_handle_free(handle: *mut interop_server_handle) {
    status::run_void("interop_server_handle_free", || {
        if !handle.is_null() {
            // SAFETY: the caller hands the handle back.
            drop(unsafe { Box::from_raw(handle) });
        }
    })
}

/// A publisher of the events of `service`, which the server must serve; `*out` is freed with
/// [`interop_publisher_free`].
///
/// # Safety
/// `server` must be a live server used by no other thread; `service` a valid description;
/// `out` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_publisher_new(
    server: *mut interop_server,
    service: *const interop_service,
    out: *mut *mut interop_publisher,
) -> c_int {
    status::run("interop_publisher_new", || unsafe {
        let server = self::server(server)?;
        let service = service::resolve(service)?;
        let publisher = server.publisher(service.descriptor.qualified_name)?;
        create(out, || Ok(interop_publisher { publisher, service }))
    })
}

/// Sends `len` bytes from `event` (exactly the event's size, a valid message: it is checked)
/// as the event at `method_index` to every subscribed client. Thread-safe.
///
/// # Safety
/// `publisher` must be a live publisher; `event` readable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn interop_publisher_publish(
    publisher: *const interop_publisher,
    method_index: u32,
    event: *const c_void,
    len: usize,
) -> c_int {
    status::run("interop_publisher_publish", || unsafe {
        let publisher = status::non_null(publisher, "publisher")?;
        let service = publisher.service;
        let method = service.method(method_index, Some(MethodKind::Event))?;
        if event.is_null() && len > 0 {
            return Err(Failure::argument("`event` is NULL"));
        }
        let bytes = if len == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(event.cast::<u8>(), len)
        };
        service
            .check(method, method.params, bytes, "the event")
            .map_err(|message| Failure::new(status::INTEROP_E_INVALID, message))?;
        publisher.publisher.publish_bytes(method, bytes)?;
        Ok(INTEROP_OK)
    })
}

/// Frees a publisher; NULL is ignored.
///
/// # Safety
/// A non-null `publisher` must be a live publisher, not used again.
#[no_mangle]
pub unsafe extern "C" fn interop_publisher_free(publisher: *mut interop_publisher) {
    status::run_void("interop_publisher_free", || {
        if !publisher.is_null() {
            // SAFETY: the caller hands the publisher back.
            drop(unsafe { Box::from_raw(publisher) });
        }
    })
}
