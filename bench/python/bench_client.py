"""The Python client of the benchmark's ``rpc-shm-python`` case: round trips of
``bench.Bench.echo``, each request loaned and filled in place, each reply checked in place,
through the generated stubs over the ``interop`` package.

Usage: bench_client.py URL WARMUP ROUND_TRIPS SAMPLES_FILE
Writes the time of each timed round trip to SAMPLES_FILE, as little-endian uint64 nanoseconds.
"""

import array
import sys
import time

import bench


def main() -> int:
    if len(sys.argv) != 5:
        print(f"usage: {sys.argv[0]} URL WARMUP ROUND_TRIPS SAMPLES_FILE", file=sys.stderr)
        return 2
    url, warmup, round_trips, samples_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    client = bench.BenchClient.connect(url)
    samples = array.array("Q", bytes(8 * round_trips))
    clock = time.perf_counter_ns
    last = clock()
    for i in range(warmup + round_trips):
        with client.loan_echo() as request:
            request.seq = i
            reply = request.send()
            if reply.seq != i:
                print(f"bench_client.py: round trip {i}: the echo differs", file=sys.stderr)
                return 1
        now = clock()
        if i >= warmup:
            samples[i - warmup] = now - last
        last = now
    client.close()
    if sys.byteorder != "little":
        samples.byteswap()
    with open(samples_file, "wb") as out:
        samples.tofile(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
