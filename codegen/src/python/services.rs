//! Service classes: a service's `qualified_name` and one `_Method` per method (`name`,
//! `qualified_name`, `kind`, `id`, `fingerprint`, `request`, `reply`, `error`,
//! `single_result`), and `methods`, all of them in order.

use std::collections::HashSet;

use interop_idl::model::{MethodKind, Service};

use super::naming::unique;
use super::templates::{render, MethodView, ServiceTemplate};
use super::text::{comments, type_docstring, Packed, WIDTH};
use super::PackageGen;
use crate::names::python_member;

impl PackageGen<'_> {
    /// The class describing `service` and its methods.
    pub(super) fn service_class(&mut self, service: &Service) -> String {
        let package = &self.package.name;
        let mut used = HashSet::new();
        let methods = service
            .methods
            .iter()
            .map(|method| {
                let kind = match method.kind {
                    MethodKind::Rpc => "rpc",
                    MethodKind::Oneway => "oneway",
                    MethodKind::Event => "event",
                };
                let mut args = vec![
                    format!("\"{}\"", method.name),
                    format!("\"{}\"", method.qualified_name),
                    format!("\"{kind}\""),
                    format!("0x{:08X}", method.id),
                    format!("\"{}\"", method.fingerprint),
                ];
                if let Some(params) = &method.params {
                    args.push(format!(
                        "request={}",
                        self.class_ref(&format!("{package}.{}", params.name))
                    ));
                }
                if let Some(results) = &method.results {
                    args.push(format!(
                        "reply={}",
                        self.class_ref(&format!("{package}.{}", results.name))
                    ));
                }
                if let Some(error) = &method.error {
                    args.push(format!("error={}", self.class_ref(error)));
                }
                if method.single_result {
                    args.push("single_result=True".to_owned());
                }
                MethodView {
                    comments: comments(&method.docs, "    ", "#: "),
                    name: unique(python_member(&method.name), &mut used),
                    args,
                }
            })
            .collect::<Vec<_>>();
        let names: Vec<String> = methods.iter().map(|m| m.name.clone()).collect();
        render(&ServiceTemplate {
            name: self.global(&self.package.name, &service.name),
            docstring: type_docstring(&service.docs, "service", &service.qualified_name, 0),
            qualified_name: service.qualified_name.clone(),
            methods,
            methods_tuple: methods_tuple(&names),
        })
    }
}

/// The tuple of a service's methods, `(a, b)`, on one line or one per [`WIDTH`]-wide line.
fn methods_tuple(names: &[String]) -> String {
    match names.len() {
        0 => "()".to_owned(),
        1 => format!("({},)", names[0]),
        _ => {
            let one_line = format!("({})", names.join(", "));
            if one_line.len() + 14 <= WIDTH {
                one_line
            } else {
                let mut text = "(\n".to_owned();
                let mut lines = Packed::new(&mut text, "        ");
                for name in names {
                    lines.item(name);
                }
                lines.finish();
                text.push_str("    )");
                text
            }
        }
    }
}
