/* A C client of the fleet service over the runtime's C ABI: zero-copy and copying calls, the
 * service's IDL error, one-way messages, events, and the errors of misuse. Prints one line
 * per step for tests/c_abi.rs to check. Usage: fleet_client URL */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fleet_control.h"
#include "interop.h"

static void print_vehicle(const char *step, const uint8_t *reply, size_t len) {
    const uint8_t *vehicle = reply + REPLY_RESULT_OFFSET;
    uint32_t id;
    uint64_t odometer;
    memcpy(&id, vehicle + VEHICLE_ID_OFFSET, sizeof id);
    memcpy(&odometer, vehicle + VEHICLE_ODOMETER_KM_OFFSET, sizeof odometer);
    printf("%s: len=%zu id=%" PRIu32 " kind=%u charge=%u odometer_km=%" PRIu64 "\n", step, len,
           id, vehicle[VEHICLE_KIND_OFFSET], vehicle[VEHICLE_CHARGE_OFFSET], odometer);
}

static void print_status(const char *step, int status) {
    printf("%s: %s: %s\n", step, interop_status_name(status), interop_last_error());
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s URL\n", argv[0]);
        return 2;
    }
    interop_client *client = NULL;
    int status = interop_client_connect(argv[1], &FLEET_CONTROL, 5000, &client);
    if (status != INTEROP_OK) {
        print_status("connect", status);
        return 1;
    }

    /* Zero-copy: the request is filled where it will be sent from. */
    void *request = NULL;
    size_t request_len = 0;
    status = interop_client_loan(client, FLEET_GET_VEHICLE, &request, &request_len);
    if (status != INTEROP_OK) {
        print_status("loan", status);
        return 1;
    }
    uint32_t id = 7;
    memcpy((uint8_t *)request + REQUEST_ID_OFFSET, &id, sizeof id);
    const void *reply = NULL;
    size_t reply_len = 0;
    status = interop_client_send(client, &reply, &reply_len);
    if (status != INTEROP_OK) {
        print_status("send", status);
        return 1;
    }
    print_vehicle("loaned get_vehicle", reply, reply_len);
    interop_client_release(client);

    /* Copying. */
    uint8_t copied[512];
    id = 8;
    status = interop_client_call(client, FLEET_GET_VEHICLE, &id, sizeof id, copied,
                                 sizeof copied, &reply_len);
    if (status != INTEROP_OK) {
        print_status("call", status);
        return 1;
    }
    print_vehicle("copied get_vehicle", copied, reply_len);

    /* The service's IDL error, zero-copy and copying. */
    status = interop_client_loan(client, FLEET_GET_VEHICLE, &request, &request_len);
    id = 5000;
    memcpy(request, &id, sizeof id);
    status = interop_client_send(client, &reply, &reply_len);
    uint16_t fault = 0;
    if (reply_len == sizeof fault) {
        memcpy(&fault, reply, sizeof fault);
    }
    printf("loaned unknown vehicle: %s fault=%u len=%zu\n", interop_status_name(status), fault,
           reply_len);
    status = interop_client_call(client, FLEET_GET_VEHICLE, &id, sizeof id, copied,
                                 sizeof copied, &reply_len);
    memcpy(&fault, copied, sizeof fault);
    printf("copied unknown vehicle: %s fault=%u len=%zu\n", interop_status_name(status), fault,
           reply_len);

    /* A method without messages. */
    status = interop_client_call(client, FLEET_PING, NULL, 0, NULL, 0, &reply_len);
    printf("ping: %s len=%zu\n", interop_status_name(status), reply_len);

    /* Events: a report makes the server publish `moved`. */
    status = interop_client_subscribe(client, FLEET_MOVED);
    printf("subscribe: %s\n", interop_status_name(status));
    status = interop_client_loan(client, FLEET_REPORT, &request, &request_len);
    uint32_t vehicle = 42;
    memcpy(request, &vehicle, sizeof vehicle);
    status = interop_client_send(client, NULL, NULL);
    printf("report: %s\n", interop_status_name(status));
    uint32_t method = 0;
    const void *event = NULL;
    size_t event_len = 0;
    status = interop_client_next_event(client, 5000, &method, &event, &event_len);
    vehicle = 0;
    if (status == INTEROP_OK) {
        memcpy(&vehicle, event, sizeof vehicle);
    }
    printf("event: %s method=%" PRIu32 " vehicle=%" PRIu32 " len=%zu\n",
           interop_status_name(status), method, vehicle, event_len);
    status = interop_client_next_event(client, 50, &method, &event, &event_len);
    print_status("no more events", status);

    /* Misuse is refused with a reason. */
    status = interop_client_loan(client, FLEET_DISPATCH, &request, &request_len);
    status = interop_client_loan(client, FLEET_DISPATCH, &request, &request_len);
    print_status("second loan", status);
    status = interop_client_send(client, &reply, &reply_len);
    print_status("invalid dispatch", status);
    status = interop_client_send(client, &reply, &reply_len);
    print_status("send without loan", status);
    status = interop_client_loan(client, 99, &request, &request_len);
    print_status("bad index", status);
    status = interop_client_call(client, FLEET_GET_VEHICLE, &id, 3, copied, sizeof copied,
                                 &reply_len);
    print_status("short request", status);
    id = 9;
    status = interop_client_call(client, FLEET_GET_VEHICLE, &id, sizeof id, copied, 8,
                                 &reply_len);
    printf("small reply buffer: %s len=%zu\n", interop_status_name(status), reply_len);
    status = interop_client_subscribe(client, FLEET_GET_VEHICLE);
    print_status("subscribe to an rpc", status);
    status = interop_client_loan(NULL, FLEET_GET_VEHICLE, &request, &request_len);
    print_status("null client", status);

    interop_client_free(client);
    printf("done\n");
    return 0;
}
