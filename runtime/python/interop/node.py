"""Nodes: a process of a deployment manifest, which serves the services it provides and
connects to those it uses over the transports the manifest gives its links."""

from __future__ import annotations

import ctypes
import os
import typing as _typing

from . import _native
from .client import Client
from .server import Server, _HandlerTable
from .service import describe


class Node:
    """A node of a deployment manifest: :meth:`open` or :meth:`from_env`."""

    def __init__(self, pointer: int, name: str) -> None:
        self._pointer: int | None = pointer
        self.name = name
        self._server: Server | None = None
        self._tables: list = []

    @classmethod
    def open(cls, manifest: str | os.PathLike, name: str) -> "Node":
        """The node `name` of the manifest at `manifest` (ManifestError when it has problems)."""
        out = ctypes.c_void_p()
        _native.check(
            _native.function("interop_node_open")(os.fsencode(manifest), name.encode(), ctypes.byref(out))
        )
        return cls(out.value, name)

    @classmethod
    def from_env(cls) -> "Node":
        """The node ``$INTEROP_NODE`` of the manifest ``$INTEROP_MANIFEST``."""
        out = ctypes.c_void_p()
        _native.check(_native.function("interop_node_from_env")(ctypes.byref(out)))
        return cls(out.value, os.environ.get("INTEROP_NODE", ""))

    def _live(self) -> int:
        if self._pointer is None:
            raise ValueError(f"the node {self.name!r} is closed")
        return self._pointer

    def connect(self, service: type) -> Client:
        """A client of `service` (a generated service class), over the link the manifest
        gives this node to its provider."""
        described = describe(service)
        out = ctypes.c_void_p()
        _native.check(_native.function("interop_node_connect")(self._live(), described.pointer, ctypes.byref(out)))
        return Client(out.value, service)

    def serve(self, handler: _typing.Any) -> None:
        """Serves `handler`'s service (one this node provides) on the node's endpoints; run
        the loop with ``node.server.run()``."""
        table = _HandlerTable(handler)
        _native.check(
            _native.function("interop_node_serve")(
                self._live(), table.described.pointer, table.table, len(table.table), None
            )
        )
        self._tables.append((table, handler))

    @property
    def server(self) -> Server:
        """The node's server (borrowed from the node: run it, stop it, publish with it)."""
        if self._server is None:
            out = ctypes.c_void_p()
            _native.check(_native.function("interop_node_server")(self._live(), ctypes.byref(out)))
            self._server = Server(_borrowed=out.value, _owner=self)
        return self._server

    def close(self) -> None:
        """Frees the node with its server and connections (its server must not be running)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        pointer, self._pointer = self._pointer, None
        if pointer:
            _native.library().interop_node_free(pointer)

    def __enter__(self) -> "Node":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_pointer", None):
            self.close()
