"""Servers: Python handlers serving a generated service, and publishers of its events.

A handler is an instance of a generated ``<Service>Handler`` subclass whose methods are
overridden: ``def get_vehicle(self, request, reply)`` reads the request view and writes the
reply view in place (a method gets only the messages it has: ``def ping(self)``) (or returns the value: a single result, or a dict of the named results);
``raise interop.RemoteError(Fault.UnknownVehicle)`` answers with the IDL error; any other
exception is logged (``logging``, logger ``interop.server``) and the caller gets a failure.
Methods not overridden fail their calls. Handlers run one at a time, on the thread running the
server's loop (or, for ``inproc://`` clients, on the calling client's thread).
"""

from __future__ import annotations

import ctypes
import logging
import threading
import typing as _typing

from . import _native
from .errors import RemoteError
from .service import Described, describe

_log = logging.getLogger("interop.server")

_HANDLER_OK = 0
_HANDLER_ERROR = 1
_HANDLER_FAILED = 2


def _write_error(address: int, length: int, value: _typing.Any, where: str) -> bool:
    number = int(value)
    try:
        data = number.to_bytes(length, "little", signed=number < 0)
    except OverflowError:
        _log.error("%s: the error value %r does not fit in %d bytes", where, value, length)
        return False
    ctypes.memmove(address, data, length)
    return True


def _callback(described: Described, index: int, function: _typing.Callable) -> _typing.Any:
    """The C handler calling `function` for the method at `index`."""
    method = described.methods[index]
    request_cls = method.request
    reply_cls = method.reply
    single = method.single_result
    where = method.qualified_name
    oneway = method.kind == "oneway"

    def handle(_user, request, _request_len, reply, _reply_len, error, error_len):  # type: ignore[no-untyped-def]
        try:
            views = []
            if request_cls is not None:
                views.append(request_cls.from_address(request))
            reply_view = None
            if not oneway and reply_cls is not None:
                reply_view = reply_cls.from_address(reply)
                views.append(reply_view)
            result = function(*views)
            if oneway:
                return _HANDLER_OK
            if result is not None:
                if reply_view is None:
                    raise TypeError(f"{where} has an empty reply, but its handler returned {result!r}")
                if single:
                    reply_view.result = result
                else:
                    reply_view._interop_load(result)
            return _HANDLER_OK
        except RemoteError as raised:
            if not error:
                _log.error("%s raised RemoteError(%r), but the method declares no error", where, raised.value)
                return _HANDLER_FAILED
            return _HANDLER_ERROR if _write_error(error, error_len, raised.value, where) else _HANDLER_FAILED
        except BaseException:  # noqa: BLE001 (a handler's failure is the caller's, not the loop's)
            _log.exception("the handler of %s failed", where)
            return _HANDLER_FAILED

    return _native.HANDLER(handle)


class _HandlerTable:
    """The C handlers of one Python handler object, kept alive as long as its server."""

    def __init__(self, handler: _typing.Any) -> None:
        service = getattr(handler, "_interop_service_", None)
        if service is None:
            raise TypeError(f"{type(handler).__name__} is not a subclass of a generated <Service>Handler")
        self.described = describe(service)
        cls = type(handler)
        base = next(c for c in cls.__mro__ if c.__dict__.get("_interop_base_"))
        methods = self.described.methods
        self.table = (_native.HANDLER * len(methods))()
        self.served = []
        for index, (method, attribute) in enumerate(zip(methods, self.described.attributes)):
            if method.kind == "event" or getattr(cls, attribute) is getattr(base, attribute):
                continue
            self.table[index] = _callback(self.described, index, getattr(handler, attribute))
            self.served.append(method.name)
        if not self.served:
            _log.warning("%s overrides no method of %s: every call fails", type(handler).__name__, service.qualified_name)


class Server:
    """One event loop serving services on endpoints (``Server(url, ...)``). Used from one
    thread at a time, except :meth:`stop`, which any thread may call."""

    def __init__(self, *urls: str, _borrowed: int | None = None, _owner: object = None) -> None:
        lib = _native.library()
        out = ctypes.c_void_p()
        if _borrowed is not None:
            out.value = _borrowed
        else:
            _native.check(lib.interop_server_new(ctypes.byref(out)))
        self._pointer: int | None = out.value
        self._borrowed = _borrowed is not None
        self._owner = _owner  # a node lending its server is kept alive by it
        self._tables: list = []
        self._thread: threading.Thread | None = None
        handle = ctypes.c_void_p()
        _native.check(lib.interop_server_handle_new(self._pointer, ctypes.byref(handle)))
        self._stop_handle = handle.value
        try:
            for url in urls:
                self.listen(url)
        except BaseException:
            self.close()
            raise

    def _live(self) -> int:
        if self._pointer is None:
            raise ValueError("this server is closed")
        return self._pointer

    def listen(self, url: str) -> None:
        """Listens on one more endpoint (``shm://``, ``pipe://``, ``tcp://``, ``inproc://``)."""
        _native.check(_native.library().interop_server_listen(self._live(), url.encode()))

    def serve(self, handler: _typing.Any) -> None:
        """Serves `handler`'s service with its overridden methods on every endpoint."""
        table = _HandlerTable(handler)
        _native.check(
            _native.library().interop_server_serve(
                self._live(), table.described.pointer, table.table, len(table.table), None
            )
        )
        self._tables.append((table, handler))

    def run(self) -> None:
        """Runs the loop until :meth:`stop` (from another thread or a handler)."""
        _native.check(_native.library().interop_server_run(self._live()))

    def run_once(self, timeout: float = 0.0) -> None:
        """Runs one turn of the loop, waiting at most `timeout` seconds for work."""
        _native.check(_native.library().interop_server_run_once(self._live(), int(timeout * 1000)))

    def fileno(self) -> int:
        """The loop's descriptor, readable when it has work (for ``select``/``selectors``)."""
        return _native.check(_native.library().interop_server_fd(self._live()))

    def is_busy(self) -> bool:
        """Whether the loop has work left for its next turn (run it again without waiting)."""
        return bool(_native.check(_native.library().interop_server_is_busy(self._live())))

    def start(self) -> threading.Thread:
        """Runs the loop on a new daemon thread, which :meth:`stop` ends; returns the thread."""
        thread = threading.Thread(target=self.run, name="interop-server", daemon=True)
        thread.start()
        self._thread = thread
        return thread

    def stop(self) -> None:
        """Asks the loop to stop; :meth:`run` returns soon after. Thread-safe."""
        if self._stop_handle:
            _native.check(_native.library().interop_server_handle_stop(self._stop_handle))

    def publisher(self, service: type) -> "Publisher":
        """A publisher of `service`'s events (the server must serve it)."""
        return Publisher(self, service)

    def close(self) -> None:
        """Stops listening, closes every connection and frees the server; a loop running on
        the thread of :meth:`start` is stopped and waited for first."""
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            self.stop()
            thread.join()
        lib = _native.library()
        pointer, self._pointer = self._pointer, None
        if pointer and not self._borrowed:
            lib.interop_server_free(pointer)
        handle, self._stop_handle = self._stop_handle, None
        if handle:
            lib.interop_server_handle_free(handle)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_pointer", None) or getattr(self, "_stop_handle", None):
            self.close()


class Publisher:
    """Publishes one service's events to the subscribed clients, from any thread."""

    def __init__(self, server: Server, service: type) -> None:
        self.service = describe(service)
        out = ctypes.c_void_p()
        _native.check(_native.library().interop_publisher_new(server._live(), self.service.pointer, ctypes.byref(out)))
        self._pointer: int | None = out.value
        self._publish = _native.library().interop_publisher_publish

    def publish(self, name: str, event: _typing.Any = None, **fields: _typing.Any) -> None:
        """Publishes the event `name`: `event` (its struct) or its `fields`."""
        index, method = self.service.method(name)
        if method.kind != "event":
            raise ValueError(f"{method.qualified_name} is not an event")
        self.publish_at(index, method.request, event, fields)

    def publish_at(self, index: int, cls: type | None, event: _typing.Any, fields: dict) -> None:
        """Publishes the event at `index` (class `cls`): `event` or a new one of `fields`."""
        if cls is None:
            message, size = None, 0
        else:
            message = event if event is not None else cls(**fields)
            if not isinstance(message, cls):
                raise TypeError(f"the event takes a {cls.__name__}, not {type(message).__name__}")
            size = ctypes.sizeof(cls)
        if self._pointer is None:
            raise ValueError("this publisher is closed")
        status = self._publish(self._pointer, index, None if message is None else ctypes.byref(message), size)
        if status:
            _native.check(status)

    def close(self) -> None:
        """Frees the publisher."""
        pointer, self._pointer = self._pointer, None
        if pointer:
            _native.library().interop_publisher_free(pointer)

    def __del__(self) -> None:
        if getattr(self, "_pointer", None):
            self.close()
