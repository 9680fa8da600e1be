//! Writing the files a run leaves: `--output` reports, and the files GitHub Actions names in
//! `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT`.

use std::io::Write;
use std::path::Path;

/// Writes `text` to a new file beside `path`, then renames it over `path`: a symlink at `path`
/// (which a pull request can commit where a report goes) is replaced, never followed.
pub fn replacing(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let temporary = dir.unwrap_or(Path::new(".")).join(format!(
        ".{}.privdiff-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}

/// Appends `text` to the file an Actions variable names; nothing when it is unset (so the same
/// command runs unchanged outside Actions).
pub fn append_to_env_file(variable: &str, text: &str) -> anyhow::Result<()> {
    let Some(path) = std::env::var_os(variable).filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| anyhow::anyhow!("cannot write to the file named by {variable}: {e}"))
}
