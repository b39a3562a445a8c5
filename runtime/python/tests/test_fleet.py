"""A Python client against the Rust fleet-server (FLEET_SERVER): calls in every form, each
exception from a real failure (timeout, peer gone, a full ring without timeout, lost events, an
older schema's fingerprint), events, and views that outlive their client."""

from __future__ import annotations

import ctypes
import gc
import importlib.util
import os
import sys
import threading
import time
import unittest

import interop
from fleet_control import (
    Fault,
    FleetControlClient,
    FleetControlDispatchRequest,
    FleetControlGetVehicleRequest,
    Kind,
    Order,
)
from support import ServerProcess, unique_url

#: fleet-server takes 30 s to answer get_vehicle of this vehicle (rust_fleet::SLOW_VEHICLE).
SLOW_VEHICLE = 4242


def start(scheme: str = "pipe") -> ServerProcess:
    return ServerProcess("FLEET_SERVER", unique_url(scheme), FleetControlClient.connect)


class Calls(unittest.TestCase):
    server: ServerProcess

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = start("pipe")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.kill()

    def urls(self) -> list[str]:
        name = self.server.url.removeprefix("pipe://")
        return [f"pipe://{name}", f"shm://{name}"]

    def test_every_form_of_call(self) -> None:
        for url in self.urls():
            with self.subTest(url=url), FleetControlClient.connect(url) as client:
                self.assertIsNone(client.ping())
                vehicle = client.get_vehicle(id=8)
                self.assertEqual((vehicle.id, vehicle.kind, str(vehicle.name)), (8, Kind.Truck, "van-8"))
                self.assertEqual(vehicle.to_dict()["odometer_km"], 8000)
                kept = vehicle.copy()
                vehicle = client.get_vehicle(FleetControlGetVehicleRequest(id=9))
                self.assertEqual((kept.id, vehicle.id, vehicle.kind), (8, 9, Kind.Van))
                with client.loan_get_vehicle() as request:
                    request.id = 10
                    vehicle = request.send()
                self.assertEqual(vehicle.odometer_km, 10_000)
                reply = client.dispatch(vehicle=3, order=Order(Say="go"), priority=4)
                self.assertEqual((reply.mission, reply.eta_ms), (3004, 60_000))
                reply = client.in_zone(zone={"name": "z", "corners": [{"latitude": 1.0}] * 5})
                self.assertEqual((reply.count, list(reply.ids)), (5, [1, 2, 3, 4, 5]))

    def test_remote_error(self) -> None:
        with FleetControlClient.connect(self.urls()[0]) as client:
            with self.assertRaises(interop.RemoteError) as raised:
                client.get_vehicle(id=5000)
            self.assertIs(raised.exception.value, Fault.UnknownVehicle)
            self.assertIsInstance(raised.exception, interop.InteropError)
            with self.assertRaises(interop.RemoteError) as raised:
                client.dispatch(vehicle=1, order=Order(Halt=None), priority=-1)
            self.assertIs(raised.exception.value, Fault.Busy)

    def test_invalid_request_is_refused_before_sending(self) -> None:
        with FleetControlClient.connect(self.urls()[1]) as client:
            request = FleetControlDispatchRequest(vehicle=1, order=Order(Halt=None), priority=1)
            ctypes.memset(ctypes.addressof(request.order), 99, 1)  # no variant has tag 99
            with self.assertRaises(interop.InvalidMessage) as raised:
                client.dispatch(request)
            self.assertIn("dispatch", str(raised.exception))
            self.assertEqual(client.get_vehicle(id=1).id, 1)  # the client still works

    def test_events(self) -> None:
        for url in self.urls():
            with self.subTest(url=url), FleetControlClient.connect(url) as client:
                client.subscribe_moved()
                client.subscribe_low_battery()
                client.report(vehicle=5, pose={"heading": 45.0}, speed=2.0)
                client.report(vehicle=6, speed=-1.0)
                seen = []
                for event in client.events(timeout=5.0):
                    seen.append((event.name, event.value.vehicle))
                    if len(seen) == 2:
                        break
                self.assertEqual(seen, [("moved", 5), ("low_battery", 6)])
                self.assertIsNone(client.next_event(timeout=0.05))

    def test_a_view_outlives_its_client(self) -> None:
        client = FleetControlClient.connect(self.urls()[1])
        vehicle = client.get_vehicle(id=7)
        client.close()
        del client
        gc.collect()
        self.assertEqual((vehicle.id, str(vehicle.name)), (7, "van-7"))

    def test_a_closed_client_refuses_calls(self) -> None:
        client = FleetControlClient.connect(self.urls()[0])
        client.close()
        with self.assertRaises(interop.InteropError):
            client.ping()

    def test_a_bad_url_is_a_config_error(self) -> None:
        with self.assertRaises(interop.ConfigError) as raised:
            FleetControlClient.connect("bogus://x")
        self.assertIn("bogus://x", str(raised.exception))


class Failures(unittest.TestCase):
    def test_timeout(self) -> None:
        server = start("pipe")
        try:
            with FleetControlClient.connect(server.url, timeout=0.2) as client:
                with self.assertRaises(interop.Timeout) as raised:
                    client.get_vehicle(id=SLOW_VEHICLE)
                self.assertIn("get_vehicle", str(raised.exception))
        finally:
            server.kill()

    def test_a_full_ring_without_a_timeout_says_would_block(self) -> None:
        server = start("shm")
        try:
            busy = FleetControlClient.connect(server.url)
            with FleetControlClient.connect(server.url, timeout=0) as client:  # never waits
                # The server's only thread sits in a slow handler: nobody drains the rings.
                stuck = threading.Thread(target=self._call_slowly, args=(busy,), daemon=True)
                stuck.start()
                time.sleep(0.2)
                sent = 0
                with self.assertRaises(interop.WouldBlock):
                    while sent < 10_000:
                        client.report(vehicle=sent, speed=1.0)
                        sent += 1
                self.assertLess(sent, 10_000)
        finally:
            server.kill()

    @staticmethod
    def _call_slowly(client: FleetControlClient) -> None:
        try:
            client.get_vehicle(id=SLOW_VEHICLE)
        except interop.InteropError:
            pass  # the server is killed at the end of the test

    def test_a_slow_subscriber_is_told_how_many_events_it_lost(self) -> None:
        server = start("shm")
        try:
            with FleetControlClient.connect(server.url) as slow, FleetControlClient.connect(
                server.url
            ) as reporter:
                slow.subscribe_moved()
                reports = 2_000
                for vehicle in range(reports):
                    reporter.report(vehicle=vehicle, speed=1.0)
                reporter.ping()  # once it returns, every report was handled
                # Read until the queue runs dry, then send one more report and read up to it.
                # The loss is reported where the reading meets it, once or more (the server may
                # still be publishing while the subscriber drains), and events go on after it.
                losses: list[str] = []
                received = 0
                final = None
                sent_final = False
                while final is None:
                    try:
                        event = slow.next_event(timeout=5.0 if sent_final else 0.2)
                    except interop.Lagged as error:
                        losses.append(str(error))
                        continue
                    if event is None:
                        self.assertFalse(sent_final, "the last report never arrived")
                        reporter.report(vehicle=reports, speed=1.0)
                        sent_final = True
                    elif event.value.vehicle == reports:
                        final = event
                    else:
                        received += 1
                self.assertLess(received, reports)
                self.assertTrue(losses, "the slow subscriber was not told of its losses")
                self.assertIn("lost", losses[0])
                self.assertEqual(final.name, "moved")
        finally:
            server.kill()

    def test_stubs_of_another_schema_version_get_a_fingerprint_mismatch(self) -> None:
        path = os.environ.get("FLEET_V0_MODULE")
        if not path:
            raise unittest.SkipTest("FLEET_V0_MODULE is not set (tests/python.rs sets it)")
        spec = importlib.util.spec_from_file_location("fleet_control_v0", path)
        old = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = old
        spec.loader.exec_module(old)
        server = start("pipe")
        try:
            with old.FleetControlClient.connect(server.url) as client:
                self.assertIsNone(client.ping())  # a method whose fingerprints agree
                with self.assertRaises(interop.FingerprintMismatch) as raised:
                    client.get_vehicle(id=7)
                self.assertIn("fleet.control.FleetControl.get_vehicle", str(raised.exception))
        finally:
            server.kill()

    def test_peer_gone_when_the_server_is_killed(self) -> None:
        for scheme in ("pipe", "shm", "tcp"):
            with self.subTest(scheme=scheme):
                server = start(scheme)
                client = FleetControlClient.connect(server.url)
                self.assertIsNone(client.ping())
                server.kill()
                with self.assertRaises(interop.PeerGone):
                    client.ping()
                client.close()


if __name__ == "__main__":
    unittest.main()
