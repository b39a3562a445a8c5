//! The C stubs of a service, over the runtime's C ABI (`runtime/include/interop.h`).
//!
//! For `service FleetControl` of package `fleet.control` (`P_S_` below stands for
//! `fleet_control_FleetControl_`, `P_S_M` for `FLEET_CONTROL_FLEETCONTROL_M`):
//!
//! - `FLEET_CONTROL_FLEETCONTROL_NAME`, the method indexes as enum constants
//!   (`FLEET_CONTROL_FLEETCONTROL_GET_VEHICLE_INDEX = 0`, in declaration order),
//!   `FLEET_CONTROL_FLEETCONTROL_METHOD_COUNT`, and per method its id and fingerprint macros;
//! - `const interop_service *P_S_service(void)`: the description every runtime call takes,
//!   with the records of the package's validation descriptor (`-1` for none), and
//!   `P_S_m_fingerprint()` per method (its 32 bytes, read from the description);
//! - clients: `P_S_connect(url, timeout_ms, &client)`, `P_S_connect_node(node, &client)`;
//!   per rpc `m` the copying `P_S_m(client, request, reply, error)` and the zero-copy pair
//!   `P_S_loan_m(client, &request)` + `P_S_send_m(client, &reply, &error)`; per one-way `m`
//!   the copying `P_S_m(client, message)` and `P_S_loan_m` + `P_S_send_m(client)`; per event
//!   `P_S_subscribe_m`, `P_S_unsubscribe_m`; `P_S_next_event(client, timeout_ms, &event)`
//!   into a `P_S_event`, read with `P_S_as_m(&event)`. Parameters a method has no payload for
//!   are left out; a method without request has no `loan_` (its `send_` starts the call);
//! - servers: the vtable `P_S_handlers` (`user_data` first, then one typed handler per rpc and
//!   one-way method, `NULL` for none), its adapters `P_S_handle_m` (each an
//!   `interop_handler`), `P_S_serve(server, &handlers)` and `P_S_serve_node(node, &handlers)`;
//! - publishers: `P_S_publisher_new(server, &publisher)` and `P_S_publish_m(publisher, &event)`.
//!
//! Every generated name is checked against the others of the header; one that meets a name
//! already taken gets a trailing `_`, as the names of types do.

use std::fmt;
use std::rc::Rc;

use askama::Template;
use interop_idl::model::{Message, Method, MethodKind, Service};

use super::constants::HexRows;
use super::templates::writable;
use super::{doc_comment, hex_rows, member_ident, unique_member, Define, PackageGen};
use rustc_hash::FxHashSet;

/// One service's section of the header.
#[derive(Template)]
#[template(path = "c/service.h", escape = "none")]
pub(super) struct ServiceTemplate {
    docs: String,
    /// The IDL name: `FleetControl`.
    name: String,
    qualified_name: String,
    name_macro: Rc<str>,
    count_macro: Rc<str>,
    methods: Vec<MethodView>,
    /// `fleet_control_FleetControl_service`.
    service_function: String,
    /// The file-scope array of the package's descriptor bytes.
    descriptor_array: String,
    connect: String,
    connect_node: String,
    /// `Some` when the service has events: the event struct and its reader.
    events: Option<EventsView>,
    handlers_type: String,
    handler_table: String,
    /// The length of the handler table `serve` builds: the method count, at least 1 (C has
    /// no empty arrays).
    table_len: usize,
    serve: String,
    serve_node: String,
    publisher_new: String,
}

/// The names of a service's event reading.
struct EventsView {
    event_type: String,
    next_event: String,
}

/// One method, with every name and type its stubs use.
struct MethodView {
    docs: String,
    /// The IDL name: `get_vehicle`.
    name: String,
    qualified_name: String,
    kind: MethodKind,
    /// `INTEROP_METHOD_RPC`, ...
    kind_constant: &'static str,
    id: Define<'static>,
    fingerprint: Define<'static>,
    fingerprint_function: String,
    /// The 32 bytes of its fingerprint.
    fingerprint_bytes: [u8; 32],
    /// The enum constant of its index.
    index: Rc<str>,
    params_record: i64,
    results_record: i64,
    error_record: i64,
    /// The C types of its request (or event), reply and error value.
    request: Option<String>,
    reply: Option<String>,
    error: Option<String>,
    /// rpc and one-way: the copying call; event: `subscribe_m`.
    call: String,
    /// rpc and one-way with a request: `loan_m`.
    loan: Option<String>,
    /// rpc, and one-way with a request: `send_m`.
    send: Option<String>,
    /// event: `unsubscribe_m`, `as_m` (with a payload), `publish_m`.
    unsubscribe: String,
    as_event: Option<String>,
    publish: String,
    /// rpc and one-way: the member of the handlers struct, and its adapter.
    member: String,
    adapter: String,
}

impl MethodView {
    /// The bytes of the fingerprint as rows of initializers, each on a line after a newline.
    fn fingerprint_rows(&self) -> HexRows<'_> {
        hex_rows(&self.fingerprint_bytes, "             ")
    }

    fn is_rpc(&self) -> bool {
        self.kind == MethodKind::Rpc
    }

    fn is_oneway(&self) -> bool {
        self.kind == MethodKind::Oneway
    }

    fn is_event(&self) -> bool {
        self.kind == MethodKind::Event
    }

    /// The parameters of the copying call: the client, then the messages.
    fn call_params(&self) -> List<'_> {
        self.message_params("interop_client *client")
    }

    /// `first`, then a pointer per message of the method: request (or one-way message),
    /// reply, error value.
    fn message_params(&self, first: &'static str) -> List<'_> {
        let request_name = if self.is_rpc() {
            " *request"
        } else {
            " *message"
        };
        List([
            Some([first, "", ""]),
            self.request
                .as_deref()
                .map(|request| ["const ", request, request_name]),
            self.reply.as_deref().map(|reply| [reply, " *reply", ""]),
            self.error.as_deref().map(|error| [error, " *error", ""]),
        ])
    }

    /// The parameters of `send_m`.
    fn send_params(&self) -> List<'_> {
        List([
            Some(["interop_client *client", "", ""]),
            self.reply
                .as_deref()
                .map(|reply| ["const ", reply, " **reply"]),
            self.error
                .as_deref()
                .map(|error| ["const ", error, " **error"]),
            None,
        ])
    }

    /// The arguments of `send_m` in the copying call.
    fn send_args(&self) -> List<'_> {
        List([
            Some(["client", "", ""]),
            self.reply.is_some().then_some(["&answer", "", ""]),
            self.error.is_some().then_some(["&failure", "", ""]),
            None,
        ])
    }

    /// The parameters of the handler: its `user_data`, then the messages.
    fn handler_params(&self) -> List<'_> {
        self.message_params("void *user_data")
    }

    /// The arguments the adapter passes to the handler.
    fn handler_args(&self) -> List<'_> {
        List([
            Some(["handlers->user_data", "", ""]),
            self.request
                .as_deref()
                .map(|request| ["(const ", request, " *)request"]),
            self.reply.as_deref().map(|reply| ["(", reply, " *)reply"]),
            self.error.as_deref().map(|error| ["(", error, " *)error"]),
        ])
    }

    /// The adapter's parameters it does not read, for `(void)name;` statements.
    fn adapter_unused(&self) -> Vec<&'static str> {
        [
            ("request", self.request.is_none()),
            ("request_len", true),
            ("reply", self.reply.is_none()),
            ("reply_len", true),
            ("error", self.error.is_none()),
            ("error_len", true),
        ]
        .into_iter()
        .filter_map(|(name, unused)| unused.then_some(name))
        .collect()
    }
}

/// A C parameter or argument list: the items present, each written as its pieces (up to 3),
/// separated by `, `.
struct List<'a>([Option<[&'a str; 3]>; 4]);

impl List<'_> {
    fn write_to(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        for (index, item) in self.0.iter().flatten().enumerate() {
            if index > 0 {
                out.write_str(", ")?;
            }
            for piece in item.iter().filter(|piece| !piece.is_empty()) {
                out.write_str(piece)?;
            }
        }
        Ok(())
    }
}

writable!(List);

impl<'m> PackageGen<'m> {
    /// The sections of the package's services, in declaration order.
    pub(super) fn services(&mut self, descriptor_array: &str) -> Vec<ServiceTemplate> {
        let package = self.package;
        package
            .services
            .iter()
            .map(|service| self.service(service, descriptor_array))
            .collect()
    }

    fn service(&mut self, service: &'m Service, descriptor_array: &str) -> ServiceTemplate {
        let base = format!("{}_{}", self.prefix, service.name);
        let name_macro = self.macro_name(&[&service.name, "NAME"]);
        let count_macro = self.macro_name(&[&service.name, "METHOD_COUNT"]);
        let service_function = self.unique_ident([&base, "_service"].concat());
        let connect = self.unique_ident([&base, "_connect"].concat());
        let connect_node = self.unique_ident([&base, "_connect_node"].concat());
        let has_events = service
            .methods
            .iter()
            .any(|method| method.kind == MethodKind::Event);
        let events = has_events.then(|| EventsView {
            event_type: self.unique_ident([&base, "_event"].concat()),
            next_event: self.unique_ident([&base, "_next_event"].concat()),
        });
        let handlers_type = self.unique_ident([&base, "_handlers"].concat());
        let handler_table = self.unique_ident([&base, "_handler_table"].concat());
        let serve = self.unique_ident([&base, "_serve"].concat());
        let serve_node = self.unique_ident([&base, "_serve_node"].concat());
        let publisher_new = self.unique_ident([&base, "_publisher_new"].concat());
        let mut members = FxHashSet::default();
        members.insert("user_data".to_owned());
        let methods = service
            .methods
            .iter()
            .map(|method| self.method(service, method, &base, &mut members))
            .collect();
        ServiceTemplate {
            docs: doc_comment(&service.docs, "").to_string(),
            name: service.name.clone(),
            qualified_name: service.qualified_name.clone(),
            name_macro,
            count_macro,
            methods,
            service_function,
            descriptor_array: descriptor_array.to_owned(),
            connect,
            connect_node,
            events,
            handlers_type,
            handler_table,
            table_len: service.methods.len().max(1),
            serve,
            serve_node,
            publisher_new,
        }
    }

    fn method(
        &mut self,
        service: &'m Service,
        method: &'m Method,
        base: &str,
        members: &mut FxHashSet<String>,
    ) -> MethodView {
        let mut text = self.method_summary(method);
        if !method.docs.is_empty() {
            text = [&method.docs, "\n\n", &text].concat();
        }
        let name = method.name.as_str();
        // `{base}_{before}{name}{after}`, made unique.
        let mut function = |before: &str, after: &str| {
            self.unique_ident([base, "_", before, name, after].concat())
        };
        let call = match method.kind {
            MethodKind::Event => function("subscribe_", ""),
            MethodKind::Rpc | MethodKind::Oneway => function("", ""),
        };
        let has_request = method.params.is_some();
        let loan = (method.kind != MethodKind::Event && has_request).then(|| function("loan_", ""));
        let send = (method.kind == MethodKind::Rpc
            || (method.kind == MethodKind::Oneway && has_request))
            .then(|| function("send_", ""));
        let unsubscribe = function("unsubscribe_", "");
        let as_event =
            (method.kind == MethodKind::Event && has_request).then(|| function("as_", ""));
        let publish = function("publish_", "");
        let adapter = function("handle_", "");
        let fingerprint_function = function("", "_fingerprint");
        MethodView {
            docs: doc_comment(&text, "").to_string(),
            name: name.to_owned(),
            qualified_name: method.qualified_name.clone(),
            kind: method.kind,
            kind_constant: match method.kind {
                MethodKind::Rpc => "INTEROP_METHOD_RPC",
                MethodKind::Oneway => "INTEROP_METHOD_ONEWAY",
                MethodKind::Event => "INTEROP_METHOD_EVENT",
            },
            id: Define::plain(
                self.macro_name(&[&service.name, name, "ID"]),
                format!("((uint32_t)0x{:08x}u)", method.id),
            ),
            fingerprint: Define::plain(
                self.macro_name(&[&service.name, name, "FINGERPRINT"]),
                ["\"", &method.fingerprint.to_hex(), "\""].concat(),
            ),
            fingerprint_function,
            fingerprint_bytes: method.fingerprint.0,
            index: self.macro_name(&[&service.name, name, "INDEX"]),
            params_record: self.message_record(&method.params),
            results_record: self.message_record(&method.results),
            error_record: method
                .error
                .as_ref()
                .map_or(-1, |error| self.type_record(error)),
            request: self.message_type(&method.params),
            reply: self.message_type(&method.results),
            error: method.error.as_ref().map(|error| self.named(error)),
            call,
            loan,
            send,
            unsubscribe,
            as_event,
            publish,
            member: unique_member(member_ident(name).into_owned(), members),
            adapter,
        }
    }

    /// The lines that say what a method exchanges: `rpc ...`, `request: ...`, `reply: ...`.
    fn method_summary(&mut self, method: &'m Method) -> String {
        let role = if method.kind == MethodKind::Event {
            "event"
        } else {
            "request"
        };
        let mut summary = [
            method.kind.keyword(),
            " `",
            &method.qualified_name,
            "`\n",
            role,
            ": ",
        ]
        .concat();
        self.push_message_name(&mut summary, &method.params);
        if method.kind == MethodKind::Rpc {
            summary.push_str("\nreply: ");
            self.push_message_name(&mut summary, &method.results);
        }
        if let Some(error) = &method.error {
            let error = self.named(error);
            for part in ["\nerror: `", &error, "`"] {
                summary.push_str(part);
            }
        }
        summary
    }

    /// Appends `` `fleet_control_GetVehicleRequest` `` for a message, `no payload` for none.
    fn push_message_name(&self, text: &mut String, message: &Option<Message>) {
        match message {
            Some(message) => {
                for part in ["`", &self.prefix, "_", &message.name, "`"] {
                    text.push_str(part);
                }
            }
            None => text.push_str("no payload"),
        }
    }

    fn message_type(&self, message: &Option<Message>) -> Option<String> {
        message
            .as_ref()
            .map(|message| [&self.prefix, "_", &message.name].concat())
    }

    /// The descriptor record of a generated message, `-1` for none.
    fn message_record(&self, message: &Option<Message>) -> i64 {
        message.as_ref().map_or(-1, |message| {
            self.type_record(&[&self.package.name, ".", &message.name].concat())
        })
    }

    /// The descriptor record of a type or message by qualified name.
    fn type_record(&self, qualified: &str) -> i64 {
        let index = self.indices.get(qualified).unwrap_or_else(|| {
            panic!(
                "the descriptor of `{}` has no record `{qualified}`",
                self.package.name
            )
        });
        i64::from(*index)
    }
}
