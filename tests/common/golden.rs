// Golden files: text a test produces, compared with a file kept in the repository. With
// `PRIVDIFF_UPDATE_SNAPSHOTS` set, the files are rewritten instead, for review with `git diff`.
//
// One file for both kinds of test: the integration tests have it as `common::golden`, the unit
// tests in src/ as `crate::testing::golden` (src/lib.rs includes it once).
//
// (`include!` takes no inner attributes or `//!` comments, hence the plain comments here.)

use std::io::Write;
use std::path::Path;

/// Diff lines shown per file, and files shown with their diff, before the rest is summed up.
const DIFF_LINES: usize = 40;
const DIFF_FILES: usize = 5;

/// Compares `actual` with the golden file `path` (relative to the crate root); see [`check_all`].
pub fn check(path: &str, actual: &str) {
    check_all([(path, actual)]);
}

/// Compares each text with its golden file (a path relative to the crate root), and fails once
/// for all that differ, with a short diff of each and the command that rewrites them. With
/// `PRIVDIFF_UPDATE_SNAPSHOTS` set, writes the files that differ instead.
pub fn check_all<P: AsRef<str>, T: AsRef<str>>(files: impl IntoIterator<Item = (P, T)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("PRIVDIFF_UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for (path, actual) in files {
        let (path, actual) = (path.as_ref(), actual.as_ref());
        let file = root.join(path);
        let expected = std::fs::read_to_string(&file).ok();
        if expected.as_deref() == Some(actual) {
            continue;
        }
        if update {
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir).unwrap();
            }
            std::fs::write(&file, actual).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
            let _ = writeln!(std::io::stderr().lock(), "updated {path}");
            continue;
        }
        stale.push(match expected {
            Some(expected) => diff(path, &expected, actual),
            None => format!("{path} is absent\n"),
        });
    }
    if stale.is_empty() {
        return;
    }
    let shown = stale.len().min(DIFF_FILES);
    let mut message = format!(
        "{} golden file(s) differ from the output (- file, + output):\n\n{}",
        stale.len(),
        stale[..shown].join("\n")
    );
    if stale.len() > shown {
        message += &format!("\n... and {} more\n", stale.len() - shown);
    }
    message += &format!(
        "\nIf the new output is right, rewrite the files and review the diff:\n    {}\n",
        update_command()
    );
    panic!("{message}");
}

/// A unified diff of `expected` (the file) and `actual`, cut to [`DIFF_LINES`] lines.
fn diff(path: &str, expected: &str, actual: &str) -> String {
    let text = similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header(path, "output")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[..lines.len().min(DIFF_LINES)].join("\n");
    out.push('\n');
    if lines.len() > DIFF_LINES {
        out += &format!("... {} more diff lines\n", lines.len() - DIFF_LINES);
    }
    out
}

/// The command that reruns the running test with `PRIVDIFF_UPDATE_SNAPSHOTS` set: a unit test
/// (this file included into the library crate) by `--lib`, an integration test by `--test NAME`;
/// libtest names each test's thread after the test.
fn update_command() -> String {
    let krate = env!("CARGO_CRATE_NAME");
    let target = if krate == env!("CARGO_PKG_NAME") {
        "--lib".to_string()
    } else {
        format!("--test {krate}")
    };
    let test = std::thread::current()
        .name()
        .unwrap_or_default()
        .to_string();
    format!("PRIVDIFF_UPDATE_SNAPSHOTS=1 cargo test {target} {test} && git diff")
}
