"""The fleet's handlers (samples/fleet/README.md), shared by fleet_server.py and by
fleet_client.py, which serves them in its own process for an ``inproc://`` URL.

Needs the generated ``fleet_control`` module and the ``interop`` package on ``PYTHONPATH``.
"""

from __future__ import annotations

import typing

import interop
from fleet_control import Fault, FleetControlHandler, FleetControlPublisher, Kind


class FleetHandlers(FleetControlHandler):
    """Vehicles 1 to 1000 exist; every position report is published as ``moved``, or as
    ``low_battery`` when its speed is negative. ``received`` is called with a line per message
    (the server prints it)."""

    def __init__(self, received: typing.Callable[[str], None] | None = None) -> None:
        self.received = received or (lambda line: None)
        self.publisher: FleetControlPublisher | None = None

    def get_vehicle(self, request, reply):  # type: ignore[no-untyped-def]
        self.received(f"received get_vehicle(id={request.id})")
        if not 1 <= request.id <= 1000:
            raise interop.RemoteError(Fault.UnknownVehicle)
        vehicle = reply.result
        vehicle.id = request.id
        vehicle.kind = Kind.Truck if request.id % 2 == 0 else Kind.Van
        vehicle.name = f"van-{request.id}"
        vehicle.charge = 80
        vehicle.odometer_km = request.id * 1000

    def dispatch(self, request, reply):  # type: ignore[no-untyped-def]
        self.received(f"received dispatch(vehicle={request.vehicle}, priority={request.priority})")
        if request.priority < 0:
            raise interop.RemoteError(Fault.Busy)
        reply.mission = request.vehicle * 1000 + request.priority
        reply.eta_ms = 60_000

    def in_zone(self, request, reply):  # type: ignore[no-untyped-def]
        corners = len(request.zone.corners)
        self.received(f"received in_zone(zone with {corners} corners)")
        reply.ids = range(1, min(corners, 32) + 1)
        reply.count = len(reply.ids)

    def ping(self):  # type: ignore[no-untyped-def]
        self.received("received ping()")

    def report(self, request):  # type: ignore[no-untyped-def]
        self.received(f"received report(vehicle={request.vehicle}, speed={request.speed:.2f})")
        if self.publisher is None:
            return
        if request.speed < 0:
            self.publisher.publish_low_battery(vehicle=request.vehicle, charge=5)
        else:
            self.publisher.publish_moved(vehicle=request.vehicle, pose=request.pose)


def serve(target: typing.Any, handlers: FleetHandlers) -> None:
    """Serves `handlers` on `target` (an ``interop.Server`` or ``interop.Node``) and hands
    them their publisher."""
    target.serve(handlers)
    handlers.publisher = FleetControlPublisher(target)


def run_until_interrupted(server: interop.Server) -> None:
    """Runs `server`'s loop on a thread until it stops or Ctrl-C (which stops it)."""
    thread = server.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        server.stop()
        thread.join()


__all__ = ["FleetHandlers", "run_until_interrupted", "serve"]
