//! Which files of a module directory Terraform reads, and reading one of them safely.
//!
//! Sources come from the pull request under review, so a file may be huge, may be a symbolic
//! link to a device or to itself, or may not be text: each of these is a reason to skip it,
//! never to fail or hang.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

/// Files larger than this are skipped: no hand-written configuration comes near it, and
/// parsing a generated one could take seconds.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Hcl,
    Json,
}

/// A configuration file directly inside a module directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub syntax: Syntax,
    /// `override.tf` or `*_override.tf`: merged into a block declared elsewhere, so the other
    /// file is where the block lives.
    pub is_override: bool,
}

/// The configuration files directly in `dir`, sorted by name, as Terraform (and OpenTofu)
/// choose them: `.tf` and `.tf.json` (and OpenTofu's `.tofu` and `.tofu.json`, which replace a
/// `.tf` file of the same stem), without editor and hidden files. Subdirectories are not read:
/// Terraform does not recurse. Err when `dir` cannot be listed.
pub fn source_files(dir: &Path) -> io::Result<Vec<SourceFile>> {
    let mut names: Vec<String> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        // Non-UTF-8 names cannot end in `.tf` as Terraform spells it; skip them.
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if split_ext(&name).is_some() && !is_ignored(&name) {
            names.push(name);
        }
    }
    names.sort();
    let present: std::collections::HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for name in &names {
        let Some((stem, ext)) = split_ext(name) else {
            continue;
        };
        let replaced_by_tofu = match ext {
            ".tf" => present.contains(format!("{stem}.tofu").as_str()),
            ".tf.json" => present.contains(format!("{stem}.tofu.json").as_str()),
            _ => false,
        };
        // Directories named like sources are not sources; anything else is reported by `read`.
        if replaced_by_tofu || dir.join(name).is_dir() {
            continue;
        }
        out.push(SourceFile {
            name: name.clone(),
            syntax: if ext.ends_with(".json") {
                Syntax::Json
            } else {
                Syntax::Hcl
            },
            is_override: stem == "override" || stem.ends_with("_override"),
        });
    }
    Ok(out)
}

/// `name` split into stem and configuration extension, if it has one.
fn split_ext(name: &str) -> Option<(&str, &'static str)> {
    [".tf.json", ".tofu.json", ".tf", ".tofu"]
        .into_iter()
        .find_map(|ext| Some((name.strip_suffix(ext)?, ext)))
        .filter(|(stem, _)| !stem.is_empty())
}

/// Files Terraform ignores although their extension matches: hidden files and editor backups
/// (`configs.IsIgnoredFile`).
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    TooLarge,
    NotAFile,
    NotUtf8,
    Io(io::ErrorKind),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::TooLarge => write!(f, "larger than {} MiB", MAX_FILE_BYTES >> 20),
            Unreadable::NotAFile => write!(f, "not a regular file"),
            Unreadable::NotUtf8 => write!(f, "not UTF-8 text"),
            // The kind, not the error: an OS error's text could name other paths.
            Unreadable::Io(kind) => write!(f, "cannot be read ({kind})"),
        }
    }
}

/// The text of the file at `path`, without a leading byte order mark. Follows symbolic links,
/// but only to a regular file of at most [`MAX_FILE_BYTES`] (a link loop is an I/O error).
pub fn read(path: &Path) -> Result<String, Unreadable> {
    let io = |e: io::Error| Unreadable::Io(e.kind());
    let meta = fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Unreadable::NotAFile);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Unreadable::TooLarge);
    }
    let mut bytes = Vec::new();
    // The limit again while reading: the file may have grown since `metadata`.
    File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Unreadable::TooLarge);
    }
    let mut text = String::from_utf8(bytes).map_err(|_| Unreadable::NotUtf8)?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::tests::TempDir;

    #[test]
    fn chooses_files_as_terraform_does() {
        let t = TempDir::new("files");
        for f in [
            "main.tf",
            "b.tf.json",
            "override.tf",
            "x_override.tf.json",
            "y.tofu",
            "y.tf",
            ".hidden.tf",
            "main.tf~",
            "#main.tf#",
            "notes.txt",
            ".tf",
            "tf",
        ] {
            t.write(f, "");
        }
        t.write("sub/inner.tf", "");
        t.write("dir.tf/x", "");
        let got: Vec<_> = source_files(t.path())
            .unwrap()
            .into_iter()
            .map(|f| (f.name, f.syntax, f.is_override))
            .collect();
        let s = |n: &str, j, o| (n.to_string(), j, o);
        assert_eq!(
            got,
            [
                s("b.tf.json", Syntax::Json, false),
                s("main.tf", Syntax::Hcl, false),
                s("override.tf", Syntax::Hcl, true),
                s("x_override.tf.json", Syntax::Json, true),
                s("y.tofu", Syntax::Hcl, false),
            ]
        );
        assert!(source_files(&t.path().join("absent")).is_err());
    }

    #[test]
    fn reads_only_small_regular_utf8_files() {
        let t = TempDir::new("read");
        t.write("bom.tf", "\u{FEFF}a = 1\n");
        assert_eq!(read(&t.path().join("bom.tf")).unwrap(), "a = 1\n");
        std::fs::write(t.path().join("bin.tf"), b"\xff\xfe").unwrap();
        assert_eq!(read(&t.path().join("bin.tf")), Err(Unreadable::NotUtf8));
        let big = File::create(t.path().join("big.tf")).unwrap();
        big.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert_eq!(read(&t.path().join("big.tf")), Err(Unreadable::TooLarge));
        assert_eq!(read(t.path()), Err(Unreadable::NotAFile));
        assert_eq!(
            read(&t.path().join("absent.tf")),
            Err(Unreadable::Io(io::ErrorKind::NotFound))
        );
        assert_eq!(Unreadable::TooLarge.to_string(), "larger than 10 MiB");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_and_devices_are_skipped() {
        let t = TempDir::new("links");
        std::os::unix::fs::symlink("loop.tf", t.path().join("loop.tf")).unwrap();
        assert!(matches!(
            read(&t.path().join("loop.tf")),
            Err(Unreadable::Io(_))
        ));
        std::os::unix::fs::symlink("/dev/zero", t.path().join("zero.tf")).unwrap();
        assert_eq!(read(&t.path().join("zero.tf")), Err(Unreadable::NotAFile));
    }
}
