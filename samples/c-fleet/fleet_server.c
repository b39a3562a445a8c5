/* Serves the sample fleet service until killed: `fleet_server [--quiet] URL...` on every URL
 * (inproc://NAME, shm://NAME, pipe://NAME, tcp://HOST:PORT), or, without URLs, as the node
 * $INTEROP_NODE of the deployment manifest $INTEROP_MANIFEST. It prints one line per message
 * it handles (`received get_vehicle(id=7)`), unless --quiet; errors go to stderr. See
 * samples/fleet/README.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_handlers.h"

static int usage(void) {
    fprintf(stderr,
            "usage: fleet_server [--quiet] URL...\n\n"
            "Serves fleet.control.FleetControl on every URL: inproc://NAME, shm://NAME, "
            "pipe://NAME or tcp://HOST:PORT. Without URLs, serves as the node INTEROP_NODE of "
            "the manifest INTEROP_MANIFEST. Prints a line per message received, unless "
            "--quiet.\n");
    return 2;
}

/* Serves on `urls` until the process ends. */
static int serve_urls(int count, char **urls, fleet_state *state,
                      const fleet_control_FleetControl_handlers *handlers) {
    interop_server *server = NULL;
    int status = interop_server_new(&server);
    if (status != INTEROP_OK) {
        return fleet_fail("server", status);
    }
    for (int i = 0; i < count; i++) {
        status = interop_server_listen(server, urls[i]);
        if (status != INTEROP_OK) {
            return fleet_fail(urls[i], status);
        }
    }
    status = fleet_serve(server, handlers, state);
    if (status != INTEROP_OK) {
        return fleet_fail("serve", status);
    }
    status = interop_server_run(server);
    return status == INTEROP_OK ? 0 : fleet_fail("run", status);
}

/* Serves as the node of the manifest that INTEROP_MANIFEST and INTEROP_NODE name, until the
 * process ends. */
static int serve_node(fleet_state *state, const fleet_control_FleetControl_handlers *handlers) {
    interop_node *node = NULL;
    int status = interop_node_from_env(&node);
    if (status != INTEROP_OK) {
        return fleet_fail("node", status);
    }
    status = fleet_control_FleetControl_serve_node(node, handlers);
    if (status != INTEROP_OK) {
        return fleet_fail("serve", status);
    }
    interop_server *server = NULL; /* the node's own: never freed here */
    status = interop_node_server(node, &server);
    if (status != INTEROP_OK) {
        return fleet_fail("node server", status);
    }
    status = fleet_control_FleetControl_publisher_new(server, &state->publisher);
    if (status != INTEROP_OK) {
        return fleet_fail("publisher", status);
    }
    status = interop_server_run(server);
    return status == INTEROP_OK ? 0 : fleet_fail("run", status);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    static fleet_state state;
    state.log = stdout;
    char **urls = argv + 1;
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            return usage();
        }
        if (strcmp(argv[i], "--quiet") == 0) {
            state.log = NULL;
        } else {
            urls[count++] = argv[i];
        }
    }
    static fleet_control_FleetControl_handlers handlers;
    handlers = fleet_handlers(&state);
    if (count > 0) {
        return serve_urls(count, urls, &state, &handlers);
    }
    if (getenv("INTEROP_MANIFEST") != NULL) {
        return serve_node(&state, &handlers);
    }
    return usage();
}
