"""Finding and loading libinterop.so, and the ctypes declarations of runtime/include/interop.h.

The library is loaded on first use (:func:`library`), never on import, so that generated modules
and this package import on machines without it. Lookup order: the ``INTEROP_LIBRARY``
environment variable (a path to the library); a copy in this package's folder; the workspace's
``target/release`` then ``target/debug``, found by walking up from this file; then
``ctypes.util.find_library("interop")``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pathlib
import sys
import threading
import typing as _typing

from .errors import LibraryNotFound, error_for

_FILE_NAME = "libinterop.dylib" if sys.platform == "darwin" else "libinterop.so"

_c_int = ctypes.c_int
_c_size = ctypes.c_size_t
_c_u32 = ctypes.c_uint32
_c_ptr = ctypes.c_void_p
_c_str = ctypes.c_char_p
_out = ctypes.POINTER


class Method(ctypes.Structure):
    """``interop_method``."""

    _fields_ = [
        ("qualified_name", _c_str),
        ("name", _c_str),
        ("kind", ctypes.c_uint8),
        ("id", ctypes.c_uint32),
        ("fingerprint", ctypes.c_uint8 * 32),
        ("params_record", ctypes.c_int64),
        ("results_record", ctypes.c_int64),
        ("error_record", ctypes.c_int64),
    ]


class Service(ctypes.Structure):
    """``interop_service``."""

    _fields_ = [
        ("qualified_name", _c_str),
        ("methods", _out(Method)),
        ("method_count", _c_size),
        ("descriptor", _c_ptr),
        ("descriptor_len", _c_size),
    ]


#: ``interop_handler``: (user_data, request, request_len, reply, reply_len, error, error_len).
HANDLER = ctypes.CFUNCTYPE(_c_int, _c_ptr, _c_ptr, _c_size, _c_ptr, _c_size, _c_ptr, _c_size)

_PP = _out(_c_ptr)

# Every function of interop.h: (name, result type, argument types). Handles are void pointers.
_SIGNATURES: tuple = (
    ("interop_client_connect", _c_int, (_c_str, _out(Service), _c_u32, _PP)),
    ("interop_client_free", None, (_c_ptr,)),
    ("interop_client_set_timeout", _c_int, (_c_ptr, _c_u32)),
    ("interop_client_loan", _c_int, (_c_ptr, _c_u32, _PP, _out(_c_size))),
    ("interop_client_send", _c_int, (_c_ptr, _PP, _out(_c_size))),
    ("interop_client_release", _c_int, (_c_ptr,)),
    ("interop_client_call", _c_int, (_c_ptr, _c_u32, _c_ptr, _c_size, _c_ptr, _c_size, _out(_c_size))),
    ("interop_client_send_oneway", _c_int, (_c_ptr, _c_u32, _c_ptr, _c_size)),
    ("interop_client_subscribe", _c_int, (_c_ptr, _c_u32)),
    ("interop_client_unsubscribe", _c_int, (_c_ptr, _c_u32)),
    ("interop_client_next_event", _c_int, (_c_ptr, ctypes.c_int64, _out(_c_u32), _PP, _out(_c_size))),
    ("interop_server_new", _c_int, (_PP,)),
    ("interop_server_bind", _c_int, (_c_str, _PP)),
    ("interop_server_listen", _c_int, (_c_ptr, _c_str)),
    ("interop_server_serve", _c_int, (_c_ptr, _out(Service), _out(HANDLER), _c_size, _c_ptr)),
    ("interop_server_run", _c_int, (_c_ptr,)),
    ("interop_server_run_once", _c_int, (_c_ptr, _c_u32)),
    ("interop_server_fd", _c_int, (_c_ptr,)),
    ("interop_server_is_busy", _c_int, (_c_ptr,)),
    ("interop_server_free", None, (_c_ptr,)),
    ("interop_server_handle_new", _c_int, (_c_ptr, _PP)),
    ("interop_server_handle_stop", _c_int, (_c_ptr,)),
    ("interop_server_handle_free", None, (_c_ptr,)),
    ("interop_publisher_new", _c_int, (_c_ptr, _out(Service), _PP)),
    ("interop_publisher_publish", _c_int, (_c_ptr, _c_u32, _c_ptr, _c_size)),
    ("interop_publisher_free", None, (_c_ptr,)),
    ("interop_last_error", _c_str, ()),
    ("interop_status_name", _c_str, (_c_int,)),
)

# The node functions, declared when the library has them (older builds do not).
_NODE_SIGNATURES: tuple = (
    ("interop_node_open", _c_int, (_c_str, _c_str, _PP)),
    ("interop_node_from_env", _c_int, (_PP,)),
    ("interop_node_serve", _c_int, (_c_ptr, _out(Service), _out(HANDLER), _c_size, _c_ptr)),
    ("interop_node_connect", _c_int, (_c_ptr, _out(Service), _PP)),
    ("interop_node_server", _c_int, (_c_ptr, _PP)),
    ("interop_node_free", None, (_c_ptr,)),
)

_lock = threading.Lock()
_library: ctypes.CDLL | None = None


def candidates() -> list[str]:
    """Where the library is looked for, in order (the last entry may be a bare name)."""
    found: list[str] = []
    explicit = os.environ.get("INTEROP_LIBRARY")
    if explicit:
        found.append(explicit)
    here = pathlib.Path(__file__).resolve().parent
    found.append(str(here / _FILE_NAME))
    for folder in here.parents:
        if (folder / "Cargo.toml").is_file() and (folder / "target").is_dir():
            found.append(str(folder / "target" / "release" / _FILE_NAME))
            found.append(str(folder / "target" / "debug" / _FILE_NAME))
            break
    system = ctypes.util.find_library("interop")
    if system:
        found.append(system)
    return found


_HINT = (
    "hint: build it with `cargo build --release -p interop` in the interop workspace, "
    "or set INTEROP_LIBRARY to the path of libinterop.so"
)


def _load() -> ctypes.CDLL:
    explicit = os.environ.get("INTEROP_LIBRARY")
    if explicit:
        # An explicit choice is never silently replaced by another copy.
        try:
            return ctypes.CDLL(explicit)
        except OSError as error:
            raise LibraryNotFound(f"INTEROP_LIBRARY={explicit} cannot be loaded: {error}\n{_HINT}") from None
    tried = candidates()
    problems = []
    for path in tried:
        if os.sep in path and not os.path.exists(path):
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as error:
            problems.append(f"{path}: {error}")
    if not ctypes.util.find_library("interop"):
        tried.append("the system's libraries (ctypes.util.find_library: none)")
    where = "\n  ".join(tried)
    why = ("\n  " + "\n  ".join(problems)) if problems else ""
    raise LibraryNotFound(f"libinterop was not found; looked in:\n  {where}{why}\n{_HINT}")


def _declare(lib: ctypes.CDLL) -> None:
    for name, result, arguments in _SIGNATURES:
        function = getattr(lib, name)
        function.restype = result
        function.argtypes = arguments
    for name, result, arguments in _NODE_SIGNATURES:
        function = getattr(lib, name, None)
        if function is not None:
            function.restype = result
            function.argtypes = arguments


def library() -> ctypes.CDLL:
    """The loaded library, its functions declared; :class:`LibraryNotFound` when absent."""
    global _library
    if _library is None:
        with _lock:
            if _library is None:
                lib = _load()
                _declare(lib)
                _library = lib
    return _library


def function(name: str) -> _typing.Any:
    """A function of the library; a clear error when this build of the library lacks it."""
    found = getattr(library(), name, None)
    if found is None:
        raise LibraryNotFound(
            f"the loaded libinterop has no {name}: it predates this package; "
            "hint: rebuild it with `cargo build --release -p interop`"
        )
    return found


def last_error() -> str:
    """The runtime's message about the last failed call on this thread."""
    message = library().interop_last_error()
    return message.decode("utf-8", "replace") if message else ""


def check(status: int) -> int:
    """Returns a non-negative status; raises the exception of a negative one."""
    if status < 0:
        raise error_for(status, last_error() or library().interop_status_name(status).decode())
    return status
