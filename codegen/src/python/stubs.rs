//! The runtime side of a generated Python module, per service: `<Service>Client` (one method
//! per rpc and one-way method, `loan_<method>`, `subscribe_<event>` / `unsubscribe_<event>`,
//! `events()`), `<Service>Handler` (a base class whose methods a server overrides) and
//! `<Service>Publisher` (`publish_<event>(**fields)`), all calling the `interop` package, which
//! the module imports only when a client, server or publisher is created
//! (`templates/python/stubs.py`; the package is `runtime/python`).
//!
//! Methods are named as in the service class ([`python_member`]); a client method whose name
//! meets the client's own API (`connect`, `close`, `events`...) or another generated name
//! (`loan_x` of a method `x` and a method named `loan_x`) takes trailing underscores.

use std::collections::HashSet;

use askama::Template;
use interop_idl::model::{Message, Method, MethodKind, Service};

use super::{docstring, render, unique, PackageGen};
use crate::names::python_member;

/// The roles of the classes generated for a service, with the suffix of their names.
pub(super) const ROLES: [&str; 3] = ["Client", "Handler", "Publisher"];

/// The key under which a role's class is a module-level name of the package: not an IDL
/// identifier, so it never meets a declared type's name.
pub(super) fn role_key(service: &str, role: &str) -> String {
    format!("{service}#{role}")
}

#[derive(Template)]
#[template(path = "python/stubs.py", escape = "none")]
struct StubsTemplate {
    qualified_name: String,
    service: String,
    client: String,
    handler: String,
    publisher: String,
    connect: String,
    from_node: String,
    close: String,
    set_timeout: String,
    events: String,
    next_event: String,
    methods: Vec<StubMethod>,
}

/// One method as the stubs use it.
struct StubMethod {
    kind: &'static str,
    name: String,
    qualified_name: String,
    index: usize,
    docstring: String,
    /// The client's method: the call, or `subscribe_<event>`.
    client_name: String,
    /// `loan_<method>`, or `unsubscribe_<event>`.
    loan_name: String,
    /// The handler's method (the service class's name for it).
    handler_name: String,
    publish_name: String,
    /// The request (or event) class, when the method has parameters.
    request: Option<String>,
    /// The handler's parameters: `self`, then a view per message the method has.
    handler_params: String,
    /// What the client's call returns.
    returns: String,
}

impl PackageGen<'_> {
    /// The client, handler and publisher classes of `service`.
    pub(super) fn service_stubs(&mut self, service: &Service) -> String {
        let package = self.package.name.clone();
        let name =
            |gen: &mut Self, role: &str| gen.global(&package, &role_key(&service.name, role));
        let client = name(self, "Client");
        let handler = name(self, "Handler");
        let publisher = name(self, "Publisher");
        let mut used: HashSet<String> = HashSet::new();
        let mut own = |name: &str| unique(name.to_owned(), &mut used);
        let connect = own("connect");
        let from_node = own("from_node");
        let close = own("close");
        let set_timeout = own("set_timeout");
        let events = own("events");
        let next_event = own("next_event");
        for reserved in ["client", "_rpc", "_oneway"] {
            used.insert(reserved.to_owned());
        }
        let mut handler_names = HashSet::new();
        let methods = service
            .methods
            .iter()
            .enumerate()
            .map(|(index, method)| {
                let handler_name = unique(python_member(&method.name), &mut handler_names);
                self.stub_method(index, method, handler_name, &mut used)
            })
            .collect();
        render(&StubsTemplate {
            qualified_name: service.qualified_name.clone(),
            service: self.global(&package, &service.name),
            client,
            handler,
            publisher,
            connect,
            from_node,
            close,
            set_timeout,
            events,
            next_event,
            methods,
        })
    }

    fn stub_method(
        &mut self,
        index: usize,
        method: &Method,
        handler_name: String,
        used: &mut HashSet<String>,
    ) -> StubMethod {
        let member = python_member(&method.name);
        let (kind, client_name, loan_name) = match method.kind {
            MethodKind::Rpc => ("rpc", member.clone(), format!("loan_{member}")),
            MethodKind::Oneway => ("oneway", member.clone(), format!("loan_{member}")),
            MethodKind::Event => (
                "event",
                format!("subscribe_{member}"),
                format!("unsubscribe_{member}"),
            ),
        };
        let client_name = unique(client_name, used);
        let loan_name = unique(loan_name, used);
        let request = method
            .params
            .as_ref()
            .map(|params| self.message_ref(params));
        let reply = method
            .results
            .as_ref()
            .map(|results| self.message_ref(results));
        let returns = match (&method.results, method.single_result) {
            (Some(results), true) => self.hint(&results.layout.fields[0].ty).into_owned(),
            (Some(_), false) => reply.clone().expect("a reply class"),
            (None, _) => "None".to_owned(),
        };
        let mut handler_params = String::from("self");
        if let Some(request) = &request {
            handler_params.push_str(&format!(", request: {request}"));
        }
        if let (MethodKind::Rpc, Some(reply)) = (method.kind, &reply) {
            handler_params.push_str(&format!(", reply: {reply}"));
        }
        StubMethod {
            kind,
            name: method.name.clone(),
            qualified_name: method.qualified_name.clone(),
            index,
            docstring: method_docstring(method),
            client_name,
            loan_name,
            publish_name: format!("publish_{member}"),
            handler_name,
            handler_params,
            request,
            returns,
        }
    }

    fn message_ref(&mut self, message: &Message) -> String {
        let qualified = format!("{}.{}", self.package.name, message.name);
        self.class_ref(&qualified)
    }
}

/// The method's doc comment (or what it is), with the fields its message takes.
fn method_docstring(method: &Method) -> String {
    let mut text = if method.docs.trim().is_empty() {
        format!("{}.", method.qualified_name)
    } else {
        method.docs.trim().to_owned()
    };
    if let Some(params) = &method.params {
        let fields: Vec<String> = params
            .layout
            .fields
            .iter()
            .map(|field| format!("{}: {}", field.name, field.ty))
            .collect();
        text.push_str(&format!("\n\nFields: {}.", fields.join(", ")));
    }
    if let Some(error) = &method.error {
        text.push_str(&format!("\nErrors: {error} (interop.RemoteError)."));
    }
    docstring(&text, "        ")
}
