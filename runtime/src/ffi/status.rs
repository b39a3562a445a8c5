//! Status codes, the thread's last error message, and the wrapper that keeps panics and null
//! pointers from crossing the ABI.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, CString};
use std::panic::{self, AssertUnwindSafe};

use crate::error::Error;

/// The call succeeded.
pub const INTEROP_OK: c_int = 0;
/// The call reached the server's handler, which answered with a value of the method's IDL
/// error enum: its bytes are readable where a reply would be.
pub const INTEROP_REMOTE_ERROR: c_int = 1;
/// A system call failed (connecting, binding, reading, writing).
pub const INTEROP_E_IO: c_int = -1;
/// The peer closed the connection or its process died.
pub const INTEROP_E_PEER_GONE: c_int = -2;
/// No reply (or event) within the timeout.
pub const INTEROP_E_TIMEOUT: c_int = -3;
/// The ring or socket is full and the client's timeout is zero.
pub const INTEROP_E_WOULD_BLOCK: c_int = -4;
/// The two sides were generated from different versions of the method.
pub const INTEROP_E_FINGERPRINT_MISMATCH: c_int = -5;
/// The server refused the connection in its handshake.
pub const INTEROP_E_REFUSED: c_int = -6;
/// The server's runtime refused the call, or the handler failed; the handler's IDL error is
/// [`INTEROP_REMOTE_ERROR`] instead.
pub const INTEROP_E_FAILED: c_int = -7;
/// A message failed validation (from the peer, or built by the caller); nothing used it.
pub const INTEROP_E_INVALID: c_int = -8;
/// The peer broke the wire protocol; the connection is closed.
pub const INTEROP_E_PROTOCOL: c_int = -9;
/// Events were lost because they were not taken in time.
pub const INTEROP_E_LAGGED: c_int = -10;
/// The deployment manifest has problems.
pub const INTEROP_E_MANIFEST: c_int = -11;
/// An endpoint, option or service description makes no sense.
pub const INTEROP_E_CONFIG: c_int = -12;
/// An argument is wrong: a null pointer, a method index out of range, a size that is not the
/// message's, a buffer too small.
pub const INTEROP_E_ARGUMENT: c_int = -13;
/// The call does not fit the handle's state: a loan is already open, nothing is loaned to
/// send.
pub const INTEROP_E_STATE: c_int = -14;
/// The runtime panicked; the handle involved may be unusable (free it).
pub const INTEROP_E_PANIC: c_int = -15;

/// A failure on its way to the C caller: its status code and message.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: c_int,
    pub(crate) message: String,
}

impl Failure {
    /// A failure with `status` and `message`.
    pub(crate) fn new(status: c_int, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    /// A wrong argument.
    pub(crate) fn argument(message: impl Into<String>) -> Failure {
        Failure::new(INTEROP_E_ARGUMENT, message)
    }

    /// A call out of order.
    pub(crate) fn state(message: impl Into<String>) -> Failure {
        Failure::new(INTEROP_E_STATE, message)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        let status = match &error {
            Error::Io { .. } => INTEROP_E_IO,
            Error::PeerGone { .. } => INTEROP_E_PEER_GONE,
            Error::Timeout { .. } => INTEROP_E_TIMEOUT,
            Error::WouldBlock { .. } => INTEROP_E_WOULD_BLOCK,
            Error::FingerprintMismatch { .. } => INTEROP_E_FINGERPRINT_MISMATCH,
            Error::Refused { .. } => INTEROP_E_REFUSED,
            Error::Failed { .. } => INTEROP_E_FAILED,
            Error::Invalid { .. } | Error::InvalidRequest { .. } => INTEROP_E_INVALID,
            Error::Protocol { .. } => INTEROP_E_PROTOCOL,
            Error::Lagged { .. } => INTEROP_E_LAGGED,
            Error::Manifest(_) => INTEROP_E_MANIFEST,
            Error::Config { .. } => INTEROP_E_CONFIG,
        };
        Failure::new(status, error.to_string())
    }
}

thread_local! {
    /// The message of the last failed call on this thread; None after a success.
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

fn set_last_error(message: &str) {
    let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    LAST_ERROR.with(|last| *last.borrow_mut() = Some(message));
}

/// Forgets the last error: a success costs no allocation.
fn clear_last_error() {
    LAST_ERROR.with(|last| *last.borrow_mut() = None);
}

/// Runs the body of an ABI function named `function`: its status, or the failure's (with
/// its message kept for [`interop_last_error`]); a panic becomes [`INTEROP_E_PANIC`].
pub(crate) fn run(function: &str, body: impl FnOnce() -> Result<c_int, Failure>) -> c_int {
    let result = panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        log::error!("{function} panicked: {what}");
        Err(Failure::new(
            INTEROP_E_PANIC,
            format!("{function} panicked: {what}; this is a bug of the runtime"),
        ))
    });
    match result {
        Ok(status) => {
            clear_last_error();
            status
        }
        Err(failure) => {
            set_last_error(&format!("{function}: {}", failure.message));
            failure.status
        }
    }
}

/// Runs `body` for an ABI function that returns nothing (the `free` functions): a panic is
/// logged and kept as the last error.
pub(crate) fn run_void(function: &str, body: impl FnOnce()) {
    run(function, || {
        body();
        Ok(INTEROP_OK)
    });
}

/// `pointer` as a reference; a null pointer is an [`INTEROP_E_ARGUMENT`] naming `what`.
///
/// # Safety
/// A non-null `pointer` must point to a valid `T` for `'a`.
pub(crate) unsafe fn non_null<'a, T>(pointer: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: the caller vouches for non-null pointers.
    unsafe { pointer.as_ref() }.ok_or_else(|| Failure::argument(format!("`{what}` is NULL")))
}

/// `pointer` as a mutable reference; a null pointer is an [`INTEROP_E_ARGUMENT`].
///
/// # Safety
/// A non-null `pointer` must point to a valid `T`, not aliased, for `'a`.
pub(crate) unsafe fn non_null_mut<'a, T>(
    pointer: *mut T,
    what: &str,
) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller vouches for non-null pointers.
    unsafe { pointer.as_mut() }.ok_or_else(|| Failure::argument(format!("`{what}` is NULL")))
}

/// The NUL-terminated text of a C string argument; null or invalid UTF-8 is an
/// [`INTEROP_E_ARGUMENT`].
///
/// # Safety
/// A non-null `text` must be NUL-terminated and readable.
pub(crate) unsafe fn text<'a>(text: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if text.is_null() {
        return Err(Failure::argument(format!("`{what}` is NULL")));
    }
    // SAFETY: the caller vouches for a NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(text) }
        .to_str()
        .map_err(|error| Failure::argument(format!("`{what}` is not UTF-8: {error}")))
}

/// The message of the last call made on this thread that failed, or an empty string when the
/// last call succeeded. Never NULL. The string is owned by the runtime and stays valid until
/// the next `interop_*` call on this thread.
#[no_mangle]
pub extern "C" fn interop_last_error() -> *const c_char {
    LAST_ERROR.with(|last| match &*last.borrow() {
        Some(message) => message.as_ptr(),
        None => c"".as_ptr(),
    })
}

/// The name of a status code (`"INTEROP_E_TIMEOUT"`, ...), or `"unknown status"`; a static
/// string, never NULL. It does not change [`interop_last_error`].
#[no_mangle]
pub extern "C" fn interop_status_name(status: c_int) -> *const c_char {
    let name: &'static [u8] = match status {
        INTEROP_OK => b"INTEROP_OK\0",
        INTEROP_REMOTE_ERROR => b"INTEROP_REMOTE_ERROR\0",
        INTEROP_E_IO => b"INTEROP_E_IO\0",
        INTEROP_E_PEER_GONE => b"INTEROP_E_PEER_GONE\0",
        INTEROP_E_TIMEOUT => b"INTEROP_E_TIMEOUT\0",
        INTEROP_E_WOULD_BLOCK => b"INTEROP_E_WOULD_BLOCK\0",
        INTEROP_E_FINGERPRINT_MISMATCH => b"INTEROP_E_FINGERPRINT_MISMATCH\0",
        INTEROP_E_REFUSED => b"INTEROP_E_REFUSED\0",
        INTEROP_E_FAILED => b"INTEROP_E_FAILED\0",
        INTEROP_E_INVALID => b"INTEROP_E_INVALID\0",
        INTEROP_E_PROTOCOL => b"INTEROP_E_PROTOCOL\0",
        INTEROP_E_LAGGED => b"INTEROP_E_LAGGED\0",
        INTEROP_E_MANIFEST => b"INTEROP_E_MANIFEST\0",
        INTEROP_E_CONFIG => b"INTEROP_E_CONFIG\0",
        INTEROP_E_ARGUMENT => b"INTEROP_E_ARGUMENT\0",
        INTEROP_E_STATE => b"INTEROP_E_STATE\0",
        INTEROP_E_PANIC => b"INTEROP_E_PANIC\0",
        _ => b"unknown status\0",
    };
    name.as_ptr().cast()
}
