/* The fleet's handlers, shared by fleet_server (which serves them) and fleet_client (which
 * serves them in its own process for an inproc:// URL). samples/fleet/README.md says what
 * each one does. */
#ifndef FLEET_HANDLERS_H
#define FLEET_HANDLERS_H

#include <stdio.h>

#include "fleet_control.h"

/* What the handlers share: where they print what they receive, and the publisher of the
 * events that reports cause. */
typedef struct fleet_state {
    /* Where a `received ...` line goes for every message handled; NULL prints nothing. */
    FILE *log;
    /* Set once the service is served; reports publish nothing before. */
    interop_publisher *publisher;
} fleet_state;

/* The handlers of fleet.control.FleetControl, working on `state` (which must outlive the
 * server they are served on). */
fleet_control_FleetControl_handlers fleet_handlers(fleet_state *state);

/* Serves the fleet on `server` with `handlers` (whose user_data is `state`), and gives
 * `state` the publisher of the server's events. Returns an INTEROP_* status. */
int fleet_serve(interop_server *server, const fleet_control_FleetControl_handlers *handlers,
                fleet_state *state);

/* Prints `error: STEP: STATUS_NAME: interop_last_error()` to stderr; returns 1. */
int fleet_fail(const char *step, int status);

#endif /* FLEET_HANDLERS_H */
