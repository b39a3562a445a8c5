"""Calls every method of the sample fleet service and prints samples/fleet/transcript.txt:
``python3 fleet_client.py pipe://fleet``. Without a URL it connects as the node
``$INTEROP_NODE`` of the manifest ``$INTEROP_MANIFEST``; an ``inproc://`` URL first serves the
fleet in this process. With ``--repeat N`` it then times N zero-copy calls of ``get_vehicle``
and prints their median and 99th percentile (samples/fleet/README.md)."""

from __future__ import annotations

import os
import sys
import time

import interop
from fleet_control import FleetControlClient, Order
from fleet_handlers import FleetHandlers, serve

#: How long the client waits for each event, in seconds.
EVENT_WAIT = 5.0

USAGE = """usage: fleet_client.py [URL] [--repeat N]

Calls fleet.control.FleetControl at URL (inproc://NAME, shm://NAME, pipe://NAME or
tcp://HOST:PORT) and prints what it sent and received; without URL, as the node $INTEROP_NODE
of the manifest $INTEROP_MANIFEST. With --repeat, then times N calls of get_vehicle."""


class Usage(Exception):
    """A bad command line."""


def parse_args(args: list[str]) -> tuple[str | None, int]:
    url, repeat = None, 0
    arguments = iter(args)
    for arg in arguments:
        if arg == "--repeat":
            count = next(arguments, None)
            if count is None or not count.isdigit():
                raise Usage("--repeat needs a number of calls")
            repeat = int(count)
        elif arg in ("-h", "--help"):
            raise Usage("")
        elif arg.startswith("-"):
            raise Usage(f"unknown option `{arg}`")
        elif url is None:
            url = arg
        else:
            raise Usage(f"one URL only; `{arg}` is one too many")
    if url is None and "INTEROP_MANIFEST" not in os.environ:
        raise Usage("give a URL, or set INTEROP_MANIFEST and INTEROP_NODE")
    return url, repeat


def describe_pose(pose) -> str:  # type: ignore[no-untyped-def]
    altitude = pose.altitude.get()
    shown = "none" if altitude is None else f"{altitude:.2f}"
    position = pose.position
    return (
        f"latitude={position.latitude:.2f}, longitude={position.longitude:.2f}, "
        f"heading={pose.heading:.2f}, altitude={shown}"
    )


def converse(client: FleetControlClient) -> None:
    client.ping()
    print("ping() -> ok")
    for id in (7, 5000):
        try:
            vehicle = client.get_vehicle(id=id)
            print(
                f"get_vehicle(id={id}) -> id={vehicle.id} kind={vehicle.kind.name} "
                f'name="{vehicle.name}" charge={vehicle.charge} odometer_km={vehicle.odometer_km}'
            )
        except interop.RemoteError as error:
            print(f"get_vehicle(id={id}) -> error {error.value.name}")
    for order, text, priority in ((Order(Halt=None), "Halt", 2), (Order(Say="hello"), 'Say("hello")', -1)):
        call = f"dispatch(vehicle=7, order={text}, priority={priority})"
        try:
            reply = client.dispatch(vehicle=7, order=order, priority=priority)
            print(f"{call} -> mission={reply.mission} eta_ms={reply.eta_ms}")
        except interop.RemoteError as error:
            print(f"{call} -> error {error.value.name}")
    corners = [{"latitude": 1.0, "longitude": 1.0}, {"latitude": 1.0, "longitude": 2.0}, {"latitude": 2.0, "longitude": 2.0}]
    reply = client.in_zone(zone={"name": "depot", "corners": corners})
    print(f'in_zone(zone="depot" with 3 corners) -> count={reply.count} ids={list(reply.ids)}')
    client.subscribe_moved()
    print("subscribe(moved) -> ok")
    client.subscribe_low_battery()
    print("subscribe(low_battery) -> ok")
    pose = {"position": {"latitude": 51.5, "longitude": -0.25}, "heading": 90.0, "altitude": 12.5}
    report(client, 42, pose, 1.5)
    report(client, 43, {}, -1.0)


def report(client: FleetControlClient, vehicle: int, pose: dict, speed: float) -> None:
    with client.loan_report() as message:
        message.vehicle = vehicle
        message.pose = pose
        message.speed = speed
        sent = describe_pose(message.pose)
        message.send()
    print(f"report(vehicle={vehicle}, {sent}, speed={speed:.2f}) -> sent")
    event = client.next_event(EVENT_WAIT)
    if event is None:
        raise RuntimeError(f"no event within {EVENT_WAIT} s of the report")
    if event.name == "moved":
        print(f"event moved(vehicle={event.value.vehicle}, {describe_pose(event.value.pose)})")
    else:
        print(f"event low_battery(vehicle={event.value.vehicle}, charge={event.value.charge})")


def time_calls(client: FleetControlClient, count: int) -> None:
    """Times `count` zero-copy calls of get_vehicle: loan, fill in place, send, read in place."""
    times = []
    loan = client.loan_get_vehicle
    clock = time.perf_counter
    for _ in range(count):
        start = clock()
        with loan() as request:
            request.id = 7
            vehicle = request.send()
        vehicle.id
        times.append(clock() - start)
    times.sort()
    median = times[count // 2] * 1e6
    p99 = times[min(count * 99 // 100, count - 1)] * 1e6
    print(f"round trip: {count} calls of get_vehicle, median {median:.1f} us, p99 {p99:.1f} us")


def connect(url: str | None) -> tuple[FleetControlClient, interop.Server | None]:
    """The client, and the in-process server it calls for an ``inproc://`` URL."""
    if url is None:
        return FleetControlClient.from_node(interop.Node.from_env()), None
    if not url.startswith("inproc://"):
        return FleetControlClient.connect(url), None
    server = interop.Server(url)
    serve(server, FleetHandlers())
    server.start()
    return FleetControlClient.connect(url), server


def main(args: list[str]) -> int:
    try:
        url, repeat = parse_args(args)
    except Usage as problem:
        if str(problem):
            print(f"error: {problem}\n", file=sys.stderr)
        print(USAGE, file=sys.stderr)
        return 2
    server = None
    try:
        client, server = connect(url)
        with client:
            converse(client)
            if repeat > 0:
                time_calls(client, repeat)
    except (interop.InteropError, interop.LibraryNotFound, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        sys.stdout.flush()
        if server is not None:
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
