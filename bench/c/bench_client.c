/* The C client of the benchmark's `rpc-shm-c` case: round trips of `bench.Bench.echo`, each
 * request loaned and filled in place, each reply checked in place, through the generated
 * stubs over libinterop.
 *
 * Usage: bench_client URL WARMUP ROUND_TRIPS SAMPLES_FILE
 * Writes the time of each timed round trip to SAMPLES_FILE, as little-endian uint64
 * nanoseconds (this machine is little-endian, as the layouts are). */
#define _POSIX_C_SOURCE 199309L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

static uint64_t now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static int fail(const char *step, int status) {
    fprintf(stderr, "bench_client: %s: %s: %s\n", step, interop_status_name(status),
            interop_last_error());
    return 1;
}

/* One round trip of echo carrying `seq`; 0 when the echo came back intact. */
static int round_trip(interop_client *client, uint64_t seq) {
    bench_BenchEchoRequest *request = NULL;
    int status = bench_Bench_loan_echo(client, &request);
    if (status != INTEROP_OK) {
        return fail("loan echo", status);
    }
    request->seq = seq;
    memset(request->payload, (int)(seq & 0xff), sizeof request->payload);
    const bench_BenchEchoReply *reply = NULL;
    status = bench_Bench_send_echo(client, &reply);
    if (status != INTEROP_OK) {
        return fail("send echo", status);
    }
    if (reply->seq != seq || reply->payload[31] != (uint8_t)(seq & 0xff)) {
        fprintf(stderr, "bench_client: round trip %" PRIu64 ": the echo differs\n", seq);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s URL WARMUP ROUND_TRIPS SAMPLES_FILE\n", argv[0]);
        return 2;
    }
    uint64_t warmup = strtoull(argv[2], NULL, 10);
    uint64_t round_trips = strtoull(argv[3], NULL, 10);
    uint64_t *samples = calloc(round_trips ? round_trips : 1, sizeof *samples);
    if (samples == NULL) {
        fprintf(stderr, "bench_client: no memory for %" PRIu64 " samples\n", round_trips);
        return 1;
    }
    interop_client *client = NULL;
    int status = bench_Bench_connect(argv[1], 5000, &client);
    if (status != INTEROP_OK) {
        return fail("connect", status);
    }
    uint64_t last = now_ns();
    for (uint64_t i = 0; i < warmup + round_trips; i++) {
        if (round_trip(client, i) != 0) {
            return 1;
        }
        uint64_t now = now_ns();
        if (i >= warmup) {
            samples[i - warmup] = now - last;
        }
        last = now;
    }
    interop_client_free(client);
    FILE *out = fopen(argv[4], "wb");
    if (out == NULL || fwrite(samples, sizeof *samples, round_trips, out) != round_trips ||
        fclose(out) != 0) {
        perror(argv[4]);
        return 1;
    }
    free(samples);
    return 0;
}
