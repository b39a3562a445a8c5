//! Writing generated files: only those whose content changed, so that build systems and
//! editors watching the folder see no needless change.

use std::io;
use std::path::{Path, PathBuf};

use crate::GeneratedFile;

/// What happened to one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// The file did not exist and was created.
    Created,
    /// The file existed with other content and was rewritten.
    Updated,
    /// The file already had this content and was not touched.
    Unchanged,
}

/// Writes `files` below `folder` (created if missing), skipping files whose content is
/// already right. Returns each file's full path and what happened to it.
pub fn write_files(folder: &Path, files: &[GeneratedFile]) -> io::Result<Vec<(PathBuf, Written)>> {
    std::fs::create_dir_all(folder)?;
    files
        .iter()
        .map(|file| {
            let path = folder.join(&file.path);
            let outcome = match std::fs::read(&path) {
                Ok(existing) if existing == file.contents.as_bytes() => Written::Unchanged,
                Ok(_) => Written::Updated,
                Err(error) if error.kind() == io::ErrorKind::NotFound => Written::Created,
                Err(error) => return Err(error),
            };
            if outcome != Written::Unchanged {
                // Write beside the target and rename, so a reader never sees half a file.
                let partial = path.with_extension("partial");
                std::fs::write(&partial, &file.contents)?;
                std::fs::rename(&partial, &path)?;
                log::info!(
                    "{} {}",
                    if outcome == Written::Created {
                        "created"
                    } else {
                        "updated"
                    },
                    path.display()
                );
            }
            Ok((path, outcome))
        })
        .collect()
}

/// The files below `folder` that are missing or differ from `files` (for `--check`).
pub fn stale_files(folder: &Path, files: &[GeneratedFile]) -> io::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for file in files {
        let path = folder.join(&file.path);
        match std::fs::read(&path) {
            Ok(existing) if existing == file.contents.as_bytes() => {}
            Ok(_) => stale.push(path),
            Err(error) if error.kind() == io::ErrorKind::NotFound => stale.push(path),
            Err(error) => return Err(error),
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_what_changed() {
        let folder = std::env::temp_dir().join(format!("interop-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let file = |contents: &str| GeneratedFile {
            path: "a.h".into(),
            contents: contents.to_owned(),
        };
        assert_eq!(stale_files(&folder, &[file("one")]).unwrap().len(), 1);
        assert_eq!(
            write_files(&folder, &[file("one")]).unwrap()[0].1,
            Written::Created
        );
        assert_eq!(
            write_files(&folder, &[file("one")]).unwrap()[0].1,
            Written::Unchanged
        );
        assert!(stale_files(&folder, &[file("one")]).unwrap().is_empty());
        assert_eq!(
            write_files(&folder, &[file("two")]).unwrap()[0].1,
            Written::Updated
        );
        assert_eq!(std::fs::read_to_string(folder.join("a.h")).unwrap(), "two");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
