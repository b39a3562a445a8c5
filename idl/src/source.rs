//! Source files, their identifiers and byte spans, and where their text comes from.

use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use codespan_reporting::files::{self, Files, SimpleFile};

/// Identifies one loaded source file within a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub(crate) u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range belongs to.
    pub file: FileId,
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span covering `range` in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: saturate(range.start),
            end: saturate(range.end),
        }
    }

    /// The byte range as `usize` offsets.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both `self` and `other` (same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

fn saturate(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// A one-based line and column (in characters) of a byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineColumn {
    /// One-based line number.
    pub line: usize,
    /// One-based column number, counted in characters.
    pub column: usize,
}

/// Every source file of one compilation, with its display name and text.
///
/// Files whose bytes are not valid UTF-8 are kept with the invalid sequences replaced, so that
/// diagnostics about them can still show the line in question.
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SimpleFile<String, String>>,
    paths: Vec<PathBuf>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its identifier.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 2^32 files"));
        self.files
            .push(SimpleFile::new(path.display().to_string(), text));
        self.paths.push(path);
        id
    }

    /// The path a file was loaded from.
    pub fn path(&self, file: FileId) -> &Path {
        &self.paths[file.0 as usize]
    }

    /// The text of a file.
    pub fn text(&self, file: FileId) -> &str {
        self.files[file.0 as usize].source()
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.text(span.file).get(span.range()).unwrap_or("")
    }

    /// The line and column where a byte offset of a file lies.
    pub fn line_column(&self, file: FileId, offset: usize) -> LineColumn {
        let text = self.text(file);
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        LineColumn {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// Number of files loaded.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, files::Error> {
        Ok(self.get(id)?.name().clone())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        Ok(self.get(id)?.source().as_str())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, files::Error> {
        self.get(id)?.line_index((), byte_index)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        self.get(id)?.line_range((), line_index)
    }
}

impl SourceMap {
    fn get(&self, id: FileId) -> Result<&SimpleFile<String, String>, files::Error> {
        self.files
            .get(id.0 as usize)
            .ok_or(files::Error::FileMissing)
    }
}

/// Where schema text comes from: the file system, or memory for tests and tools.
pub trait SourceLoader {
    /// Reads the whole file at `path`.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// The canonical form of `path`, so that one file reached by two paths is loaded once.
    fn canonical(&self, path: &Path) -> PathBuf {
        normalize(path)
    }
}

/// Reads schema files from disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskLoader;

impl SourceLoader for DiskLoader {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        // A file that does not exist keeps its lexical form; reading it reports the error.
        std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
    }
}

/// Serves schema files from memory, keyed by their (normalized) path.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    files: HashMap<PathBuf, Vec<u8>>,
}

impl MemoryLoader {
    /// An empty set of files.
    pub fn new() -> MemoryLoader {
        MemoryLoader::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> &mut Self {
        self.files.insert(normalize(path.as_ref()), contents.into());
        self
    }
}

impl SourceLoader for MemoryLoader {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }
}

/// Removes `.` components and folds `..` into the preceding component, without touching disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_from_one() {
        let mut map = SourceMap::new();
        let file = map.add("a.idl".into(), "ab\nçd e".into());
        assert_eq!(map.line_column(file, 0), LineColumn { line: 1, column: 1 });
        assert_eq!(map.line_column(file, 3), LineColumn { line: 2, column: 1 });
        // `ç` is two bytes but one column.
        assert_eq!(map.line_column(file, 5), LineColumn { line: 2, column: 2 });
    }

    #[test]
    fn normalize_folds_dots() {
        assert_eq!(
            normalize(Path::new("a/./b/../c.idl")),
            PathBuf::from("a/c.idl")
        );
        assert_eq!(normalize(Path::new("../x.idl")), PathBuf::from("../x.idl"));
    }
}
