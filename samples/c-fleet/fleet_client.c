/* Calls the sample fleet service and prints what comes back (samples/fleet/transcript.txt):
 * `fleet_client URL [--repeat N]`, or, without a URL, as the node $INTEROP_NODE of the
 * deployment manifest $INTEROP_MANIFEST. With an inproc:// URL it first serves the fleet in
 * its own process, on a thread. With --repeat N it then times N zero-copy get_vehicle calls.
 * Errors go to stderr, with exit status 1 (2 for bad usage). See samples/fleet/README.md. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fleet_handlers.h"

/* How long a call waits for its reply, and the client for an event. */
#define CALL_TIMEOUT_MS 5000u
#define EVENT_TIMEOUT_MS 5000

static int usage(void) {
    fprintf(stderr,
            "usage: fleet_client [URL] [--repeat N]\n\n"
            "Calls fleet.control.FleetControl at URL (inproc://NAME serves it in this process "
            "first); without URL, as the node INTEROP_NODE of the manifest INTEROP_MANIFEST. "
            "With --repeat, then times N more get_vehicle calls.\n");
    return 2;
}

/* ---- the fleet served in this process, for inproc:// ---- */

typedef struct in_process {
    fleet_state state;
    fleet_control_FleetControl_handlers handlers;
    interop_server *server;
    interop_server_handle *handle;
    pthread_t thread;
    int run_status;
} in_process;

static void *run_server(void *argument) {
    in_process *fleet = argument;
    fleet->run_status = interop_server_run(fleet->server);
    return NULL;
}

/* Serves the fleet at `url` on a thread of this process. */
static int serve_in_process(const char *url, in_process *fleet) {
    memset(fleet, 0, sizeof *fleet);
    fleet->state.log = NULL; /* stdout holds the transcript only */
    fleet->handlers = fleet_handlers(&fleet->state);
    int status = interop_server_bind(url, &fleet->server);
    if (status == INTEROP_OK) {
        status = fleet_serve(fleet->server, &fleet->handlers, &fleet->state);
    }
    if (status == INTEROP_OK) {
        status = interop_server_handle_new(fleet->server, &fleet->handle);
    }
    if (status != INTEROP_OK) {
        return fleet_fail("serve in process", status);
    }
    if (pthread_create(&fleet->thread, NULL, run_server, fleet) != 0) {
        fprintf(stderr, "error: cannot start the thread of the in-process server\n");
        return 1;
    }
    return 0;
}

/* Stops the in-process server and frees it; 1 when its loop failed. */
static int stop_in_process(in_process *fleet) {
    interop_server_handle_stop(fleet->handle);
    pthread_join(fleet->thread, NULL);
    interop_server_free(fleet->server);
    interop_server_handle_free(fleet->handle);
    interop_publisher_free(fleet->state.publisher);
    return fleet->run_status == INTEROP_OK ? 0 : fleet_fail("in-process server", fleet->run_status);
}

/* ---- printing ---- */

static void print_fault(const char *call, fleet_control_Fault fault) {
    const char *name = fleet_control_Fault_name(fault);
    if (name != NULL) {
        printf("%s -> error %s\n", call, name);
    } else {
        printf("%s -> error %u\n", call, (unsigned)fault);
    }
}

/* `latitude=.., longitude=.., heading=.., altitude=..` of a pose. */
static void format_pose(char *out, size_t size, const fleet_geometry_Pose *pose) {
    const float *altitude = fleet_geometry_inline_OptionalF32_get(&pose->altitude);
    char altitude_text[32] = "none";
    if (altitude != NULL) {
        snprintf(altitude_text, sizeof altitude_text, "%.2f", (double)*altitude);
    }
    snprintf(out, size, "latitude=%.2f, longitude=%.2f, heading=%.2f, altitude=%s",
             pose->position.latitude, pose->position.longitude, (double)pose->heading,
             altitude_text);
}

/* ---- the calls of the transcript ---- */

static int call_get_vehicle(interop_client *client, uint32_t id) {
    fleet_control_FleetControlGetVehicleRequest request;
    memset(&request, 0, sizeof request);
    request.id = id;
    fleet_control_FleetControlGetVehicleReply reply;
    fleet_control_Fault fault = 0;
    int status = fleet_control_FleetControl_get_vehicle(client, &request, &reply, &fault);
    char call[48];
    snprintf(call, sizeof call, "get_vehicle(id=%u)", (unsigned)id);
    if (status == INTEROP_REMOTE_ERROR) {
        print_fault(call, fault);
        return 0;
    }
    if (status != INTEROP_OK) {
        return fleet_fail(call, status);
    }
    const fleet_control_Vehicle *vehicle = &reply.result;
    const char *kind = fleet_control_Kind_name(vehicle->kind);
    printf("%s -> id=%u kind=%s name=\"%.*s\" charge=%u odometer_km=%llu\n", call,
           (unsigned)vehicle->id, kind != NULL ? kind : "?",
           (int)fleet_control_inline_String16_len(&vehicle->name),
           fleet_control_inline_String16_data(&vehicle->name), (unsigned)vehicle->charge,
           (unsigned long long)vehicle->odometer_km);
    return 0;
}

static void print_dispatch(const char *call, int status,
                           const fleet_control_FleetControlDispatchReply *reply,
                           const fleet_control_Fault *fault) {
    if (status == INTEROP_REMOTE_ERROR) {
        print_fault(call, *fault);
    } else {
        printf("%s -> mission=%llu eta_ms=%lld\n", call, (unsigned long long)reply->mission,
               (long long)reply->eta_ms);
    }
}

/* dispatch(7, Halt, 2), the zero-copy way: the request is filled in place and the reply read
 * in place. */
static int dispatch_halt(interop_client *client) {
    const char *call = "dispatch(vehicle=7, order=Halt, priority=2)";
    fleet_control_FleetControlDispatchRequest *request = NULL;
    int status = fleet_control_FleetControl_loan_dispatch(client, &request);
    if (status != INTEROP_OK) {
        return fleet_fail(call, status);
    }
    request->vehicle = 7;
    request->order.tag = FLEET_CONTROL_ORDER_HALT;
    request->priority = 2;
    const fleet_control_FleetControlDispatchReply *reply = NULL;
    const fleet_control_Fault *fault = NULL;
    status = fleet_control_FleetControl_send_dispatch(client, &reply, &fault);
    if (status != INTEROP_OK && status != INTEROP_REMOTE_ERROR) {
        return fleet_fail(call, status);
    }
    print_dispatch(call, status, reply, fault);
    interop_client_release(client);
    return 0;
}

/* dispatch(7, Say("hello"), -1), copying. */
static int dispatch_say(interop_client *client) {
    const char *call = "dispatch(vehicle=7, order=Say(\"hello\"), priority=-1)";
    static fleet_control_FleetControlDispatchRequest request; /* 9 KiB: not on the stack */
    memset(&request, 0, sizeof request);
    request.vehicle = 7;
    request.order.tag = FLEET_CONTROL_ORDER_SAY;
    fleet_control_inline_String64_set(&request.order.payload.Say, "hello");
    request.priority = -1;
    fleet_control_FleetControlDispatchReply reply;
    fleet_control_Fault fault = 0;
    int status = fleet_control_FleetControl_dispatch(client, &request, &reply, &fault);
    if (status != INTEROP_OK && status != INTEROP_REMOTE_ERROR) {
        return fleet_fail(call, status);
    }
    print_dispatch(call, status, &reply, &fault);
    return 0;
}

static int in_zone(interop_client *client) {
    static const double corners[][2] = {{1, 1}, {1, 2}, {2, 2}};
    fleet_control_FleetControlInZoneRequest request;
    memset(&request, 0, sizeof request);
    fleet_geometry_inline_String32_set(&request.zone.name, "depot");
    for (size_t i = 0; i < sizeof corners / sizeof corners[0]; i++) {
        fleet_geometry_Point point = {corners[i][0], corners[i][1]};
        fleet_geometry_inline_Vec8OfPoint_push(&request.zone.corners, point);
    }
    fleet_control_FleetControlInZoneReply reply;
    const char *call = "in_zone(zone=\"depot\" with 3 corners)";
    int status = fleet_control_FleetControl_in_zone(client, &request, &reply);
    if (status != INTEROP_OK) {
        return fleet_fail(call, status);
    }
    printf("%s -> count=%u ids=[", call, (unsigned)reply.count);
    for (size_t i = 0; i < fleet_control_inline_Vec32OfU32_len(&reply.ids); i++) {
        printf("%s%u", i == 0 ? "" : ", ", (unsigned)reply.ids.items[i]);
    }
    printf("]\n");
    return 0;
}

static int subscribe(interop_client *client, const char *event,
                     int (*subscribe_to)(interop_client *client)) {
    char call[48];
    snprintf(call, sizeof call, "subscribe(%s)", event);
    int status = subscribe_to(client);
    if (status != INTEROP_OK) {
        return fleet_fail(call, status);
    }
    printf("%s -> ok\n", call);
    return 0;
}

static void print_report(const fleet_control_FleetControlReportRequest *message) {
    char pose[160];
    format_pose(pose, sizeof pose, &message->pose);
    printf("report(vehicle=%u, %s, speed=%.2f) -> sent\n", (unsigned)message->vehicle, pose,
           (double)message->speed);
}

/* Waits for the next event and prints it. */
static int print_next_event(interop_client *client) {
    fleet_control_FleetControl_event event;
    int status = fleet_control_FleetControl_next_event(client, EVENT_TIMEOUT_MS, &event);
    if (status != INTEROP_OK) {
        return fleet_fail("next event", status);
    }
    const fleet_control_FleetControlMovedEvent *moved = fleet_control_FleetControl_as_moved(&event);
    const fleet_control_FleetControlLowBatteryEvent *low_battery =
        fleet_control_FleetControl_as_low_battery(&event);
    if (moved != NULL) {
        char pose[160];
        format_pose(pose, sizeof pose, &moved->pose);
        printf("event moved(vehicle=%u, %s)\n", (unsigned)moved->vehicle, pose);
    } else if (low_battery != NULL) {
        printf("event low_battery(vehicle=%u, charge=%u)\n", (unsigned)low_battery->vehicle,
               (unsigned)low_battery->charge);
    } else {
        fprintf(stderr, "error: an event of method %u that the fleet does not have\n",
                (unsigned)event.method);
        return 1;
    }
    interop_client_release(client);
    return 0;
}

/* report(42, ...) copying, then its event. */
static int report_moving(interop_client *client) {
    fleet_control_FleetControlReportRequest message;
    memset(&message, 0, sizeof message);
    message.vehicle = 42;
    message.pose.position.latitude = 51.5;
    message.pose.position.longitude = -0.25;
    message.pose.heading = 90.0f;
    fleet_geometry_inline_OptionalF32_set(&message.pose.altitude, 12.5f);
    message.speed = 1.5f;
    int status = fleet_control_FleetControl_report(client, &message);
    if (status != INTEROP_OK) {
        return fleet_fail("report(vehicle=42)", status);
    }
    print_report(&message);
    return print_next_event(client);
}

/* report(43, ...) the zero-copy way, then its event. */
static int report_low_battery(interop_client *client) {
    fleet_control_FleetControlReportRequest *message = NULL;
    int status = fleet_control_FleetControl_loan_report(client, &message);
    if (status != INTEROP_OK) {
        return fleet_fail("report(vehicle=43)", status);
    }
    message->vehicle = 43;
    message->speed = -1.0f;
    fleet_control_FleetControlReportRequest sent = *message;
    status = fleet_control_FleetControl_send_report(client);
    if (status != INTEROP_OK) {
        return fleet_fail("report(vehicle=43)", status);
    }
    print_report(&sent);
    return print_next_event(client);
}

static int transcript(interop_client *client) {
    int status = fleet_control_FleetControl_ping(client);
    if (status != INTEROP_OK) {
        return fleet_fail("ping()", status);
    }
    printf("ping() -> ok\n");
    int failed = call_get_vehicle(client, 7) || call_get_vehicle(client, 5000) ||
                 dispatch_halt(client) || dispatch_say(client) || in_zone(client) ||
                 subscribe(client, "moved", fleet_control_FleetControl_subscribe_moved) ||
                 subscribe(client, "low_battery", fleet_control_FleetControl_subscribe_low_battery) ||
                 report_moving(client) || report_low_battery(client);
    return failed;
}

/* ---- --repeat ---- */

static double now_us(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e6 + (double)now.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted times. */
static double percentile(const double *sorted, size_t count, unsigned percent) {
    size_t rank = (count * percent + 99u) / 100u;
    return sorted[rank > 0 ? rank - 1 : 0];
}

/* `count` zero-copy get_vehicle(7) calls: loan, fill in place, send, read the reply in place. */
static int repeat(interop_client *client, size_t count) {
    double *times = malloc(count * sizeof *times);
    if (times == NULL) {
        fprintf(stderr, "error: no memory for %zu times\n", count);
        return 1;
    }
    for (size_t call = 0; call < count; call++) {
        double started = now_us();
        fleet_control_FleetControlGetVehicleRequest *request = NULL;
        int status = fleet_control_FleetControl_loan_get_vehicle(client, &request);
        if (status == INTEROP_OK) {
            request->id = 7;
            const fleet_control_FleetControlGetVehicleReply *reply = NULL;
            status = fleet_control_FleetControl_send_get_vehicle(client, &reply, NULL);
            if (status == INTEROP_OK && reply->result.id != 7u) {
                fprintf(stderr, "error: get_vehicle(id=7) answered vehicle %u\n",
                        (unsigned)reply->result.id);
                free(times);
                return 1;
            }
        }
        if (status != INTEROP_OK) {
            free(times);
            return fleet_fail("get_vehicle(id=7)", status);
        }
        interop_client_release(client);
        times[call] = now_us() - started;
    }
    qsort(times, count, sizeof *times, by_value);
    printf("round trip: %zu calls of get_vehicle, median %.1f us, p99 %.1f us\n", count,
           percentile(times, count, 50), percentile(times, count, 99));
    free(times);
    return 0;
}

/* ---- main ---- */

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *url = NULL;
    size_t repeat_count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            char *end = NULL;
            unsigned long long count = strtoull(argv[++i], &end, 10);
            if (*argv[i] < '0' || *argv[i] > '9' || *end != '\0' || count == 0) {
                return usage();
            }
            repeat_count = (size_t)count;
        } else if (argv[i][0] == '-' || url != NULL) {
            return usage();
        } else {
            url = argv[i];
        }
    }
    if (url == NULL && getenv("INTEROP_MANIFEST") == NULL) {
        return usage();
    }

    in_process fleet;
    int serving = url != NULL && strncmp(url, "inproc://", strlen("inproc://")) == 0;
    if (serving && serve_in_process(url, &fleet) != 0) {
        return 1;
    }
    interop_node *node = NULL;
    interop_client *client = NULL;
    int status;
    if (url != NULL) {
        status = fleet_control_FleetControl_connect(url, CALL_TIMEOUT_MS, &client);
    } else {
        status = interop_node_from_env(&node);
        if (status == INTEROP_OK) {
            status = fleet_control_FleetControl_connect_node(node, &client);
        }
    }
    int failed = status != INTEROP_OK ? fleet_fail("connect", status) : transcript(client);
    if (!failed && repeat_count > 0) {
        failed = repeat(client, repeat_count);
    }
    interop_client_free(client);
    interop_node_free(node);
    if (serving) {
        failed = stop_in_process(&fleet) || failed;
    }
    return failed ? 1 : 0;
}
