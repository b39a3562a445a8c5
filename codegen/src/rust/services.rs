//! Services: the structs of their methods' messages, and one `ServiceDescriptor` constant each.

use interop_idl::model::{Message, MethodKind, Service};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{docs, ident, made_ident, Ctx};
use crate::names;

/// The request, reply and event structs of the service's methods.
pub(crate) fn messages(ctx: &Ctx<'_>, service: &Service) -> TokenStream {
    let mut out = TokenStream::new();
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
            out.extend(super::types::struct_def(
                ctx,
                &message.name,
                &doc,
                &message.layout,
                message.size,
                message.align,
            ));
            out.extend(super::syntax::items_tokens(&[super::types::identity_item(
                ctx,
                &ident(&message.name),
                &qualified,
                &message.fingerprint.0,
            )]));
        }
    }
    out
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

/// `pub const FLEET_CONTROL: interop::service::ServiceDescriptor = ...;`
pub(crate) fn descriptor(ctx: &Ctx<'_>, service: &Service) -> TokenStream {
    let name = made_ident(&names::shouty_snake_case(&service.name));
    let mut summary = format!(
        "The descriptor of service `{}`: its methods' wire ids, fingerprints and the descriptor \
         records of their messages.\n\nMethods:\n",
        service.qualified_name
    );
    for method in &service.methods {
        let docs = method.docs.lines().next().unwrap_or("").trim();
        summary.push_str(&format!(
            "\n- `{}` (id `{:#010x}`){}{docs}",
            method.name,
            method.id,
            if docs.is_empty() { "" } else { ": " }
        ));
    }
    let doc = docs::with(&service.docs, &summary);
    let qualified = &service.qualified_name;
    let methods = service.methods.iter().map(|method| {
        let qualified_name = &method.qualified_name;
        let method_name = &method.name;
        let kind = match method.kind {
            MethodKind::Rpc => quote!(Rpc),
            MethodKind::Oneway => quote!(Oneway),
            MethodKind::Event => quote!(Event),
        };
        let id: TokenStream = format!("{:#010x}", method.id)
            .parse()
            .expect("a hexadecimal literal");
        let fingerprint = super::fingerprint_expr(&method.fingerprint.0);
        let index = |message: &Option<Message>| match message {
            Some(message) => {
                let record = ctx
                    .descriptor
                    .index_of(&format!("{}.{}", ctx.package.name, message.name))
                    .expect("every message has a descriptor record");
                let record = Literal::u32_unsuffixed(record);
                quote!(Some(#record))
            }
            None => quote!(None),
        };
        let params = index(&method.params);
        let results = index(&method.results);
        quote! {
            interop::service::MethodDescriptor {
                qualified_name: #qualified_name,
                name: #method_name,
                kind: interop::service::MethodKind::#kind,
                id: #id,
                fingerprint: #fingerprint,
                params: #params,
                results: #results,
            }
        }
    });
    quote! {
        #doc
        pub const #name: interop::service::ServiceDescriptor = interop::service::ServiceDescriptor {
            qualified_name: #qualified,
            methods: &[#(#methods),*],
            descriptor: DESCRIPTOR,
        };
    }
}
