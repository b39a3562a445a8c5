/* The C ABI of the interop runtime: link with libinterop (.so or .a).
 * Generated from runtime/src/ffi by cbindgen; do not edit. See docs/C_ABI.md. */

#ifndef INTEROP_H
#define INTEROP_H

#include <stddef.h>
#include <stdint.h>

/**
 * A handler's status: the reply is written.
 */
#define INTEROP_HANDLER_OK 0

/**
 * A handler's status: a value of the method's IDL error enum is written to `error`.
 */
#define INTEROP_HANDLER_ERROR 1

/**
 * [`interop_method::kind`] of a call with a reply.
 */
#define INTEROP_METHOD_RPC 0

/**
 * [`interop_method::kind`] of a call without a reply.
 */
#define INTEROP_METHOD_ONEWAY 1

/**
 * [`interop_method::kind`] of a message from the server to subscribed clients.
 */
#define INTEROP_METHOD_EVENT 2

/**
 * The call succeeded.
 */
#define INTEROP_OK 0

/**
 * The call reached the server's handler, which answered with a value of the method's IDL
 * error enum: its bytes are readable where a reply would be.
 */
#define INTEROP_REMOTE_ERROR 1

/**
 * A system call failed (connecting, binding, reading, writing).
 */
#define INTEROP_E_IO -1

/**
 * The peer closed the connection or its process died.
 */
#define INTEROP_E_PEER_GONE -2

/**
 * No reply (or event) within the timeout.
 */
#define INTEROP_E_TIMEOUT -3

/**
 * The ring or socket is full and the client's timeout is zero.
 */
#define INTEROP_E_WOULD_BLOCK -4

/**
 * The two sides were generated from different versions of the method.
 */
#define INTEROP_E_FINGERPRINT_MISMATCH -5

/**
 * The server refused the connection in its handshake.
 */
#define INTEROP_E_REFUSED -6

/**
 * The server's runtime refused the call, or the handler failed; the handler's IDL error is
 * [`INTEROP_REMOTE_ERROR`] instead.
 */
#define INTEROP_E_FAILED -7

/**
 * A message failed validation (from the peer, or built by the caller); nothing used it.
 */
#define INTEROP_E_INVALID -8

/**
 * The peer broke the wire protocol; the connection is closed.
 */
#define INTEROP_E_PROTOCOL -9

/**
 * Events were lost because they were not taken in time.
 */
#define INTEROP_E_LAGGED -10

/**
 * The deployment manifest has problems.
 */
#define INTEROP_E_MANIFEST -11

/**
 * An endpoint, option or service description makes no sense.
 */
#define INTEROP_E_CONFIG -12

/**
 * An argument is wrong: a null pointer, a method index out of range, a size that is not the
 * message's, a buffer too small.
 */
#define INTEROP_E_ARGUMENT -13

/**
 * The call does not fit the handle's state: a loan is already open, nothing is loaned to
 * send.
 */
#define INTEROP_E_STATE -14

/**
 * The runtime panicked; the handle involved may be unusable (free it).
 */
#define INTEROP_E_PANIC -15

/**
 * A connection to one service. Create it with [`interop_client_connect`], free it with
 * [`interop_client_free`].
 *
 * Not thread-safe: use it from one thread at a time (it may move between threads). It holds
 * at most one loaned request, or one reply, error value or event; the pointers it hands out
 * stay valid until [`interop_client_release`], the next call on the same client, or its
 * `free`, whichever comes first.
 */
typedef struct interop_client interop_client;

/**
 * One process (node) of a deployment manifest: it listens where the manifest says, serves
 * the services the node provides and connects to those it uses. Create it with
 * [`interop_node_open`] or [`interop_node_from_env`], free it with [`interop_node_free`].
 *
 * Not thread-safe: use it from one thread at a time. Its server (from
 * [`interop_node_server`]) runs its loop; clients it connects are independent handles.
 */
typedef struct interop_node interop_node;

/**
 * Publishes one service's events to its subscribers, from any thread (handlers included).
 * Thread-safe. Free it with [`interop_publisher_free`].
 */
typedef struct interop_publisher interop_publisher;

/**
 * A server: one event loop serving services on endpoints. Create it with
 * [`interop_server_new`] or [`interop_server_bind`], free it with [`interop_server_free`].
 *
 * Not thread-safe: use it from one thread at a time. To stop it from another thread, take an
 * `interop_server_handle`; to publish events from any thread, an `interop_publisher`.
 *
 * The server of a node (`interop_node_server`) belongs to the node: never freed by the caller.
 */
typedef struct interop_server interop_server;

/**
 * Stops a running server from any thread. Thread-safe; it stays valid after its server is
 * freed (stopping then does nothing). Free it with [`interop_server_handle_free`].
 */
typedef struct interop_server_handle interop_server_handle;

/**
 * One method of a service, as generated C declares it.
 */
typedef struct interop_method {
  /**
   * `package.Service.method`, NUL-terminated UTF-8.
   */
  const char *qualified_name;
  /**
   * The method's name, NUL-terminated UTF-8.
   */
  const char *name;
  /**
   * `INTEROP_METHOD_RPC`, `INTEROP_METHOD_ONEWAY` or `INTEROP_METHOD_EVENT`.
   */
  uint8_t kind;
  /**
   * The wire id: the first four bytes of the SHA-256 of the qualified name, little-endian.
   */
  uint32_t id;
  /**
   * SHA-256 over the method's name, kind, messages and error type.
   */
  uint8_t fingerprint[32];
  /**
   * Descriptor record of the request (or event) struct; -1 when it has no payload.
   */
  int64_t params_record;
  /**
   * Descriptor record of the reply struct; -1 for an empty reply and for one-way and
   * event methods.
   */
  int64_t results_record;
  /**
   * Descriptor record of the method's IDL error enum; -1 when it declares no `error`.
   */
  int64_t error_record;
} interop_method;

/**
 * A service, as generated C declares it (`static const`): its name, its methods and the
 * validation descriptor of its package.
 *
 * The runtime copies a description the first time it sees it and keeps the copy for the
 * life of the process, found again by the description's address (and checked to be
 * unchanged), so using the same description again costs nothing more.
 */
typedef struct interop_service {
  /**
   * `package.Service`, NUL-terminated UTF-8.
   */
  const char *qualified_name;
  /**
   * The methods, in declaration order; method indexes in calls index this array.
   */
  const struct interop_method *methods;
  /**
   * How many methods there are.
   */
  size_t method_count;
  /**
   * The validation descriptor of the service's package.
   */
  const uint8_t *descriptor;
  /**
   * Its length in bytes.
   */
  size_t descriptor_len;
} interop_service;

/**
 * The handler of one method: it reads the request (`request_len` bytes; NULL and 0 for a
 * method without parameters) and writes the reply in place (`reply_len` zeroed bytes; NULL
 * and 0 for an empty reply or a one-way method), or the method's IDL error value in `error`
 * (`error_len` zeroed bytes; NULL and 0 when the method declares no error). It returns
 * `INTEROP_HANDLER_OK`, `INTEROP_HANDLER_ERROR`, or anything else for a failure, which the
 * caller receives as `INTEROP_E_FAILED`. The request was validated before the call; the
 * reply or error value is validated after it, and refused (the caller gets a failure) when
 * it is not a valid message.
 *
 * Handlers of a service are called one at a time, from the thread running the server's loop
 * or, for `inproc://` clients, from the calling client's thread.
 */
typedef int (*interop_handler)(void *user_data,
                               const void *request,
                               size_t request_len,
                               void *reply,
                               size_t reply_len,
                               void *error,
                               size_t error_len);

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Connects to `service` at `url` (`inproc://NAME`, `shm://NAME`, `pipe://NAME` or
 * `tcp://HOST:PORT`); calls wait up to `timeout_ms` for their reply (0: never wait, a full
 * connection fails with `INTEROP_E_WOULD_BLOCK`; the handshake still waits up to 5 s). On
 * success `*out` is the new client, which the caller frees with [`interop_client_free`]; on
 * failure it is NULL.
 *
 * `service` is copied by the runtime the first time it is seen (see `interop_service`).
 *
 * # Safety
 * `url` must be a NUL-terminated string, `service` a valid description, `out` writable.
 */
int interop_client_connect(const char *url,
                           const struct interop_service *service,
                           uint32_t timeout_ms,
                           struct interop_client **out);

/**
 * Closes the connection and frees the client, with whatever it holds; NULL is ignored.
 *
 * # Safety
 * A non-null `client` must come from [`interop_client_connect`] and not be used again.
 */
void interop_client_free(struct interop_client *client);

/**
 * Sets how long calls wait for their reply from now on (0: never wait).
 *
 * # Safety
 * `client` must be a live client, used by no other thread.
 */
int interop_client_set_timeout(struct interop_client *client,
                               uint32_t timeout_ms);

/**
 * Loans the request of the rpc or one-way method at `method_index` (its index in the
 * service's `methods`): `*request` points at `*len` zeroed bytes, in the send buffer or the
 * shared-memory slot, to fill in place (generated C casts it to the request struct). Send it
 * with [`interop_client_send`], or drop it with [`interop_client_release`]. A method without
 * parameters has `*len` 0 and `*request` NULL.
 *
 * # Safety
 * `client` must be a live client, used by no other thread; `request` and `len` writable.
 */
int interop_client_loan(struct interop_client *client,
                        uint32_t method_index,
                        void **request,
                        size_t *len);

/**
 * Sends the loaned request (after checking it against its descriptor: an invalid request is
 * dropped with `INTEROP_E_INVALID`). For an rpc it waits for the answer: `INTEROP_OK` with
 * the reply in place, or `INTEROP_REMOTE_ERROR` with the bytes of the method's IDL error
 * value; either is readable at `*reply` for `*reply_len` bytes until
 * [`interop_client_release`] or the next call on this client. A one-way message returns
 * once handed to the transport, with no reply. `reply` and `reply_len` may be NULL.
 *
 * # Safety
 * `client` must be a live client, used by no other thread; non-null out-pointers writable.
 */
int interop_client_send(struct interop_client *client,
                        const void **reply,
                        size_t *reply_len);

/**
 * Releases what the client holds: the reply, error value or event last handed out, or a
 * loaned request not sent (which is dropped). Does nothing when it holds nothing.
 *
 * # Safety
 * `client` must be a live client, used by no other thread.
 */
int interop_client_release(struct interop_client *client);

/**
 * Calls the rpc at `method_index`, copying: `request_len` bytes from `request` (exactly the
 * request's size; NULL for a method without parameters) are sent, and the answer is copied
 * into `reply` (room for `reply_capacity` bytes), its size in `*reply_len`. Returns
 * `INTEROP_OK` for a reply, `INTEROP_REMOTE_ERROR` for an IDL error value (copied the same
 * way), `INTEROP_E_ARGUMENT` with `*reply_len` set when the answer does not fit.
 *
 * # Safety
 * `client` must be a live client, used by no other thread; `request` readable for
 * `request_len` bytes; `reply` writable for `reply_capacity` bytes; `reply_len` writable.
 */
int interop_client_call(struct interop_client *client,
                        uint32_t method_index,
                        const void *request,
                        size_t request_len,
                        void *reply,
                        size_t reply_capacity,
                        size_t *reply_len);

/**
 * Sends the one-way method at `method_index`, copying `len` bytes from `message` (exactly
 * the message's size; NULL for a method without parameters).
 *
 * # Safety
 * `client` must be a live client, used by no other thread; `message` readable for `len`
 * bytes.
 */
int interop_client_send_oneway(struct interop_client *client,
                               uint32_t method_index,
                               const void *message,
                               size_t len);

/**
 * Starts delivering the event at `method_index` to this client.
 *
 * # Safety
 * `client` must be a live client, used by no other thread.
 */
int interop_client_subscribe(struct interop_client *client,
                             uint32_t method_index);

/**
 * Stops delivering the event at `method_index` to this client.
 *
 * # Safety
 * `client` must be a live client, used by no other thread.
 */
int interop_client_unsubscribe(struct interop_client *client,
                               uint32_t method_index);

/**
 * Waits up to `timeout_ms` (negative: forever) for the next event of a subscription:
 * `*method_index` is its method, `*event` its message in place for `*len` bytes, valid until
 * [`interop_client_release`] or the next call on this client. `INTEROP_E_TIMEOUT` when none
 * came in time; `INTEROP_E_LAGGED` (once) when events were lost because they were not taken
 * in time.
 *
 * # Safety
 * `client` must be a live client, used by no other thread; the out-pointers writable.
 */
int interop_client_next_event(struct interop_client *client,
                              int64_t timeout_ms,
                              uint32_t *method_index,
                              const void **event,
                              size_t *len);

/**
 * Opens node `node_name` of the deployment manifest at `manifest_path`: it listens on the
 * endpoints the manifest plans for it. `*out` is freed with [`interop_node_free`].
 *
 * # Safety
 * `manifest_path` and `node_name` must be NUL-terminated strings, `out` writable.
 */
int interop_node_open(const char *manifest_path,
                      const char *node_name,
                      struct interop_node **out);

/**
 * Opens the node named by the environment variable `INTEROP_NODE` in the manifest named by
 * `INTEROP_MANIFEST`, as deployment tools start processes. `*out` is freed with
 * [`interop_node_free`].
 *
 * # Safety
 * `out` must be writable.
 */
int interop_node_from_env(struct interop_node **out);

/**
 * Serves `service`, which the manifest must list in the node's `provides`, with C handlers
 * as [`interop_server_serve`](super::server::interop_server_serve) takes them.
 *
 * # Safety
 * `node` must be a live node used by no other thread; `service` a valid description;
 * `handlers` readable for `handler_count` entries; `user_data` valid until the node is freed.
 */
int interop_node_serve(struct interop_node *node,
                       const struct interop_service *service,
                       const interop_handler *handlers,
                       size_t handler_count,
                       void *user_data);

/**
 * Connects to `service`, which the manifest must list in the node's `uses`, over the
 * transport and with the timeout the manifest plans for that link. On success `*out` is the
 * new client, freed with [`interop_client_free`](super::client::interop_client_free).
 *
 * # Safety
 * `node` must be a live node; `service` a valid description; `out` writable.
 */
int interop_node_connect(const struct interop_node *node,
                         const struct interop_service *service,
                         struct interop_client **out);

/**
 * The node's server, to run its loop (`interop_server_run`, or `interop_server_run_once`
 * with `interop_server_fd`), stop it (`interop_server_handle_new`) and publish events
 * (`interop_publisher_new`). It is borrowed from the node: valid until
 * [`interop_node_free`], and never freed by the caller.
 *
 * # Safety
 * `node` must be a live node used by no other thread; `out` writable.
 */
int interop_node_server(struct interop_node *node,
                        struct interop_server **out);

/**
 * Stops listening, closes every connection of the node's server and frees the node; NULL is
 * ignored. Clients it connected stay valid until freed.
 *
 * # Safety
 * A non-null `node` must be a live node, its server not running, not used again.
 */
void interop_node_free(struct interop_node *node);

/**
 * A server listening on nothing yet; `*out` is freed with [`interop_server_free`].
 *
 * # Safety
 * `out` must be writable.
 */
int interop_server_new(struct interop_server **out);

/**
 * A server listening on `url` (`inproc://NAME`, `shm://NAME`, `pipe://NAME` or
 * `tcp://HOST:PORT`); `*out` is freed with [`interop_server_free`].
 *
 * # Safety
 * `url` must be a NUL-terminated string, `out` writable.
 */
int interop_server_bind(const char *url,
                        struct interop_server **out);

/**
 * Listens on one more endpoint. `shm://NAME` and `pipe://NAME` share one Unix socket, which
 * serves clients of both kinds.
 *
 * # Safety
 * `server` must be a live server used by no other thread; `url` a NUL-terminated string.
 */
int interop_server_listen(struct interop_server *server,
                          const char *url);

/**
 * Serves `service` on every endpoint of the server, with `handlers[i]` handling the call of
 * `service->methods[i]` (`handler_count` must be `service->method_count`; NULL for a method
 * without a handler, whose calls fail, and for events). `user_data` is passed to every
 * handler; it must stay valid until the server is freed.
 *
 * # Safety
 * `server` must be a live server used by no other thread; `service` a valid description;
 * `handlers` readable for `handler_count` entries.
 */
int interop_server_serve(struct interop_server *server,
                         const struct interop_service *service,
                         const interop_handler *handlers,
                         size_t handler_count,
                         void *user_data);

/**
 * Runs the loop until [`interop_server_handle_stop`]; it returns `INTEROP_OK` then, or the
 * failure of the loop.
 *
 * # Safety
 * `server` must be a live server used by no other thread.
 */
int interop_server_run(struct interop_server *server);

/**
 * Runs one turn of the loop from the caller's own loop: waits at most `timeout_ms` for
 * something to do, does it, and returns. Watch [`interop_server_fd`] for readability to know
 * when to call it, and call it with 0 while [`interop_server_is_busy`] says 1.
 *
 * # Safety
 * `server` must be a live server used by no other thread.
 */
int interop_server_run_once(struct interop_server *server,
                            uint32_t timeout_ms);

/**
 * The descriptor of the server's loop (an epoll descriptor), readable when the loop has
 * something to do; owned by the server. Negative (`INTEROP_E_ARGUMENT`) for NULL.
 *
 * # Safety
 * `server` must be a live server used by no other thread.
 */
int interop_server_fd(struct interop_server *server);

/**
 * 1 when the loop has work left for its next turn (so the caller's loop should not sleep),
 * 0 when not; negative (`INTEROP_E_ARGUMENT`) for NULL.
 *
 * # Safety
 * `server` must be a live server used by no other thread.
 */
int interop_server_is_busy(struct interop_server *server);

/**
 * Stops listening, closes every connection and frees the server; NULL is ignored. Handles
 * and publishers taken from it stay valid (they then do nothing) until freed.
 *
 * # Safety
 * A non-null `server` must be a live server, not running, not used again.
 */
void interop_server_free(struct interop_server *server);

/**
 * A handle that stops the server from any thread; `*out` is freed with
 * [`interop_server_handle_free`].
 *
 * # Safety
 * `server` must be a live server used by no other thread; `out` writable.
 */
int interop_server_handle_new(struct interop_server *server,
                              struct interop_server_handle **out);

/**
 * Asks the server's loop to stop: [`interop_server_run`] returns soon after. Thread-safe.
 *
 * # Safety
 * `handle` must be a live handle.
 */
int interop_server_handle_stop(const struct interop_server_handle *handle);

/**
 * Frees a handle; NULL is ignored.
 *
 * # Safety
 * A non-null `handle` must be a live handle, not used again.
 */
void interop_server_handle_free(struct interop_server_handle *handle);

/**
 * A publisher of the events of `service`, which the server must serve; `*out` is freed with
 * [`interop_publisher_free`].
 *
 * # Safety
 * `server` must be a live server used by no other thread; `service` a valid description;
 * `out` writable.
 */
int interop_publisher_new(struct interop_server *server,
                          const struct interop_service *service,
                          struct interop_publisher **out);

/**
 * Sends `len` bytes from `event` (exactly the event's size, a valid message: it is checked)
 * as the event at `method_index` to every subscribed client. Thread-safe.
 *
 * # Safety
 * `publisher` must be a live publisher; `event` readable for `len` bytes.
 */
int interop_publisher_publish(const struct interop_publisher *publisher,
                              uint32_t method_index,
                              const void *event,
                              size_t len);

/**
 * Frees a publisher; NULL is ignored.
 *
 * # Safety
 * A non-null `publisher` must be a live publisher, not used again.
 */
void interop_publisher_free(struct interop_publisher *publisher);

/**
 * The message of the last call made on this thread that failed, or an empty string when the
 * last call succeeded. Never NULL. The string is owned by the runtime and stays valid until
 * the next `interop_*` call on this thread.
 */
const char *interop_last_error(void);

/**
 * The name of a status code (`"INTEROP_E_TIMEOUT"`, ...), or `"unknown status"`; a static
 * string, never NULL. It does not change [`interop_last_error`].
 */
const char *interop_status_name(int status);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* INTEROP_H */
