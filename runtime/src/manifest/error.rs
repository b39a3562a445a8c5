//! What is wrong with a manifest: every problem found, each with its place in the file, the
//! line it is on and a hint to fix it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A line and a column in a manifest, both counted from 1; columns count characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

/// A place in a manifest file: `manifest.toml:31:1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The manifest file, as it was given.
    pub path: PathBuf,
    /// Where in it.
    pub position: Position,
}

/// One thing wrong with a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The manifest file, as it was given.
    pub path: PathBuf,
    /// Where in the file; `None` when the file could not be read at all.
    pub position: Option<Position>,
    /// What is wrong, as a sentence without a final period.
    pub message: String,
    /// How to fix it, one suggestion each.
    pub hints: Vec<String>,
    /// The line of the file the problem is on, to show under the message.
    pub source_line: Option<String>,
    /// How many characters from `position.column` on the problem covers (at least 1).
    pub width: usize,
}

/// Every problem found in a manifest, in the order of their positions.
///
/// Displays like a compiler: `path:line:col: error: message`, the source line with a caret
/// under the spot, then `  hint: ...` lines; problems are separated by a blank line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    problems: Vec<Problem>,
}

impl ManifestError {
    /// The problems, at least one, ordered by position.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// A manifest file that could not be read.
    pub(super) fn unreadable(path: &Path, error: &std::io::Error) -> ManifestError {
        ManifestError {
            problems: vec![Problem {
                path: path.to_owned(),
                position: None,
                message: format!("cannot read the manifest: {error}"),
                hints: vec!["check the path and that the file is readable".to_owned()],
                source_line: None,
                width: 1,
            }],
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.position)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(position) => write!(f, "{}:{position}: ", self.path.display())?,
            None => write!(f, "{}: ", self.path.display())?,
        }
        writeln!(f, "error: {}", self.message)?;
        if let (Some(position), Some(line)) = (self.position, &self.source_line) {
            let number = position.line.to_string();
            let gutter = " ".repeat(number.len());
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{number} | {line}")?;
            let indent: String = line
                .chars()
                .take(position.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{gutter} | {indent}{}", "^".repeat(self.width))?;
        }
        for hint in &self.hints {
            writeln!(f, "  hint: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            problem.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for ManifestError {}

/// The manifest's text, to turn byte spans into lines and columns.
pub(super) struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Source<'_> {
    /// The line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset);
        let before = &self.text[..offset];
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// `manifest.toml:31:1` for byte `offset`.
    pub fn location(&self, offset: usize) -> Location {
        Location {
            path: self.path.to_owned(),
            position: self.position(offset),
        }
    }

    /// The line holding byte `offset`, without its line break.
    fn line_at(&self, offset: usize) -> &str {
        let offset = floor_char_boundary(self.text, offset);
        let start = self.text[..offset]
            .rfind('\n')
            .map_or(0, |newline| newline + 1);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |newline| offset + newline);
        self.text[start..end].trim_end_matches('\r')
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Collects the problems of one manifest as the checks find them.
pub(super) struct Problems<'a> {
    source: &'a Source<'a>,
    found: Vec<Problem>,
}

impl<'a> Problems<'a> {
    pub fn new(source: &'a Source<'a>) -> Problems<'a> {
        Problems {
            source,
            found: Vec::new(),
        }
    }

    /// A problem at `span` (bytes of the manifest's text).
    pub fn report(&mut self, span: Range<usize>, message: String, hints: Vec<String>) {
        let position = self.source.position(span.start);
        let line = self.source.line_at(span.start);
        let text = self.source.text;
        let start = floor_char_boundary(text, span.start);
        let line_end = text[start..]
            .find('\n')
            .map_or(text.len(), |newline| start + newline);
        let end = floor_char_boundary(text, span.end.clamp(start, line_end));
        let covered = text[start..end].chars().count();
        self.found.push(Problem {
            path: self.source.path.to_owned(),
            position: Some(position),
            message,
            hints,
            source_line: Some(line.to_owned()),
            width: covered.max(1),
        });
    }

    /// `manifest.toml:31:1` for byte `offset`, to point at a related place in a hint.
    pub fn location(&self, offset: usize) -> Location {
        self.source.location(offset)
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The problems found, ordered by position.
    pub fn into_error(mut self) -> ManifestError {
        self.found.sort_by_key(|problem| problem.position);
        ManifestError {
            problems: self.found,
        }
    }
}
