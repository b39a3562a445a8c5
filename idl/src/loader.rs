//! Loads schema files and, transitively, everything they import; refuses import cycles.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::ast::SchemaFile;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{normalize, FileId, SourceLoader, SourceMap, Span};
use crate::{graph, parser};

/// A parsed file and the files its imports name.
#[derive(Debug)]
pub(crate) struct LoadedFile {
    /// The syntax tree.
    pub ast: SchemaFile,
    /// For each import, in order, the file it names (`None` if it could not be loaded).
    pub imports: Vec<Option<FileId>>,
}

/// Every file reached from the roots.
pub(crate) struct Loaded {
    /// The text of every file read (also the ones that failed to parse).
    pub sources: SourceMap,
    /// The files that parsed, by file id.
    pub files: HashMap<FileId, LoadedFile>,
    /// File ids in load order: roots first, then imports breadth-first.
    pub order: Vec<FileId>,
    /// What went wrong while reading and parsing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and parses `roots` and every file they import, each file once.
pub(crate) fn load(roots: &[PathBuf], loader: &dyn SourceLoader) -> Loaded {
    let mut loaded = Loaded {
        sources: SourceMap::new(),
        files: HashMap::new(),
        order: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut by_canonical: HashMap<PathBuf, FileId> = HashMap::new();
    let mut queue: Vec<FileId> = Vec::new();
    for root in roots {
        let canonical = loader.canonical(root);
        if by_canonical.contains_key(&canonical) {
            continue;
        }
        let id = read(&mut loaded, loader, root.clone(), None);
        by_canonical.insert(canonical, id);
        queue.push(id);
    }
    let mut next = 0;
    while next < queue.len() {
        let id = queue[next];
        next += 1;
        let Some(file) = loaded.files.get(&id) else {
            continue;
        };
        let requests: Vec<(PathBuf, Span)> = file
            .ast
            .imports
            .iter()
            .map(|import| {
                (
                    import_path(loaded.sources.path(id), &import.path),
                    import.span,
                )
            })
            .collect();
        let mut targets = Vec::with_capacity(requests.len());
        for (path, span) in requests {
            let canonical = loader.canonical(&path);
            let target = match by_canonical.get(&canonical) {
                Some(&target) => target,
                None => {
                    let target = read(&mut loaded, loader, path, Some(span));
                    by_canonical.insert(canonical, target);
                    queue.push(target);
                    target
                }
            };
            targets.push(loaded.files.contains_key(&target).then_some(target));
        }
        loaded.files.get_mut(&id).expect("file parsed").imports = targets;
    }
    loaded.order = queue;
    report_cycles(&mut loaded);
    loaded
}

/// The path an import names: relative to the importing file's folder.
fn import_path(importer: &Path, imported: &str) -> PathBuf {
    normalize(&importer.parent().unwrap_or(Path::new("")).join(imported))
}

/// Reads and parses one file, recording it in the source map whatever happens.
fn read(
    loaded: &mut Loaded,
    loader: &dyn SourceLoader,
    path: PathBuf,
    from: Option<Span>,
) -> FileId {
    let bytes = match loader.read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let shown = path.display().to_string();
            let id = loaded.sources.add(path, String::new());
            let diagnostic = match from {
                Some(span) => Diagnostic::error(
                    Code::Io,
                    span,
                    format!("cannot read imported file `{shown}`: {error}"),
                )
                .with_label("imported here")
                .with_help("import paths are relative to the folder of the importing file"),
                None => Diagnostic::error(
                    Code::Io,
                    Span::new(id, 0..0),
                    format!("cannot read `{shown}`: {error}"),
                )
                .with_help("check the path and the file's permissions"),
            };
            loaded.diagnostics.push(diagnostic);
            return id;
        }
    };
    let (text, invalid_at) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(error.as_bytes()).into_owned(),
                Some(at),
            )
        }
    };
    let id = loaded.sources.add(path, blank_byte_order_mark(text));
    if let Some(at) = invalid_at {
        loaded.diagnostics.push(
            Diagnostic::error(
                Code::InvalidUtf8,
                Span::new(id, at..at + 1),
                "file is not valid UTF-8",
            )
            .with_label("invalid byte sequence here")
            .with_help("save the file as UTF-8"),
        );
        return id;
    }
    match parser::parse(id, loaded.sources.text(id)) {
        Ok(ast) => {
            log::debug!(
                "parsed {} ({} items)",
                loaded.sources.path(id).display(),
                ast.items.len()
            );
            loaded.files.insert(
                id,
                LoadedFile {
                    ast,
                    imports: Vec::new(),
                },
            );
        }
        Err(diagnostic) => loaded.diagnostics.push(diagnostic),
    }
    id
}

/// Replaces a leading UTF-8 byte-order mark, which some editors write, by three spaces: the
/// grammar then needs no rule for it and every offset stays as in the file.
fn blank_byte_order_mark(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}"),
        None => text,
    }
}

/// Reports each import cycle at the import that closes it.
fn report_cycles(loaded: &mut Loaded) {
    let count = loaded.sources.len();
    let mut successors = vec![Vec::new(); count];
    for (id, file) in &loaded.files {
        successors[id.0 as usize] = file
            .imports
            .iter()
            .flatten()
            .map(|target| target.0 as usize)
            .collect();
    }
    let cycles = graph::order(&successors).cycles;
    if cycles.is_empty() {
        // Without a cycle of files there may still be one of packages, whose files import
        // each other's siblings; generated code (one file per package) could not compile.
        report_package_cycles(loaded);
        return;
    }
    for cycle in cycles {
        let ids: Vec<FileId> = cycle.iter().map(|&index| FileId(index as u32)).collect();
        let last = *ids.last().expect("cycles are not empty");
        let closing = &loaded.files[&last];
        let position = closing
            .imports
            .iter()
            .position(|target| *target == Some(ids[0]))
            .expect("edge exists");
        let span = closing.ast.imports[position].span;
        let names: Vec<String> = ids
            .iter()
            .chain(std::iter::once(&ids[0]))
            .map(|id| format!("`{}`", loaded.sources.path(*id).display()))
            .collect();
        loaded.diagnostics.push(
            Diagnostic::error(
                Code::ImportCycle,
                span,
                format!("import cycle: {}", names.join(" → ")),
            )
            .with_label("this import closes the cycle")
            .with_help("move the declarations both files need into a third file that each imports"),
        );
    }
}

/// Reports each cycle of packages (through imports between files of different packages) at
/// the import that closes it, with the other imports of the cycle as related places.
fn report_package_cycles(loaded: &mut Loaded) {
    let mut packages: Vec<&str> = Vec::new();
    let mut package_of: HashMap<FileId, usize> = HashMap::new();
    for id in &loaded.order {
        if let Some(file) = loaded.files.get(id) {
            let name = file.ast.package.text.as_str();
            let index = packages.iter().position(|p| *p == name).unwrap_or_else(|| {
                packages.push(name);
                packages.len() - 1
            });
            package_of.insert(*id, index);
        }
    }
    let mut successors = vec![Vec::new(); packages.len()];
    let mut edge_import: HashMap<(usize, usize), Span> = HashMap::new();
    for id in &loaded.order {
        let Some(file) = loaded.files.get(id) else {
            continue;
        };
        let from = package_of[id];
        for (target, import) in file.imports.iter().zip(&file.ast.imports) {
            let Some(to) = target.and_then(|target| package_of.get(&target).copied()) else {
                continue;
            };
            if to != from && !successors[from].contains(&to) {
                successors[from].push(to);
                edge_import.insert((from, to), import.span);
            }
        }
    }
    let mut found = Vec::new();
    for cycle in graph::order(&successors).cycles {
        let steps: Vec<(usize, usize)> = (0..cycle.len())
            .map(|i| (cycle[i], cycle[(i + 1) % cycle.len()]))
            .collect();
        let names: Vec<String> = cycle
            .iter()
            .chain(std::iter::once(&cycle[0]))
            .map(|&p| format!("`{}`", packages[p]))
            .collect();
        let (last, first) = *steps.last().expect("cycles are not empty");
        let mut diagnostic = Diagnostic::error(
            Code::ImportCycle,
            edge_import[&(last, first)],
            format!("packages import each other in a circle: {}", names.join(" → ")),
        )
        .with_label(format!("package `{}` imports `{}` here, closing the circle", packages[last], packages[first]))
        .with_help("code is generated one file per package, so packages cannot depend on each other in a circle: move the shared declarations into a package that both import");
        for &(from, to) in &steps[..steps.len() - 1] {
            diagnostic = diagnostic.with_secondary(
                edge_import[&(from, to)],
                format!(
                    "package `{}` imports `{}` here",
                    packages[from], packages[to]
                ),
            );
        }
        found.push(diagnostic);
    }
    loaded.diagnostics.extend(found);
}
