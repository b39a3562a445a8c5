//! Services: methods, their generated request, reply and event structs, wire ids and
//! fingerprints.

use std::collections::HashMap;

use super::types::{FieldShape, LayoutFailure, Resolved};
use super::{Checker, ItemId, PackageId};
use crate::ast::{self, Docs, Ident, ItemKind, Method, MethodKind, Results};
use crate::diagnostic::{Code, Diagnostic};
use crate::fingerprint::{self, MethodShape};
use crate::model::{self, Message};
use crate::source::FileId;

/// Which of a method's messages is being built.
#[derive(Clone, Copy)]
enum Role {
    Request,
    Reply,
    Event,
}

impl Role {
    fn suffix(self) -> &'static str {
        match self {
            Role::Request => "Request",
            Role::Reply => "Reply",
            Role::Event => "Event",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Role::Request => "request",
            Role::Reply => "reply",
            Role::Event => "event",
        }
    }
}

/// Generated message names already taken in each package, with the method that took them.
type MessageNames<'a> = HashMap<(PackageId, String), &'a Ident>;

impl<'a> Checker<'a> {
    /// Checks every service.
    pub(super) fn check_services(&mut self) {
        let mut message_names = MessageNames::new();
        for id in 0..self.items.len() {
            let item: &'a ast::Item = self.items[id].item;
            if let ItemKind::Service(decl) = &item.kind {
                if let Some(service) = self.check_service(id, decl, &mut message_names) {
                    self.services.insert(id, service);
                }
            }
        }
    }

    fn check_service(
        &mut self,
        id: ItemId,
        decl: &'a ast::ServiceDecl,
        message_names: &mut MessageNames<'a>,
    ) -> Option<model::Service> {
        let (file, item) = (self.items[id].file, self.items[id].item);
        let service_name = &item.name.text;
        self.check_unique(
            "method",
            &format!("in service `{service_name}`"),
            decl.methods.iter().map(|m| &m.name),
        );
        let qualified_service = self.qualified_name(id);
        let mut complete = true;
        let mut methods = Vec::with_capacity(decl.methods.len());
        let mut wire_ids: HashMap<u32, &Ident> = HashMap::new();
        for method in &decl.methods {
            let qualified_name = format!("{qualified_service}.{}", method.name.text);
            let wire_id = fingerprint::method_id(&qualified_name);
            // A repeated name is reported as a duplicate; its equal id says nothing more.
            let repeated = |first: &&Ident| first.text != method.name.text;
            if let Some(first) = wire_ids.insert(wire_id, &method.name).filter(repeated) {
                self.report(
                    Diagnostic::error(Code::MethodIdCollision, method.name.span, format!("methods `{}` and `{}` of `{service_name}` have the same wire id {wire_id:#010x}", first.text, method.name.text))
                        .with_label("same id as another method")
                        .with_secondary(first.span, "the other method")
                        .with_help("ids derive from the method's qualified name: rename one of the two methods"),
                );
                complete = false;
            }
            match self.check_method(file, id, method, &qualified_name, wire_id, message_names) {
                Some(method) => methods.push(method),
                None => complete = false,
            }
        }
        complete.then(|| model::Service {
            name: service_name.clone(),
            qualified_name: qualified_service,
            docs: item.docs.text(),
            methods,
        })
    }

    fn check_method(
        &mut self,
        file: FileId,
        service: ItemId,
        method: &'a Method,
        qualified_name: &str,
        wire_id: u32,
        message_names: &mut MessageNames<'a>,
    ) -> Option<model::Method> {
        let context = format!("in method `{}`", method.name.text);
        self.check_unique("parameter", &context, method.params.iter().map(|p| &p.name));
        let params_role = if method.kind == MethodKind::Event {
            Role::Event
        } else {
            Role::Request
        };
        let params = self.field_shapes(file, &method.params);
        let params = self.message(service, method, params_role, &params, message_names);

        // `-> T` is a reply struct with the single field `result`.
        let single_result: Vec<ast::Field>;
        let (result_fields, single) = match &method.results {
            None => (&[][..], false),
            Some(Results::Type(ty)) => {
                single_result = vec![ast::Field {
                    docs: Docs::default(),
                    name: Ident {
                        text: "result".into(),
                        span: ty.span,
                    },
                    ty: ty.clone(),
                    span: ty.span,
                }];
                (&single_result[..], true)
            }
            Some(Results::Named(fields)) => {
                self.check_unique("result", &context, fields.iter().map(|f| &f.name));
                (&fields[..], false)
            }
        };
        let results = self.field_shapes(file, result_fields);
        let results = self.message(service, method, Role::Reply, &results, message_names);

        let error = method.error.as_ref().map(|ty| self.error_enum(file, ty));
        let (params, results) = (params?, results?);
        let error = error.map(|error| error.ok_or(())).transpose().ok()?;
        let error_fingerprint = error.as_deref().map(|name| self.fingerprint_of(name));
        let fingerprint = fingerprint::of_method(&MethodShape {
            qualified_name,
            kind: method.kind,
            id: wire_id,
            params: params.as_ref(),
            results: results.as_ref(),
            single_result: single,
            error: error_fingerprint,
        });
        Some(model::Method {
            name: method.name.text.clone(),
            qualified_name: qualified_name.to_owned(),
            docs: method.docs.text(),
            kind: method.kind,
            id: wire_id,
            fingerprint,
            params,
            results,
            single_result: single,
            error,
        })
    }

    /// Builds, lays out and size-checks one message. `Some(None)`: no fields, so no message.
    fn message(
        &mut self,
        service: ItemId,
        method: &'a Method,
        role: Role,
        fields: &[FieldShape<'_>],
        message_names: &mut MessageNames<'a>,
    ) -> Option<Option<Message>> {
        if fields.is_empty() {
            return Some(None);
        }
        let name = format!(
            "{}{}{}",
            self.items[service].item.name.text,
            pascal_case(&method.name.text),
            role.suffix()
        );
        let package = self.items[service].package;
        if let Some(&clash) = self.names.get(&(package, name.as_str())) {
            let other = self.items[clash].item;
            self.report(
                Diagnostic::error(Code::DuplicateName, method.name.span, format!("the {} struct `{name}` generated for method `{}` has the name of {} `{name}`", role.noun(), method.name.text, other.kind.keyword()))
                    .with_label(format!("generates `{name}`"))
                    .with_secondary(other.name.span, format!("{} `{name}` is declared here", other.kind.keyword()))
                    .with_help("rename the method or the other item"),
            );
            return None;
        }
        if let Some(first) = message_names.insert((package, name.clone()), &method.name) {
            self.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    method.name.span,
                    format!(
                        "methods `{}` and `{}` both generate the struct `{name}`",
                        first.text, method.name.text
                    ),
                )
                .with_label(format!("generates `{name}`"))
                .with_secondary(first.span, format!("also generates `{name}`"))
                .with_help("rename one of the two methods"),
            );
            return None;
        }
        let (layout, extent) = match self.lay_out_fields(fields) {
            Ok(laid_out) => laid_out,
            Err(LayoutFailure::Unavailable) => return None,
            Err(LayoutFailure::Overflow) => {
                self.report(
                    Diagnostic::error(
                        Code::TypeTooLarge,
                        method.name.span,
                        format!(
                            "the {} of `{}` is too large: its size does not fit in 64 bits",
                            role.noun(),
                            method.name.text
                        ),
                    )
                    .with_label("too large")
                    .with_help("reduce the capacities and array lengths it uses"),
                );
                return None;
            }
        };
        let maximum = self.options.max_message_size;
        if extent.size > maximum {
            self.report(
                Diagnostic::error(Code::MessageTooLarge, method.name.span, format!("the {} of `{}` is {} bytes, more than the maximum of {maximum} bytes", role.noun(), method.name.text, extent.size))
                    .with_label(format!("{} bytes", extent.size))
                    .with_help("reduce the capacities and array lengths it uses, or raise the limit with `--max-message-size`"),
            );
            return None;
        }
        let mut message = Message {
            name,
            size: extent.size,
            align: extent.align,
            fingerprint: fingerprint::Fingerprint([0; 32]),
            layout,
        };
        message.fingerprint = fingerprint::of_message(&message, &|name| self.fingerprint_of(name));
        Some(Some(message))
    }

    /// Resolves an rpc's error type, which must be an enum; its qualified name.
    fn error_enum(&mut self, file: FileId, ty: &ast::TypeRef) -> Option<String> {
        let resolved = self.resolve_type(file, ty)?;
        if let Resolved::Named(id) = resolved {
            if matches!(self.items[id].item.kind, ItemKind::Enum(_)) {
                return self
                    .type_defs
                    .contains_key(&id)
                    .then(|| self.qualified_name(id));
            }
        }
        let found = match resolved {
            Resolved::Named(id) => format!(
                "{} `{}`",
                self.items[id].item.kind.keyword(),
                self.items[id].item.name.text
            ),
            _ => format!("`{}`", self.loaded.sources.slice(ty.span)),
        };
        self.report(
            Diagnostic::error(Code::ErrorNotEnum, ty.span, format!("the error type of an rpc must be an enum, found {found}"))
                .with_label("not an enum")
                .with_help("declare the failures as an enum, such as `enum Fault: u16 { NotFound = 1, Denied = 2 }`"),
        );
        None
    }
}

/// `get_vehicle` → `GetVehicle`.
pub(crate) fn pascal_case(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().expect("non-empty part");
            first.to_uppercase().chain(chars).collect::<String>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::pascal_case;

    #[test]
    fn pascal_case_of_method_names() {
        assert_eq!(pascal_case("get_vehicle"), "GetVehicle");
        assert_eq!(pascal_case("ping"), "Ping");
        assert_eq!(pascal_case("_set__mode_"), "SetMode");
        assert_eq!(pascal_case("getStatus"), "GetStatus");
    }
}
