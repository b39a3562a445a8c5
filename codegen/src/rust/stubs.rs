//! Service stubs: per service a handler trait to implement, a server adapter that the runtime
//! serves, a typed client (zero-copy loans and copying conveniences) and an event publisher.

use std::collections::HashSet;

use interop_idl::model::{Message, Method, MethodKind, Service};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{docs, ident, made_ident, rust_type, type_path, Ctx, Scope};
use crate::names;

/// The stubs of `service`.
pub(crate) fn stubs(ctx: &Ctx<'_>, service: &Service) -> TokenStream {
    let names = Names::of(service);
    let mut out = handlers_trait(ctx, service, &names);
    out.extend(server_adapter(ctx, service, &names));
    out.extend(client(ctx, service, &names));
    if service.methods.iter().any(|m| m.kind == MethodKind::Event) {
        out.extend(events(ctx, service, &names));
    }
    out
}

/// The names the stubs of one service use.
struct Names {
    handlers: Ident,
    server: Ident,
    client: Ident,
    publisher: Ident,
    event: Ident,
    descriptor: Ident,
    /// Lint allowances for the types named after a service whose name is not in camel case.
    type_allow: TokenStream,
}

impl Names {
    fn of(service: &Service) -> Names {
        let name = &service.name;
        Names {
            handlers: ident(name),
            server: made_ident(&format!("{name}Server")),
            client: made_ident(&format!("{name}Client")),
            publisher: made_ident(&format!("{name}Publisher")),
            event: made_ident(&format!("{name}Event")),
            descriptor: made_ident(&names::shouty_snake_case(name)),
            type_allow: super::naming_allows(&[name], &[], &[]),
        }
    }
}

/// `&FLEET_CONTROL.methods[2]`: the runtime's descriptor of method `index`.
fn method_ref(names: &Names, index: usize) -> TokenStream {
    let descriptor = &names.descriptor;
    let index = Literal::usize_unsuffixed(index);
    quote!(&#descriptor.methods[#index])
}

/// The method's wire id as a hexadecimal literal.
fn method_id(method: &Method) -> TokenStream {
    format!("{:#010x}", method.id)
        .parse()
        .expect("a hexadecimal literal")
}

fn message_type(message: &Option<Message>) -> TokenStream {
    match message {
        Some(message) => {
            let name = ident(&message.name);
            quote!(#name)
        }
        None => quote!(interop::Empty),
    }
}

fn error_type(ctx: &Ctx<'_>, method: &Method) -> Option<TokenStream> {
    let error = method.error.as_ref()?;
    Some(type_path(error, &ctx.package.name, Scope::Package))
}

/// `pub trait FleetControl { fn get_vehicle(&mut self, request: &..., reply: &mut ...) ... }`
fn handlers_trait(ctx: &Ctx<'_>, service: &Service, names: &Names) -> TokenStream {
    let handlers = &names.handlers;
    let doc = docs::with(
        &service.docs,
        &format!(
            "The handlers of service `{}`: implement them and serve them with `{}`. Each \
             handler reads its request in place, where it arrived, and writes its reply in \
             place, where it will be sent from; the reply starts as its default value.",
            service.qualified_name, names.server
        ),
    );
    let methods = service
        .methods
        .iter()
        .filter(|method| method.kind != MethodKind::Event)
        .map(|method| {
            let name = ident(&method.name);
            let doc = docs::or(
                &method.docs,
                &format!("Handles `{}`.", method.qualified_name),
            );
            let request = method.params.as_ref().map(|message| {
                let ty = ident(&message.name);
                let param = if method.kind == MethodKind::Oneway {
                    quote!(message)
                } else {
                    quote!(request)
                };
                quote!(#param: &#ty,)
            });
            let reply = method.results.as_ref().map(|message| {
                let ty = ident(&message.name);
                quote!(reply: &mut #ty,)
            });
            let returns = error_type(ctx, method).map(|error| quote!(-> Result<(), #error>));
            let allow = fn_allows(method, None);
            quote! {
                #doc
                #allow
                fn #name(&mut self, #request #reply) #returns;
            }
        });
    let type_allow = &names.type_allow;
    quote! {
        #doc
        #type_allow
        pub trait #handlers: Send + 'static {
            #(#methods)*
        }
    }
}

/// `pub struct FleetControlServer<T>(pub T);` and its `interop::server::Service` impl.
fn server_adapter(ctx: &Ctx<'_>, service: &Service, names: &Names) -> TokenStream {
    let Names {
        handlers, server, ..
    } = names;
    let descriptor = &names.descriptor;
    let doc = docs::attrs(&format!(
        "Serves a [`{handlers}`] implementation: `server.serve({server}(handlers))`.",
    ));
    let arms = service
        .methods
        .iter()
        .filter(|method| method.kind != MethodKind::Event)
        .map(|method| {
            let id = method_id(method);
            let name = ident(&method.name);
            let request_ty = message_type(&method.params);
            let reply_ty = message_type(&method.results);
            let error_ty = error_type(ctx, method).unwrap_or(quote!(interop::NoError));
            let (request, request_arg) = match method.params {
                Some(_) => (quote!(request), Some(quote!(request,))),
                None => (quote!(_), None),
            };
            let (reply, reply_arg) = match method.results {
                Some(_) => (quote!(reply), Some(quote!(reply))),
                None => (quote!(_), None),
            };
            let call = quote!(handlers.#name(#request_arg #reply_arg));
            let body = if method.error.is_some() {
                call
            } else {
                quote!({
                    #call;
                    Ok(())
                })
            };
            quote! {
                #id => call.handle::<#request_ty, #reply_ty, #error_ty>(|#request, #reply| #body),
            }
        });
    let type_allow = &names.type_allow;
    quote! {
        #doc
        #type_allow
        pub struct #server<T>(pub T);

        impl<T: #handlers> interop::server::Service for #server<T> {
            fn descriptor(&self) -> &'static interop::service::ServiceDescriptor {
                &#descriptor
            }

            fn call(&mut self, call: interop::server::Call<'_>) -> interop::server::Outcome {
                let handlers = &mut self.0;
                match call.method().id {
                    #(#arms)*
                    _ => call.unknown(),
                }
            }
        }
    }
}

/// `pub struct FleetControlClient(pub interop::Client);` with a loan, a convenience method and
/// (for events) subscriptions per method.
fn client(ctx: &Ctx<'_>, service: &Service, names: &Names) -> TokenStream {
    let Names {
        client, descriptor, ..
    } = names;
    let doc = docs::attrs(&format!(
        "A client of `{}`: `{client}::connect(\"pipe://name\")?`. Each method has a zero-copy \
         form (`loan_*`: fill the request in place, `send()` it, read the reply in place) and \
         a copying convenience.",
        service.qualified_name
    ));
    let method_names = client_method_names(service);
    let methods = service
        .methods
        .iter()
        .zip(&method_names)
        .enumerate()
        .map(|(index, (method, own))| client_method(ctx, names, index, method, own));
    let event_stream = service
        .methods
        .iter()
        .any(|method| method.kind == MethodKind::Event)
        .then(|| next_event(service, names));
    let type_allow = &names.type_allow;
    quote! {
        #doc
        #type_allow
        pub struct #client(pub interop::Client);

        impl #client {
            /// Connects to the service at `url` (`inproc://`, `shm://`, `pipe://` or `tcp://`).
            pub fn connect(url: &str) -> Result<Self, interop::Error> {
                interop::Client::connect(url, &#descriptor).map(Self)
            }

            /// Connects to the service over the transport the deployment manifest chose for
            /// `node`, which must list the service in its `uses`.
            pub fn from_node(node: &interop::Node) -> Result<Self, interop::Error> {
                node.connect(&#descriptor).map(Self)
            }

            #(#methods)*
            #event_stream
        }
    }
}

/// The two client methods of an IDL method: the copying call and its loan (`get`,
/// `loan_get`), or an event's `subscribe_` and `unsubscribe_`.
struct ClientMethodNames {
    first: Ident,
    second: Ident,
}

/// The names of every IDL method's client methods, in method order: a name taken already (by
/// the client's own `connect`, `from_node` and `next_event`, or by an earlier method, such as
/// an IDL method called `loan_get` beside `get`) gets a `_` suffix until it is free.
fn client_method_names(service: &Service) -> Vec<ClientMethodNames> {
    let mut taken: HashSet<String> = ["connect", "from_node", "next_event"]
        .map(str::to_owned)
        .into();
    let mut take = |name: String| {
        let mut name = name;
        while taken.contains(&name) {
            name.push('_');
        }
        taken.insert(name.clone());
        ident(&name)
    };
    service
        .methods
        .iter()
        .map(|method| {
            let name = &method.name;
            let (first, second) = match method.kind {
                MethodKind::Event => (format!("subscribe_{name}"), format!("unsubscribe_{name}")),
                MethodKind::Rpc | MethodKind::Oneway => (name.clone(), format!("loan_{name}")),
            };
            ClientMethodNames {
                first: take(first),
                second: take(second),
            }
        })
        .collect()
}

fn client_method(
    ctx: &Ctx<'_>,
    names: &Names,
    index: usize,
    method: &Method,
    own: &ClientMethodNames,
) -> TokenStream {
    let method_ref = method_ref(names, index);
    let qualified = &method.qualified_name;
    match method.kind {
        MethodKind::Event => {
            let subscribe = &own.first;
            let unsubscribe = &own.second;
            let subscribe_doc = docs::attrs(&format!(
                "Starts delivering event `{qualified}` to this client."
            ));
            let unsubscribe_doc = docs::attrs(&format!(
                "Stops delivering event `{qualified}` to this client."
            ));
            let allow = fn_allows(method, None);
            quote! {
                #subscribe_doc
                #allow
                pub fn #subscribe(&mut self) -> Result<(), interop::Error> {
                    self.0.subscribe(#method_ref)
                }

                #unsubscribe_doc
                #allow
                pub fn #unsubscribe(&mut self) -> Result<(), interop::Error> {
                    self.0.unsubscribe(#method_ref)
                }
            }
        }
        MethodKind::Rpc | MethodKind::Oneway => {
            let loan = &own.second;
            let request_ty = message_type(&method.params);
            let (loan_ty, loan_call) = if method.kind == MethodKind::Rpc {
                let reply_ty = message_type(&method.results);
                let error_ty = error_type(ctx, method).unwrap_or(quote!(interop::NoError));
                (
                    quote!(interop::client::Loan<'_, #request_ty, #reply_ty, #error_ty>),
                    quote!(self.0.loan(#method_ref)),
                )
            } else {
                (
                    quote!(interop::client::OnewayLoan<'_, #request_ty>),
                    quote!(self.0.loan_oneway(#method_ref)),
                )
            };
            let loan_doc = docs::attrs(&format!(
                "`{qualified}`, zero-copy: the request to fill in place; `send()` sends it{}.",
                if method.kind == MethodKind::Rpc {
                    " and returns the reply, read in place"
                } else {
                    ""
                }
            ));
            let convenience = convenience(ctx, method, &own.first, loan);
            let allow = fn_allows(method, None);
            quote! {
                #loan_doc
                #allow
                pub fn #loan(&mut self) -> Result<#loan_ty, interop::Error> {
                    #loan_call
                }

                #convenience
            }
        }
    }
}

/// A field of a message passed as a function parameter.
struct Param {
    field: Ident,
    arg: Ident,
    ty: TokenStream,
}

/// The fields of `message` as parameters. A parameter that would be read as one of the
/// package's constants (a lowercase `const` of the same name) gets an `_arg` suffix.
fn params(ctx: &Ctx<'_>, message: Option<&Message>) -> Vec<Param> {
    let fields = message.map_or(&[][..], |message| message.layout.fields.as_slice());
    fields
        .iter()
        .map(|field| {
            let escaped = names::rust_ident(&field.name);
            let clashes = ctx
                .package
                .consts
                .iter()
                .any(|constant| names::rust_ident(&constant.name) == escaped);
            Param {
                field: ident(&field.name),
                arg: if clashes {
                    let base = escaped.trim_start_matches("r#").trim_end_matches('_');
                    made_ident(&format!("{base}_arg"))
                } else {
                    ident(&field.name)
                },
                ty: rust_type(&field.ty, &ctx.package.name, Scope::Package),
            }
        })
        .collect()
}

/// `#[allow(non_snake_case)]` for a function named after `method` whose parameters are the
/// fields of `message`, when those names are not in snake case.
fn fn_allows(method: &Method, message: Option<&Message>) -> TokenStream {
    let mut names = vec![method.name.as_str()];
    if let Some(message) = message {
        names.extend(
            message
                .layout
                .fields
                .iter()
                .map(|field| field.name.as_str()),
        );
    }
    super::naming_allows(&[], &names, &[])
}

/// The copying form of a call: parameters by value, the result returned.
fn convenience(ctx: &Ctx<'_>, method: &Method, name: &Ident, loan: &Ident) -> TokenStream {
    let package = &ctx.package.name;
    let fields = params(ctx, method.params.as_ref());
    let params = fields.iter().map(|Param { arg, ty, .. }| quote!(#arg: #ty));
    let assignments = fields
        .iter()
        .map(|Param { field, arg, .. }| quote!(request.#field = #arg;));
    let allow = fn_allows(method, method.params.as_ref());
    let binding = if fields.is_empty() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    let error = error_type(ctx, method);
    let failure = match &error {
        Some(error) => quote!(interop::CallError<#error>),
        None => quote!(interop::Error),
    };
    let (result, finish) = match (method.kind, &method.results) {
        (MethodKind::Oneway, _) => (quote!(()), quote!(request.send())),
        (_, None) => (
            quote!(()),
            quote! {
                request.send()?;
                Ok(())
            },
        ),
        (_, Some(message)) if method.single_result => {
            let ty = rust_type(&message.layout.fields[0].ty, package, Scope::Package);
            (
                ty,
                quote! {
                    let reply = request.send()?;
                    Ok(reply.result)
                },
            )
        }
        (_, Some(message)) => {
            let ty = ident(&message.name);
            (
                quote!(#ty),
                quote! {
                    let reply = request.send()?;
                    Ok(*reply)
                },
            )
        }
    };
    let doc = docs::with(
        &method.docs,
        &format!("Calls `{}`, copying.", method.qualified_name),
    );
    quote! {
        #doc
        #allow
        pub fn #name(&mut self, #(#params),*) -> Result<#result, #failure> {
            let #binding = self.#loan()?;
            #(#assignments)*
            #finish
        }
    }
}

/// `next_event` on the client, returning the service's event enum.
fn next_event(service: &Service, names: &Names) -> TokenStream {
    let event = &names.event;
    let arms = service
        .methods
        .iter()
        .filter(|method| method.kind == MethodKind::Event)
        .map(|method| {
            let id = method_id(method);
            let variant = made_ident(&names::pascal_case(&method.name));
            match &method.params {
                Some(message) => {
                    let ty = ident(&message.name);
                    quote!(#id => guard.get::<#ty>().copied().map(#event::#variant),)
                }
                None => quote!(#id => Some(#event::#variant),),
            }
        });
    quote! {
        /// The next event of the subscriptions, waiting up to `timeout` (forever with `None`);
        /// `Ok(None)` when the time passes first.
        pub fn next_event(
            &mut self,
            timeout: Option<core::time::Duration>,
        ) -> Result<Option<#event>, interop::Error> {
            let Some(guard) = self.0.next_event(timeout)? else {
                return Ok(None);
            };
            let event = match guard.method().id {
                #(#arms)*
                _ => None,
            };
            event.map(Some).ok_or_else(|| guard.unexpected())
        }
    }
}

/// The event enum and the publisher.
fn events(ctx: &Ctx<'_>, service: &Service, names: &Names) -> TokenStream {
    let Names {
        event,
        publisher,
        descriptor,
        type_allow,
        ..
    } = names;
    let event_doc = docs::attrs(&format!("An event of `{}`.", service.qualified_name));
    let publisher_doc = docs::attrs(&format!(
        "Publishes the events of `{}` to subscribed clients; from any thread: \
         `{publisher}::new(&server)?`.",
        service.qualified_name
    ));
    let mut variants = Vec::new();
    let mut publishes = Vec::new();
    for (index, method) in service.methods.iter().enumerate() {
        if method.kind != MethodKind::Event {
            continue;
        }
        let variant = made_ident(&names::pascal_case(&method.name));
        let doc = docs::or(&method.docs, &format!("Event `{}`.", method.qualified_name));
        let payload = method.params.as_ref().map(|message| {
            let ty = ident(&message.name);
            quote!((#ty))
        });
        variants.push(quote!(#doc #variant #payload,));
        let publish = format_ident!("publish_{}", method.name);
        let method_ref = method_ref(names, index);
        let publish_doc = docs::attrs(&format!("Publishes event `{}`.", method.qualified_name));
        let fields = params(ctx, method.params.as_ref());
        let value = match &method.params {
            None => quote!(&interop::Empty {}),
            Some(message) => {
                let ty = ident(&message.name);
                let inits = fields.iter().map(|Param { field, arg, .. }| {
                    if field == arg {
                        quote!(#field,)
                    } else {
                        quote!(#field: #arg,)
                    }
                });
                let rest =
                    (!message.layout.padding.is_empty()).then(|| quote!(..Default::default()));
                quote!(&#ty { #(#inits)* #rest })
            }
        };
        let params = fields.iter().map(|Param { arg, ty, .. }| quote!(#arg: #ty));
        let allow = fn_allows(method, method.params.as_ref());
        publishes.push(quote! {
            #publish_doc
            #allow
            pub fn #publish(&self, #(#params),*) -> Result<(), interop::Error> {
                self.0.publish(#method_ref, #value)
            }
        });
    }
    quote! {
        #event_doc
        #[derive(Clone, Copy, Debug)]
        #type_allow
        pub enum #event {
            #(#variants)*
        }

        #publisher_doc
        #[derive(Clone)]
        #type_allow
        pub struct #publisher(pub interop::server::Publisher);

        impl #publisher {
            /// The publisher of the service served by `server`.
            pub fn new(server: &interop::Server) -> Result<Self, interop::Error> {
                server.publisher(#descriptor.qualified_name).map(Self)
            }

            #(#publishes)*
        }
    }
}
