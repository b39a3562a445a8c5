//! Name resolution: the file's own package first, then the packages it imports.

use std::path::Path;

use super::{Checker, ItemId, PackageId};
use crate::ast::{Ident, ItemKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::suggest;

/// What kind of item a name must denote where it is used.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// A struct, enum, flags or union.
    Type,
    /// A constant.
    Const,
}

impl Want {
    fn accepts(self, kind: &ItemKind) -> bool {
        match self {
            Want::Type => matches!(
                kind,
                ItemKind::Struct(_) | ItemKind::Enum(_) | ItemKind::Flags(_) | ItemKind::Union(_)
            ),
            Want::Const => matches!(kind, ItemKind::Const(_)),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Want::Type => "a type",
            Want::Const => "a constant",
        }
    }
}

impl Checker<'_> {
    /// Resolves `name` as used in `file`; reports and returns `None` when it cannot.
    pub fn resolve(&mut self, file: FileId, name: &Ident, want: Want) -> Option<ItemId> {
        let found = match name.text.rsplit_once('.') {
            Some((package, simple)) => self.resolve_qualified(file, name, package, simple, want)?,
            None => self.resolve_unqualified(file, name, want)?,
        };
        let kind = &self.items[found].item.kind;
        if want.accepts(kind) {
            return Some(found);
        }
        let diagnostic = Diagnostic::error(
            Code::WrongKind,
            name.span,
            format!(
                "`{}` is {} {}, but {} is expected here",
                name.text,
                article(kind.keyword()),
                kind.keyword(),
                want.noun()
            ),
        )
        .with_label(format!("expected {}", want.noun()))
        .with_secondary(
            self.items[found].item.name.span,
            format!("`{}` is declared here", name.text),
        );
        let diagnostic = match (want, kind) {
            (Want::Const, ItemKind::Enum(_) | ItemKind::Flags(_)) => diagnostic
                .with_help("constant expressions use integer literals and constants; declare a `const` for this value"),
            (Want::Const, _) => diagnostic.with_help("use an integer literal or the name of a `const`"),
            (Want::Type, _) => diagnostic.with_help("use a struct, enum, flags or union here"),
        };
        self.report(diagnostic);
        None
    }

    fn resolve_qualified(
        &mut self,
        file: FileId,
        name: &Ident,
        package: &str,
        simple: &str,
        want: Want,
    ) -> Option<ItemId> {
        let Some(package_id) = self.packages.iter().position(|p| p.name == package) else {
            let known: Vec<&str> = self.packages.iter().map(|p| p.name.as_str()).collect();
            let diagnostic = Diagnostic::error(
                Code::UndefinedName,
                name.span,
                format!("no package `{package}` is loaded"),
            )
            .with_label("unknown package");
            let diagnostic = match suggest::closest(package, known.iter().copied()) {
                Some(close) => diagnostic.with_help(format!("did you mean `{close}.{simple}`?")),
                None => diagnostic.with_help(format!(
                    "import the file that declares `package {package};`"
                )),
            };
            self.report(diagnostic);
            return None;
        };
        let scope = &self.scopes[&file];
        if package_id != scope.package && !scope.imports.contains(&package_id) {
            let import = self.import_hint(file, package_id);
            self.report(
                Diagnostic::error(
                    Code::PackageNotImported,
                    name.span,
                    format!("package `{package}` is not imported by this file"),
                )
                .with_label("used here without an import")
                .with_help(format!("add `import \"{import}\";` below the package line")),
            );
            return None;
        }
        match self.names.get(&(package_id, simple)) {
            Some(&found) => Some(found),
            None => {
                let candidates = self.visible_names(&[package_id], want);
                self.report_undefined(name, simple, &candidates, want, file);
                None
            }
        }
    }

    fn resolve_unqualified(&mut self, file: FileId, name: &Ident, want: Want) -> Option<ItemId> {
        let scope = &self.scopes[&file];
        if let Some(&found) = self.names.get(&(scope.package, name.text.as_str())) {
            return Some(found);
        }
        let matches: Vec<ItemId> = scope
            .imports
            .iter()
            .filter_map(|&package| self.names.get(&(package, name.text.as_str())).copied())
            .collect();
        match matches.as_slice() {
            [found] => Some(*found),
            [] => {
                let mut visible = vec![scope.package];
                visible.extend(&scope.imports);
                let candidates = self.visible_names(&visible, want);
                self.report_undefined(name, &name.text, &candidates, want, file);
                None
            }
            several => {
                let qualified: Vec<String> = several
                    .iter()
                    .map(|&id| format!("`{}`", self.qualified_name(id)))
                    .collect();
                let mut diagnostic = Diagnostic::error(
                    Code::AmbiguousName,
                    name.span,
                    format!(
                        "`{}` is ambiguous: it is declared in {}",
                        name.text,
                        qualified.join(" and ")
                    ),
                )
                .with_label("ambiguous name")
                .with_help(format!(
                    "qualify it with its package, such as {}",
                    qualified[0]
                ));
                for &id in several {
                    diagnostic = diagnostic.with_secondary(
                        self.items[id].item.name.span,
                        format!("`{}` is declared here", self.qualified_name(id)),
                    );
                }
                self.report(diagnostic);
                None
            }
        }
    }

    /// Names of the wanted kind declared in `packages`.
    fn visible_names(&self, packages: &[PackageId], want: Want) -> Vec<String> {
        self.names
            .iter()
            .filter(|((package, _), &id)| {
                packages.contains(package) && want.accepts(&self.items[id].item.kind)
            })
            .map(|((_, name), _)| name.to_string())
            .collect()
    }

    fn report_undefined(
        &mut self,
        name: &Ident,
        simple: &str,
        candidates: &[String],
        want: Want,
        file: FileId,
    ) {
        let noun = match want {
            Want::Type => "type",
            Want::Const => "constant",
        };
        let diagnostic = Diagnostic::error(
            Code::UndefinedName,
            name.span,
            format!("cannot find {noun} `{}`", name.text),
        )
        .with_label(format!("not found in {}", self.scope_description(file)));
        let mut elsewhere: Vec<(PackageId, ItemId)> = self
            .names
            .iter()
            .filter(|((_, candidate), &id)| {
                *candidate == simple && want.accepts(&self.items[id].item.kind)
            })
            .map(|(&(package, _), &id)| (package, id))
            .collect();
        elsewhere.sort_unstable();
        let help =
            if let Some(close) = suggest::closest(simple, candidates.iter().map(String::as_str)) {
                format!("did you mean `{close}`?")
            } else if let Some(&(package, _)) = elsewhere.first() {
                format!(
                    "`{simple}` is declared in package `{}`: add `import \"{}\";`",
                    self.packages[package].name,
                    self.import_hint(file, package)
                )
            } else if let Some(container) = container_hint(simple) {
                container.to_owned()
            } else {
                format!("declare `{simple}`, or import the file that declares it")
            };
        self.report(diagnostic.with_help(help));
    }

    fn scope_description(&self, file: FileId) -> String {
        let scope = &self.scopes[&file];
        let own = &self.packages[scope.package].name;
        if scope.imports.is_empty() {
            format!("package `{own}`")
        } else {
            format!("package `{own}` or its imports")
        }
    }

    /// The path to import `package` from `file`: relative when both share a folder.
    fn import_hint(&self, file: FileId, package: PackageId) -> String {
        let target = self.loaded.sources.path(self.packages[package].files[0]);
        let here = self
            .loaded
            .sources
            .path(file)
            .parent()
            .unwrap_or(Path::new(""));
        target
            .strip_prefix(here)
            .unwrap_or(target)
            .display()
            .to_string()
    }
}

/// `a` or `an`, as English wants before `word`.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// A hint when a container keyword is used without its arguments.
fn container_hint(name: &str) -> Option<&'static str> {
    Some(match name {
        "string" => "a string needs its capacity in bytes: `string<32>`",
        "bytes" => "bytes need their capacity: `bytes<64>`",
        "vec" => "a vec needs its element type and capacity: `vec<u32, 16>`",
        "optional" => "an optional needs its value type: `optional<f32>`",
        _ => return None,
    })
}
