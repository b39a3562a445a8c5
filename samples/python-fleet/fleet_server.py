"""Serves the sample fleet service (samples/fleet/README.md) on every URL given, until killed:
``python3 fleet_server.py pipe://fleet tcp://127.0.0.1:7000 shm://fleet``; without a URL, as the
node ``$INTEROP_NODE`` of the manifest ``$INTEROP_MANIFEST``. Prints a line per message it
handles (``received get_vehicle(id=7)``)."""

from __future__ import annotations

import logging
import os
import sys

import interop
from fleet_handlers import FleetHandlers, run_until_interrupted, serve

USAGE = """usage: fleet_server.py URL...

Serves fleet.control.FleetControl on every URL: inproc://NAME, shm://NAME, pipe://NAME or
tcp://HOST:PORT. Without URLs, serves as the node $INTEROP_NODE of the manifest
$INTEROP_MANIFEST. Prints a line per message received."""


def received(line: str) -> None:
    print(line, flush=True)


def main(args: list[str]) -> int:
    if any(arg in ("-h", "--help") for arg in args) or (not args and "INTEROP_MANIFEST" not in os.environ):
        print(USAGE, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="[%(levelname)s %(name)s] %(message)s")
    handlers = FleetHandlers(received)
    try:
        if args:
            server = interop.Server(*args)
            serve(server, handlers)
        else:
            node = interop.Node.from_env()
            serve(node, handlers)
            server = node.server
        run_until_interrupted(server)
    except (interop.InteropError, interop.LibraryNotFound) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
