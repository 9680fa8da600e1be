//! `privdiff analyze plan.out` on a saved binary plan: read with `terraform show -json` (or
//! `tofu show -json`) in the working directory, as a user would.

mod common;

use common::*;
use std::process::{Command, Output};

/// A working directory holding a saved plan (a ZIP file's first bytes are enough: privdiff
/// hands it to `show`), and a directory of fake programs.
struct Workdir {
    dir: tempfile::TempDir,
    bin: tempfile::TempDir,
}

impl Workdir {
    fn new() -> Workdir {
        let w = Workdir {
            dir: tempfile::tempdir().unwrap(),
            bin: tempfile::tempdir().unwrap(),
        };
        std::fs::write(w.dir.path().join("plan.out"), b"PK\x03\x04 a saved plan").unwrap();
        w
    }

    /// A program `name` that prints `fixture` for `show -json plan.out` and fails otherwise.
    fn fake(&self, name: &str, fixture: &str) {
        let json = plan(fixture);
        self.script(
            name,
            &format!(
                "[ \"$1 $2 $3\" = 'show -json plan.out' ] || exit 9\nexec /bin/cat '{}'\n",
                json.display()
            ),
        );
    }

    fn script(&self, name: &str, body: &str) {
        let p = self.bin.path().join(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn analyze(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_privdiff"))
            .args(["analyze", "plan.out", "--format", "json"])
            .args(extra)
            .current_dir(self.dir.path())
            .env("PATH", self.bin.path())
            .output()
            .unwrap()
    }
}

fn widened(out: &Output) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["verdict"] == "widened")
        .map(|i| i["address"].as_str().unwrap().to_string())
        .collect()
}

fn one_line_error(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_saved_plan_is_read_with_terraform_show() {
    let w = Workdir::new();
    w.fake("terraform", "ci-role-widened.json");
    let out = w.analyze(&["--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(widened(&out), ["aws_iam_role.ci"]);
}

#[test]
fn opentofu_reads_an_opentofu_working_directory_or_when_it_is_alone() {
    let w = Workdir::new();
    w.fake("tofu", "ci-role-widened.json");
    // Only tofu installed.
    let out = w.analyze(&["--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // Both installed: the lock file says whose working directory this is.
    w.script("terraform", "exit 7\n");
    std::fs::write(
        w.dir.path().join(".terraform.lock.hcl"),
        "provider \"registry.opentofu.org/hashicorp/aws\" {\n}\n",
    )
    .unwrap();
    let out = w.analyze(&["--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(widened(&out), ["aws_iam_role.ci"]);
}

#[test]
fn without_a_program_to_read_it_the_error_says_what_to_do() {
    let w = Workdir::new();
    let err = one_line_error(&w.analyze(&[]));
    assert!(
        err.contains("neither terraform nor tofu is on PATH"),
        "{err}"
    );
    assert!(
        err.contains("terraform show -json plan.out > plan.json"),
        "{err}"
    );
}

#[test]
fn a_failing_show_is_an_input_error_with_its_message() {
    let w = Workdir::new();
    w.script(
        "terraform",
        "echo '╷' >&2\necho '│ Error: Failed to load plugin schemas' >&2\necho '╵' >&2\nexit 1\n",
    );
    let err = one_line_error(&w.analyze(&[]));
    assert!(
        err.contains("terraform show -json plan.out failed"),
        "{err}"
    );
    assert!(
        err.contains("Error: Failed to load plugin schemas"),
        "{err}"
    );
    assert!(!err.contains('│'), "{err}");
}

#[test]
fn the_comment_command_reads_a_saved_plan_too() {
    let w = Workdir::new();
    w.fake("terraform", "ci-role-widened.json");
    let out = Command::new(env!("CARGO_BIN_EXE_privdiff"))
        .args(["comment", "github", "plan.out", "--dry-run", "--pr", "7"])
        .args(["--fail-on", "never"])
        .current_dir(w.dir.path())
        .env("PATH", w.bin.path())
        .env("GITHUB_REPOSITORY", "acme/app")
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("aws_iam_role.ci"));
}

#[test]
fn a_saved_plan_on_standard_input_cannot_be_shown_and_says_so() {
    let r = run(&["analyze", "-"], Some(b"PK\x03\x04 a saved plan".to_vec()));
    if let Err(e) = clean_input_error(&r) {
        panic!("{e}: {}", r.describe());
    }
    assert!(
        r.stderr().contains("terraform show -json"),
        "{}",
        r.stderr()
    );
}
