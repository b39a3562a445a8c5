//! The checker: from parsed files to the checked [`Model`], reporting every error it can find.
//!
//! The passes run in a fixed order, each over every item: register packages and names,
//! evaluate constants (in dependency order), resolve and check types, refuse recursive types,
//! lay out types (in dependency order) and fingerprint them, then check services and lay out
//! their messages. A pass skips what an earlier error made meaningless, so one mistake is
//! reported once rather than again at every use.

mod consts;
mod names;
mod services;
mod types;

use std::collections::HashMap;

use crate::ast::{self, Ident, Item, ItemKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::loader::Loaded;
use crate::model::{self, Model};
use crate::source::{FileId, Span};
use crate::Options;

/// Index of an item in [`Checker::items`].
pub(crate) type ItemId = usize;

/// Index of a package in [`Checker::packages`].
pub(crate) type PackageId = usize;

/// A declared item with where it lives.
pub(crate) struct ItemEntry<'a> {
    pub file: FileId,
    pub package: PackageId,
    pub item: &'a Item,
}

/// A package and the files that declare it.
pub(crate) struct PackageEntry {
    pub name: String,
    pub files: Vec<FileId>,
    pub docs: String,
}

/// What a file can see: its own package and the packages it imports.
pub(crate) struct Scope {
    pub package: PackageId,
    pub imports: Vec<PackageId>,
}

/// State shared by the passes.
pub(crate) struct Checker<'a> {
    pub loaded: &'a Loaded,
    pub options: &'a Options,
    pub diagnostics: Vec<Diagnostic>,
    pub items: Vec<ItemEntry<'a>>,
    pub packages: Vec<PackageEntry>,
    pub scopes: HashMap<FileId, Scope>,
    /// `(package, name)` to item.
    pub names: HashMap<(PackageId, &'a str), ItemId>,
    /// Values of the constants that evaluated.
    pub const_values: HashMap<ItemId, model::ConstValue>,
    /// Laid-out types, by item.
    pub type_defs: HashMap<ItemId, model::TypeDef>,
    /// Checked services, by item.
    pub services: HashMap<ItemId, model::Service>,
}

/// Names an item may not take: they would be hidden by built-in types or literals.
const RESERVED_ITEM_NAMES: [&str; 17] = [
    "bool", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "string", "bytes",
    "vec", "optional", "true", "false",
];

/// Checks the loaded files; returns the model when no file has an error.
pub(crate) fn check(loaded: &Loaded, options: &Options) -> (Option<Model>, Vec<Diagnostic>) {
    let mut checker = Checker {
        loaded,
        options,
        diagnostics: Vec::new(),
        items: Vec::new(),
        packages: Vec::new(),
        scopes: HashMap::new(),
        names: HashMap::new(),
        const_values: HashMap::new(),
        type_defs: HashMap::new(),
        services: HashMap::new(),
    };
    checker.register();
    checker.evaluate_consts();
    checker.check_types();
    checker.check_services();
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.append(&mut checker.diagnostics);
    diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.code));
    if !diagnostics.is_empty() {
        return (None, diagnostics);
    }
    (Some(checker.into_model()), diagnostics)
}

impl<'a> Checker<'a> {
    /// Reports a diagnostic.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The package an item belongs to.
    pub fn package_of(&self, id: ItemId) -> &str {
        &self.packages[self.items[id].package].name
    }

    /// `package.Name` of an item.
    pub fn qualified_name(&self, id: ItemId) -> String {
        format!("{}.{}", self.package_of(id), self.items[id].item.name.text)
    }

    /// Registers packages, scopes and item names; checks package and item names.
    fn register(&mut self) {
        let loaded = self.loaded;
        let parsed: Vec<FileId> = loaded
            .order
            .iter()
            .copied()
            .filter(|id| loaded.files.contains_key(id))
            .collect();
        let mut package_of_file = HashMap::new();
        for &file in &parsed {
            let ast = &loaded.files[&file].ast;
            self.check_package_name(&ast.package);
            let package = match self
                .packages
                .iter()
                .position(|p| p.name == ast.package.text)
            {
                Some(package) => package,
                None => {
                    self.packages.push(PackageEntry {
                        name: ast.package.text.clone(),
                        files: Vec::new(),
                        docs: String::new(),
                    });
                    self.packages.len() - 1
                }
            };
            let entry = &mut self.packages[package];
            entry.files.push(file);
            if entry.docs.is_empty() {
                entry.docs = ast.docs.text();
            }
            package_of_file.insert(file, package);
        }
        for &file in &parsed {
            let loaded_file = &loaded.files[&file];
            let package = package_of_file[&file];
            let mut imports: Vec<PackageId> = loaded_file
                .imports
                .iter()
                .flatten()
                .filter_map(|target| package_of_file.get(target).copied())
                .filter(|&imported| imported != package)
                .collect();
            imports.sort_unstable();
            imports.dedup();
            self.scopes.insert(file, Scope { package, imports });
            for item in &loaded_file.ast.items {
                self.register_item(file, package, item);
            }
        }
    }

    fn check_package_name(&mut self, package: &Ident) {
        let valid = package.text.split('.').all(|segment| {
            segment.starts_with(|c: char| c.is_ascii_lowercase())
                && segment
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        });
        if !valid {
            let suggestion = package.text.to_ascii_lowercase();
            self.report(
                Diagnostic::error(Code::InvalidPackageName, package.span, format!("package name `{}` is not a dotted lowercase path", package.text))
                    .with_label("each segment starts with a lowercase letter and holds only `a-z`, `0-9` and `_`")
                    .with_help(format!("write `package {suggestion};`")),
            );
        }
    }

    fn register_item(&mut self, file: FileId, package: PackageId, item: &'a Item) {
        let name = item.name.text.as_str();
        if RESERVED_ITEM_NAMES.contains(&name) {
            self.report(
                Diagnostic::error(
                    Code::ReservedName,
                    item.name.span,
                    format!(
                        "`{name}` is a built-in name and cannot name a {}",
                        item.kind.keyword()
                    ),
                )
                .with_label("reserved")
                .with_help(format!(
                    "choose another name, such as `{}{}`",
                    name[..1].to_ascii_uppercase(),
                    &name[1..]
                )),
            );
            return;
        }
        let id = self.items.len();
        if let Some(&first) = self.names.get(&(package, name)) {
            let first_span = self.items[first].item.name.span;
            self.report(duplicate(
                "item",
                name,
                item.name.span,
                first_span,
                &format!("in package `{}`", self.packages[package].name),
            ));
            return;
        }
        self.items.push(ItemEntry {
            file,
            package,
            item,
        });
        self.names.insert((package, name), id);
    }

    /// Checks that no two of `names` are equal; reports each repetition.
    pub fn check_unique<'n>(
        &mut self,
        what: &str,
        context: &str,
        names: impl IntoIterator<Item = &'n Ident>,
    ) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for name in names {
            match seen.get(name.text.as_str()) {
                Some(&first) => {
                    let diagnostic = duplicate(what, &name.text, name.span, first, context);
                    self.report(diagnostic);
                }
                None => {
                    seen.insert(&name.text, name.span);
                }
            }
        }
    }

    fn into_model(mut self) -> Model {
        let mut packages: Vec<model::Package> = self
            .packages
            .iter()
            .map(|package| model::Package {
                name: package.name.clone(),
                docs: package.docs.clone(),
                files: package
                    .files
                    .iter()
                    .map(|&file| self.loaded.sources.path(file).display().to_string())
                    .collect(),
                consts: Vec::new(),
                types: Vec::new(),
                services: Vec::new(),
            })
            .collect();
        for (id, entry) in self.items.iter().enumerate() {
            let package = &mut packages[entry.package];
            match &entry.item.kind {
                ItemKind::Const(decl) => package.consts.push(model::Const {
                    name: entry.item.name.text.clone(),
                    docs: entry.item.docs.text(),
                    ty: scalar_of(&decl.ty).expect("checked const type"),
                    value: self.const_values[&id],
                }),
                ItemKind::Service(_) => package
                    .services
                    .push(self.services.remove(&id).expect("checked service")),
                _ => package
                    .types
                    .push(self.type_defs.remove(&id).expect("laid-out type")),
            }
        }
        Model {
            packages,
            max_message_size: self.options.max_message_size,
        }
    }
}

/// The scalar a type reference names, if it names one.
pub(crate) fn scalar_of(ty: &ast::TypeRef) -> Option<ast::Scalar> {
    match ty.kind {
        ast::TypeRefKind::Scalar(scalar) => Some(scalar),
        _ => None,
    }
}

/// The diagnostic for a name declared twice.
pub(crate) fn duplicate(
    what: &str,
    name: &str,
    second: Span,
    first: Span,
    context: &str,
) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateName,
        second,
        format!("{what} `{name}` is declared twice {context}"),
    )
    .with_label("declared again here")
    .with_secondary(first, "first declared here")
    .with_help(format!("rename or remove one of the two `{name}`"))
}
