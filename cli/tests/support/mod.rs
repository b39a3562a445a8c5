//! What the command-line tests share: running the real binary, and files to run it on.

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `interopc` with `args`, without colors.
pub fn interopc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interopc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("interopc runs")
}

/// Output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// `contents` written as `file` in the folder `folder` under the target directory.
pub fn write_file(folder: &str, file: &str, contents: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(file);
    std::fs::write(&path, contents).unwrap();
    path
}
