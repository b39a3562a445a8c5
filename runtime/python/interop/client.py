"""Clients: a connection to one service, with zero-copy calls, loans, one-way messages and
events.

Replies, error values and events are views into the client's memory (the shared-memory slot or
the receive buffer), not copies: a view is valid until the next call on the same client. Take
``view.copy()`` (or ``view.to_dict()``) to keep one longer. A view keeps the client's memory
mapped, so reading one after :meth:`Client.close` never crashes: the connection is then closed
when the last view is gone.

A client is used by one thread at a time.
"""

from __future__ import annotations

import ctypes
import typing as _typing

from . import _native
from .errors import REMOTE_ERROR, RemoteError, StateError
from .service import describe

_OWNER = "_interop_owner_"


def _milliseconds(seconds: float | None, what: str) -> int:
    if seconds is None or seconds < 0:
        return -1
    milliseconds = int(round(seconds * 1000))
    if milliseconds > 0xFFFF_FFFF:
        raise ValueError(f"{what} of {seconds} s is too long (at most {0xFFFF_FFFF // 1000} s)")
    return milliseconds


def error_value(error: type | None, address: int, length: int) -> _typing.Any:
    """The IDL error value at `address`: a member of `error`, or the bare int it does not know."""
    raw = ctypes.string_at(address, length) if length else b""
    for signed in (False, True):
        number = int.from_bytes(raw, "little", signed=signed)
        if error is not None and number in error._value2member_map_:
            return error(number)
    return int.from_bytes(raw, "little")


class _Handle:
    """Owns a native client: freed when the client is closed and no view refers to it."""

    __slots__ = ("pointer", "_free")

    def __init__(self, pointer: int, free: _typing.Callable[[int], None]) -> None:
        self.pointer = pointer
        self._free = free

    def __del__(self) -> None:
        pointer, self.pointer = self.pointer, None
        if pointer:
            self._free(pointer)


class _Plan:
    """What a call of one method needs, worked out once per client."""

    __slots__ = ("index", "method", "request", "size", "reply", "single", "error", "loaned")

    def __init__(self, index: int, method: _typing.Any) -> None:
        self.index = index
        self.method = method
        self.request = method.request
        self.size = 0 if method.request is None else ctypes.sizeof(method.request)
        self.reply = method.reply
        self.single = method.single_result
        self.error = method.error
        self.loaned = None if method.request is None else _loaned_class(method.request)


_loaned: dict = {}


def _loaned_class(request: type) -> type:
    """The request class with a ``send()``, for requests loaned in place (one per class)."""
    found = _loaned.get(request)
    if found is None:

        def send(self: _typing.Any) -> _typing.Any:
            """Sends this loaned request; for an rpc, returns the reply view (see Client.rpc)."""
            return self.__dict__["_interop_loan_"].send()

        found = _loaned[request] = type(request.__name__, (request,), {"send": send})
        found.__qualname__ = request.__qualname__
    return found


class Event:
    """One event: its method's ``name``, its ``index`` in the service, and ``value``, a view
    of the event message valid until the next call on the client."""

    __slots__ = ("name", "index", "value")

    def __init__(self, name: str, index: int, value: _typing.Any) -> None:
        self.name = name
        self.index = index
        self.value = value

    def __repr__(self) -> str:
        return f"Event({self.name}, {self.value!r})"


class Client:
    """A connection to one service: :meth:`connect`, or ``Node.connect``.

    Generated ``<Service>Client`` classes wrap it with one method per IDL method; this class
    is what they call, by method index."""

    def __init__(self, pointer: int, service: type) -> None:
        lib = _native.library()
        self.service = describe(service)
        self._handle: _Handle | None = _Handle(pointer, lib.interop_client_free)
        self._pointer: int | None = pointer
        self._plans = [_Plan(index, method) for index, method in enumerate(self.service.methods)]
        self._loan_fn = lib.interop_client_loan
        self._send_fn = lib.interop_client_send
        self._release_fn = lib.interop_client_release
        self._address = ctypes.c_void_p()
        self._length = ctypes.c_size_t()
        self._address_ref = ctypes.byref(self._address)
        self._length_ref = ctypes.byref(self._length)

    @classmethod
    def connect(cls, url: str, service: type, timeout: float = 5.0) -> "Client":
        """Connects to `service` (a generated service class) at `url` (``inproc://NAME``,
        ``shm://NAME``, ``pipe://NAME`` or ``tcp://HOST:PORT``); calls wait up to `timeout`
        seconds for their reply (0: never wait)."""
        described = describe(service)
        lib = _native.library()
        out = ctypes.c_void_p()
        _native.check(
            lib.interop_client_connect(url.encode(), described.pointer, _milliseconds(timeout, "timeout"), ctypes.byref(out))
        )
        return cls(out.value, service)

    def close(self) -> None:
        """Closes the connection (once no view of it is left); calls then fail."""
        self._pointer = None
        self._handle = None

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._pointer is None

    def _live(self) -> int:
        if self._pointer is None:
            raise StateError(-14, f"this {self.service.qualified_name} client is closed; connect again")
        return self._pointer

    def set_timeout(self, timeout: float) -> None:
        """How long calls wait for their reply from now on, in seconds (0: never wait)."""
        _native.check(_native.library().interop_client_set_timeout(self._live(), _milliseconds(timeout, "timeout")))

    def plan(self, name: str) -> _Plan:
        """The call plan of the method `name`."""
        return self._plans[self.service.method(name)[0]]

    # Calls -------------------------------------------------------------------------------

    def rpc(self, index: int, request: _typing.Any = None, fields: dict | None = None) -> _typing.Any:
        """Calls the rpc at `index` with `request` (a request struct, copied into the loaned
        slot) or `fields` (written in place). Returns a view of the reply (of the single
        result for a method declaring one; None for an empty reply); raises RemoteError with
        the IDL error value, or the InteropError of a failure."""
        return self._answer(self._loan_filled(index, request, fields))

    def oneway(self, index: int, request: _typing.Any = None, fields: dict | None = None) -> None:
        """Sends the one-way method at `index`, its message given as for :meth:`rpc`."""
        self._loan_filled(index, request, fields)
        status = self._send_fn(self._pointer, None, None)
        if status:
            _native.check(status)

    def _loan_filled(self, index: int, request: _typing.Any, fields: dict | None) -> _Plan:
        """Loans the request of the method at `index` and fills it; returns the method's plan."""
        plan = self._plans[index]
        status = self._loan_fn(self._pointer, index, self._address_ref, self._length_ref)
        if status:
            _native.check(status)
        if plan.request is not None:
            self._fill(plan, request, fields)
        return plan

    def _fill(self, plan: _Plan, request: _typing.Any, fields: dict | None) -> None:
        address = self._address.value
        try:
            if request is not None:
                if not isinstance(request, plan.request):
                    raise TypeError(
                        f"{plan.method.name} takes a {plan.request.__name__}, not {type(request).__name__}"
                    )
                ctypes.memmove(address, ctypes.addressof(request), plan.size)
            elif fields:
                target = plan.request.from_address(address)
                attribute = plan.request._interop_attribute
                for name, value in fields.items():
                    setattr(target, attribute(name), value)
        except BaseException:
            self._release_fn(self._pointer)
            raise

    def _answer(self, plan: _Plan) -> _typing.Any:
        status = self._send_fn(self._pointer, self._address_ref, self._length_ref)
        if status == 0:
            reply = plan.reply
            if reply is None:
                return None
            view = reply.from_address(self._address.value)
            view.__dict__[_OWNER] = self._handle
            return view.result if plan.single else view
        if status == REMOTE_ERROR:
            raise RemoteError(error_value(plan.error, self._address.value or 0, self._length.value))
        _native.check(status)
        return None

    def loan(self, index: int) -> "Loan":
        """A request of the method at `index` to fill in place: ``with client.loan(i) as
        request: ...; reply = request.send()``. Unsent, it is dropped when the block ends."""
        plan = self._plans[index]
        if plan.loaned is None:
            raise ValueError(f"{plan.method.qualified_name} takes no parameters: there is nothing to loan")
        return Loan(self, plan)

    def release(self) -> None:
        """Releases the reply, error value or event last handed out, or drops an unsent loan."""
        _native.check(self._release_fn(self._live()))

    # Copying calls -----------------------------------------------------------------------

    def call_bytes(self, index: int, request: bytes = b"") -> bytes:
        """Calls the rpc at `index` with the request's bytes, copying both ways; returns the
        reply's bytes (RemoteError on an IDL error value)."""
        plan = self._plans[index]
        capacity = 0 if plan.reply is None else ctypes.sizeof(plan.reply)
        capacity = max(capacity, 8)
        reply = ctypes.create_string_buffer(capacity)
        length = ctypes.c_size_t()
        status = _native.library().interop_client_call(
            self._live(), index, request or None, len(request), reply, capacity, ctypes.byref(length)
        )
        if status == REMOTE_ERROR:
            raise RemoteError(error_value(plan.error, ctypes.addressof(reply), length.value))
        _native.check(status)
        return reply.raw[: length.value]

    def send_bytes(self, index: int, message: bytes = b"") -> None:
        """Sends the one-way method at `index` with the message's bytes, copied."""
        _native.check(
            _native.library().interop_client_send_oneway(self._live(), index, message or None, len(message))
        )

    # Events ------------------------------------------------------------------------------

    def subscribe(self, index: int) -> None:
        """Starts delivering the event at `index` to this client."""
        _native.check(_native.library().interop_client_subscribe(self._live(), index))

    def unsubscribe(self, index: int) -> None:
        """Stops delivering the event at `index` to this client."""
        _native.check(_native.library().interop_client_unsubscribe(self._live(), index))

    def next_event(self, timeout: float | None = None) -> Event | None:
        """The next event of a subscription, waiting up to `timeout` seconds (None: forever);
        None when none came in time. Raises Lagged (once) when events were lost."""
        index = ctypes.c_uint32()
        status = _native.library().interop_client_next_event(
            self._live(), _milliseconds(timeout, "timeout"), ctypes.byref(index), self._address_ref, self._length_ref
        )
        if status == _TIMEOUT:
            return None
        _native.check(status)
        plan = self._plans[index.value]
        value = None
        if plan.request is not None:
            value = plan.request.from_address(self._address.value)
            value.__dict__[_OWNER] = self._handle
        return Event(plan.method.name, index.value, value)

    def events(self, timeout: float | None = None) -> _typing.Iterator[Event]:
        """The events of this client's subscriptions as they come; the iteration ends when
        none came within `timeout` seconds (None: it never ends)."""
        while True:
            event = self.next_event(timeout)
            if event is None:
                return
            yield event


_TIMEOUT = -3


class Loan:
    """A loaned request (a context manager): entering loans it, the request struct lies in the
    send buffer or shared-memory slot and is filled in place, ``request.send()`` sends it;
    leaving the block unsent drops it."""

    __slots__ = ("_client", "_plan", "_open")

    def __init__(self, client: Client, plan: _Plan) -> None:
        self._client = client
        self._plan = plan
        self._open = False

    def __enter__(self) -> _typing.Any:
        client = self._client
        status = client._loan_fn(client._pointer, self._plan.index, client._address_ref, client._length_ref)
        if status:
            _native.check(status)
        self._open = True
        request = self._plan.loaned.from_address(client._address.value)
        request.__dict__["_interop_loan_"] = self
        request.__dict__[_OWNER] = client._handle
        return request

    def send(self) -> _typing.Any:
        """Sends the request: the reply view of an rpc, None for a one-way method."""
        if not self._open:
            raise StateError(-14, f"the loaned {self._plan.method.name} request was already sent or dropped")
        self._open = False
        client = self._client
        if self._plan.method.kind == "oneway":
            _native.check(client._send_fn(client._pointer, None, None))
            return None
        return client._answer(self._plan)

    def __exit__(self, *exc: object) -> None:
        if self._open:
            self._open = False
            self._client._release_fn(self._client._pointer)
