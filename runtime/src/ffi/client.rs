//! Clients from C: connect to a service, loan requests in place, read replies and events in
//! place, or copy them.

use std::ffi::{c_char, c_int, c_void};
use std::time::Duration;

use super::service::{self, interop_service, Service};
use super::status::{self, Failure, INTEROP_E_TIMEOUT, INTEROP_OK, INTEROP_REMOTE_ERROR};
use crate::client::raw::{RawAnswer, RawHeld, RawLoan};
use crate::endpoint::Endpoint;
use crate::service::MethodKind;
use crate::{Client, ClientOptions};

/// A connection to one service. Create it with [`interop_client_connect`], free it with
/// [`interop_client_free`].
///
/// Not thread-safe: use it from one thread at a time (it may move between threads). It holds
/// at most one loaned request, or one reply, error value or event; the pointers it hands out
/// stay valid until [`interop_client_release`], the next call on the same client, or its
/// `free`, whichever comes first.
#[allow(non_camel_case_types)]
pub struct interop_client {
    client: Client,
    service: &'static Service,
    state: State,
}

/// What the client holds for its caller.
enum State {
    Idle,
    /// A request being filled in place.
    Loaned(RawLoan),
    /// A reply or an event, in place.
    Held(RawHeld),
    /// The IDL error value a call was answered with.
    ErrorValue(Vec<u8>),
}

impl interop_client {
    /// A client of `service` over `client`'s connection, holding nothing.
    pub(super) fn new(client: Client, service: &'static Service) -> interop_client {
        interop_client {
            client,
            service,
            state: State::Idle,
        }
    }

    /// Releases what the client holds, as a new operation starts; a loan still open is an
    /// error, since dropping it silently would lose the request.
    fn settle(&mut self) -> Result<(), Failure> {
        if let State::Loaned(loan) = &self.state {
            return Err(Failure::state(format!(
                "a request of `{}` is loaned and not sent; send it with interop_client_send or \
                 drop it with interop_client_release first",
                loan.method().qualified_name
            )));
        }
        self.release();
        Ok(())
    }

    /// Releases what the client holds: cancels a loan, frees a reply or an event.
    fn release(&mut self) {
        match std::mem::replace(&mut self.state, State::Idle) {
            State::Idle | State::ErrorValue(_) => {}
            State::Loaned(loan) => self.client.raw_cancel(loan),
            State::Held(held) => self.client.raw_release(held),
        }
    }

    /// Loans the zeroed request of the rpc or one-way method at `index`.
    fn loan(&mut self, index: u32) -> Result<&mut [u8], Failure> {
        self.settle()?;
        let method = self.service.method(index, None)?;
        if method.kind == MethodKind::Event {
            return Err(Failure::argument(format!(
                "`{}` is an event: subscribe to it instead",
                method.qualified_name
            )));
        }
        let loan = self.client.raw_loan(method, method.kind)?;
        self.state = State::Loaned(loan);
        let State::Loaned(loan) = &self.state else {
            unreachable!("the loan was just stored")
        };
        Ok(self.client.raw_request(loan))
    }

    /// Sends the loaned request. The answer's bytes (reply or error value; empty for a
    /// one-way message) stay held; the status says which.
    fn send(&mut self) -> Result<(c_int, &[u8]), Failure> {
        let State::Loaned(loan) = std::mem::replace(&mut self.state, State::Idle) else {
            return Err(Failure::state(
                "nothing is loaned: call interop_client_loan first",
            ));
        };
        let method = loan.method();
        let error_record = self.service.error_record(method);
        match self.client.raw_send(loan, error_record)? {
            None => Ok((INTEROP_OK, &[])),
            Some(RawAnswer::Reply(held)) => {
                self.state = State::Held(held);
                Ok((INTEROP_OK, self.held()))
            }
            Some(RawAnswer::Error(value)) => {
                self.state = State::ErrorValue(value);
                Ok((INTEROP_REMOTE_ERROR, self.held()))
            }
        }
    }

    /// The bytes of the reply, event or error value held.
    fn held(&self) -> &[u8] {
        match &self.state {
            State::Held(held) => self.client.raw_held(held),
            State::ErrorValue(value) => value,
            State::Idle | State::Loaned(_) => &[],
        }
    }

    /// The failure for a remote error value, or `status`.
    fn answered(&self, status: c_int) -> Result<c_int, Failure> {
        if status == INTEROP_REMOTE_ERROR {
            Err(Failure::new(
                INTEROP_REMOTE_ERROR,
                format!(
                    "the server answered with an error value of {} bytes",
                    self.held().len()
                ),
            ))
        } else {
            Ok(status)
        }
    }
}

/// Writes `value` through `out` when `out` is not NULL.
///
/// # Safety
/// A non-null `out` must be writable.
unsafe fn put<T>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: the caller vouches for a writable `out`.
        unsafe { out.write(value) };
    }
}

/// A pointer to `bytes` for C: NULL when there are none.
fn pointer(bytes: &[u8]) -> *const c_void {
    if bytes.is_empty() {
        std::ptr::null()
    } else {
        bytes.as_ptr().cast()
    }
}

/// The client behind `client`.
///
/// # Safety
/// A non-null `client` must come from [`interop_client_connect`] and not be freed or in use
/// by another thread.
unsafe fn client<'a>(client: *mut interop_client) -> Result<&'a mut interop_client, Failure> {
    // SAFETY: as the caller vouches.
    unsafe { status::non_null_mut(client, "client") }
}

/// Connects to `service` at `url` (`inproc://NAME`, `shm://NAME`, `pipe://NAME` or
/// `tcp://HOST:PORT`); calls wait up to `timeout_ms` for their reply (0: never wait, a full
/// connection fails with `INTEROP_E_WOULD_BLOCK`; the handshake still waits up to 5 s). On
/// success `*out` is the new client, which the caller frees with [`interop_client_free`]; on
/// failure it is NULL.
///
/// `service` is copied by the runtime the first time it is seen (see `interop_service`).
///
/// # Safety
/// `url` must be a NUL-terminated string, `service` a valid description, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_client_connect(
    url: *const c_char,
    service: *const interop_service,
    timeout_ms: u32,
    out: *mut *mut interop_client,
) -> c_int {
    status::run("interop_client_connect", || {
        let out = status::non_null_mut(out, "out")?;
        *out = std::ptr::null_mut();
        let url = status::text(url, "url")?;
        let service = service::resolve(service)?;
        let endpoint = Endpoint::parse(url)
            .map_err(|error| Failure::new(status::INTEROP_E_CONFIG, error.to_string()))?;
        let options = ClientOptions {
            timeout: Duration::from_millis(timeout_ms.into()),
            ..ClientOptions::default()
        };
        let client = Client::connect_with(&endpoint, service.descriptor, options)?;
        *out = Box::into_raw(Box::new(interop_client::new(client, service)));
        Ok(INTEROP_OK)
    })
}

/// Closes the connection and frees the client, with whatever it holds; NULL is ignored.
///
/// # Safety
/// A non-null `client` must come from [`interop_client_connect`] and not be used again.
#[no_mangle]
pub unsafe extern "C" fn interop_client_free(client: *mut interop_client) {
    status::run_void("interop_client_free", || {
        if !client.is_null() {
            // SAFETY: the caller hands the client back.
            drop(unsafe { Box::from_raw(client) });
        }
    })
}

/// Sets how long calls wait for their reply from now on (0: never wait).
///
/// # Safety
/// `client` must be a live client, used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn interop_client_set_timeout(
    client: *mut interop_client,
    timeout_ms: u32,
) -> c_int {
    status::run("interop_client_set_timeout", || {
        let client = unsafe { self::client(client)? };
        client
            .client
            .set_timeout(Duration::from_millis(timeout_ms.into()));
        Ok(INTEROP_OK)
    })
}

/// Loans the request of the rpc or one-way method at `method_index` (its index in the
/// service's `methods`): `*request` points at `*len` zeroed bytes, in the send buffer or the
/// shared-memory slot, to fill in place (generated C casts it to the request struct). Send it
/// with [`interop_client_send`], or drop it with [`interop_client_release`]. A method without
/// parameters has `*len` 0 and `*request` NULL.
///
/// # Safety
/// `client` must be a live client, used by no other thread; `request` and `len` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_client_loan(
    client: *mut interop_client,
    method_index: u32,
    request: *mut *mut c_void,
    len: *mut usize,
) -> c_int {
    status::run("interop_client_loan", || {
        let client = unsafe { self::client(client)? };
        let request = status::non_null_mut(request, "request")?;
        let len = status::non_null_mut(len, "len")?;
        *request = std::ptr::null_mut();
        *len = 0;
        let bytes = client.loan(method_index)?;
        *len = bytes.len();
        if !bytes.is_empty() {
            *request = bytes.as_mut_ptr().cast();
        }
        Ok(INTEROP_OK)
    })
}

/// Sends the loaned request (after checking it against its descriptor: an invalid request is
/// dropped with `INTEROP_E_INVALID`). For an rpc it waits for the answer: `INTEROP_OK` with
/// the reply in place, or `INTEROP_REMOTE_ERROR` with the bytes of the method's IDL error
/// value; either is readable at `*reply` for `*reply_len` bytes until
/// [`interop_client_release`] or the next call on this client. A one-way message returns
/// once handed to the transport, with no reply. `reply` and `reply_len` may be NULL.
///
/// # Safety
/// `client` must be a live client, used by no other thread; non-null out-pointers writable.
#[no_mangle]
pub unsafe extern "C" fn interop_client_send(
    client: *mut interop_client,
    reply: *mut *const c_void,
    reply_len: *mut usize,
) -> c_int {
    status::run("interop_client_send", || {
        let client = unsafe { self::client(client)? };
        unsafe {
            put(reply, std::ptr::null());
            put(reply_len, 0);
        }
        let (status, bytes) = client.send()?;
        unsafe {
            put(reply, pointer(bytes));
            put(reply_len, bytes.len());
        }
        client.answered(status)
    })
}

/// Releases what the client holds: the reply, error value or event last handed out, or a
/// loaned request not sent (which is dropped). Does nothing when it holds nothing.
///
/// # Safety
/// `client` must be a live client, used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn interop_client_release(client: *mut interop_client) -> c_int {
    status::run("interop_client_release", || {
        unsafe { self::client(client)? }.release();
        Ok(INTEROP_OK)
    })
}

/// Calls the rpc at `method_index`, copying: `request_len` bytes from `request` (exactly the
/// request's size; NULL for a method without parameters) are sent, and the answer is copied
/// into `reply` (room for `reply_capacity` bytes), its size in `*reply_len`. Returns
/// `INTEROP_OK` for a reply, `INTEROP_REMOTE_ERROR` for an IDL error value (copied the same
/// way), `INTEROP_E_ARGUMENT` with `*reply_len` set when the answer does not fit.
///
/// # Safety
/// `client` must be a live client, used by no other thread; `request` readable for
/// `request_len` bytes; `reply` writable for `reply_capacity` bytes; `reply_len` writable.
#[no_mangle]
pub unsafe extern "C" fn interop_client_call(
    client: *mut interop_client,
    method_index: u32,
    request: *const c_void,
    request_len: usize,
    reply: *mut c_void,
    reply_capacity: usize,
    reply_len: *mut usize,
) -> c_int {
    status::run("interop_client_call", || {
        let client = unsafe { self::client(client)? };
        let reply_len = status::non_null_mut(reply_len, "reply_len")?;
        *reply_len = 0;
        let method = client.service.method(method_index, Some(MethodKind::Rpc))?;
        unsafe { loan_copy(client, method_index, request, request_len) }?;
        let (status, bytes) = client.send()?;
        *reply_len = bytes.len();
        let copied = if bytes.len() > reply_capacity {
            Err(Failure::argument(format!(
                "the answer of `{}` has {} bytes, more than reply_capacity {reply_capacity}",
                method.qualified_name,
                bytes.len()
            )))
        } else if reply.is_null() && !bytes.is_empty() {
            Err(Failure::argument("`reply` is NULL"))
        } else {
            if !bytes.is_empty() {
                // SAFETY: the caller vouches for `reply_capacity` writable bytes.
                unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), reply.cast(), bytes.len()) };
            }
            client.answered(status)
        };
        client.release();
        copied
    })
}

/// Sends the one-way method at `method_index`, copying `len` bytes from `message` (exactly
/// the message's size; NULL for a method without parameters).
///
/// # Safety
/// `client` must be a live client, used by no other thread; `message` readable for `len`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn interop_client_send_oneway(
    client: *mut interop_client,
    method_index: u32,
    message: *const c_void,
    len: usize,
) -> c_int {
    status::run("interop_client_send_oneway", || {
        let client = unsafe { self::client(client)? };
        client
            .service
            .method(method_index, Some(MethodKind::Oneway))?;
        unsafe { loan_copy(client, method_index, message, len) }?;
        client.send().map(|_| INTEROP_OK)
    })
}

/// Loans the request of the method at `index` and copies `len` bytes from `bytes` into it.
///
/// # Safety
/// `bytes` readable for `len` bytes.
unsafe fn loan_copy(
    client: &mut interop_client,
    index: u32,
    bytes: *const c_void,
    len: usize,
) -> Result<(), Failure> {
    let loaned = client.loan(index)?;
    let failure = if loaned.len() != len {
        Some(Failure::argument(format!(
            "the message takes {} bytes, not {len}",
            loaned.len()
        )))
    } else if bytes.is_null() && len > 0 {
        Some(Failure::argument("the message is NULL"))
    } else {
        if len > 0 {
            // SAFETY: the caller vouches for `len` readable bytes.
            loaned.copy_from_slice(unsafe { std::slice::from_raw_parts(bytes.cast(), len) });
        }
        None
    };
    match failure {
        Some(failure) => {
            client.release();
            Err(failure)
        }
        None => Ok(()),
    }
}

/// Starts delivering the event at `method_index` to this client.
///
/// # Safety
/// `client` must be a live client, used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn interop_client_subscribe(
    client: *mut interop_client,
    method_index: u32,
) -> c_int {
    status::run("interop_client_subscribe", || {
        let client = unsafe { self::client(client)? };
        client.settle()?;
        let event = client
            .service
            .method(method_index, Some(MethodKind::Event))?;
        client.client.subscribe(event)?;
        Ok(INTEROP_OK)
    })
}

/// Stops delivering the event at `method_index` to this client.
///
/// # Safety
/// `client` must be a live client, used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn interop_client_unsubscribe(
    client: *mut interop_client,
    method_index: u32,
) -> c_int {
    status::run("interop_client_unsubscribe", || {
        let client = unsafe { self::client(client)? };
        client.settle()?;
        let event = client
            .service
            .method(method_index, Some(MethodKind::Event))?;
        client.client.unsubscribe(event)?;
        Ok(INTEROP_OK)
    })
}

/// Waits up to `timeout_ms` (negative: forever) for the next event of a subscription:
/// `*method_index` is its method, `*event` its message in place for `*len` bytes, valid until
/// [`interop_client_release`] or the next call on this client. `INTEROP_E_TIMEOUT` when none
/// came in time; `INTEROP_E_LAGGED` (once) when events were lost because they were not taken
/// in time.
///
/// # Safety
/// `client` must be a live client, used by no other thread; the out-pointers writable.
#[no_mangle]
pub unsafe extern "C" fn interop_client_next_event(
    client: *mut interop_client,
    timeout_ms: i64,
    method_index: *mut u32,
    event: *mut *const c_void,
    len: *mut usize,
) -> c_int {
    status::run("interop_client_next_event", || {
        let client = unsafe { self::client(client)? };
        let method_index = status::non_null_mut(method_index, "method_index")?;
        let event = status::non_null_mut(event, "event")?;
        let len = status::non_null_mut(len, "len")?;
        *method_index = u32::MAX;
        *event = std::ptr::null();
        *len = 0;
        client.settle()?;
        let timeout = u64::try_from(timeout_ms).ok().map(Duration::from_millis);
        let Some(held) = client.client.raw_next_event(timeout)? else {
            return Err(Failure::new(
                INTEROP_E_TIMEOUT,
                format!(
                    "no event of `{}` within {timeout_ms} ms",
                    client.service.descriptor.qualified_name
                ),
            ));
        };
        if let Some(method) = Client::raw_event_method(&held) {
            *method_index = client.service.index_of(method);
        }
        client.state = State::Held(held);
        let bytes = client.held();
        *event = pointer(bytes);
        *len = bytes.len();
        Ok(INTEROP_OK)
    })
}
