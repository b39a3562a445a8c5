"""What the tests share: the programs and modules they run against, from the environment that
samples/rust-fleet/tests/python.rs sets (FLEET_SERVER, BULK_SERVER: the Rust servers;
PYTHONPATH: the generated modules and this package; INTEROP_LIBRARY: libinterop.so)."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import time
import typing
import unittest

_names = itertools.count()


def unique_url(scheme: str) -> str:
    """A URL of `scheme` no other test (or test run) uses."""
    if scheme == "tcp":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    return f"{scheme}://py-test-{os.getpid()}-{next(_names)}"


def program(variable: str) -> str:
    """The path of the program named by the environment variable `variable`."""
    path = os.environ.get(variable)
    if not path:
        raise unittest.SkipTest(f"{variable} is not set (samples/rust-fleet/tests/python.rs sets it)")
    return path


class ServerProcess:
    """A Rust server program serving `url`, killed by :meth:`kill` (or when the test ends)."""

    def __init__(self, variable: str, url: str, connect: typing.Callable[[str], typing.Any]) -> None:
        self.url = url
        self.process = subprocess.Popen(
            [program(variable), url], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                connect(url).close()
                return
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.kill()
                    raise
                time.sleep(0.01)

    def kill(self) -> None:
        """Kills the server at once (SIGKILL), as a crash would."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
