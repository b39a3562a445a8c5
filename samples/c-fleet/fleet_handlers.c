/* The fleet's handlers: see fleet_handlers.h and samples/fleet/README.md. */
#include "fleet_handlers.h"

#include <stdio.h>
#include <string.h>

/* Vehicles 1 to this number exist. */
#define FLEET_VEHICLES 1000u

/* The charge a report with a negative speed announces (a sample's stand-in for a battery
 * reading). */
#define LOW_CHARGE 5u

static void received(const fleet_state *state, const char *line) {
    if (state->log != NULL) {
        fputs(line, state->log);
        fputc('\n', state->log);
    }
}

static int get_vehicle(void *user_data, const fleet_control_FleetControlGetVehicleRequest *request,
                       fleet_control_FleetControlGetVehicleReply *reply, fleet_control_Fault *error) {
    const fleet_state *state = user_data;
    char line[64];
    snprintf(line, sizeof line, "received get_vehicle(id=%u)", (unsigned)request->id);
    received(state, line);
    if (request->id < 1u || request->id > FLEET_VEHICLES) {
        *error = FLEET_CONTROL_FAULT_UNKNOWNVEHICLE;
        return INTEROP_HANDLER_ERROR;
    }
    fleet_control_Vehicle *vehicle = &reply->result;
    vehicle->id = request->id;
    vehicle->kind = request->id % 2u == 0u ? FLEET_CONTROL_KIND_TRUCK : FLEET_CONTROL_KIND_VAN;
    char name[17];
    snprintf(name, sizeof name, "van-%u", (unsigned)request->id);
    /* "van-1000" at most: it always fits the 16 bytes of `name`. */
    fleet_control_inline_String16_set(&vehicle->name, name);
    vehicle->charge = 80;
    vehicle->odometer_km = (uint64_t)request->id * 1000u;
    return INTEROP_HANDLER_OK;
}

static int dispatch(void *user_data, const fleet_control_FleetControlDispatchRequest *request,
                    fleet_control_FleetControlDispatchReply *reply, fleet_control_Fault *error) {
    const fleet_state *state = user_data;
    char line[80];
    snprintf(line, sizeof line, "received dispatch(vehicle=%u, priority=%d)",
             (unsigned)request->vehicle, (int)request->priority);
    received(state, line);
    if (request->priority < 0) {
        *error = FLEET_CONTROL_FAULT_BUSY;
        return INTEROP_HANDLER_ERROR;
    }
    reply->mission = (uint64_t)request->vehicle * 1000u + (uint64_t)request->priority;
    reply->eta_ms = 60000;
    return INTEROP_HANDLER_OK;
}

static int in_zone(void *user_data, const fleet_control_FleetControlInZoneRequest *request,
                   fleet_control_FleetControlInZoneReply *reply) {
    const fleet_state *state = user_data;
    size_t corners = fleet_geometry_inline_Vec8OfPoint_len(&request->zone.corners);
    char line[64];
    snprintf(line, sizeof line, "received in_zone(zone with %zu corners)", corners);
    received(state, line);
    for (size_t corner = 0; corner < corners; corner++) {
        if (!fleet_control_inline_Vec32OfU32_push(&reply->ids, (uint32_t)corner + 1u)) {
            break;
        }
    }
    reply->count = (uint8_t)fleet_control_inline_Vec32OfU32_len(&reply->ids);
    return INTEROP_HANDLER_OK;
}

static int ping(void *user_data) {
    received(user_data, "received ping()");
    return INTEROP_HANDLER_OK;
}

static void report(void *user_data, const fleet_control_FleetControlReportRequest *message) {
    const fleet_state *state = user_data;
    char line[80];
    snprintf(line, sizeof line, "received report(vehicle=%u, speed=%.2f)",
             (unsigned)message->vehicle, (double)message->speed);
    received(state, line);
    if (state->publisher == NULL) {
        return;
    }
    int status;
    if (message->speed < 0.0f) {
        fleet_control_FleetControlLowBatteryEvent event;
        memset(&event, 0, sizeof event);
        event.vehicle = message->vehicle;
        event.charge = LOW_CHARGE;
        status = fleet_control_FleetControl_publish_low_battery(state->publisher, &event);
    } else {
        fleet_control_FleetControlMovedEvent event;
        memset(&event, 0, sizeof event);
        event.vehicle = message->vehicle;
        event.pose = message->pose;
        status = fleet_control_FleetControl_publish_moved(state->publisher, &event);
    }
    if (status != INTEROP_OK) {
        fprintf(stderr, "cannot publish the report of vehicle %u: %s: %s\n",
                (unsigned)message->vehicle, interop_status_name(status), interop_last_error());
    }
}

fleet_control_FleetControl_handlers fleet_handlers(fleet_state *state) {
    fleet_control_FleetControl_handlers handlers = {
        .user_data = state,
        .get_vehicle = get_vehicle,
        .dispatch = dispatch,
        .in_zone = in_zone,
        .ping = ping,
        .report = report,
    };
    return handlers;
}

int fleet_serve(interop_server *server, const fleet_control_FleetControl_handlers *handlers,
                fleet_state *state) {
    int status = fleet_control_FleetControl_serve(server, handlers);
    if (status != INTEROP_OK) {
        return status;
    }
    return fleet_control_FleetControl_publisher_new(server, &state->publisher);
}

int fleet_fail(const char *step, int status) {
    fprintf(stderr, "error: %s: %s: %s\n", step, interop_status_name(status),
            interop_last_error());
    return 1;
}
