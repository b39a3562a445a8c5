//! Names in a generated module (see *Names* and *Imports* in the module docs): the Python name
//! of every module-level item of a package (gathered once per package the module names, with
//! the declared type each one is), a name made unique within its scope, how a module refers to
//! a class of its own package or of another one, and the statement importing another package's
//! module.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use interop_idl::model::{Package, TypeDef};

use super::{stubs, PackageGen};
use crate::names::{c_prefix, python_global, python_ident};

/// What a module knows about one package of the model: the Python names of its module-level
/// items, its declared types, and the alias its module has when imported.
pub(super) struct Scope<'m> {
    /// The private alias of the package's module ([`module_alias`]).
    alias: String,
    /// Every module-level item, by key (see [`global_order`]).
    pub(super) globals: HashMap<Cow<'m, str>, Global<'m>>,
}

/// A module-level item of a package.
pub(super) struct Global<'m> {
    /// Its Python name.
    pub(super) name: String,
    /// The declared type it is, if it is one.
    def: Option<&'m TypeDef>,
}

impl<'m> Scope<'m> {
    /// The scope of `package`: its module-level names escaped with [`python_global`] and made
    /// unique with trailing underscores (constants, types, messages, services, in this order).
    pub(super) fn of(package: &'m Package) -> Scope<'m> {
        let mut used = HashSet::new();
        let mut globals: HashMap<Cow<'m, str>, Global<'m>> = global_order(package)
            .into_iter()
            .map(|(key, name)| {
                let name = unique(python_global(&name), &mut used);
                (key, Global { name, def: None })
            })
            .collect();
        for def in &package.types {
            let global = globals
                .get_mut(def.name.as_str())
                .expect("every type is a module-level item");
            global.def.get_or_insert(def);
        }
        Scope {
            alias: module_alias(&c_prefix(&package.name)),
            globals,
        }
    }

    /// Module-level item `name`.
    fn global(&self, name: &str) -> &Global<'m> {
        self.globals
            .get(name)
            .unwrap_or_else(|| panic!("{name} is an item of the package"))
    }

    /// Appends how a module refers to item `global` of this package: through the package's
    /// module alias from another package (`foreign`), through `globals()` where a name in
    /// `shadowed` hides it.
    fn write_ref(&self, global: &str, foreign: bool, shadowed: &[&str], out: &mut String) {
        if foreign {
            out.push_str(&self.alias);
            out.push('.');
            out.push_str(global);
        } else if shadowed.contains(&global) {
            out.push_str("globals()[\"");
            out.push_str(global);
            out.push_str("\"]");
        } else {
            out.push_str(global);
        }
    }
}

impl<'m> PackageGen<'m> {
    /// What this module knows about `package`, gathered on first use.
    fn scope(&mut self, package: &str) -> &Scope<'m> {
        if package == self.package.name {
            return &self.own;
        }
        if !self.scopes.contains_key(package) {
            let found = self
                .model
                .packages
                .iter()
                .find(|p| p.name == package)
                .expect("a package of the model");
            self.scopes.insert(&found.name, Scope::of(found));
        }
        &self.scopes[package]
    }

    /// The package of `qualified_name` and its simple name, after noting the import of the
    /// package's module when it is another package's.
    fn referred<'q>(&mut self, qualified_name: &'q str) -> (&'q str, &'q str, bool) {
        let (package, name) = qualified_name.rsplit_once('.').expect("qualified name");
        let foreign = package != self.package.name;
        if foreign && !self.imports.contains(package) {
            self.imports.insert(package.to_owned());
        }
        (package, name, foreign)
    }

    /// How a module-level class of any package is named from this module.
    pub(super) fn class_ref(&mut self, qualified_name: &str) -> String {
        let (package, name, foreign) = self.referred(qualified_name);
        let shadowed = self.shadowed;
        let scope = self.scope(package);
        let mut out = String::new();
        scope.write_ref(&scope.global(name).name, foreign, shadowed, &mut out);
        out
    }

    /// The declared type named `qualified_name`, of any package, and how this module names its
    /// class (as [`class_ref`](Self::class_ref) does).
    pub(super) fn named_class(&mut self, qualified_name: &str) -> (&'m TypeDef, String) {
        let (package, name, foreign) = self.referred(qualified_name);
        let shadowed = self.shadowed;
        let scope = self.scope(package);
        let global = scope.global(name);
        let def = global.def.expect("the model holds every type it names");
        let mut out = String::with_capacity(global.name.len());
        scope.write_ref(&global.name, foreign, shadowed, &mut out);
        (def, out)
    }

    /// The module-level Python name of item `name` of `package` (see [`Scope::of`]).
    pub(super) fn global(&mut self, package: &str, name: &str) -> String {
        self.scope(package).global(name).name.clone()
    }

    /// The declared type of this package named `qualified_name`; none for another package's.
    pub(super) fn own_type(&self, qualified_name: &str) -> Option<&'m TypeDef> {
        let (package, name) = qualified_name.rsplit_once('.')?;
        if package != self.package.name {
            return None;
        }
        self.own.globals.get(name).and_then(|global| global.def)
    }
}

/// The module-level items of a package, in the order of `__all__`: each one's key (its IDL
/// name; see [`stubs::role_key`] for a service's client, handler and publisher) and the name
/// it is spelled from.
pub(super) fn global_order(package: &Package) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    let mut items: Vec<&str> = Vec::new();
    items.extend(package.consts.iter().map(|c| c.name.as_str()));
    items.extend(package.types.iter().map(|t| t.name.as_str()));
    for method in package.services.iter().flat_map(|s| &s.methods) {
        for message in [&method.params, &method.results].into_iter().flatten() {
            items.push(&message.name);
        }
    }
    items.extend(package.services.iter().map(|s| s.name.as_str()));
    let mut order: Vec<(Cow<'_, str>, Cow<'_, str>)> = items
        .into_iter()
        .map(|name| (Cow::Borrowed(name), Cow::Borrowed(name)))
        .collect();
    for service in &package.services {
        for role in stubs::ROLES {
            order.push((
                stubs::role_key(&service.name, role).into(),
                format!("{}{role}", service.name).into(),
            ));
        }
    }
    order
}

/// `name`, or `name` with as many trailing underscores as make it unused in `used`.
pub(super) fn unique(mut name: String, used: &mut HashSet<String>) -> String {
    while !used.insert(name.clone()) {
        name.push('_');
    }
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
