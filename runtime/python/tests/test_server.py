"""Python handlers served by interop.Server to Python clients: replies written in place or
returned, IDL errors, failing and missing handlers, invalid replies, events from a publisher,
and a server stopped from another thread."""

from __future__ import annotations

import ctypes
import unittest

import interop
from fleet_control import Fault, FleetControlClient, FleetControlHandler, FleetControlPublisher, Kind
from support import unique_url


class Handlers(FleetControlHandler):
    """get_vehicle returns its result, dispatch writes in place, in_zone fails, ping writes an
    invalid reply (it has none: it raises an IDL error the method does not declare), report
    publishes."""

    def __init__(self) -> None:
        self.publisher: FleetControlPublisher | None = None
        self.reports: list[int] = []

    def get_vehicle(self, request, reply):  # type: ignore[no-untyped-def]
        if request.id == 0:
            raise interop.RemoteError(Fault.UnknownVehicle)
        if request.id == 13:
            ctypes.memset(ctypes.addressof(reply.result) + type(reply.result).kind.offset, 9, 1)
            return None
        return {"id": request.id, "kind": "Drone", "name": f"d{request.id}"}

    def dispatch(self, request, reply):  # type: ignore[no-untyped-def]
        reply.mission = request.vehicle + request.priority
        reply.eta_ms = -1

    def in_zone(self, request, reply):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("a bug in a handler")

    def report(self, request):  # type: ignore[no-untyped-def]
        self.reports.append(request.vehicle)
        assert self.publisher is not None
        self.publisher.publish_low_battery(vehicle=request.vehicle, charge=request.seq)


class PythonServer(unittest.TestCase):
    def serve(self, url: str) -> tuple[interop.Server, Handlers]:
        server = interop.Server(url)
        handlers = Handlers()
        server.serve(handlers)
        handlers.publisher = FleetControlPublisher(server)
        server.start()
        self.addCleanup(server.close)
        return server, handlers

    def test_handlers_over_every_transport(self) -> None:
        for scheme in ("pipe", "shm", "tcp", "inproc"):
            with self.subTest(scheme=scheme):
                url = unique_url(scheme)
                _, handlers = self.serve(url)
                with FleetControlClient.connect(url) as client:
                    vehicle = client.get_vehicle(id=3)
                    self.assertEqual((vehicle.id, vehicle.kind, str(vehicle.name)), (3, Kind.Drone, "d3"))
                    reply = client.dispatch(vehicle=10, order="Halt", priority=5)
                    self.assertEqual((reply.mission, reply.eta_ms), (15, -1))
                    with self.assertRaises(interop.RemoteError) as raised:
                        client.get_vehicle(id=0)
                    self.assertIs(raised.exception.value, Fault.UnknownVehicle)
                    client.subscribe_low_battery()
                    client.report(vehicle=77, seq=9)
                    event = client.next_event(timeout=5.0)
                    assert event is not None
                    self.assertEqual((event.name, event.value.vehicle, event.value.charge), ("low_battery", 77, 9))
                    self.assertEqual(handlers.reports, [77])

    def test_failures_reach_the_caller(self) -> None:
        url = unique_url("pipe")
        self.serve(url)
        with FleetControlClient.connect(url) as client:
            with self.assertLogs("interop.server", "ERROR") as logged:
                with self.assertRaises(interop.Failed):
                    client.in_zone(zone={"name": "z"})
            self.assertIn("ZeroDivisionError: a bug in a handler", "\n".join(logged.output))
            with self.assertRaises(interop.Failed):  # not overridden
                client.ping()
            with self.assertRaises(interop.Failed) as raised:  # kind 9 is no Kind
                client.get_vehicle(id=13)
            self.assertIn("kind", str(raised.exception))
            self.assertEqual(client.get_vehicle(id=4).id, 4)

    def test_stop_from_another_thread(self) -> None:
        url = unique_url("pipe")
        server, _ = self.serve(url)
        thread = server._thread
        assert thread is not None
        server.stop()
        thread.join(5.0)
        self.assertFalse(thread.is_alive())


if __name__ == "__main__":
    unittest.main()
