"""The exceptions of the runtime: one class per status code of interop.h.

Every failure of a call into ``libinterop`` raises an :class:`InteropError` subclass whose
``status`` is the ``INTEROP_E_*`` code and whose message is ``interop_last_error()``: it names
the function, the service or method, and what to do about it.
"""

from __future__ import annotations

import typing as _typing

#: The status of a call answered with a value of the method's IDL error enum.
REMOTE_ERROR = 1


class LibraryNotFound(ImportError):
    """libinterop.so was not found (raised on first use of the runtime, never when a generated
    module is imported for its types)."""


class InteropError(Exception):
    """A call into the runtime failed: ``status`` is its ``INTEROP_*`` code, ``message`` the
    runtime's explanation."""

    #: The status code this class stands for (None for the base and for unknown codes).
    code: _typing.ClassVar[int | None] = None

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


class RemoteError(InteropError):
    """The server's handler answered with a value of the method's IDL error enum.

    Handlers raise it (``raise interop.RemoteError(Fault.UnknownVehicle)``); clients catch it,
    with the enum member (or the bare integer, for a value the client's schema does not know)
    in ``value``."""

    code = REMOTE_ERROR

    def __init__(self, value: _typing.Any, message: str | None = None) -> None:
        name = getattr(value, "name", None) or str(value)
        super().__init__(REMOTE_ERROR, message or f"the server answered with the error {name}")
        self.value = value


class IoError(InteropError):
    """A system call failed (connecting, binding, reading, writing)."""

    code = -1


class PeerGone(InteropError):
    """The peer closed the connection or its process died."""

    code = -2


class Timeout(InteropError):
    """No reply (or event) came within the timeout."""

    code = -3


class WouldBlock(InteropError):
    """The ring or socket is full and the client's timeout is zero."""

    code = -4


class FingerprintMismatch(InteropError):
    """The two sides were generated from different versions of a method."""

    code = -5


class Refused(InteropError):
    """The server refused the connection in its handshake."""

    code = -6


class Failed(InteropError):
    """The server's runtime refused the call, or its handler failed."""

    code = -7


class InvalidMessage(InteropError):
    """A message failed validation (from the peer, or built by the caller); nothing used it."""

    code = -8


class ProtocolError(InteropError):
    """The peer broke the wire protocol; the connection is closed."""

    code = -9


class Lagged(InteropError):
    """Events were lost because they were not taken in time."""

    code = -10


class ManifestError(InteropError):
    """The deployment manifest has problems."""

    code = -11


class ConfigError(InteropError):
    """An endpoint, option or service description makes no sense."""

    code = -12


class ArgumentError(InteropError):
    """An argument is wrong: a method out of range, a size that is not the message's."""

    code = -13


class StateError(InteropError):
    """The call does not fit the handle's state (a loan is already open, or nothing is loaned)."""

    code = -14


class RuntimePanic(InteropError):
    """The runtime panicked; the handle involved may be unusable."""

    code = -15


_BY_CODE: dict[int, type[InteropError]] = {
    cls.code: cls
    for cls in (
        IoError,
        PeerGone,
        Timeout,
        WouldBlock,
        FingerprintMismatch,
        Refused,
        Failed,
        InvalidMessage,
        ProtocolError,
        Lagged,
        ManifestError,
        ConfigError,
        ArgumentError,
        StateError,
        RuntimePanic,
    )
    if cls.code is not None
}


def error_for(status: int, message: str) -> InteropError:
    """The exception of a negative status code, with the runtime's message."""
    cls = _BY_CODE.get(status)
    if cls is None:
        return InteropError(status, f"{message} (unknown status {status})")
    return cls(status, message)
