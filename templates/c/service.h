/* ---- service {{ name }} ---- */
{{ docs }}#define {{ name_macro }} "{{ qualified_name }}"
{%- if !methods.is_empty() %}

/** The methods of `{{ qualified_name }}` by index: `method_index` of the `interop_*` calls. */
enum {
{%- for m in methods %}
    {{ m.index }} = {{ loop.index0 }}{% if !loop.last %},{% endif %}
{%- endfor %}
};
{%- endif %}

/** How many methods `{{ qualified_name }}` has. */
#define {{ count_macro }} {{ methods.len() }}u
{%- for m in methods %}

{{ m.docs }}#define {{ m.id.name }} {{ m.id.value }}
#define {{ m.fingerprint.name }} {{ m.fingerprint.value }}
{%- endfor %}

/**
 * The description of `{{ qualified_name }}` that the runtime's clients, servers and publishers
 * take: its methods (names, kinds, ids, fingerprints, descriptor records) and its package's
 * validation descriptor. One per translation unit; the runtime copies it once.
 */
static inline const interop_service *{{ service_function }}(void) {
{%- if !methods.is_empty() %}
    static const interop_method methods[{{ methods.len() }}] = {
{%- for m in methods %}
        {"{{ m.qualified_name }}", "{{ m.name }}", {{ m.kind_constant }}, {{ m.id.value }},
         {
{{- m.fingerprint_rows() }}
         },
         {{ m.params_record }}, {{ m.results_record }}, {{ m.error_record }}},
{%- endfor %}
    };
{%- endif %}
    static const interop_service service = {
        {{ name_macro }}, {% if methods.is_empty() %}NULL{% else %}methods{% endif %}, {{ count_macro }},
        {{ descriptor_array }}, sizeof {{ descriptor_array }}};
    return &service;
}
{%- for m in methods %}

/** The 32 bytes of the fingerprint of `{{ m.name }}` ({{ m.fingerprint.name }}). */
static inline const uint8_t *{{ m.fingerprint_function }}(void) {
    return {{ service_function }}()->methods[{{ m.index }}].fingerprint;
}
{%- endfor %}

/* -- {{ name }}: clients -- */

/**
 * Connects to `{{ qualified_name }}` at `url` (`inproc://NAME`, `shm://NAME`, `pipe://NAME` or
 * `tcp://HOST:PORT`); calls wait up to `timeout_ms` for their reply. `*out` is the client, to
 * free with interop_client_free().
 */
static inline int {{ connect }}(const char *url, uint32_t timeout_ms, interop_client **out) {
    return interop_client_connect(url, {{ service_function }}(), timeout_ms, out);
}

/**
 * Connects to `{{ qualified_name }}` as the deployment manifest places it for `node`; `*out` is
 * the client, to free with interop_client_free().
 */
static inline int {{ connect_node }}(const interop_node *node, interop_client **out) {
    return interop_node_connect(node, {{ service_function }}(), out);
}
{%- for m in methods %}
{%- if m.is_rpc() %}
{%- if let Some(loan) = m.loan %}

/**
 * Loans the request of `{{ m.name }}`: `*request` points at zeroed bytes in the send buffer or
 * the shared-memory slot, to fill in place and send with {{ m.send.as_deref().unwrap_or_default() }}() (or drop
 * with interop_client_release()).
 */
static inline int {{ loan }}(interop_client *client, {{ m.request.as_deref().unwrap_or_default() }} **request) {
    void *loaned = NULL;
    size_t length = 0;
    int status = interop_client_loan(client, {{ m.index }}, &loaned, &length);
    *request = status == INTEROP_OK ? ({{ m.request.as_deref().unwrap_or_default() }} *)loaned : NULL;
    return status;
}
{%- endif %}
{%- if let Some(send) = m.send %}

/**
{%- if m.loan.is_some() %}
 * Sends the request loaned by {{ m.loan.as_deref().unwrap_or_default() }}() and waits for the answer, read in place:
{%- else %}
 * Calls `{{ m.name }}` and waits for the answer, read in place:
{%- endif %}
{%- if m.reply.is_some() %}
 * INTEROP_OK with `*reply` set,
{%- else %}
 * INTEROP_OK,
{%- endif %}
{%- if m.error.is_some() %}
 * INTEROP_REMOTE_ERROR with `*error` set to the value the handler failed with,
{%- endif %}
 * or a negative INTEROP_E_* code (interop_last_error() says why).
{%- if m.reply.is_some() || m.error.is_some() %} What it points at stays
 * valid until interop_client_release() or the next call on `client`.
{%- endif %}
{%- if m.loan.is_some() %} INTEROP_E_STATE with
 * an empty interop_last_error(): the answer is not of `{{ m.name }}` (another method was loaned).
{%- endif %}
{%- if m.reply.is_some() || m.error.is_some() %}
 * Out-pointers may be NULL.
{%- endif %}
 */
static inline int {{ send }}({{ m.send_params() }}) {
    const void *answer = NULL;
    size_t answer_len = 0;
{%- if m.loan.is_none() %}
    void *request = NULL;
    size_t request_len = 0;
    int status = interop_client_loan(client, {{ m.index }}, &request, &request_len);
    if (status != INTEROP_OK) {
        return status;
    }
    status = interop_client_send(client, &answer, &answer_len);
{%- else %}
    int status = interop_client_send(client, &answer, &answer_len);
{%- endif %}
{%- if let Some(reply) = m.reply %}
    if (reply != NULL) {
        *reply = NULL;
    }
{%- endif %}
{%- if let Some(error) = m.error %}
    if (error != NULL) {
        *error = NULL;
    }
{%- endif %}
    if (status == INTEROP_OK) {
{%- if let Some(reply_type) = m.reply %}
        if (answer_len != sizeof({{ reply_type }})) {
            return INTEROP_E_STATE;
        }
        if (reply != NULL) {
            *reply = (const {{ reply_type }} *)answer;
        }
{%- else %}
        if (answer_len != 0u) {
            return INTEROP_E_STATE;
        }
{%- endif %}
    }
{%- if let Some(error_type) = m.error %}
    if (status == INTEROP_REMOTE_ERROR) {
        if (answer_len != sizeof({{ error_type }})) {
            return INTEROP_E_STATE;
        }
        if (error != NULL) {
            *error = (const {{ error_type }} *)answer;
        }
    }
{%- endif %}
    return status;
}
{%- endif %}

/**
 * Calls `{{ m.name }}`, copying:
{%- if m.request.is_some() %} sends `*request`;
{%- endif %}
{%- if m.reply.is_some() %} INTEROP_OK with the reply copied to `*reply`;
{%- else %} INTEROP_OK when it succeeded;
{%- endif %}
{%- if m.error.is_some() %}
 * INTEROP_REMOTE_ERROR with the value the handler failed with copied to `*error`;
{%- endif %}
 * or a negative INTEROP_E_* code (interop_last_error() says why).
 */
static inline int {{ m.call }}({{ m.call_params() }}) {
{%- if let Some(loan) = m.loan %}
    {{ m.request.as_deref().unwrap_or_default() }} *loaned = NULL;
    int status = {{ loan }}(client, &loaned);
    if (status != INTEROP_OK) {
        return status;
    }
    memcpy(loaned, request, sizeof *request);
{%- endif %}
{%- if let Some(reply_type) = m.reply %}
    const {{ reply_type }} *answer = NULL;
{%- endif %}
{%- if let Some(error_type) = m.error %}
    const {{ error_type }} *failure = NULL;
{%- endif %}
    {% if m.loan.is_none() %}int {% endif %}status = {{ m.send.as_deref().unwrap_or_default() }}({{ m.send_args() }});
    if (status != INTEROP_OK && status != INTEROP_REMOTE_ERROR) {
        return status;
    }
{%- if m.reply.is_some() %}
    if (status == INTEROP_OK) {
        memcpy(reply, answer, sizeof *reply);
    }
{%- endif %}
{%- if m.error.is_some() %}
    if (status == INTEROP_REMOTE_ERROR) {
        memcpy(error, failure, sizeof *error);
    }
{%- endif %}
    (void)interop_client_release(client);
    return status;
}
{%- endif %}
{%- if m.is_oneway() %}

/**
 * Sends the one-way `{{ m.name }}`, copying{% if m.request.is_some() %} `*message`{% endif %}; it returns once the transport has it.
 */
static inline int {{ m.call }}({{ m.call_params() }}) {
{%- if m.request.is_some() %}
    return interop_client_send_oneway(client, {{ m.index }}, message, sizeof *message);
{%- else %}
    return interop_client_send_oneway(client, {{ m.index }}, NULL, 0u);
{%- endif %}
}
{%- if let Some(loan) = m.loan %}

/**
 * Loans the message of the one-way `{{ m.name }}`: `*message` points at zeroed bytes in the send
 * buffer or the shared-memory slot, to fill in place and send with {{ m.send.as_deref().unwrap_or_default() }}().
 */
static inline int {{ loan }}(interop_client *client, {{ m.request.as_deref().unwrap_or_default() }} **message) {
    void *loaned = NULL;
    size_t length = 0;
    int status = interop_client_loan(client, {{ m.index }}, &loaned, &length);
    *message = status == INTEROP_OK ? ({{ m.request.as_deref().unwrap_or_default() }} *)loaned : NULL;
    return status;
}

/** Sends the message loaned by {{ loan }}(). */
static inline int {{ m.send.as_deref().unwrap_or_default() }}(interop_client *client) {
    return interop_client_send(client, NULL, NULL);
}
{%- endif %}
{%- endif %}
{%- if m.is_event() %}

/** Starts delivering the event `{{ m.name }}` to `client`. */
static inline int {{ m.call }}(interop_client *client) {
    return interop_client_subscribe(client, {{ m.index }});
}

/** Stops delivering the event `{{ m.name }}` to `client`. */
static inline int {{ m.unsubscribe }}(interop_client *client) {
    return interop_client_unsubscribe(client, {{ m.index }});
}
{%- endif %}
{%- endfor %}
{%- if let Some(events) = events %}

/** An event of `{{ qualified_name }}` as {{ events.next_event }}() hands it out. */
typedef struct {{ events.event_type }} {
    /** Its method's index: {% for m in methods %}{% if m.is_event() %}{{ m.index }}, {% endif %}{% endfor %}... */
    uint32_t method;
    /** Its message in place (NULL for an event without payload). */
    const void *message;
    /** The message's size in bytes. */
    size_t len;
} {{ events.event_type }};

/**
 * Waits up to `timeout_ms` (negative: forever) for the next event of a subscription of
 * `client`: INTEROP_OK with `*event` set (its message valid until interop_client_release() or
 * the next call on `client`), INTEROP_E_TIMEOUT when none came, INTEROP_E_LAGGED (once) when
 * events were lost.
 */
static inline int {{ events.next_event }}(interop_client *client, int64_t timeout_ms, {{ events.event_type }} *event) {
    event->method = 0u;
    event->message = NULL;
    event->len = 0u;
    return interop_client_next_event(client, timeout_ms, &event->method, &event->message, &event->len);
}
{%- for m in methods %}
{%- if let Some(as_event) = m.as_event %}

/** The message of `event` when it is a `{{ m.name }}`, or NULL. */
static inline const {{ m.request.as_deref().unwrap_or_default() }} *{{ as_event }}(const {{ events.event_type }} *event) {
    return event->method == {{ m.index }} && event->len == sizeof({{ m.request.as_deref().unwrap_or_default() }})
               ? (const {{ m.request.as_deref().unwrap_or_default() }} *)event->message
               : NULL;
}
{%- endif %}
{%- endfor %}
{%- endif %}

/* -- {{ name }}: servers -- */

/**
 * The handlers of `{{ qualified_name }}`, for {{ serve }}() and {{ serve_node }}(): `user_data` is
 * passed to each as its first argument; a NULL handler makes its method's calls fail. An rpc
 * handler reads the validated request, writes the zeroed reply and returns
 * INTEROP_HANDLER_OK, or writes the zeroed error value and returns INTEROP_HANDLER_ERROR;
 * anything else fails the call (INTEROP_E_FAILED for the caller). What it writes is validated
 * before it is sent. Handlers run one at a time, on the server loop's thread (or an
 * `inproc://` caller's).
 */
typedef struct {{ handlers_type }} {
    /** Passed to every handler. */
    void *user_data;
{%- for m in methods %}
{%- if !m.is_event() %}
    /** `{{ m.name }}` ({% if m.is_rpc() %}rpc{% else %}one-way{% endif %}). */
    {% if m.is_rpc() %}int{% else %}void{% endif %} (*{{ m.member }})({{ m.handler_params() }});
{%- endif %}
{%- endfor %}
} {{ handlers_type }};
{%- for m in methods %}
{%- if !m.is_event() %}

/** The `interop_handler` of `{{ m.name }}`: `user_data` is the `{{ handlers_type }}`. */
static inline int {{ m.adapter }}(void *user_data, const void *request, size_t request_len, void *reply, size_t reply_len, void *error, size_t error_len) {
    const {{ handlers_type }} *handlers = (const {{ handlers_type }} *)user_data;
{%- for name in m.adapter_unused() %}
    (void){{ name }};
{%- endfor %}
{%- if m.is_rpc() %}
    return handlers->{{ m.member }}({{ m.handler_args() }});
{%- else %}
    handlers->{{ m.member }}({{ m.handler_args() }});
    return INTEROP_HANDLER_OK;
{%- endif %}
}
{%- endif %}
{%- endfor %}

/** Fills `table` with the adapter of every method `handlers` has a handler for, NULL for others. */
static inline void {{ handler_table }}(const {{ handlers_type }} *handlers, interop_handler *table) {
{%- for m in methods %}
{%- if m.is_event() %}
    table[{{ m.index }}] = NULL;
{%- else %}
    table[{{ m.index }}] = handlers->{{ m.member }} != NULL ? {{ m.adapter }} : NULL;
{%- endif %}
{%- endfor %}
{%- if methods.is_empty() %}
    (void)handlers;
    (void)table;
{%- endif %}
}

/**
 * Serves `{{ qualified_name }}` on every endpoint of `server` with `handlers`, which must stay
 * valid (and unchanged) until the server is freed.
 */
static inline int {{ serve }}(interop_server *server, const {{ handlers_type }} *handlers) {
    interop_handler table[{{ table_len }}];
    if (handlers == NULL) {
        return interop_server_serve(server, {{ service_function }}(), NULL, {{ count_macro }}, NULL);
    }
    {{ handler_table }}(handlers, table);
    return interop_server_serve(server, {{ service_function }}(), table, {{ count_macro }}, (void *)(uintptr_t)handlers);
}

/**
 * Serves `{{ qualified_name }}` as the deployment manifest places it for `node`, with `handlers`,
 * which must stay valid (and unchanged) until the node is freed.
 */
static inline int {{ serve_node }}(interop_node *node, const {{ handlers_type }} *handlers) {
    interop_handler table[{{ table_len }}];
    if (handlers == NULL) {
        return interop_node_serve(node, {{ service_function }}(), NULL, {{ count_macro }}, NULL);
    }
    {{ handler_table }}(handlers, table);
    return interop_node_serve(node, {{ service_function }}(), table, {{ count_macro }}, (void *)(uintptr_t)handlers);
}
{%- if events.is_some() %}

/**
 * A publisher of the events of `{{ qualified_name }}`, which `server` must serve (from a node:
 * interop_node_server()); free it with interop_publisher_free().
 */
static inline int {{ publisher_new }}(interop_server *server, interop_publisher **out) {
    return interop_publisher_new(server, {{ service_function }}(), out);
}
{%- endif %}
{%- for m in methods %}
{%- if m.is_event() %}

/** Sends the event `{{ m.name }}` to every subscribed client; from any thread. */
static inline int {{ m.publish }}(const interop_publisher *publisher{% if let Some(request) = m.request %}, const {{ request }} *event{% endif %}) {
{%- if m.request.is_some() %}
    return interop_publisher_publish(publisher, {{ m.index }}, event, sizeof *event);
{%- else %}
    return interop_publisher_publish(publisher, {{ m.index }}, NULL, 0u);
{%- endif %}
}
{%- endif %}
{%- endfor %}
