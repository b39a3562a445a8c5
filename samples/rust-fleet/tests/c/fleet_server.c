/* A C server of the fleet service over the runtime's C ABI: handlers for get_vehicle and
 * ping, no others. Usage: fleet_server URL run|poll. It prints "listening" once it serves,
 * and stops when its standard input closes: in mode `run` a second thread stops the blocking
 * loop through a server handle; in mode `poll` its own poll(2) loop drives the server. */
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fleet_control.h"
#include "interop.h"

struct counters {
    unsigned calls;
};

static int get_vehicle(void *user_data, const void *request, size_t request_len, void *reply,
                       size_t reply_len, void *error, size_t error_len) {
    struct counters *counters = user_data;
    counters->calls++;
    uint32_t id;
    if (request_len != sizeof id || reply_len < REPLY_SIZE || error_len != sizeof(uint16_t)) {
        return -1;
    }
    memcpy(&id, (const uint8_t *)request + REQUEST_ID_OFFSET, sizeof id);
    if (id == 0 || id > 100) {
        uint16_t unknown_vehicle = 1;
        memcpy(error, &unknown_vehicle, sizeof unknown_vehicle);
        return INTEROP_HANDLER_ERROR;
    }
    uint8_t *vehicle = (uint8_t *)reply + REPLY_RESULT_OFFSET;
    uint64_t odometer = (uint64_t)id * 10;
    memcpy(vehicle + VEHICLE_ID_OFFSET, &id, sizeof id);
    /* Vehicle 13 gets no kind: 0 is no member of the enum, so the runtime refuses the reply. */
    vehicle[VEHICLE_KIND_OFFSET] = id == 13 ? 0 : 3;
    vehicle[VEHICLE_CHARGE_OFFSET] = (uint8_t)counters->calls;
    memcpy(vehicle + VEHICLE_ODOMETER_KM_OFFSET, &odometer, sizeof odometer);
    return INTEROP_HANDLER_OK;
}

static int ping(void *user_data, const void *request, size_t request_len, void *reply,
                size_t reply_len, void *error, size_t error_len) {
    (void)user_data;
    return request == NULL && request_len == 0 && reply == NULL && reply_len == 0 &&
                   error == NULL && error_len == 0
               ? INTEROP_HANDLER_OK
               : -1;
}

static void *stop_when_stdin_closes(void *handle) {
    char buffer[64];
    while (read(0, buffer, sizeof buffer) > 0) {
    }
    interop_server_handle_stop(handle);
    return NULL;
}

static int fail(const char *step, int status) {
    fprintf(stderr, "%s: %s: %s\n", step, interop_status_name(status), interop_last_error());
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s URL run|poll\n", argv[0]);
        return 2;
    }
    interop_server *server = NULL;
    int status = interop_server_bind(argv[1], &server);
    if (status != INTEROP_OK) {
        return fail("bind", status);
    }
    struct counters counters = {0};
    interop_handler handlers[FLEET_METHOD_COUNT] = {0};
    handlers[FLEET_GET_VEHICLE] = get_vehicle;
    handlers[FLEET_PING] = ping;
    status = interop_server_serve(server, &FLEET_CONTROL, handlers, FLEET_METHOD_COUNT, &counters);
    if (status != INTEROP_OK) {
        return fail("serve", status);
    }
    status = interop_server_serve(server, &FLEET_CONTROL, handlers, 2, &counters);
    fprintf(stderr, "wrong handler count: %s: %s\n", interop_status_name(status),
            interop_last_error());
    printf("listening\n");
    fflush(stdout);

    if (strcmp(argv[2], "run") == 0) {
        interop_server_handle *handle = NULL;
        status = interop_server_handle_new(server, &handle);
        if (status != INTEROP_OK) {
            return fail("handle", status);
        }
        pthread_t stopper;
        pthread_create(&stopper, NULL, stop_when_stdin_closes, handle);
        status = interop_server_run(server);
        pthread_join(stopper, NULL);
        interop_server_handle_free(handle);
        if (status != INTEROP_OK) {
            return fail("run", status);
        }
    } else {
        struct pollfd watched[2] = {{.fd = interop_server_fd(server), .events = POLLIN},
                                    {.fd = 0, .events = POLLIN}};
        for (;;) {
            int busy = interop_server_is_busy(server);
            if (poll(watched, 2, busy ? 0 : 1000) < 0) {
                return 1;
            }
            if (watched[1].revents != 0) {
                char buffer[64];
                if (read(0, buffer, sizeof buffer) <= 0) {
                    break;
                }
            }
            status = interop_server_run_once(server, 0);
            if (status != INTEROP_OK) {
                return fail("run_once", status);
            }
        }
    }
    interop_server_free(server);
    printf("stopped after %u get_vehicle calls\n", counters.calls);
    return 0;
}
