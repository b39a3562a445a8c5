//! Names in a generated module (see *Names* and *Imports* in the module docs): the Python name
//! of every module-level item of a package, a name made unique within its scope, how a module
//! refers to a class of its own package or of another one, and the statement importing another
//! package's module.

use std::collections::{HashMap, HashSet};

use interop_idl::model::Package;

use super::{stubs, PackageGen};
use crate::names::{c_prefix, python_global, python_ident};

impl PackageGen<'_> {
    /// How a module-level class of any package is named from this module.
    pub(super) fn class_ref(&mut self, qualified_name: &str) -> String {
        let (package, name) = qualified_name.rsplit_once('.').expect("qualified name");
        let name = self.global(package, name);
        if package == self.package.name {
            if self.shadowed.contains(&name.as_str()) {
                format!("globals()[\"{name}\"]")
            } else {
                name
            }
        } else {
            self.imports.insert(package.to_owned());
            format!("{}.{}", module_alias(&c_prefix(package)), name)
        }
    }

    /// The module-level Python name of item `name` of `package` (see [`global_names`]).
    pub(super) fn global(&mut self, package: &str, name: &str) -> String {
        let model = self.model;
        let names = self.globals.entry(package.to_owned()).or_insert_with(|| {
            let package = model
                .packages
                .iter()
                .find(|p| p.name == package)
                .expect("a package of the model");
            global_names(package)
        });
        names
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} is an item of {package}"))
    }
}

/// The module-level Python names of a package's items (constants, types, messages, services,
/// in this order), escaped with [`python_global`] and made unique with trailing underscores.
fn global_names(package: &Package) -> HashMap<String, String> {
    let mut used = HashSet::new();
    global_order(package)
        .into_iter()
        .map(|(key, name)| (key, unique(python_global(&name), &mut used)))
        .collect()
}

/// The module-level items of a package, in the order of `__all__`: each one's key (its IDL
/// name; see [`stubs::role_key`] for a service's client, handler and publisher) and the name
/// it is spelled from.
pub(super) fn global_order(package: &Package) -> Vec<(String, String)> {
    let mut items: Vec<&str> = Vec::new();
    items.extend(package.consts.iter().map(|c| c.name.as_str()));
    items.extend(package.types.iter().map(|t| t.name.as_str()));
    for method in package.services.iter().flat_map(|s| &s.methods) {
        for message in [&method.params, &method.results].into_iter().flatten() {
            items.push(&message.name);
        }
    }
    items.extend(package.services.iter().map(|s| s.name.as_str()));
    let mut order: Vec<(String, String)> = items
        .into_iter()
        .map(|name| (name.to_owned(), name.to_owned()))
        .collect();
    for service in &package.services {
        for role in stubs::ROLES {
            order.push((
                stubs::role_key(&service.name, role),
                format!("{}{role}", service.name),
            ));
        }
    }
    order
}

/// `name`, or `name` with as many trailing underscores as make it unused in `used`.
pub(super) fn unique(mut name: String, used: &mut HashSet<String>) -> String {
    while used.contains(&name) {
        name.push('_');
    }
    used.insert(name.clone());
    name
}

/// The private alias of another package's module.
fn module_alias(module: &str) -> String {
    format!("_{module}")
}

/// The statement importing a sibling module (see the module docs).
pub(super) fn import_statement(module: &str) -> String {
    let alias = module_alias(module);
    if python_ident(module) != module {
        // A keyword cannot follow `import`: go through importlib.
        return format!(
            "import importlib as _importlib\n\n{alias} = _importlib.import_module(\n    (\".\" if __package__ else \"\") + \"{module}\", __package__ or None\n)"
        );
    }
    format!("if __package__:\n    from . import {module} as {alias}\nelse:\n    import {module} as {alias}")
}
