// Inputs of the full test suite that a fresh clone may lack: the workplace's shared folder beside
// the checkout (`../shared/`: the plan corpus, the GCP and Azure role catalogs) and Node.js for the
// oracle. A test without them says on the terminal what it skipped and why, and passes; with `CI`
// set it fails instead, because CI must run the whole suite.
//
// One file for both kinds of test: the integration tests have it as `common::optional`, the unit
// tests in src/ as `crate::testing::optional` (src/lib.rs includes it once).
//
// (`include!` takes no inner attributes or `//!` comments, hence the plain comments here.)

use std::io::Write;
use std::path::PathBuf;

/// Where the workplace keeps what the suite must not copy into the project, and where to read
/// about it.
const SHARED: &str = "the workplace's shared folder beside the checkout; see README, Development";

/// Whether this is a CI run: `CI` set and not empty (GitHub Actions and GitLab CI set it, and
/// `.ci/run` does).
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// The running test's name: libtest runs each test on a thread named after it.
fn test_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string()
}

/// Says that `what` was skipped and why; under CI, fails the test instead.
///
/// The line goes straight to the process's stderr: libtest captures what `print!` and
/// `eprint!` write, and shows it only for a failing test, so a skip would otherwise be silent.
fn skipped(what: &str, why: &str) {
    assert!(
        !in_ci(),
        "{what}: {why}. CI is set, and CI must run the whole suite: provide it there"
    );
    let _ = writeln!(std::io::stderr().lock(), "skipped {what}: {why}");
}

/// Skips the rest of the running test, saying why (the caller returns); fails it under CI.
pub fn skip(why: &str) {
    skipped(&test_name(), why);
}

/// `../shared/<rel>` beside the checkout, when it exists. When it does not, says that the running
/// test was skipped and why, and returns `None` (the caller returns); under CI, fails the test.
pub fn shared(rel: &str) -> Option<PathBuf> {
    shared_for(rel, &test_name())
}

/// [`shared`] for a test that runs on without `../shared/<rel>`: the line names `part`, what was
/// skipped, instead of the whole test.
pub fn shared_part(rel: &str, part: &str) -> Option<PathBuf> {
    shared_for(rel, &format!("{part} of {}", test_name()))
}

fn shared_for(rel: &str, what: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    skipped(what, &format!("../shared/{rel} is absent ({SHARED})"));
    None
}
