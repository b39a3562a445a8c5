//! Services: the structs of their methods' messages, and one `ServiceDescriptor` constant each,
//! written as text (see [`super::source`]).

use std::fmt::Write;

use interop_idl::model::{Message, MethodKind, Service};

use super::source::{self, line};
use super::{docs, rust_name, Ctx};
use crate::names;

/// The request, reply and event structs of the service's methods, each item followed by a
/// blank line.
pub(crate) fn messages(ctx: &Ctx<'_>, service: &Service, out: &mut String) {
    for method in &service.methods {
        let roles = match method.kind {
            MethodKind::Rpc => [("request", &method.params), ("reply", &method.results)],
            MethodKind::Oneway => [("message", &method.params), ("reply", &None)],
            MethodKind::Event => [("event", &method.params), ("reply", &None)],
        };
        for (role, message) in roles {
            let Some(message) = message else { continue };
            let doc = docs::with(
                &method.docs,
                &message_doc(role, &service.name, &method.name, method.kind, message),
            );
            let qualified = format!("{}.{}", ctx.package.name, message.name);
            super::types::struct_items(
                ctx,
                &message.name,
                &doc,
                &message.layout,
                message.size,
                message.align,
                out,
            );
            super::types::identity_item(
                ctx,
                &rust_name(&message.name),
                &qualified,
                &message.fingerprint.0,
                out,
            );
        }
    }
}

fn message_doc(
    role: &str,
    service: &str,
    method: &str,
    kind: MethodKind,
    message: &Message,
) -> String {
    let kind = match kind {
        MethodKind::Rpc => "rpc",
        MethodKind::Oneway => "oneway",
        MethodKind::Event => "event",
    };
    format!(
        "The {role} of {kind} `{service}.{method}`.\n\nGenerated message `{}`: size {}, alignment {}.",
        message.name, message.size, message.align
    )
}

/// `pub const FLEET_CONTROL: interop::service::ServiceDescriptor = ...;`, followed by a blank
/// line.
pub(crate) fn descriptor(ctx: &Ctx<'_>, service: &Service, out: &mut String) {
    let mut summary = format!(
        "The descriptor of service `{}`: its methods' wire ids, fingerprints and the descriptor \
         records of their messages.\n\nMethods:\n",
        service.qualified_name
    );
    for method in &service.methods {
        let docs = method.docs.lines().next().unwrap_or("").trim();
        let _ = write!(
            summary,
            "\n- `{}` (id `{:#010x}`){}{docs}",
            method.name,
            method.id,
            if docs.is_empty() { "" } else { ": " }
        );
    }
    source::docs(out, 0, &docs::with(&service.docs, &summary));
    let _ = writeln!(
        out,
        "pub const {}: interop::service::ServiceDescriptor = interop::service::ServiceDescriptor {{",
        rust_name(&names::shouty_snake_case(&service.name))
    );
    let _ = writeln!(
        out,
        "    qualified_name: {},",
        source::string_literal(&service.qualified_name)
    );
    if service.methods.is_empty() {
        line(out, 1, "methods: &[],");
    } else {
        line(out, 1, "methods: &[");
    }
    let record = |message: &Option<Message>| match message {
        Some(message) => {
            let record = ctx
                .descriptor
                .record(&format!("{}.{}", ctx.package.name, message.name));
            format!("Some({record})")
        }
        None => "None".to_owned(),
    };
    for method in &service.methods {
        let kind = match method.kind {
            MethodKind::Rpc => "Rpc",
            MethodKind::Oneway => "Oneway",
            MethodKind::Event => "Event",
        };
        line(out, 2, "interop::service::MethodDescriptor {");
        let _ = writeln!(
            out,
            "            qualified_name: {},",
            source::string_literal(&method.qualified_name)
        );
        let _ = writeln!(
            out,
            "            name: {},",
            source::string_literal(&method.name)
        );
        let _ = writeln!(
            out,
            "            kind: interop::service::MethodKind::{kind},"
        );
        let _ = writeln!(out, "            id: {:#010x},", method.id);
        let _ = writeln!(
            out,
            "            fingerprint: *{},",
            source::byte_string_literal(&method.fingerprint.0)
        );
        let _ = writeln!(out, "            params: {},", record(&method.params));
        let _ = writeln!(out, "            results: {},", record(&method.results));
        line(out, 2, "},");
    }
    if !service.methods.is_empty() {
        line(out, 1, "],");
    }
    line(out, 1, "descriptor: DESCRIPTOR,");
    out.push_str("};\n\n");
}
